"""Pure geometry helpers for the reader: arcs, bulges, rings, affine maps.

No ezdxf here, only numpy and shapely, so that every function can be tested
with plain arrays.  Coordinates are 2-D, in drawing units; transforms are 2-D
affine maps ``p' = p @ A + t`` (row vectors, like ezdxf's Matrix44).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

# Flatten outline arcs at <= 2 degrees per chord: the area error of a full circle
# is then 0.02 %, well inside the 0.1 % the area rules need.
OUTLINE_STEP = math.radians(2.0)
# Open linework (door swings, curved walls) only feeds polygonisation and overlays.
LINEWORK_STEP = math.radians(5.0)
# No arc gets chords finer than this, however small it is.
MAX_STEP = math.radians(45.0)
# An area this small relative to the squared size of the shape is a degenerate ring.
ZERO_AREA_RATIO = 1e-9


@dataclass(frozen=True)
class Flatten:
    """How finely to flatten arcs: at most `max_step` radians per chord, except
    that chords may be longer while they stay within `sagitta` (drawing units)
    of the arc.

    The angle alone would give a 6 mm hinge detail in a window block as many
    chords as a 6 m curved wall; repeated 47 times that is 300k segments of no
    use.  The sagitta floor (0.5 mm for outlines) keeps rooms exact.
    """

    max_step: float
    sagitta: float

    def step(self, radius: float) -> float:
        """The angle per chord for an arc of `radius`."""
        if radius <= self.sagitta:
            return MAX_STEP
        by_sagitta = 2.0 * math.acos(1.0 - self.sagitta / radius)
        return min(max(self.max_step, by_sagitta), MAX_STEP)


@dataclass(frozen=True)
class Affine:
    """A 2-D affine map ``p @ a + t``; `a` is 2x2, `t` has 2 items."""

    a: np.ndarray
    t: np.ndarray

    @staticmethod
    def from_matrix44(values: list[float]) -> Affine:
        """The XY part of an ezdxf Matrix44 given as its 16 values (row-major)."""
        m = np.asarray(values, dtype=float).reshape(4, 4)
        return Affine(m[:2, :2].copy(), m[3, :2].copy())

    @property
    def det(self) -> float:
        return float(np.linalg.det(self.a))

    def points(self, pts: np.ndarray) -> np.ndarray:
        """Apply to an (..., 2) array of points."""
        return pts @ self.a + self.t

    def geometries(self, geoms: np.ndarray) -> np.ndarray:
        """Apply to an array of shapely geometries at once."""
        return shapely.transform(geoms, lambda c: c @ self.a + self.t)


def arc_points(
    cx: float, cy: float, r: float, start: float, sweep: float, step: float
) -> np.ndarray:
    """Points of an arc from angle `start` through signed `sweep` (radians), ends included."""
    n = max(1, math.ceil(abs(sweep) / step - 1e-9))
    t = start + sweep * np.arange(n + 1) / n
    return np.column_stack((cx + r * np.cos(t), cy + r * np.sin(t)))


def ccw_sweep(start_deg: float, end_deg: float) -> float:
    """Counter-clockwise sweep in radians from `start_deg` to `end_deg` (DXF ARC rule)."""
    sweep = (end_deg - start_deg) % 360.0
    return math.radians(sweep if sweep > 1e-9 else 360.0)


def bulge_polyline(xyb: np.ndarray, closed: bool, flat: Flatten) -> np.ndarray:
    """Vertices of a polyline with bulges, arcs flattened as `flat` says.

    `xyb` is (n, 3): x, y and the bulge of the segment that starts at the vertex
    (tan of a quarter of the included angle, positive = counter-clockwise).  The
    result repeats the first point at the end when `closed`.
    """
    xy = xyb[:, :2]
    bulges = xyb[:, 2]
    if closed:
        xy = np.vstack((xy, xy[:1]))
    else:
        bulges = bulges[:-1]
    if not bulges.any():
        return xy
    parts: list[np.ndarray] = []
    for i, b in enumerate(bulges):
        parts.append(xy[i : i + 1])
        if b:
            parts.append(_bulge_interior(xy[i], xy[i + 1], float(b), flat))
    parts.append(xy[-1:])
    return np.vstack(parts)


def _bulge_interior(p1: np.ndarray, p2: np.ndarray, bulge: float, flat: Flatten) -> np.ndarray:
    """The interior points of the arc a bulge draws from `p1` to `p2`."""
    d = p2 - p1
    chord = math.hypot(d[0], d[1])
    if chord == 0.0:
        return np.empty((0, 2))
    theta = 4.0 * math.atan(bulge)  # signed included angle
    normal = np.array((-d[1], d[0])) / chord  # left of p1 -> p2
    offset = chord / 2.0 * (1.0 - bulge * bulge) / (2.0 * bulge)
    centre = (p1 + p2) / 2.0 + normal * offset
    radius = math.hypot(p1[0] - centre[0], p1[1] - centre[1])
    start = math.atan2(p1[1] - centre[1], p1[0] - centre[0])
    pts = arc_points(centre[0], centre[1], radius, start, theta, flat.step(radius))
    return pts[1:-1]


def edges(points: np.ndarray) -> np.ndarray:
    """The (n-1, 2, 2) segments joining consecutive points.

    Zero-length segments and ones with NaN/inf coordinates (damaged files) are dropped.
    """
    if len(points) < 2:
        return np.empty((0, 2, 2))
    segs = np.stack((points[:-1], points[1:]), axis=1)
    keep = np.any(segs[:, 0] != segs[:, 1], axis=1) & np.isfinite(segs).all(axis=(1, 2))
    return segs[keep]


def size(points: np.ndarray) -> float:
    """Diagonal of the bounding box of an (n, 2) array of points."""
    if len(points) == 0:
        return 0.0
    span = points.max(axis=0) - points.min(axis=0)
    return float(math.hypot(span[0], span[1]))


def ends_meet(points: np.ndarray, tolerance: float) -> bool:
    """True when an open polyline's first and last vertex are within `tolerance`."""
    if len(points) < 4:  # a closed ring needs 3 distinct vertices plus the repeat
        return False
    gap = points[-1] - points[0]
    return math.hypot(gap[0], gap[1]) <= tolerance


