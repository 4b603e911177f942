"""How long one floor's overlay takes to draw: a 300-room floor must take under 2 s.

    python benchmarks/bench_overlay.py            # 300 rooms, 150 dpi, 5 runs
    python benchmarks/bench_overlay.py --rooms 600 --dpi 300 --runs 3

The floor is synthetic and deterministic: a grid of offices on both sides of
corridors, one in ten of them split into 2 m² stores (so that labels need leader
lines), ten wall and door segments per room for the linework underneath, and findings
that fail one room in twelve, pass most of the others and warn on one in fifteen.
It prints the size of the floor and the median, best and worst time of `render_floor`
(layout, drawing and PNG encoding), and the time to build the review once; the
numbers are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import sys
import time

import numpy as np
from shapely.geometry import Polygon, box

from planchecker import load_standard
from planchecker.model import Finding, Floor, Plan, Review, Room, Units
from planchecker.presenting.overlay import render_floor

NAMES = ("调解室", "警务室", "社区办公室", "档案室", "财务室", "阅览室", "社会工作室", "储藏间")


def synthetic_review(
    rooms: int = 300, room_w: float = 4.0, room_d: float = 5.0, per_row: int | None = None
) -> Review:
    """One floor of `rooms` rooms: bands of `per_row` cells, back to back along corridors
    (by default about 1.6 times as many cells a band as bands)."""
    per_row = per_row or max(1, math.ceil(math.sqrt(rooms * 1.6)))
    placed: list[Room] = []
    segs: list[tuple[tuple[float, float], tuple[float, float]]] = []
    row, y = 0, 0.0
    while len(placed) < rooms:
        for col in range(per_row):
            if len(placed) >= rooms:
                break
            x = col * room_w
            n = len(placed)
            cells = [box(x + 0.1, y + 0.1, x + room_w - 0.1, y + room_d - 0.1)]
            if n % 10 == 7:  # a cell split into two 2 m² stores and a larger room
                cells = [
                    box(x + 0.1, y + 0.1, x + 1.5, y + 1.5),
                    box(x + 1.6, y + 0.1, x + 3.0, y + 1.5),
                    box(x + 0.1, y + 1.6, x + room_w - 0.1, y + room_d - 0.1),
                ]
            for cell in cells:
                if len(placed) >= rooms:
                    break
                i = len(placed)
                label = "储藏间" if cell.area < 3 else NAMES[i % len(NAMES)]
                placed.append(
                    Room(
                        id=f"F1-R{i + 1:03d}",
                        level=1,
                        polygon=Polygon(cell.exterior.coords),
                        label=label,
                        functions=("mediation",) if label == "调解室" else (),
                        source="outline",
                        declared_area=round(cell.area, 2),
                    )
                )
                x0, y0, x1, y1 = cell.bounds
                segs += [((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)),
                         ((x0, y1), (x0, y0))]
                # a door swing: a quarter arc in six pieces
                arc = [(x0 + 0.9 * math.cos(a), y0 + 0.9 * math.sin(a))
                       for a in np.linspace(0, math.pi / 2, 7)]
                segs += list(itertools.pairwise(arc))
        row += 1
        y += room_d + (2.4 if row % 2 == 0 else 0.0)  # a corridor after every second band
    outline = box(0, 0, per_row * room_w, y + room_d)
    floor = Floor(level=1, name="一层平面图", outline=outline, level_source="title",
                  frame=outline.bounds)
    findings = []
    for i, room in enumerate(placed):
        if i % 12 == 5:
            status, measured = "fail", round(room.area, 2)
            findings.append(Finding("mediation.area", status, "", "", measured, 20.0, "m2",
                                    (room.id,)))
        elif i % 15 == 3:
            findings.append(Finding("room.declared_area", "warn", "", "", rooms=(room.id,)))
        else:
            findings.append(Finding("police.area", "pass", "", "", room.area, 20.0, "m2",
                                    (room.id,)))
    plan = Plan(
        files=("synthetic.dxf",),
        floors=(floor,),
        rooms=tuple(placed),
        orphan_labels=(),
        units=Units(1.0, "header", 6),
        encoding="utf-8",
        linework={1: np.asarray(segs, dtype=float)},
    )
    return Review(
        name="synthetic",
        plan=plan,
        standard=load_standard(),
        build_type="new",
        findings=tuple(findings),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rooms", type=int, default=300)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--save", default=None, help="also write the PNG here")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    review = synthetic_review(args.rooms)
    built = time.perf_counter() - t0
    floor = review.plan.floors[0]
    x0, y0, x1, y1 = floor.outline.bounds
    render_floor(review, floor, lang=args.lang, dpi=args.dpi)  # warm: font load, imports
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        image = render_floor(review, floor, lang=args.lang, dpi=args.dpi)
        times.append(time.perf_counter() - t)
    leaders = sum(1 for m in image.rooms if m.leader)
    print(
        f"rooms {len(review.plan.rooms)}, floor {x1 - x0:.0f} m x {y1 - y0:.0f} m, "
        f"linework {len(review.plan.linework[1])} segments, {leaders} leader labels, "
        f"image {image.frame.width} x {image.frame.height} px at {args.dpi} dpi, "
        f"{len(image.png) / 1024:.0f} KiB"
    )
    print(
        f"render_floor: median {statistics.median(times):.3f} s, best {min(times):.3f} s, "
        f"worst {max(times):.3f} s over {args.runs} runs (review built in {built:.3f} s)"
    )
    if args.save:
        with open(args.save, "wb") as fh:
            fh.write(image.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
