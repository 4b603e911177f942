"""The PDF review sheet (`review --pdf FILE`): 审查意见 a county can put in the file.

Page 1 (A4 portrait, continued on further pages when long): the centre, the drawings
with their SHA-256 hashes, the standard (with its file's hash), build type, units,
the verdict, and the full checklist: one row a rule with its requirement, what was
measured, the status and the rooms it judged, grouped as the standard groups them;
items a person must check (`manual`) carry tick boxes (符合 / 不符合), and a box for
the reviewer's opinion, name and date closes the checklist.  Then one page a floor
(A3 landscape) with the floor's overlay, drawn as vectors.

Every text is set in the shipped Noto Sans SC (see `fonts`), embedded in the PDF as
a Type 3 subset with a ToUnicode map, so the PDF shows the same on any machine and
its text can be searched and extracted.  The file is deterministic: no creation date,
fixed producer, so that the same review gives a byte-identical PDF.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_write
from ..model import Finding, Review
from . import fonts
from .common import counts as status_counts
from .common import (
    level_name,
    quantity,
    reliability_note,
    rule_text,
    sections,
    status_word,
    tally,
    units_line,
    verdict_word,
    word,
)
from .overlay import (
    GREEN,
    INK,
    MUTED,
    ORANGE,
    RED,
    compose,
    drawing_context,
    floors_in_order,
    room_states,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

A4_PORTRAIT = (8.27, 11.69)  # inches
A3_LANDSCAPE = (16.54, 11.69)
MARGIN = 42.0  # points
TABLE_SIZE = 7.0
CELL_PAD = 3.0
LIGHT = "#eeeeee"
RULE_LINE = "#9e9e9e"

# column: (key, width in points); the widths add up to the text block (511 pt)
COLUMNS = (
    ("col_rule", 118.0),
    ("col_requirement", 170.0),
    ("col_measured", 60.0),
    ("col_status", 58.0),
    ("col_rooms", 105.0),
)

_SHEET = {
    "title": {"zh": "社区党员群众服务中心建设平面图审查意见", "en": "Plan review sheet"},
    "subtitle": {
        "zh": "按平面图自动审查，人工核查项须由审查人勾选",
        "en": "Community Party-member and public service centre: checked automatically "
        "from the floor plans; items marked for hand checking are ticked by the reviewer",
    },
    "hash": {"zh": "SHA-256", "en": "SHA-256"},
    "standard_hash": {"zh": "标准文件 SHA-256", "en": "standard file SHA-256"},
    "checklist": {"zh": "逐条审查结果", "en": "Checklist"},
    "complies": {"zh": "符合", "en": "complies"},
    "not_complies": {"zh": "不符合", "en": "does not"},
    "opinion": {"zh": "审查意见", "en": "Reviewer's opinion"},
    "reviewer": {"zh": "审查人（签字）", "en": "Reviewer (signature)"},
    "date": {"zh": "日期", "en": "Date"},
    "page": {"zh": "第 {n} 页 / 共 {total} 页", "en": "page {n} of {total}"},
    "floor_pages": {"zh": "各层审查图见后页", "en": "Annotated floor plans follow"},
    "continued": {"zh": "（续）", "en": " (continued)"},
    "unreadable": {"zh": "（无法读取）", "en": "(cannot be read)"},
    "more_rooms": {"zh": "等{n}间", "en": "and {n} more"},
}


def _w(key: str, lang: str) -> str:
    return _SHEET[key]["zh" if lang == "zh" else "en"]


# ---------------------------------------------------------------------- entry points


def render_pdf(review: Review, lang: str = "zh") -> bytes:
    """The whole review sheet as PDF bytes."""
    from matplotlib.backends.backend_pdf import PdfPages

    from .. import __version__

    lang = "zh" if lang == "zh" else "en"
    buf = io.BytesIO()
    with drawing_context():
        pages = checklist_pages(review, lang)
        states = room_states(review, lang)
        for fl in floors_in_order(review):
            sheet = compose(review, fl, lang, dpi=72, states=states, page=A3_LANDSCAPE)
            pages.append(sheet.figure)
        total = len(pages)
        for n, fig in enumerate(pages, start=1):
            _footer(fig, review, lang, n, total)
        metadata = {
            "Title": f"{_w('title', lang)}：{review.name}" if lang == "zh"
            else f"{_w('title', lang)}: {review.name}",
            "Subject": review.standard.id,
            "Creator": f"planchecker {__version__}",
            "Producer": f"planchecker {__version__}",
            "CreationDate": None,
        }
        with PdfPages(buf, metadata=metadata) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    return buf.getvalue()


def write_pdf(review: Review, path: str | os.PathLike, lang: str = "zh") -> Path:
    """Write the review sheet to `path` (atomically: see `planchecker.atomic`)."""
    target = Path(path)
    data = render_pdf(review, lang)
    atomic_write(target, data)
    return target


def file_hash(path: str) -> str | None:
    """SHA-256 of a drawing as it is on disk now, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


