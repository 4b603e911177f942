"""LWPOLYLINEs flattened in batches, bit for bit as `entities._add_polyline` does one.

A 40 MB drawing holds some 50,000 bulged LWPOLYLINEs (furniture: round tables,
chairs).  One by one, ``bulge_polyline``, ``edges`` and ``ring_polygon`` spend
about 300 µs on each, mostly numpy and shapely call overhead on arrays of a few
points.  Here the polylines of a window are done together: per polyline and per
bulge the scalar steps run in Python with the very ``math`` calls and float
operations of `geometry._bulge_interior` and `geometry.ends_meet` (numpy's
``hypot`` and ``arctan`` differ from ``math``'s in the last bit, so those stay
scalar), and the array steps (angles, cos/sin, edges, de-duplication, polygons,
validity, areas) run once over all points with the same numpy and shapely
operations, which compute each element the same way whatever the array.

A polyline the batch cannot promise to do the same way (an extrusion other than
the usual one, a coordinate that is not finite) is left out, and the caller hands
it to `entities.add_lwpolyline` itself.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely

from planchecker import arcrings
from planchecker.arcrings import ARC_FIELDS, Recipe, assemble
from planchecker.ranges import aranges
from planchecker.reading.entities import (
    Scope,
    Tolerances,
    add_outline,
    ocs_affine,
    polyline_in_range,
)
from planchecker.reading.geometry import MAX_STEP, ZERO_AREA_RATIO, Flatten, Ring, ring_polygon
from planchecker.reading.limits import MAX_VERTICES
from planchecker.reading.primitives import Collector

Arc = tuple[float, float, float, float, float]  # cx, cy, r, start, sweep (`arcrings`)


class Stand:
    """The DXF namespace of a stand-in entity: its layer and its extrusion (all that
    `ocs_affine` reads).  A Stand is also an entity whose namespace is itself."""

    def __init__(self, extrusion: Any, layer: str = "0") -> None:
        self.dxf = self
        self.layer = layer
        self._extrusion = extrusion

    def get(self, key: str, default: Any = None) -> Any:
        return self._extrusion if key == "extrusion" else default


class Flattened:
    """One LWPOLYLINE flattened: what `entities._add_polyline` would add."""

    __slots__ = ("closed", "closed_by_ends", "end", "recipe", "ring", "start", "unclosed")

    def __init__(self) -> None:
        self.closed_by_ends = False
        self.unclosed = False
        self.closed = False
        self.start = self.end = -1  # its segments in the batch (-1: fewer than 2 vertices)
        self.ring: Ring | None = None
        self.recipe: Recipe | None = None  # what its ring is made again from

    @property
    def own_edges(self) -> bool:
        """Closed, and its outline stands for its segments (`entities.own_edges`:
        the ring of a closed polyline closes on its first point by construction)."""
        return (
            self.closed
            and self.ring is not None
            and self.ring.polygon is not None
            and not self.ring.repaired
        )

    def issues_and_outline(self, layer: int, out: Collector, scope: Scope) -> None:
        """`_add_ring`'s issues and outline (the segments, unless the outline stands
        for them, are added by the caller, merged with the neighbours' when they
        follow each other on one layer)."""
        if not self.closed:
            return
        assert self.ring is not None
        add_outline(
            self.ring,
            layer,
            out,
            scope,
            self.unclosed,
            as_linework=self.own_edges,
            recipe=self.recipe if scope.block is None else None,  # a block's are copied
        )


class Batch:
    """The LWPOLYLINE items of a window, flattened: `done[k]` for item k, and the
    segments of all of them in item order (`segments[start:end]` is one's)."""

    def __init__(self, tol: Tolerances, items: list[tuple], kind: int) -> None:
        self.done: dict[int, Flattened] = {}
        self.segments = np.empty((0, 2, 2))
        picked = [(k, item) for k, item in enumerate(items) if item[0] == kind and _plain(item)]
        if picked:
            self._run(tol, picked)

    def _run(self, tol: Tolerances, picked: list[tuple[int, tuple]]) -> None:
        counts = np.array([len(item[2]) // 3 for _, item in picked], dtype=np.int64)
        flat = np.fromiter(
            (v for _, item in picked for v in item[2]), float, 3 * int(counts.sum())
        ).reshape(-1, 3)
        # what entities.add_lwpolyline would refuse (OutOfRange) is left to it
        if polyline_in_range(flat):
            bad = [False] * len(picked)
        else:
            ends = np.cumsum(counts)
            bad = [
                not polyline_in_range(flat[end - n : end])
                for end, n in zip(ends.tolist(), counts.tolist(), strict=True)
            ]
        verts: list[float] = []
        after: list[int] = []  # interior arc points following each vertex
        arcs: list[Arc] = []
        jobs: list[tuple[Flattened, int]] = []  # and its number of vertices, closing one too
        close_tol = tol.close
        for (k, item), skip in zip(picked, bad, strict=True):
            if skip:
                continue  # add_lwpolyline says what it makes of it
            d = self.done[k] = Flattened()
            v = item[2]
            n = len(v) // 3
            if n < 2:
                continue
            closed = bool(item[3])
            if not closed and n >= 4:  # geometry.ends_meet
                last = 3 * (n - 1)
                if math.hypot(v[last] - v[0], v[last + 1] - v[1]) <= close_tol:
                    gap = math.dist((v[0], v[1]), (v[last], v[last + 1]))
                    n -= 1
                    closed = True
                    d.closed_by_ends, d.unclosed = True, gap > 0
            d.closed = closed
            _bulged(v, n, closed, tol.outline if closed else tol.linework, verts, after, arcs)
            jobs.append((d, n + 1 if closed else n))
        if not jobs:
            return
        count = np.array([m for _, m in jobs], dtype=np.int64)
        first = np.cumsum(count) - count
        xy = np.array(verts, dtype=float).reshape(-1, 2)
        bends = np.array(after, dtype=np.int64)
        curves = np.array(arcs, dtype=float).reshape(-1, ARC_FIELDS)
        points, pos = assemble(xy, bends, curves)
        starts, ends = pos[first], pos[first + count - 1] + 1
        self.segments, at = _edges(points, starts, ends)
        closed_jobs = [j for j, (d, _) in enumerate(jobs) if d.closed]
        rings = _rings(points, starts[closed_jobs], ends[closed_jobs])
        for j, ring in zip(closed_jobs, rings, strict=True):
            jobs[j][0].ring = ring
        _recipes(
            [jobs[j][0] for j in closed_jobs],
            first[closed_jobs],
            count[closed_jobs],
            xy,
            bends,
            curves,
        )
        for j, (d, _) in enumerate(jobs):
            d.start, d.end = int(at[j]), int(at[j + 1])


def _recipes(
    done: list[Flattened],
    first: np.ndarray,
    count: np.ndarray,
    xy: np.ndarray,
    bends: np.ndarray,
    curves: np.ndarray,
) -> None:
    """Give each closed, bulged polyline whose ring is a polygon as drawn the recipe
    it is made again from (`arcrings`), when that makes the very points of its
    polygon; the recipes of the batch are copied together, apart from its points."""
    arc_at = np.concatenate(([0], np.cumsum(bends > 0)))
    ends = first + count
    bulged = arc_at[ends] > arc_at[first]
    chosen = [
        k
        for k, d in enumerate(done)
        if bulged[k] and d.ring is not None and d.ring.polygon is not None and not d.ring.repaired
    ]
    if not chosen:
        return
    v0, v1 = first[chosen], ends[chosen]
    a0, a1 = arc_at[v0], arc_at[v1]
    verts, arcs = aranges(v0, v1), aranges(a0, a1)
    xy, bends, curves = xy[verts], bends[verts], curves[arcs]
    made, lengths = arcrings.rings(xy, bends, curves, v1 - v0)
    polygons = [done[k].ring.polygon for k in chosen]  # type: ignore[union-attr]
    drawn, which = shapely.get_coordinates(polygons, return_index=True)
    if len(drawn) != len(made) or not np.array_equal(
        np.bincount(which, minlength=len(chosen)), lengths
    ):
        return  # not the rings drawn: every one keeps its polygon
    equal = (drawn == made).all(axis=1)
    at = np.cumsum(lengths) - lengths
    same = np.logical_and.reduceat(equal, at).tolist()
    boxes = np.hstack((np.minimum.reduceat(made, at), np.maximum.reduceat(made, at)))
    nv, na = v1 - v0, a1 - a0
    vat, aat = nv.cumsum() - nv, na.cumsum() - na
    for i, (k, ok, v, n, a, m, points) in enumerate(
        zip(
            chosen,
            same,
            vat.tolist(),
            nv.tolist(),
            aat.tolist(),
            na.tolist(),
            lengths.tolist(),
            strict=True,
        )
    ):
        if ok:
            done[k].recipe = Recipe(
                xy[v : v + n], bends[v : v + n], curves[a : a + m], points, boxes[i]
            )


def _plain(item: tuple) -> bool:
    """True for a polyline the batch flattens: no more vertices than `entities` accepts,
    and the usual extrusion (or none); the others go to `entities.add_lwpolyline`."""
    if len(item[2]) > 3 * MAX_VERTICES:
        return False
    if item[4] is None:
        return True
    try:
        return ocs_affine(Stand(item[4])) is None
    except Exception:  # an extrusion ocs_affine refuses: its handler says so
        return False


def _bulged(
    v: list[float],
    n: int,
    closed: bool,
    flat: Flatten,
    verts: list[float],
    after: list[int],
    arcs: list[Arc],
) -> None:
    """`geometry.bulge_polyline`'s vertices (closing one repeated when `closed`), and
    after each the number of interior points of the arc its bulge draws."""
    xy = [(v[3 * i], v[3 * i + 1]) for i in range(n)]
    bulges = [v[3 * i + 2] for i in range(n)]
    if closed:
        xy.append(xy[0])
    else:
        bulges.pop()
    for p in xy:
        verts += p
    if not any(bulges):
        after += [0] * len(xy)
        return
    for i, b in enumerate(bulges):
        after.append(_arc(xy[i], xy[i + 1], b, flat, arcs) if b else 0)
    after.append(0)  # the last vertex


def _arc(
    p1: tuple[float, float], p2: tuple[float, float], bulge: float, flat: Flatten, arcs: list[Arc]
) -> int:
    """`geometry._bulge_interior`'s scalar part: appends (cx, cy, r, start, sweep) for
    an arc of n > 1 chords and returns the number of interior points (n - 1; 0 for
    a null chord)."""
    dx, dy = p2[0] - p1[0], p2[1] - p1[1]
    chord = math.hypot(dx, dy)
    if chord == 0.0:
        return 0
    theta = 4.0 * math.atan(bulge)
    offset = chord / 2.0 * (1.0 - bulge * bulge) / (2.0 * bulge)
    cx = (p1[0] + p2[0]) / 2.0 + (-dy / chord) * offset
    cy = (p1[1] + p2[1]) / 2.0 + (dx / chord) * offset
    radius = math.hypot(p1[0] - cx, p1[1] - cy)
    start = math.atan2(p1[1] - cy, p1[0] - cx)
    # Flatten.step(radius), then geometry.arc_points' number of chords
    if radius <= flat.sagitta:
        step = MAX_STEP
    else:
        step = min(max(flat.max_step, 2.0 * math.acos(1.0 - flat.sagitta / radius)), MAX_STEP)
    n = max(1, math.ceil(abs(theta) / step - 1e-9))
    if n > 1:
        arcs.append((cx, cy, radius, start, theta))
    return n - 1


def _edges(
    points: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`geometry.edges` of every polyline: the kept segments of all of them, and where
    each polyline's begin among them (the total appended)."""
    x, y = points[:, 0], points[:, 1]
    finite = np.isfinite(x) & np.isfinite(y)
    keep = ((x[1:] != x[:-1]) | (y[1:] != y[:-1])) & finite[1:] & finite[:-1]
    keep[ends[:-1] - 1] = False  # the pair joining one polyline to the next
    kept = np.flatnonzero(keep)
    segs = np.empty((len(kept), 2, 2))
    segs[:, 0] = points[kept]
    segs[:, 1] = points[kept + 1]
    before = np.concatenate(([0], np.cumsum(keep)))
    return segs, np.append(before[starts], before[ends[-1] - 1])


def _rings(points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[Ring]:
    """`geometry.ring_polygon` of each closed polyline's points: batched where the
    ring is a valid polygon, one by one (the original function) where it is not."""
    m = len(starts)
    if m == 0:
        return []
    length = ends - starts
    at = np.cumsum(length) - length
    if len(points) == int(length.sum()):  # every polyline of the batch is closed
        ring = points
    else:
        ring = points[np.repeat(starts - at, length) + np.arange(int(length.sum()))]
    x, y = ring[:, 0], ring[:, 1]
    if np.isfinite(x).all() and np.isfinite(y).all():
        bad = np.zeros(m, dtype=bool)
    else:
        rid = np.repeat(np.arange(m), length)
        bad = np.bincount(rid[~(np.isfinite(x) & np.isfinite(y))], minlength=m) > 0
    keep, count = arcrings.kept(ring, at)  # geometry._dedupe, batched
    ok = (count >= 3) & ~bad
    results: list[Ring] = [Ring(None)] * m
    chosen = np.flatnonzero(ok)
    if not len(chosen):
        return results
    keep &= np.repeat(ok, length)
    coords = ring[keep]
    sizes = count[chosen]
    begin = np.cumsum(sizes) - sizes
    cx, cy = coords[:, 0], coords[:, 1]
    sx = (np.maximum.reduceat(cx, begin) - np.minimum.reduceat(cx, begin)).tolist()
    sy = (np.maximum.reduceat(cy, begin) - np.minimum.reduceat(cy, begin)).tolist()
    rings = shapely.linearrings(coords, indices=np.repeat(np.arange(len(chosen)), sizes))
    polys = shapely.polygons(rings)
    valid = shapely.is_valid(polys).tolist()
    areas = shapely.area(polys).tolist()
    for j, poly, is_valid, area, wx, wy in zip(
        chosen.tolist(), polys, valid, areas, sx, sy, strict=True
    ):
        if not is_valid:
            results[j] = ring_polygon(points[starts[j] : ends[j]])
            continue
        scale = math.hypot(wx, wy)  # geometry.size
        results[j] = Ring(None if area <= ZERO_AREA_RATIO * scale * scale else poly)
    return results
