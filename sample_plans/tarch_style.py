"""Convention C: the standard centre drawn the way a TArch (天正) T3 export looks.

`make_samples.py` owns the design (rooms, net outlines, areas) and the document
set-up; this module only draws.  `draw(doc, floors, offset_x)` puts both floors
into one modelspace (floor 2 `offset_x` to the right), in millimetres, on TArch's
layers:

* no room outlines at all: rooms are bounded only by double wall LINEs on `WALL`,
  200 mm apart, that lie exactly on the net room edges and on the outer face.  The
  lines are split where other walls meet the wall (as TArch's wall segments are),
  and both face lines are interrupted at every door and window opening.  Most
  openings have a jamb LINE across the wall at each side; some doors have none
  (the face lines just stop);
* doors are INSERTs on `DOOR_FIRE` of unit blocks (`$DorLib2D$00000001` single,
  `$DorLib2D$00000002` double, entities on layer 0): inserted at the middle of
  the opening on the wall's centre line, x-scale = +/- width (negative: mirrored,
  hinge on the other jamb), y-scale = width, rotated so the leaf swings into the
  room; door numbers (`M1021`, the stair's `FM` `乙` `1221` in three texts) on
  `WINDOW_TEXT` on the other side of the wall;
* windows are 4 LINEs on `WINDOW` spanning the opening (on both faces and at
  thirds of the wall), numbered `C1815` ... outside the façade;
* 400 x 400 columns at three outer corners: closed LWPOLYLINE + SOLID HATCH on
  `COLUMN`, flush with the outer faces (they overlap the wall corner and 200 mm
  of the room corner; the wall lines run on through them);
* axis grid, dimensions (real DIMENSIONs and exploded lines + texts), north arrow,
  title underlines, stairs, furniture and sanitary blocks, elevation marks, the
  sheet frame and title block: see README.md for the layer table.

Room names and area notes are separate left-aligned TEXTs on `PUB_TEXT`, as T3
export writes them (the insertion point is the text's lower-left corner).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ezdxf
from ezdxf.document import Drawing
from ezdxf.enums import TextEntityAlignment
from ezdxf.layouts import BlockLayout, Modelspace

if TYPE_CHECKING:  # the design lives in make_samples.py
    from make_samples import Floor, Room

Point = tuple[float, float]

WALL = 200
HALF = WALL // 2

# TArch's layers (colours as TArch sets them up), and the few user layers a design
# institute adds.
LAYERS = {
    "WALL": 9, "WINDOW": 4, "DOOR_FIRE": 4, "WINDOW_TEXT": 7, "COLUMN": 9,
    "AXIS": 3, "AXIS_TEXT": 7, "DIM_SYMB": 3, "DIM_ELEV": 3, "PUB_TEXT": 7,
    "STAIR": 2, "FURNITURE": 8, "EQUIP": 6, "LVTRY": 6, "PUB_TITLE": 7, "公开栏": 1,
}  # fmt: skip

# (name, font, big font, width factor) as a TArch T3 export writes them
TEXT_STYLES = (
    ("_TCH_LABEL", "COMPLEX", "GBCBIG", 1.0),
    ("_TCH_AXIS", "COMPLEX", "GBCBIG", 1.0),
    ("_TCH_DIM", "SIMPLEX", "GBCBIG", 0.7),
    ("_TCH_WINDOW", "SIMPLEX", "GBCBIG", 1.0),
)
DIMSTYLE = "_TCH_ARCH"

DOOR_1 = "$DorLib2D$00000001"  # single swing door: leaf LINE + quarter ARC
DOOR_2 = "$DorLib2D$00000002"  # double swing door: two thin leaves + two ARCs
DESK, CHAIR, WORKSTATION = "办公桌", "A$C2B5D9E71", "A$C7F41E2D5"  # the last nests the others
WC, SQUAT, BASIN, URINAL = "坐便器", "蹲便器", "洗脸盆", "小便器"

NAME_H, AREA_H, SMALL_NAME_H = 350, 300, 300  # text heights, mm (1:100)


# ---------------------------------------------------------------------- openings


@dataclass(frozen=True)
class Door:
    """A door in side `side` (S, E, N, W) of room `room`'s net outline.

    The opening runs from `at` to `at + width` along that side (x for S and N,
    y for E and W); the leaf hangs on the `hinge` jamb ("lo" or "hi") and swings
    into the room.  `jambs=False` leaves the wall ends open (no jamb lines).
    """

    room: str
    side: str
    at: int
    width: int
    hinge: str = "lo"
    jambs: bool = True
    label: str = ""

    @property
    def double(self) -> bool:
        return self.width >= 1500


@dataclass(frozen=True)
class Window:
    room: str
    side: str
    at: int
    width: int
    label: str


# Floor 1.  The doors on the corridor sit clear of the partitions; the main entrance
# is the 1800 mm double door in the hall's front wall, the back entrance the 门厅's.
DOORS = {
    1: (
        Door("警务室", "N", 2_400, 1_000, "hi"),
        Door("便民服务大厅", "S", 9_500, 1_800),  # the main entrance
        Door("便民服务大厅", "N", 12_000, 1_500),
        Door("计划生育服务室", "N", 17_600, 1_000, jambs=False),
        Door("慈善物品保管室", "N", 23_100, 900, "hi"),
        Door("残疾人康复室", "N", 24_800, 1_000),
        Door("无障碍卫生间", "S", 1_000, 1_000, "hi"),
        Door("女卫", "S", 3_900, 900, "hi", jambs=False),
        Door("男卫", "S", 6_000, 900),
        Door("档案室", "S", 10_400, 900, "hi"),
        Door("财务室", "S", 12_100, 900, jambs=False),
        Door("调解室/社会工作室", "S", 15_200, 1_000),
        Door("调解室/社会工作室", "S", 19_500, 1_000, "hi"),
        Door("门厅", "S", 22_500, 1_500, jambs=False),
        Door("门厅", "N", 23_000, 1_500),  # the back entrance
        Door("楼梯间", "S", 27_000, 1_200, label="FM乙1221"),
    ),
    2: (
        Door("社会组织活动室", "N", 2_400, 1_000, "hi"),
        Door("文体活动室", "N", 4_500, 1_000),
        Door("文体活动室", "N", 15_200, 1_000, "hi", jambs=False),
        Door("党员活动室(多功能室)", "N", 18_000, 1_000),
        Door("党员活动室(多功能室)", "N", 28_000, 1_000, "hi"),
        Door("女卫", "S", 1_200, 900),
        Door("男卫", "S", 3_600, 900, "hi", jambs=False),
        Door("社区办公室", "S", 6_200, 1_000),
        Door("居民议事室", "S", 13_200, 1_000),
        Door("阅览室", "S", 20_200, 1_000, jambs=False),
        Door("楼梯间", "S", 27_000, 1_200, label="FM乙1221"),
    ),
}

WINDOWS = {
    1: (
        Window("警务室", "S", 1_150, 1_500, "C1515"),
        Window("便民服务大厅", "S", 5_000, 2_400, "C2415"),
        Window("便民服务大厅", "S", 13_400, 2_400, "C2415"),
        Window("计划生育服务室", "S", 18_000, 1_800, "C1815"),
        Window("慈善物品保管室", "S", 21_600, 1_800, "C1815"),
        Window("残疾人康复室", "S", 25_900, 2_400, "C2415"),
        Window("警务室", "W", 3_500, 1_800, "C1815"),
        Window("走廊", "W", 9_100, 1_800, "C1815"),
        Window("残疾人康复室", "E", 3_500, 1_800, "C1815"),
        Window("走廊", "E", 9_100, 1_800, "C1815"),
        Window("楼梯间", "E", 13_900, 1_500, "C1515"),
        Window("无障碍卫生间", "N", 750, 900, "C0909"),
        Window("女卫", "N", 3_300, 1_200, "C1209"),
        Window("男卫", "N", 6_500, 1_200, "C1209"),
        Window("档案室", "N", 9_450, 1_500, "C1515"),
        Window("财务室", "N", 12_450, 1_500, "C1515"),
        Window("调解室/社会工作室", "N", 16_950, 1_800, "C1815"),
        Window("楼梯间", "N", 27_450, 1_500, "C1515"),
    ),
    2: (
        Window("社会组织活动室", "S", 1_150, 1_500, "C1515"),
        Window("文体活动室", "S", 5_000, 2_400, "C2415"),
        Window("文体活动室", "S", 9_200, 2_400, "C2415"),
        Window("文体活动室", "S", 13_400, 2_400, "C2415"),
        Window("党员活动室(多功能室)", "S", 18_500, 2_400, "C2415"),
        Window("党员活动室(多功能室)", "S", 22_300, 2_400, "C2415"),
        Window("党员活动室(多功能室)", "S", 26_100, 2_400, "C2415"),
        Window("社会组织活动室", "W", 3_500, 1_800, "C1815"),
        Window("走廊", "W", 9_100, 1_800, "C1815"),
        Window("党员活动室(多功能室)", "E", 3_500, 1_800, "C1815"),
        Window("走廊", "E", 9_100, 1_800, "C1815"),
        Window("楼梯间", "E", 13_900, 1_500, "C1515"),
        Window("女卫", "N", 900, 1_200, "C1209"),
        Window("男卫", "N", 3_550, 1_200, "C1209"),
        Window("社区办公室", "N", 8_100, 1_800, "C1815"),
        Window("居民议事室", "N", 15_100, 1_800, "C1815"),
        Window("阅览室", "N", 21_800, 2_400, "C2415"),
        Window("楼梯间", "N", 27_450, 1_500, "C1515"),
    ),
}


@dataclass(frozen=True)
class Opening:
    """An opening through a wall: `vertical` walls run along y.  `c` is the wall's
    centre line (x for vertical walls, y otherwise), [lo, hi] the opening along it;
    `into` (+1/-1) is the side of the centre line the room lies on."""

    vertical: bool
    c: int
    lo: int
    hi: int
    into: int
    jambs: bool


def _bbox(poly: Sequence[tuple[int, int]]) -> tuple[int, int, int, int]:
    xs = [x for x, _ in poly]
    ys = [y for _, y in poly]
    return min(xs), min(ys), max(xs), max(ys)


def opening(room: Room, side: str, at: int, width: int, jambs: bool) -> Opening:
    x0, y0, x1, y1 = _bbox(room.net)
    vertical, c, into = {
        "S": (False, y0 - HALF, 1),
        "N": (False, y1 + HALF, -1),
        "W": (True, x0 - HALF, 1),
        "E": (True, x1 + HALF, -1),
    }[side]
    return Opening(vertical, c, at, at + width, into, jambs)


# ---------------------------------------------------------------------- walls


@dataclass(frozen=True)
class Face:
    """One wall face line before it is cut: f is its x (vertical) or y, [lo, hi]
    its extent, c the centre line of the wall it belongs to."""

    vertical: bool
    f: int
    lo: int
    hi: int
    c: int


def faces(floor: Floor) -> list[Face]:
    """Every wall face: each room's net edges and the outer face's edges."""
    out = []

    def edges(poly: Sequence[tuple[int, int]], wall_side: int) -> None:
        # poly is counter-clockwise, so (dy, -dx) points out of it; the wall lies
        # outside a room (wall_side=+1) and inside the outer face (wall_side=-1)
        for (ax, ay), (bx, by) in zip(poly, [*poly[1:], poly[0]], strict=True):
            dx, dy = (bx > ax) - (bx < ax), (by > ay) - (by < ay)
            if dx:
                out.append(Face(False, ay, min(ax, bx), max(ax, bx), ay - dx * HALF * wall_side))
            else:
                out.append(Face(True, ax, min(ay, by), max(ay, by), ax + dy * HALF * wall_side))

    edges(floor.outer_face, -1)
    for room in floor.rooms:
        edges(room.net, +1)
    return out


def wall_lines(floor: Floor, openings: Sequence[Opening]) -> list[tuple[Point, Point]]:
    """The WALL LINEs of one floor (floor coordinates): face lines cut at openings
    and split at wall junctions, plus the jambs."""
    junctions = {p for room in floor.rooms for p in room.cell}
    lines: list[tuple[Point, Point]] = []

    def put(vertical: bool, f: float, a: float, b: float) -> None:
        if b - a < WALL:  # no stubs: only a jamb may be as short as a wall is thick
            raise AssertionError(f"a {b - a} mm wall line at {f}, {a}")
        lines.append(((f, a), (f, b)) if vertical else ((a, f), (b, f)))

    cut_faces: dict[Opening, int] = {o: 0 for o in openings}
    for face in faces(floor):
        gaps = []
        for o in openings:
            if o.vertical == face.vertical and abs(face.f - o.c) == HALF:
                if face.lo + HALF <= o.lo and o.hi <= face.hi - HALF:
                    gaps.append((o.lo, o.hi))
                    cut_faces[o] += 1
                elif o.lo < face.hi and face.lo < o.hi:
                    raise AssertionError(f"opening {o} runs off the face {face}")
        splits = sorted(
            (y if face.vertical else x)
            for x, y in junctions
            if (x if face.vertical else y) == face.c
            and face.lo + HALF < (y if face.vertical else x) < face.hi - HALF  # not at corners
        )
        cuts = sorted([(s, s) for s in splits] + gaps)
        start = face.lo
        for a, b in cuts:
            if a < start:
                raise AssertionError(f"a wall junction at {a} falls in an opening of {face}")
            put(face.vertical, face.f, start, a)
            start = b
        put(face.vertical, face.f, start, face.hi)
    for o, n in cut_faces.items():
        if n != 2:
            raise AssertionError(f"opening {o} cuts {n} face lines, not 2")
        if o.jambs:
            for end in (o.lo, o.hi):
                if o.vertical:
                    lines.append(((o.c - HALF, end), (o.c + HALF, end)))
                else:
                    lines.append(((end, o.c - HALF), (end, o.c + HALF)))
    return lines


# ---------------------------------------------------------------------- drawing


def text_width(text: str, height: float, width_factor: float = 1.0, *, wide: bool = False) -> float:
    """Roughly how wide a text comes out: CJK and full-width characters about the
    height, the rest 0.7 of it (SHX fonts).  Texts placed one after the other use
    wide=True, room enough for a TrueType substitute's wider glyphs too."""
    cjk, latin = (1.4, 0.9) if wide else (1.0, 0.7)
    text = re.sub(r"\\U\+[0-9A-Fa-f]{4}", "?", text)  # an escape shows as one character
    n = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return (cjk * n + latin * (len(text) - n)) * height * width_factor


