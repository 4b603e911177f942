"""The plain-text report (`review --format text`), in Chinese or English.

Read top to bottom: a header (centre, drawings, standard, build type, units,
encoding) and the verdict in a box; the failing rules first; then one line per
rule, grouped by the standard's groups in the standard's order; then the floors,
the rooms, and the counts.  Columns line up on a terminal with CJK text (wide
characters count two columns).  No colour, no time stamp: equal reviews give equal
text.
"""

from __future__ import annotations

from ..model import Review
from .common import (
    STATUSES,
    area_text,
    counted,
    counts,
    display_width,
    facts,
    failures,
    function_names,
    level_name,
    level_source_name,
    one_line,
    pad,
    reliability_note,
    room_label,
    room_source_name,
    rule_text,
    sections,
    status_mark,
    table,
    tally,
    verdict_word,
    word,
)

INDENT = "  "


def render(review: Review, lang: str = "en") -> str:
    """The whole report as text ending in a newline."""
    lang = "zh" if lang == "zh" else "en"
    blocks = [
        header(review, lang),
        failures_block(review, lang),
        findings_block(review, lang),
        floors_block(review, lang),
        rooms_block(review, lang),
        extras_block(review, lang),
        counts_line(review, lang),
    ]
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"


def heading(text: str, char: str = "-") -> list[str]:
    return [text, char * display_width(text)]


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def header(review: Review, lang: str) -> list[str]:
    title = word("title", lang) + _colon(lang) + review.name
    rows = facts(review, lang)
    lines = heading(title, "=")
    lines.append("")
    lines.extend(table(None, rows, indent=INDENT))
    lines.append("")
    lines.extend(verdict_box(review, lang))
    return lines


def verdict_box(review: Review, lang: str) -> list[str]:
    """The verdict in big words, boxed, with the counts that decide it beside it."""
    big = verdict_word(review.verdict, lang)
    if lang == "zh":
        inner = f"{word('verdict', lang)}：{big}"
    else:
        inner = f"{word('verdict', lang).upper()}: {big}"
    width = display_width(inner) + 8
    n = counts(review)
    summary = tally(n, lang, ("fail", "warn", "manual"))
    lines = [
        INDENT + "#" * width,
        INDENT + "##  " + pad(inner, width - 8) + "  ##",
        INDENT + "#" * width,
        INDENT + summary,
    ]
    note = reliability_note(review, lang)
    if note:
        lines.append(INDENT + "!! " + note)
    return lines


def failures_block(review: Review, lang: str) -> list[str]:
    failing = failures(review)
    lines = heading(counted(word("failures", lang), len(failing), lang))
    if not failing:
        lines.append(INDENT + word("none", lang))
        return lines
    rows = [(f.rule, one_line(f.message(lang))) for f in failing]
    lines.extend(table(None, rows, indent=INDENT))
    return lines


def findings_block(review: Review, lang: str) -> list[str]:
    """One line a rule: mark, id and wording in aligned columns, then the finding."""
    lines = heading(word("findings", lang))
    mark_width = max(display_width(status_mark(s, lang)) for s in STATUSES)
    id_width = max((display_width(f.rule) for f in review.findings), default=0)
    for section in sections(review):
        lines.append("")
        lines.append(section.title(lang))
        for f in section.findings:
            wording = rule_text(review, f.rule, lang)
            message = one_line(f.message(lang))
            tail = finding_text(wording, message)
            lines.append(
                INDENT
                + pad(status_mark(f.status, lang), mark_width)
                + " "
                + pad(f.rule, id_width)
                + "  "
                + tail
            )
    return lines


def finding_text(wording: str, message: str) -> str:
    """`wording | message`, or the message alone when it already states the wording."""
    if not wording or wording in message:
        return message
    if not message:
        return wording
    return f"{wording} | {message}"


def floors_block(review: Review, lang: str) -> list[str]:
    plan = review.plan
    headers = [
        word("col_level", lang), word("col_name", lang), word("col_gross", lang),
        word("col_declared_gross", lang), word("col_rooms_count", lang),
        word("col_level_source", lang), word("col_file", lang),
    ]
    rows = [
        [
            level_name(f.level, lang),
            f.name,
            area_text(f.gross_area),
            area_text(f.declared_gross_area),
            str(sum(1 for r in plan.rooms if r.level == f.level)),
            level_source_name(f.level_source, lang),
            f.file,
        ]
        for f in plan.floors
    ]
    rows.append(
        [word("total", lang), "", area_text(plan.gross_area),
         area_text(plan.declared_total_area), str(len(plan.rooms)), "", ""]
    )
    lines = heading(word("floors", lang))
    lines.extend(table(headers, rows, aligns="<<>>><<", indent=INDENT))
    return lines


def rooms_block(review: Review, lang: str) -> list[str]:
    plan = review.plan
    headers = [
        word("col_id", lang), word("col_level", lang), word("col_label", lang),
        word("col_functions", lang), word("col_area", lang), word("col_declared", lang),
        word("col_source", lang),
    ]
    rows = [
        [
            r.id,
            level_name(r.level, lang),
            room_label(r, lang),
            function_names(review, r.functions, lang),
            area_text(r.area),
            area_text(r.declared_area),
            room_source_name(r, lang),
        ]
        for r in plan.rooms
    ]
    lines = heading(counted(word("rooms", lang), len(rows), lang))
    if not rows:
        lines.append(INDENT + word("none", lang))
        return lines
    lines.extend(table(headers, rows, aligns="<<<<>><", indent=INDENT))
    if any(r.centreline for r in plan.rooms):
        lines.append(INDENT + word("centreline_note", lang))
    return lines


def extras_block(review: Review, lang: str) -> list[str]:
    """Labels in no room and what the reader dropped or repaired, when there are any."""
    plan = review.plan
    lines: list[str] = []
    if plan.orphan_labels:
        headers = [
            word("col_text", lang), word("col_level", lang), word("col_position", lang),
            word("col_functions", lang), word("col_declared", lang),
        ]
        rows = [
            [
                lb.text,
                level_name(lb.level, lang),
                f"{lb.x:.3f}, {lb.y:.3f}",
                function_names(review, lb.functions, lang, "-"),
                area_text(lb.declared_area),
            ]
            for lb in plan.orphan_labels
        ]
        lines.extend(heading(word("orphans", lang)))
        lines.extend(table(headers, rows, aligns="<<><>", indent=INDENT))
    if plan.read_issues:
        if lines:
            lines.append("")
        headers = [word("col_code", lang), word("col_count", lang), word("col_detail", lang)]
        rows = [[i.code, str(i.count), i.detail] for i in plan.read_issues]
        lines.extend(heading(word("read_issues", lang)))
        lines.extend(table(headers, rows, aligns="<><", indent=INDENT))
    return lines


def counts_line(review: Review, lang: str) -> list[str]:
    return [word("counts", lang) + _colon(lang) + tally(counts(review), lang)]
