"""Rooms of one plan view: outlines matched with the labels inside them.

Every plausible closed outline or hatch boundary is a candidate room.  Each label
goes to the smallest candidate that contains its anchor (one STRtree query for all
labels, not a loop over rooms x labels).  An outline that turns out to hold several
labelled rooms is a container (the building's outer wall line), not a room; one that
holds a small labelled room (a shaft) has it cut out as a hole.  A label that no
candidate holds gets the face its wall lines enclose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Polygon

from ..model import Outline, RoomSource
from .layers import Role, block_is_clutter, can_be_room, layer_role
from .walls import WallFaces, wall_faces

# An outline smaller (m²) or narrower (2 × area / perimeter, m) than this is a
# column, a fixture or a wall strip, not a room.
MIN_ROOM_AREA = 1.0
MIN_ROOM_WIDTH = 0.5
# A smaller outline is a room only when a name other than a function's lies in it
# (a shaft, 管井 0.48 m²); a function's name in a small box is a boxed label.
MIN_SHAFT_AREA = 0.1
MIN_SHAFT_WIDTH = 0.2
# A labelled outline is a container, not a room, when the labelled rooms inside it
# number this many or cover more than this share of it.
CONTAINER_ROOMS = 3
CONTAINER_SHARE = 0.5
# A name just outside an unnamed outline (a small room whose name overflows it)
# names it when it lies within this many metres, or this many text heights.
ADOPT_REACH = 0.6
ADOPT_HEIGHTS = 1.5
# A solid hatch smaller than this (m²) inside a room is a column: cut out.
MAX_COLUMN_AREA = 4.0


@dataclass(frozen=True)
class RoomText:
    """A text of the view, read for what it says about rooms."""

    x: float
    y: float
    name: str  # the room name as drawn, "" for a bare area note
    functions: tuple[str, ...]
    declared_area: float | None
    height: float = 0.0  # text height in metres: room names are drawn larger than notes


@dataclass
class RoomDraft:
    """A room before it has a level and an id."""

    polygon: Polygon
    source: RoomSource
    layer: str = ""
    texts: list[RoomText] = field(default_factory=list)
    declared_area: float | None = None
    centreline: bool = False
    adopted: bool = False  # its name lies just outside it (see _adopt_nearby)

    def add_label(self, text: RoomText) -> None:
        self.texts.append(text)

    def naming(self) -> list[RoomText]:
        """The texts that name the room.

        Every text naming a function counts (one room, several plaques).  Without
        one, the room's name is its largest text: equipment and furniture notes
        inside a room (`水泵基础`, `配电柜`) are written smaller than its name.
        """
        functional = [t for t in self.texts if t.functions]
        if functional:
            return functional
        named = [t for t in self.texts if t.name]
        if not named:
            return []
        tallest = max(t.height for t in named)
        return [t for t in named if t.height >= 0.9 * tallest]

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(t.name for t in self.naming()))

    @property
    def functions(self) -> list[str]:
        return list(dict.fromkeys(f for t in self.naming() for f in t.functions))

    def conflicting(self) -> bool:
        """Separate texts in the room name different functions: one room with two
        plaques, or a missing wall between two rooms; the reviewer should look."""
        sets = {frozenset(t.functions) for t in self.texts if t.functions}
        return len(sets) > 1

    def stated_area(self) -> float | None:
        """The area the room's own name text states, else a bare note inside it."""
        for text in self.naming():
            if text.declared_area is not None:
                return text.declared_area
        return self.declared_area


@dataclass
class ViewRooms:
    """What one view yields: labelled rooms, unlabelled outlines, and labels in no room."""

    rooms: list[RoomDraft]
    unlabelled: list[RoomDraft]
    loose: list[RoomText]
    faces: WallFaces | None
    containers: list[Polygon]