class Pen:
    """Draws into modelspace at an x offset (the floor's place on the sheet)."""

    def __init__(self, msp: Modelspace, dx: float = 0) -> None:
        self.msp = msp
        self.dx = dx

    def p(self, pt: Point) -> Point:
        return (pt[0] + self.dx, pt[1])

    def line(self, a: Point, b: Point, layer: str, **attribs) -> None:
        self.msp.add_line(self.p(a), self.p(b), dxfattribs={"layer": layer, **attribs})

    def poly(
        self, pts: Iterable[Point], layer: str, *, closed: bool = False, width: float = 0
    ) -> None:
        attribs = {"layer": layer}
        if width:
            attribs["const_width"] = width
        self.msp.add_lwpolyline([self.p(q) for q in pts], close=closed, dxfattribs=attribs)

    def rect(self, x0: float, y0: float, x1: float, y1: float, layer: str) -> None:
        self.poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], layer, closed=True)

    def text(
        self, s: str, at: Point, height: float, layer: str,
        style: str = "_TCH_LABEL", rotation: float = 0,
    ) -> None:  # fmt: skip
        """A left-aligned TEXT, as T3 export writes them: `at` is the lower left."""
        self.msp.add_text(
            s,
            height=height,
            rotation=rotation,
            dxfattribs={"layer": layer, "style": style, "insert": self.p(at)},
        )

    def text_centred(self, s: str, centre: Point, height: float, layer: str, **kw) -> None:
        """A left-aligned TEXT placed so that it looks centred on `centre`."""
        w = text_width(s, height)
        self.text(s, (centre[0] - w / 2, centre[1] - height / 2), height, layer, **kw)

    def insert(
        self, block: str, at: Point, layer: str, rotation: float = 0,
        xscale: float = 1, yscale: float = 1,
    ) -> None:  # fmt: skip
        self.msp.add_blockref(
            block,
            self.p(at),
            dxfattribs={
                "layer": layer, "rotation": rotation, "xscale": xscale, "yscale": yscale,
            },
        )  # fmt: skip


