"""The extract stage: drawings in metres -> the Plan of one centre.

For each drawing: split it into views, keep the floor plans (and the site plan, for
outdoor functions), read each view's texts, find its rooms, measure its outer
outline, and decide its level.  Then number the rooms per floor and collect the
warnings the judge will report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import DrawingError
from ..model import Drawing, Floor, Label, LevelSource, Notice, Outline, Plan, Room
from ..standards import Standard
from . import floors as fl
from .gross import outer_outline
from .labels import Vocabulary, classify_text
from .layers import Role, can_bound_room, door_block, layer_role
from .levels import TitleInfo, parse_title
from .rooms import RoomDraft, RoomText, ViewRooms, find_rooms
from .texts import ViewTexts, belongs_near, read_texts
from .views import View, split_views
from .walls import wall_faces

# Views that are not floor plans give no rooms (requirements.md, "Floors").
_NOT_FLOORS = {"roof", "elevation", "section", "detail", "other_plan"}
# An untitled view with no room names is kept as the drawing's plan only when it
# holds at least this many room-sized shapes.
_MIN_UNLABELLED_ROOMS = 2


@dataclass
class _Found:
    """One plan view of one drawing, read and measured, waiting for its level."""

    drawing: Drawing
    view: View
    title: TitleInfo | None
    texts: ViewTexts
    rooms: ViewRooms
    outline: BaseGeometry
    outline_source: str
    levels: tuple[int, ...] = ()
    level_source: LevelSource | None = None
    site: bool = False
    notices: list[Notice] = field(default_factory=list)

    @property
    def where(self) -> str:
        name = Path(self.drawing.path).name
        if self.title is not None:
            return f"{name} ({self.title.name})"
        return name

    @property
    def labelled(self) -> int:
        return sum(1 for r in self.rooms.rooms if r.functions)


def extract(drawings: Sequence[Drawing], standard: Standard) -> Plan:
    """The Plan of one centre from its drawings (one per file)."""
    vocabulary = Vocabulary(standard.vocabulary())
    outdoor = {f.id for f in standard.functions.values() if f.outdoor}
    notices: list[Notice] = []
    found: list[_Found] = []
    for drawing in drawings:
        views = _plan_views(drawing, vocabulary, outdoor)
        if not views:
            raise _no_floor_plan(drawing)
        found.extend(views)
        notices.extend(_drawing_notices(drawing))
    floors_found = [f for f in found if not f.site]
    if not floors_found:
        raise _no_floor_plan(drawings[0])
    notices.extend(_assign_levels(floors_found))
    floors_found = _drop_duplicate_levels(floors_found, notices)
    rooms, labels, plan_floors = _number(floors_found, [f for f in found if f.site])
    room_functions = {f.id for f in standard.functions.values() if f.room}
    notices.extend(_room_notices(rooms, labels, room_functions))
    for f in found:
        notices.extend(f.notices)
    totals = [f.texts.total_area for f in found if f.texts.total_area is not None]
    first = drawings[0]
    return Plan(
        files=tuple(d.path for d in drawings),
        floors=tuple(plan_floors),
        rooms=tuple(rooms),
        orphan_labels=tuple(labels),
        units=first.units,
        encoding=first.encoding,
        notices=tuple(notices),
        declared_total_area=max(totals) if totals else None,
        read_issues=tuple(issue for d in drawings for issue in d.issues),
        linework=_linework(floors_found),
    )


# ---------------------------------------------------------------------- views


def _plan_views(drawing: Drawing, vocabulary: Vocabulary, outdoor: set[str]) -> list[_Found]:
    views = split_views(
        drawing,
        is_title=_is_view_title,
        belongs_near=lambda s: belongs_near(s, vocabulary),
        names_floor=_names_floor,
    )
    kept: list[_Found] = []
    spare: list[_Found] = []
    for view in views:
        title = parse_title(drawing.texts[view.title].text) if view.title is not None else None
        if title is not None and title.kind in _NOT_FLOORS:
            continue
        result = _read_view(drawing, view, title, vocabulary)
        if title is not None and title.kind == "site":
            _keep_outdoor(result, outdoor)
            if result.rooms.rooms or result.rooms.loose:
                kept.append(result)
            continue
        if title is not None or any(t.functions for t in result.texts.labels):
            kept.append(result)
        elif len(result.rooms.unlabelled) + len(result.rooms.rooms) >= _MIN_UNLABELLED_ROOMS:
            spare.append(result)
    if not any(not f.site for f in kept) and spare:
        kept.append(max(spare, key=lambda f: f.outline.area))
    return kept


_TITLE_BLOCK_CELL = re.compile(r"^\s*(?:图名|图纸名称|TITLE)\s*[:：]?\s")


def _is_view_title(text: str) -> bool:
    """A view's title (一层平面图 1:100); not the drawing name in the title block's
    `图名` cell, which names every plan on the sheet (`图名  一、二层平面图`)."""
    if _TITLE_BLOCK_CELL.match(text):
        return False
    return classify_text(text) == "title" and parse_title(text) is not None


def _names_floor(text: str) -> bool:
    title = parse_title(text)
    return title is not None and title.kind == "floor" and bool(title.levels)


def _read_view(drawing: Drawing, view: View, title: TitleInfo | None, vocabulary) -> _Found:
    texts = read_texts((drawing.texts[i] for i in view.texts), vocabulary)
    outlines = drawing.outlines.some(view.outlines)
    outlines += _room_layer_outlines(drawing, view, outlines)
    walls, doors = _wall_segments(drawing, view)
    rooms = find_rooms(outlines, walls, texts.labels, texts.notes, doors)
    if not rooms.rooms and not rooms.unlabelled and rooms.faces is None:
        rooms.faces = wall_faces(walls, doors=doors)
        rooms.unlabelled = [RoomDraft(p, "walls") for p in rooms.faces.rooms]
    labelled = [r.polygon for r in rooms.rooms]
    outline, source = outer_outline(outlines, labelled, None)
    if source != "outer_wall":
        if rooms.faces is None:
            rooms.faces = wall_faces(walls, doors=doors)
        outline, source = outer_outline(outlines, labelled or _polys(rooms.unlabelled), rooms.faces)
    return _Found(
        drawing,
        view,
        title,
        texts,
        rooms,
        outline,
        source,
        site=bool(title is not None and title.kind == "site"),
    )


def _polys(drafts: list[RoomDraft]) -> list:
    return [d.polygon for d in drafts]


def _standing(drawing: Drawing, view: View) -> np.ndarray:
    """The view's outlines that stand for their edges (`Outline.edges`)."""
    indices = np.asarray(view.outlines, dtype=np.intp)
    if not len(indices):
        return indices
    return indices[drawing.outlines.edges_mask()[indices]]