def find_rooms(
    outlines: Sequence[Outline],
    wall_segments: np.ndarray,
    labels: Sequence[RoomText],
    area_notes: Sequence[RoomText],
    door_segments: np.ndarray | None = None,
) -> ViewRooms:
    """Rooms of one view from its outlines, wall lines, name labels and area notes
    (`door_segments`: the lines of door blocks, evidence for closing wide doorways)."""
    candidates = _plausible(outlines, MIN_ROOM_AREA, MIN_ROOM_WIDTH)
    small = [
        o
        for o in _plausible(outlines, MIN_SHAFT_AREA, MIN_SHAFT_WIDTH)
        if o.polygon.area < MIN_ROOM_AREA
    ]
    everything = candidates + small
    columns = [o.polygon for o in outlines if _is_column(o)]
    polys = np.array([o.polygon for o in everything], dtype=object)
    choice = _choose_outlines(polys, len(candidates), labels)
    rooms, containers, owner = _rooms_from_outlines(everything, polys, labels, choice)
    unmatched = [t for t, c in zip(labels, choice, strict=True) if c < 0 or owner.get(c) is None]
    faces = None
    if any(len(r.naming()) > 1 for r in rooms):
        faces = wall_faces(wall_segments, doors=door_segments)
        unmatched += _split_by_walls(rooms, containers, faces)
    loose: list[RoomText] = []
    if unmatched:
        faces = faces or wall_faces(wall_segments, doors=door_segments)
        derived, loose = _rooms_from_walls(faces, unmatched, [r.polygon for r in rooms])
        rooms.extend(derived)
    _cut_columns(rooms, columns)
    unlabelled = _unlabelled(candidates, polys[: len(candidates)], choice, rooms, containers)
    loose = _adopt_nearby(loose, unlabelled, rooms)
    _attach_area_notes(rooms, area_notes)
    return ViewRooms(rooms, unlabelled, loose, faces, containers)


# ------------------------------------------------------------------- candidates


def _width(polygon: Polygon) -> float:
    return 2.0 * polygon.area / max(polygon.length, 1e-12)


def _plausible(outlines: Sequence[Outline], min_area: float, min_width: float) -> list[Outline]:
    """Outlines that may be rooms, each drawn shape once (a room both outlined and
    hatched is one room; the outline wins, it is the designer's own boundary)."""
    seen: set[tuple] = set()
    result = []
    for outline in sorted(outlines, key=lambda o: o.kind != "outline"):
        if not can_be_room(layer_role(outline.layer)) or block_is_clutter(outline.block):
            continue  # (before its polygon: a furniture outline's is never made)
        polygon = outline.polygon
        if outline.solid or polygon.area < min_area or _width(polygon) < min_width:
            continue
        key = (round(polygon.area, 1), *(round(v, 1) for v in polygon.bounds))
        if key in seen:
            continue
        seen.add(key)
        result.append(outline)
    return result


def _is_column(outline: Outline) -> bool:
    role = layer_role(outline.layer)
    if role is Role.COLUMN:
        return outline.polygon.area <= MAX_COLUMN_AREA * 4
    return outline.solid and outline.polygon.area <= MAX_COLUMN_AREA and role is not Role.FURNITURE


def _choose_outlines(polys: np.ndarray, n_rooms: int, labels: Sequence[RoomText]) -> np.ndarray:
    """The outline each label names: the smallest holding it, where the first
    `n_rooms` outlines are room-sized and the rest small (shafts); a label naming a
    function never takes a small one."""
    choice = _smallest_containing(polys, labels)
    functional = np.array([bool(t.functions) for t in labels], dtype=bool)
    redo = functional & (choice >= n_rooms)
    if redo.any():
        sized = _smallest_containing(polys[:n_rooms], labels)
        choice = np.where(redo, sized, choice)
    return choice


def _smallest_containing(polys: np.ndarray, texts: Sequence[RoomText]) -> np.ndarray:
    """For each text, the index of the smallest polygon containing its anchor, or -1."""
    choice = np.full(len(texts), -1, dtype=int)
    if len(polys) == 0 or not texts:
        return choice
    points = shapely.points([(t.x, t.y) for t in texts])
    text_idx, poly_idx = shapely.STRtree(polys).query(points, predicate="within")
    if len(text_idx) == 0:
        return choice
    areas = shapely.area(polys)[poly_idx]
    order = np.lexsort((areas, text_idx))
    text_idx, poly_idx = text_idx[order], poly_idx[order]
    first = np.r_[True, text_idx[1:] != text_idx[:-1]]
    choice[text_idx[first]] = poly_idx[first]
    return choice


