"""The side panel: verdict, floor, failing rooms, missing functions, warnings, legend."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Finding, Floor, Review, Room
from .. import fonts
from ..common import level_name, status_word, verdict_word, word
from .states import RoomState, area_label, failure_note
from .style import (
    FILLS,
    GREEN,
    INK,
    LINEWORK,
    MUTED,
    ORANGE,
    OUTLINE,
    PANEL_ROOMS,
    PANEL_SIZE,
    PANEL_W_IN,
    RED,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


# A panel row: (kind, text, size, colour); kinds: "title", "text", "head", "swatch:<k>",
# "gap", "verdict".
PanelRow = tuple[str, str, float, str]


def _words(lang: str) -> dict[str, str]:
    zh = lang == "zh"
    return {
        "floor_area": "本层建筑面积" if zh else "Floor gross area",
        "total_area": "全楼合计" if zh else "building total",
        "verdict": "结论" if zh else "Verdict",
        "fail_here": "本层不通过的房间" if zh else "Failing rooms on this floor",
        "fail_elsewhere": "其他楼层不通过的房间" if zh else "Failing rooms on other floors",
        "missing": "缺少的功能用房" if zh else "Missing functions",
        "building": "建筑层面" if zh else "Building",
        "warnings": "警告" if zh else "Warnings",
        "legend": "图例" if zh else "Legend",
        "none": "无" if zh else "none",
        "l_fail": "不满足条款（标注条款和差额）" if zh else "fails a rule (rule and shortfall)",
        "l_pass": "满足条款" if zh else "passes its rules",
        "l_manual": "须人工核查" if zh else "to check by hand",
        "l_other": "其他房间（无面积要求）" if zh else "other room (no requirement)",
        "l_warn": "警告（面积标注不符、无名称等）" if zh else "warning (stated area, no name ...)",
        "l_lines": "原图线条" if zh else "the drawing's own linework",
        "rooms_n": "间" if zh else " rooms",
    }


def build_panel(
    review: Review, floor: Floor, rooms: Sequence[Room], states: dict[str, RoomState], lang: str
) -> list[PanelRow]:
    """The side panel's rows, top to bottom (text already wrapped to the panel)."""
    from ... import __version__

    w = _words(lang)
    zh = lang == "zh"
    colon = "：" if zh else ": "
    width_pt = PANEL_W_IN * 72 - 6
    rows: list[PanelRow] = []

    def text(s: str, size: float = PANEL_SIZE, colour: str = INK, kind: str = "text",
             indent: float = 0.0, max_lines: int = 0) -> None:
        lines = fonts.wrap(s, width_pt - indent, size)
        if max_lines and len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], lines[max_lines - 1][:-1] + "…"]
        for line in lines:
            rows.append((kind if indent == 0 else f"{kind}@{indent:g}", line, size, colour))

    def gap(h: float = 5.0) -> None:
        rows.append(("gap", "", h, ""))

    text(review.name, 11.0, INK, "title")
    floor_title = f"{floor.name}（{level_name(floor.level, lang)}）" if zh else (
        f"{floor.name} ({level_name(floor.level, lang)})"
    )
    text(floor_title, 10.0, INK, "title")
    text(
        f"{w['floor_area']}{colon}{area_label(floor.gross_area, lang)}；"
        f"{w['total_area']} {area_label(review.plan.gross_area, lang)}"
        if zh
        else f"{w['floor_area']}{colon}{area_label(floor.gross_area, lang)}; "
        f"{w['total_area']} {area_label(review.plan.gross_area, lang)}",
        PANEL_SIZE,
        MUTED,
    )
    gap(6)
    verdict = review.verdict
    rows.append(
        ("verdict", f"{w['verdict']}{colon}{verdict_word(verdict, lang)}", 13.0,
         RED if verdict == "fail" else GREEN)
    )
    n_fail = sum(1 for f in review.findings if f.status == "fail")
    n_warn = sum(1 for f in review.findings if f.status == "warn")
    n_manual = sum(1 for f in review.findings if f.status == "manual")
    tally = (
        f"不通过 {n_fail} 项，警告 {n_warn} 项，人工核查 {n_manual} 项" if zh
        else f"{n_fail} failed, {n_warn} warnings, {n_manual} to check by hand"
    )
    text(tally, PANEL_SIZE, MUTED)
    gap(8)

    here = {r.id for r in rooms}
    room_by_id = {r.id: r for r in review.plan.rooms}
    kinds = {}
    for spec in review.standard.rules:
        kinds[spec.id] = spec.kind

    # failing rooms on this floor
    text(w["fail_here"], 9.0, INK, "head")
    shown = 0
    for f in review.findings:
        ids = [rid for rid in f.rooms if rid in here] if f.status == "fail" else []
        if not ids or shown == PANEL_ROOMS:
            continue
        count = f"（本层{len(ids)}间）" if zh else f" ({len(ids)} here)"
        text(f"■ {f.rule}{count if len(ids) > 1 else ''}", PANEL_SIZE, RED)
        for rid in ids:
            if shown == PANEL_ROOMS:
                break
            shown += 1
            room = room_by_id.get(rid)
            name = (room.label or word("unlabelled", lang)) if room else rid
            measured = f" {area_label(room.area, lang)}" if room else ""
            text(
                f"{name}（{rid}）{measured}，{failure_note(review, f, lang)}" if zh
                else f"{name} ({rid}){measured}, {failure_note(review, f, lang)}",
                PANEL_SIZE, INK, indent=10, max_lines=2,
            )
    total = sum(1 for f in review.findings if f.status == "fail" for rid in f.rooms
                if rid in here)
    if total > shown:
        more = total - shown
        text(f"……另有{more}间，见审查报告" if zh else f"... and {more} more: see the report",
             PANEL_SIZE, MUTED, indent=10)
    if not total:
        text(w["none"], PANEL_SIZE, MUTED)
    elsewhere = sorted(
        {
            room_by_id[rid].level
            for f in review.findings
            if f.status == "fail"
            for rid in f.rooms
            if rid not in here and rid in room_by_id
        }
    )
    if elsewhere:
        gap(2)
        where = ("、" if zh else ", ").join(level_name(lv, lang) for lv in elsewhere)
        text(f"{w['fail_elsewhere']}{colon}{where}", PANEL_SIZE, RED)
    gap(7)

    # missing functions: failing findings that name no room (gross area is building-level)
    text(w["missing"], 9.0, INK, "head")
    missing = [
        f for f in review.findings
        if f.status == "fail" and not f.rooms and kinds.get(f.rule) != "gross_area"
    ]
    if missing:
        for f in missing:
            text(f"■ {f.rule}", PANEL_SIZE, RED)
            text(f.message(lang), PANEL_SIZE, INK, indent=10)
    else:
        text(w["none"], PANEL_SIZE, MUTED)
    gap(7)

    # building-level rules: gross area, floor placement
    text(w["building"], 9.0, INK, "head")
    building = [
        f for f in review.findings
        if kinds.get(f.rule) in ("gross_area", "floor_placement") and f.status != "skip"
    ]
    for f in building:
        colour = RED if f.status == "fail" else (GREEN if f.status == "pass" else MUTED)
        mark = "✗" if f.status == "fail" else ("✓" if f.status == "pass" else "·")
        if mark == "✗" and "✗" in fonts.missing("✗"):
            mark = "×"
        text(f"{mark} {f.rule}  {status_word(f.status, lang)}", PANEL_SIZE, colour)
        text(f.message(lang), 7.0, INK, indent=10)
    if not building:
        text(w["none"], PANEL_SIZE, MUTED)
    gap(7)

    # warnings that name rooms of this floor, or no room at all
    warns = [
        f for f in review.findings
        if f.status == "warn" and (not f.rooms or any(rid in here for rid in f.rooms))
    ]
    if warns:
        text(w["warnings"], 9.0, INK, "head")
        by_rule: dict[str, list[Finding]] = {}
        for f in warns:
            by_rule.setdefault(f.rule, []).append(f)
        for rule, found in by_rule.items():
            n_here = sum(1 for f in found for rid in f.rooms if rid in here)
            suffix = f"（本层{n_here}间）" if zh and n_here else (
                f" ({n_here} rooms here)" if n_here else ""
            )
            text(f"▨ {rule}{suffix}", PANEL_SIZE, ORANGE)
            message = ("；" if zh else "; ").join(f.message(lang) for f in found if f.message(lang))
            if message:
                text(message, 7.0, INK, indent=10, max_lines=3)
        gap(7)

    text(w["legend"], 9.0, INK, "head")
    for key, label in (
        ("fail", w["l_fail"]),
        ("pass", w["l_pass"]),
        ("manual", w["l_manual"]),
        ("other", w["l_other"]),
        ("warn", w["l_warn"]),
        ("lines", w["l_lines"]),
    ):
        rows.append((f"swatch:{key}", label, PANEL_SIZE, INK))
    gap(8)
    std = review.standard
    text(
        f"planchecker {__version__} · {std.id} · "
        f"{std.build_type_name(review.build_type, lang)}",
        6.5, MUTED,
    )
    if floor.file:
        text(Path(floor.file).name, 6.5, MUTED)
    return rows


