"""Acceptance tests of `planchecker review`: plans drawn in code, real numbers checked.

Every test draws its DXF with ezdxf (see dxf_builders.py) into tmp_path, runs
`planchecker.review(...)`, and asserts measured areas (0.01 m² for straight edges,
0.1 % for arcs), rule statuses, room functions, floor levels and notices.  Every
review also passes `assert_invariants`: the verdict is "fail" exactly when a finding
fails, and every rule of the standard appears exactly once.
"""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Polygon

from dxf_builders import (
    FLOOR_1,
    Sheet,
    bulged_area,
    centre,
    checked_review,
    compliant_centre,
    rect,
    rotate,
    shoelace,
)

AREA = 0.005  # straight-edged rooms: right to the 0.01 m² reports round to
ARC = 1e-3  # rooms with arcs: right to 0.1 %


# ------------------------------------------------------------------- helpers


def room(review, label: str):
    """The one room drawn with this label."""
    found = [r for r in review.plan.rooms if r.label == label]
    assert len(found) == 1, f"{label!r}: {[(r.id, r.label) for r in review.plan.rooms]}"
    return found[0]


def status(review, rule: str) -> str:
    finding = review.finding(rule)
    assert finding is not None, rule
    return finding.status


def notice_codes(review) -> set[str]:
    return {n.code for n in review.plan.notices}


def same_shape(polygon, expected, tol: float = 1e-6) -> bool:
    """Two polygons cover the same ground (to `tol` m² of difference)."""
    return polygon.symmetric_difference(Polygon(expected)).area < tol


# ---------------------------------------------------------- room geometry


def test_rectangle_room(tmp_path):
    sheet = Sheet()
    corners = sheet.room(1.0, 2.0, 5.2, 4.1, "调解室")
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "调解室")
    assert r.area == pytest.approx(21.32, abs=AREA)
    assert r.source == "outline"
    assert r.functions == ("mediation",)
    assert r.level == 1
    assert same_shape(r.polygon, corners)
    f = review.finding("mediation.area")
    assert (f.status, f.measured, f.required, f.rooms) == ("pass", 21.32, 20.0, (r.id,))


def test_l_shaped_room(tmp_path):
    sheet = Sheet()
    corners = [(0, 0), (8, 0), (8, 3), (3, 3), (3, 7), (0, 7)]
    sheet.outline(corners)
    sheet.text("社区办公室", 1.5, 1.5)
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "社区办公室")
    assert r.area == pytest.approx(36.0, abs=AREA)
    assert same_shape(r.polygon, corners)
    f = review.finding("community_office.area")
    assert (f.status, f.measured, f.required) == ("fail", 36.0, 40.0)


@pytest.mark.parametrize("units", ["m", "mm"])
@pytest.mark.parametrize("bulge", [1.0, 0.4, -0.4])
def test_room_with_bulge_arc_edge(tmp_path, units, bulge):
    # 6 m x 4 m, the east edge an arc: a semicircle out (bulge 1), a shallow arc out
    # (0.4), or a shallow arc in (-0.4).
    corners = rect(0, 0, 6, 4)
    bulges = [0.0, bulge, 0.0, 0.0]
    expected = bulged_area(corners, bulges)
    sheet = Sheet(units=units)
    sheet.outline(corners, bulges=bulges)
    sheet.text("警务室", 2.5, 2.0)
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "警务室")
    assert r.area == pytest.approx(expected, rel=ARC)
    if bulge == 1.0:
        assert expected == pytest.approx(24 + 2 * math.pi)
        assert r.polygon.bounds[2] == pytest.approx(8.0, abs=1e-3)  # the arc's apex
    assert review.finding("police.area").measured == pytest.approx(expected, abs=0.01)


def test_room_area_excludes_column(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 8, 6, "调解室")
    sheet.outline(rect(2.0, 2.0, 0.5, 0.5), "COLUMN")  # a free-standing column
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "调解室")
    assert r.area == pytest.approx(47.75, abs=AREA)
    assert len(r.polygon.interiors) == 1
    assert len(review.plan.rooms) == 1  # the column is no room
    assert review.finding("mediation.area").measured == pytest.approx(47.75)


@pytest.mark.parametrize("shaft", [(1.2, 1.0), (0.8, 0.6)], ids=["1.2m2", "0.48m2"])
def test_room_area_excludes_shaft(tmp_path, shaft):
    sw, sh = shaft
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 8, 6, None)
    sheet.text("调解室", 3.5, 3.0)
    sheet.outline(rect(2.0, 2.0, 0.5, 0.5), "COLUMN")
    sheet.room(6.5, 4.5, sw, sh, "管井")  # a pipe shaft in the room's corner
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "调解室")
    assert r.area == pytest.approx(48 - 0.25 - sw * sh, abs=AREA)
    assert len(r.polygon.interiors) == 2
    assert review.finding("mediation.area").measured == pytest.approx(48 - 0.25 - sw * sh)


def _units_plan(sheet: Sheet) -> None:
    sheet.outline(rect(0, 0, 20, 10), "WALL")
    sheet.room(0.2, 0.2, 9.8, 9.6, "便民服务大厅")
    sheet.room(10.2, 0.2, 4.6, 4.7, "调解室")
    sheet.outline(rect(10.2, 5.1, 5.0, 4.7), bulges=[0, 0, 0, 0.3])
    sheet.text("警务室", 12.5, 7.5)
    sheet.room(15.4, 0.2, 4.4, 9.6, "阅览室")
    sheet.title("一层平面图 1:100", 10, -2)


