"""Generate large, realistic centre drawings for the performance benchmarks.

Not committed as data: run it to make drawings of any size on demand.

    python benchmarks/make_large.py OUT.dxf --floors 4 --rooms 60 --clutter 40
    python benchmarks/make_large.py OUT.dxf --target-mb 40      # pick --clutter for a size
    python benchmarks/make_large.py OUT.dxf --reference         # the 200,000-entity drawing

Each floor is a TArch-style plan (as a T3 export looks): double-line walls on
`WALL` with door openings and jamb lines, door blocks on `DOOR_FIRE`, windows on
`WINDOW`, an axis grid on `AXIS`, exploded dimension chains on `DIM_SYMB`, room
names and area notes as Chinese TEXT on `PUB_TEXT`, and per room `--clutter` pieces
of exploded furniture: lines, bulged LWPOLYLINEs (round tables, chairs) and small
texts (equipment labels), plus furniture block references; columns as SOLID
hatches on `COLUMN` at the axis grid's facade crossings, and a title block (a
block with ATTRIBs on `图框`) under each floor.  Floors stand side by side, each
titled `N层平面图`; the file is R2010 in millimetres.  The mix of a big drawing is
what the benchmark reference names: about half LINEs, a quarter LWPOLYLINEs with
bulges, a quarter TEXTs.

`--reference` is the drawing issue 6 measures against: 4 floors of 24 rooms with
500 pieces of furniture each, about 200,000 entities (100,000 LINEs, 50,000
bulged LWPOLYLINEs, 50,000 Chinese TEXTs) and 40 MB.
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

import ezdxf

NAMES = [
    "便民服务大厅",
    "调解室",
    "警务室",
    "计划生育服务室",
    "社会工作室",
    "慈善物品保管室",
    "社区办公室",
    "档案室",
    "财务室",
    "居民议事室",
    "党员活动室",
    "社会组织活动室",
    "文体活动室",
    "阅览室",
    "残疾人康复室",
    "无障碍卫生间",
    "男卫",
    "女卫",
    "储藏室",
    "楼梯间",
]
ZH_DIGITS = "一二三四五六七八九十"
ROOM_W, ROOM_D = 6000.0, 5400.0  # cell size along the corridor, depth (mm, wall centres)
CORRIDOR = 2400.0
T = 200.0  # wall thickness
DOOR = 1000.0


def build(path: Path, floors: int, rooms: int, clutter: int, seed: int = 1) -> int:
    """Write the drawing; returns the number of modelspace entities."""
    rng = random.Random(seed)
    doc = ezdxf.new("R2010", setup=False)
    doc.header["$INSUNITS"] = 4
    for name in (
        "WALL", "WINDOW", "DOOR_FIRE", "AXIS", "DIM_SYMB", "PUB_TEXT", "FURNITURE", "COLUMN",
        "图框",
    ):  # fmt: skip
        doc.layers.add(name)
    _door_block(doc)
    _chair_block(doc)
    _title_block(doc)
    msp = doc.modelspace()
    per_side = math.ceil(rooms / 2)
    width = per_side * ROOM_W
    depth = 2 * ROOM_D + CORRIDOR
    for level in range(floors):
        ox = (level % 2) * (width + 20_000.0)
        oy = (level // 2) * (depth + 25_000.0)
        first = len(msp)
        _floor(msp, rng, ox, per_side, rooms, clutter)
        msp.add_text(
            f"{ZH_DIGITS[level % 10]}层平面图",
            height=700,
            dxfattribs={"layer": "PUB_TEXT", "insert": (ox + width / 2, -6000)},
        )
        msp.add_text(
            "1:100",
            height=500,
            dxfattribs={"layer": "PUB_TEXT", "insert": (ox + width / 2 + 6000, -6000)},
        )
        _axes(msp, ox, per_side, depth)
        _title(msp, ox + width - 18_000.0, -9_000.0, level, floors)
        if oy:
            for entity in list(msp)[first:]:
                entity.translate(0, oy, 0)
    doc.saveas(path)
    return len(msp)


def _floor(msp, rng, ox, per_side, rooms, clutter) -> None:
    width = per_side * ROOM_W
    depth = 2 * ROOM_D + CORRIDOR
    outer = [(ox, 0), (ox + width, 0), (ox + width, depth), (ox, depth)]
    for (ax, ay), (bx, by) in zip(outer, outer[1:] + outer[:1], strict=True):
        msp.add_line((ax, ay), (bx, by), dxfattribs={"layer": "WALL"})
    inner = [(ox + T, T), (ox + width - T, T), (ox + width - T, depth - T), (ox + T, depth - T)]
    for (ax, ay), (bx, by) in zip(inner, inner[1:] + inner[:1], strict=True):
        msp.add_line((ax, ay), (bx, by), dxfattribs={"layer": "WALL"})
    n = 0
    for side in (0, 1):
        y0 = 0.0 if side == 0 else ROOM_D + CORRIDOR
        wall_y = ROOM_D if side == 0 else ROOM_D + CORRIDOR  # corridor-side wall centre
        for i in range(per_side):
            if n >= rooms:
                break
            x0 = ox + i * ROOM_W
            _room(msp, rng, x0, y0, wall_y, side, n, clutter)
            n += 1


def _room(msp, rng, x0, y0, wall_y, side, n, clutter) -> None:
    wall = {"layer": "WALL"}
    # partition on the room's right (double line), corridor wall with a door gap
    px = x0 + ROOM_W
    msp.add_line((px - T / 2, y0 + T), (px - T / 2, y0 + ROOM_D - T / 2), dxfattribs=wall)
    msp.add_line((px + T / 2, y0 + T), (px + T / 2, y0 + ROOM_D - T / 2), dxfattribs=wall)
    d0 = x0 + 800.0
    d1 = d0 + DOOR
    for y in (wall_y - T / 2, wall_y + T / 2):
        msp.add_line((x0 + T / 2, y), (d0, y), dxfattribs=wall)
        msp.add_line((d1, y), (x0 + ROOM_W - T / 2, y), dxfattribs=wall)
    for x in (d0, d1):  # jambs
        msp.add_line((x, wall_y - T / 2), (x, wall_y + T / 2), dxfattribs=wall)
    into_room = -1 if side == 0 else 1
    msp.add_blockref(
        "$DorLib2D$00000001",
        ((d0 + d1) / 2, wall_y),
        dxfattribs={"layer": "DOOR_FIRE", "xscale": DOOR, "yscale": DOOR * into_room},
    )
    # window in the outer wall
    wy = y0 + T / 2 if side == 0 else y0 + ROOM_D - T / 2
    for k in range(4):
        off = -T / 2 + k * T / 3
        msp.add_line((x0 + 1800, wy + off), (x0 + 4200, wy + off), dxfattribs={"layer": "WINDOW"})
    cx, cy = x0 + ROOM_W / 2, y0 + ROOM_D / 2
    name = NAMES[n % len(NAMES)]
    net = (ROOM_W - T) * (ROOM_D - 1.5 * T) / 1e6
    msp.add_text(name, height=350, dxfattribs={"layer": "PUB_TEXT", "insert": (cx - 1000, cy)})
    msp.add_text(
        f"{net:.2f}m²", height=300, dxfattribs={"layer": "PUB_TEXT", "insert": (cx - 800, cy - 500)}
    )
    for _ in range(clutter):
        _furniture(msp, rng, x0 + 400, y0 + 400, ROOM_W - 800, ROOM_D - 800)


def _furniture(msp, rng, x, y, w, h) -> None:
    """One piece of exploded furniture: two lines, a bulged outline, a label; kept
    out of the middle band of the room, where its name is written."""
    fx = x + rng.random() * (w - 700)
    fy = y + rng.choice((0.0, 0.62)) * h + rng.random() * (0.38 * h - 700)
    size = 300 + rng.random() * 300
    attribs = {"layer": "FURNITURE"}
    msp.add_line((fx, fy), (fx + size, fy), dxfattribs=attribs)
    msp.add_line((fx, fy + size), (fx + size, fy + size), dxfattribs=attribs)
    msp.add_lwpolyline(
        [
            (fx, fy, 0, 0, 0.4),
            (fx + size, fy, 0, 0, 0.4),
            (fx + size, fy + size, 0, 0, 0.4),
            (fx, fy + size, 0, 0, 0.4),
        ],
        format="xyseb",
        close=True,
        dxfattribs=attribs,
    )
    msp.add_text("设备", height=120, dxfattribs={"layer": "FURNITURE", "insert": (fx, fy - 150)})
    if rng.random() < 0.2:
        msp.add_blockref("办公椅", (fx + size / 2, fy + size / 2), dxfattribs=attribs)


def _axes(msp, ox, per_side, depth) -> None:
    for i in range(per_side + 1):
        x = ox + i * ROOM_W
        for y in (0.0, depth):  # columns at the facade crossings, solid-hatched
            hatch = msp.add_hatch(color=7, dxfattribs={"layer": "COLUMN"})
            c = T  # a 400 mm column
            hatch.paths.add_polyline_path(
                [(x - c, y - c), (x + c, y - c), (x + c, y + c), (x - c, y + c)], is_closed=True
            )
        msp.add_line((x, -3000), (x, depth + 3000), dxfattribs={"layer": "AXIS"})
        msp.add_circle((x, -3400), 400, dxfattribs={"layer": "AXIS"})
        msp.add_text(str(i + 1), height=400, dxfattribs={"layer": "AXIS", "insert": (x, -3400)})
        if i < per_side:
            msp.add_line((x, -1500), (x + ROOM_W, -1500), dxfattribs={"layer": "DIM_SYMB"})
            msp.add_text(
                f"{int(ROOM_W)}",
                height=300,
                dxfattribs={"layer": "DIM_SYMB", "insert": (x + ROOM_W / 2, -1400)},
            )


def _door_block(doc) -> None:
    block = doc.blocks.new("$DorLib2D$00000001")
    block.add_line((-0.5, 0), (-0.5, 1))
    block.add_arc((-0.5, 0), 1, 0, 90)


def _chair_block(doc) -> None:
    block = doc.blocks.new("办公椅")
    block.add_lwpolyline([(-200, -200), (200, -200), (200, 200), (-200, 200)], close=True)
    block.add_line((-200, 150), (200, 150))


def _title_block(doc) -> None:
    """A sheet's title block: a frame of lines and the drawing's name and number."""
    block = doc.blocks.new("图签")
    for a, b in (((0, 0), (18000, 0)), ((18000, 0), (18000, 4000)), ((18000, 4000), (0, 4000))):
        block.add_line(a, b)
    block.add_line((0, 4000), (0, 0))
    block.add_attdef("图名", (500, 2500), dxfattribs={"height": 500})
    block.add_attdef("图号", (500, 800), dxfattribs={"height": 350})


def _title(msp, x, y, level, floors) -> None:
    ref = msp.add_blockref("图签", (x, y), dxfattribs={"layer": "图框"})
    ref.add_attrib("图名", f"图名  {ZH_DIGITS[level % 10]}层平面图", (x + 500, y + 2500))
    ref.add_attrib("图号", f"建施-{level + 1:02d}/{floors:02d}", (x + 500, y + 800))


def clutter_for(target_mb: float, floors: int, rooms: int) -> int:
    """Furniture pieces per room that give a file of about `target_mb` megabytes
    (each piece is about 0.9 kB of DXF; walls and texts about 6 kB a room)."""
    per_room = target_mb * 1e6 / (floors * rooms)
    return max(0, round((per_room - 6000) / 900))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--floors", type=int, default=4)
    parser.add_argument("--rooms", type=int, default=24, help="rooms per floor")
    parser.add_argument("--clutter", type=int, default=None, help="furniture pieces per room")
    parser.add_argument("--target-mb", type=float, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reference",
        action="store_true",
        help="the 200,000-entity drawing of issue 6 (4 floors, 24 rooms, clutter 500)",
    )
    args = parser.parse_args()
    if args.reference:
        args.floors, args.rooms, args.clutter = 4, 24, 500
    clutter = args.clutter
    if clutter is None:
        clutter = clutter_for(args.target_mb or 5.0, args.floors, args.rooms)
    entities = build(args.out, args.floors, args.rooms, clutter, args.seed)
    size = args.out.stat().st_size / 1e6
    print(f"{args.out}: {entities} entities, {size:.1f} MB, clutter {clutter} per room")


if __name__ == "__main__":
    main()