def setup(doc: Drawing) -> None:
    """Text styles, the axis linetype, the dimension style and the blocks."""
    for name, font, bigfont, width in TEXT_STYLES:
        doc.styles.new(name, dxfattribs={"font": font, "bigfont": bigfont, "width": width})
    doc.linetypes.add("DOTE", pattern=[16.0, 12.0, -2.0, 0.0, -2.0], description="DOTE __ . __ .")
    doc.header["$LTSCALE"] = 100.0
    dimstyle = doc.dimstyles.new(
        DIMSTYLE,
        dxfattribs={
            "dimtxt": 300, "dimasz": 150, "dimexo": 100, "dimexe": 200, "dimgap": 100,
            "dimdec": 0, "dimtad": 1, "dimtih": 0, "dimtoh": 0, "dimtxsty": "_TCH_DIM",
            "dimclrd": 3, "dimclre": 3, "dimclrt": 7,
        },
    )  # fmt: skip
    dimstyle.set_arrows(blk=ezdxf.ARROWS.architectural_tick)
    _door_blocks(doc)
    _furniture_blocks(doc)


def _door_blocks(doc: Drawing) -> None:
    # unit blocks, the opening from x = -0.5 to 0.5 on the wall's centre line (y = 0),
    # swinging to +y; entities on layer 0 take the INSERT's layer
    single = doc.blocks.new(DOOR_1)
    single.add_line((-0.5, 0), (-0.5, 1.0))
    single.add_arc((-0.5, 0), 1.0, 0, 90)
    double = doc.blocks.new(DOOR_2)
    leaf, thick = 0.4875, 0.025
    sweep = math.degrees(math.acos(0.0125 / leaf))
    for s in (-1, 1):  # the left leaf (s=-1) hangs at x=-0.5, the right one at 0.5
        outer, inner = 0.5 * s, (0.5 - thick) * s
        double.add_line((outer, 0), (outer, leaf))
        double.add_line((inner, 0), (inner, leaf))
        double.add_line((outer, 0), (inner, 0))
        double.add_line((inner, leaf), (outer, leaf))
        if s < 0:
            double.add_arc((-leaf, 0), leaf, 0, sweep)
        else:
            double.add_arc((leaf, 0), leaf, 180 - sweep, 180)