def _row_height(row: PanelRow) -> float:
    kind, _, size, _ = row
    if kind == "gap":
        return size / 72.0
    if kind == "verdict":
        return (size * 1.9) / 72.0
    if kind.startswith("swatch:"):
        return max(size * 1.45, 12.0) / 72.0
    return size * 1.32 / 72.0


def panel_height(rows: Sequence[PanelRow]) -> float:
    return sum(_row_height(r) for r in rows)


def draw_panel(fig: Figure, rows: Sequence[PanelRow], top_left, fig_size) -> None:
    """Draw the panel rows from `top_left` (inches) downward."""
    from matplotlib.patches import FancyBboxPatch, Rectangle

    left, top = top_left
    fig_w, fig_h = fig_size
    height = panel_height(rows)
    ax = fig.add_axes(
        (left / fig_w, (top - height) / fig_h, PANEL_W_IN / fig_w, height / fig_h), frameon=False
    )
    ax.set_axis_off()
    ax.set_xlim(0, PANEL_W_IN)
    ax.set_ylim(0, height)
    y = height
    for row in rows:
        kind, text, size, colour = row
        h = _row_height(row)
        indent = 0.0
        if "@" in kind:
            kind, ind = kind.split("@")
            indent = float(ind) / 72.0
        mid = y - h / 2
        if kind == "verdict":
            ax.add_patch(
                FancyBboxPatch(
                    (0.0, y - h + 0.04), PANEL_W_IN - 0.05, h - 0.08,
                    boxstyle="round,pad=0,rounding_size=0.05",
                    facecolor=colour, edgecolor="none", alpha=0.14,
                )
            )
            ax.text(0.1, mid, text, ha="left", va="center", fontproperties=fonts.props(size),
                    color=colour)
        elif kind.startswith("swatch:"):
            key = kind.split(":", 1)[1]
            sw, sh = 0.32, 0.13
            sx, sy = 0.02, mid - sh / 2
            if key == "lines":
                for dy in (-0.035, 0.035):
                    ax.plot([sx, sx + sw], [mid + dy, mid + dy], color=LINEWORK, linewidth=0.8)
            elif key == "warn":
                ax.add_patch(Rectangle((sx, sy), sw, sh, facecolor="white", edgecolor=OUTLINE,
                                       linewidth=0.6))
                ax.add_patch(Rectangle((sx, sy), sw, sh, facecolor="none", edgecolor=ORANGE,
                                       linewidth=0.0, hatch="///"))
            else:
                fill, alpha = FILLS[key]
                ax.add_patch(Rectangle((sx, sy), sw, sh, facecolor=fill, alpha=alpha,
                                       edgecolor="none"))
                ax.add_patch(Rectangle((sx, sy), sw, sh, facecolor="none",
                                       edgecolor=RED if key == "fail" else OUTLINE,
                                       linewidth=1.2 if key == "fail" else 0.6))
            ax.text(sx + sw + 0.1, mid, text, ha="left", va="center",
                    fontproperties=fonts.props(size), color=colour)
        elif kind != "gap":
            ax.text(indent, mid, text, ha="left", va="center", fontproperties=fonts.props(size),
                    color=colour)
        y -= h