def _room_layer_outlines(drawing: Drawing, view: View, closed: list[Outline]) -> list[Outline]:
    """Outlines chained from the open linework of room layers.

    A room outline is sometimes drawn as an open polyline closed by a separate line
    on the same layer (`Room - Hallway`).  Each room layer's lines are polygonised
    on their own; a face that repeats a closed outline (the outline's own edges,
    flattened more coarsely as linework) is left out.
    """
    indices, standing = view.segments, _standing(drawing, view)
    if len(indices) == 0 and len(standing) == 0:
        return []
    room_layers = [i for i, name in enumerate(drawing.layers) if layer_role(name) is Role.ROOM]
    if not room_layers:
        return []
    layer_idx = drawing.segment_layers[indices]
    standing_layers = drawing.outline_layer_ids(standing)
    found: list[Outline] = []
    for layer in room_layers:
        segments = drawing.segments[indices[layer_idx == layer]]
        edges = drawing.outline_lines(standing[standing_layers == layer])[0]
        if len(edges):
            segments = np.concatenate([segments, edges])
        if len(segments) < 3:
            continue
        name = drawing.layers[layer]
        drawn = [o.polygon for o in closed if o.layer == name]
        tree = shapely.STRtree(np.array(drawn, dtype=object)) if drawn else None
        for face in wall_faces(segments, close=False).rooms:
            if tree is not None and any(
                face.intersection(drawn[i]).area > 0.9 * max(face.area, drawn[i].area)
                for i in tree.query(face, predicate="intersects")
            ):
                continue
            found.append(Outline(face, name, "outline"))
    return found


