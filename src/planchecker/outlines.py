"""Closed outlines held as flat coordinate arrays, not as one GEOS object each.

A centre's drawing holds tens of thousands of small closed polylines (tables,
chairs, fittings), nearly all of which no step ever looks at as a polygon: they
are too small for a room and on furniture layers.  As shapely polygons they were
the bulk of a large review's memory: GEOS keeps a z for every point (24 bytes),
and a polygon, a ring and a coordinate sequence per outline.  Here a point is 16
bytes, an outline a few bytes of ids, and the coordinates live in columns that
grow in place (`columns.Column`).

Polygons are made again only for the outlines a step asks for, with
`shapely.from_ragged_array` from the coordinates `shapely.to_ragged_array` gave:
the same floats, rings and order.  Bounds, edge counts and edges are taken from
the coordinates directly, as GEOS would give them (`bounds` from the exterior
ring, NaN ignored; see docs/decisions/outline-store.md).

A bulged polyline's ring may be kept as its recipe instead: its vertices and arcs
(`arcrings`), about a fifth of the bytes of its points, and made again when asked
for.  The store keeps a recipe only after making the ring from it and finding it
equal, float for float, to the ring drawn; scaling is applied to a made ring as it
was to the stored points (the same multiplication), so no caller can tell the two
apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely import GeometryType

from planchecker import arcrings
from planchecker.arcrings import Recipe
from planchecker.columns import Column
from planchecker.ranges import aranges

if TYPE_CHECKING:
    from shapely.geometry import Polygon

    from planchecker.model import Outline

KINDS = ("outline", "hatch")
HATCH, REPAIRED, SOLID, EDGES = 1, 2, 4, 8  # bits of an outline's code
FIRST_ROWS = 256
CHUNK = 2048  # outlines whose coordinates are gathered (or made polygons) at a time
REPLAY = 256  # rings made from their recipes at a time


def outline_code(kind: str, repaired: bool, solid: bool, edges: bool) -> int:
    """An outline's kind and flags in one small int."""
    return (
        (HATCH if kind == "hatch" else 0)
        | (REPAIRED if repaired else 0)
        | (SOLID if solid else 0)
        | (EDGES if edges else 0)
    )