def _closed(block: BlockLayout, pts: Sequence[Point], bulges: Sequence[float] = ()) -> None:
    """A closed LWPOLYLINE; bulges[i] is the bulge of the edge from vertex i."""
    b = list(bulges) + [0.0] * (len(pts) - len(bulges))
    block.add_lwpolyline([(x, y, 0, 0, bb) for (x, y), bb in zip(pts, b, strict=True)],
                         format="xyseb", close=True)  # fmt: skip


def _furniture_blocks(doc: Drawing) -> None:
    # every block has its back edge on y = 0 (against a wall) and faces +y; the
    # chair's front edge is on y = 0, its back rest at +y
    desk = doc.blocks.new(DESK)
    _closed(desk, [(-700, 0), (700, 0), (700, 700), (-700, 700)])
    chair = doc.blocks.new(CHAIR)
    _closed(chair, [(-225, 0), (225, 0), (225, 450), (-225, 450)])
    _closed(chair, [(-225, 450), (225, 450), (225, 530), (-225, 530)])
    station = doc.blocks.new(WORKSTATION)  # a desk and its chair: blocks in a block
    station.add_blockref(DESK, (0, 0))
    station.add_blockref(CHAIR, (0, CHAIR_AT))
    wc = doc.blocks.new(WC)
    _closed(wc, [(-250, 0), (250, 0), (250, 200), (-250, 200)])
    wc.add_ellipse((0, 460), major_axis=(0, 260), ratio=0.7)
    squat = doc.blocks.new(SQUAT)
    _closed(squat, [(-210, 100), (210, 100), (210, 450), (-210, 450)], [0, 0, 1])
    squat.add_circle((0, 220), 60)
    basin = doc.blocks.new(BASIN)
    _closed(basin, [(-275, 0), (275, 0), (275, 450), (-275, 450)])
    basin.add_ellipse((0, 250), major_axis=(190, 0), ratio=0.7)
    basin.add_circle((0, 60), 25)
    urinal = doc.blocks.new(URINAL)
    _closed(urinal, [(-180, 0), (180, 0), (180, 200), (-180, 200)], [0, 0, 1])


# rotation that turns a block's +y to face N, S, E or W
FACING = {"N": 0, "W": 90, "S": 180, "E": 270}
CHAIR_AT = 800  # a chair's front edge this far in front of its desk's back edge


def draw(doc: Drawing, floors: Sequence[Floor], offset_x: int) -> None:
    """Draw the whole sheet: both floors side by side, the frame and title block."""
    setup(doc)
    msp = doc.modelspace()
    for floor in floors:
        pen = Pen(msp, (floor.level - 1) * offset_x)
        draw_floor(pen, floor)
    draw_frame(Pen(msp))


def draw_floor(pen: Pen, floor: Floor) -> None:
    rooms = {r.name: r for r in floor.rooms}
    doors = [
        (d, opening(rooms[d.room], d.side, d.at, d.width, d.jambs)) for d in DOORS[floor.level]
    ]
    windows = [
        (w, opening(rooms[w.room], w.side, w.at, w.width, True)) for w in WINDOWS[floor.level]
    ]
    for a, b in wall_lines(floor, [o for _, o in doors] + [o for _, o in windows]):
        pen.line(a, b, "WALL")
    for door, o in doors:
        draw_door(pen, door, o)
    for window, o in windows:
        draw_window(pen, window, o)
    draw_columns(pen, floor)
    draw_axes(pen)
    draw_dimensions(pen, [o for _, o in windows] + [o for d, o in doors if d.double])
    draw_labels(pen, floor)
    draw_stair(pen, rooms["楼梯间"], top=floor.level == 2)
    draw_furniture(pen, floor)
    draw_title(pen, floor)


# ---------------------------------------------------------------------- doors, windows


def _along(o: Opening, t: float, off: float = 0) -> Point:
    """The point `t` along the wall and `off` across it (towards the room is +)."""
    return (o.c + off * o.into, t) if o.vertical else (t, o.c + off * o.into)


def draw_door(pen: Pen, door: Door, o: Opening) -> None:
    # the block's +y must point into the room, its +x along the wall; the hinge is
    # at local x = -0.5, so mirror (negative x-scale) to hang it on the other jamb
    if o.vertical:
        rotation, x_dir = (270, -1) if o.into > 0 else (90, 1)  # local +x along -y / +y
    else:
        rotation, x_dir = (0, 1) if o.into > 0 else (180, -1)
    hinge_at_lo = door.double or door.hinge == "lo"
    xscale = o.hi - o.lo
    if hinge_at_lo != (x_dir > 0):
        xscale = -xscale
    mid = (o.lo + o.hi) / 2
    pen.insert(
        DOOR_2 if door.double else DOOR_1, _along(o, mid), "DOOR_FIRE",
        rotation=rotation, xscale=xscale, yscale=o.hi - o.lo,
    )  # fmt: skip
    # the door number on the far side of the wall from the swing
    label = door.label or f"M{(o.hi - o.lo) // 100:02d}21"
    parts = [label] if not label.startswith("FM") else ["FM", label[2], label[3:]]
    _opening_label(pen, o, parts)


