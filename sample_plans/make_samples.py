"""Generate the bundled sample floor plans, and `expected.toml` describing them.

    python sample_plans/make_samples.py [OUTDIR]     # default: this file's folder

All samples show one design, "the standard centre": a new two-storey community
Party-member and public service centre (社区党员群众服务中心), each storey 30.0 m x 18.0 m
to the outer face of its external walls (540.00 m2 a floor, 1080.00 m2 in all).

Geometry is laid out in integer millimetres on a grid of wall centre lines.  Walls
are 200 mm thick, so every room's net outline is its grid cell shrunk by 100 mm on
every side; the outer wall's centre line runs 100 mm inside the outer face.  Floor 1,
front (south, y = 0) at the bottom, grid lines in metres:

         x 0.1 2.3   5.5   8.7  11.7  14.7        21.0      26.5   29.9
    y 17.9 +----+-----+-----+-----+-----+-----------+---------+------+
           | AT |     |     |     |     |           |         |      |
    y 15.5 +----+  W  |  M  | ARC | FIN |  MED/SW   |  LOBBY  |  ST  |  north band:
           |leg |     |     |     |     |           |         |      |  net 6.4 deep
    y 11.3 |    +-----+-----+-----+-----+-----------+---------+------+
           |  CORRIDOR: an L, the band plus the leg up to AT        |  net 2.4 wide
    y  8.7 +-----+------------------+-----+-----+--------------------+
           | POL |   SERVICE HALL   | FP  | CH  |       REHAB        |  south band:
    y  0.1 +-----+------------------+-----+-----+--------------------+  net 8.4 deep
         x 0.1  3.7               17.1  20.7  24.3                 29.9

AT 无障碍卫生间, W 女卫, M 男卫, ARC 档案室, FIN 财务室, MED/SW 调解室/社会工作室,
LOBBY 门厅 (back entrance), ST 楼梯间, POL 警务室, SERVICE HALL 便民服务大厅 (front
entrance), FP 计划生育服务室, CH 慈善物品保管室, REHAB 残疾人康复室.  Floor 2 keeps
the bands, the corridor (a plain rectangle) and the stair; 文体活动室 sits in the
service hall's cell.

Three drawing conventions are written (see README.md):

* A: one R2010 file in millimetres, both floors side by side, closed LWPOLYLINE
  outlines, TEXT labels, plan titles, door swings and a sheet frame.
* B: one R2000 file per floor in metres, GBK text, room HATCHes bounded by the net
  outline, wall faces as LINEs, one MTEXT label per room, floors named by file name.
* C: one R2000 file, GBK, unitless millimetres, drawn as a TArch (天正) T3 export:
  no room outlines, double wall lines with gaps at doors and windows, door blocks,
  axes, dimensions, furniture, stairs, a sheet frame.  The drawing code is in
  tarch_style.py.

The output is deterministic: ezdxf's time stamps and GUIDs are fixed, so running
the generator twice gives byte-identical files (tests/test_samples_generation.py
checks that the committed samples match this script).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import ezdxf
import tarch_style
from ezdxf import units
from ezdxf.document import Drawing
from ezdxf.enums import TextEntityAlignment
from ezdxf.layouts import Modelspace

Point = tuple[int, int]  # millimetres

OUTER_W, OUTER_D = 30_000, 18_000  # outer face of the external walls, mm
WALL = 200  # wall thickness, mm
HALF_WALL = WALL // 2

# Wall centre lines of the grid (mm).  The outer wall's centre line is half a wall
# inside the outer face.
X_WEST, X_EAST = HALF_WALL, OUTER_W - HALF_WALL  # 100, 29 900
Y_FRONT, Y_BACK = HALF_WALL, OUTER_D - HALF_WALL  # 100, 17 900
Y_CORRIDOR_S, Y_CORRIDOR_N = 8_700, 11_300  # corridor between the two bands

FLOOR_2_OFFSET_X = 45_000  # conventions A and C: floor 2 drawn this far right of floor 1


# ---------------------------------------------------------------------- geometry


def rect(x0: int, y0: int, x1: int, y1: int) -> tuple[Point, ...]:
    """A rectangle, counter-clockwise from its lower-left corner."""
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def _sign(v: int) -> int:
    return (v > 0) - (v < 0)


def inset(cell: tuple[Point, ...], d: int = HALF_WALL) -> tuple[Point, ...]:
    """Shrink a counter-clockwise rectilinear polygon by `d` on every side.

    Each corner moves `d` along the inward normals of both edges that meet there,
    which is the exact mitred offset for axis-parallel edges (convex or reflex).
    """
    out = []
    n = len(cell)
    for i, (x, y) in enumerate(cell):
        px, py = cell[i - 1]
        nx, ny = cell[(i + 1) % n]
        e1 = (_sign(x - px), _sign(y - py))
        e2 = (_sign(nx - x), _sign(ny - y))
        if abs(e1[0]) + abs(e1[1]) != 1 or abs(e2[0]) + abs(e2[1]) != 1:
            raise ValueError(f"an edge at {(x, y)} is not axis-parallel or has no length")
        # inward normal of a counter-clockwise edge (dx, dy) is (-dy, dx)
        out.append((x + d * (-e1[1] - e2[1]), y + d * (e1[0] + e2[0])))
    return tuple(out)


def area_mm2(poly: tuple[Point, ...]) -> int:
    """Shoelace area, exact in integer mm2 (positive for counter-clockwise)."""
    twice = sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True)
    )
    assert twice % 2 == 0
    return twice // 2


def m2(area: int) -> str:
    """An area in mm2 as the drawing writes it: m2 to two decimals."""
    return f"{area / 1_000_000:.2f}"


# ---------------------------------------------------------------------- the design


@dataclass(frozen=True)
class Room:
    """One room: its label and its grid cell (wall centre lines, mm, CCW).

    `door` is the side of the cell its door swing is drawn on (S, E, N or W);
    `label_at` overrides the label position (the L-shaped corridor).
    """

    name: str
    cell: tuple[Point, ...]
    door: str
    label_at: Point | None = None

    @property
    def net(self) -> tuple[Point, ...]:
        return inset(self.cell)

    @property
    def area(self) -> int:
        return area_mm2(self.net)

    @property
    def centre(self) -> Point:
        if self.label_at is not None:
            return self.label_at
        xs = [x for x, _ in self.net]
        ys = [y for _, y in self.net]
        return ((min(xs) + max(xs)) // 2, (min(ys) + max(ys)) // 2)


@dataclass(frozen=True)
class Floor:
    level: int
    rooms: tuple[Room, ...]

    @property
    def name(self) -> str:
        return {1: "一层", 2: "二层"}[self.level]

    @property
    def outer_face(self) -> tuple[Point, ...]:
        return rect(0, 0, OUTER_W, OUTER_D)


def south(name: str, x0: int, x1: int, door: str = "N") -> Room:
    """A room in the front band, its door on the corridor."""
    return Room(name, rect(x0, Y_FRONT, x1, Y_CORRIDOR_S), door)


def north(name: str, x0: int, x1: int) -> Room:
    """A room in the back band, its door on the corridor."""
    return Room(name, rect(x0, Y_CORRIDOR_N, x1, Y_BACK), "S")


def floor_1(
    *,
    toilet_name: str = "无障碍卫生间",
    toilet_net: tuple[int, int] = (2_000, 2_200),
    split_mediation: bool = False,
) -> Floor:
    """The ground floor.

    The barrier-free toilet closes the end of a corridor leg in the north-west
    corner; its net size (width, depth) sets how wide the leg is and how far it
    reaches, and the women's toilet next to it takes up the rest of the width.
    """
    toilet_w, toilet_d = toilet_net
    leg_east = X_WEST + toilet_w + WALL  # centre line east of the leg and the toilet
    leg_north = Y_BACK - toilet_d - WALL  # centre line between the leg and the toilet
    corridor = Room(
        "走廊",
        (
            (X_WEST, Y_CORRIDOR_S),
            (X_EAST, Y_CORRIDOR_S),
            (X_EAST, Y_CORRIDOR_N),
            (leg_east, Y_CORRIDOR_N),
            (leg_east, leg_north),
            (X_WEST, leg_north),
        ),
        door="E",
        label_at=(15_000, 10_000),
    )
    if split_mediation:
        mediation = [north("调解室", 14_700, 17_400), north("社会工作室", 17_400, 21_000)]
    else:
        mediation = [north("调解室/社会工作室", 14_700, 21_000)]
    rooms = [
        south("警务室", X_WEST, 3_700),
        south("便民服务大厅", 3_700, 17_100, door="S"),  # the main entrance
        south("计划生育服务室", 17_100, 20_700),
        south("慈善物品保管室", 20_700, 24_300),
        south("残疾人康复室", 24_300, X_EAST),
        corridor,
        Room(toilet_name, rect(X_WEST, leg_north, leg_east, Y_BACK), "S"),
        north("女卫", leg_east, 5_500),
        north("男卫", 5_500, 8_700),
        north("档案室", 8_700, 11_700),
        north("财务室", 11_700, 14_700),
        *mediation,
        north("门厅", 21_000, 26_500),  # the back entrance
        north("楼梯间", 26_500, X_EAST),
    ]
    return Floor(1, tuple(rooms))


def floor_2() -> Floor:
    rooms = [
        south("社会组织活动室", X_WEST, 3_700),
        south("文体活动室", 3_700, 17_100),  # above the service hall, same cell
        south("党员活动室(多功能室)", 17_100, X_EAST),
        Room("走廊", rect(X_WEST, Y_CORRIDOR_S, X_EAST, Y_CORRIDOR_N), "E"),
        north("女卫", X_WEST, 2_800),
        north("男卫", 2_800, 5_500),
        north("社区办公室", 5_500, 12_500),
        north("居民议事室", 12_500, 19_500),
        north("阅览室", 19_500, 26_500),
        north("楼梯间", 26_500, X_EAST),  # same place as on floor 1
    ]
    return Floor(2, tuple(rooms))


def swap_names(floors: list[Floor], a: str, b: str) -> list[Floor]:
    """Swap two rooms' labels; geometry (and doors) stay where they are."""
    swap = {a: b, b: a}
    return [
        replace(f, rooms=tuple(replace(r, name=swap.get(r.name, r.name)) for r in f.rooms))
        for f in floors
    ]


