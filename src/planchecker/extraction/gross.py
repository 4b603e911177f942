"""A floor's outer outline, on which its gross building area (建筑面积) is measured.

Building area is measured to the outer face of the external walls.  Where the
drawing has an outer wall line (a closed outline holding every room), that is the
outline.  Otherwise the rooms and the wall strips between them are united, and the
small gaps an undrawn wall leaves are closed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from ..model import Outline
from .layers import Role, block_is_clutter, layer_role
from .walls import WallFaces

# Gaps narrower than twice this (metres) between rooms are walls that were not drawn.
CLOSE_GAP = 0.3
# Holes left inside the united outline smaller than this (m²) are gaps, not courtyards.
MAX_GAP_HOLE = 4.0


def outer_outline(
    outlines: Sequence[Outline],
    room_polygons: Sequence[Polygon],
    faces: WallFaces | None,
) -> tuple[BaseGeometry, str]:
    """The floor's outline and where it came from: "outer_wall" or "rooms_and_walls"."""
    wall_line = _outer_wall_line(outlines, room_polygons)
    if wall_line is not None:
        return wall_line, "outer_wall"
    parts = list(room_polygons)
    if faces is not None:
        parts += faces.all_faces()
    if not parts:
        return Polygon(), "rooms_and_walls"
    united = shapely.union_all(np.array(parts, dtype=object))
    closed = united.buffer(CLOSE_GAP, join_style="mitre").buffer(-CLOSE_GAP, join_style="mitre")
    return _fill_small_holes(closed), "rooms_and_walls"


def _outer_wall_line(outlines: Sequence[Outline], rooms: Sequence[Polygon]) -> Polygon | None:
    """The smallest closed outline holding every room, if the drawing has one."""
    if not rooms:
        return None
    points = shapely.get_coordinates(shapely.point_on_surface(np.array(list(rooms), dtype=object)))
    room_area = sum(r.area for r in rooms)
    largest_room = max(r.area for r in rooms)
    best = None
    for outline in outlines:
        role = layer_role(outline.layer)
        if role in (Role.FURNITURE, Role.ANNOTATION, Role.FRAME) or block_is_clutter(outline.block):
            continue
        polygon = outline.polygon
        too_small = polygon.area < room_area * 0.999 or polygon.area <= largest_room * 1.01
        if too_small or (best is not None and polygon.area >= best.area):
            continue  # too small to hold the rooms, or one of them
        if shapely.contains_xy(polygon, points[:, 0], points[:, 1]).all():
            best = polygon
    return best


def _fill_small_holes(geometry: BaseGeometry) -> BaseGeometry:
    polygons = []
    for part in shapely.get_parts(geometry):
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        holes = [ring for ring in part.interiors if Polygon(ring).area > MAX_GAP_HOLE]
        polygons.append(Polygon(part.exterior, holes))
    if not polygons:
        return Polygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
