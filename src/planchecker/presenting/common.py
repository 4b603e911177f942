"""What the text, markdown and JSON presenters share.

Presenters only read a Review: nothing here judges.  This module holds the words a
report uses around the findings (status marks, section titles, unit names), the
rounding of numbers for display, and column layout that counts CJK characters as
two terminal columns.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Finding, Review, Room, Units
from ..rules import common as rules_common
from ..rules.common import round_area
from ..standards import Group

STATUSES = ("fail", "pass", "warn", "manual", "skip")

_MARKS = {
    "en": {"pass": "PASS", "fail": "FAIL", "warn": "WARN", "manual": "MANUAL", "skip": "SKIP"},
    "zh": {"pass": "通过", "fail": "不通过", "warn": "警告", "manual": "人工", "skip": "不适用"},
}

_STATUS_WORDS = {
    "en": {
        "pass": "passed", "fail": "failed", "warn": "warnings",
        "manual": "to check by hand", "skip": "not applicable",
    },
    "zh": {
        "pass": "通过", "fail": "不通过", "warn": "警告", "manual": "人工核查", "skip": "不适用",
    },
}

# Fixed wording of the reports, by key and language.
_WORDS = {
    "title": {"en": "Plan review", "zh": "平面图审查报告"},
    "centre": {"en": "Centre", "zh": "中心"},
    "files": {"en": "Drawings", "zh": "图纸"},
    "standard": {"en": "Standard", "zh": "标准"},
    "build_type": {"en": "Build type", "zh": "建设类型"},
    "units": {"en": "Units", "zh": "单位"},
    "encoding": {"en": "Text encoding", "zh": "文字编码"},
    "version": {"en": "Checked by", "zh": "审查工具"},
    "verdict": {"en": "Verdict", "zh": "结论"},
    "failures": {"en": "Failures", "zh": "不通过的条款"},
    "findings": {"en": "Findings", "zh": "逐条审查结果"},
    "floors": {"en": "Floors", "zh": "楼层"},
    "rooms": {"en": "Rooms", "zh": "房间"},
    "orphans": {"en": "Labels in no room", "zh": "未落在房间内的名称"},
    "read_issues": {"en": "Read issues", "zh": "读图问题"},
    "unreliable": {
        "en": "Parts of the drawing were dropped or repaired while reading it "
        "(plan.read_quality): the verdict may be unreliable.",
        "zh": "读图时有图元被丢弃或修复（plan.read_quality），审查结论可能不可靠。",
    },
    "counts": {"en": "Counts", "zh": "统计"},
    "none": {"en": "none", "zh": "无"},
    "other_group": {"en": "Other", "zh": "其他"},
    "total": {"en": "total", "zh": "合计"},
    # table headings
    "col_rule": {"en": "rule", "zh": "条款"},
    "col_requirement": {"en": "requirement", "zh": "要求"},
    "col_measured": {"en": "measured", "zh": "量得"},
    "col_required": {"en": "required", "zh": "限值"},
    "col_status": {"en": "status", "zh": "结论"},
    "col_rooms": {"en": "rooms", "zh": "房间"},
    "col_message": {"en": "finding", "zh": "说明"},
    "col_level": {"en": "level", "zh": "楼层"},
    "col_name": {"en": "name", "zh": "图名"},
    "col_gross": {"en": "gross m²", "zh": "建筑面积㎡"},
    "col_declared_gross": {"en": "stated m²", "zh": "标注面积㎡"},
    "col_level_source": {"en": "level from", "zh": "楼层依据"},
    "col_rooms_count": {"en": "rooms", "zh": "房间数"},
    "col_file": {"en": "file", "zh": "文件"},
    "col_id": {"en": "id", "zh": "编号"},
    "col_label": {"en": "label", "zh": "名称"},
    "col_functions": {"en": "functions", "zh": "功能"},
    "col_area": {"en": "area m²", "zh": "面积㎡"},
    "col_declared": {"en": "stated m²", "zh": "标注㎡"},
    "col_source": {"en": "source", "zh": "来源"},
    "col_text": {"en": "text", "zh": "文字"},
    "col_position": {"en": "x, y (m)", "zh": "位置 x, y (m)"},
    "col_code": {"en": "code", "zh": "代码"},
    "col_count": {"en": "count", "zh": "数量"},
    "col_detail": {"en": "detail", "zh": "说明"},
    "unlabelled": {"en": "(unlabelled)", "zh": "（无名称）"},
    "other_room": {"en": "other", "zh": "其他"},
    "centreline_note": {
        "en": "rooms marked * are measured to wall centre lines (the drawing gives no wall "
        "thickness)",
        "zh": "标*的房间按墙中线量得面积（图中未绘墙厚）",
    },
}

_LEVEL_SOURCES = {
    "title": {"en": "plan title", "zh": "图名"},
    "layer": {"en": "layer name", "zh": "图层名"},
    "file": {"en": "file name", "zh": "文件名"},
    "assumed": {"en": "assumed", "zh": "推定"},
}

_ROOM_SOURCES = {
    "outline": {"en": "outline", "zh": "轮廓线"},
    "hatch": {"en": "hatch", "zh": "填充"},
    "walls": {"en": "walls", "zh": "墙线"},
}

_UNIT_NAMES = (  # metres per unit -> name
    (0.001, {"en": "millimetres", "zh": "毫米"}),
    (0.01, {"en": "centimetres", "zh": "厘米"}),
    (0.1, {"en": "decimetres", "zh": "分米"}),
    (1.0, {"en": "metres", "zh": "米"}),
    (1000.0, {"en": "kilometres", "zh": "千米"}),
    (0.0254, {"en": "inches", "zh": "英寸"}),
    (0.3048, {"en": "feet", "zh": "英尺"}),
)


def _lang(lang: str) -> str:
    return "zh" if lang == "zh" else "en"


def word(key: str, lang: str) -> str:
    return _WORDS[key][_lang(lang)]


def reliability_note(review: Review, lang: str) -> str | None:
    """The warning that goes beside the verdict when the reader lost something.

    A pass on a drawing that was only partly read is not a pass a reviewer should
    file without looking; the note sits next to the verdict so that it cannot be
    missed among the findings.
    """
    finding = review.finding("plan.read_quality")
    if finding is None or finding.status != "warn":
        return None
    return word("unreliable", lang)


def status_mark(status: str, lang: str) -> str:
    """`[PASS]`, `[不通过]` ...: the mark that starts a finding's line."""
    return "[" + _MARKS[_lang(lang)].get(status, status.upper()) + "]"


