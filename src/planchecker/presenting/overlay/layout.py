"""Label layout, done before anything is drawn, with the font's own metrics.

A label sits at the room's pole of inaccessibility at the largest size that fits
inside the room (8, 7, then 6 pt, on one line or two); a label that fits at none goes
outside its room, on a white box with a leader line, at the nearest place that
overlaps no other label and as few rooms as possible, so that a 2 m² room still shows
its name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from ...model import Room
from .. import fonts
from ..common import word
from .states import RoomState, area_label
from .style import LABEL_SIZES, LEADER_SIZE, ROOM_PAD_IN


@dataclass
class Label:
    room: Room
    state: RoomState
    anchor: tuple[float, float]
    head: tuple[str, ...] = ()  # name and area lines
    notes: tuple[str, ...] = ()  # failing rule lines
    size: float = LABEL_SIZES[0]
    centre: tuple[float, float] = (0.0, 0.0)
    half: tuple[float, float] = (0.0, 0.0)  # half width, half height in metres
    leader: bool = False  # outside its room, joined by a leader line
    inside: bool = False  # fits inside its room
    placed: bool = False

    @property
    def box(self) -> tuple[float, float, float, float]:
        (cx, cy), (hw, hh) = self.centre, self.half
        return (cx - hw, cy - hh, cx + hw, cy + hh)



def _name_lines(name: str) -> list[tuple[str, ...]]:
    """A room name on one line, or split in two at a slash, bracket or its middle."""
    name = " ".join(name.split())
    variants = [(name,)]
    if len(name) >= 4:
        for sep in ("/", "（", "("):
            i = name.find(sep)
            if 0 < i < len(name) - 1:
                cut = i + 1 if sep == "/" else i
                variants.append((name[:cut].strip(), name[cut:].strip()))
                break
        else:
            mid = (len(name) + 1) // 2
            variants.append((name[:mid], name[mid:]))
    return variants


def _variants(room: Room, state: RoomState, lang: str) -> list[tuple[tuple[str, ...], tuple]]:
    """Ways to write a room's label, in the order they are tried: (head, notes).

    The name on one line with the area, then the area on a line of its own; with
    failing notes, also the notes broken at their comma; a name split in two last.
    """
    name = room.label.replace("\n", "/") if room.label else word("unlabelled", lang)
    size_text = area_label(room.area, lang)
    notes = state.notes
    broken = tuple(
        part for note in notes for part in re.split(r"(?<=，)|(?<=, )", note) if part.strip()
    )
    names = _name_lines(name)
    out = [((f"{name} {size_text}",), notes), ((*names[0], size_text), notes)]
    if broken != notes:
        out.append(((*names[0], size_text), broken))
    for lines in names[1:]:
        out.append(((*lines, size_text), notes))
        if broken != notes:
            out.append(((*lines, size_text), broken))
    return out


def _candidates(room: Room, state: RoomState, lang: str, m_per_pt: float) -> list[tuple]:
    """(size, head, notes, half width, half height) in the order they are tried: the
    room's name whole at 8, 7 then 6 pt before it is ever split across lines."""
    variants = _variants(room, state, lang)
    whole = [v for v in variants if len(v[0]) <= 2]
    split = [v for v in variants if len(v[0]) > 2]
    out = []
    for group in (whole, split):
        for size in LABEL_SIZES:
            for head, notes in group:
                w, h = fonts.block_size(head + notes, size)
                out.append((size, head, notes, w * m_per_pt / 2, h * m_per_pt / 2))
    return out


def _anchors(rooms: Sequence[Room]) -> np.ndarray:
    """Each room's pole of inaccessibility: the centre of its largest inscribed circle
    (shapely >= 2.1), or a point inside it on older shapely."""
    if not rooms:
        return np.zeros((0, 2))
    polys = np.array([r.polygon for r in rooms], dtype=object)
    inscribed = getattr(shapely, "maximum_inscribed_circle", None)
    if inscribed is None:  # pragma: no cover - shapely 2.0
        return shapely.get_coordinates(shapely.point_on_surface(polys)).reshape(-1, 2)
    return shapely.get_coordinates(shapely.get_point(inscribed(polys), 0)).reshape(-1, 2)


