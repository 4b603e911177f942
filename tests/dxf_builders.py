"""Small ezdxf builders for the acceptance tests: plans drawn in code, in metres.

A `Sheet` is one DXF document.  Every coordinate given to it is in metres, in the
plan's own axes; the sheet maps it to drawing units through an optional rotation
(degrees, about the origin), translation (metres) and the drawing's unit (``m``,
``cm`` or ``mm``, written to ``$INSUNITS``).  So one plan can be written in millimetres or
metres, moved a kilometre away or turned by 37 degrees without changing the test
that describes it.

    sheet = Sheet(units="mm")
    sheet.room(0, 0, 5, 4, "调解室")          # a 5 m x 4 m closed outline and its label
    review = sheet.review(tmp_path / "plan.dxf")

Expected values are computed here independently of planchecker (shoelace areas,
analytic circular segments), never by calling the code under test.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ezdxf
from ezdxf.enums import TextEntityAlignment

import planchecker

Point = tuple[float, float]
INSUNITS = {"mm": 4, "cm": 5, "m": 6}
UNIT_SCALE = {"mm": 1000.0, "cm": 100.0, "m": 1.0}  # drawing units per metre
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
        layer: str = "0",
    ) -> None:
        self.ensure_layer(layer)
        self.msp.add_blockref(
            name,
            self.at(x, y),
            dxfattribs={
                "rotation": rotation + self.angle,
                "xscale": xscale,
                "yscale": yscale,
                "layer": layer,
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

    # ------------------------------------------------- messy-drawing helpers

    def lines(self, segments: Iterable[tuple[Point, Point]], layer: str = "WALL") -> None:
        """One LINE per (start, end) pair, in metres."""
        for a, b in segments:
            self.line(a, b, layer)

    def solid_hatch(self, points: Sequence[Point], layer: str = "COLUMN"):
        """A SOLID-filled HATCH with a polyline boundary (columns, filled walls)."""
        self.ensure_layer(layer)
        h = self.msp.add_hatch(color=7, dxfattribs={"layer": layer})
        h.paths.add_polyline_path([self.at(*p) for p in points], is_closed=True)
        return h

    def column(self, x: float, y: float, w: float, h: float, layer: str = "COLUMN") -> list[Point]:
        """A column as TArch draws it: a closed outline and a SOLID hatch in it."""
        corners = rect(x, y, w, h)
        self.outline(corners, layer)
        self.solid_hatch(corners, layer)
        return corners

    def parallel_lines(
        self, a: Point, b: Point, across: Point, offsets: Sequence[float], layer: str = "WINDOW"
    ) -> None:
        """Lines parallel to a-b, each moved `offset` metres along the unit vector `across`
        (a window: 4 lines across the wall thickness; a curtain wall: 2 or 3)."""
        for d in offsets:
            dx, dy = across[0] * d, across[1] * d
            self.line((a[0] + dx, a[1] + dy), (b[0] + dx, b[1] + dy), layer)

    def door_block(self, name: str = "$DorLib2D$00000001", leaf: float = 1.0):
        """A TArch-style door symbol: a leaf LINE up the block's y axis and the swing ARC
        from (leaf, 0) to (0, leaf), `leaf` metres wide, drawn on layer 0 (so it takes
        the INSERT's layer, DOOR_FIRE), in drawing units."""
        if name in self.doc.blocks:
            return self.doc.blocks.get(name)
        block = self.doc.blocks.new(name=name)
        r = leaf * self.k
        block.add_line((0, 0), (0, r), dxfattribs={"layer": "0"})
        block.add_arc((0, 0), r, 0, 90, dxfattribs={"layer": "0"})
        return block

    def door(
        self,
        x: float,
        y: float,
        width: float,
        rotation: float = 0.0,
        mirror: bool = False,
        name: str = "$DorLib2D$00000001",
        layer: str = "DOOR_FIRE",
    ) -> None:
        """A door block hinged at (x, y): the leaf along `rotation` + 90 degrees, the swing
        ending `width` metres along `rotation` (towards -x of the block when mirrored)."""
        self.door_block(name, 1.0)
        sx = -width if mirror else width
        self.insert(name, x, y, rotation=rotation, xscale=sx, yscale=width, layer=layer)

    def rect_block(self, name: str, w: float, h: float, layer: str = "0"):
        """A block holding a w x h metre rectangle (a desk, a WC pan's cistern) and its
        diagonals, with its base point at the rectangle's centre, in drawing units."""
        if name in self.doc.blocks:
            return self.doc.blocks.get(name)
        block = self.doc.blocks.new(name=name)
        hw, hh = w * self.k / 2, h * self.k / 2
        corners = [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]
        block.add_lwpolyline(corners, close=True, dxfattribs={"layer": layer})
        block.add_line(corners[0], corners[2], dxfattribs={"layer": layer})
        block.add_line(corners[1], corners[3], dxfattribs={"layer": layer})
        return block

    def axis_grid(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        reach: float = 3.0,
        bubble: float = 0.4,
        layer: str = "AXIS",
        text_layer: str = "AXIS_TEXT",
    ) -> None:
        """An axis grid: lines `reach` m beyond the extreme axes, a bubble (CIRCLE and
        TEXT `1`, `2` ... / `A`, `B` ...) at the low end of each."""
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        self.ensure_layer(layer)
        for i, x in enumerate(xs):
            self.line((x, y0 - reach), (x, y1 + 1.0), layer)
            self.bubble(str(i + 1), x, y0 - reach - bubble, bubble, layer, text_layer)
        for j, y in enumerate(ys):
            self.line((x0 - reach, y), (x1 + 1.0, y), layer)
            self.bubble("ABCDEFGH"[j], x0 - reach - bubble, y, bubble, layer, text_layer)

    def bubble(
        self, s: str, x: float, y: float, r: float, layer: str = "AXIS", text_layer: str = "AXIS"
    ) -> None:
        self.ensure_layer(layer)
        self.msp.add_circle(self.at(x, y), r * self.k, dxfattribs={"layer": layer})
        self.text(s, x, y, height=0.5, layer=text_layer)

    def dimension(self, a: Point, b: Point, offset: float = 1.0, layer: str = "PUB_DIM") -> None:
        """A real DIMENSION entity (horizontal or vertical, by the longer extent)."""
        self.ensure_layer(layer)
        horizontal = abs(b[0] - a[0]) >= abs(b[1] - a[1])
        if horizontal:
            base = ((a[0] + b[0]) / 2, min(a[1], b[1]) - offset)
        else:
            base = (min(a[0], b[0]) - offset, (a[1] + b[1]) / 2)
        dim = self.msp.add_linear_dim(
            base=self.at(*base),
            p1=self.at(*a),
            p2=self.at(*b),
            angle=self.angle if horizontal else self.angle + 90,
            dimstyle="EZDXF",
            override={"dimtxt": 0.35 * self.k, "dimasz": 0.15 * self.k},
            dxfattribs={"layer": layer},
        )
        dim.render()

    def exploded_dimension(
        self, a: Point, b: Point, offset: float = 1.0, layer: str = "PUB_DIM"
    ) -> None:
        """A horizontal dimension as an exploded one looks: extension lines, the
        dimension line, tick marks and the measured text (`3600`) as a TEXT."""
        y = min(a[1], b[1]) - offset
        self.line(a, (a[0], y - 0.2), layer)
        self.line(b, (b[0], y - 0.2), layer)
        self.line((a[0] - 0.2, y), (b[0] + 0.2, y), layer)
        for x in (a[0], b[0]):
            self.line((x - 0.15, y - 0.15), (x + 0.15, y + 0.15), layer)
        self.text(f"{abs(b[0] - a[0]) * 1000:.0f}", (a[0] + b[0]) / 2, y + 0.3, layer=layer)

    def shx_style(self, name: str = "HZTXT") -> str:
        """A text style with SHX fonts (txt.shx + the big font gbcbig.shx), as Chinese
        offices use; returns its name."""
        if name not in self.doc.styles:
            self.doc.styles.add(name, font="txt.shx").dxf.bigfont = "gbcbig.shx"
        return name

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


# -------------------------------------------------------------- messy drawings


def wall_solid(
    walls: Iterable[Sequence[Point]],
    openings: Iterable[Sequence[Point]] = (),
    columns: Iterable[Sequence[Point]] = (),
):
    """The wall strips (polygons, usually rectangles as thick as the wall) joined,
    less the `openings` (a door or window gap: a rectangle as wide as the opening and
    as deep as the wall) and the `columns` (walls stop at a column's faces): a
    shapely geometry in metres, e.g. for hatching the walls."""
    import shapely
    from shapely.geometry import Polygon as _Polygon

    solid = shapely.union_all([_Polygon(w) for w in walls])
    removed = [_Polygon(o) for o in (*openings, *columns)]
    if removed:
        solid = solid.difference(shapely.union_all(removed))
    return solid.simplify(0)


def wall_lines(
    walls: Iterable[Sequence[Point]],
    openings: Iterable[Sequence[Point]] = (),
    columns: Iterable[Sequence[Point]] = (),
    jambs: bool = True,
) -> list[tuple[Point, Point]]:
    """The face lines of double-line walls, as a CAD user draws them: the boundary of
    `wall_solid`, one (start, end) pair per straight edge.  With `jambs=False` the
    short lines across the wall at each opening are left out, so that the wall faces
    simply stop (free ends)."""
    import shapely
    from shapely.geometry import Polygon as _Polygon

    openings = list(openings)
    solid = wall_solid(walls, openings, columns)
    rings = []
    for poly in shapely.get_parts(solid):
        rings.append(poly.exterior)
        rings.extend(poly.interiors)
    segments = []
    for ring in rings:
        pts = list(ring.coords)
        for a, b in itertools.pairwise(pts):
            segments.append(((float(a[0]), float(a[1])), (float(b[0]), float(b[1]))))
    if jambs or not openings:
        return segments
    edges = shapely.union_all([_Polygon(o).boundary for o in openings]).buffer(1e-9)

    def is_jamb(seg) -> bool:
        line = shapely.LineString(seg)
        return line.length < 0.5 and edges.contains(line)

    return [seg for seg in segments if not is_jamb(seg)]


def cut_lines(
    segments: Iterable[tuple[Point, Point]], openings: Iterable[Sequence[Point]]
) -> list[tuple[Point, Point]]:
    """Single wall centre lines with the openings (polygons) cut out of them."""
    import shapely
    from shapely.geometry import LineString as _Line
    from shapely.geometry import Polygon as _Polygon

    holes = shapely.union_all([_Polygon(o) for o in openings])
    out = []
    for a, b in segments:
        rest = _Line([a, b]).difference(holes)
        for part in shapely.get_parts(rest):
            if part.length > 0:
                (x0, y0), (x1, y1) = part.coords[0], part.coords[-1]
                out.append(((x0, y0), (x1, y1)))
    return out


def recode(path: Path, text_codec: str, header: str | None = None) -> Path:
    """Rewrite a saved R2000 DXF (written by ezdxf with ``doc.encoding = "gbk"``) so that
    its text is in `text_codec` (``\\U+XXXX`` escapes ezdxf wrote for characters GBK
    lacks become real characters), and its ``$DWGCODEPAGE`` says `header`
    (e.g. ``ANSI_1252``) when given.  The drawing lies about its code page."""
    import re

    data = path.read_bytes().decode("gbk")
    data = re.sub(r"\\U\+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), data)
    if header is not None:
        data = data.replace("ANSI_936", header)
    path.write_bytes(data.encode(text_codec))
    return path


def proxy_tags(
    handle: int, owner: str, layer: str = "WALL", kind: str = "ACAD_PROXY_ENTITY"
) -> str:
    """The DXF tags of one TArch object saved without T3 export: an ACAD_PROXY_ENTITY
    (or a custom TCH_* entity) with no readable geometry."""
    tags = [
        ("0", kind), ("5", f"{handle:X}"), ("330", owner), ("100", "AcDbEntity"), ("8", layer),
    ]  # fmt: skip
    if kind == "ACAD_PROXY_ENTITY":
        tags += [
            ("100", "AcDbProxyEntity"), ("90", "498"), ("91", "500"), ("95", "0"),
            ("70", "0"), ("92", "0"), ("93", "0"), ("94", "0"),
        ]  # fmt: skip
    return "".join(f"{code:>3}\n{value}\n" for code, value in tags)


def inject_entities(path: Path, sheet: Sheet, entities: Sequence[str]) -> Path:
    """Insert raw entity tags (e.g. `proxy_tags`) at the end of a saved DXF's ENTITIES
    section: ezdxf cannot write proxy entities, but reads them."""
    data = path.read_bytes()
    start = data.index(b"ENTITIES")
    end = data.index(b"ENDSEC", start)
    cut = data.rindex(b"\n", 0, data.rindex(b"\n", 0, end)) + 1  # the "  0" before ENDSEC
    codec = sheet.doc.encoding if sheet.doc.dxfversion < "AC1021" else "utf-8"
    path.write_bytes(data[:cut] + "".join(entities).encode(codec) + data[cut:])
    return path


def modelspace_owner(sheet: Sheet) -> str:
    """The handle of modelspace's block record (the owner of its entities)."""
    return sheet.doc.modelspace().block_record_handle