def test_same_plan_in_mm_and_in_m(tmp_path):
    reviews = {}
    for units in ("m", "mm"):
        sheet = Sheet(units=units)
        _units_plan(sheet)
        reviews[units] = sheet.review(tmp_path / f"plan-{units}.dxf")
    m, mm = reviews["m"], reviews["mm"]

    assert m.plan.units.metres_per_unit == 1.0 and m.plan.units.source == "header"
    assert mm.plan.units.metres_per_unit == 0.001 and mm.plan.units.source == "header"
    assert room(m, "调解室").area == pytest.approx(4.6 * 4.7, abs=AREA)
    arc_room = bulged_area(rect(10.2, 5.1, 5.0, 4.7), [0, 0, 0, 0.3])
    assert room(m, "警务室").area == pytest.approx(arc_room, rel=ARC)
    assert [r.label for r in m.plan.rooms] == [r.label for r in mm.plan.rooms]
    for a, b in zip(m.plan.rooms, mm.plan.rooms, strict=True):
        assert a.area == pytest.approx(b.area, rel=1e-9), a.label
    assert m.plan.gross_area == pytest.approx(200.0, abs=AREA)
    assert mm.plan.gross_area == pytest.approx(m.plan.gross_area, rel=1e-9)
    assert [f.status for f in m.findings] == [f.status for f in mm.findings]


# ------------------------------------------------------------------ blocks


def _block_transform(points, insert, rotation, sx, sy, per_metre):
    """Block coordinates (drawing units) -> metres after an INSERT."""
    out = []
    for x, y in points:
        rx, ry = rotate((x * sx, y * sy), rotation)
        out.append((insert[0] + rx / per_metre, insert[1] + ry / per_metre))
    return out


def test_block_rotated_and_scaled_half_on_mm_drawing(tmp_path):
    # The block is drawn at twice the size and inserted at 0.5, turned 30 degrees.
    sheet = Sheet(units="mm")
    block = sheet.block("PLAN_A")
    med = rect(0, 0, 10_000, 8_000)  # 5 m x 4 m after scaling
    pol = rect(10_400, 0, 9_000, 8_000)  # 4.5 m x 4 m, its north edge an arc
    sheet.block_room(block, med, "调解室", 700)
    sheet.block_room(block, pol, "警务室", 700, bulges=[0, 0, 0.5, 0])
    insert = (50.0, 20.0)
    sheet.insert("PLAN_A", *insert, rotation=30, xscale=0.5, yscale=0.5)
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "调解室")
    assert r.area == pytest.approx(20.0, abs=AREA)
    expected = _block_transform(med, insert, 30, 0.5, 0.5, 1000)
    assert same_shape(r.polygon, expected)
    p = room(review, "警务室")
    assert p.area == pytest.approx(0.25e-6 * bulged_area(pol, [0, 0, 0.5, 0]), rel=ARC)
    assert review.finding("mediation.area").status == "pass"


def test_block_non_uniform_scale(tmp_path):
    # xscale 2, yscale 0.75: every area times 1.5; arcs become elliptic, still exact.
    sheet = Sheet(units="m")
    block = sheet.block("ROOMS_B")
    office = rect(0, 0, 4, 5)
    hall = rect(5, 0, 6, 8)
    hall_bulges = [0, 1.0, 0, 0]  # a semicircular east end
    sheet.block_room(block, office, "社区办公室", 0.35)
    sheet.block_room(block, hall, "便民服务大厅", 0.35, bulges=hall_bulges)
    insert = (100.0, -40.0)
    sheet.insert("ROOMS_B", *insert, rotation=30, xscale=2.0, yscale=0.75)
    review = sheet.review(tmp_path / "plan.dxf")

    o = room(review, "社区办公室")
    assert o.area == pytest.approx(30.0, abs=AREA)
    assert same_shape(o.polygon, _block_transform(office, insert, 30, 2.0, 0.75, 1.0))
    h = room(review, "便民服务大厅")
    assert h.area == pytest.approx(1.5 * bulged_area(hall, hall_bulges), rel=ARC)


@pytest.mark.parametrize("rotation", [0.0, 90.0])
def test_block_mirrored(tmp_path, rotation):
    sheet = Sheet(units="mm")
    block = sheet.block("ROOMS_M")
    med = rect(1_000, 1_000, 5_000, 4_000)
    pol = rect(7_000, 1_000, 6_000, 4_000)
    bulges = [0, 1.0, 0, 0]  # semicircle of radius 2 m out of the east edge
    sheet.block_room(block, med, "调解室", 350)
    sheet.block_room(block, pol, "警务室", 350, bulges=bulges)
    insert = (30.0, 10.0)
    sheet.insert("ROOMS_M", *insert, rotation=rotation, xscale=-1.0, yscale=1.0)
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "调解室")
    assert r.area == pytest.approx(20.0, abs=AREA)
    assert same_shape(r.polygon, _block_transform(med, insert, rotation, -1, 1, 1000))
    p = room(review, "警务室")
    assert p.area == pytest.approx(24.0 + 2 * math.pi, rel=ARC)
    # the arc still bulges away from the room, now on the mirrored side
    if rotation == 0.0:
        assert p.polygon.bounds[0] == pytest.approx(insert[0] - 15.0, abs=1e-3)
    else:
        assert p.polygon.bounds[1] == pytest.approx(insert[1] - 15.0, abs=1e-3)


def test_nested_blocks(tmp_path):
    # A room in a block (turned 90°, scaled 2) inside a block turned 30°.
    sheet = Sheet(units="m")
    inner = sheet.block("INNER")
    sheet.block_room(inner, rect(0, 0, 2.5, 2), "调解室", 0.2)
    outer = sheet.block("OUTER")
    outer.add_blockref("INNER", (1, 1), dxfattribs={"rotation": 90, "xscale": 2, "yscale": 2})
    sheet.block_room(outer, rect(5, 0, 4, 5), "警务室", 0.35)
    sheet.insert("OUTER", 10, 10, rotation=30)
    review = sheet.review(tmp_path / "plan.dxf")

    med = room(review, "调解室")
    assert med.area == pytest.approx(20.0, abs=AREA)
    # local centre (1.25, 1) -> (1, 1) + R90·2·(1.25, 1) = (-1, 3.5) -> (10, 10) + R30·(-1, 3.5)
    expected = rotate((-1.0, 3.5), 30)
    assert med.polygon.centroid.x == pytest.approx(10 + expected[0], abs=1e-6)
    assert med.polygon.centroid.y == pytest.approx(10 + expected[1], abs=1e-6)
    assert room(review, "警务室").area == pytest.approx(20.0, abs=AREA)