def status_word(status: str, lang: str) -> str:
    return _STATUS_WORDS[_lang(lang)].get(status, status)


def verdict_word(verdict: str, lang: str) -> str:
    if _lang(lang) == "zh":
        return "不通过" if verdict == "fail" else "通过"
    return "FAIL" if verdict == "fail" else "PASS"


def level_name(level: int, lang: str) -> str:
    """`1层`, `地下1层`, `floor 1`, `basement 1`: as the rules' messages name floors."""
    return rules_common.level_name(level, _lang(lang))


def counted(title: str, n: int, lang: str) -> str:
    """A heading with a count: `房间（12）`, `Rooms (12)`."""
    return f"{title}（{n}）" if _lang(lang) == "zh" else f"{title} ({n})"


def level_source_name(source: str, lang: str) -> str:
    return _LEVEL_SOURCES.get(source, {}).get(_lang(lang), source)


def room_source_name(room: Room, lang: str) -> str:
    name = _ROOM_SOURCES.get(room.source, {}).get(_lang(lang), room.source)
    if room.centreline:
        name += "*"
    return name


def function_names(
    review: Review, function_ids: Iterable[str], lang: str, empty: str | None = None
) -> str:
    """The functions a room serves, in the report's language.

    With none, `empty` when given, else "other" (a room serving no listed function).
    """
    names = []
    for fid in function_ids:
        try:
            names.append(review.standard.function(fid).name(_lang(lang)))
        except KeyError:
            names.append(fid)
    if not names:
        return word("other_room", lang) if empty is None else empty
    return ("、" if _lang(lang) == "zh" else ", ").join(names)


