"""Reading a view's texts for what they say about rooms and the building."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Text
from .labels import (
    Vocabulary,
    classify_text,
    normalise,
    parse_area_note,
    parse_building_area,
    parse_building_area_caption,
    strip_room_number,
)
from .layers import Role, layer_role
from .rooms import RoomText

# A name text under this share of the plan's typical name height is small print.
SMALL_PRINT = 0.5


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
    # A big drawing repeats its texts (50,000 equipment labels of a few words): what
    # a text says is worked out once per string, and a layer's role once per layer.
    roles: dict[str, str] = {}
    said: dict[str, tuple[str, tuple[str, ...], float | None] | None] = {}
    clutter: dict[str, bool] = {}
    for text in texts:
        role = roles.get(text.text)
        if role is None:
            role = roles[text.text] = classify_text(text.text)
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
            if text.text not in said:
                said[text.text] = _label_words(text.text, vocabulary)
            label = _placed(text, said[text.text])
            if label is None:
                continue
            if not label.functions:
                if text.layer not in clutter:
                    clutter[text.layer] = _clutter_layer(text.layer)
                if clutter[text.layer]:
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
    result.labels = _drop_small_print(join_split_labels(result.labels, vocabulary))
    return result


def _drop_small_print(labels: list[RoomText]) -> list[RoomText]:
    """Texts far smaller than the plan's room names are notes (`manifold`, 0.05 m
    among 0.15 m names), unless they name a function of the standard."""
    heights = sorted(t.height for t in labels if t.height > 0)
    if len(heights) < 3:
        return labels
    typical = heights[len(heights) // 2]
    return [t for t in labels if t.functions or t.height >= SMALL_PRINT * typical]


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
    return _placed(text, _label_words(text.text, vocabulary))


def _label_words(
    raw: str, vocabulary: Vocabulary
) -> tuple[str, tuple[str, ...], float | None] | None:
    """What a name text says, wherever it stands: (name, functions, declared area),
    None when it names nothing (or a fixture)."""
    remainder, area = parse_area_note(raw)
    lines = join_split_names(
        [line for line in strip_room_number(remainder).split("\n") if line], vocabulary
    )
    if not lines and area is None:
        return None
    functions = vocabulary.find_functions("\n".join(lines)) if lines else ()
    if not functions and lines and all(_FIXTURE.search(line) for line in lines):
        return None  # a counter or shelf in a room, not a room
    return "/".join(_as_drawn(raw, lines)), tuple(functions), area


def _placed(text: Text, words: tuple[str, tuple[str, ...], float | None] | None) -> RoomText | None:
    """The label `words` make where `text` stands (None when they name nothing)."""
    if words is None:
        return None
    name, functions, area = words
    return RoomText(text.x, text.y, name, functions, area, text.height)


# Names of fixtures drawn inside rooms: a named counter is furniture, not a room.
_FIXTURE = re.compile(r"(?:台|柜|桌|架|椅|凳|沙发|COUNTER|DESK|SHELF|TABLE)$", re.IGNORECASE)


def _as_drawn(raw: str, lines: list[str]) -> list[str]:
    """Each name line as the drawing spells it (`TV ROOM`, `居民议事（说事）室`) where
    the drawn line is nothing but the name; the normalised form where a room
    number or an area note had to be cut out of it (`101 警务室` -> `警务室`)."""
    drawn = {normalise(line): " ".join(line.split()) for line in raw.splitlines()}
    return [drawn.get(line, line) for line in lines]


def join_split_names(lines: list[str], vocabulary: Vocabulary) -> list[str]:
    """Rejoin a name broken over two lines (`便民服务` / `大厅` in a narrow room).

    A line break separates names (`调解室` / `社会工作室` are two), so two lines are
    joined only when neither names a function and together they do.
    """
    joined: list[str] = []
    for line in lines:
        if (
            joined
            and not vocabulary.find_functions(joined[-1])
            and not vocabulary.find_functions(line)
            and vocabulary.find_functions(joined[-1] + line)
        ):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


def join_split_labels(labels: list[RoomText], vocabulary: Vocabulary) -> list[RoomText]:
    """Rejoin a name drawn as two TEXTs, one above the other (`居民议事` / `(说事)室`).

    Two labels join when neither names a function, together they do, they are
    about as tall, and the second sits within two text heights below the first.
    """
    order = sorted(range(len(labels)), key=lambda i: (-labels[i].y, labels[i].x))
    used: set[int] = set()
    result: list[RoomText] = []
    for pos, i in enumerate(order):
        if i in used:
            continue
        top = labels[i]
        if not top.functions:
            partner = _label_below(top, [labels[j] for j in order[pos + 1 :]], vocabulary)
            if partner is not None:
                j = order[pos + 1 + partner]
                used.add(j)
                below = labels[j]
                top = RoomText(
                    top.x,
                    top.y,
                    top.name + below.name,
                    vocabulary.find_functions(top.name + below.name),
                    top.declared_area if top.declared_area is not None else below.declared_area,
                    top.height,
                )
        result.append(top)
    return result


def _label_below(top: RoomText, rest: list[RoomText], vocabulary: Vocabulary) -> int | None:
    height = max(top.height, 1e-6)
    for k, other in enumerate(rest):
        dy = top.y - other.y
        if dy > 2.5 * height:
            break  # sorted top to bottom: nothing further can be adjacent
        if (
            not other.functions
            and abs(other.x - top.x) < 3.0 * height
            and 0.5 * height < dy
            and abs(other.height - top.height) <= 0.25 * height
            and vocabulary.find_functions(top.name + other.name)
        ):
            return k
    return None


def belongs_near(text: str, vocabulary: Vocabulary) -> bool:
    """Whether a text outside a plan's linework still belongs to the plan nearby:
    a name of a function (a notice board in front of the façade), a declared
    building area or its number (under the plan's title)."""
    role = classify_text(text)
    if role in ("building_area", "area_note"):
        return True
    return role == "name" and bool(vocabulary.find_functions(text))


def _set_building_area(result: ViewTexts, scope: str, value: float) -> None:
    if scope == "total":
        result.total_area = value
    elif result.floor_area is None:
        result.floor_area = value