def test_hatch_room_in_a_non_uniformly_scaled_block(tmp_path):
    sheet = Sheet(units="m")
    block = sheet.block("HB")
    sheet.ensure_layer("SPACE")
    hatch = block.add_hatch(color=8, dxfattribs={"layer": "SPACE"})
    hatch.set_pattern_fill("ANSI31", scale=0.05)
    hatch.paths.add_polyline_path([(0, 0, 0), (4, 0, 1.0), (4, 5, 0), (0, 5, 0)], is_closed=True)
    block.add_text("阅览室", height=0.35).set_placement((2, 2.5))
    sheet.insert("HB", 0, 0, rotation=30, xscale=2, yscale=0.75)
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "阅览室")
    assert r.source == "hatch"
    assert r.area == pytest.approx(1.5 * bulged_area(rect(0, 0, 4, 5), [0, 1, 0, 0]), rel=ARC)


# ------------------------------------------------------------------ hatches


def test_hatch_only_rooms(tmp_path):
    sheet = Sheet(units="mm")
    sheet.hatch_room(0, 0, 5, 4.4, "调解室")
    sheet.hatch(rect(5.2, 0, 6, 4.4), bulges=[0, 0.5, 0, 0])
    sheet.text("警务室", 8, 2.2)
    sheet.hatch(rect(0, 4.6, 9, 5), holes=[rect(6.5, 5.5, 1, 1)])  # an island: a shaft
    sheet.text("阅览室", 3, 7)
    review = sheet.review(tmp_path / "plan.dxf")

    assert {r.source for r in review.plan.rooms} == {"hatch"}
    assert room(review, "调解室").area == pytest.approx(22.0, abs=AREA)
    assert room(review, "警务室").area == pytest.approx(
        bulged_area(rect(5.2, 0, 6, 4.4), [0, 0.5, 0, 0]), rel=ARC
    )
    assert room(review, "阅览室").area == pytest.approx(44.0, abs=AREA)
    assert status(review, "reading.area") == "pass"


# ------------------------------------------------------------------- walls


def test_rooms_from_double_line_walls(tmp_path):
    # Outer face 12.2 x 6.2 m, walls 0.2 m thick, a partition at x = 5.0 .. 5.2;
    # the walls are unbroken and there are no room outlines.
    sheet = Sheet(units="mm")
    sheet.double_wall_box(0, 0, 12.2, 6.2, 0.2)
    sheet.line((5.0, 0.2), (5.0, 6.0))
    sheet.line((5.2, 0.2), (5.2, 6.0))
    sheet.text("调解室", 2.6, 3.1)
    sheet.text("社区办公室", 8.6, 3.1)
    review = sheet.review(tmp_path / "plan.dxf")

    med, office = room(review, "调解室"), room(review, "社区办公室")
    assert (med.source, office.source) == ("walls", "walls")
    assert not med.centreline and not office.centreline
    assert med.area == pytest.approx(4.8 * 5.8, abs=AREA)  # net of the walls: 27.84
    assert office.area == pytest.approx(6.8 * 5.8, abs=AREA)  # 39.44
    assert len(review.plan.rooms) == 2  # wall strips are no rooms
    (floor,) = review.plan.floors
    assert floor.gross_area == pytest.approx(12.2 * 6.2, abs=AREA)  # to the outer face
    assert review.finding("building.gross_area").measured == pytest.approx(75.64)


def test_rooms_from_single_centre_lines(tmp_path):
    sheet = Sheet(units="mm")
    sheet.polyline_rect_lines(0, 0, 10, 6)
    sheet.line((4, 0), (4, 6))
    sheet.text("调解室", 2, 3)
    sheet.text("警务室", 7, 3)
    review = sheet.review(tmp_path / "plan.dxf")

    med, police = room(review, "调解室"), room(review, "警务室")
    assert (med.source, police.source) == ("walls", "walls")
    assert med.centreline and police.centreline
    assert med.area == pytest.approx(24.0, abs=AREA)
    assert police.area == pytest.approx(36.0, abs=AREA)


@pytest.mark.parametrize("angle", [30.0, 37.0])
def test_rooms_from_double_line_walls_turned(tmp_path, angle):
    # T-junctions of a turned plan meet their walls only to a rounding error.
    sheet = Sheet(units="mm", angle=angle, offset=(500.0, 300.0))
    sheet.double_wall_box(0, 0, 12.2, 6.2, 0.2)
    sheet.line((5.0, 0.2), (5.0, 6.0))
    sheet.line((5.2, 0.2), (5.2, 6.0))
    sheet.text("调解室", 2.6, 3.1)
    sheet.text("社区办公室", 8.6, 3.1)
    review = sheet.review(tmp_path / "plan.dxf")

    assert room(review, "调解室").area == pytest.approx(27.84, abs=AREA)
    assert room(review, "社区办公室").area == pytest.approx(39.44, abs=AREA)


def test_rooms_from_single_centre_lines_turned(tmp_path):
    sheet = Sheet(units="mm", angle=30.0)
    sheet.polyline_rect_lines(0, 0, 10, 6)
    sheet.line((4, 0), (4, 6))
    sheet.text("调解室", 2, 3)
    sheet.text("警务室", 7, 3)
    review = sheet.review(tmp_path / "plan.dxf")

    assert room(review, "调解室").area == pytest.approx(24.0, abs=AREA)
    assert room(review, "警务室").area == pytest.approx(36.0, abs=AREA)