class _Recipes:
    """The recipes of a store's rings (`arcrings`): each one's vertices, chord
    counts (`after`) and arcs, and the points of the ring it makes."""

    def __init__(self) -> None:
        self._verts = Column((2,), np.float64)
        self._after = Column((), np.int32)
        self._arcs = Column((arcrings.ARC_FIELDS,), np.float64)
        self._vert_ends = Column((), np.int64)
        self._arc_ends = Column((), np.int64)
        self._points = Column((), np.int64)  # the ring's points, the closing one included
        self._boxes = Column((4,), np.float64)  # the ring's bounds, unscaled
        self.n = self._nv = self._na = 0

    def append(
        self,
        verts: np.ndarray,
        after: np.ndarray,
        arcs: np.ndarray,
        vert_counts: np.ndarray,
        arc_counts: np.ndarray,
        points: np.ndarray,
        boxes: np.ndarray,
    ) -> int:
        """Append recipes given one after another; returns the id of the first."""
        first, m = self.n, len(vert_counts)
        nv, na = self._nv + len(verts), self._na + len(arcs)
        _room(self._verts, nv)
        _room(self._after, nv)
        _room(self._arcs, na)
        for col in (self._vert_ends, self._arc_ends, self._points, self._boxes):
            _room(col, first + m)
        self._verts.data[self._nv : nv] = verts
        self._after.data[self._nv : nv] = after
        self._arcs.data[self._na : na] = arcs
        np.add(np.cumsum(vert_counts), self._nv, out=self._vert_ends.data[first : first + m])
        np.add(np.cumsum(arc_counts), self._na, out=self._arc_ends.data[first : first + m])
        self._points.data[first : first + m] = points
        self._boxes.data[first : first + m] = boxes
        self.n, self._nv, self._na = first + m, nv, na
        return first

    def _spans(self, ids: np.ndarray) -> tuple[np.ndarray, ...]:
        """First and end vertex, first and end arc of the recipes `ids`."""
        vert_ends = self._vert_ends.data[: self.n]
        arc_ends = self._arc_ends.data[: self.n]
        v1, a1 = vert_ends[ids], arc_ends[ids]
        v0 = np.where(ids > 0, vert_ends[np.maximum(ids - 1, 0)], 0)
        a0 = np.where(ids > 0, arc_ends[np.maximum(ids - 1, 0)], 0)
        return v0, v1, a0, a1

    def copy_from(self, other: _Recipes, lo: int, hi: int) -> int:
        """Append `other`'s recipes lo to hi; returns the id the first one gets."""
        ends = other._vert_ends.data[lo:hi]
        arc_ends = other._arc_ends.data[lo:hi]
        v0 = int(other._vert_ends.data[lo - 1]) if lo else 0
        a0 = int(other._arc_ends.data[lo - 1]) if lo else 0
        v1, a1 = int(ends[-1]), int(arc_ends[-1])
        return self.append(
            other._verts.data[v0:v1],
            other._after.data[v0:v1],
            other._arcs.data[a0:a1],
            np.diff(ends, prepend=v0),
            np.diff(arc_ends, prepend=a0),
            other._points.data[lo:hi],
            other._boxes.data[lo:hi],
        )

    def points(self, ids: np.ndarray) -> np.ndarray:
        return self._points.data[: self.n][ids]

    def boxes(self, ids: np.ndarray, factors: list[float]) -> np.ndarray:
        """The bounds of the rings `ids` once scaled by `factors`: the bounds of the
        scaled points, as rounding keeps the order of what it multiplies."""
        box = self._boxes.data[: self.n][ids]
        for factor in factors:
            box = box * factor
            if factor < 0:
                box = box[:, [2, 3, 0, 1]]
        return box

    def rings(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rings of the recipes `ids`, one after another, and their lengths;
        made REPLAY at a time, so that making them takes little more memory than
        the rings themselves."""
        lengths = self.points(ids)
        out = np.empty((int(lengths.sum()), 2))
        at = 0
        for lo in range(0, len(ids), REPLAY):
            v0, v1, a0, a1 = self._spans(ids[lo : lo + REPLAY])
            verts = aranges(v0, v1)
            ring, _ = arcrings.rings(
                self._verts.data[verts],
                self._after.data[verts].astype(np.int64),
                self._arcs.data[aranges(a0, a1)],
                v1 - v0,
            )
            out[at : at + len(ring)] = ring
            at += len(ring)
        return out, lengths

    def shrink(self) -> None:
        self._verts.shrink(self._nv)
        self._after.shrink(self._nv)
        self._arcs.shrink(self._na)
        for col in (self._vert_ends, self._arc_ends, self._points, self._boxes):
            col.shrink(self.n)


def _room(col: Column, need: int) -> None:
    if need > len(col.data):
        col.resize(max(need, FIRST_ROWS, 2 * len(col.data)))


class OutlineStore:
    """Polygons with their layer id, kind, flags and block name, appended in order.

    `layers` are ids into a table the owner keeps (the reader's LayerTable, the
    drawing's layer names); `blocks` are the innermost block names, or None.  An
    outline kept as a recipe has one ring, of no stored points: `_recipe` gives its
    recipe (-1 for the others).
    """

    def __init__(self) -> None:
        self._coords = Column((2,), np.float64)
        self._ring_ends = Column((), np.int64)  # end of each ring in the coordinates
        self._poly_ends = Column((), np.int64)  # end of each polygon in the rings
        self._layers = Column((), np.int32)
        self._codes = Column((), np.uint8)
        self.blocks: list[str | None] = []
        self._n = self._rings = self._points = 0
        self._all_bounds: np.ndarray | None = None  # `bounds()` until the store changes
        self._recipes: _Recipes | None = None
        self._recipe: Column | None = None  # each outline's recipe, or -1
        self._factors: list[float] = []  # the scalings applied to the stored points

    def __reduce__(self):
        """Pickled (and deep-copied) as its arrays, trimmed: a large store's
        columns are memory mappings, which cannot be pickled themselves.  Rings
        kept as recipes are pickled as their points."""
        if self._recipes is not None:
            return self.take(np.arange(self._n)).__reduce__()
        arrays = (
            self.coords.copy(),
            self._ring_ends.data[: self._rings].copy(),
            self._poly_ends.data[: self._n].copy(),
            self.layers.copy(),
            self.codes.copy(),
        )
        return (_rebuilt, (arrays, list(self.blocks)))

    # ------------------------------------------------------------------ filling

    def __len__(self) -> int:
        return self._n

    def __bool__(self) -> bool:
        return self._n > 0

    def _append(
        self,
        coords: np.ndarray,
        ring_ends: np.ndarray,
        poly_ends: np.ndarray,
        layers: np.ndarray | int,
        codes: np.ndarray | int,
        blocks: Sequence[str | None],
        recipes: np.ndarray | None = None,
    ) -> None:
        """Append polygons given as their coordinates, the end of each ring in
        `coords` and the end of each polygon in the rings (counted from 0), and
        for each its recipe id (-1: none; None: no recipes at all)."""
        n, r, p = len(poly_ends), len(ring_ends), len(coords)
        self._all_bounds = None
        _room(self._coords, self._points + p)
        _room(self._ring_ends, self._rings + r)
        for col in (self._poly_ends, self._layers, self._codes):
            _room(col, self._n + n)
        self._coords.data[self._points : self._points + p] = coords
        np.add(ring_ends, self._points, out=self._ring_ends.data[self._rings : self._rings + r])
        np.add(poly_ends, self._rings, out=self._poly_ends.data[self._n : self._n + n])
        self._layers.data[self._n : self._n + n] = layers
        self._codes.data[self._n : self._n + n] = codes
        if recipes is not None and self._recipe is None:
            self._recipe = Column((), np.int32)
            _room(self._recipe, self._n)
            self._recipe.data[: self._n] = -1
        if self._recipe is not None:
            _room(self._recipe, self._n + n)
            self._recipe.data[self._n : self._n + n] = -1 if recipes is None else recipes
        self.blocks.extend(blocks)
        self._n, self._rings, self._points = self._n + n, self._rings + r, self._points + p

    def add(
        self,
        polygons: Sequence[Polygon | None] | np.ndarray,
        layers: Sequence[int] | np.ndarray | int,
        codes: Sequence[int] | np.ndarray | int,
        blocks: Sequence[str | None],
        recipes: Sequence[Recipe | None] | None = None,
    ) -> None:
        """Append polygons (shapely Polygons, empty ones allowed).  A polygon given
        as None is the one ring its recipe makes (`arcrings`; the reader has
        checked that it makes the ring drawn): the recipe is kept, not the points,
        unless the store has been scaled already."""
        if not len(polygons):
            return
        polys = np.asarray(polygons, dtype=object)
        missing = np.array([p is None for p in polygons], dtype=bool)
        if missing.any() and self._factors:  # points would not be scaled as these are
            assert recipes is not None
            polys[missing] = [_polygon(recipes[k]) for k in np.flatnonzero(missing).tolist()]
            missing[:] = False
        made = np.flatnonzero(missing)
        given = np.flatnonzero(~missing) if len(made) else None
        if given is None or len(given):
            _, coords, (ring_offsets, poly_offsets) = shapely.to_ragged_array(
                polys if given is None else polys[given], include_z=False
            )
        else:  # every one made from its recipe
            coords, ring_offsets, poly_offsets = (
                np.zeros((0, 2)),
                np.zeros(1, np.int64),
                np.zeros(1, np.int64),
            )
        ids = None
        if len(made):
            assert recipes is not None and given is not None
            rings_per_poly = np.ones(len(polys), dtype=np.int64)  # a recipe's one ring
            rings_per_poly[given] = np.diff(poly_offsets)
            poly_offsets = np.concatenate(([0], np.cumsum(rings_per_poly)))
            ring_lengths = np.zeros(int(poly_offsets[-1]), dtype=np.int64)  # and no points
            ring_lengths[aranges(poly_offsets[given], poly_offsets[given + 1])] = np.diff(
                ring_offsets
            )
            ring_offsets = np.concatenate(([0], np.cumsum(ring_lengths)))
            ids = np.full(len(polys), -1, dtype=np.int64)
            ids[made] = self._keep([recipes[k] for k in made.tolist()])  # type: ignore[misc]
        self._append(
            coords,
            ring_offsets[1:],
            poly_offsets[1:],
            np.asarray(layers),
            np.asarray(codes),
            blocks,
            ids,
        )

    def _keep(self, recipes: list[Recipe]) -> np.ndarray:
        """Store the recipes; returns their ids."""
        if self._recipes is None:
            self._recipes = _Recipes()
        first = self._recipes.append(
            np.concatenate([r.verts for r in recipes]),
            np.concatenate([r.after for r in recipes]),
            np.concatenate([r.arcs for r in recipes]).reshape(-1, arcrings.ARC_FIELDS),
            np.array([len(r.verts) for r in recipes], dtype=np.int64),
            np.array([len(r.arcs) for r in recipes], dtype=np.int64),
            np.array([r.points for r in recipes], dtype=np.int64),
            np.array([r.box for r in recipes], dtype=float).reshape(-1, 4),
        )
        return first + np.arange(len(recipes))

    def extend(
        self,
        other: OutlineStore,
        move: Callable[[np.ndarray], np.ndarray] | None = None,
        layer_map: tuple[int, int] | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        """Append the outlines of `other` (those of `span`, lo to hi, when given),
        their coordinates passed through `move` (an (n, 2) array to an (n, 2)
        array: a block's placement) and, with `layer_map` = (old, new), layer id
        old replaced by new (INHERIT by the INSERT's layer)."""
        lo, hi = span if span is not None else (0, other._n)
        if hi <= lo:
            return
        layers = other.layers[lo:hi]
        if layer_map is not None and layer_map[0] in layers:
            layers = np.where(layers == layer_map[0], layer_map[1], layers)
        blocks = other.blocks[lo:hi] if span is not None else other.blocks
        ids = other._recipe.data[lo:hi] if other._recipe is not None else None
        carried = ids[ids >= 0] if ids is not None else None
        if carried is not None and len(carried):
            r0, r1 = int(carried[0]), int(carried[-1]) + 1
            if move is None and not (other._factors or self._factors) and r1 - r0 == len(carried):
                if self._recipes is None:
                    self._recipes = _Recipes()
                assert other._recipes is not None
                first = self._recipes.copy_from(other._recipes, r0, r1)
                ids = np.where(ids >= 0, ids - r0 + first, -1)
            else:  # rings made from their recipes, then placed like the others
                coords, ring_lengths, rings_per_poly = other._gather(np.arange(lo, hi))
                self._append(
                    move(coords) if move is not None else coords,
                    np.cumsum(ring_lengths),
                    np.cumsum(rings_per_poly),
                    layers,
                    other.codes[lo:hi],
                    blocks,
                )
                return
        else:
            ids = None
        poly_ends = other._poly_ends.data[: other._n]
        ring_ends = other._ring_ends.data[: other._rings]
        r0, r1 = (int(poly_ends[lo - 1]) if lo else 0), int(poly_ends[hi - 1])
        c0, c1 = (int(ring_ends[r0 - 1]) if r0 else 0), (int(ring_ends[r1 - 1]) if r1 else 0)
        coords = other.coords[c0:c1]
        if move is not None:
            coords = move(coords)
        self._append(
            coords,
            ring_ends[r0:r1] - c0 if c0 else ring_ends[r0:r1],
            poly_ends[lo:hi] - r0 if r0 else poly_ends[lo:hi],
            layers,
            other.codes[lo:hi],
            blocks,
            ids,
        )

    def take(self, indices: np.ndarray) -> OutlineStore:
        """A new store of the outlines `indices`, in that order (rings kept as
        recipes are made, and stored as points)."""
        out = OutlineStore()
        for lo in range(0, len(indices), CHUNK):
            idx = np.asarray(indices[lo : lo + CHUNK], dtype=np.int64)
            coords, ring_lengths, rings_per_poly = self._gather(idx)
            out._append(
                coords,
                np.cumsum(ring_lengths),
                np.cumsum(rings_per_poly),
                self.layers[idx],
                self.codes[idx],
                [self.blocks[i] for i in idx.tolist()],
            )
        return out

    def scale(self, factor: float) -> None:
        """Multiply every coordinate by `factor`, in place (a ring kept as a recipe
        is multiplied when made).  A factor that is zero or not finite does not keep
        the order of what it multiplies (0 * inf), so the recipes' boxes would no
        longer be the bounds: the rings are made into points first."""
        if self._recipes is not None and not (factor != 0 and math.isfinite(factor)):
            self.__dict__.update(self.take(np.arange(self._n)).__dict__)
        c = self.coords
        np.multiply(c, factor, out=c)
        self._factors.append(factor)
        self._all_bounds = None

    def shrink(self) -> None:
        """Give back the capacity beyond what is held (where that costs no copy)."""
        self._coords.shrink(self._points)
        self._ring_ends.shrink(self._rings)
        for col in (self._poly_ends, self._layers, self._codes):
            col.shrink(self._n)
        if self._recipe is not None:
            self._recipe.shrink(self._n)
        if self._recipes is not None:
            self._recipes.shrink()

    # ------------------------------------------------------------------ arrays

    @property
    def coords(self) -> np.ndarray:
        """(points, 2) coordinates of the rings stored as points, in order (a view)."""
        return self._coords.data[: self._points]

    @property
    def layers(self) -> np.ndarray:
        return self._layers.data[: self._n]

    @property
    def codes(self) -> np.ndarray:
        return self._codes.data[: self._n]

    def flags(self, bit: int) -> np.ndarray:
        """Whether each outline has `bit` (HATCH, REPAIRED, SOLID, EDGES)."""
        return (self.codes & bit) != 0

    @staticmethod
    def _starts(ends: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Where item `at` begins, given each item's end: the end of the one before."""
        if not len(ends):
            return np.zeros(len(at), dtype=np.int64)
        return np.where(at > 0, ends[np.maximum(at - 1, 0)], 0)

    def _ranges(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        """For the outlines `idx` (all when None): first ring, ring end, and the
        coordinate ranges of the exterior ring and of all rings (as stored: empty
        for a ring kept as a recipe)."""
        poly_ends = self._poly_ends.data[: self._n]
        ring_ends = self._ring_ends.data[: self._rings]
        if idx is None:
            idx = np.arange(self._n)
        last = poly_ends[idx]
        first = self._starts(poly_ends, idx)
        has = last > first
        if not len(ring_ends):  # every outline empty: no rings, no coordinates
            none = np.zeros(len(idx), dtype=np.int64)
            return first, last, none, none, none
        ext_start = self._starts(ring_ends, first)
        ext_end = np.where(has, ring_ends[np.minimum(first, len(ring_ends) - 1)], ext_start)
        all_end = np.where(has, ring_ends[np.maximum(last - 1, 0)], ext_start)
        return first, last, ext_start, ext_end, all_end

    def _made(self, idx: np.ndarray) -> np.ndarray:
        """Which of the outlines `idx` are kept as recipes."""
        if self._recipe is None:
            return np.zeros(len(idx), dtype=bool)
        return self._recipe.data[: self._n][idx] >= 0

    def _lengths(self, idx: np.ndarray, exterior: bool) -> np.ndarray:
        """The points of each outline's exterior ring (or of all its rings)."""
        _, _, start, ext_end, all_end = self._ranges(idx)
        lengths = (ext_end if exterior else all_end) - start
        made = self._made(idx)
        if made.any():
            assert self._recipes is not None and self._recipe is not None
            lengths[made] = self._recipes.points(self._recipe.data[: self._n][idx[made]])
        return lengths

    def _points_of(self, idx: np.ndarray, exterior: bool) -> tuple[np.ndarray, np.ndarray]:
        """The points of the outlines `idx` (exterior rings, or all rings), one
        outline after another, and how many each has: stored ones taken, recipes
        made and scaled as the stored points were."""
        _, _, start, ext_end, all_end = self._ranges(idx)
        end = ext_end if exterior else all_end
        made = self._made(idx)
        if not made.any():
            if not exterior and len(idx) and np.all(np.diff(idx) == 1):  # one run: a slice
                return self.coords[start[0] : end[-1]], end - start
            return self.coords[aranges(start, end)], end - start
        assert self._recipes is not None and self._recipe is not None
        rings, ring_lengths = self._recipes.rings(self._recipe.data[: self._n][idx[made]])
        for factor in self._factors:
            np.multiply(rings, factor, out=rings)
        if made.all():
            return rings, ring_lengths
        lengths = end - start
        lengths[made] = ring_lengths
        at = np.cumsum(lengths) - lengths
        out = np.empty((int(lengths.sum()), 2))
        stored = ~made
        out[aranges(at[stored], at[stored] + lengths[stored])] = self.coords[
            aranges(start[stored], end[stored])
        ]
        out[aranges(at[made], at[made] + ring_lengths)] = rings
        return out, lengths

    def _gather(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Coordinates, ring lengths and rings per polygon of the outlines `idx`."""
        first, last, _, _, _ = self._ranges(idx)
        rings = aranges(first, last)
        ring_ends = self._ring_ends.data[: self._rings]
        ring_lengths = ring_ends[rings] - self._starts(ring_ends, rings)
        coords, lengths = self._points_of(idx, exterior=False)
        made = self._made(idx)
        if made.any():  # a recipe's outline has one ring: its first
            per_poly = last - first
            ring_lengths[(np.cumsum(per_poly) - per_poly)[made]] = lengths[made]
        return coords, ring_lengths, last - first

    # ------------------------------------------------------------------ geometry

    def polygons(self, indices: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """Shapely polygons of the outlines `indices` (all when None), made anew."""
        idx = np.arange(self._n) if indices is None else np.asarray(indices, dtype=np.int64)
        if not len(idx):
            return np.empty(0, dtype=object)
        coords, ring_lengths, rings_per_poly = self._gather(idx)
        offsets = (
            np.concatenate(([0], np.cumsum(ring_lengths))),
            np.concatenate(([0], np.cumsum(rings_per_poly))),
        )
        return shapely.from_ragged_array(GeometryType.POLYGON, coords, offsets)

    def polygon(self, index: int) -> Polygon:
        return self.polygons([index])[0]

    def chunks(self, indices: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(indices, polygons) CHUNK outlines at a time: what a step that must see
        every polygon holds at once."""
        idx = np.arange(self._n) if indices is None else np.asarray(indices, dtype=np.int64)
        for lo in range(0, len(idx), CHUNK):
            part = idx[lo : lo + CHUNK]
            yield part, self.polygons(part)

    def bounds(self, indices: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """(n, 4) xmin, ymin, xmax, ymax of each outline's exterior ring, as
        `shapely.bounds` gives them (NaN ignored; all NaN for an empty one)."""
        if indices is None:
            if self._all_bounds is None:
                self._all_bounds = self._bounds(np.arange(self._n))
            return self._all_bounds.copy()
        return self._bounds(np.asarray(indices, dtype=np.int64))

    def _bounds(self, idx: np.ndarray) -> np.ndarray:
        out = np.full((len(idx), 4), np.nan)
        made = self._made(idx)
        if made.any():
            assert self._recipes is not None and self._recipe is not None
            ids = self._recipe.data[: self._n][idx[made]]
            out[made] = self._recipes.boxes(ids, self._factors)
        full = np.flatnonzero((self._lengths(idx, exterior=True) > 0) & ~made)
        for lo in range(0, len(full), CHUNK):
            part = full[lo : lo + CHUNK]
            pts, lengths = self._points_of(idx[part], exterior=True)
            at = np.cumsum(lengths) - lengths
            out[part, :2] = np.fmin.reduceat(pts, at, axis=0)
            out[part, 2:] = np.fmax.reduceat(pts, at, axis=0)
        return out

    def edge_counts(self, indices: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """Points of each outline (all rings) less one: the edges of one that stands
        for its edges (a ring as drawn, no holes)."""
        idx = np.arange(self._n) if indices is None else np.asarray(indices, dtype=np.int64)
        return self._lengths(idx, exterior=False) - 1

    def exterior_edges(self, indices: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The exterior rings' edges as (n, 2, 2) segments and the position in
        `indices` of the outline each belongs to: `model.exterior_edges`."""
        idx = np.asarray(indices, dtype=np.int64)
        if not len(idx):
            return np.zeros((0, 2, 2)), np.zeros(0, dtype=np.intp)
        pts, lengths = self._points_of(idx, exterior=True)
        ring_of = np.repeat(np.arange(len(idx), dtype=np.intp), lengths)
        same = ring_of[1:] == ring_of[:-1]
        return np.stack((pts[:-1][same], pts[1:][same]), axis=1), ring_of[:-1][same]


def _polygon(recipe: Recipe) -> Polygon:
    """The polygon of the one ring a recipe makes."""
    ring, _ = arcrings.rings(
        recipe.verts,
        recipe.after.astype(np.int64),
        recipe.arcs.reshape(-1, arcrings.ARC_FIELDS),
        np.array([len(recipe.verts)]),
    )
    return shapely.polygons(ring)


def _rebuilt(arrays: tuple[np.ndarray, ...], blocks: list[str | None]) -> OutlineStore:
    store = OutlineStore()
    coords, ring_ends, poly_ends, layers, codes = arrays
    store._append(coords, ring_ends, poly_ends, layers, codes, blocks)
    return store


class Outlines(Sequence["Outline"]):
    """A drawing's outlines: a store in metres and the layer names its ids index.

    Indexing gives an `Outline` whose polygon is made when first asked for, so a
    step that looks at a furniture outline's layer and passes on never builds it.
    """

    def __init__(self, store: OutlineStore, layer_names: Sequence[str]) -> None:
        self.store = store
        self.layer_names = tuple(layer_names)

    @staticmethod
    def of(outlines: Sequence[Outline]) -> Outlines:
        """Outlines built by hand (tests, a caller of the API)."""
        names: dict[str, int] = {}
        store = OutlineStore()
        store.add(
            [o.polygon for o in outlines],
            [names.setdefault(o.layer, len(names)) for o in outlines],
            [outline_code(o.kind, o.repaired, o.solid, o.edges) for o in outlines],
            [o.block for o in outlines],
        )
        return Outlines(store, tuple(names))

    def __len__(self) -> int:
        return len(self.store)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return self.some(range(*index.indices(len(self))))
        n = len(self.store)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(index)
        return self.some([index])[0]

    def __iter__(self) -> Iterator[Outline]:
        return iter(self.some(range(len(self))))

    def some(self, indices: Sequence[int] | np.ndarray) -> list[Outline]:
        """The outlines `indices`, their polygons made when first asked for."""
        from planchecker.model import Outline

        store, names = self.store, self.layer_names
        idx = np.asarray(indices, dtype=np.intp)
        codes, layers = store.codes[idx].tolist(), store.layers[idx].tolist()
        blocks = store.blocks
        return [
            Outline.lazy(
                store,
                i,
                names[layer],
                KINDS[c & HATCH],
                blocks[i],
                bool(c & REPAIRED),
                bool(c & SOLID),
                bool(c & EDGES),
            )
            for i, c, layer in zip(idx.tolist(), codes, layers, strict=True)
        ]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Outlines({len(self)})"

    def edges_mask(self) -> np.ndarray:
        """Which outlines stand for their edges (`Outline.edges`)."""
        return self.store.flags(EDGES)