# ------------------------------------------------------------------------ checklist


@dataclass(frozen=True)
class Para:
    """A paragraph of a cell: text, colour, size (wrapped when laid out)."""

    text: str
    colour: str = INK
    size: float = TABLE_SIZE


@dataclass
class Row:
    kind: str  # "head" (column headings), "group", "finding"
    cells: list[list[Para]]
    status: str = ""
    height: float = 0.0
    lines: list[list[tuple[str, str, float]]] | None = None  # wrapped, per cell


def _status_colour(status: str) -> str:
    return {"fail": RED, "pass": GREEN, "warn": ORANGE}.get(status, MUTED)


def measured_text(f: Finding, lang: str) -> str:
    if f.measured is None:
        return "—"
    if f.unit == "level":
        return level_name(int(f.measured), lang)
    return quantity(f.measured, f.unit, lang)


def rooms_text(review: Review, f: Finding, lang: str, limit: int = 6) -> str:
    by_id = {r.id: r for r in review.plan.rooms}
    parts = []
    for rid in f.rooms[:limit]:
        room = by_id.get(rid)
        label = (room.label or word("unlabelled", lang)) if room else ""
        parts.append(f"{label}（{rid}）" if lang == "zh" else f"{label} ({rid})")
    text = ("、" if lang == "zh" else ", ").join(parts)
    if len(f.rooms) > limit:
        more = _w("more_rooms", lang).format(n=len(f.rooms))
        text += more if lang == "zh" else f", {more}"
    return text or "—"


def checklist_rows(review: Review, lang: str) -> list[Row]:
    """The checklist's rows: a group heading, then one row a finding."""
    rows: list[Row] = []
    for section in sections(review):
        rows.append(Row("group", [[Para(section.title(lang), INK, 8.0)]]))
        for f in section.findings:
            try:
                source = review.standard.rule(f.rule).source
            except KeyError:
                source = ""
            rule_cell = [Para(f.rule, INK)]
            if source and source != "—":
                rule_cell.append(Para(source, MUTED, 6.0))
            requirement = rule_text(review, f.rule, lang)
            message = f.message(lang)
            req_cell = [Para(requirement or message)]
            says_more = requirement not in message or len(message) > len(requirement) + 8
            if requirement and message and says_more and f.status != "pass":
                req_cell.append(Para(message, _status_colour(f.status), 6.3))
            status_cell = (
                [Para("")]  # tick boxes drawn in place
                if f.status == "manual"
                else [Para(status_word(f.status, lang), _status_colour(f.status), 7.5)]
            )
            rows.append(
                Row(
                    "finding",
                    [
                        rule_cell,
                        req_cell,
                        [Para(measured_text(f, lang))],
                        status_cell,
                        [Para(rooms_text(review, f, lang))],
                    ],
                    status=f.status,
                )
            )
    return rows


def _layout(row: Row) -> None:
    """Wrap every cell to its column; set the row's height (points)."""
    row.lines = []
    height = 0.0
    widths = [w for _, w in COLUMNS] if row.kind != "group" else [sum(w for _, w in COLUMNS)]
    for cell, width in zip(row.cells, widths, strict=False):
        lines: list[tuple[str, str, float]] = []
        for para in cell:
            for line in fonts.wrap(para.text, width - 2 * CELL_PAD, para.size):
                lines.append((line, para.colour, para.size))
        row.lines.append(lines)
        h = sum(size * 1.25 for _, _, size in lines)
        height = max(height, h)
    if row.kind == "finding" and row.status == "manual":
        height = max(height, 2 * TABLE_SIZE * 1.6)
    row.height = height + 2 * CELL_PAD


def _new_page() -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_PORTRAIT, dpi=72, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1), frameon=False)
    ax.set_axis_off()
    ax.set_xlim(0, A4_PORTRAIT[0] * 72)
    ax.set_ylim(0, A4_PORTRAIT[1] * 72)
    return fig, ax


def _text(ax: Axes, x: float, y: float, s: str, size: float, colour: str = INK, **kw) -> None:
    kw.setdefault("ha", "left")
    kw.setdefault("va", "top")
    ax.text(x, y, s, fontproperties=fonts.props(size), color=colour, **kw)