def _opening_label(pen: Pen, o: Opening, parts: Sequence[str], h: float = 300) -> None:
    """Texts reading along the wall, centred on the opening, 150 mm off the wall
    on the side away from the room (TArch splits `FM乙1221` into three texts)."""
    widths = [text_width(s, h, wide=True) for s in parts]
    t = (o.lo + o.hi) / 2 - sum(widths) / 2
    if o.vertical:
        # reading upwards (rotation 90): the baseline is the text's right-hand side
        x = o.c - o.into * (HALF + 150) + (h if o.into < 0 else 0)
        for s, w in zip(parts, widths, strict=True):
            pen.text(s, (x, t), h, "WINDOW_TEXT", style="_TCH_WINDOW", rotation=90)
            t += w
    else:
        y = o.c - o.into * (HALF + 150) - (h if o.into > 0 else 0)
        for s, w in zip(parts, widths, strict=True):
            pen.text(s, (t, y), h, "WINDOW_TEXT", style="_TCH_WINDOW")
            t += w


def draw_window(pen: Pen, window: Window, o: Opening) -> None:
    for off in (-HALF, -HALF / 3, HALF / 3, HALF):
        pen.line(_along(o, o.lo, off), _along(o, o.hi, off), "WINDOW")
    _opening_label(pen, o, [window.label])


# ---------------------------------------------------------------------- structure, grid


COLUMN = 400


def draw_columns(pen: Pen, floor: Floor) -> None:
    """Columns flush with the outer faces at three corners (none in the north-west
    corner, where the barrier-free toilet is), the same on both floors."""
    x0, y0, x1, y1 = _bbox(floor.outer_face)
    for cx, cy in ((x0, y0), (x1 - COLUMN, y0), (x1 - COLUMN, y1 - COLUMN)):
        corners = [(cx, cy), (cx + COLUMN, cy), (cx + COLUMN, cy + COLUMN), (cx, cy + COLUMN)]
        pen.poly(corners, "COLUMN", closed=True)
        hatch = pen.msp.add_hatch(dxfattribs={"layer": "COLUMN"})
        hatch.set_solid_fill(color=256)  # BYLAYER
        hatch.paths.add_polyline_path([pen.p(c) for c in corners], is_closed=True)


X_AXES = (("1", 100), ("2", 3_700), ("3", 8_700), ("4", 14_700), ("5", 21_000),
          ("6", 26_500), ("7", 29_900))  # fmt: skip
Y_AXES = (("A", 100), ("B", 8_700), ("C", 11_300), ("D", 17_900))
BUBBLE_R = 400
BUBBLE_AT = -4_800  # centre of the bubbles below (y) and left of (x) the plan
AXIS_OVERRUN = 1_200  # beyond the back and the right-hand façade
DIM_ROWS = (-1_800, -2_600, -3_400)  # openings, axes, overall


def draw_axes(pen: Pen) -> None:
    for label, x in X_AXES:
        pen.line((x, BUBBLE_AT + BUBBLE_R), (x, 18_000 + AXIS_OVERRUN), "AXIS",
                 linetype="DOTE", color=1)  # fmt: skip
        _bubble(pen, label, (x, BUBBLE_AT))
    for label, y in Y_AXES:
        pen.line((BUBBLE_AT + BUBBLE_R, y), (30_000 + AXIS_OVERRUN, y), "AXIS",
                 linetype="DOTE", color=1)  # fmt: skip
        _bubble(pen, label, (BUBBLE_AT, y))


def _bubble(pen: Pen, label: str, centre: Point) -> None:
    pen.msp.add_circle(pen.p(centre), BUBBLE_R, dxfattribs={"layer": "AXIS"})
    # TArch fits the number between two points on its baseline
    h = 500
    w = text_width(label, h)
    cx, cy = pen.p(centre)
    pen.msp.add_text(
        label, height=h, dxfattribs={"layer": "AXIS_TEXT", "style": "_TCH_AXIS"}
    ).set_placement((cx - w / 2, cy - h / 2), (cx + w / 2, cy - h / 2), TextEntityAlignment.FIT)


def draw_dimensions(pen: Pen, openings: Sequence[Opening]) -> None:
    """Three chains below and three left of the plan: the openings in the façade,
    the axes, the overall size.  Some are DIMENSION entities, some exploded."""
    front = sorted({p for o in openings if not o.vertical and o.c == 100 for p in (o.lo, o.hi)})
    west = sorted({p for o in openings if o.vertical and o.c == 100 for p in (o.lo, o.hi)})
    xs = [x for _, x in X_AXES]
    ys = [y for _, y in Y_AXES]
    _exploded_chain(pen, [xs[0], *front, xs[-1]], DIM_ROWS[0], vertical=False)
    _dimension_chain(pen, xs, DIM_ROWS[1], vertical=False)
    _dimension_chain(pen, [0, 30_000], DIM_ROWS[2], vertical=False)
    _dimension_chain(pen, [ys[0], *west, ys[-1]], DIM_ROWS[0], vertical=True)
    _exploded_chain(pen, ys, DIM_ROWS[1], vertical=True)
    _dimension_chain(pen, [0, 18_000], DIM_ROWS[2], vertical=True)


def _xy(vertical: bool, along: float, across: float) -> Point:
    return (across, along) if vertical else (along, across)


def _dimension_chain(pen: Pen, points: Sequence[int], row: int, vertical: bool) -> None:
    for a, b in itertools.pairwise(points):
        dim = pen.msp.add_linear_dim(
            base=pen.p(_xy(vertical, a, row)),
            p1=pen.p(_xy(vertical, a, row + 600)),
            p2=pen.p(_xy(vertical, b, row + 600)),
            angle=90 if vertical else 0,
            dimstyle=DIMSTYLE,
            dxfattribs={"layer": "DIM_SYMB"},
        )
        dim.render()


