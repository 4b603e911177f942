"""Small ezdxf builders for the acceptance tests: plans drawn in code, in metres.

A `Sheet` is one DXF document.  Every coordinate given to it is in metres, in the
plan's own axes; the sheet maps it to drawing units through an optional rotation
(degrees, about the origin), translation (metres) and the drawing's unit (``m`` or
``mm``, written to ``$INSUNITS``).  So one plan can be written in millimetres or
metres, moved a kilometre away or turned by 37 degrees without changing the test
that describes it.

    sheet = Sheet(units="mm")
    sheet.room(0, 0, 5, 4, "调解室")          # a 5 m x 4 m closed outline and its label
    review = sheet.review(tmp_path / "plan.dxf")

Expected values are computed here independently of planchecker (shoelace areas,
analytic circular segments), never by calling the code under test.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ezdxf
from ezdxf.enums import TextEntityAlignment

import planchecker

Point = tuple[float, float]
INSUNITS = {"mm": 4, "m": 6}
UNIT_SCALE = {"mm": 1000.0, "m": 1.0}  # drawing units per metre
TEXT_HEIGHT = 0.35  # metres: a room name at 1:100 is 3.5 mm on paper
TITLE_HEIGHT = 0.7


# ------------------------------------------------------------------- geometry


def rect(x: float, y: float, w: float, h: float) -> list[Point]:
    """A rectangle's corners, counter-clockwise from its lower-left corner."""
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def shoelace(points: Sequence[Point]) -> float:
    """Area of a simple polygon (positive when counter-clockwise)."""
    n = len(points)
    return 0.5 * sum(
        points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1]
        for i in range(n)
    )


def segment_area(chord: float, bulge: float) -> float:
    """Area between a chord and the arc a DXF bulge puts on it (always positive).

    The arc's included angle is 4·atan(|bulge|); a bulge of 1 is a semicircle.
    """
    theta = 4.0 * math.atan(abs(bulge))
    radius = chord / (2.0 * math.sin(theta / 2.0))
    return 0.5 * radius * radius * (theta - math.sin(theta))


def bulged_area(points: Sequence[Point], bulges: Sequence[float]) -> float:
    """Area of a counter-clockwise closed polyline whose edge i (from vertex i) has
    bulge `bulges[i]`: a positive bulge on a counter-clockwise outline bulges out."""
    area = shoelace(points)
    n = len(points)
    for i, b in enumerate(bulges):
        if b:
            chord = math.dist(points[i], points[(i + 1) % n])
            area += math.copysign(segment_area(chord, b), b)
    return area


def rotate(p: Point, degrees: float, about: Point = (0.0, 0.0)) -> Point:
    a = math.radians(degrees)
    dx, dy = p[0] - about[0], p[1] - about[1]
    return (
        about[0] + dx * math.cos(a) - dy * math.sin(a),
        about[1] + dx * math.sin(a) + dy * math.cos(a),
    )


def centre(points: Sequence[Point]) -> Point:
    xs, ys = zip(*points, strict=True)
    return (sum(xs) / len(xs), sum(ys) / len(ys))


# ---------------------------------------------------------------------- sheet