def _header_block(ax: Axes, review: Review, lang: str, top: float) -> float:
    """Title, facts and verdict; returns the y below them."""
    from .. import __version__

    zh = lang == "zh"
    left = MARGIN
    width = A4_PORTRAIT[0] * 72 - 2 * MARGIN
    y = top
    _text(ax, left, y, _w("title", lang), 15.0)
    y -= 21
    for line in fonts.wrap(_w("subtitle", lang), width, 7.5):
        _text(ax, left, y, line, 7.5, MUTED)
        y -= 10
    y -= 8

    std = review.standard
    label_w = 78.0
    value_w = width - label_w
    facts: list[tuple[str, list[tuple[str, str, float]]]] = []
    facts.append((word("centre", lang), [(review.name, INK, 9.0)]))
    drawing_lines = []
    for path in review.plan.files:
        digest = file_hash(path)
        drawing_lines.append((Path(path).name, INK, 8.0))
        drawing_lines.append(
            (f"{_w('hash', lang)} {digest}" if digest else _w("unreadable", lang), MUTED, 6.5)
        )
    facts.append((word("files", lang), drawing_lines))
    standard = f"{std.title}（{std.id}）" if zh else f"{std.title_en} ({std.id})"
    std_lines = [(standard, INK, 8.0)]
    if std.sha256:
        std_lines.append((f"{_w('standard_hash', lang)} {std.sha256}", MUTED, 6.5))
    facts.append((word("standard", lang), std_lines))
    facts.append(
        (word("build_type", lang), [(std.build_type_name(review.build_type, lang), INK, 8.0)])
    )
    facts.append((word("units", lang), [(units_line(review.plan.units, lang), INK, 7.5)]))
    facts.append((word("version", lang), [(f"planchecker {__version__}", INK, 8.0)]))
    for label, lines in facts:
        _text(ax, left, y, label, 8.0, MUTED)
        y0 = y
        for text, colour, size in lines:
            for line in fonts.wrap(text, value_w, size):
                _text(ax, left + label_w, y, line, size, colour)
                y -= size * 1.3
        y = min(y, y0 - 8.0 * 1.3) - 3
    y -= 4

    # the verdict, boxed
    from matplotlib.patches import FancyBboxPatch

    colour = RED if review.verdict == "fail" else GREEN
    box_h = 30.0
    ax.add_patch(
        FancyBboxPatch((left, y - box_h), width, box_h, boxstyle="round,pad=0,rounding_size=4",
                       facecolor=colour, alpha=0.12, edgecolor=colour, linewidth=0.8)
    )
    verdict = f"{word('verdict', lang)}{'：' if zh else ': '}{verdict_word(review.verdict, lang)}"
    _text(ax, left + 10, y - box_h / 2, verdict, 14.0, colour, va="center")
    summary = tally(status_counts(review), lang, ("fail", "warn", "manual"))
    _text(ax, left + width - 10, y - box_h / 2, summary, 8.0, INK, va="center", ha="right")
    y -= box_h + 8
    note = reliability_note(review, lang)
    if note:
        for line in fonts.wrap(note, width, 8.0):
            _text(ax, left, y, line, 8.0, ORANGE)
            y -= 8.0 * 1.3
        y -= 5

    # the failing rules, first, as the text report gives them
    failing = [f for f in review.findings if f.status == "fail"]
    if failing:
        _text(ax, left, y, word("failures", lang) + (f"（{len(failing)}）" if zh
                                                     else f" ({len(failing)})"), 9.0, RED)
        y -= 13
        for f in failing:
            _text(ax, left + 8, y, f.rule, 7.5, RED)
            for line in fonts.wrap(f.message(lang), width - 150, 7.5):
                _text(ax, left + 150, y, line, 7.5, INK)
                y -= 7.5 * 1.3
            y -= 2
    return y - 10


def _table_header(ax: Axes, lang: str, y: float, title: str) -> float:
    from matplotlib.patches import Rectangle

    _text(ax, MARGIN, y, title, 10.0)
    y -= 16
    h = 14.0
    width = sum(w for _, w in COLUMNS)
    ax.add_patch(Rectangle((MARGIN, y - h), width, h, facecolor="#424242", edgecolor="none"))
    x = MARGIN
    for key, w in COLUMNS:
        _text(ax, x + CELL_PAD, y - h / 2, word(key, lang), 7.5, "white", va="center")
        x += w
    return y - h