def test_rooms_from_walls_in_a_rotated_block(tmp_path):
    sheet = Sheet(units="mm")
    block = sheet.block("PLAN_W")
    sheet.ensure_layer("WALL")
    faces = (rect(0, 0, 12_200, 6_200), rect(200, 200, 11_800, 5_800))
    lines = [(c[i], c[(i + 1) % 4]) for c in faces for i in range(4)]
    lines += [((5_000, 200), (5_000, 6_000)), ((5_200, 200), (5_200, 6_000))]
    for a, b in lines:
        block.add_line(a, b, dxfattribs={"layer": "WALL"})
    for label, x in (("调解室", 2_600), ("社区办公室", 8_600)):
        block.add_text(label, height=350).set_placement((x, 3_100))
    sheet.insert("PLAN_W", 10, 10, rotation=30)
    review = sheet.review(tmp_path / "plan.dxf")

    assert room(review, "调解室").area == pytest.approx(27.84, abs=AREA)
    assert room(review, "社区办公室").area == pytest.approx(39.44, abs=AREA)


# ------------------------------------------------------------------ labels


def test_mtext_with_formatting_codes(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 6.34, 4.0, None)  # 25.36 m²
    sheet.mtext(r"{\fSimSun|b0;调解室}\P25.36㎡", 3.17, 2.0)
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "调解室")
    assert r.functions == ("mediation",)
    assert r.declared_area == pytest.approx(25.36)
    assert r.area == pytest.approx(25.36, abs=AREA)
    assert status(review, "room.declared_area") == "pass"


def test_name_and_area_in_two_texts(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 6.34, 4.0, None)
    sheet.text("调解室", 3.17, 2.3)
    sheet.text("25.36㎡", 3.17, 1.5, height=0.25)
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "调解室")
    assert r.declared_area == pytest.approx(25.36)
    assert len(review.plan.rooms) == 1
    assert status(review, "room.declared_area") == "pass"


@pytest.mark.parametrize("label", ["调解室/社会工作室", "调解室、社会工作室", "调解室／社会工作室"])
def test_two_function_label(tmp_path, label):
    sheet = Sheet()
    sheet.room(0, 0, 6, 4, label)
    review = sheet.review(tmp_path / "plan.dxf")

    (r,) = review.plan.rooms
    assert r.functions == ("mediation", "social_work")
    for rule in ("mediation.area", "social_work.area"):
        f = review.finding(rule)
        assert (f.status, f.measured, f.required, f.rooms) == ("pass", 24.0, 20.0, (r.id,))


def test_two_function_mtext_on_two_lines(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 6, 4, None)
    sheet.mtext(r"调解室\P社会工作室", 3, 2)
    review = sheet.review(tmp_path / "plan.dxf")
    (r,) = review.plan.rooms
    assert r.functions == ("mediation", "social_work")
    assert status(review, "mediation.area") == status(review, "social_work.area") == "pass"


def test_two_function_room_must_meet_each_minimum(tmp_path):
    # 18 m² serves neither function; 45 m² council/party room passes 40 but fails 60.
    sheet = Sheet()
    sheet.room(0, 0, 4.5, 4, "调解室/社会工作室")
    sheet.room(5, 0, 9, 5, "居民议事室(兼党员活动室)")
    review = sheet.review(tmp_path / "plan.dxf")

    for rule in ("mediation.area", "social_work.area"):
        f = review.finding(rule)
        assert (f.status, f.measured) == ("fail", 18.0)
    assert review.finding("residents_council.area").status == "pass"
    f = review.finding("party_activity.area")
    assert (f.status, f.measured, f.required) == ("fail", 45.0, 60.0)


def test_two_auxiliary_names_in_one_room_count_once(tmp_path):
    sheet = Sheet()
    sheet.room(0, 0, 5, 4, "档案室/财务室")
    review = sheet.review(tmp_path / "plan.dxf")
    f = review.finding("auxiliary.area")
    assert (f.status, f.measured) == ("pass", 20.0)


# ------------------------------------------------------------------- floors


def _plan(sheet: Sheet, dx: float, rooms, title: str | None = None, layer: str = "ROOM"):
    """A 20 m x 10 m plan at dx: an outer wall line, rooms of (label, x, y, w, h)."""
    sheet.outline(rect(dx, 0, 20, 10), "WALL")
    for label, x, y, w, h in rooms:
        sheet.outline(rect(dx + x, y, w, h), layer)
        sheet.text(label, dx + x + w / 2, y + h / 2, layer=layer if layer != "ROOM" else "TEXT")
    if title:
        sheet.title(title, dx + 10, -2)


HALL = ("便民服务大厅", 0.2, 0.2, 10, 9.6)  # 96 m²
MEDIATION = ("调解室", 10.4, 0.2, 5, 4.4)  # 22 m²
READING = ("阅览室", 10.4, 4.8, 9.4, 5)  # 47 m²
SOCIAL_ORG = ("社会组织活动室", 0.2, 0.2, 5, 4.4)  # 22 m²
UPPER = [READING, SOCIAL_ORG]