def _rooms_from_outlines(candidates, polys, labels, choice):
    """Rooms from the labelled outlines; containers are set aside, shafts cut out."""
    chosen = sorted(set(int(c) for c in choice if c >= 0))
    if not chosen:
        return [], [], {}
    chosen_polys = polys[chosen]
    reps = shapely.point_on_surface(chosen_polys)
    inner_of: dict[int, list[int]] = {c: [] for c in chosen}
    rep_idx, outer_idx = shapely.STRtree(chosen_polys).query(reps, predicate="within")
    for o, r in zip(outer_idx, rep_idx, strict=True):
        outer, inner = chosen[o], chosen[r]
        if outer != inner and polys[inner].area < polys[outer].area:
            inner_of[outer].append(inner)
    containers, owner, rooms = [], {}, []
    for c in chosen:
        inner = inner_of[c]
        share = sum(polys[i].area for i in inner) / polys[c].area
        if len(inner) >= CONTAINER_ROOMS or share > CONTAINER_SHARE:
            containers.append(polys[c])
            continue
        polygon = polys[c]
        if inner:
            polygon = _largest(polygon.difference(shapely.union_all(polys[inner])))
        outline = candidates[c]
        draft = RoomDraft(polygon, outline.kind, layer=outline.layer)
        owner[c] = draft
        rooms.append(draft)
    for text, c in zip(labels, choice, strict=True):
        if c >= 0 and c in owner:
            owner[c].add_label(text)
    return rooms, containers, owner


def _split_by_walls(
    rooms: list[RoomDraft], containers: list[Polygon], faces: WallFaces
) -> list[RoomText]:
    """An outline whose names stand in different walled spaces lying within it is an
    outer wall line around rooms bounded by walls, not a room: it becomes a
    container and its names go to the walls (returned).  A name spilling over the
    wall into the next room's space does not count: that space is not within."""
    if not faces.rooms:
        return []
    face_polys = np.array(faces.rooms, dtype=object)
    released: list[RoomText] = []
    for room in [r for r in rooms if len(r.naming()) > 1]:
        spaces = set(_smallest_containing(face_polys, room.naming()).tolist()) - {-1}
        inside = [f for f in spaces if _mostly_within(face_polys[f], room.polygon)]
        if len(inside) > 1:
            rooms.remove(room)
            containers.append(room.polygon)
            released.extend(room.texts)
    return released


def _mostly_within(inner: Polygon, outer: Polygon) -> bool:
    return inner.intersection(outer).area >= 0.5 * inner.area


def _largest(geometry) -> Polygon:
    parts = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon)]
    return max(parts, key=lambda p: p.area) if parts else Polygon()


def _rooms_from_walls(faces: WallFaces, texts: Sequence[RoomText], taken: list[Polygon]):
    """Rooms for labels that no outline holds: the wall face around each label, less
    any outlined room inside it (wall layers need not bound the outlined rooms).

    Unnamed islands inside the face (a pump plinth, a lowered-slab strip drawn on a
    wall layer) are floor of the room and filled back; a named island (a shaft
    walled in, 管井) stays cut out, and columns are cut later from their outlines.
    """
    face_polys = np.array(faces.rooms, dtype=object)
    points = np.array([(t.x, t.y) for t in texts], dtype=float).reshape(-1, 2)
    choice = _smallest_containing(face_polys, texts)
    drafts: dict[int, RoomDraft] = {}
    loose = []
    taken_tree = shapely.STRtree(np.array(taken, dtype=object)) if taken else None
    for text, c in zip(texts, choice, strict=True):
        if c < 0:
            loose.append(text)
            continue
        if c not in drafts:
            polygon = _fill_unnamed_islands(face_polys[c], points)
            if taken_tree is not None:
                hits = taken_tree.query(polygon, predicate="intersects")
                if len(hits):
                    polygon = polygon.difference(shapely.union_all([taken[i] for i in hits]))
                    polygon = _part_holding(polygon, text)
            drafts[c] = RoomDraft(polygon, "walls", centreline=faces.single_line)
        drafts[c].add_label(text)
    return [d for d in drafts.values() if not d.polygon.is_empty], loose