def _wall_segments(drawing: Drawing, view: View) -> tuple[np.ndarray, np.ndarray]:
    """The view's lines that can bound a room, and the lines of its door blocks.

    Where the drawing has wall layers, only walls, windows and columns count, so
    that furniture drawn on layer 0 does not cut rooms up; otherwise every line
    that is not furniture, annotation or frame.  Where the drawing's own layers hold
    walls, the wall layers of a bound xref (`<xref>$0$WALL`) are another
    discipline's pasted drawing (a pump frame, a lowered slab), not walls.  Lines of
    door blocks are never walls, whatever their layer (TArch puts doors on WINDOW).
    The edges of the view's closed outlines count as their layer's lines; only
    those that count are made (`Drawing.outline_lines`), not the furniture's.
    """
    indices, standing = view.segments, _standing(drawing, view)
    if len(indices) == 0 and len(standing) == 0:
        return np.zeros((0, 2, 2)), np.zeros((0, 2, 2))
    roles = [layer_role(name) for name in drawing.layers]
    is_wall = np.array([r is Role.WALL for r in roles], dtype=bool)
    bounds = np.array([r in (Role.WALL, Role.WINDOW, Role.COLUMN) for r in roles], dtype=bool)
    bound_xref = np.array(["$0$" in name for name in drawing.layers], dtype=bool)
    layer_idx = drawing.segment_layers[indices]
    standing_layers = drawing.outline_layer_ids(standing)
    # which layers the view uses decides which layers count; then one lookup per
    # segment (a view of a big drawing has millions)
    used = np.bincount(layer_idx, minlength=len(drawing.layers)) > 0
    known = standing_layers >= 0  # always, from the reader
    used |= np.bincount(standing_layers[known], minlength=len(drawing.layers)) > 0
    if (is_wall & used).any():
        counts = bounds
        if (is_wall & ~bound_xref & used).any():
            counts = counts & ~(is_wall & bound_xref)
    else:
        counts = np.array([can_bound_room(r) for r in roles], dtype=bool)
    keep = counts[layer_idx]
    door = np.zeros(len(indices), dtype=bool)
    if drawing.segment_blocks is not None and drawing.blocks:
        doors = np.array([door_block(name) for name in drawing.blocks] + [False], dtype=bool)
        door = doors[drawing.segment_blocks[indices]]  # -1 picks the trailing False
        keep &= ~door
    walls, door_lines = drawing.segments[indices[keep]], drawing.segments[indices[door]]
    if len(standing):
        blocks = drawing.outlines.store.blocks
        in_door = np.array([door_block(blocks[i] or "") for i in standing], dtype=bool)
        wanted = (known & counts[standing_layers]) | in_door
        edges, _, source = drawing.outline_lines(standing[wanted])
        if len(edges):
            edge_door = np.isin(source, standing[in_door])
            walls = np.concatenate([walls, edges[~edge_door]])
            door_lines = np.concatenate([door_lines, edges[edge_door]])
    return walls, door_lines


def _keep_outdoor(found: _Found, outdoor: set[str]) -> None:
    """A site plan gives only outdoor rooms (the plaza), never a storey."""
    found.rooms.rooms = [r for r in found.rooms.rooms if set(r.functions) & outdoor]
    found.rooms.loose = [t for t in found.rooms.loose if set(t.functions) & outdoor]
    found.rooms.unlabelled = []
    found.levels, found.level_source = (0,), "title"


# --------------------------------------------------------------------- levels


def _assign_levels(found: list[_Found]) -> list[Notice]:
    notices: list[Notice] = []
    pending: list[_Found] = []
    for f in found:
        names, ids = f.drawing.outlines.layer_names, f.drawing.outlines.store.layers
        used = set(ids[np.asarray(f.view.outlines, dtype=np.intp)].tolist())
        layer_names = [names[i] for i in used]
        layer_names += [f.drawing.texts[i].layer for i in f.view.texts]
        evidence = fl.gather_evidence(f.title, set(layer_names), f.drawing.path)
        levels, source, conflicts = fl.resolve(evidence, f.where)
        notices.extend(conflicts)
        if levels:
            f.levels, f.level_source = levels, source
        else:
            pending.append(f)
    taken = {level for f in found for level in f.levels}
    alone = len(found) == 1
    for f, level in zip(pending, fl.assume_levels(len(pending), taken), strict=True):
        f.levels, f.level_source = (level,), "assumed"
        notices.append(fl.assumed_notice(f.where, level, alone))
    return notices


def _drop_duplicate_levels(found: list[_Found], notices: list[Notice]) -> list[_Found]:
    """Two views of one storey (a plan drawn twice): the one with more named rooms counts."""
    kept: list[_Found] = []
    by_level: dict[int, _Found] = {}
    for f in sorted(found, key=lambda f: -f.labelled):
        clash = [level for level in f.levels if level in by_level]
        if clash:
            other = by_level[clash[0]]
            notices.append(
                Notice(
                    code="plan.floor_conflict",
                    en=f"{f.where} and {other.where} both show {fl.level_english(clash[0])}; "
                    f"only {other.where} was reviewed",
                    zh=f"{f.where}与{other.where}均为{fl.level_label(clash[0])}，仅审查{other.where}",
                )
            )
            continue
        for level in f.levels:
            by_level[level] = f
        kept.append(f)
    return [f for f in found if f in kept]


# -------------------------------------------------------------------- numbering