def test_titles_side_by_side(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100")
    _plan(sheet, 40, UPPER, "二层平面图 1:100")
    review = sheet.review(tmp_path / "centre.dxf")

    floors = review.plan.floors
    assert [(f.level, f.level_source, f.name) for f in floors] == [
        (1, "title", "一层平面图"),
        (2, "title", "二层平面图"),
    ]
    assert [f.gross_area for f in floors] == pytest.approx([200.0, 200.0], abs=AREA)
    assert room(review, "便民服务大厅").level == 1
    assert room(review, "调解室").level == 1
    assert room(review, "阅览室").level == 2
    assert room(review, "阅览室").id.startswith("F2-")
    assert status(review, "service_hall.ground_floor") == "pass"
    assert status(review, "plan.floor_assumed") == "pass"


def test_first_floor_named_shouceng(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "首层平面图 1:100")
    review = sheet.review(tmp_path / "centre.dxf")
    (floor,) = review.plan.floors
    assert (floor.level, floor.level_source) == (1, "title")
    assert status(review, "service_hall.ground_floor") == "pass"


def test_basement_is_not_the_ground_floor(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, UPPER, "地下一层平面图 1:100")
    _plan(sheet, 40, [HALL, MEDIATION], "一层平面图 1:100")
    review = sheet.review(tmp_path / "centre.dxf")

    assert [(f.level, f.level_source) for f in review.plan.floors] == [(-1, "title"), (1, "title")]
    assert room(review, "阅览室").level == -1
    assert room(review, "阅览室").id.startswith("B1-")
    assert room(review, "便民服务大厅").level == 1
    assert status(review, "service_hall.ground_floor") == "pass"
    gross = review.finding("building.gross_area")
    assert gross.measured == pytest.approx(400.0)  # the basement counts
    assert gross.status == "fail"  # a new build needs 1000 m²


def test_floors_from_layer_names(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], layer="F1_房间")
    _plan(sheet, 40, UPPER, layer="2F-SPACE")
    review = sheet.review(tmp_path / "centre.dxf")

    assert [(f.level, f.level_source) for f in review.plan.floors] == [(1, "layer"), (2, "layer")]
    assert room(review, "便民服务大厅").level == 1
    assert room(review, "阅览室").level == 2
    assert status(review, "plan.floor_assumed") == "pass"


@pytest.mark.parametrize("as_folder", [False, True])
def test_floors_from_file_names(tmp_path, as_folder):
    one, two = Sheet(units="mm"), Sheet(units="mm")
    _plan(one, 0, [HALL, MEDIATION])
    _plan(two, 0, UPPER)
    files = [one.save(tmp_path / "一层平面图.dxf"), two.save(tmp_path / "2F.dxf")]
    review = checked_review([tmp_path] if as_folder else files)

    assert [(f.level, f.level_source) for f in review.plan.floors] == [(1, "file"), (2, "file")]
    assert room(review, "便民服务大厅").level == 1
    assert room(review, "阅览室").level == 2
    assert review.plan.gross_area == pytest.approx(400.0, abs=AREA)
    assert status(review, "plan.floor_assumed") == "pass"


def test_lone_plan_is_assumed_ground_floor(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION])
    review = sheet.review(tmp_path / "centre.dxf")

    (floor,) = review.plan.floors
    assert (floor.level, floor.level_source) == (1, "assumed")
    assert "plan.floor_assumed" in notice_codes(review)
    assert status(review, "plan.floor_assumed") == "warn"
    assert status(review, "service_hall.ground_floor") == "pass"