def _fill_unnamed_islands(face: Polygon, points: np.ndarray) -> Polygon:
    holes = [
        ring
        for ring in face.interiors
        if shapely.contains_xy(Polygon(ring), points[:, 0], points[:, 1]).any()
    ]
    return face if len(holes) == len(face.interiors) else Polygon(face.exterior, holes)


def _part_holding(geometry, text: RoomText) -> Polygon:
    """The piece of a cut-up face that holds the label (else the largest)."""
    parts = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon)]
    for part in parts:
        if shapely.contains_xy(part, text.x, text.y):
            return part
    return max(parts, key=lambda p: p.area) if parts else Polygon()


def _cut_columns(rooms: list[RoomDraft], columns: list[Polygon]) -> None:
    """Columns standing inside a room are not floor area: cut them out."""
    if not columns or not rooms:
        return
    tree = shapely.STRtree(np.array(columns, dtype=object))
    for room in rooms:
        hits = tree.query(room.polygon, predicate="intersects")
        if len(hits):
            cut = room.polygon.difference(shapely.union_all([columns[i] for i in hits]))
            room.polygon = _largest(cut)


def _unlabelled(candidates, polys, choice, rooms, containers) -> list[RoomDraft]:
    """Plausible outlines no label chose that are neither containers nor clutter
    inside a labelled room (a counter in a hall is not a room)."""
    chosen = set(int(c) for c in choice if c >= 0)
    rest = [i for i in range(len(candidates)) if i not in chosen]
    if not rest:
        return []
    taken = [r.polygon for r in rooms]
    result = []
    taken_tree = shapely.STRtree(np.array(taken, dtype=object)) if taken else None
    room_reps = shapely.point_on_surface(np.array(taken, dtype=object)) if taken else None
    for i in rest:
        poly = polys[i]
        rep = poly.representative_point()
        if taken_tree is not None:
            if len(taken_tree.query(rep, predicate="within")):
                continue  # inside a labelled room: furniture, a counter, a duplicate
            if shapely.contains_xy(poly, shapely.get_coordinates(room_reps)).any():
                continue  # holds labelled rooms: a container
        if any(c.equals_exact(poly, 1e-6) for c in containers):
            continue
        outline = candidates[i]
        result.append(RoomDraft(poly, outline.kind, layer=outline.layer))
    return result


def _adopt_nearby(
    loose: list[RoomText], unlabelled: list[RoomDraft], rooms: list[RoomDraft]
) -> list[RoomText]:
    """A name in no room, just outside an unnamed outline, names that outline.

    Small rooms (a 2 m² toilet) often have their name written across the wall.
    Each outline takes at most one such name; the room is marked so that the
    report can say how it was named.  Returns the names still in no room.
    """
    if not loose or not unlabelled:
        return loose
    tree = shapely.STRtree(np.array([d.polygon for d in unlabelled], dtype=object))
    remaining = []
    for text in loose:
        reach = max(ADOPT_REACH, ADOPT_HEIGHTS * text.height)
        point = shapely.Point(text.x, text.y)
        hits = [
            i
            for i in tree.query(point, predicate="dwithin", distance=reach)
            if not unlabelled[i].texts
        ]
        if not text.name or not hits:
            remaining.append(text)
            continue
        nearest = min(hits, key=lambda i: unlabelled[i].polygon.distance(point))
        draft = unlabelled[nearest]
        draft.add_label(text)
        draft.adopted = True
        rooms.append(draft)
    unlabelled[:] = [d for d in unlabelled if not d.texts]
    return remaining


def _attach_area_notes(rooms: list[RoomDraft], notes: Sequence[RoomText]) -> None:
    """A bare area note (`25.36㎡`) inside a room is that room's declared area."""
    if not rooms or not notes:
        return
    polys = np.array([r.polygon for r in rooms], dtype=object)
    choice = _smallest_containing(polys, notes)
    for note, c in zip(notes, choice, strict=True):
        if c >= 0 and rooms[c].stated_area() is None:
            rooms[c].declared_area = note.declared_area
