"""Room labels as text: normalising, area notes, room numbers, vocabulary names, text roles.

Pure functions on strings: no geometry, no ezdxf.  Everything here works on the
*normalised* form of a text (see `normalise`), because drawings spell the same
thing many ways: full-width or half-width brackets, ``㎡`` or ``m²`` or ``M2``,
spaces typed to centre a name in its room, MTEXT paragraph breaks.

The requirements (``How rooms count``) fix the meaning:

- full-width and half-width brackets and slashes are the same; white space is
  ignored;
- an area note (``25.36㎡``, ``S=25.36``, ``面积:25.36m²``) is not part of the
  name: it is the room's declared area;
- every vocabulary name is found in a label, longest first, without overlap; a
  line break separates names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "TEXT_ROLES",
    "BuildingAreaScope",
    "LabelMatch",
    "NameMatch",
    "TextRole",
    "Vocabulary",
    "classify_text",
    "normalise",
    "parse_area_note",
    "parse_building_area",
    "parse_building_area_caption",
    "split_lines",
    "strip_room_number",
]

# ------------------------------------------------------------------- normalise

# What NFKC leaves alone but a drawing uses interchangeably with ASCII.  NFKC has
# already turned full-width ASCII (（）／：～＝，) into ASCII, ㎡ and m² into "m2".
_FOLD = str.maketrans(
    {
        # every bracket shape is a round bracket: 【调解室】 = (调解室)
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "〖": "(",
        "〗": ")",
        "〘": "(",
        "〙": ")",
        "⦅": "(",
        "⦆": ")",
        # enumeration comma: 调解室、社会工作室
        "、": ",",
        # dashes and waves used for ranges: 二—四层, 2〜4F
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u301c": "~",
        "\u223c": "~",
        "\u2053": "~",
        # ratio colon in scales (1∶100) and odd slashes
        "\u2236": ":",
        "\u2215": "/",
        "\u2044": "/",
    }
)
# MTEXT paragraph (\P) if a reader left it, and every Unicode line break.
_LINE_BREAK = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]|\\P")
_BLANK = re.compile(r"[^\S\n]+")
# AutoCAD %% control codes that survive in TEXT entities.
_PERCENT_CODE = re.compile(r"%%([cCpPdD%uUoOkK])")
_PERCENT_VALUE = {"c": "Ø", "p": "±", "d": "°", "%": "%", "u": "", "o": "", "k": ""}


def _drop_blank(match: re.Match[str]) -> str:
    """White space is ignored, except between two digits: `101 25.36㎡` is two numbers."""
    text, start, end = match.string, match.start(), match.end()
    digits = "0123456789"
    between_digits = start > 0 and end < len(text)
    if between_digits and text[start - 1] in digits and text[end] in digits:
        return " "
    return ""


def _normalise_once(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    folded = _LINE_BREAK.sub("\n", folded).translate(_FOLD)
    folded = _BLANK.sub(_drop_blank, folded)
    folded = _PERCENT_CODE.sub(lambda m: _PERCENT_VALUE[m.group(1).lower()], folded)
    return "\n".join(line for line in folded.split("\n") if line)


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """The canonical form of a drawing text, used for every comparison.

    - NFKC: full-width ASCII to ASCII (``（）／：～＝`` to ``()/:~=``), ``㎡`` and
      ``m²`` to ``m2``, compatibility ideographs to ordinary ones; CJK stays CJK.
    - every bracket shape (``【】〔〕[]{}``) becomes ``()``; ``、`` becomes ``,``;
      dashes and wave dashes become ``-`` and ``~``.
    - AutoCAD ``%%c %%p %%d %%%`` become ``Ø ± ° %``; ``%%u %%o %%k`` vanish.
    - white space is removed, except that a single space is kept between two
      digits (``101 25.36㎡`` is a room number and an area, not ``10125.36``).
    - line breaks (``\\n``, ``\\r\\n``, a leftover MTEXT ``\\P``) are kept as a single
      ``\\n`` between non-empty lines, because a line break separates names.

    ASCII letters keep their case (``M2`` stays ``M2``); matchers ignore case.
    Idempotent: ``normalise(normalise(t)) == normalise(t)``.
    """
    current = text
    for _ in range(8):  # one pass is nearly always enough; a few fix-ups can cascade
        following = _normalise_once(current)
        if following == current:
            break
        current = following
    return current


def split_lines(text: str) -> list[str]:
    """The normalised, non-empty lines of a text (MTEXT paragraphs are separate lines)."""
    normalised = normalise(text)
    return normalised.split("\n") if normalised else []


# ------------------------------------------------------------------ area notes

_NUMBER = r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9])"
_AREA_UNIT = r"(?:m2|m\^2|平方米|平米|sqm)(?![0-9a-z])"
_AREA_PREFIX = r"(?:(?<![a-z])s[=:]|(?:使用|室内|房间|净|套内|实用)?面积(?:为|[=:])?)"
_AREA_NOTE = re.compile(
    rf"(?P<open>\()?(?:{_AREA_PREFIX}(?P<a>{_NUMBER})(?:{_AREA_UNIT})?"
    rf"|(?P<b>{_NUMBER}){_AREA_UNIT})(?(open)\))",
    re.IGNORECASE,
)
# An area that belongs to the building or the site, never to a room.
_NOT_ROOM_AREA = re.compile(
    r"(?:建筑|占地|用地|基底|绿地|绿化|道路|总|计容|地上|地下)总?面积(?:为|[=:])?\(?$"
)
_EDGE_PUNCT = " ,;:/\\-_~|.·"


def _clean_name(text: str) -> str:
    """Tidy what is left of a label once notes were cut out of it."""
    lines = []
    for line in text.split("\n"):
        line = line.replace("()", "").strip(_EDGE_PUNCT)
        if line:
            lines.append(line)
    return "\n".join(lines)


@lru_cache(maxsize=1 << 16)
def parse_area_note(text: str) -> tuple[str, float | None]:
    """Split a label into its name and its declared area.

    Forms: ``25.36㎡``, ``25.36m2``, ``25.36 m²``, ``25.36M2``, ``25.36平方米``,
    ``25.36平米``, ``S=25.36``, ``S=25.36㎡``, ``面积:25.36``, ``面积：25.36m²``,
    ``使用面积=25.36``, each optionally in brackets (``(25.36㎡)``).  A number
    counts only with a unit or an ``S=``/``面积`` prefix: a bare number is a room
    number or a dimension.  Building and site areas (``本层建筑面积：…``,
    ``占地面积…``) are not room areas and are left in the text.

    Returns the normalised name with every area note removed, and the first
    area found (None when there is none):
    ``"调解室 25.36㎡"`` -> ``("调解室", 25.36)``; ``"25.36㎡"`` -> ``("", 25.36)``.
    """
    normalised = normalise(text)
    area: float | None = None
    pieces: list[str] = []
    kept_from = 0
    for match in _AREA_NOTE.finditer(normalised):
        number = "a" if match.group("a") is not None else "b"
        if _NOT_ROOM_AREA.search(normalised[: match.start(number)]):
            continue
        if area is None:
            area = float(match.group(number))
        pieces.append(normalised[kept_from : match.start()])
        pieces.append("\n")  # a note splits what surrounds it
        kept_from = match.end()
    if area is None:
        return normalised, None
    pieces.append(normalised[kept_from:])
    return _clean_name("".join(pieces)), area


# ------------------------------------------------------------------ room numbers

# 101, 101A, 128a, A-101, B101, 1F-03, 2F-101-1
_ROOM_NO = (
    r"(?:[0-9]{1,2}F[-_]?)?(?:[A-Z]{1,2}[-_]?)?[0-9]{1,4}(?:[-_][0-9]{1,3})?"
    r"(?:(?<=[0-9]{3})[A-Z])?"  # a suffix letter only after 3 digits: 101A, not 3D or 5G
)
# a leading number that is part of the name: 1号会议室, 3#楼, 24小时服务区, 101室
_NAME_CONTINUES = r"(?![0-9A-Z]|\.[0-9]|[#号楼层栋座单元区期室]|人(?!民|大)|小时)"
_NEXT_WORD_CONTINUES = re.compile(r"[#号楼层栋座单元区期室]|人(?!民|大)|小时")
_LEADING_NO = re.compile(rf"^\(?{_ROOM_NO}\)?{_NAME_CONTINUES}[-_:.,/]*", re.IGNORECASE)
_TRAILING_NO = re.compile(rf"[-_:.,/]*\(?(?<![0-9A-Z.]){_ROOM_NO}\)?$", re.IGNORECASE)
_WHOLE_NO = re.compile(rf"\(?{_ROOM_NO}\)?", re.IGNORECASE)


def _drop_number_words(line: str) -> str:
    """Drop a room number standing as its own word: ``128a WC`` (normalising would glue them)."""
    words = line.split()
    if (
        len(words) > 1
        and _WHOLE_NO.fullmatch(normalise(words[0]))
        and not _NEXT_WORD_CONTINUES.match(normalise(words[1]))
    ):
        words = words[1:]
    if len(words) > 1 and _WHOLE_NO.fullmatch(normalise(words[-1])):
        words = words[:-1]
    return " ".join(words)


def _strip_line(line: str) -> str:
    stripped = _TRAILING_NO.sub("", _LEADING_NO.sub("", line, count=1), count=1)
    return stripped if stripped.strip(_EDGE_PUNCT) else line


@lru_cache(maxsize=1 << 16)
def strip_room_number(name: str) -> str:
    """The normalised name without room-number tokens at its start or end.

    ``101 警务室``, ``警务室 101``, ``警务室101``, ``A-101 警务室``, ``1F-03警务室``
    -> ``警务室``.  Only leading and trailing tokens go, and only when something
    is left: a text that is nothing but a number (``101``, ``B1``, ``WC101``) is
    returned as is (`classify_text` calls it a number).  A number that is part of
    the name stays: ``1号会议室``, ``3#泵房``, ``24小时自助服务区``, ``101室``.
    Each line of a multi-line label is stripped on its own, and a line that is
    only a room number is dropped when another line remains (``警务室\n101``).
    """
    raw_lines = _LINE_BREAK.sub("\n", name).split("\n")
    lines = [line for line in (normalise(_drop_number_words(r)) for r in raw_lines) if line]
    named = [line for line in lines if not _WHOLE_NO.fullmatch(line)]
    return "\n".join(_strip_line(line) for line in (named or lines))


# -------------------------------------------------------------------- vocabulary

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _key(text: str) -> str:
    """Matching key: normalised, ASCII case folded (length-preserving, so spans hold)."""
    return normalise(text).translate(_ASCII_LOWER)


@dataclass(frozen=True)
class NameMatch:
    """One vocabulary name found in a label.

    `name` is spelled as the vocabulary (the standard file) spells it, for
    reports; `line`, `start`, `end` locate it in the label's normalised lines.
    """

    function: str
    name: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class LabelMatch:
    """What a label names: functions and names in reading order, each once."""

    functions: tuple[str, ...]
    names: tuple[str, ...]
    matches: tuple[NameMatch, ...]


class Vocabulary:
    """The room names of a standard, and a matcher for them.

    Built from ``{function_id: [names...]}``.  Names are normalised as labels
    are, so ``居民议事（说事）室`` in the standard matches ``居民议事(说事)室`` in a
    drawing.  A name claimed by two functions is an error in the standard, not
    something to guess about, so it raises ValueError.
    """

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self._function: dict[str, str] = {}  # key -> function
        self._spelling: dict[str, str] = {}  # key -> name as the standard wrote it
        for function, spellings in names.items():
            for spelling in spellings:
                self._add(function, spelling)
        self.functions: tuple[str, ...] = tuple(names)
        self._memo: dict[str, tuple[str, ...]] = {}
        # longest first, so that at any position the regex prefers the longer name
        keys = sorted(self._function, key=lambda k: (-len(k), k))
        alternation = "|".join(map(re.escape, keys))
        self._starts = re.compile(f"(?=(?:{alternation}))") if keys else None
        self._by_first: dict[str, list[str]] = {}
        for key in keys:
            self._by_first.setdefault(key[0], []).append(key)

    def _add(self, function: str, spelling: str) -> None:
        key = _key(spelling)
        if not key or "\n" in key:
            raise ValueError(f"vocabulary name {spelling!r} of {function!r} is empty or multi-line")
        owner = self._function.get(key)
        if owner is not None and owner != function:
            raise ValueError(f"vocabulary name {spelling!r} belongs to {owner!r} and {function!r}")
        if owner is None:
            self._function[key] = function
            self._spelling[key] = spelling

    @property
    def names(self) -> dict[str, str]:
        """Every name (as the standard spells it) and its function."""
        return {self._spelling[k]: f for k, f in self._function.items()}

    def function_of(self, name: str) -> str | None:
        """The function a single name stands for, None when it is not a vocabulary name."""
        return self._function.get(_key(name))

    def _candidates(self, key: str) -> list[tuple[int, int, str]]:
        """Every (start, end, name key) occurrence in one line, overlaps included."""
        if self._starts is None:
            return []
        found = []
        for position in (m.start() for m in self._starts.finditer(key)):
            for name in self._by_first[key[position]]:
                if key.startswith(name, position):
                    found.append((position, position + len(name), name))
        return found

    def _line_matches(self, line_no: int, key: str) -> list[NameMatch]:
        """Longest first, without overlap; leftmost wins between equal lengths."""
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, int, str]] = []
        for start, end, name in sorted(self._candidates(key), key=lambda c: (c[0] - c[1], c[0])):
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                chosen.append((start, end, name))
        chosen.sort()
        return [
            NameMatch(self._function[n], self._spelling[n], line_no, s, e) for s, e, n in chosen
        ]

    def match(self, label: str) -> LabelMatch:
        """Every vocabulary name in a label, with the functions they stand for.

        The label is normalised; names are found per line (a line break separates
        names), longest first without overlap, so ``无障碍卫生间`` is only the
        barrier-free toilet and ``党员活动室(多功能室)`` is one name.  Functions
        and names come in reading order, each once.  Case-insensitive for Latin.
        """
        matches: list[NameMatch] = []
        for line_no, line in enumerate(_key(label).split("\n")):
            matches.extend(self._line_matches(line_no, line))
        functions = tuple(dict.fromkeys(m.function for m in matches))
        names = tuple(dict.fromkeys(m.name for m in matches))
        return LabelMatch(functions, names, tuple(matches))

    def find_functions(self, label: str) -> tuple[str, ...]:
        """The functions a label names, in reading order, each once; () for an other room.

        Memoised: a big drawing repeats the same few texts thousands of times.
        """
        found = self._memo.get(label)
        if found is None:
            found = self._memo[label] = self.match(label).functions
        return found


# ---------------------------------------------------------------- building areas

_BUILDING_NUMBER = r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?![0-9])"
_FLOOR_PREFIX = (
    r"(?:[一二三四五六七八九十0-9本该此每首底标准地下负第]{1,5}层|[0-9]{1,2}F|F[0-9]{1,2}"
    r"|B[0-9]{1,2}|地下室)"
)
_BUILDING_AREA = re.compile(
    rf"^(?P<floor>{_FLOOR_PREFIX})?(?P<part>地上|地下)?(?P<total>总)?建筑(?P<total2>总)?面积"
    rf"(?:\((?:m2|平方米)\))?(?:为|[=:])?"
    rf"(?:{_BUILDING_NUMBER}(?:m2|平方米|平米)?(?:\([^()]*\))?)?$",
    re.IGNORECASE,
)
BuildingAreaScope = Literal["floor", "total", "part"]


def _building_area_lines(text: str) -> Iterator[tuple[BuildingAreaScope, float | None]]:
    """Each line that declares a building area: its scope and its value, if it has one."""
    for line in split_lines(text):
        match = _BUILDING_AREA.match(line)
        if match is None:
            continue
        scope: BuildingAreaScope = "floor"
        if match["part"]:
            scope = "part"
        elif match["total"] or match["total2"]:
            scope = "total"
        number = match["num"]
        yield scope, float(number.replace(",", "")) if number else None


def parse_building_area(text: str) -> tuple[Literal["floor", "total"], float] | None:
    """A declared building area: ``("floor", a)`` for one storey, ``("total", a)`` for all.

    ``本层建筑面积：286.73m2`` and ``一层建筑面积…`` -> floor; ``总建筑面积：573.46m2``,
    ``总建筑面积573.46㎡`` and ``建筑总面积…`` -> total; a plain ``建筑面积:…``, which
    is found inside a plan frame, -> floor.  ``地上/地下建筑面积`` (part totals),
    captions without a number and sentences that mention an area are None.  The
    first line that is a declaration counts.
    """
    for scope, value in _building_area_lines(text):
        if value is not None and scope != "part":
            return scope, value
    return None


def parse_building_area_caption(text: str) -> BuildingAreaScope | None:
    """The scope of a building-area caption drawn apart from its number, else None.

    Real sheets (TArch exports) often draw ``本层建筑面积：`` and ``286.73m2`` as two
    TEXTs on one baseline; the number alone reads as an area note.  A caller that
    finds a caption pairs it with the area note just right of it, and must not
    give that note to a room.  ``本层建筑面积：`` -> ``"floor"``; ``总建筑面积：`` ->
    ``"total"``; ``地上建筑面积：``/``地下建筑面积：`` -> ``"part"`` (a part total:
    neither a storey nor the whole, but still not a room's area).
    """
    for scope, value in _building_area_lines(text):
        if value is None:
            return scope
    return None


# ---------------------------------------------------------------------- roles

TextRole = Literal["title", "area_note", "building_area", "number", "note", "name"]
TEXT_ROLES: tuple[TextRole, ...] = (
    "title",
    "area_note",
    "building_area",
    "number",
    "note",
    "name",
)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LETTERS = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"[0-9]")
_SCALE = re.compile(r"(?:(?:比例|scale)[:=]?)?1:[0-9]{1,5}", re.IGNORECASE)
# door and window tags: M1021, C1521, FM甲1021, JLM-3030
_DOOR_WINDOW = re.compile(
    r"(?:FM|FHM|FC|JM|JLM|TLM|LM|MC|BYC|GC|M|C)[甲乙丙]?[-_]?[0-9]{3,4}[A-Za-z]?", re.IGNORECASE
)
_ENUMERATION = re.compile(
    r"^(?:[0-9]{1,2}[.),](?![0-9])|\([0-9]{1,2}\)|[一二三四五六七八九十]{1,3}[,.)])"
)
_NOTE_START = re.compile(r"^(?:注(?=[0-9]|$)|说明|备注|附注|Ø|±|DN[0-9]|De[0-9])", re.IGNORECASE)
_NOTE_END = re.compile(r"(?:说明|图例|目录|表|图)$")
_TITLE_BLOCK = frozenset(
    (
        *("设计", "审核", "审定", "校对", "制图", "绘图", "描图", "复核", "批准", "会签"),
        *("工程名称", "项目名称", "图名", "图号", "比例", "日期", "版本", "修改"),
        *("建设单位", "设计单位", "专业负责人", "项目负责人", "工程负责人"),
        *("注册师", "签字", "出图章"),
    )
)
_NAME_MAX_LINE = 30
_NAME_MAX_TOTAL = 60
_NAME_MAX_LINES = 4


def _is_number(text: str) -> bool:
    """Room numbers, dimensions, axis bubbles, levels, tags: texts that name nothing."""
    if _CJK.search(text):
        return _DOOR_WINDOW.fullmatch(text) is not None
    runs = _LETTERS.findall(text)
    if not runs:
        return True  # 101, 3600, ±0.000, Ø, ~
    if _DIGIT.search(text):
        return max(map(len, runs)) <= 2  # 1/A, A-101, 128a, 1F-03, B1, C1521
    return all(len(r) == 1 for r in runs) and len(runs) <= 2  # A, A-A


_SMALL_WORDS = (
    "a an and at by for from in into is of on or see the to with "
    "au aux de des du en et la le les pour sur "
    "am an auf aus bei das der des die ein eine im in mit nach und von zu zum zur"
)
_FUNCTION_WORDS = frozenset(_SMALL_WORDS.split())


def _is_phrase(raw: str) -> bool:
    """A Latin-script sentence rather than a room name.  Room names run to a few
    capitalised words (`Korridor Mitte Süd`, `Material / WC`); a note has a small
    function word (`see detail 3`, `Zugang zum Hof`) or many words."""
    words = [w for w in re.split(r"[\s/]+", raw) if w]
    return len(words) >= 5 or any(w in _FUNCTION_WORDS for w in words)


def _is_note(text: str, raw: str) -> bool:
    """Notes, sentences, title-block words and annotations rather than names."""
    lines = text.split("\n")
    return (
        any(mark in text for mark in ":;。")
        or _NOTE_START.search(text) is not None
        or _NOTE_END.search(text) is not None
        or _ENUMERATION.search(text) is not None
        or text in _TITLE_BLOCK
        or len(lines) > _NAME_MAX_LINES
        or len(text) > _NAME_MAX_TOTAL
        or any(len(line) > _NAME_MAX_LINE for line in lines)
        or (not _CJK.search(raw) and _is_phrase(raw))  # an English phrase
        or (not _CJK.search(text) and _mostly_digits(text))  # a code: S202-C16/2P+GDA202
    )


def _mostly_digits(text: str) -> bool:
    letters = sum(len(r) for r in _LETTERS.findall(text))
    return len(_DIGIT.findall(text)) > letters


@lru_cache(maxsize=1 << 16)
def classify_text(text: str) -> TextRole:
    """What part a text plays on a plan, so that only names are matched to rooms.

    In order (the first that applies wins):

    - ``title``: a view title (`levels.parse_title`): ``一层平面图``, ``A-A剖面图``;
      an MTEXT title with its area below (``一层平面图\\n本层建筑面积：…``) is a
      title, since the floor matters more; `parse_building_area` still reads it;
    - ``building_area``: a declared building area (`parse_building_area`), a
      part total (``地上建筑面积：…``) or a caption without its number
      (``本层建筑面积：``, see `parse_building_area_caption`): never a room's;
    - ``area_note``: only an area (``25.36㎡``; also ``101 25.36㎡``);
    - ``number``: no CJK, and either no letters (``101``, ``3600``, ``±0.000``,
      ``%%C``), letters only in runs of one or two beside digits (``1/A``,
      ``A-101``, ``128a``, ``1F-03``, ``C1521``), or one or two lone letters (``A``,
      ``A-A``); or a door/window tag (``FM甲1021``).  ``WC`` is a name;
    - ``note``: a scale alone (``1:100``), anything with ``:`` ``;`` or ``。``,
      texts starting ``注1``/``说明``/an enumeration (``1.``, ``一、``) or a pipe or
      level mark (``Ø110``, ``±0.000…``), ending in ``说明``/``表``/``图`` (a title
      that is not a view), title-block words (``审核``, ``比例``), a Latin-script
      sentence (with a small function word such as ``see`` or ``und``, or five
      words or more), a Latin code with more digits than letters, and
      anything too long for a room name (a line over 30 characters, over 60 in
      all, over 4 lines);
    - ``name``: the rest that has CJK or a Latin word (``警务室``, ``WC``, ``KITCHEN``);
      else ``note``.  An empty text is a ``note``.

    A label that carries an area (``调解室 25.36㎡``) is judged by its name part.
    This knows no vocabulary.  Because a label wrongly called a note is lost
    while a note wrongly called a name is merely an unmatched text, it errs
    towards ``name``: dimensions inside a short CJK text (``溢流口200*200mm``) or a
    bracketed remark (``(结构标高)``) stay names.
    """
    from planchecker.extraction.levels import parse_title  # levels builds on normalise

    normalised = normalise(text)
    if not normalised:
        return "note"
    if parse_title(text) is not None:
        return "title"
    if next(_building_area_lines(normalised), None) is not None:
        return "building_area"
    if _SCALE.fullmatch(normalised):
        return "note"
    name, area = parse_area_note(normalised)
    if area is not None and (not name or _is_number(name)):
        return "area_note"
    if _is_number(name):
        return "number"
    if _is_note(name, text):
        return "note"
    if _CJK.search(name) or any(len(r) >= 2 for r in _LETTERS.findall(name)):
        return "name"
    return "note"
