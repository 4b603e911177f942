"""Drawing on a matplotlib Figure: linework, rooms, labels, the scale strip."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from shapely.geometry import Polygon

from ...model import Room
from .. import fonts
from .layout import Label
from .states import RoomState
from .style import DARK_RED, FILLS, INK, LINEWORK, MUTED, ORANGE, OUTLINE, PLAN_MARGIN_IN, RED

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def polygon_path(polygon: Polygon):
    """A matplotlib Path for a polygon with its holes (each ring closed)."""
    from matplotlib.path import Path as MplPath

    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    geoms = getattr(polygon, "geoms", [polygon])
    for poly in geoms:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            pts = np.asarray(ring.coords, dtype=float)
            if len(pts) < 3:
                continue
            c = np.full(len(pts), MplPath.LINETO, dtype=np.uint8)
            c[0] = MplPath.MOVETO
            c[-1] = MplPath.CLOSEPOLY
            verts.append(pts)
            codes.append(c)
    if not verts:
        return MplPath(np.zeros((1, 2)), [MplPath.MOVETO])
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def draw_linework(ax: Axes, segments) -> None:
    from matplotlib.collections import LineCollection

    if segments is None or not len(segments):
        return
    segs = np.asarray(segments, dtype=float)
    ax.add_collection(
        LineCollection(segs, colors=LINEWORK, linewidths=0.5, zorder=1, capstyle="round"),
        autolim=False,
    )


def draw_rooms(ax: Axes, rooms: Sequence[Room], states: dict[str, RoomState]) -> None:
    from matplotlib.collections import PathCollection

    by_status: dict[str, list] = defaultdict(list)
    hatched, failing, outlines = [], [], []
    for room in rooms:
        state = states.get(room.id, RoomState("other"))
        path = polygon_path(room.polygon)
        by_status[state.status].append(path)
        outlines.append(path)
        if state.warnings:
            hatched.append(path)
        if state.status == "fail":
            failing.append(path)
    for status in ("other", "manual", "pass", "fail"):
        if by_status[status]:
            colour, alpha = FILLS[status]
            ax.add_collection(
                PathCollection(
                    by_status[status], facecolors=colour, edgecolors="none", alpha=alpha, zorder=2
                ),
                autolim=False,
            )
    if hatched:
        ax.add_collection(
            PathCollection(
                hatched,
                facecolors="none",
                edgecolors=ORANGE,
                linewidths=0.0,
                hatch="///",
                zorder=3,
            ),
            autolim=False,
        )
    if outlines:
        ax.add_collection(
            PathCollection(outlines, facecolors="none", edgecolors=OUTLINE, linewidths=0.7,
                           zorder=4),
            autolim=False,
        )
    if failing:
        ax.add_collection(
            PathCollection(failing, facecolors="none", edgecolors=RED, linewidths=1.6, zorder=4),
            autolim=False,
        )


def draw_labels(ax: Axes, labels: Sequence[Label], scale: float) -> None:
    from matplotlib.patches import FancyBboxPatch

    m_per_pt = 1.0 / 72.0 / scale
    for lb in labels:
        lines = lb.head + lb.notes
        if not lines:
            continue
        cx, cy = lb.centre
        line_h = lb.size * fonts.LINE_HEIGHT_EM * m_per_pt
        total = line_h * len(lines)
        if not lb.inside:
            x0, y0, x1, y1 = lb.box
            ax.add_patch(
                FancyBboxPatch(
                    (x0, y0), x1 - x0, y1 - y0,
                    boxstyle="round,pad=0,rounding_size=%g" % (0.04 / scale),
                    facecolor="white", edgecolor=RED if lb.state.status == "fail" else MUTED,
                    linewidth=0.6, alpha=0.92, zorder=6,
                )
            )
        if lb.leader:
            ax_, ay_ = lb.anchor
            x0, y0, x1, y1 = lb.box
            ex, ey = min(max(ax_, x0), x1), min(max(ay_, y0), y1)
            colour = RED if lb.state.status == "fail" else MUTED
            ax.plot([ax_, ex], [ay_, ey], color=colour, linewidth=0.6, zorder=5.5)
            ax.plot([ax_], [ay_], marker="o", markersize=2.2, color=colour, zorder=5.5)
        top = cy + total / 2
        fp = fonts.props(lb.size)
        # one text a block (name and area, then the failing notes): fewer, faster texts
        for block, colour, first in ((lb.head, INK, 0), (lb.notes, DARK_RED, len(lb.head))):
            if block:
                ax.text(
                    cx, top - (first + len(block) / 2) * line_h, "\n".join(block),
                    ha="center", va="center", multialignment="center",
                    fontproperties=fp, color=colour, zorder=7,
                )


def nice_length(max_m: float) -> float:
    """The longest 1, 2 or 5 x 10^k metres not above `max_m`."""
    if max_m <= 0:
        return 1.0
    k = math.floor(math.log10(max_m))
    for m in (5, 2, 1):
        if m * 10**k <= max_m:
            return float(m * 10**k)
    return float(10**k)


def draw_strip(fig: Figure, box, fig_size, scale: float, lang: str) -> None:
    """Under the plan: a scale bar in metres (left) and the orientation note (right)."""
    from matplotlib.patches import Rectangle

    left, bottom, width, height = box
    fig_w, fig_h = fig_size
    ax = fig.add_axes((left / fig_w, bottom / fig_h, width / fig_w, height / fig_h), frameon=False)
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)  # inches
    length = nice_length(min(2.0, width * 0.45) / scale)
    bar = length * scale
    x, y, h = PLAN_MARGIN_IN, height * 0.55, 0.06
    for i in range(4):
        ax.add_patch(
            Rectangle((x + i * bar / 4, y), bar / 4, h, facecolor=INK if i % 2 == 0 else "white",
                      edgecolor=INK, linewidth=0.6)
        )
    fp = fonts.props(7)
    for value, pos in ((0, 0.0), (length / 2, 0.5), (length, 1.0)):
        ax.text(x + pos * bar, y - 0.05, f"{value:g}", ha="center", va="top", fontproperties=fp,
                color=INK)
    ax.text(x + bar + 0.08, y + h / 2, "m" if lang == "en" else "米", ha="left", va="center",
            fontproperties=fp, color=INK)
    note = (
        "↑ 按原图方向绘制（图纸上方朝上，非指北针）" if lang == "zh"
        else "↑ shown as drawn: the drawing's top is up (not a north arrow)"
    )
    ax.text(width - PLAN_MARGIN_IN * 0.5, y + h / 2, note, ha="right", va="center",
            fontproperties=fonts.props(7), color=MUTED)