def _exploded_chain(pen: Pen, points: Sequence[int], row: int, vertical: bool) -> None:
    """A chain as an exploded dimension leaves it: LINEs and TEXTs on DIM_SYMB."""
    pen.line(_xy(vertical, points[0], row), _xy(vertical, points[-1], row), "DIM_SYMB")
    for p in points:
        pen.line(_xy(vertical, p, row + 500), _xy(vertical, p, row - 200), "DIM_SYMB")
        a, b = _xy(vertical, p - 100, row - 100), _xy(vertical, p + 100, row + 100)
        pen.line(a, b, "DIM_SYMB")  # the architectural tick
    for a, b in itertools.pairwise(points):
        s = str(b - a)
        w = text_width(s, 300, 0.7)
        mid = (a + b) / 2
        if vertical:
            pen.text(s, (row - 100, mid - w / 2), 300, "DIM_SYMB", "_TCH_DIM", rotation=90)
        else:
            pen.text(s, (mid - w / 2, row + 100), 300, "DIM_SYMB", "_TCH_DIM")


# ---------------------------------------------------------------------- texts

# Names as the drawing writes them: room numbers on some, full-width brackets.
SHOWN_NAMES = {
    (1, "警务室"): "101 警务室",
    (1, "残疾人康复室"): "105 残疾人康复室",
    (1, "财务室"): "财务室 108",
    (2, "文体活动室"): "202 文体活动室",
    (2, "党员活动室(多功能室)"): "党员活动室（多功能室）",
    (2, "社区办公室"): "205 社区办公室",
    (2, "阅览室"): "阅览室 207",
}
# "²" is not in GBK: AutoCAD writes it as the DXF escape \U+00B2 in an ANSI_936 file
# (ezdxf would write "\xb2", which no reader decodes), so the escape is written here.
AREA_FORMATS = ("{}m\\U+00B2", "{}m\\U+00B2", "S={}", "{}㎡", "{}m2")
LABEL_AT = {(1, "无障碍卫生间"): (1_250, 16_350), (1, "楼梯间"): (28_200, 16_900),
            (2, "楼梯间"): (28_200, 16_900)}  # fmt: skip


def draw_labels(pen: Pen, floor: Floor) -> None:
    for i, room in enumerate(floor.rooms):
        name = SHOWN_NAMES.get((floor.level, room.name), room.name)
        cx, cy = LABEL_AT.get((floor.level, room.name), room.centre)
        h = SMALL_NAME_H if room.name == "无障碍卫生间" else NAME_H
        area = AREA_FORMATS[i % len(AREA_FORMATS)].format(f"{room.area / 1e6:.2f}")
        x0, y0, x1, y1 = _bbox(room.net)
        for s, size, y in ((name, h, cy + 100), (area, AREA_H, cy - 400)):
            w = text_width(s, size)
            if not (x0 < cx - w / 2 and cx + w / 2 < x1 and y0 < y and y + size < y1):
                raise AssertionError(f"{s!r} does not fit in {room.name}")
            pen.text(s, (cx - w / 2, y), size, "PUB_TEXT")
    if floor.level == 1:
        # the residents' notice board in front of the façade
        pen.line((4_000, -600), (8_000, -600), "公开栏")
        pen.text("居务公开栏 4㎡", (4_600, -1_150), 350, "PUB_TEXT")
        _elevation(pen, (15_600, 5_200), "±0.000")
        _north_arrow(pen, (-2_600, 21_600))
    else:
        _elevation(pen, (15_600, 5_200), "4.200")


def _elevation(pen: Pen, at: Point, value: str) -> None:
    """A TArch elevation mark: a triangle standing on `at`, its value above it."""
    x, y = at
    pen.poly([(x, y), (x - 300, y + 300), (x + 300, y + 300)], "DIM_ELEV", closed=True)
    pen.line((x - 300, y + 300), (x + 1_500, y + 300), "DIM_ELEV")
    pen.text(value, (x - 200, y + 400), 300, "DIM_ELEV", "_TCH_DIM")


def _north_arrow(pen: Pen, centre: Point) -> None:
    x, y = centre
    r = 1_200
    pen.msp.add_circle(pen.p(centre), r, dxfattribs={"layer": "DIM_SYMB"})
    arrow = pen.msp.add_lwpolyline(
        [(*pen.p((x, y - r)), 300, 0), pen.p((x, y + r))], format="xyse",
        dxfattribs={"layer": "DIM_SYMB"},
    )  # fmt: skip
    arrow.dxf.const_width = 0  # the widths are per vertex: a tapered arrow
    pen.text_centred("北", (x, y + r + 450), 500, "DIM_SYMB")


def draw_title(pen: Pen, floor: Floor) -> None:
    """`一层平面图` with `1:100` to its right on PUB_TEXT, underlined by a wide and a
    thin polyline on DIM_SYMB, and the floor area in two texts further right."""
    title = f"{floor.name}平面图"
    h, y = 700, -7_200
    w = text_width(title, h, wide=True)
    x = 15_000 - w / 2 - 900
    pen.text(title, (x, y), h, "PUB_TEXT")
    pen.text("1:100", (x + w + 300, y), 500, "PUB_TEXT")
    end = x + w + 300 + text_width("1:100", 500)
    pen.poly([(x, y - 200), (end, y - 200)], "DIM_SYMB", width=70)
    pen.poly([(x, y - 340), (end, y - 340)], "DIM_SYMB")
    label = "本层建筑面积："
    x0, y0, x1, y1 = _bbox(floor.outer_face)
    gross = (x1 - x0) * (y1 - y0)
    ax = end + 1_200
    pen.text(label, (ax, y), 500, "PUB_TEXT")
    pen.text(f"{gross / 1e6:.2f}m2", (ax + text_width(label, 500, wide=True), y), 500, "PUB_TEXT")


# ---------------------------------------------------------------------- stairs