def _order(drafts: list[RoomDraft]) -> list[RoomDraft]:
    """Rooms read top to bottom in 1 m bands, then left to right: stable ids."""

    def key(draft: RoomDraft):
        point = draft.polygon.representative_point()
        return (-round(point.y), round(point.x, 3), round(draft.polygon.area, 3))

    return sorted(drafts, key=key)


def _number(floors_found: list[_Found], sites: list[_Found]):
    rooms: list[Room] = []
    labels: list[Label] = []
    plan_floors: list[Floor] = []
    for f in sorted([*floors_found, *sites], key=lambda f: min(f.levels)):
        drafts = _order(f.rooms.rooms + f.rooms.unlabelled)
        for level in f.levels:
            code = fl.level_code(level)
            for n, draft in enumerate(drafts, start=1):
                rooms.append(_room(draft, f"{code}-R{n:02d}", level, f.drawing.path))
            labels.extend(_label(t, level, f.drawing.path) for t in f.rooms.loose if t.functions)
            if not f.site:
                plan_floors.append(_floor(f, level))
    plan_floors.sort(key=lambda floor: floor.level)
    return rooms, labels, plan_floors


def _room(draft: RoomDraft, room_id: str, level: int, path: str) -> Room:
    return Room(
        id=room_id,
        level=level,
        polygon=draft.polygon,
        label="/".join(draft.names),
        functions=tuple(draft.functions),
        source=draft.source,
        declared_area=draft.stated_area(),
        file=path,
        layer=draft.layer,
        centreline=draft.centreline,
        label_outside=draft.adopted,
        label_conflict=draft.conflicting(),
    )


def _label(text: RoomText, level: int, path: str) -> Label:
    return Label(text.name, text.x, text.y, level, text.functions, path, text.declared_area)


def _floor(f: _Found, level: int) -> Floor:
    if f.title is not None and f.title.kind == "floor":
        name = f.title.name
    elif f.level_source == "file":
        name = Path(f.drawing.path).stem
    else:
        name = fl.level_label(level)
    return Floor(
        level=level,
        name=name,
        outline=f.outline,
        level_source=f.level_source or "assumed",
        file=f.drawing.path,
        declared_gross_area=f.texts.floor_area,
        outline_source=f.outline_source,  # type: ignore[arg-type]
        frame=f.view.bbox,
    )


class Linework(Mapping[int, np.ndarray]):
    """Each floor's linework for the overlays, by level: its view's segments, in
    drawing order, then the edges of its closed outlines, as an (N, 2, 2) array
    gathered when asked for.

    Only the overlays draw it.  Gathering every floor's segments up front copied
    them all while the drawings were still held (190 MB more at the peak of a
    200,000-entity review); this holds the drawings and their views, which exist
    anyway.  A view that is one run of its drawing's segments and has no closed
    outlines is given as a slice, without a copy.
    """

    def __init__(self, parts: dict[int, tuple[Drawing, View]]) -> None:
        self._parts = parts

    def __getitem__(self, level: int) -> np.ndarray:
        drawing, view = self._parts[level]
        segments, index = drawing.segments, view.segments
        if len(index) and index[-1] - index[0] + 1 == len(index):  # ascending: one run
            own = segments[index[0] : index[-1] + 1]
        else:
            own = segments[index]
        edges = drawing.outline_lines(view.outlines)[0]
        return np.concatenate([own, edges]) if len(edges) else own

    def __iter__(self) -> Iterator[int]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def __repr__(self) -> str:
        sizes = ", ".join(
            f"{level}: {len(view.segments)}" for level, (_, view) in self._parts.items()
        )
        return f"Linework({{{sizes}}} segments)"


def _linework(found: list[_Found]) -> Linework:
    parts: dict[int, tuple[Drawing, View]] = {}
    for f in found:
        for level in f.levels:
            parts[level] = (f.drawing, f.view)
    return Linework(parts)


# --------------------------------------------------------------------- notices


