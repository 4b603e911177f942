"""What a rendered floor tells its caller: the pixel frame and where each label went."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PixelFrame:
    """How world metres map to the pixels of a rendered floor image.

    `to_pixels` turns (x, y) in metres (the drawing's own axes) into (column, row)
    pixel coordinates with row 0 at the top, as `matplotlib.image.imread` or PIL
    index the image.
    """

    x0: float  # world x at the plan area's left edge
    y0: float  # world y at the plan area's bottom edge
    px_per_m: float
    left: float  # plan area's left edge, pixels from the image's left
    bottom: float  # plan area's bottom edge, pixels from the image's bottom
    width: int  # image size in pixels
    height: int

    def to_pixels(self, xy) -> np.ndarray:
        pts = np.asarray(xy, dtype=float).reshape(-1, 2)
        col = self.left + (pts[:, 0] - self.x0) * self.px_per_m
        row = self.height - (self.bottom + (pts[:, 1] - self.y0) * self.px_per_m)
        return np.column_stack([col, row])

    def box_to_pixels(self, box: tuple[float, float, float, float]) -> tuple[float, ...]:
        """A world box (x0, y0, x1, y1) as a pixel box (col0, row0, col1, row1)."""
        (c0, r1), (c1, r0) = self.to_pixels([(box[0], box[1]), (box[2], box[3])])
        return (float(c0), float(r0), float(c1), float(r1))


@dataclass(frozen=True)
class RoomMark:
    """How one room was drawn: its colour class, warning hatch and label."""

    id: str
    status: str  # "fail", "pass", "manual" or "other"
    warned: bool
    lines: tuple[str, ...]
    size: float  # label font size in points
    box: tuple[float, float, float, float]  # label box in world metres (x0, y0, x1, y1)
    leader: bool  # the label sits outside the room, joined by a leader line


@dataclass(frozen=True)
class FloorOverlay:
    """A rendered floor: the PNG and what a test or a caller needs to read it back."""

    level: int
    tag: str  # "F1", "B1"
    filename: str
    png: bytes
    frame: PixelFrame
    rooms: tuple[RoomMark, ...]

    def label_boxes(self) -> list[tuple[float, float, float, float]]:
        """Every label's box in pixels (col0, row0, col1, row1)."""
        return [self.frame.box_to_pixels(m.box) for m in self.rooms]