@dataclass
class Sheet:
    """One DXF drawing whose builder methods take metres in the plan's own axes."""

    units: str = "m"
    angle: float = 0.0  # degrees: the whole drawing turned about the origin ...
    offset: Point = (0.0, 0.0)  # ... then moved by this many metres
    version: str = "R2010"
    doc: ezdxf.document.Drawing = field(init=False)

    def __post_init__(self) -> None:
        self.doc = ezdxf.new(self.version)
        self.doc.header["$INSUNITS"] = INSUNITS[self.units]
        self.msp = self.doc.modelspace()

    @property
    def k(self) -> float:
        """Drawing units per metre."""
        return UNIT_SCALE[self.units]

    def at(self, x: float, y: float) -> Point:
        """A plan point (metres) in drawing units."""
        rx, ry = rotate((x, y), self.angle)
        return ((rx + self.offset[0]) * self.k, (ry + self.offset[1]) * self.k)

    def ensure_layer(self, name: str) -> None:
        if name not in self.doc.layers:
            self.doc.layers.add(name)

    # ------------------------------------------------------------- primitives

    def outline(
        self,
        points: Sequence[Point],
        layer: str = "ROOM",
        bulges: Sequence[float] | None = None,
        space=None,
    ):
        """A closed LWPOLYLINE through `points`, with optional bulges per vertex."""
        self.ensure_layer(layer)
        bulges = list(bulges or [0.0] * len(points))
        rows = [(*self.at(*p), 0.0, 0.0, b) for p, b in zip(points, bulges, strict=True)]
        target = self.msp if space is None else space
        return target.add_lwpolyline(rows, format="xyseb", close=True, dxfattribs={"layer": layer})

    def line(self, a: Point, b: Point, layer: str = "WALL") -> None:
        self.ensure_layer(layer)
        self.msp.add_line(self.at(*a), self.at(*b), dxfattribs={"layer": layer})

    def text(self, s: str, x: float, y: float, height: float = TEXT_HEIGHT, layer: str = "TEXT"):
        """A TEXT centred on (x, y), turned with the sheet."""
        self.ensure_layer(layer)
        t = self.msp.add_text(
            s,
            height=height * self.k,
            rotation=self.angle,
            dxfattribs={"layer": layer},
        )
        t.set_placement(self.at(x, y), align=TextEntityAlignment.MIDDLE_CENTER)
        return t

    def mtext(self, s: str, x: float, y: float, height: float = TEXT_HEIGHT, layer: str = "TEXT"):
        """An MTEXT (raw content, formatting codes allowed) attached at its centre."""
        self.ensure_layer(layer)
        m = self.msp.add_mtext(
            s,
            dxfattribs={
                "layer": layer,
                "char_height": height * self.k,
                "attachment_point": 5,  # middle centre
                "rotation": self.angle,
            },
        )
        m.dxf.insert = self.at(x, y)
        return m

    def hatch(
        self,
        points: Sequence[Point],
        layer: str = "SPACE",
        bulges: Sequence[float] | None = None,
        holes: Iterable[Sequence[Point]] = (),
    ):
        """A pattern-filled HATCH with a polyline boundary path (and island paths)."""
        self.ensure_layer(layer)
        h = self.msp.add_hatch(color=8, dxfattribs={"layer": layer})
        h.set_pattern_fill("ANSI31", color=8, scale=0.05 * self.k)
        bulges = list(bulges or [0.0] * len(points))
        h.paths.add_polyline_path(
            [(*self.at(*p), b) for p, b in zip(points, bulges, strict=True)], is_closed=True
        )
        for hole in holes:
            h.paths.add_polyline_path([self.at(*p) for p in hole], is_closed=True)
        return h

    # ----------------------------------------------------------- compositions

    def room(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        label: str | None = None,
        layer: str = "ROOM",
        text_layer: str = "TEXT",
    ) -> list[Point]:
        """A rectangular room outline with its label at its centre; returns its corners."""
        corners = rect(x, y, w, h)
        self.outline(corners, layer)
        if label:
            self.text(label, x + w / 2, y + h / 2, layer=text_layer)
        return corners

    def hatch_room(self, x: float, y: float, w: float, h: float, label: str) -> list[Point]:
        """A room drawn only as a hatch (no polyline) with its label."""
        corners = rect(x, y, w, h)
        self.hatch(corners)
        self.text(label, x + w / 2, y + h / 2)
        return corners

    def title(self, s: str, x: float, y: float) -> None:
        """A plan title (`一层平面图 1:100`) on the usual text layer."""
        self.text(s, x, y, height=TITLE_HEIGHT, layer="PUB_TEXT")

    def double_wall_box(self, x0: float, y0: float, x1: float, y1: float, t: float) -> None:
        """An unbroken double-line wall: outer face (x0, y0)-(x1, y1), `t` thick."""
        for a, b, c, d in ((x0, y0, x1, y1), (x0 + t, y0 + t, x1 - t, y1 - t)):
            corners = [(a, b), (c, b), (c, d), (a, d)]
            for i in range(4):
                self.line(corners[i], corners[(i + 1) % 4])

    def polyline_rect_lines(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """A rectangle of four separate LINEs on layer WALL (single centre lines)."""
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        for i in range(4):
            self.line(corners[i], corners[(i + 1) % 4])

    def frame(self, x0: float, y0: float, x1: float, y1: float, layer: str = "图框") -> None:
        """A sheet frame with a title block in its lower-right corner."""
        self.outline(rect(x0, y0, x1 - x0, y1 - y0), layer)
        bx0, by1 = x1 - 18.0, y0 + 6.0
        self.outline(rect(bx0, y0, x1 - bx0, by1 - y0), layer)
        for i in range(1, 4):
            self.line((bx0, y0 + 1.5 * i), (x1, y0 + 1.5 * i), layer)
        self.line((bx0 + 6.0, y0), (bx0 + 6.0, by1), layer)
        for i, word in enumerate(("设计", "审核", "图名", "比例")):
            self.text(word, bx0 + 3.0, y0 + 0.75 + 1.5 * i, height=0.5, layer=layer)
        self.text("某社区党员群众服务中心", bx0 + 12.0, y0 + 3.75, height=0.6, layer=layer)
        self.text("建施-01", bx0 + 12.0, y0 + 0.75, height=0.5, layer=layer)

    # ------------------------------------------------------------------ blocks

    def block(self, name: str):
        """A new block definition (its entities are written in the block's own units)."""
        return self.doc.blocks.new(name=name)

    def insert(
        self,
        name: str,
        x: float,
        y: float,
        rotation: float = 0.0,
        xscale: float = 1.0,
        yscale: float = 1.0,
    ) -> None:
        self.msp.add_blockref(
            name,
            self.at(x, y),
            dxfattribs={
                "rotation": rotation + self.angle,
                "xscale": xscale,
                "yscale": yscale,
                "layer": "0",
            },
        )

    def block_room(
        self,
        block,
        corners: Sequence[Point],
        label: str,
        height: float,
        bulges: Sequence[float] | None = None,
        layer: str = "ROOM",
    ) -> None:
        """A room outline and its centred label inside a block, in the block's own units."""
        self.ensure_layer(layer)
        bulges = list(bulges or [0.0] * len(corners))
        rows = [(x, y, 0.0, 0.0, b) for (x, y), b in zip(corners, bulges, strict=True)]
        block.add_lwpolyline(rows, format="xyseb", close=True, dxfattribs={"layer": layer})
        t = block.add_text(label, height=height, dxfattribs={"layer": "TEXT"})
        t.set_placement(centre(corners), align=TextEntityAlignment.MIDDLE_CENTER)

    # -------------------------------------------------------------------- save

    def save(self, path: Path) -> Path:
        self.doc.saveas(path)
        return path

    def review(self, path: Path, **kwargs) -> planchecker.api.Review:
        """Save to `path`, review it, and check what every review must satisfy."""
        return checked_review([self.save(path)], **kwargs)


def checked_review(paths: Sequence[Path], **kwargs):
    """planchecker.review, plus the invariants of interface.md on its result."""
    review = planchecker.review([str(p) for p in paths], **kwargs)
    assert_invariants(review)
    return review


def assert_invariants(review) -> None:
    """`verdict` is fail exactly when some finding fails; every rule once."""
    statuses = [f.status for f in review.findings]
    assert review.verdict == ("fail" if "fail" in statuses else "pass")
    rule_ids = [spec.id for spec in review.standard.rules]
    found = [f.rule for f in review.findings]
    assert sorted(found) == sorted(rule_ids), "every rule of the standard exactly once"
    assert set(statuses) <= {"pass", "fail", "warn", "manual", "skip"}


# ------------------------------------------------------------ a whole centre

# A compliant two-storey centre: (label, x, y, w, h) in metres inside a 30 x 18 m
# outer wall line per floor (540 m2 a floor, 1080 m2 in all).
FLOOR_1 = (
    ("便民服务大厅", 0.2, 0.2, 12.0, 8.0),  # 96
    ("警务室", 12.4, 0.2, 5.0, 4.2),  # 21
    ("调解室", 12.4, 4.6, 5.0, 4.2),
    ("计划生育服务室", 17.6, 0.2, 5.0, 4.2),
    ("社会工作室", 17.6, 4.6, 5.0, 4.2),
    ("慈善物品保管室", 22.8, 0.2, 5.0, 4.2),
    ("卫生间", 22.8, 4.6, 3.0, 4.2),  # 12.6
    ("无障碍卫生间", 26.0, 4.6, 2.0, 2.2),  # 4.4
    ("社区办公室", 0.2, 9.0, 8.0, 5.5),  # 44
    ("档案室", 8.4, 9.0, 4.0, 3.0),  # 12
    ("财务室", 12.6, 9.0, 4.0, 3.0),  # 12
)
FLOOR_2 = (
    ("居民议事室", 0.2, 0.2, 8.0, 5.5),  # 44
    ("党员活动室", 8.4, 0.2, 10.0, 6.5),  # 65
    ("社会组织活动室", 18.6, 0.2, 5.0, 4.2),  # 21
    ("文体活动室", 0.2, 7.0, 12.0, 8.0),  # 96
    ("阅览室", 12.4, 7.0, 8.0, 5.5),  # 44
    ("残疾人康复室", 20.6, 7.0, 5.0, 4.2),  # 21
)
BUILDING_W, BUILDING_D = 30.0, 18.0
FLOOR_SPACING = 45.0  # floor 2 drawn this far right of floor 1


def draw_floor(
    sheet: Sheet,
    rooms: Iterable[tuple[str, float, float, float, float]],
    dx: float = 0.0,
    title: str | None = None,
    outer_wall: bool = True,
) -> None:
    """One floor: the outer wall line, its rooms, and its title under it."""
    if outer_wall:
        sheet.outline(rect(dx, 0.0, BUILDING_W, BUILDING_D), "WALL")
    for label, x, y, w, h in rooms:
        sheet.room(dx + x, y, w, h, label)
    if title:
        sheet.title(title, dx + BUILDING_W / 2, -2.0)


def compliant_centre(sheet: Sheet, replace: dict[str, tuple] | None = None) -> Sheet:
    """The whole compliant centre on one sheet, titled 一层/二层平面图.

    `replace` maps a label to a new (label, x, y, w, h) row (or None to drop it).
    """
    replace = replace or {}

    def rows(floor):
        for row in floor:
            new = replace.get(row[0], row)
            if new is not None:
                yield new

    draw_floor(sheet, rows(FLOOR_1), 0.0, "一层平面图 1:100")
    sheet.text("居务公开栏 4㎡", 6.0, -0.8)  # a board on the façade, its area declared
    draw_floor(sheet, rows(FLOOR_2), FLOOR_SPACING, "二层平面图 1:100")
    return sheet