def test_title_beats_file_name(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100")
    review = sheet.review(tmp_path / "2F.dxf")

    (floor,) = review.plan.floors
    assert (floor.level, floor.level_source) == (1, "title")
    assert "plan.floor_conflict" in notice_codes(review)
    assert status(review, "plan.floor_conflict") == "warn"
    assert status(review, "service_hall.ground_floor") == "pass"


def test_typical_floor_plan_stands_for_each_floor(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100")
    _plan(sheet, 40, UPPER, "二~四层平面图 1:100")
    review = sheet.review(tmp_path / "centre.dxf")

    assert [f.level for f in review.plan.floors] == [1, 2, 3, 4]
    assert review.finding("building.gross_area").measured == pytest.approx(800.0)
    assert {r.level for r in review.plan.rooms if r.label == "阅览室"} == {2, 3, 4}


def test_site_plan_gives_the_plaza_but_no_floor(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100")
    sheet.outline(rect(40, 0, 60, 40), "用地红线")
    sheet.outline(rect(45, 25, 20, 10), "0")  # the building's footprint
    sheet.text("服务中心", 55, 30)
    sheet.room(45, 3, 25, 20, "文体活动广场")
    sheet.line((40, -0.5), (100, -0.5), "ROAD")
    sheet.title("总平面图 1:500", 70, -3)
    review = sheet.review(tmp_path / "centre.dxf")

    assert [f.level for f in review.plan.floors] == [1]
    assert review.plan.gross_area == pytest.approx(200.0, abs=AREA)
    f = review.finding("plaza.area")
    assert (f.status, f.measured, f.required) == ("pass", 500.0, 500.0)
    assert room(review, "文体活动广场").level == 0


def test_elevation_gives_no_rooms(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100")
    sheet.outline(rect(40, 0, 20, 8), "0")
    for i in range(5):
        sheet.outline(rect(41 + i * 3.8, 2, 1.5, 1.8), "WINDOW")
    sheet.text("调解室", 45, 5)  # a callout on the façade, not a room
    sheet.title("南立面图 1:100", 50, -2)
    review = sheet.review(tmp_path / "centre.dxf")

    assert [f.level for f in review.plan.floors] == [1]
    assert sorted(r.label for r in review.plan.rooms) == ["便民服务大厅", "调解室"]
    assert room(review, "调解室").area == pytest.approx(22.0, abs=AREA)


@pytest.mark.parametrize("frame_layer", ["图框", "0"])
def test_sheet_frame_is_no_room_and_keeps_plans_apart(tmp_path, frame_layer):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100")
    _plan(sheet, 40, UPPER, "二层平面图 1:100")
    sheet.frame(-5, -8, 85, 15, layer=frame_layer)
    review = sheet.review(tmp_path / "centre.dxf")

    assert [(f.level, f.level_source) for f in review.plan.floors] == [(1, "title"), (2, "title")]
    assert sorted(r.label for r in review.plan.rooms) == sorted(
        ["便民服务大厅", "调解室", "阅览室", "社会组织活动室"]
    )
    assert max(r.area for r in review.plan.rooms) < 100
    assert [f.gross_area for f in review.plan.floors] == pytest.approx([200, 200], abs=AREA)
    assert status(review, "plan.unlabelled_room") == "pass"


def _wall_line_plan(sheet: Sheet) -> None:
    """Rooms bounded by wall LINEs only (no outer wall outline), with a title."""
    for label, x, y, w, h in (HALL, MEDIATION):
        corners = rect(x, y, w, h)
        sheet.lines(zip(corners, corners[1:] + corners[:1], strict=True), "WALL")
        sheet.text(label, x + w / 2, y + h / 2)
    sheet.title("一层平面图 1:100", 8, -2)


@pytest.mark.parametrize("frame_layer", ["0", "WALL"])
def test_sheet_frame_around_one_plan_is_not_its_outer_wall(tmp_path, frame_layer):
    # one closed polyline around the plan and its title, on a layer that says
    # nothing: before, it passed for the outer wall (gross area 40 x 25 m)
    plain = Sheet(units="mm")
    _wall_line_plan(plain)
    framed = Sheet(units="mm")
    _wall_line_plan(framed)
    framed.outline(rect(-10, -8, 40, 25), frame_layer)
    expected = plain.review(tmp_path / "plain.dxf").plan.floors[0].gross_area
    review = framed.review(tmp_path / "framed.dxf")

    assert expected < 200
    assert [f.gross_area for f in review.plan.floors] == pytest.approx([expected], abs=AREA)
    assert sorted(r.label for r in review.plan.rooms) == ["便民服务大厅", "调解室"]


# ------------------------------------------------------------ floor placement


def test_service_hall_upstairs_fails(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [MEDIATION], "一层平面图 1:100")
    _plan(sheet, 40, [HALL], "二层平面图 1:100")
    review = sheet.review(tmp_path / "centre.dxf")

    f = review.finding("service_hall.ground_floor")
    assert (f.status, f.measured, f.required) == ("fail", 2, 1)
    assert f.rooms == (room(review, "便民服务大厅").id,)
    assert review.verdict == "fail"


def test_service_hall_in_basement_fails(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL], "地下一层平面图 1:100")
    _plan(sheet, 40, [MEDIATION], "一层平面图 1:100")
    review = sheet.review(tmp_path / "centre.dxf")

    f = review.finding("service_hall.ground_floor")
    assert (f.status, f.measured, f.required) == ("fail", -1, 1)


def test_no_service_hall_skips_placement(tmp_path):
    sheet = Sheet()
    sheet.room(0, 0, 5, 4.4, "调解室")
    review = sheet.review(tmp_path / "plan.dxf")
    assert status(review, "service_hall.ground_floor") == "skip"
    assert status(review, "service_hall.area") == "fail"


# --------------------------------------------------------------- room areas


def test_room_under_its_minimum(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 4, 4, "调解室")
    sheet.room(4.2, 0, 10, 8.5, "便民服务大厅")
    review = sheet.review(tmp_path / "plan.dxf")

    f = review.finding("mediation.area")
    assert (f.status, f.measured, f.required) == ("fail", 16.0, 20.0)
    assert f.rooms == (room(review, "调解室").id,)
    f = review.finding("service_hall.area")
    assert (f.status, f.measured, f.required) == ("pass", 85.0, 80.0)
    f = review.finding("police.area")  # no police room at all
    assert (f.status, f.measured, f.required) == ("fail", None, 20.0)


def test_largest_room_of_a_function_is_judged(tmp_path):
    sheet = Sheet()
    sheet.room(0, 0, 4, 4, "调解室")
    sheet.room(5, 0, 5, 4.4, "人民调解室")
    review = sheet.review(tmp_path / "plan.dxf")
    f = review.finding("mediation.area")
    assert (f.status, f.measured) == ("pass", 22.0)
    assert f.rooms[0] == room(review, "人民调解室").id
    assert len(f.rooms) == 2


@pytest.mark.parametrize(
    ("archive", "finance", "expected", "total"),
    [((4, 3), (5, 2), "pass", 22.0), ((4, 2), (5, 2), "fail", 18.0)],
)
def test_auxiliary_rooms_are_summed(tmp_path, archive, finance, expected, total):
    sheet = Sheet()
    sheet.room(0, 0, *archive, "档案室")
    sheet.room(6, 0, *finance, "财务室")
    review = sheet.review(tmp_path / "plan.dxf")

    f = review.finding("auxiliary.area")
    assert (f.status, f.measured, f.required) == (expected, total, 20.0)
    assert len(f.rooms) == 2


@pytest.mark.parametrize(
    ("w", "h", "area", "diameter", "turning"),
    [(1.4, 3.2, 4.48, 1.40, "fail"), (2.0, 2.2, 4.40, 2.00, "pass")],
)
def test_accessible_toilet(tmp_path, w, h, area, diameter, turning):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, w, h, "无障碍卫生间")
    sheet.room(3, 0, 4, 3.2, "卫生间")
    review = sheet.review(tmp_path / "plan.dxf")

    assert status(review, "accessible_toilet.present") == "pass"
    assert status(review, "public_toilet.present") == "pass"
    f = review.finding("accessible_toilet.area")
    assert (f.status, f.measured, f.required) == ("pass", area, 4.0)
    f = review.finding("accessible_toilet.turning_space")
    assert (f.status, f.required) == (turning, 1.5)
    assert f.measured == pytest.approx(diameter, abs=5e-4)


@pytest.mark.parametrize("angle", [0.0, 37.0])
def test_toilet_exactly_turning_width_passes_whatever_its_rotation(tmp_path, angle):
    sheet = Sheet(units="mm", angle=angle, offset=(321.0, 654.0))
    sheet.room(0, 0, 1.5, 2.8, "无障碍卫生间")  # 4.20 m², a 1.50 m circle just fits
    review = sheet.review(tmp_path / "plan.dxf")
    f = review.finding("accessible_toilet.turning_space")
    assert (f.status, f.measured) == ("pass", 1.5)
    assert review.finding("accessible_toilet.area").measured == 4.2


def test_no_accessible_toilet(tmp_path):
    sheet = Sheet()
    sheet.room(0, 0, 4, 3.2, "卫生间")
    review = sheet.review(tmp_path / "plan.dxf")
    assert status(review, "accessible_toilet.present") == "fail"
    assert status(review, "accessible_toilet.area") == "skip"
    assert status(review, "accessible_toilet.turning_space") == "skip"


@pytest.mark.parametrize("angle", [37.0, 45.0, 123.4])
def test_room_at_exact_minimum_rotated_passes(tmp_path, angle):
    sheet = Sheet(units="mm", angle=angle, offset=(1234.567, -89.01))
    sheet.room(0, 0, 5, 4, "调解室")
    review = sheet.review(tmp_path / "plan.dxf")

    assert room(review, "调解室").area == pytest.approx(20.0, abs=1e-6)
    f = review.finding("mediation.area")
    assert (f.status, f.measured, f.required) == ("pass", 20.0, 20.0)


@pytest.mark.parametrize(
    ("width", "expected", "measured"), [(4.999, "pass", 20.0), (4.998, "fail", 19.99)]
)
def test_areas_are_compared_after_rounding_to_a_hundredth(tmp_path, width, expected, measured):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, width, 4, "调解室")  # 19.996 m² rounds to 20.00; 19.992 to 19.99
    review = sheet.review(tmp_path / "plan.dxf")
    f = review.finding("mediation.area")
    assert (f.status, f.measured) == (expected, measured)


def test_furniture_outline_inside_a_room_is_no_room(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 5, 4.4, "调解室")
    sheet.outline(rect(0.5, 0.5, 1.6, 0.8), "0")  # a desk drawn on layer 0
    sheet.outline(rect(3.0, 0.5, 1.2, 1.2), "FURNITURE")
    review = sheet.review(tmp_path / "plan.dxf")
    (r,) = review.plan.rooms
    assert r.area == pytest.approx(22.0, abs=AREA)
    assert status(review, "plan.unlabelled_room") == "pass"


# --------------------------------------------------------- declared areas


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("调解室 30㎡", "warn"),
        ("调解室 25.3㎡", "pass"),
        ("调解室 26㎡", "pass"),  # 1 m² off: the absolute tolerance
        ("调解室 26.1㎡", "warn"),
        ("调解室 S=23.9", "warn"),
    ],
)
def test_room_declared_area(tmp_path, label, expected):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 5, 5, None)
    sheet.text(label, 2.5, 2.5)
    review = sheet.review(tmp_path / "plan.dxf")

    r = room(review, "调解室")
    assert r.area == pytest.approx(25.0, abs=AREA)
    f = review.finding("room.declared_area")
    assert f.status == expected
    assert f.rooms == ((r.id,) if expected == "warn" else ())


