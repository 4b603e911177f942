"""Composing one floor's sheet: the plan scaled to its size or to a page, beside
the panel, with the pixel frame and label marks a caller reads back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ...model import Floor, Review, Room
from .draw import draw_labels, draw_linework, draw_rooms, draw_strip
from .frame import PixelFrame, RoomMark
from .layout import place_labels
from .panel import build_panel, draw_panel, panel_height
from .states import RoomState, room_states
from .style import (
    DEFAULT_DPI,
    MAX_PLAN_IN,
    MIN_SCALE_IN_PER_M,
    PAD_IN,
    PANEL_W_IN,
    PLAN_LONG_SIDE_IN,
    PLAN_MARGIN_IN,
    STRIP_IN,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass
class Sheet:
    figure: Figure
    frame: PixelFrame
    marks: tuple[RoomMark, ...]



def plan_scale(width_m: float, height_m: float) -> float:
    """Inches per metre for a floor of this size in a PNG.

    A small floor is drawn 10 inches on its long side; a big one no smaller than
    0.15 in/m (so that a 100 m floor is 15 inches, 2250 pixels at 150 dpi), and no
    floor longer than 24 inches.
    """
    long_side = max(width_m, height_m, 1.0)
    scale = max(PLAN_LONG_SIDE_IN / long_side, MIN_SCALE_IN_PER_M)
    return min(scale, MAX_PLAN_IN / long_side)


def world_bounds(review: Review, floor: Floor, rooms: Sequence[Room]) -> tuple[float, ...]:
    """The box the plan shows: the floor outline and its rooms (linework may overhang)."""
    geoms = [floor.outline] + [r.polygon for r in rooms]
    boxes = np.array([g.bounds for g in geoms if g is not None and not g.is_empty], dtype=float)
    boxes = boxes[np.all(np.isfinite(boxes), axis=1)] if len(boxes) else boxes
    if not len(boxes):
        lines = review.plan.linework.get(floor.level)
        if lines is not None and len(lines):
            pts = np.asarray(lines, dtype=float).reshape(-1, 2)
            return (*pts.min(axis=0), *pts.max(axis=0))
        x0, y0, x1, y1 = floor.frame
        if x1 > x0 and y1 > y0:
            return (x0, y0, x1, y1)
        return (0.0, 0.0, 10.0, 10.0)
    return (
        float(boxes[:, 0].min()),
        float(boxes[:, 1].min()),
        float(boxes[:, 2].max()),
        float(boxes[:, 3].max()),
    )


def compose(
    review: Review,
    floor: Floor,
    lang: str,
    *,
    dpi: int = DEFAULT_DPI,
    states: dict[str, RoomState] | None = None,
    page: tuple[float, float] | None = None,
) -> Sheet:
    """Lay out and draw one floor on a new Figure (no pyplot, no global state).

    Without `page` the figure is sized to the floor (`plan_scale`); with `page`
    (width, height in inches) the plan is scaled to fit that page beside the panel.
    """
    from matplotlib.figure import Figure

    states = states if states is not None else room_states(review, lang)
    rooms = [r for r in review.plan.rooms if r.level == floor.level]
    bx0, by0, bx1, by1 = world_bounds(review, floor, rooms)
    width_m, height_m = max(bx1 - bx0, 1.0), max(by1 - by0, 1.0)

    panel = build_panel(review, floor, rooms, states, lang)
    panel_h = panel_height(panel)

    if page is None:
        scale = plan_scale(width_m, height_m)
        plan_w = width_m * scale + 2 * PLAN_MARGIN_IN
        plan_h = height_m * scale + 2 * PLAN_MARGIN_IN
        fig_w = PAD_IN + plan_w + PAD_IN + PANEL_W_IN + PAD_IN
        fig_h = PAD_IN + max(plan_h + STRIP_IN, panel_h) + PAD_IN
    else:
        fig_w, fig_h = page
        room_w = fig_w - 3 * PAD_IN - PANEL_W_IN - 2 * PLAN_MARGIN_IN
        room_h = fig_h - 2 * PAD_IN - STRIP_IN - 2 * PLAN_MARGIN_IN
        scale = max(min(room_w / width_m, room_h / height_m), 1e-3)
        plan_w = width_m * scale + 2 * PLAN_MARGIN_IN
        plan_h = height_m * scale + 2 * PLAN_MARGIN_IN

    # whole pixels, so that the pixel frame is exact
    px_w, px_h = max(1, round(fig_w * dpi)), max(1, round(fig_h * dpi))
    fig_w, fig_h = px_w / dpi, px_h / dpi

    margin_m = PLAN_MARGIN_IN / scale
    x0, y0 = bx0 - margin_m, by0 - margin_m
    x1, y1 = x0 + plan_w / scale, y0 + plan_h / scale
    plan_left = PAD_IN
    plan_bottom = fig_h - PAD_IN - plan_h  # the plan hangs from the top ...
    if page is not None:  # ... or, on a page, sits in the middle of what the panel leaves
        plan_bottom = fig_h / 2 - (plan_h - STRIP_IN) / 2
        plan_left = PAD_IN + max(0.0, (fig_w - 3 * PAD_IN - PANEL_W_IN - plan_w) / 2)

    labels = place_labels(rooms, states, lang, scale, (x0, y0, x1, y1))

    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi, facecolor="white")
    ax = fig.add_axes(
        (plan_left / fig_w, plan_bottom / fig_h, plan_w / fig_w, plan_h / fig_h),
        frameon=False,
    )
    ax.set_axis_off()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)

    draw_linework(ax, review.plan.linework.get(floor.level))
    draw_rooms(ax, rooms, states)
    draw_labels(ax, labels, scale)

    strip_bottom = plan_bottom - STRIP_IN
    draw_strip(fig, (plan_left, strip_bottom, plan_w, STRIP_IN), (fig_w, fig_h), scale, lang)

    panel_left = PAD_IN + plan_w + PAD_IN if page is None else fig_w - PAD_IN - PANEL_W_IN
    draw_panel(fig, panel, (panel_left, fig_h - PAD_IN), (fig_w, fig_h))

    frame = PixelFrame(
        x0=x0,
        y0=y0,
        px_per_m=scale * dpi,
        left=plan_left * dpi,
        bottom=plan_bottom * dpi,
        width=px_w,
        height=px_h,
    )
    marks = tuple(
        RoomMark(
            id=lb.room.id,
            status=lb.state.status,
            warned=bool(lb.state.warnings),
            lines=lb.head + lb.notes,
            size=lb.size,
            box=lb.box,
            leader=lb.leader,
        )
        for lb in labels
    )
    return Sheet(figure=fig, frame=frame, marks=marks)