def check_tiling(floor: Floor) -> None:
    """The cells tile the area inside the outer wall's centre line, and rooms are
    rectangles except the corridor (an L)."""
    inside = area_mm2(rect(X_WEST, Y_FRONT, X_EAST, Y_BACK))
    cells = sum(area_mm2(r.cell) for r in floor.rooms)
    if cells != inside:
        raise AssertionError(f"floor {floor.level}: cells cover {cells} mm2, not {inside}")
    for r in floor.rooms:
        if len(r.cell) != 4 and not (r.name == "走廊" and len(r.cell) == 6):
            raise AssertionError(f"{r.name}: only the corridor may be L-shaped")


# ---------------------------------------------------------------------- the samples


@dataclass(frozen=True)
class Sample:
    name: str  # file stem (A, C) or folder (B)
    convention: str  # "A", "B" or "C"
    floors: tuple[Floor, ...]
    verdict: str
    failing_rules: tuple[str, ...]
    description: str
    warnings: tuple[str, ...] = ()  # warnings the checker must give (and no others)

    @property
    def path(self) -> str:
        return f"{self.name}/" if self.convention == "B" else f"{self.name}.dxf"


def samples() -> list[Sample]:
    standard = [floor_1(), floor_2()]
    return [
        Sample(
            "compliant-centre", "A", tuple(standard), "pass", (),
            "the standard centre; passes every checkable rule",
        ),
        Sample(
            "compliant-centre-per-floor", "B", tuple(standard), "pass", (),
            "the standard centre, one file per floor",
        ),
        Sample(
            "compliant-centre-tarch", "C", tuple(standard), "pass", (),
            "the standard centre drawn as a TArch T3 export: rooms only from walls with door gaps",
            warnings=("plan.units_guessed",),  # $INSUNITS is 0
        ),
        Sample(
            "fail-hall-upstairs", "A",
            tuple(swap_names(standard, "便民服务大厅", "文体活动室")),
            "fail", ("service_hall.ground_floor",),
            "便民服务大厅 and 文体活动室 swap places (same cell): the hall is on floor 2",
        ),
        Sample(
            "fail-small-mediation-room", "B",
            (floor_1(split_mediation=True), floor_2()),
            "fail", ("mediation.area",),
            "调解室 (16.00 m2) and 社会工作室 (21.76 m2) are separate rooms",
        ),
        Sample(
            "fail-no-accessible-toilet", "A",
            (floor_1(toilet_name="清洁间"), floor_2()),
            "fail", ("accessible_toilet.present",),
            "the barrier-free toilet is labelled 清洁间",
        ),
        Sample(
            "fail-narrow-accessible-toilet", "B",
            (floor_1(toilet_net=(1_400, 3_200)), floor_2()),
            "fail", ("accessible_toilet.turning_space",),
            "the barrier-free toilet is 1.40 m x 3.20 m net: 4.48 m2, but no 1.50 m circle",
        ),
    ]  # fmt: skip