@pytest.mark.parametrize(("stated", "expected"), [("540.00", "pass"), ("600.00", "warn")])
def test_building_declared_area(tmp_path, stated, expected):
    sheet = Sheet(units="mm")
    sheet.outline(rect(0, 0, 30, 18), "WALL")
    sheet.room(0.2, 0.2, 12, 8, "便民服务大厅")
    sheet.room(12.4, 0.2, 5, 4.4, "调解室")
    sheet.title("一层平面图 1:100", 15, -2)
    sheet.text(f"本层建筑面积：{stated}m2", 15, -3.2, height=0.4)
    review = sheet.review(tmp_path / "centre.dxf")

    (floor,) = review.plan.floors
    assert floor.gross_area == pytest.approx(540.0, abs=AREA)
    assert floor.declared_gross_area == pytest.approx(float(stated))
    assert status(review, "building.declared_area") == expected
    assert all(r.declared_area is None for r in review.plan.rooms)  # never a room's


@pytest.mark.parametrize("outer_layer", ["0", "WALL"])
def test_hall_in_the_open_space_inside_the_outer_wall_line(tmp_path, outer_layer):
    # Five outlined rooms inside a closed outer wall line; the hall is the space
    # left between them, labelled but not outlined.
    sheet = Sheet(units="mm")
    sheet.outline(rect(0, 0, 20, 10), outer_layer)
    sheet.room(0.2, 0.2, 6, 4.4, "调解室")
    sheet.room(6.4, 0.2, 6, 4.4, "警务室")
    sheet.room(12.6, 0.2, 7.2, 4.4, "社工室")
    sheet.room(0.2, 6.4, 9, 3.4, "档案室")
    sheet.room(9.4, 6.4, 10.4, 3.4, "财务室")
    sheet.text("便民服务大厅", 10, 5.5)
    review = sheet.review(tmp_path / "plan.dxf")

    hall = room(review, "便民服务大厅")
    others = [r for r in review.plan.rooms if r is not hall]
    assert all(hall.polygon.intersection(r.polygon).area < 1e-6 for r in others)
    assert hall.area == pytest.approx(200 - 150.44, abs=0.01)  # the outline less the rooms
    f = review.finding("service_hall.area")
    assert (f.status, f.measured) == ("fail", 49.56)


def test_gross_area_of_a_floor_with_one_labelled_room(tmp_path):
    sheet = Sheet(units="mm")
    sheet.outline(rect(0, 0, 20, 10), "WALL")
    sheet.room(0.2, 0.2, 10, 9.6, "便民服务大厅")
    sheet.room(10.4, 0.2, 9.4, 9.6, None)  # not named yet
    review = sheet.review(tmp_path / "plan.dxf")
    assert review.plan.floors[0].gross_area == pytest.approx(200.0, abs=AREA)