def _draw_row(ax: Axes, row: Row, y: float, lang: str) -> float:
    from matplotlib.patches import Rectangle

    width = sum(w for _, w in COLUMNS)
    if row.kind == "group":
        ax.add_patch(Rectangle((MARGIN, y - row.height), width, row.height, facecolor=LIGHT,
                               edgecolor="none"))
    elif row.status == "fail":
        ax.add_patch(Rectangle((MARGIN, y - row.height), width, row.height, facecolor=RED,
                               alpha=0.07, edgecolor="none"))
    x = MARGIN
    widths = [w for _, w in COLUMNS] if row.kind != "group" else [width]
    for i, (lines, w) in enumerate(zip(row.lines or [], widths, strict=False)):
        ty = y - CELL_PAD
        for text, colour, size in lines:
            _text(ax, x + CELL_PAD, ty, text, size, colour)
            ty -= size * 1.25
        if row.kind == "finding" and row.status == "manual" and i == 3:
            _tick_boxes(ax, x + CELL_PAD, y - CELL_PAD, lang)
        x += w
    ax.plot([MARGIN, MARGIN + width], [y - row.height, y - row.height], color=RULE_LINE,
            linewidth=0.4)
    return y - row.height


def _tick_boxes(ax: Axes, x: float, top: float, lang: str) -> None:
    """Two empty boxes to tick by hand: complies / does not comply."""
    from matplotlib.patches import Rectangle

    side = 6.5
    for n, key in enumerate(("complies", "not_complies")):
        y = top - n * TABLE_SIZE * 1.6 - side - 1
        ax.add_patch(Rectangle((x, y), side, side, facecolor="white", edgecolor=INK,
                               linewidth=0.6))
        _text(ax, x + side + 3, y + side / 2, _w(key, lang), TABLE_SIZE, INK, va="center")


def _opinion_block(ax: Axes, lang: str, y: float) -> float:
    from matplotlib.patches import Rectangle

    width = sum(w for _, w in COLUMNS)
    height = 96.0
    _text(ax, MARGIN, y, _w("opinion", lang), 10.0)
    y -= 15
    ax.add_patch(Rectangle((MARGIN, y - height), width, height, facecolor="none", edgecolor=INK,
                           linewidth=0.6))
    base = y - height + 12
    _text(ax, MARGIN + 8, base, f"{_w('reviewer', lang)}：" if lang == "zh"
          else f"{_w('reviewer', lang)}:", 8.0, INK, va="bottom")
    ax.plot([MARGIN + 90, MARGIN + 260], [base, base], color=INK, linewidth=0.5)
    _text(ax, MARGIN + 300, base, f"{_w('date', lang)}：" if lang == "zh"
          else f"{_w('date', lang)}:", 8.0, INK, va="bottom")
    ax.plot([MARGIN + 335, MARGIN + width - 10], [base, base], color=INK, linewidth=0.5)
    return y - height - 10


def checklist_pages(review: Review, lang: str) -> list[Figure]:
    """Page 1 and, when the checklist is long, the pages it continues on."""
    rows = checklist_rows(review, lang)
    for row in rows:
        _layout(row)
    page_top = A4_PORTRAIT[1] * 72 - MARGIN
    bottom = MARGIN + 14  # room for the footer
    fig, ax = _new_page()
    pages = [fig]
    y = _header_block(ax, review, lang, page_top)
    y = _table_header(ax, lang, y, _w("checklist", lang))
    for i, row in enumerate(rows):
        # a group heading never ends a page on its own
        need = row.height + (rows[i + 1].height if row.kind == "group" and i + 1 < len(rows)
                             else 0.0)
        if y - need < bottom:
            fig, ax = _new_page()
            pages.append(fig)
            y = _table_header(ax, lang, page_top, _w("checklist", lang) + _w("continued", lang))
        y = _draw_row(ax, row, y, lang)
    if y - 130 < bottom:
        fig, ax = _new_page()
        pages.append(fig)
        y = page_top
    y -= 14
    y = _opinion_block(ax, lang, y)
    _text(ax, MARGIN, y, _w("floor_pages", lang), 7.5, MUTED)
    return pages


def _footer(fig: Figure, review: Review, lang: str, n: int, total: int) -> None:
    width_in, _ = fig.get_size_inches()
    text = f"{review.name} · " + _w("page", lang).format(n=n, total=total)
    fig.text(
        1 - MARGIN / 72 / width_in / 2, 0.012, text, ha="right", va="bottom",
        fontproperties=fonts.props(7.0), color=MUTED,
    )


__all__ = ["checklist_rows", "file_hash", "render_pdf", "write_pdf"]