# ---------------------------------------------------------------------- DXF output

TEXT_STYLE = "HZ"  # a Chinese-capable text style, as Chinese drawings have


def new_document(dxfversion: str, insunits: int, layers: dict[str, int]) -> Drawing:
    doc = ezdxf.new(dxfversion)
    doc.units = insunits
    doc.header["$MEASUREMENT"] = 1  # metric
    doc.styles.new(TEXT_STYLE, dxfattribs={"font": "simsun.ttc"})
    for name, color in layers.items():
        doc.layers.add(name, color=color)
    return doc


@contextmanager
def reproducible_output() -> Iterator[None]:
    """Make ezdxf stamp fixed metadata instead of the time and random GUIDs.

    While this is on, ezdxf writes $TDCREATE, $TDUCREATE, $TDUPDATE and $TDUUPDATE
    as 2000-01-01, both $FINGERPRINTGUID and $VERSIONGUID as all zeros, and a fixed
    "created/written by ezdxf" marker (without the ezdxf version) in the objects
    section.  It must be on from `ezdxf.new()`, which writes the "created" marker.
    """
    before = ezdxf.options.write_fixed_meta_data_for_testing
    ezdxf.options.write_fixed_meta_data_for_testing = True
    try:
        yield
    finally:
        ezdxf.options.write_fixed_meta_data_for_testing = before