def room_label(room: Room, lang: str) -> str:
    return room.label or word("unlabelled", lang)


# ------------------------------------------------------------------------ numbers


def finite(value: float | None) -> float | None:
    """None for a missing or non-finite number (JSON has no NaN)."""
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def area(value: float | None) -> float | None:
    """An area as reports give it: m², two decimals, rounded as the rules round."""
    value = finite(value)
    return None if value is None else round_area(value) + 0.0


def coordinate(value: float) -> float:
    """A coordinate in metres to 1 mm, never -0.0."""
    value = finite(value)
    return 0.0 if value is None else round(value, 3) + 0.0


def number(value: float | int | None) -> float | int | None:
    """A finding's measured/required value as given, int kept int, NaN dropped."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return finite(value)


def area_text(value: float | None) -> str:
    value = area(value)
    return "-" if value is None else f"{value:.2f}"


def quantity(value: float | int | None, unit: str | None, lang: str) -> str:
    """A measured or required value with its unit, for reading: `16.00 m²`, `1.500 m`."""
    value = number(value)
    if value is None:
        return "-"
    zh = _lang(lang) == "zh"
    if unit == "m2":
        return f"{value:.2f}㎡" if zh else f"{value:.2f} m²"
    if unit == "m2/person":
        return f"{value:.2f}㎡/人" if zh else f"{value:.2f} m²/person"
    if unit == "m":
        return f"{value:.3f}m" if zh else f"{value:.3f} m"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} {unit}" if unit else text


def units_line(units: Units, lang: str) -> str:
    """`1 unit = 0.001 m (millimetres), from the header ($INSUNITS = 4)`, or in Chinese."""
    zh = _lang(lang) == "zh"
    mpu = units.metres_per_unit
    name = next(
        (names[_lang(lang)] for value, names in _UNIT_NAMES if math.isclose(mpu, value)), ""
    )
    scale = f"{mpu:g}"
    if zh:
        text = f"1 图形单位 = {scale} m" + (f"（{name}）" if name else "")
        source = {
            "header": f"来源：文件头（$INSUNITS = {units.insunits}）",
            "inferred": "来源：推断",
            "option": "来源：用户指定（--units）",
        }.get(units.source, f"来源：{units.source}")
        text += "，" + source
        if units.note:
            text += "：" + units.note
        return text
    text = f"1 unit = {scale} m" + (f" ({name})" if name else "")
    source = {
        "header": f"from the header ($INSUNITS = {units.insunits})",
        "inferred": "inferred",
        "option": "given with --units",
    }.get(units.source, units.source)
    text += ", " + source
    if units.note:
        text += ": " + units.note
    return text


# ----------------------------------------------------------------------- findings


def facts(review: Review, lang: str) -> list[tuple[str, str]]:
    """The header every report opens with: centre, drawings, standard, build type,
    units, encoding, the tool's version, as (label, value) pairs."""
    from .. import __version__

    plan, std = review.plan, review.standard
    standard = f"{std.title}（{std.id}）" if lang == "zh" else f"{std.title_en} ({std.id})"
    return [
        (word("centre", lang), review.name),
        (word("files", lang), ", ".join(plan.files)),
        (word("standard", lang), standard),
        (word("build_type", lang), std.build_type_name(review.build_type, lang)),
        (word("units", lang), units_line(plan.units, lang)),
        (word("encoding", lang), plan.encoding),
        (word("version", lang), f"planchecker {__version__}"),
    ]


def counts(review: Review) -> dict[str, int]:
    """How many findings have each status, in a fixed order (fail first)."""
    result = dict.fromkeys(STATUSES, 0)
    for f in review.findings:
        result[f.status] = result.get(f.status, 0) + 1
    return result


