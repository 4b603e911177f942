"""Which storey each plan view shows: from its title, its layers, or its file name.

Evidence ranks title > layer > file name (requirements.md, "Floors"); where they
disagree the title wins and the report warns.  Views with no evidence at all are
given the lowest free levels in reading order, with a warning; a lone such view is
the ground floor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import LevelSource, Notice
from .levels import TitleInfo, parse_level_token, parse_levels_token

_ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    if n < 10:
        return _ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _ZH_DIGITS[tens]
    return f"{head}十{_ZH_DIGITS[ones] if ones else ''}"


def level_label(level: int) -> str:
    """一层, 二层, 地下一层: how a Chinese drawing names a storey."""
    if level < 0:
        return f"地下{zh_number(-level)}层"
    return f"{zh_number(level)}层"


def level_code(level: int) -> str:
    """The prefix of room ids: F1, F2, B1 (basement), S (site plan)."""
    if level == 0:
        return "S"
    return f"B{-level}" if level < 0 else f"F{level}"


@dataclass(frozen=True)
class LevelEvidence:
    title: tuple[int, ...]
    layers: frozenset[int]
    file: tuple[int, ...]


def gather_evidence(
    title: TitleInfo | None, layer_names: Iterable[str], path: str
) -> LevelEvidence:
    title_levels = title.levels if title is not None and title.kind == "floor" else ()
    layers = {parse_level_token(name) for name in layer_names}
    layers.discard(None)
    return LevelEvidence(title_levels, frozenset(layers), parse_levels_token(Path(path).stem))


def resolve(
    evidence: LevelEvidence, where: str
) -> tuple[tuple[int, ...], LevelSource | None, list[Notice]]:
    """Levels of a view, the evidence used, and warnings where evidence disagrees.

    Returns no levels (and source None) when there is no evidence; the caller
    assigns those views afterwards.
    """
    notices: list[Notice] = []
    ranked: list[tuple[LevelSource, tuple[int, ...]]] = []
    if evidence.title:
        ranked.append(("title", evidence.title))
    if len(evidence.layers) == 1:
        ranked.append(("layer", tuple(evidence.layers)))
    if evidence.file:
        ranked.append(("file", evidence.file))
    if not ranked:
        return (), None, notices
    source, levels = ranked[0]
    for other, other_levels in ranked[1:]:
        if set(other_levels) != set(levels):
            notices.append(_conflict(where, source, levels, other, other_levels))
    return levels, source, notices


_SOURCE_ZH = {"title": "图名", "layer": "图层名", "file": "文件名"}


def _conflict(where: str, source: str, levels, other: str, other_levels) -> Notice:
    used = "、".join(level_label(v) for v in levels)
    seen = "、".join(level_label(v) for v in other_levels)
    return Notice(
        code="plan.floor_conflict",
        en=f"{where}: the {source} says {_levels_en(levels)} but the {other} says "
        f"{_levels_en(other_levels)}; the {source} was used",
        zh=f"{where}：{_SOURCE_ZH[source]}为{used}，{_SOURCE_ZH[other]}为{seen}，按{_SOURCE_ZH[source]}计",
    )


def _levels_en(levels) -> str:
    return ", ".join(level_english(v) for v in levels)


def level_english(level: int) -> str:
    if level == 0:
        return "site plan"
    return f"basement {-level}" if level < 0 else f"floor {level}"


def assume_levels(count: int, taken: set[int]) -> list[int]:
    """Levels for views with no evidence: a lone view is the ground floor; several
    take the lowest free levels above ground, in reading order."""
    levels, candidate = [], 1
    while len(levels) < count:
        if candidate not in taken:
            levels.append(candidate)
        candidate += 1
    return levels


def assumed_notice(where: str, level: int, alone: bool) -> Notice:
    if alone:
        return Notice(
            code="plan.floor_assumed",
            en=f"{where}: a single plan with no floor title, layer or file name naming its floor; "
            "taken as the ground floor",
            zh=f"{where}：单张平面图未注明楼层（图名、图层名、文件名均无），按一层计",
        )
    return Notice(
        code="plan.floor_assumed",
        en=f"{where}: a plan with no floor title, layer or file name naming its floor; "
        f"taken as {level_english(level)}",
        zh=f"{where}：平面图未注明楼层，按{level_label(level)}计",
    )