def draw_stair(pen: Pen, room: Room, top: bool) -> None:
    """A double-run stair in the stair room: two 1.5 m flights either side of a
    0.2 m well with a handrail around it, 280 mm treads from 1.4 m in front of the
    door, a landing at the back.  The step lines run to the wall faces.  On the
    ground floor only the first flight shows, cut by a break line."""
    x0, y0, x1, _ = _bbox(room.net)
    well_x0 = x0 + 1_500
    well_x1 = well_x0 + 200
    first, last = y0 + 1_400, y0 + 1_400 + 11 * 280
    pen.rect(well_x0, first, well_x1, last, "STAIR")
    pen.rect(well_x0 - 60, first - 60, well_x1 + 60, last + 60, "STAIR")  # handrail
    treads = [first + k * 280 for k in range(12)]
    cut = first + 5 * 280 + 140
    for y in treads:
        if not top and y > cut:
            break
        pen.line((x0, y), (well_x0 - 60, y), "STAIR")
        if top:
            pen.line((well_x1 + 60, y), (x1, y), "STAIR")
    west_mid, east_mid = (x0 + well_x0) / 2, (well_x1 + x1) / 2
    if top:
        path = [(east_mid, y0 + 900), (east_mid, last + 500), (west_mid, last + 500),
                (west_mid, first + 300)]  # fmt: skip
        word_at = (east_mid + 150, y0 + 700)
    else:
        # a zigzag break line across the first flight
        pen.poly([(x0, cut - 300), (west_mid - 150, cut - 80), (west_mid, cut + 150),
                  (west_mid + 150, cut - 150), (well_x0 - 60, cut + 300)], "STAIR")  # fmt: skip
        path = [(west_mid, first - 200), (west_mid, cut - 500)]
        word_at = (x0 + 50, first - 450)  # clear of the door's swing
    pen.poly(path, "STAIR")
    (ax, ay), (bx, by) = path[-2], path[-1]
    ux, uy = (bx - ax) / math.dist((ax, ay), (bx, by)), (by - ay) / math.dist((ax, ay), (bx, by))
    pen.msp.add_lwpolyline(
        [(*pen.p((bx - 400 * ux, by - 400 * uy)), 120, 0), pen.p((bx, by))], format="xyse",
        dxfattribs={"layer": "STAIR"},
    )  # fmt: skip
    pen.text("下" if top else "上", word_at, 350, "STAIR")


# ---------------------------------------------------------------------- furniture


def _station(pen: Pen, at: Point, facing: str) -> None:
    """A desk against a wall (its back on `at`) with its chair: the nested block."""
    pen.insert(WORKSTATION, at, "FURNITURE", rotation=FACING[facing])


def _desk_chair(pen: Pen, at: Point, facing: str) -> None:
    """The same desk and chair as two separate INSERTs."""
    rot = FACING[facing]
    pen.insert(DESK, at, "FURNITURE", rotation=rot)
    a = math.radians(rot)
    chair = (at[0] - CHAIR_AT * math.sin(a), at[1] + CHAIR_AT * math.cos(a))
    pen.insert(CHAIR, chair, "FURNITURE", rotation=rot)