def _fit(inner, room: Room, pole: tuple[float, float], candidates: list[tuple]):
    """The first candidate (size, head, notes, half width, half height) whose box fits
    inside `inner`, centred on the room's centroid or else on its pole of
    inaccessibility; returned with the centre used, or None."""
    anchors = [pole]
    centroid = room.polygon.centroid
    if inner.contains(centroid):
        anchors.insert(0, (centroid.x, centroid.y))
    cx = np.array([a[0] for c in candidates for a in anchors])
    cy = np.array([a[1] for c in candidates for a in anchors])
    hw = np.array([c[3] for c in candidates for _ in anchors])
    hh = np.array([c[4] for c in candidates for _ in anchors])
    fits = shapely.contains(inner, shapely.box(cx - hw, cy - hh, cx + hw, cy + hh))
    if not fits.any():
        return None
    i = int(np.argmax(fits))
    return candidates[i // len(anchors)], anchors[i % len(anchors)]


def place_labels(
    rooms: Sequence[Room],
    states: dict[str, RoomState],
    lang: str,
    scale: float,
    limits: tuple[float, float, float, float],
) -> list[Label]:
    """Choose each room's label text, size and place (world metres)."""
    m_per_pt = 1.0 / 72.0 / scale
    pad = ROOM_PAD_IN / scale
    poles = _anchors(rooms)
    labels: list[Label] = []
    pending: list[Label] = []
    for room, pole in zip(rooms, poles, strict=True):
        state = states.get(room.id, RoomState("other"))
        label = Label(room=room, state=state, anchor=(float(pole[0]), float(pole[1])))
        labels.append(label)
        inner = room.polygon.buffer(-pad, join_style="mitre")
        if inner.is_empty:
            pending.append(label)
            continue
        shapely.prepare(inner)
        candidates = _candidates(room, state, lang, m_per_pt)
        fit = _fit(inner, room, label.anchor, candidates)
        if fit is None:
            pending.append(label)
            continue
        (size, head, notes, hw, hh), centre = fit
        label.size, label.head, label.notes = size, head, notes
        label.centre, label.half = (float(centre[0]), float(centre[1])), (hw, hh)
        label.inside = label.placed = True
    _place_outside(pending, labels, rooms, lang, scale, limits)
    return labels


# leader search: 16 directions, rings a quarter inch apart
_DIRECTIONS = np.array(
    [(math.cos(a), math.sin(a)) for a in np.linspace(0, 2 * math.pi, 16, endpoint=False)]
)
_RINGS = 14


def _place_outside(
    pending: list[Label],
    labels: list[Label],
    rooms: Sequence[Room],
    lang: str,
    scale: float,
    limits: tuple[float, float, float, float],
) -> None:
    """Labels that fit in no room go outside it, on a box with a leader line.

    Candidate centres lie on 16 rays around the room's anchor, a quarter inch apart
    (the anchor itself first: a label that covers no other room needs no leader).  A
    candidate must stay inside the plan area and overlap no label already placed;
    among those the cheapest wins, where an inch of leader costs 1, each other room
    the box covers 0.35, and each label or leader the leader line crosses 3.
    """
    if not pending:
        return
    m_per_pt = 1.0 / 72.0 / scale
    placed = [lb.box for lb in labels if lb.placed]
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    tree = shapely.STRtree([r.polygon for r in rooms])
    index = {r.id: i for i, r in enumerate(rooms)}
    lx0, ly0, lx1, ly1 = limits
    step = 0.25 / scale
    pending.sort(key=lambda lb: (lb.anchor[0], lb.anchor[1], lb.room.id))
    for label in pending:
        size = LEADER_SIZE
        options = []
        for head, notes in _variants(label.room, label.state, lang):
            w, h = fonts.block_size(head + notes, size)
            options.append((w + h, w, h, head, notes))
        _, w, h, head, notes = min(options, key=lambda o: o[0])  # the most compact
        hw, hh = w * m_per_pt / 2 + 0.03 / scale, h * m_per_pt / 2 + 0.02 / scale
        ax, ay = label.anchor
        radii = step * np.arange(1, _RINGS + 1) + min(hw, hh)
        centres = np.concatenate([[(ax, ay)]] + [np.array([ax, ay]) + r * _DIRECTIONS
                                                 for r in radii])
        cx, cy = centres[:, 0], centres[:, 1]
        ok = (cx - hw >= lx0) & (cx + hw <= lx1) & (cy - hh >= ly0) & (cy + hh <= ly1)
        if placed:
            pb = np.asarray(placed)
            overlap = (
                (cx[:, None] - hw < pb[None, :, 2])
                & (cx[:, None] + hw > pb[None, :, 0])
                & (cy[:, None] - hh < pb[None, :, 3])
                & (cy[:, None] + hh > pb[None, :, 1])
            ).any(axis=1)
            ok &= ~overlap
        # the leader runs from the anchor to the nearest point of the box
        ex, ey = np.clip(ax, cx - hw, cx + hw), np.clip(ay, cy - hh, cy + hh)
        length_in = np.hypot(ex - ax, ey - ay) * scale
        boxes = shapely.box(cx - hw, cy - hh, cx + hw, cy + hh)
        hits = tree.query(boxes, predicate="intersects")
        others = hits[1] != index[label.room.id]
        covered = np.bincount(hits[0][others], minlength=len(centres)).astype(float)
        crossings = np.zeros(len(centres))
        if placed or leaders:
            lines = shapely.linestrings(
                np.stack([np.column_stack([np.full_like(ex, ax), np.full_like(ey, ay)]),
                          np.column_stack([ex, ey])], axis=1)
            )
            obstacles = [shapely.box(*b) for b in placed] + [
                shapely.LineString(seg) for seg in leaders
            ]
            pairs = shapely.STRtree(obstacles).query(lines, predicate="intersects")
            crossings = np.bincount(pairs[0], minlength=len(centres)).astype(float)
        score = length_in + 0.35 * covered + 3.0 * crossings + np.where(ok, 0.0, 1e6)
        if covered[0] > 0:  # on its own anchor only when it covers no other room
            score[0] += 1e5
        best = int(np.argmin(score))
        label.size, label.head, label.notes = size, head, notes
        label.centre = (float(cx[best]), float(cy[best]))
        label.half = (hw, hh)
        label.leader = best != 0
        label.placed = True
        placed.append(label.box)
        if label.leader:
            leaders.append(((ax, ay), (float(ex[best]), float(ey[best]))))