def test_building_area_caption_and_number_in_two_texts_under_the_title(tmp_path):
    sheet = Sheet(units="mm")
    sheet.outline(rect(0, 0, 30, 18), "WALL")
    sheet.room(0.2, 0.2, 12, 8, "便民服务大厅")
    sheet.room(12.4, 0.2, 5, 4.4, "调解室")
    sheet.title("一层平面图 1:100", 15, -2)
    sheet.text("本层建筑面积：", 12, -3.2, height=0.4)
    sheet.text("540.00m2", 16, -3.2, height=0.4)
    review = sheet.review(tmp_path / "centre.dxf")
    assert review.plan.floors[0].declared_gross_area == pytest.approx(540.0)
    assert status(review, "building.declared_area") == "pass"


def test_building_area_caption_and_number_in_two_texts_inside_the_plan(tmp_path):
    sheet = Sheet(units="mm")
    sheet.outline(rect(0, 0, 30, 18), "WALL")
    sheet.room(0.2, 0.2, 12, 8, "便民服务大厅")
    sheet.room(12.4, 0.2, 5, 4.4, "调解室")
    sheet.title("一层平面图 1:100", 15, -2)
    sheet.text("本层建筑面积：", 20, 12, height=0.4)
    sheet.text("540.00m2", 23, 12, height=0.4)
    review = sheet.review(tmp_path / "centre.dxf")
    assert review.plan.floors[0].declared_gross_area == pytest.approx(540.0)
    assert status(review, "building.declared_area") == "pass"
    assert all(r.declared_area is None for r in review.plan.rooms)


def test_declared_total_building_area(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100")
    _plan(sheet, 40, UPPER, "二层平面图 1:100")
    sheet.text("总建筑面积：460.00m2", 10, -3.2, height=0.5)
    review = sheet.review(tmp_path / "centre.dxf")
    assert review.plan.declared_total_area == pytest.approx(460.0)
    assert review.plan.gross_area == pytest.approx(400.0, abs=AREA)
    assert status(review, "building.declared_area") == "warn"  # 60 m² more than measured


def test_title_beats_layer_name(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100", layer="F2_房间")
    review = sheet.review(tmp_path / "centre.dxf")
    (floor,) = review.plan.floors
    assert (floor.level, floor.level_source) == (1, "title")
    assert status(review, "plan.floor_conflict") == "warn"


# ---------------------------------------------------------------- warnings


def test_unlabelled_room_warns(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 5, 4.4, "调解室")
    sheet.room(5.2, 0, 3, 4.4, None)
    review = sheet.review(tmp_path / "plan.dxf")

    blank = [r for r in review.plan.rooms if not r.label]
    assert len(blank) == 1 and blank[0].functions == ()
    assert blank[0].area == pytest.approx(13.2, abs=AREA)
    f = review.finding("plan.unlabelled_room")
    assert (f.status, f.rooms) == ("warn", (blank[0].id,))


def test_orphan_label_warns(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 5, 4.4, "调解室")
    sheet.room(7, 0, 5, 4.4, "社会工作室")
    sheet.text("警务室", 6, 2.2)  # between the two rooms, in no outline and no walls
    review = sheet.review(tmp_path / "plan.dxf")

    (orphan,) = review.plan.orphan_labels
    assert orphan.functions == ("police",)
    assert (orphan.x, orphan.y) == pytest.approx((6.0, 2.2))
    assert status(review, "plan.orphan_label") == "warn"
    assert status(review, "police.area") == "fail"  # a label is not a room
    assert len(review.plan.rooms) == 2


# ----------------------------------------------------------------- verdict


def test_compliant_centre_passes(tmp_path):
    review = compliant_centre(Sheet(units="mm")).review(tmp_path / "centre.dxf")

    assert review.verdict == "pass"
    assert not [f.rule for f in review.findings if f.status == "fail"]
    assert review.finding("building.gross_area").measured == pytest.approx(1080.0)
    assert review.finding("auxiliary.area").measured == pytest.approx(24.0)
    assert review.finding("notice_board.area").status == "pass"
    assert review.finding("plaza.area").status == "manual"
    assert len(review.plan.rooms) == len(FLOOR_1) + 6


def test_one_failing_rule_fails_the_verdict(tmp_path):
    small = ("调解室", 12.4, 4.6, 4.0, 4.0)
    review = compliant_centre(Sheet(units="mm"), {"调解室": small}).review(tmp_path / "c.dxf")

    assert review.verdict == "fail"
    assert [f.rule for f in review.findings if f.status == "fail"] == ["mediation.area"]


def test_renovation_needs_half_the_area(tmp_path):
    sheet = Sheet(units="mm")
    _plan(sheet, 0, [HALL, MEDIATION], "一层平面图 1:100")
    path = sheet.save(tmp_path / "centre.dxf")
    new = checked_review([path], build_type="new")
    renovation = checked_review([path], build_type="renovation")
    assert new.finding("building.gross_area").required == 1000.0
    assert renovation.finding("building.gross_area").required == 500.0
    assert new.finding("building.gross_area").measured == pytest.approx(200.0)


def test_every_rule_appears_exactly_once(tmp_path):
    sheet = Sheet()
    sheet.room(0, 0, 5, 4, "调解室")
    sheet.room(6, 0, 5, 4, None)
    review = sheet.review(tmp_path / "plan.dxf")
    rules = [f.rule for f in review.findings]
    assert len(rules) == len(set(rules)) == len(review.standard.rules)
    for rule in ("building.gross_area", "plan.unlabelled_room", "building.management"):
        assert rules.count(rule) == 1


def test_shoelace_oracle():
    # The test oracle itself: counter-clockwise positive, a semicircle bulge adds πr²/2.
    assert shoelace(rect(0, 0, 2, 3)) == 6
    assert bulged_area(rect(0, 0, 6, 4), [0, 1, 0, 0]) == pytest.approx(24 + 2 * math.pi)
    assert bulged_area(rect(0, 0, 6, 4), [0, -1, 0, 0]) == pytest.approx(24 - 2 * math.pi)
    assert centre(rect(0, 0, 2, 2)) == (1, 1)