def _toilet(pen: Pen, room: Room, men: bool) -> None:
    """Cubicles along the back wall (partitions on LVTRY), basins by the door."""
    x0, y0, x1, y1 = _bbox(room.net)
    n = min(3, (x1 - x0) // 1_000)
    depth = 1_300
    for k in range(n):
        sx = x0 + k * 1_000
        pen.insert(SQUAT, (sx + 500, y1 - 200), "LVTRY", rotation=180)
        if k:
            pen.line((sx, y1), (sx, y1 - depth), "LVTRY")
        # the cubicle front with a 650 mm door
        pen.line((sx, y1 - depth), (sx + 150, y1 - depth), "LVTRY")
        pen.line((sx + 800, y1 - depth), (sx + 1_000, y1 - depth), "LVTRY")
    if x0 + n * 1_000 < x1:  # the last partition, unless the side wall closes the row
        pen.line((x0 + n * 1_000, y1), (x0 + n * 1_000, y1 - depth), "LVTRY")
    for k in range(2):
        pen.insert(BASIN, (x1, y0 + 1_000 + k * 700), "LVTRY", rotation=FACING["W"])
    if men:
        for k in range(2):
            pen.insert(URINAL, (x0, y0 + 2_300 + k * 700), "LVTRY", rotation=FACING["E"])


def draw_furniture(pen: Pen, floor: Floor) -> None:
    r = {room.name: _bbox(room.net) for room in floor.rooms}
    if floor.level == 1:
        x0, y0, x1, y1 = r["警务室"]
        _station(pen, (x0 + 1_100, y0), "N")
        pen.rect(x0, y0 + 5_400, x0 + 500, y0 + 7_400, "FURNITURE")  # a locker
        # the service counter in the hall: a closed outline of 4.00 m2
        pen.rect(5_000, 5_800, 10_000, 6_600, "FURNITURE")
        for k in range(4):  # the staff behind the counter face it
            pen.insert(CHAIR, (5_600 + k * 1_200, 6_800), "FURNITURE")
        for row in range(2):  # waiting seats, facing the counter
            for k in range(5):
                pen.insert(CHAIR, (12_600 + k * 600, 2_600 + row * 1_000), "FURNITURE",
                           rotation=180)  # fmt: skip
        x0, y0, x1, y1 = r["计划生育服务室"]
        _desk_chair(pen, (x0 + 1_000, y0), "N")
        pen.rect(x1 - 600, y0 + 2_500, x1, y0 + 4_900, "FURNITURE")
        x0, y0, x1, y1 = r["慈善物品保管室"]  # shelving: plain closed outlines
        for k in range(3):
            pen.rect(x0 + 400, y0 + 600 + k * 1_200, x1 - 400, y0 + 1_100 + k * 1_200, "FURNITURE")
        x0, y0, x1, y1 = r["档案室"]  # filing shelves along both side walls
        pen.rect(x0 + 100, y0 + 1_500, x0 + 600, y1 - 300, "FURNITURE")
        pen.rect(x1 - 600, y0 + 1_500, x1 - 100, y1 - 300, "FURNITURE")
        x0, y0, x1, y1 = r["残疾人康复室"]
        pen.rect(x0 + 600, y0 + 600, x0 + 2_400, y0 + 1_400, "EQUIP")  # treadmill
        pen.line((x0 + 3_400, y0 + 600), (x0 + 3_400, y0 + 3_200), "EQUIP")  # parallel bars
        pen.line((x0 + 4_100, y0 + 600), (x0 + 4_100, y0 + 3_200), "EQUIP")
        pen.rect(x0 + 1_200, y0 + 5_500, x0 + 3_000, y0 + 7_300, "EQUIP")  # a couch
        x0, y0, x1, y1 = r["无障碍卫生间"]
        pen.insert(WC, (x0, y0 + 1_500), "LVTRY", rotation=FACING["E"])
        pen.insert(BASIN, (x1, y1 - 600), "LVTRY", rotation=FACING["W"])
        pen.line((x0 + 50, y0 + 900), (x0 + 50, y0 + 2_000), "LVTRY")  # grab bar
        _toilet(pen, floor_room(floor, "女卫"), men=False)
        _toilet(pen, floor_room(floor, "男卫"), men=True)
        x0, y0, x1, y1 = r["财务室"]
        _station(pen, (x0 + 900, y1), "S")
        pen.rect(x1 - 600, y1 - 700, x1, y1, "FURNITURE")  # the safe
        _meeting_table(pen, r["调解室/社会工作室"], 3)
    else:
        x0, y0, x1, y1 = r["社会组织活动室"]
        pen.rect(x0 + 700, y0 + 5_200, x1 - 700, y0 + 7_000, "FURNITURE")
        x0, y0, x1, y1 = r["文体活动室"]
        pen.rect(x0 + 1_500, y0 + 3_000, x0 + 4_240, y0 + 4_525, "EQUIP")  # table tennis
        pen.line((x0 + 2_870, y0 + 3_000), (x0 + 2_870, y0 + 4_525), "EQUIP")
        x0, y0, x1, y1 = r["党员活动室(多功能室)"]
        for y in (400, 2_000, 5_300):  # rows of desks, the middle kept clear for the label
            for k in range(4):
                _desk_chair(pen, (x0 + 2_500 + k * 2_200, y0 + y), "N")
        x0, y0, x1, y1 = r["社区办公室"]
        for k in range(3):
            _station(pen, (x0 + 1_000 + k * 1_700, y1), "S")
        _meeting_table(pen, r["居民议事室"], 4)
        x0, y0, x1, y1 = r["阅览室"]
        for k in range(2):
            pen.rect(x0 + 1_200 + k * 2_800, y0 + 4_200, x0 + 3_000 + k * 2_800, y0 + 5_400,
                     "FURNITURE")  # fmt: skip
        pen.rect(x0 + 400, y1 - 500, x1 - 400, y1, "FURNITURE")  # bookshelf
        _toilet(pen, floor_room(floor, "女卫"), men=False)
        _toilet(pen, floor_room(floor, "男卫"), men=True)


def _meeting_table(pen: Pen, bbox: tuple[int, int, int, int], n: int) -> None:
    """A table with `n` chairs a side in the back half of a north-band room, clear
    of the label at the room's centre."""
    x0, y0, x1, _ = bbox
    cx = (x0 + x1) // 2
    left = cx - n * 500
    pen.rect(left - 200, y0 + 4_300, cx + n * 500 + 200, y0 + 5_500, "FURNITURE")
    for k in range(n):
        x = left + 500 + k * 1_000
        pen.insert(CHAIR, (x, y0 + 4_200), "FURNITURE", rotation=180)
        pen.insert(CHAIR, (x, y0 + 5_600), "FURNITURE")


def floor_room(floor: Floor, name: str) -> Room:
    (room,) = [r for r in floor.rooms if r.name == name]
    return room


# ---------------------------------------------------------------------- frame


# A1 lengthened by a quarter (1051 x 594 mm) at 1:100, on PUB_TITLE
FRAME_W, FRAME_H = 105_100, 59_400
FRAME_X0, FRAME_Y0 = -15_000, -22_000


def draw_frame(pen: Pen) -> None:
    x0, y0 = FRAME_X0, FRAME_Y0
    x1, y1 = x0 + FRAME_W, y0 + FRAME_H
    pen.rect(x0, y0, x1, y1, "PUB_TITLE")
    bx0, by0, bx1, by1 = x0 + 2_500, y0 + 1_000, x1 - 1_000, y1 - 1_000  # binding on the left
    pen.poly([(bx0, by0), (bx1, by0), (bx1, by1), (bx0, by1)], "PUB_TITLE", closed=True,
             width=100)  # fmt: skip
    # the title block in the lower right corner: 240 x 60 mm
    tx0, ty1 = bx1 - 24_000, by0 + 6_000
    pen.rect(tx0, by0, bx1, ty1, "PUB_TITLE")
    rows = [by0 + 1_500, by0 + 3_000, by0 + 4_500]
    for y in rows:
        pen.line((tx0, y), (bx1, y), "PUB_TITLE")
    for x in (tx0 + 3_000, tx0 + 7_000, tx0 + 10_000, tx0 + 14_000, tx0 + 18_000):
        pen.line((x, by0), (x, rows[0]), "PUB_TITLE")
    pen.line((tx0 + 14_000, rows[0]), (tx0 + 14_000, rows[1]), "PUB_TITLE")
    h = 400
    cells = [
        ("XX建筑设计研究院有限公司", (tx0 + 600, rows[2] + 450), 600),
        ("工程名称：荆州市XX社区党员群众服务中心", (tx0 + 600, rows[1] + 500), 500),
        ("图名  一、二层平面图", (tx0 + 600, rows[0] + 500), 500),
        ("图号 建施-03", (tx0 + 14_600, rows[0] + 500), 500),
        ("设计", (tx0 + 700, by0 + 500), h),
        ("审核", (tx0 + 7_700, by0 + 500), h),
        ("比例 1:100", (tx0 + 14_400, by0 + 500), h),
        ("日期 2016.08", (tx0 + 18_400, by0 + 500), h),
    ]
    for s, at, size in cells:
        pen.text(s, at, size, "PUB_TITLE")