def save(doc: Drawing, path: Path) -> None:
    """Save with the remaining clock-driven header variables zeroed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.header["$TDINDWG"] = 0.0  # total editing time
    doc.header["$TDUSRTIMER"] = 0.0  # user timer
    # ezdxf adds a CLASS for each entity type in use in set order, which varies with
    # the string hash seed; register them first, in a fixed order.
    for dxftype in sorted(doc.entitydb.dxf_types_in_use()):
        doc.classes.add_class(dxftype)
    doc.saveas(path)


# --- convention A: one file, closed outlines, titles (R2010, mm)

LAYERS_A = {
    "WALL": 7, "ROOM": 4, "ROOM_NAME": 3, "ROOM_AREA": 3, "TITLE": 7,
    "DOOR": 6, "图框": 7, "公开栏": 1,
}  # fmt: skip


def add_text_a(msp: Modelspace, text: str, at: Point, height: int, layer: str) -> None:
    msp.add_text(
        text, height=height, dxfattribs={"layer": layer, "style": TEXT_STYLE}
    ).set_placement(at, align=TextEntityAlignment.MIDDLE_CENTER)


def add_door(msp: Modelspace, room: Room, dx: int) -> None:
    """A door swing (leaf LINE + quarter ARC) inside the room, on side `room.door`.

    The hinge sits 300 mm along the net edge from its first corner; the leaf stands
    perpendicular to the wall, the arc sweeps from the closed to the open position.
    """
    net = room.net
    xs = [x for x, _ in net]
    ys = [y for _, y in net]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    # each side as (edge start, edge direction): counter-clockwise, interior on the left
    start, (ex, ey) = {
        "S": ((x0, y0), (1, 0)),
        "E": ((x1, y0), (0, 1)),
        "N": ((x1, y1), (-1, 0)),
        "W": ((x0, y1), (0, -1)),
    }[room.door]
    width = 1_500 if room.name == "便民服务大厅" else 900
    hinge = (start[0] + 300 * ex + dx, start[1] + 300 * ey)
    leaf_end = (hinge[0] - width * ey, hinge[1] + width * ex)
    wall_angle = {(1, 0): 0, (0, 1): 90, (-1, 0): 180, (0, -1): 270}[(ex, ey)]
    msp.add_line(hinge, leaf_end, dxfattribs={"layer": "DOOR"})
    msp.add_arc(hinge, width, wall_angle, wall_angle + 90, dxfattribs={"layer": "DOOR"})


def write_convention_a(sample: Sample, path: Path) -> None:
    doc = new_document("R2010", units.MM, LAYERS_A)
    msp = doc.modelspace()
    for floor in sample.floors:
        dx = (floor.level - 1) * FLOOR_2_OFFSET_X

        def shift(poly: tuple[Point, ...], dx: int = dx) -> list[Point]:
            return [(x + dx, y) for x, y in poly]

        msp.add_lwpolyline(shift(floor.outer_face), close=True, dxfattribs={"layer": "WALL"})
        for room in floor.rooms:
            msp.add_lwpolyline(shift(room.net), close=True, dxfattribs={"layer": "ROOM"})
            cx, cy = room.centre
            add_text_a(msp, room.name, (cx + dx, cy), 350, "ROOM_NAME")
            add_text_a(msp, f"{m2(room.area)}㎡", (cx + dx, cy - 500), 300, "ROOM_AREA")
            add_door(msp, room, dx)
        if floor.level == 1:
            # the residents' notice board: a line along the façade, not a room
            msp.add_line((4_000, -400), (8_000, -400), dxfattribs={"layer": "公开栏"})
            add_text_a(msp, "居务公开栏 4㎡", (6_000, -900), 350, "公开栏")
        centre_x = dx + OUTER_W // 2
        add_text_a(msp, f"{floor.name}平面图 1:100", (centre_x, -2_600), 700, "TITLE")
        gross = m2(area_mm2(floor.outer_face))
        add_text_a(msp, f"本层建筑面积：{gross}m2", (centre_x, -3_700), 350, "TITLE")

    # the sheet frame around both plans, with a title block in its lower-right corner
    fx0, fy0, fx1, fy1 = -5_000, -10_000, FLOOR_2_OFFSET_X + OUTER_W + 5_000, OUTER_D + 5_000
    msp.add_lwpolyline(rect(fx0, fy0, fx1, fy1), close=True, dxfattribs={"layer": "图框"})
    bx0, by1 = fx1 - 18_000, fy0 + 5_000
    msp.add_lwpolyline(rect(bx0, fy0, fx1, by1), close=True, dxfattribs={"layer": "图框"})
    bcx = (bx0 + fx1) // 2
    add_text_a(msp, "荆州市XX社区党员群众服务中心", (bcx, fy0 + 3_900), 600, "图框")
    add_text_a(msp, "建筑平面图", (bcx, fy0 + 2_500), 500, "图框")
    add_text_a(msp, "比例 1:100", (bcx, fy0 + 1_100), 400, "图框")
    save(doc, path)


# --- convention B: one file per floor, hatches, MTEXT (R2000, GBK, m)

LAYERS_B = {"WALL": 7, "SPACE": 8, "PUB_TEXT": 3, "公开栏": 1}

# MTEXT label styles, used in turn so that the checker's formatting-code stripper
# sees plain labels and several kinds of inline codes.
MTEXT_STYLES = (
    "{name}\\P{area}",
    "{{\\fSimSun|b0|i0;{name}}}\\P{area}",
    "{{\\H1.2x;{name}}}\\P{{\\C3;{area}}}",
    "\\A1;{name}\\P\\L{area}\\l",
)


def metres(p: Point) -> tuple[float, float]:
    return (p[0] / 1000, p[1] / 1000)


def write_convention_b(floor: Floor, path: Path) -> None:
    doc = new_document("R2000", units.M, LAYERS_B)
    doc.encoding = "gbk"  # writes Chinese as GBK bytes ...
    doc.header["$DWGCODEPAGE"] = "ANSI_936"  # ... and says so in the header
    msp = doc.modelspace()

    def wall_faces(poly: tuple[Point, ...]) -> None:
        for a, b in zip(poly, poly[1:] + poly[:1], strict=True):
            msp.add_line(metres(a), metres(b), dxfattribs={"layer": "WALL"})

    wall_faces(floor.outer_face)
    for i, room in enumerate(floor.rooms):
        wall_faces(room.net)
        hatch = msp.add_hatch(color=8, dxfattribs={"layer": "SPACE"})
        hatch.set_pattern_fill("ANSI31", color=8, scale=0.05)
        hatch.paths.add_polyline_path([metres(p) for p in room.net], is_closed=True)
        label = MTEXT_STYLES[i % len(MTEXT_STYLES)].format(
            name=room.name, area=f"{m2(room.area)}㎡"
        )
        msp.add_mtext(
            label,
            dxfattribs={
                "layer": "PUB_TEXT",
                "style": TEXT_STYLE,
                "char_height": 0.35,
                "insert": metres(room.centre),
                "attachment_point": 5,  # middle centre
            },
        )
    if floor.level == 1:
        msp.add_line((4.0, -0.4), (8.0, -0.4), dxfattribs={"layer": "公开栏"})
        msp.add_text(
            "居务公开栏 4㎡", height=0.35, dxfattribs={"layer": "公开栏", "style": TEXT_STYLE}
        ).set_placement((6.0, -0.9), align=TextEntityAlignment.MIDDLE_CENTER)
        msp.add_text(
            "标高%%P0.000", height=0.3, dxfattribs={"layer": "PUB_TEXT", "style": TEXT_STYLE}
        ).set_placement((20.0, -1.0))
    gross = m2(area_mm2(floor.outer_face))
    msp.add_mtext(
        f"本层建筑面积：{gross}m2",
        dxfattribs={
            "layer": "PUB_TEXT",
            "style": TEXT_STYLE,
            "char_height": 0.35,
            "insert": (15.0, -2.0),
            "attachment_point": 5,
        },
    )
    save(doc, path)


# --- convention C: a TArch (天正) T3 export (R2000, GBK, unitless mm)


def write_convention_c(sample: Sample, path: Path) -> None:
    doc = new_document("R2000", 0, tarch_style.LAYERS)  # $INSUNITS 0: unitless
    doc.encoding = "gbk"
    doc.header["$DWGCODEPAGE"] = "ANSI_936"
    doc.header["$MEASUREMENT"] = 0  # as TArch's acad.dwt-based drawings say: imperial
    tarch_style.draw(doc, sample.floors, FLOOR_2_OFFSET_X)
    save(doc, path)


# Rooms derived from wall lines with door gaps measure within this fraction of the
# net area (expected.toml's area_tolerance; the outlines of A and B are exact).
WALL_DERIVED_AREA_TOLERANCE = 0.01


# ---------------------------------------------------------------------- expected.toml


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Rooms listed per sample in expected.toml, by function id: the first room on any
# floor whose label names one of these.
EXPECTED_ROOMS = {
    "service_hall": ("便民服务大厅",),
    "mediation": ("调解室/社会工作室", "调解室"),
    "social_work": ("调解室/社会工作室", "社会工作室"),
    "accessible_toilet": ("无障碍卫生间",),
}


def expected_toml(all_samples: list[Sample]) -> str:
    lines = [
        "# What the checker must find in each bundled sample plan.",
        "# Generated by make_samples.py: do not edit; rerun `python sample_plans/make_samples.py`.",
        "# Paths are relative to this file; a path ending in / is a folder with one file per",
        "# floor.  Areas in m2: gross_area is the total building area (outer faces, all",
        "# floors); [samples.rooms.<function id>] gives the net area of the room serving that",
        "# function (absent when no room does), turning_diameter the largest circle it holds.",
        "# area_tolerance (convention C, rooms derived from walls) is the relative error",
        "# allowed on those areas; without it they are exact to 0.01 m2.  warnings, where",
        "# present, lists the warnings the checker must give (elsewhere: none).",
        "",
    ]
    for s in all_samples:
        gross = sum(area_mm2(f.outer_face) for f in s.floors)
        lines += [
            "[[samples]]",
            f"name = {_toml_str(s.name)}",
            f"path = {_toml_str(s.path)}",
            f"convention = {_toml_str(s.convention)}",
            'build_type = "new"',
            f"verdict = {_toml_str(s.verdict)}",
            "failing_rules = [" + ", ".join(_toml_str(r) for r in s.failing_rules) + "]",
            f"gross_area = {m2(gross)}",
            f"description = {_toml_str(s.description)}",
        ]
        if s.convention == "B":
            lines.append(
                "files = [" + ", ".join(_toml_str(f"{f.name}平面图.dxf") for f in s.floors) + "]"
            )
        if s.warnings:
            lines.append("warnings = [" + ", ".join(_toml_str(w) for w in s.warnings) + "]")
        if s.convention == "C":
            lines.append(f"area_tolerance = {WALL_DERIVED_AREA_TOLERANCE}")
        for function, names in EXPECTED_ROOMS.items():
            found = [(f, r) for f in s.floors for r in f.rooms if r.name in names]
            if not found:
                continue
            floor, room = found[0]
            lines += ["", f"[samples.rooms.{function}]"]
            lines += [
                f"name = {_toml_str(room.name)}",
                f"floor = {floor.level}",
                f"area = {m2(room.area)}",
            ]
            if function == "accessible_toilet":
                xs = [x for x, _ in room.net]
                ys = [y for _, y in room.net]
                short_side = min(max(xs) - min(xs), max(ys) - min(ys))
                lines.append(f"turning_diameter = {short_side / 1000:.2f}")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------- main


def write_samples(outdir: Path) -> list[Path]:
    """Write every sample and expected.toml into `outdir`; return the paths written."""
    outdir = Path(outdir)
    written = []
    all_samples = samples()
    with reproducible_output():
        for sample in all_samples:
            for floor in sample.floors:
                check_tiling(floor)
            if sample.convention in ("A", "C"):
                path = outdir / sample.path
                write = write_convention_a if sample.convention == "A" else write_convention_c
                write(sample, path)
                written.append(path)
            else:
                for floor in sample.floors:
                    path = outdir / sample.name / f"{floor.name}平面图.dxf"
                    write_convention_b(floor, path)
                    written.append(path)
    expected = outdir / "expected.toml"
    expected.write_text(expected_toml(all_samples), encoding="utf-8", newline="\n")
    written.append(expected)
    return written


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    for path in write_samples(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