def _room_notices(rooms: list[Room], labels: list[Label], room_functions: set[str]) -> list[Notice]:
    notices = []
    unnamed = [r.id for r in rooms if not r.label]
    if unnamed:
        notices.append(
            Notice(
                code="plan.unlabelled_room",
                en=f"{len(unnamed)} room outline(s) carry no name: {', '.join(unnamed)}",
                zh=f"{len(unnamed)}个房间轮廓没有名称：{'、'.join(unnamed)}",
                rooms=tuple(unnamed),
            )
        )
    outside = [r for r in rooms if r.label_outside]
    if outside:
        notices.append(
            Notice(
                code="room.label_outside",
                en="name(s) written just outside a room outline, taken as its name: "
                + ", ".join(f"'{r.label}' for {r.id}" for r in outside),
                zh="房间名称写在轮廓外侧，按最近的房间计："
                + "、".join(f"“{r.label}”→{r.id}" for r in outside),
                rooms=tuple(r.id for r in outside),
            )
        )
    conflicts = [r for r in rooms if r.label_conflict]
    if conflicts:
        notices.append(
            Notice(
                code="room.label_conflict",
                en="separate names in one room name different functions (counted for each; "
                "check for a missing wall): " + ", ".join(f"{r.id} '{r.label}'" for r in conflicts),
                zh="同一房间内有多个不同功能的名称（各功能均计入，请核查是否缺少隔墙）："
                + "、".join(f"{r.id}“{r.label}”" for r in conflicts),
                rooms=tuple(r.id for r in conflicts),
            )
        )
    orphans = [lb for lb in labels if set(lb.functions) & room_functions]
    if orphans:
        where_en = "; ".join(
            f"'{lb.text}' at ({lb.x:.2f}, {lb.y:.2f}) on {fl.level_english(lb.level)}"
            for lb in orphans
        )
        where_zh = "；".join(
            f"“{lb.text}”位于{_level_zh(lb.level)}({lb.x:.2f}, {lb.y:.2f})" for lb in orphans
        )
        notices.append(
            Notice(
                code="plan.orphan_label",
                en=f"{len(orphans)} room name(s) in no room outline or walled space: {where_en}",
                zh=f"{len(orphans)}个房间名称不在任何房间轮廓或墙体围合空间内：{where_zh}",
            )
        )
    return notices


def _level_zh(level: int) -> str:
    return fl.level_label(level) if level else "总平面"


# Read issues that lose nothing: a polyline closed because its ends meet, units or
# a code page corrected (those have warnings of their own).
_BENIGN_ISSUES = {"outline_closed", "units_inferred", "encoding_corrected"}

_UNIT_ZH = {0.001: "毫米", 0.01: "厘米", 1.0: "米"}


def _drawing_notices(drawing: Drawing) -> list[Notice]:
    name = Path(drawing.path).name
    notices = []
    if drawing.units.source == "inferred":
        unit = _UNIT_ZH.get(drawing.units.metres_per_unit, f"{drawing.units.metres_per_unit}米")
        notices.append(
            Notice(
                code="plan.units_guessed",
                en=f"{name}: {drawing.units.note or 'units inferred from the geometry'}",
                zh=f"{name}：图纸未给出可信的单位，按{unit}计（{drawing.units.note}）",
                file=drawing.path,
            )
        )
    for issue in drawing.issues:
        if issue.code == "encoding_corrected":
            notices.append(
                Notice(
                    "plan.encoding_repaired",
                    f"{name}: {issue.detail}",
                    f"{name}：文字编码已按实际内容修正（{issue.detail}）",
                    file=drawing.path,
                )
            )
    lossy = [i for i in drawing.issues if i.code not in _BENIGN_ISSUES and i.count > 0]
    if lossy:
        detail = "; ".join(i.detail for i in lossy)
        notices.append(
            Notice(
                "plan.read_quality",
                f"{name}: {detail}",
                f"{name}：读图时有图元被跳过或修复：{detail}",
                file=drawing.path,
            )
        )
    return notices


def _no_floor_plan(drawing: Drawing) -> DrawingError:
    xrefs = [i for i in drawing.issues if i.code == "xref_skipped"]
    if xrefs:
        advice = (
            f"its content is in an external reference that is not bound ({xrefs[0].detail}): "
            "bind the xref (AutoCAD: XREF → Bind, or XBIND) and export the DXF again"
        )
    elif drawing.proxy_count >= max(5, len(drawing.outlines)):
        advice = (
            f"its {drawing.proxy_count} TArch objects cannot be read: export it to T3 "
            "in TArch (天正 图形导出) and review the exported file"
        )
    elif not drawing.outlines and not len(drawing.segments) and not drawing.texts:
        advice = "the modelspace is empty"
    elif not drawing.texts and drawing.line_count:
        advice = (
            f"its {drawing.line_count:,} lines enclose no room-sized space and it has "
            "no text: put walls on a wall layer and floor patterns on a hatch layer, and "
            "label each room with its name (see docs/user-guide.md)"
        )
    else:
        advice = (
            "no room outlines, walls or room names were found; draw rooms as closed "
            "polylines or walls and label them (see docs/user-guide.md)"
        )
    return DrawingError(drawing.path, "no floor plan found", advice)
