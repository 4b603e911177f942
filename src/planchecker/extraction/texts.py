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
    parse_building_area_caption,
    strip_room_number,
)
from .layers import Role, layer_role
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
    out, so that no dimension becomes a label by accident; so are names on
    equipment and annotation layers, unless they name a function.  A building-area caption
    drawn apart from its number (`本层建筑面积：` then `286.73m2`, two TEXTs on one
    line, as TArch writes them) takes the area note to its right, which is then
    never a room's.
    """
    result = ViewTexts()
    notes: list[tuple[Text, float]] = []
    captions: list[tuple[Text, str]] = []
    for text in texts:
        role = classify_text(text.text)
        if role == "building_area":
            parsed = parse_building_area(text.text)
            if parsed is not None:
                _set_building_area(result, *parsed)
            else:
                scope = parse_building_area_caption(text.text)
                if scope is not None:
                    captions.append((text, scope))
        elif role == "area_note":
            _, area = parse_area_note(text.text)
            if area is not None:
                notes.append((text, area))
        elif role == "name":
            label = room_label(text, vocabulary)
            if label is None or (not label.functions and _clutter_layer(text.layer)):
                continue
            if label.name:
                result.labels.append(label)
            elif label.declared_area is not None:
                notes.append((text, label.declared_area))
    for caption, scope in captions:
        index = _number_right_of(caption, notes)
        if index is not None:
            _, area = notes.pop(index)
            if scope in ("floor", "total"):
                _set_building_area(result, scope, area)
    result.notes = [RoomText(t.x, t.y, "", (), area) for t, area in notes]
    return result


def _clutter_layer(layer: str) -> bool:
    """Texts on equipment, annotation and frame layers (`水-消防系统-设备`,
    `DIM_SYMB`, `图框`) name things in a room, not the room, unless they name a
    function of the standard."""
    return layer_role(layer) in (Role.FURNITURE, Role.ANNOTATION, Role.FRAME)


def _number_right_of(caption: Text, notes: list[tuple[Text, float]]) -> int | None:
    """The area note on the caption's line, nearest to its right."""
    height = max(caption.height, 1e-6)
    best, best_dx = None, 30.0 * height
    for i, (note, _) in enumerate(notes):
        dx, dy = note.x - caption.x, abs(note.y - caption.y)
        if 0.0 < dx < best_dx and dy < 0.6 * height:
            best, best_dx = i, dx
    return best


def room_label(text: Text, vocabulary: Vocabulary) -> RoomText | None:
    """A name text as a label: its name lines, the functions named, a declared area."""
    remainder, area = parse_area_note(text.text)
    lines = [line for line in strip_room_number(remainder).split("\n") if line]
    if not lines and area is None:
        return None
    name = "/".join(lines)
    functions = vocabulary.find_functions("\n".join(lines)) if lines else ()
    return RoomText(text.x, text.y, name, functions, area, text.height)


def belongs_near(text: str, vocabulary: Vocabulary) -> bool:
    """Whether a text outside a plan's linework still belongs to the plan nearby:
    a name of a function (a notice board in front of the façade) or a declared
    building area (under the plan's title)."""
    role = classify_text(text)
    if role == "building_area":
        return True
    return role == "name" and bool(vocabulary.find_functions(text))


def _set_building_area(result: ViewTexts, scope: str, value: float) -> None:
    if scope == "total":
        result.total_area = value
    elif result.floor_area is None:
        result.floor_area = value
