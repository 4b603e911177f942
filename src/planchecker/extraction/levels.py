"""Floor levels from plan titles, layer names and file names.

Levels are integers: 1 is the ground floor, 2 the next, -1 the first basement;
there is no level 0.  The requirements (``Floors``) name the spellings: the
ground floor is 一层 / 首层 / 底层 / 一楼 / 1F / F1 / 1层; a basement is 地下一层 /
地下室 / B1 / -1F, and ``地下一层`` is *not* the ground floor although it contains
``一层``; deeper basements are 地下二层 / 负二层 / B2; a typical-floor plan
(``二~四层平面图``, ``2-4层平面图``) stands for each floor it names.

One scanner (`_LEVEL`) finds level tokens; its alternatives are ordered so that,
scanning left to right, the longer reading wins at each position: a range before
its ends (``2-4层``), a basement before the floor number inside it (``地下一层``).

English: ``Ground floor`` is 1, ``Level n`` / ``Floor n`` are n, ``Basement`` is
-1.  ``First floor`` (and ``Second floor``, ``1st floor`` ...) is *not* mapped:
in British use the first floor is the one above the ground floor (our 2), in
American use it is the ground floor (our 1), and a wrong guess would put the
service hall on the wrong storey without a warning.  Such a title is a floor
plan with no level, and the caller decides (and warns).  ``Lower/Upper ground
floor`` are likewise left unmapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from planchecker.extraction.labels import normalise

__all__ = [
    "TitleInfo",
    "TitleKind",
    "chinese_numeral",
    "parse_level_token",
    "parse_levels_token",
    "parse_title",
]

MAX_LEVEL = 99

# ------------------------------------------------------------- Chinese numerals

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERAL = re.compile(r"(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])")


def chinese_numeral(text: str) -> int | None:
    """The value of a Chinese numeral from 一 (1) to 九十九 (99), else None.

    Only the forms floor names use: 一…九, 十, 十一…十九, 二十, 二十一…九十九.
    Not 两 (never written in a floor name), 〇/零, 百, or 一十.
    """
    if not _CN_NUMERAL.fullmatch(text):
        return None
    if "十" not in text:
        return _CN_DIGIT[text]
    tens, _, ones = text.partition("十")
    return _CN_DIGIT.get(tens, 1) * 10 + _CN_DIGIT.get(ones, 0)


def _number(text: str) -> int:
    """An Arabic or Chinese numeral matched by the scanner."""
    return int(text) if text.isascii() else chinese_numeral(text) or 0


# ------------------------------------------------------------------ the scanner

_CN = _CN_NUMERAL.pattern
_AR = r"(?<![0-9A-Z.])[0-9]{1,2}(?![0-9])"
_NUM = rf"(?:{_AR}|{_CN})"
_UNIT = r"(?:层|楼|F)"
_TO = r"(?:~|-|至|到)"
_B = r"(?<![0-9A-Z])"  # an ASCII token starts: start, delimiter (_ - . $ ...) or CJK
_E = r"(?![0-9A-Z]|\.[0-9])"  # an ASCII token ends (and is no decimal: F1.5)
_BD = r"(?<![0-9A-Z])(?<![0-9]\.)"  # a token starting with a digit starts (not 1.1F)
# a dash after a letter, digit or CJK is a delimiter (房间-1F, A-1F); elsewhere a minus
_NOT_AFTER_WORD = r"(?<![0-9A-Z\u3400-\u4dbf\u4e00-\u9fff])"

_LEVEL = re.compile(
    rf"""
      (?P<range>(?P<ra>{_NUM}){_UNIT}?{_TO}(?P<rb>{_NUM}){_UNIT}{_E})
    | (?P<frange>{_B}F(?P<fa>[0-9]{{1,2}}){_TO}F?(?P<fb>[0-9]{{1,2}}){_E})
    | (?P<list>(?:{_NUM}(?:层|楼)?(?:,|及|和|与))+{_NUM}(?:层|楼))
    | (?P<under>(?:地下|负)(?P<un>{_NUM})(?:层|F))
    | (?P<cellar>地下室)
    | (?P<b>{_B}B(?P<bn>[0-9]{{1,2}})(?:层|F?{_E}))
    | (?P<minus>{_NOT_AFTER_WORD}-(?P<mn>[0-9]{{1,2}})(?:F|层){_E})
    | (?P<basement>{_B}BASEMENT(?:[_-]?LEVEL)?(?:[_-]?(?P<en_b>[0-9]{{1,2}}))?(?![0-9]))
    | (?P<ground>首层|底层|(?<!LOWER)(?<!LOWER_)(?<!UPPER)(?<!UPPER_)GROUND[_-]?FLOOR)
    | (?P<cnlevel>第?(?P<cn>{_NUM})(?:层|楼))
    | (?P<nf>{_BD}(?P<nfn>[0-9]{{1,2}})F{_E})
    | (?P<fn>{_B}F(?P<fnn>[0-9]{{1,2}}){_E})
    | (?P<en>{_B}(?:LEVEL|FLOOR)[_-]?(?P<enn>[0-9]{{1,2}})(?![0-9]))
    """,
    re.VERBOSE,
)


def _span(low: int, high: int) -> tuple[int, ...]:
    """A range ``low..high``; a descending one keeps only its end (``3-1F`` is 1F of block 3)."""
    if low < high:
        return tuple(range(low, high + 1))
    return (high,)


def _levels_of(match: re.Match[str]) -> tuple[int, ...]:
    """The levels one scanner match names (0 and out-of-range values are dropped)."""
    group = match.lastgroup
    found: tuple[int, ...]
    if group == "range":
        found = _span(_number(match["ra"]), _number(match["rb"]))
    elif group == "frange":
        found = _span(int(match["fa"]), int(match["fb"]))
    elif group == "list":
        found = tuple(_number(n) for n in re.findall(_NUM, match["list"]))
    elif group == "under":
        found = (-_number(match["un"]),)
    elif group == "cellar":
        found = (-1,)
    elif group == "b":
        found = (-int(match["bn"]),)
    elif group == "minus":
        found = (-int(match["mn"]),)
    elif group == "basement":
        found = (-int(match["en_b"] or 1),)
    elif group == "ground":
        found = (1,)
    else:
        found = (_number(match["cn"] or match["nfn"] or match["fnn"] or match["enn"]),)
    return tuple(n for n in found if n != 0 and abs(n) <= MAX_LEVEL)


def _find_levels(text: str) -> tuple[int, ...]:
    """Every level a prepared text (see `_prepare`) names, sorted, each once."""
    levels: set[int] = set()
    for match in _LEVEL.finditer(text):
        levels.update(_levels_of(match))
    return tuple(sorted(levels))


# Traditional forms of the few characters titles and floor names use (層 = 层 ...).
_SIMPLIFIED = str.maketrans("層樓圖詳總頂樣負標準節點", "层楼图详总顶样负标准节点")


def _prepare(text: str) -> str:
    """The form the scanner reads: normalised, traditional folded, ASCII upper-case."""
    return normalise(text).translate(_SIMPLIFIED).upper()


def _prepare_token(text: str) -> str:
    """Layer and file names: white space is a delimiter there, so keep it as ``_``."""
    return _prepare(re.sub(r"\s+", "_", text))


def parse_levels_token(text: str) -> tuple[int, ...]:
    """Every level a layer name or file name (without extension) names, sorted.

    ``F1_房间`` -> (1,); ``2-4层`` -> (2, 3, 4); ``地下一层平面图`` -> (-1,);
    ``WALL`` -> ().  ASCII tokens must stand alone: ``F1`` counts between start,
    end, ``_ - . $``, space or CJK, not inside ``FF1A`` or ``HATCH_F10X``.
    """
    return _find_levels(_prepare_token(text))


def parse_level_token(text: str) -> int | None:
    """The one level a layer name or file name names; None when none or several.

    ``F1_房间``, ``1F-SPACE``, ``一层-房间``, ``首层`` -> 1; ``B1``, ``-1F`` -> -1;
    ``WALL``, ``F-FURN``, ``DOOR_FIRE``, ``0``, ``centre-2021`` -> None; a range
    (``2-4层``) -> None (see `parse_levels_token`).
    """
    levels = parse_levels_token(text)
    return levels[0] if len(levels) == 1 else None


# ---------------------------------------------------------------------- titles

TitleKind = Literal["floor", "site", "roof", "elevation", "section", "detail", "other_plan"]


@dataclass(frozen=True)
class TitleInfo:
    """A view title: what kind of view, which floors it shows, and its name as drawn.

    `levels` is filled for ``floor`` and ``other_plan`` only, and may be empty for a
    floor plan that names no floor (``标准层平面图``, ``平面图``, ``First floor plan``):
    the caller decides.  `name` is the title without its scale.
    """

    kind: TitleKind
    levels: tuple[int, ...]
    name: str


_SCALE = re.compile(r"(?:(?:比例|SCALE)[:=]?)?(?<![0-9])1:[0-9]{1,5}(?:\.[0-9]+)?")
_RAW_SCALE = re.compile(
    r"(?:(?:比例|scale)\s*[:：=]?\s*)?(?<![0-9０-９])[1１]\s*[:：∶]\s*[0-9０-９]{1,5}",
    re.IGNORECASE,
)
_TITLE_PREFIX = re.compile(r"^(?:图名|TITLE)[:=]?")
_RAW_TITLE_PREFIX = re.compile(r"^\s*(?:图名|title)\s*[:：=]?\s*", re.IGNORECASE)
_NOT_A_TITLE = re.compile(r"^(?:详见|见|参见|参照|另见|同)|[:;。]")
_TRAILING_REMARK = re.compile(r"(?:\([^()]{0,12}\))+$")
_MAX_TITLE = 40
_ID = r"(?:[-_]?[0-9A-Z]{1,3}(?:-[0-9A-Z]{1,3})?)?"  # 剖面图A-A, SECTION1-1
# views that are not plans of a storey, tried before plans: a detail or a site plan
# may also end in 平面图 (楼梯平面大样图, 总平面图)
_NOT_FLOOR_VIEWS: tuple[tuple[TitleKind, re.Pattern[str]], ...] = (
    ("detail", re.compile(rf"(?:大样图?|详图|节点图|DETAILS?){_ID}$")),
    ("section", re.compile(rf"(?:剖面图?|SECTION){_ID}$")),
    ("elevation", re.compile(rf"(?:立面图?|ELEVATION){_ID}$")),
    ("site", re.compile(r"(?:总平面(?:布置|示意)?图?|总图|SITEPLAN)$")),
    ("roof", re.compile(r"(?:屋顶|屋面|ROOF).*(?:平面(?:布置|示意)?图?|PLAN)$")),
)
_PLAN = re.compile(r"(?:平面(?:布置|布局|示意)?图?|PLAN)$")
# plans of a storey that are not its architectural floor plan: ceilings, services,
# structure, fire compartments.  They carry a level but give no rooms.
_OTHER_PLAN = re.compile(
    "顶棚|天花|吊顶|给排水|给水|排水|雨水|污水|电气|照明|插座|动力|弱电|强电|智能化|消防|喷淋|"
    "暖通|空调|通风|采暖|地暖|防排烟|防雷|接地|结构|基础|梁|板|柱|桩|配筋|防火分区|铺装|"
    "CEILING|ELECTRICAL|LIGHTING|POWER|PLUMBING|DRAINAGE|HVAC|MECHANICAL|STRUCTUR|FOUNDATION|"
    "FRAMING|FIRE"
)


def _latin_space(match: re.Match[str]) -> str:
    """Keep one space between Latin words (``Ground Floor Plan``), none in ``一 层 平 面 图``."""
    text, start, end = match.string, match.start(), match.end()
    if start == 0 or end == len(text):
        return ""
    before, after = text[start - 1], text[end]
    latin = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
    return " " if latin else ""


def _display_name(line: str) -> str:
    """The title as a person reads it: scale removed, spaces kept only between Latin words."""
    without_scale = _RAW_TITLE_PREFIX.sub("", _RAW_SCALE.sub("", line))
    squeezed = re.sub(r"\s+", _latin_space, without_scale.strip())
    return squeezed.replace("()", "").replace("（）", "").strip(" _:：")


def _parse_title_line(raw: str) -> TitleInfo | None:
    text = _SCALE.sub("", _prepare(raw)).replace("()", "")
    text = _TITLE_PREFIX.sub("", text).strip("_,")
    if not text or len(text) > _MAX_TITLE or _NOT_A_TITLE.search(text):
        return None
    body = _TRAILING_REMARK.sub("", text)
    for kind, pattern in _NOT_FLOOR_VIEWS:
        if pattern.search(body):
            return TitleInfo(kind, (), _display_name(raw))
    if not _PLAN.search(body):
        return None
    plan_kind: TitleKind = "other_plan" if _OTHER_PLAN.search(text) else "floor"
    return TitleInfo(plan_kind, _find_levels(text), _display_name(raw))


@lru_cache(maxsize=1 << 16)
def parse_title(text: str) -> TitleInfo | None:
    """Read a view title; None when the text is not one.

    Kinds: ``floor`` (``一层平面图``, ``首层平面图 1:100``, ``二~四层平面图``,
    ``标准层平面图``), ``other_plan`` (ceiling, services, structure, fire
    compartments: ``一层顶棚平面图``), ``site`` (``总平面图``, ``总图``), ``roof``
    (``屋顶平面图``), ``elevation`` (``南立面图``, ``①-⑧轴立面图``), ``section``
    (``1-1剖面图``), ``detail`` (``卫生间大样图``, ``楼梯详图``).  English titles too
    (``Ground Floor Plan``, ``Level 2 Plan``, ``North Elevation``, ``Section A-A``).

    A title must *end* with its view word (after its scale, ``比例 1:100``, and a
    short bracketed remark such as ``(一)`` are set aside) and be short, with no
    ``:``/``。``; texts such as ``详见一层平面图`` (a cross-reference) are not
    titles.  Each line of a multi-line text is tried, then the lines joined.
    """
    lines = [line for line in re.split(r"\r\n|[\r\n]|\\P", text) if line.strip()]
    candidates = [*lines, "".join(lines)] if len(lines) > 1 else lines
    for line in candidates:
        info = _parse_title_line(line)
        if info is not None:
            return info
    return None
