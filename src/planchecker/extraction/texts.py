"""Reading a view's texts for what they say about rooms and the building."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Text
from .labels import (
    Vocabulary,
    classify_text,
    parse_area_note,
    parse_building_area,
    strip_room_number,
)
from .rooms import RoomText


@dataclass
class ViewTexts:
    """Room names, bare area notes, and the building areas a view declares."""

    labels: list[RoomText] = field(default_factory=list)
    notes: list[RoomText] = field(default_factory=list)
    floor_area: float | None = None  # 本层建筑面积
    total_area: float | None = None  # 总建筑面积


def read_texts(texts: Iterable[Text], vocabulary: Vocabulary) -> ViewTexts:
    """Sort a view's texts into room labels, area notes and building areas.

    Titles, numbers (room numbers, dimensions, axis bubbles) and notes are left
    out, so that no dimension becomes a label by accident.
    """
    result = ViewTexts()
    for text in texts:
        role = classify_text(text.text)
        if role == "building_area":
            _building_area(result, text.text)
        elif role == "area_note":
            _, area = parse_area_note(text.text)
            if area is not None:
                result.notes.append(RoomText(text.x, text.y, "", (), area))
        elif role == "name":
            label = room_label(text, vocabulary)
            if label is None:
                continue
            if label.name:
                result.labels.append(label)
            elif label.declared_area is not None:
                result.notes.append(label)
    return result


def room_label(text: Text, vocabulary: Vocabulary) -> RoomText | None:
    """A name text as a label: its name lines, the functions named, a declared area."""
    remainder, area = parse_area_note(text.text)
    lines = [line for line in strip_room_number(remainder).split("\n") if line]
    if not lines and area is None:
        return None
    name = "/".join(lines)
    functions = vocabulary.find_functions("\n".join(lines)) if lines else ()
    return RoomText(text.x, text.y, name, functions, area)


def belongs_near(text: str, vocabulary: Vocabulary) -> bool:
    """Whether a text outside a plan's linework still belongs to the plan nearby:
    a name of a function (a notice board in front of the façade) or a declared
    building area (under the plan's title)."""
    role = classify_text(text)
    if role == "building_area":
        return True
    return role == "name" and bool(vocabulary.find_functions(text))


def _building_area(result: ViewTexts, raw: str) -> None:
    parsed = parse_building_area(raw)
    if parsed is None:
        return
    scope, value = parsed
    if scope == "total":
        result.total_area = value
    elif result.floor_area is None:
        result.floor_area = value
