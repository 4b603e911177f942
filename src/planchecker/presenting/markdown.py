"""The markdown report (`review --format markdown`): the text report's content as a document.

Headings, a verdict line, the failing rules, one findings table a group of the
standard (| rule | requirement | measured | required | status | rooms | finding |),
then the floors and rooms tables and the counts.  Cell text is escaped so that a
pipe, asterisk or tag-like text in a label cannot break the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Review
from .common import (
    STATUSES,
    area_text,
    counted,
    counts,
    facts,
    failures,
    function_names,
    level_name,
    level_source_name,
    one_line,
    quantity,
    reliability_note,
    room_label,
    room_source_name,
    rule_text,
    sections,
    status_word,
    tally,
    verdict_word,
    word,
)

_SPECIAL = re.compile(r"([\\`*_|$])")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def escape(text: str) -> str:
    """Text safe in a table cell or a line: no table-breaking pipe, no accidental markup."""
    text = _SPECIAL.sub(r"\\\1", one_line(text))
    return _TAG.sub("&lt;", text)


def code(text: str) -> str:
    """An id as inline code (pipes still escaped: GFM splits cells before code spans)."""
    return "`" + one_line(text).replace("`", "'").replace("|", "\\|") + "`"


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: str = "") -> list[str]:
    """Cells must already be escaped; `aligns` gives `<` or `>` per column."""
    rule = ["---:" if (aligns[i:i + 1] == ">") else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines.extend("| " + " | ".join(r) + " |" for r in rows)
    return lines


def render(review: Review, lang: str = "en") -> str:
    """The whole report as a markdown document ending in a newline."""

    lang = "zh" if lang == "zh" else "en"
    colon = "：" if lang == "zh" else ": "
    plan = review.plan
    n = counts(review)
    out: list[str] = [f"# {escape(word('title', lang) + colon + review.name)}", ""]

    verdict = f"**{word('verdict', lang)}{colon}{verdict_word(review.verdict, lang)}**"
    summary = tally(n, lang, ("fail", "warn", "manual"))
    out += [f"{verdict}（{summary}）" if lang == "zh" else f"{verdict} ({summary})", ""]
    note = reliability_note(review, lang)
    if note:
        out += [f"> **{escape(note)}**", ""]

    out += md_table(["", ""], [(escape(k), escape(v)) for k, v in facts(review, lang)])
    out.append("")

    failing = failures(review)
    out += [f"## {escape(counted(word('failures', lang), len(failing), lang))}", ""]
    if failing:
        out += [f"- {code(f.rule)}{colon}{escape(f.message(lang))}" for f in failing]
    else:
        out.append(escape(word("none", lang)))
    out.append("")

    out += [f"## {escape(word('findings', lang))}", ""]
    headers = [
        word(k, lang)
        for k in ("col_rule", "col_requirement", "col_measured", "col_required", "col_status",
                  "col_rooms", "col_message")
    ]
    for section in sections(review):
        out += [f"### {escape(section.title(lang))}", ""]
        rows = []
        for f in section.findings:
            requirement = rule_text(review, f.rule, lang)
            message = f.message(lang)
            status = status_word(f.status, lang) if lang == "zh" else f.status.upper()
            if f.status == "fail":
                status = f"**{status}**"
            rows.append([
                code(f.rule),
                escape(requirement),
                escape(quantity(f.measured, f.unit, lang)) if f.measured is not None else "",
                escape(quantity(f.required, f.unit, lang)) if f.required is not None else "",
                status,
                escape(", ".join(f.rooms)),
                escape(message) if message != requirement else "",
            ])
        out += md_table(headers, rows, aligns="<<>><<<")
        out.append("")

    out += [f"## {escape(word('floors', lang))}", ""]
    headers = [
        word(k, lang)
        for k in ("col_level", "col_name", "col_gross", "col_declared_gross", "col_rooms_count",
                  "col_level_source", "col_file")
    ]
    rows = [
        [
            escape(level_name(f.level, lang)), escape(f.name), area_text(f.gross_area),
            area_text(f.declared_gross_area),
            str(sum(1 for r in plan.rooms if r.level == f.level)),
            escape(level_source_name(f.level_source, lang)), escape(f.file),
        ]
        for f in plan.floors
    ]
    rows.append([
        f"**{escape(word('total', lang))}**", "", f"**{area_text(plan.gross_area)}**",
        area_text(plan.declared_total_area), str(len(plan.rooms)), "", "",
    ])
    out += md_table(headers, rows, aligns="<<>>><<")
    out.append("")

    out += [f"## {escape(counted(word('rooms', lang), len(plan.rooms), lang))}", ""]
    if plan.rooms:
        headers = [
            word(k, lang)
            for k in ("col_id", "col_level", "col_label", "col_functions", "col_area",
                      "col_declared", "col_source")
        ]
        rows = [
            [
                escape(r.id), escape(level_name(r.level, lang)), escape(room_label(r, lang)),
                escape(function_names(review, r.functions, lang)), area_text(r.area),
                area_text(r.declared_area), escape(room_source_name(r, lang)),
            ]
            for r in plan.rooms
        ]
        out += md_table(headers, rows, aligns="<<<<>><")
        if any(r.centreline for r in plan.rooms):
            out += ["", escape(word("centreline_note", lang))]
    else:
        out.append(escape(word("none", lang)))
    out.append("")

    if plan.orphan_labels:
        out += [f"## {escape(word('orphans', lang))}", ""]
        headers = [
            word(k, lang)
            for k in ("col_text", "col_level", "col_position", "col_functions", "col_declared")
        ]
        rows = [
            [
                escape(lb.text), escape(level_name(lb.level, lang)), f"{lb.x:.3f}, {lb.y:.3f}",
                escape(function_names(review, lb.functions, lang, "-")),
                area_text(lb.declared_area),
            ]
            for lb in plan.orphan_labels
        ]
        out += md_table(headers, rows, aligns="<<><>")
        out.append("")

    if plan.read_issues:
        out += [f"## {escape(word('read_issues', lang))}", ""]
        headers = [word(k, lang) for k in ("col_code", "col_count", "col_detail")]
        rows = [[code(i.code), str(i.count), escape(i.detail)] for i in plan.read_issues]
        out += md_table(headers, rows, aligns="<><")
        out.append("")

    out += [f"## {escape(word('counts', lang))}", ""]
    out += md_table(
        [word("col_status", lang), word("col_count", lang)],
        [[escape(status_word(s, lang)), str(n[s])] for s in STATUSES],
        aligns="<>",
    )
    return "\n".join(out) + "\n"