@dataclass(frozen=True)
class Ring:
    """A ring turned into a valid polygon: the polygon (or None) and what it took."""

    polygon: Polygon | None
    repaired: bool = False
    pieces: int = 1


def ring_polygon(points: np.ndarray) -> Ring:
    """A valid Polygon from a closed ring, repairing self-intersections.

    Self-intersecting rings are made valid and the biggest piece kept (an Outline
    holds one Polygon); a ring with (almost) no area gives ``Ring(None)``.
    """
    if not np.isfinite(points).all():
        return Ring(None)
    pts = _dedupe(points)
    if len(pts) < 3:
        return Ring(None)
    scale = size(pts)
    polygon = Polygon(pts)
    if polygon.is_valid:
        return Ring(_nonzero(polygon, scale))
    pieces = polygons_of(shapely.make_valid(polygon))
    if not pieces:
        return Ring(None, repaired=True)
    biggest = max(pieces, key=lambda p: p.area)
    real = sum(1 for p in pieces if p.area > ZERO_AREA_RATIO * scale * scale)
    return Ring(_nonzero(biggest, scale), repaired=True, pieces=max(real, 1))


def revalidate(polys: np.ndarray) -> list[Polygon | None]:
    """`polys` with invalid ones replaced by their biggest valid piece (None if none)."""
    out: list[Polygon | None] = list(polys)
    for i in np.flatnonzero(~shapely.is_valid(polys)):
        poly = polys[i]
        scale = math.hypot(*np.subtract(poly.bounds[2:], poly.bounds[:2]))
        pieces = polygons_of(shapely.make_valid(poly))
        best = max(pieces, key=lambda p: p.area) if pieces else None
        out[i] = None if best is None else _nonzero(best, scale)
    return out


def _dedupe(points: np.ndarray) -> np.ndarray:
    """Drop consecutive repeated vertices and the closing repeat."""
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    pts = points[keep]
    if len(pts) > 1 and np.array_equal(pts[0], pts[-1]):
        pts = pts[:-1]
    return pts


def _nonzero(polygon: Polygon, scale: float) -> Polygon | None:
    """`polygon`, or None when its area is negligible for its size."""
    if polygon.is_empty or polygon.area <= ZERO_AREA_RATIO * scale * scale:
        return None
    return polygon


def polygons_of(geom: BaseGeometry) -> list[Polygon]:
    """The non-empty Polygons inside any geometry (Polygon, Multi*, collections)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if geom.geom_type not in ("MultiPolygon", "GeometryCollection"):
        return []  # lines and points left over by make_valid
    out: list[Polygon] = []
    for part in shapely.get_parts(geom):
        out.extend(polygons_of(part))
    return out


def _distinct(polys: list[Polygon]) -> list[Polygon]:
    """`polys` without exact duplicates (same vertices in any order or start)."""
    seen: set[bytes] = set()
    out: list[Polygon] = []
    for poly in polys:
        key = shapely.to_wkb(shapely.normalize(poly))
        if key not in seen:
            seen.add(key)
            out.append(poly)
    return out


def even_odd(loops: list[Polygon]) -> list[Polygon]:
    """Combine hatch loops by the even-odd rule: a loop inside one loop is a hole.

    Loops are ranked by how many other loops contain them; depth 0 minus depth 1,
    plus depth 2 minus depth 3, and so on.  Loops that cross each other (rare,
    and ill-defined in CAD too) fall back to pairwise symmetric difference.  A
    loop picked twice (a slip when hatching) counts once instead of cancelling.
    """
    loops = _distinct([p for p in loops if not p.is_empty])
    if len(loops) <= 1:
        return loops
    arr = np.array(loops, dtype=object)
    tree = shapely.STRtree(arr)
    crossing = tree.query(arr, predicate="overlaps")
    if crossing.size:
        result: BaseGeometry = loops[0]
        for loop in loops[1:]:
            result = result.symmetric_difference(loop)
        return polygons_of(result)
    pairs = tree.query(arr, predicate="contains")  # pairs[0] contains pairs[1]
    outer, inner = pairs
    mask = outer != inner
    depth = np.bincount(inner[mask], minlength=len(loops))
    pieces: list[BaseGeometry] = []
    for d in range(0, int(depth.max()) + 1, 2):
        filled = shapely.union_all(arr[depth == d])
        holes = arr[depth == d + 1]
        pieces.append(filled.difference(shapely.union_all(holes)) if holes.size else filled)
    return polygons_of(shapely.union_all(pieces))