def tally(n: dict[str, int], lang: str, statuses: Sequence[str] = STATUSES) -> str:
    """`不通过 1 项，警告 2 项` / `1 failed, 2 warnings`: counts in words."""
    if _lang(lang) == "zh":
        return "，".join(f"{status_word(s, lang)} {n.get(s, 0)} 项" for s in statuses)
    return ", ".join(f"{n.get(s, 0)} {status_word(s, lang)}" for s in statuses)


def failures(review: Review) -> list[Finding]:
    return [f for f in review.findings if f.status == "fail"]


@dataclass(frozen=True)
class Section:
    """One group of the standard with its findings, in the report's order."""

    id: str
    title_zh: str
    title_en: str
    findings: tuple[Finding, ...]

    def title(self, lang: str) -> str:
        return self.title_zh if _lang(lang) == "zh" else self.title_en


def sections(review: Review) -> list[Section]:
    """Findings grouped by the standard's groups, in the standard's group order.

    Within a group findings keep the review's order (the standard's rule order).
    A finding whose rule the standard does not list, or whose group is unknown, goes
    to a last "Other" section so that nothing a judge produced is ever hidden.
    Empty groups are left out.
    """
    groups: list[Group] = list(review.standard.groups)
    known = {g.id for g in groups}
    by_group: dict[str, list[Finding]] = {g.id: [] for g in groups}
    other: list[Finding] = []
    for f in review.findings:
        try:
            gid = review.standard.rule(f.rule).group
        except KeyError:
            gid = None
        if gid in known:
            by_group[gid].append(f)
        else:
            other.append(f)
    result = [
        Section(g.id, g.zh, g.en, tuple(by_group[g.id])) for g in groups if by_group[g.id]
    ]
    if other:
        result.append(
            Section("other", word("other_group", "zh"), word("other_group", "en"), tuple(other))
        )
    return result


def rule_text(review: Review, rule_id: str, lang: str) -> str:
    """The standard's wording of a rule, or "" for a rule it does not list."""
    try:
        return review.standard.rule(rule_id).text(_lang(lang))
    except KeyError:
        return ""


# ------------------------------------------------------------------------- layout


def one_line(text: str) -> str:
    """Text for a single cell: line breaks and tabs become spaces."""
    return " ".join(str(text).replace("\r\n", "\n").replace("\t", " ").split("\n"))


def display_width(text: str) -> int:
    """Terminal columns a string takes: wide and full-width (CJK) characters count two.

    Combining marks and other zero-width characters count none; East Asian
    "ambiguous" characters (≥, ², —) count one, as in Western terminals and wcwidth.
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, align: str = "<") -> str:
    """Pad to `width` display columns (`<` left, `>` right)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if align == ">" else text + fill


def table(
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    aligns: str = "",
    gap: str = "  ",
    indent: str = "",
    rule: str = "-",
) -> list[str]:
    """Rows laid out in columns that line up on a terminal, CJK included.

    `aligns` gives `<` or `>` per column (default `<`).  The last column is not
    padded and trailing blanks are stripped.  With headers, a line of `rule`
    characters goes under them.
    """
    all_rows = [list(map(one_line, r)) for r in ([headers] if headers else []) + list(rows)]
    if not all_rows:
        return []
    ncols = max(len(r) for r in all_rows)
    for r in all_rows:
        r.extend([""] * (ncols - len(r)))
    widths = [max(display_width(r[i]) for r in all_rows) for i in range(ncols)]
    lines = []
    for n, r in enumerate(all_rows):
        cells = []
        for i, cell in enumerate(r):
            align = aligns[i] if i < len(aligns) else "<"
            last = i == ncols - 1
            cells.append(pad(cell, widths[i], align) if not last or align == ">" else cell)
        lines.append((indent + gap.join(cells)).rstrip())
        if headers and n == 0:
            lines.append((indent + gap.join(rule * w for w in widths)).rstrip())
    return lines
