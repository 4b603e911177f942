"""Faces enclosed by wall lines: rooms where the drawing has no room outlines.

Wall lines are noded (`union_all` splits every line where another crosses it, on a
1 µm grid so that ends a rounding error apart still meet) and `polygonize`d into
the faces they enclose.  Double-line walls also enclose the
thin strip between their two faces; those strips are walls, not rooms, but they are
part of the building for its gross area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

from .openings import TOUCH, close_openings

# A face narrower than this (2 × area / perimeter, metres) is the inside of a wall.
# 370 mm brick walls give about 0.35; the narrowest corridor about 1.0.
MAX_WALL_WIDTH = 0.45
MIN_FACE_AREA = 1.0


@dataclass(frozen=True, eq=False)
class WallFaces:
    """The faces wall lines enclose, split into room-sized faces and wall strips."""

    rooms: tuple[Polygon, ...]
    strips: tuple[Polygon, ...]

    @property
    def single_line(self) -> bool:
        """Walls drawn as single centre lines: (almost) no strips between double
        lines.  Window symbols and door openings make a few small strips even in a
        centre-line plan; double walls make strips of 5-15% of the floor."""
        if not self.rooms:
            return False
        strip_area = sum(p.area for p in self.strips)
        return strip_area < 0.02 * sum(p.area for p in self.rooms)

    def all_faces(self) -> list[Polygon]:
        return [*self.rooms, *self.strips]


def wall_faces(
    segments: np.ndarray, close: bool = True, doors: np.ndarray | None = None
) -> WallFaces:
    """Polygonise (N, 2, 2) wall segments into room faces and wall strips.

    With `close`, door openings are closed first (see `openings`), so that a room
    is not one face with the corridor it opens onto; `doors` (the lines of door
    blocks) let wider doorways close too.
    """
    if len(segments) == 0:
        return WallFaces((), ())
    segments = segments[np.isfinite(segments).all(axis=(1, 2))]
    lengths = np.hypot(*(segments[:, 1] - segments[:, 0]).T)
    segments = segments[lengths > 1e-6]
    if len(segments) == 0:
        return WallFaces((), ())
    segments = _unique(segments)
    if close:
        extra = close_openings(segments, doors)
        if len(extra):
            segments = np.concatenate([segments, extra])
    lines = shapely.linestrings(segments)
    noded = shapely.union_all(lines, grid_size=TOUCH)
    parts = shapely.get_parts(noded)
    faces = shapely.get_parts(shapely.polygonize(parts))
    if len(faces) == 0:
        return WallFaces((), ())
    areas = shapely.area(faces)
    widths = 2.0 * areas / np.maximum(shapely.length(faces), 1e-12)
    is_room = (widths >= MAX_WALL_WIDTH) & (areas >= MIN_FACE_AREA)
    return WallFaces(tuple(faces[is_room]), tuple(faces[~is_room]))


def _unique(segments: np.ndarray) -> np.ndarray:
    """Each line once, whichever way it was drawn: a wall drawn twice would make
    every end look joined, and no opening would close."""
    start, end = segments[:, 0], segments[:, 1]
    swap = (start[:, 0] > end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] > end[:, 1]))
    ordered = np.where(swap[:, None, None], segments[:, ::-1], segments)
    key = np.round(ordered.reshape(len(segments), 4) / TOUCH)
    _, first = np.unique(key, axis=0, return_index=True)
    return ordered[np.sort(first)]
