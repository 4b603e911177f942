"""HATCH (and MPOLYGON) boundaries as polygons with holes.

A hatch's boundary is a set of loops: polyline paths with bulges, or edge paths
made of lines, arcs, ellipses and splines.  ezdxf's path module turns every
loop into a Bezier path in WCS (it knows the OCS and the clockwise-arc quirks
of edge paths); we flatten each loop and combine them by the even-odd rule, so
an island becomes a hole.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon

from planchecker.reading.geometry import even_odd, polygons_of, size
from planchecker.reading.limits import MAX_COORDINATE, OutOfRange

# Maximum distance of a chord from the curve, relative to the loop's size:
# 1e-4 of a 5 m room is 0.5 mm, far below the 0.1 % area tolerance.
RELATIVE_SAGITTA = 1e-4


def hatch_polygons(hatch: Any, min_sagitta: float) -> tuple[list[Polygon], bool]:
    """The filled area of a hatch as polygons (several when the hatch has separate parts).

    The flag is True when a self-crossing loop had to be repaired.  Curves are
    flattened to within 1e-4 of each loop's size, or `min_sagitta` if coarser.
    Raises OutOfRange for a boundary with a point that is not a number or lies
    beyond MAX_COORDINATE: the whole hatch is then skipped (and reported).
    """
    from ezdxf import path as ezpath

    loops: list[Polygon] = []
    repaired = False
    for boundary in ezpath.from_hatch(hatch):
        pts = _flatten(boundary, min_sagitta)
        if pts is not None:
            pieces, fixed = _loop_polygons(pts)
            loops.extend(pieces)
            repaired = repaired or fixed
    return even_odd(loops), repaired


def is_solid(hatch: Any) -> bool:
    """True for a SOLID fill (walls and columns are often drawn that way)."""
    try:
        if hatch.dxf.get("solid_fill", 0):
            return True
        return str(hatch.dxf.get("pattern_name", "")).upper() == "SOLID"
    except Exception:
        return False


def _flatten(path: Any, min_sagitta: float) -> np.ndarray | None:
    """The vertices of one boundary path as an (n, 2) array, or None if degenerate."""
    control = np.array([(v.x, v.y) for v in path.control_vertices()], dtype=float)
    control = control.reshape(-1, 2)
    if not (np.abs(control) <= MAX_COORDINATE).all():
        raise OutOfRange
    if len(control) < 2:
        return None
    distance = max(size(control) * RELATIVE_SAGITTA, min_sagitta, 1e-12)
    pts = np.array([(v.x, v.y) for v in path.flattening(distance, segments=8)], dtype=float)
    pts = pts.reshape(-1, 2)
    if not np.isfinite(pts).all():
        raise OutOfRange
    return pts if len(pts) >= 3 else None


def _loop_polygons(pts: np.ndarray) -> tuple[list[Polygon], bool]:
    """One loop as valid polygons (a self-crossing loop gives several pieces)."""
    polygon = Polygon(pts)
    if polygon.is_valid:
        return ([polygon] if polygon.area > 0 else []), False
    return [p for p in polygons_of(shapely.make_valid(polygon)) if p.area > 0], True
