"""Messy real-world drawings (issue 3): exact where the drawing allows, honest where not.

Each test draws what Chinese design institutes actually send — GBK text under the
wrong code page, rooms bounded only by walls with a gap at every door, units that
lie, TArch proxy objects, furniture, dimensions, axis grids, frames, labels split
and decorated — with ezdxf into tmp_path (see dxf_builders.py), runs the public API
`planchecker.review(...)` or the CLI, and asserts real numbers: room counts, areas
(outline rooms to 0.01 m², wall-derived rooms within 1 %), functions, statuses,
warnings by rule id, exit codes.

Tests marked ``xfail(strict=True, reason="BUG: ...")`` describe what the issue asks
for and the code does not do yet; the reason names the function at fault.
"""

from __future__ import annotations

import json

import pytest
import shapely
from click.testing import CliRunner

import planchecker
from dxf_builders import (
    Sheet,
    assert_invariants,
    cut_lines,
    inject_entities,
    modelspace_owner,
    proxy_tags,
    recode,
    rect,
    shoelace,
    wall_lines,
    wall_solid,
)
from planchecker.cli import main
from planchecker.errors import DrawingError

AREA = 0.005  # outline rooms: right to the 0.01 m² reports round to
WALLS = 0.01  # rooms derived from wall lines: right to 1 %


# ------------------------------------------------------------------- helpers


def rooms_by_label(review) -> dict[str, object]:
    """Every room by its label; fails when two rooms share one."""
    labels = [r.label for r in review.plan.rooms]
    assert len(labels) == len(set(labels)), labels
    return {r.label: r for r in review.plan.rooms}


def room(review, label: str):
    found = [r for r in review.plan.rooms if r.label == label]
    assert len(found) == 1, (
        f"{label!r}: {[(r.id, r.label, round(r.area, 2)) for r in review.plan.rooms]}"
    )
    return found[0]


def status(review, rule: str) -> str:
    finding = review.finding(rule)
    assert finding is not None, rule
    return finding.status


def warning(review, rule: str) -> str:
    """The message of a warning that must have fired."""
    finding = review.finding(rule)
    assert finding is not None, rule
    assert finding.status == "warn", f"{rule} is {finding.status}: {finding.message_en}"
    return finding.message_en


def quiet(review, *rules: str) -> None:
    """These warnings must not have fired."""
    for rule in rules:
        finding = review.finding(rule)
        assert finding is not None, rule
        assert finding.status in ("pass", "skip"), f"{rule}: {finding.message_en}"


def cli(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result) -> str:
    """Exit 2 with exactly one line on stderr and no traceback; returns the line."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def gbk_sheet(**kwargs) -> Sheet:
    """An R2000 sheet whose text ezdxf writes in GBK under $DWGCODEPAGE ANSI_936."""
    sheet = Sheet(units="mm", version="R2000", **kwargs)
    sheet.doc.encoding = "gbk"
    return sheet


# ---------------------------------------------------------- 1. code pages

CODE_PAGE_ROOMS = (  # label, x, y, w, h: metres
    ("便民服务大厅", 0.0, 0.0, 12.0, 8.0),  # 96
    ("调解室", 12.2, 0.0, 5.0, 4.2),  # 21
    ("居民议事（说事）室", 12.2, 4.4, 8.0, 5.5),  # 44
)


def code_page_plan(sheet: Sheet, rooms=CODE_PAGE_ROOMS) -> Sheet:
    """Rooms named by TEXT, one by formatted MTEXT with its area, one by a room-tag
    block's ATTRIB, and the plan's title: every kind of text a code page touches."""
    for label, x, y, w, h in rooms:
        sheet.room(x, y, w, h, label)
    sheet.room(17.4, 0.0, 5.0, 4.2, None)  # 21
    sheet.mtext(r"{\fSimSun|b0;警务室}\P21.00㎡", 19.9, 2.1)
    sheet.room(22.6, 0.0, 5.0, 4.2, None)  # 21
    tag = sheet.block("$ROOM_TAG")
    tag.add_attdef("NAME", (0, 0), dxfattribs={"height": 350})
    sheet.msp.add_blockref("$ROOM_TAG", sheet.at(23.5, 2.0), dxfattribs={"layer": "PUB_TEXT"})
    sheet.msp.query("INSERT").last.add_attrib("NAME", "社会工作室", sheet.at(23.5, 2.0))
    sheet.title("一层平面图 1:100", 10.0, -2.0)
    return sheet


def assert_code_page_rooms(review) -> None:
    found = rooms_by_label(review)  # labels as drawn: full-width brackets kept
    assert sorted(found) == sorted(
        ["便民服务大厅", "居民议事（说事）室", "调解室", "警务室", "社会工作室"]
    )
    assert found["便民服务大厅"].functions == ("service_hall",)
    assert found["调解室"].functions == ("mediation",)
    assert found["居民议事（说事）室"].functions == ("residents_council",)
    assert found["警务室"].functions == ("police",)
    assert found["警务室"].declared_area == 21.0
    assert found["社会工作室"].functions == ("social_work",)
    assert found["便民服务大厅"].area == pytest.approx(96.0, abs=AREA)
    for rule in ("service_hall", "residents_council", "police", "social_work"):
        assert status(review, f"{rule}.area") == "pass", rule
    assert status(review, "room.declared_area") == "pass"
    assert [f.name for f in review.plan.floors] == ["一层平面图"]


def test_gbk_under_its_own_header_is_read_without_repair(tmp_path):
    review = code_page_plan(gbk_sheet()).review(tmp_path / "gbk.dxf")

    assert review.plan.encoding == "gbk"
    assert_code_page_rooms(review)
    quiet(review, "plan.encoding_repaired", "plan.read_quality")


def test_gbk_text_under_an_ansi_1252_header_is_repaired(tmp_path):
    sheet = code_page_plan(gbk_sheet())
    path = recode(sheet.save(tmp_path / "lie-1252.dxf"), "gbk", header="ANSI_1252")
    assert b"ANSI_1252" in path.read_bytes() and "调解室".encode("gbk") in path.read_bytes()
    review = planchecker.review(str(path))
    assert_invariants(review)

    assert review.plan.encoding == "gbk"
    assert_code_page_rooms(review)
    message = warning(review, "plan.encoding_repaired")
    assert "cp1252" in message and "gbk" in message


def test_utf8_text_under_an_ansi_936_header_is_repaired(tmp_path):
    sheet = code_page_plan(gbk_sheet())
    path = recode(sheet.save(tmp_path / "lie-936.dxf"), "utf-8")
    assert b"ANSI_936" in path.read_bytes() and "调解室".encode() in path.read_bytes()
    review = planchecker.review(str(path))
    assert_invariants(review)

    assert review.plan.encoding == "utf-8"
    assert_code_page_rooms(review)
    message = warning(review, "plan.encoding_repaired")
    assert "gbk" in message and "utf-8" in message


def test_gbk_text_under_an_ansi_1252_header_in_an_r12_drawing(tmp_path):
    # R12: no LWPOLYLINE, no $INSUNITS; rooms are old-style POLYLINEs.
    sheet = Sheet(units="mm", version="R12")
    sheet.doc.encoding = "gbk"
    for label, x, y, w, h in CODE_PAGE_ROOMS:
        points = [sheet.at(*p) for p in rect(x, y, w, h)]
        sheet.msp.add_polyline2d(points, close=True, dxfattribs={"layer": "ROOM"})
        sheet.text(label, x + w / 2, y + h / 2)
    path = recode(sheet.save(tmp_path / "r12.dxf"), "gbk", header="ANSI_1252")
    assert b"AC1009" in path.read_bytes()
    review = planchecker.review(str(path))
    assert_invariants(review)

    assert review.plan.encoding == "gbk"
    found = rooms_by_label(review)
    assert sorted(found) == sorted(["便民服务大厅", "居民议事（说事）室", "调解室"])
    assert found["调解室"].area == pytest.approx(21.0, abs=AREA)
    assert "gbk" in warning(review, "plan.encoding_repaired")


def test_gbk_text_under_an_ansi_1252_header_in_a_binary_dxf(tmp_path):
    path = tmp_path / "lie-1252.dxf"
    code_page_plan(gbk_sheet()).doc.saveas(path, fmt="bin")
    data = path.read_bytes()
    assert data.startswith(b"AutoCAD Binary DXF") and b"ANSI_936\x00" in data
    path.write_bytes(data.replace(b"ANSI_936\x00", b"ANSI_1252\x00"))
    review = planchecker.review(str(path))

    assert review.plan.encoding == "gbk"
    assert_code_page_rooms(review)
    assert "gbk" in warning(review, "plan.encoding_repaired")


def test_gb18030_only_characters_under_ansi_936(tmp_path):
    # 䶮 (U+4DAE) and 𠮷 (U+20BB7) exist in GB18030, not in GBK: a Chinese CAD on a
    # GB18030 system writes them under the ANSI_936 header.
    rooms = (
        *CODE_PAGE_ROOMS,
        ("䶮城慈善物品室", 0.0, 8.2, 5.0, 4.2),  # 21
        ("𠮷安社区办公室", 5.2, 8.2, 8.0, 5.5),  # 44
    )
    sheet = code_page_plan(gbk_sheet(), rooms)
    path = recode(sheet.save(tmp_path / "gb18030.dxf"), "gb18030")
    assert "𠮷".encode("gb18030") in path.read_bytes() and b"ANSI_936" in path.read_bytes()
    review = planchecker.review(str(path))

    assert "gb18030" in review.plan.encoding
    charity, office = room(review, "䶮城慈善物品室"), room(review, "𠮷安社区办公室")
    assert charity.functions == ("charity_storage",) and office.functions == ("community_office",)
    assert status(review, "charity_storage.area") == "pass"
    assert status(review, "community_office.area") == "pass"
    assert_code_page_rooms_partly(review)


def assert_code_page_rooms_partly(review) -> None:
    for label in ("便民服务大厅", "居民议事（说事）室", "调解室", "警务室", "社会工作室"):
        room(review, label)
    assert all("\ufffd" not in r.label for r in review.plan.rooms)


def test_western_text_under_ansi_1252_is_not_taken_for_mojibake(tmp_path):
    # A European office's drawing: accented Latin text in cp1252, rightly declared.
    sheet = Sheet(units="mm", version="R2000")
    sheet.doc.encoding = "cp1252"
    sheet.room(0, 0, 6, 4, "Café")
    sheet.room(6.2, 0, 5, 4, "Büro")
    sheet.room(0, 4.2, 11.2, 5, "Réception")
    path = sheet.save(tmp_path / "western.dxf")
    assert b"ANSI_1252" in path.read_bytes() and "Café".encode("cp1252") in path.read_bytes()
    review = planchecker.review(str(path))
    assert_invariants(review)

    assert review.plan.encoding == "cp1252"
    assert sorted(r.label for r in review.plan.rooms) == ["Büro", "Café", "Réception"]
    quiet(review, "plan.encoding_repaired")


# ------------------------------------------------- 2. rooms from walls with door gaps

T = 0.2  # wall thickness
BW, BD = 20.4, 10.4  # building's outer faces
# Wall strips: the outer walls, the corridor wall (y 2.2 .. 2.4) and two partitions.
WALL_STRIPS = [
    rect(0, 0, BW, T),
    rect(0, BD - T, BW, T),
    rect(0, 0, T, BD),
    rect(BW - T, 0, T, BD),
    rect(0, 2.2, BW, T),
    rect(5.2, 2.2, T, BD - 2.2),
    rect(10.4, 2.2, T, BD - 2.2),
]
# Door gaps: (hinge x, hinge y, width, rotation, mirrored) and the gap rectangle.
DOORS = (
    ((1.0, 2.4, 0.9, 0.0, False), rect(1.0, 2.2, 0.9, T)),  # 调解室 from the corridor
    ((6.9, 2.4, 0.9, 0.0, True), rect(6.0, 2.2, 0.9, T)),  # 警务室, mirrored leaf
    ((11.0, 2.4, 1.0, 0.0, False), rect(11.0, 2.2, 1.0, T)),  # 社区办公室, two doors
    ((19.0, 2.4, 1.0, 0.0, True), rect(18.0, 2.2, 1.0, T)),
    ((5.4, 8.0, 0.9, 90.0, False), rect(5.2, 8.0, T, 0.9)),  # 调解室 <-> 警务室, turned
    ((9.0, 0.2, 1.5, 0.0, False), rect(9.0, 0.0, 1.5, T)),  # entrance, 1.5 m leaf
)
WINDOWS = ((1.5, 3.3), (6.6, 8.4))  # x ranges in the north wall, 4 lines each
CURTAIN = (11.5, 19.0)  # a curtain wall (幕墙) along 社区办公室's north side
COLUMNS = [  # 400 x 400 at the partitions' junctions, walls stop at their faces
    rect(5.1, 2.1, 0.4, 0.4),
    rect(10.3, 2.1, 0.4, 0.4),
    rect(5.1, BD - 0.4, 0.4, 0.4),
    rect(10.3, BD - 0.4, 0.4, 0.4),
]
WALL_LABELS = (
    ("调解室", 2.7, 6.0),
    ("警务室", 7.9, 6.0),
    ("社区办公室", 15.4, 6.0),
    ("走廊", 15.0, 1.2),
)
# Net areas, worked out by hand: rooms less the corners the 400 mm columns take
# out of them (each column stands 0.1 m proud of both wall faces).
WALL_ROOM_AREAS = {
    "调解室": 5.0 * 7.8 - 0.01 - 0.02,  # 38.97
    "警务室": 5.0 * 7.8 - 2 * (0.01 + 0.02),  # 38.94
    "社区办公室": 9.6 * 7.8 - 0.01 - 0.02,  # 74.85
    "走廊": 20.0 * 2.0 - 2 * 0.04,  # 39.92
}


def tarch_plan(sheet: Sheet, jambs: bool = True) -> Sheet:
    """A TArch-style (T3 export) plan: double-line walls with door and window gaps,
    door blocks in the gaps, 4-line windows, a curtain wall, hatched columns, room
    names on PUB_TEXT.  No room outlines."""
    gaps = [gap for _, gap in DOORS]
    gaps += [rect(x0, BD - T, x1 - x0, T) for x0, x1 in (*WINDOWS, CURTAIN)]
    sheet.lines(wall_lines(WALL_STRIPS, gaps, COLUMNS, jambs=jambs), "WALL")
    for x0, x1 in WINDOWS:  # windows are framed by their jambs even where doors are not
        sheet.parallel_lines((x0, BD - T), (x1, BD - T), (0, 1), [0, T / 3, 2 * T / 3, T])
        if not jambs:
            sheet.lines([((x0, BD - T), (x0, BD)), ((x1, BD - T), (x1, BD))], "WINDOW")
    x0, x1 = CURTAIN
    sheet.parallel_lines((x0, BD - T), (x1, BD - T), (0, 1), [0, T / 2, T], "幕墙")
    if not jambs:
        sheet.lines([((x0, BD - T), (x0, BD)), ((x1, BD - T), (x1, BD))], "幕墙")
    for corners in COLUMNS:
        sheet.column(*corners[0], 0.4, 0.4)
    for (x, y, width, rotation, mirror), _ in DOORS:
        sheet.door(x, y, width, rotation=rotation, mirror=mirror)
    for label, x, y in WALL_LABELS:
        sheet.text(label, x, y, layer="PUB_TEXT")
    return sheet


def assert_wall_rooms(review, areas=WALL_ROOM_AREAS, rel=WALLS) -> None:
    found = rooms_by_label(review)
    assert sorted(found) == sorted(areas), [(r.label, round(r.area, 2)) for r in review.plan.rooms]
    for label, expected in areas.items():
        assert found[label].area == pytest.approx(expected, rel=rel), label
        assert found[label].source == "walls", label
    assert found["调解室"].functions == ("mediation",)
    assert found["警务室"].functions == ("police",)
    assert found["社区办公室"].functions == ("community_office",)
    assert found["走廊"].functions == ()
    for rule in ("mediation.area", "police.area", "community_office.area"):
        assert status(review, rule) == "pass", rule
    quiet(review, "plan.orphan_label", "plan.unlabelled_room")


@pytest.mark.parametrize("jambs", [True, False], ids=["jambs", "free-ends"])
@pytest.mark.parametrize("angle", [0.0, 30.0])
def test_double_walls_with_door_gaps_give_separate_rooms(tmp_path, jambs, angle):
    sheet = tarch_plan(gbk_sheet(angle=angle, offset=(1000.0, 500.0)), jambs=jambs)
    review = sheet.review(tmp_path / "tarch.dxf")

    assert_wall_rooms(review)
    # each room on its own: 调解室 is not one face with the corridor it opens onto
    assert room(review, "走廊").area < 40.0
    assert not any(r.centreline for r in review.plan.rooms)
    (floor,) = review.plan.floors
    assert floor.gross_area == pytest.approx(BW * BD, rel=WALLS)


def test_rooms_from_walls_exact_to_a_hundredth(tmp_path):
    # Wall-derived rooms need only be right to 1 %; on clean double lines they are exact.
    review = tarch_plan(gbk_sheet()).review(tmp_path / "tarch.dxf")

    for label, expected in WALL_ROOM_AREAS.items():
        assert room(review, label).area == pytest.approx(expected, abs=AREA), label
    assert review.finding("police.area").measured == pytest.approx(38.94)


@pytest.mark.parametrize("layer", ["WALL", "0"])
def test_outer_wall_line_around_rooms_from_walls(tmp_path, layer):
    # The user guide asks for a closed polyline on the outer face for the gross area.
    sheet = tarch_plan(gbk_sheet())
    sheet.outline(rect(0, 0, BW, BD), layer)
    review = sheet.review(tmp_path / "outer-line.dxf")

    assert_wall_rooms(review)
    assert review.plan.floors[0].gross_area == pytest.approx(BW * BD, abs=AREA)


CENTRE_LINES = [  # the same plan's wall centre lines
    ((0.1, 0.1), (20.3, 0.1)),
    ((20.3, 0.1), (20.3, 10.3)),
    ((20.3, 10.3), (0.1, 10.3)),
    ((0.1, 10.3), (0.1, 0.1)),
    ((0.1, 2.3), (20.3, 2.3)),
    ((5.3, 2.3), (5.3, 10.3)),
    ((10.5, 2.3), (10.5, 10.3)),
]


@pytest.mark.parametrize("windows", [False, True], ids=["doors", "doors-and-window-symbols"])
def test_single_centre_lines_with_door_gaps(tmp_path, windows):
    sheet = gbk_sheet()
    gaps = [gap for _, gap in DOORS]
    if windows:
        gaps += [rect(x0, BD - T, x1 - x0, T) for x0, x1 in (*WINDOWS, CURTAIN)]
    sheet.lines(cut_lines(CENTRE_LINES, gaps), "WALL")
    for (x, y, width, rotation, mirror), _ in DOORS:  # hinged on the centre line
        dx, dy = (0.0, -0.1) if rotation == 0 else (-0.1, 0.0)
        sheet.door(x + dx, y + dy, width, rotation=rotation, mirror=mirror)
    if windows:  # a window: a thin box across the centre line, and the centre line
        for (x0, x1), layer in zip((*WINDOWS, CURTAIN), ("WINDOW", "WINDOW", "幕墙"), strict=True):
            sheet.parallel_lines((x0, 10.25), (x1, 10.25), (0, 1), [0.0, 0.05, 0.1], layer)
            sheet.lines([((x0, 10.25), (x0, 10.35)), ((x1, 10.25), (x1, 10.35))], layer)
    for label, x, y in WALL_LABELS:
        sheet.text(label, x, y, layer="PUB_TEXT")
    review = sheet.review(tmp_path / "centre-lines.dxf")

    areas = {  # to the centre lines (a window box's inner line is 0.05 m inside: < 1 %)
        "调解室": 5.2 * 8.0,
        "警务室": 5.2 * 8.0,
        "社区办公室": 9.8 * 8.0,
        "走廊": 20.2 * 2.2,
    }
    assert_wall_rooms(review, areas)
    assert all(r.centreline for r in review.plan.rooms)


def test_wide_double_door_is_closed_by_its_door_blocks(tmp_path):
    strips = [rect(0, 0, 15.4, T), rect(0, 10.2, 15.4, T), rect(0, 0, T, 10.4)]
    strips += [rect(15.2, 0, T, 10.4), rect(10.2, 0, T, 10.4)]
    sheet = gbk_sheet()
    sheet.lines(wall_lines(strips, [rect(3.0, 0, 3.6, T), rect(10.2, 4.0, T, 1.0)]))
    sheet.door(3.0, T, 1.8)  # two 1.8 m leaves meeting in the middle
    sheet.door(6.6, T, 1.8, mirror=True)
    sheet.door(10.4, 4.0, 1.0, rotation=90)
    sheet.text("便民服务大厅", 5.0, 5.0, layer="PUB_TEXT")
    sheet.text("调解室", 12.8, 5.0, layer="PUB_TEXT")
    review = sheet.review(tmp_path / "wide-door.dxf")

    hall = room(review, "便民服务大厅")
    assert hall.area == pytest.approx(10.0 * 10.0, rel=WALLS)
    assert hall.source == "walls"
    assert room(review, "调解室").area == pytest.approx(4.8 * 10.0, rel=WALLS)
    assert status(review, "service_hall.area") == "pass"
    quiet(review, "plan.orphan_label")


# ------------------------------------------------------------- 3. units that lie


def outline_plan(sheet: Sheet) -> Sheet:
    """A 20 x 10 m plan of closed room outlines."""
    sheet.outline(rect(0, 0, 20, 10), "WALL")
    sheet.room(0.2, 0.2, 9.8, 9.6, "便民服务大厅")  # 94.08
    sheet.room(10.2, 0.2, 4.6, 4.7, "调解室")  # 21.62
    sheet.room(10.2, 5.1, 4.6, 4.7, "警务室")  # 21.62
    sheet.room(15.0, 0.2, 4.8, 9.6, "阅览室")  # 46.08
    sheet.title("一层平面图 1:100", 10, -2)
    return sheet


def assert_outline_plan(review) -> None:
    areas = {"便民服务大厅": 94.08, "调解室": 21.62, "警务室": 21.62, "阅览室": 46.08}
    found = rooms_by_label(review)
    assert sorted(found) == sorted(areas)
    for label, expected in areas.items():
        assert found[label].area == pytest.approx(expected, abs=AREA), label
    assert review.plan.floors[0].gross_area == pytest.approx(200.0, abs=AREA)


def with_insunits(sheet: Sheet, code: int) -> Sheet:
    sheet.doc.header["$INSUNITS"] = code
    return sheet


@pytest.mark.parametrize(
    "units, factor, name",
    [("mm", 0.001, "millimetres"), ("cm", 0.01, "centimetres"), ("m", 1.0, "metres")],
)
def test_unitless_header_is_inferred_from_the_plan(tmp_path, units, factor, name):
    sheet = with_insunits(outline_plan(Sheet(units=units)), 0)
    review = sheet.review(tmp_path / f"unitless-{units}.dxf")

    assert (review.plan.units.metres_per_unit, review.plan.units.source) == (factor, "inferred")
    assert_outline_plan(review)
    message = warning(review, "plan.units_guessed")
    assert "no $INSUNITS" in message and f"assumed {name}" in message


def test_header_in_metres_on_a_millimetre_plan_is_overridden(tmp_path):
    sheet = with_insunits(outline_plan(Sheet(units="mm")), 6)
    review = sheet.review(tmp_path / "says-metres.dxf")

    assert review.plan.units.metres_per_unit == 0.001
    assert review.plan.units.source == "inferred" and review.plan.units.insunits == 6
    assert_outline_plan(review)
    message = warning(review, "plan.units_guessed")
    assert "$INSUNITS 6" in message and "assumed millimetres" in message


@pytest.mark.parametrize(
    "units, code, name",
    [("mm", 1, "millimetres"), ("mm", 5, "millimetres"), ("cm", 6, "centimetres")],
    ids=["inches-on-mm", "cm-on-mm", "metres-on-cm"],
)
def test_header_in_a_wrong_length_unit_is_overridden(tmp_path, units, code, name):
    sheet = with_insunits(outline_plan(Sheet(units=units)), code)
    review = sheet.review(tmp_path / "wrong-header.dxf")

    assert review.plan.units.metres_per_unit == {"mm": 0.001, "cm": 0.01}[units]
    assert_outline_plan(review)
    assert f"assumed {name}" in warning(review, "plan.units_guessed")


def test_area_label_decides_the_unit(tmp_path):
    # One 6.34 x 4.00 m room: 25,360,000 units² in mm.  Its size alone fits
    # centimetres as well (a 63 m "building"); the printed 25.36㎡ settles it.
    sheet = with_insunits(Sheet(units="mm"), 0)
    sheet.room(0, 0, 6.34, 4.0, "调解室")
    sheet.text("25.36㎡", 3.17, 1.2)
    review = sheet.review(tmp_path / "area-label.dxf")

    assert review.plan.units.metres_per_unit == 0.001
    r = room(review, "调解室")
    assert r.area == pytest.approx(25.36, abs=AREA)
    assert r.declared_area == 25.36
    assert status(review, "room.declared_area") == "pass"
    message = warning(review, "plan.units_guessed")
    assert "assumed millimetres" in message and "area label" in message


def test_unitless_tarch_drawing_with_columns_is_millimetres(tmp_path):
    sheet = with_insunits(tarch_plan(gbk_sheet()), 0)
    review = sheet.review(tmp_path / "tarch-unitless.dxf")

    assert review.plan.units.metres_per_unit == 0.001
    assert "assumed millimetres" in warning(review, "plan.units_guessed")
    assert_wall_rooms(review)


def test_header_in_metres_on_a_millimetre_tarch_drawing(tmp_path):
    sheet = with_insunits(tarch_plan(gbk_sheet()), 6)
    review = sheet.review(tmp_path / "tarch-says-metres.dxf")

    assert review.plan.units.metres_per_unit == 0.001
    assert "$INSUNITS 6" in warning(review, "plan.units_guessed")
    assert_wall_rooms(review)


def test_units_option_overrides_header_and_guess(tmp_path):
    path = with_insunits(tarch_plan(gbk_sheet()), 6).save(tmp_path / "tarch-says-metres.dxf")
    review = planchecker.review(str(path), units="mm")
    assert_invariants(review)

    assert (review.plan.units.metres_per_unit, review.plan.units.source) == (0.001, "option")
    assert_wall_rooms(review)
    quiet(review, "plan.units_guessed")

    result = cli("review", path, "--units", "mm", "--format", "json")
    assert result.exit_code == 1, result.stderr  # a one-floor 212 m² centre fails
    report = json.loads(result.stdout)
    assert (report["units"]["source"], report["units"]["metres_per_unit"]) == ("option", 0.001)
    police = next(r for r in report["rooms"] if r["label"] == "警务室")
    assert police["area_m2"] == pytest.approx(38.94, abs=0.01)
    assert police["source"] == "walls"


def test_units_option_cm_on_a_metre_header(tmp_path):
    # A plan drawn in cm whose header says metres (a 2 km "building"): --units cm
    # gives the true plan, whatever the header and the guess make of it.
    path = with_insunits(outline_plan(Sheet(units="cm")), 6).save(tmp_path / "cm.dxf")
    review = planchecker.review(str(path), units="cm")
    assert_invariants(review)

    assert (review.plan.units.metres_per_unit, review.plan.units.source) == (0.01, "option")
    assert_outline_plan(review)
    quiet(review, "plan.units_guessed")


# ------------------------------------------------------------------ 4. TArch proxies


def proxies(
    sheet: Sheet, n: int, kind: str = "ACAD_PROXY_ENTITY", first: int = 0x9000
) -> list[str]:
    owner = modelspace_owner(sheet)
    layers = ("WALL", "WINDOW", "SPACE", "PUB_TEXT")
    return [proxy_tags(first + i, owner, layers[i % 4], kind) for i in range(n)]


@pytest.mark.parametrize(
    "kind, sheet_too",
    [("ACAD_PROXY_ENTITY", False), ("TCH_WALL", False), ("ACAD_PROXY_ENTITY", True)],
    ids=["proxies", "tch-entities", "proxies-in-a-framed-sheet"],
)
def test_drawing_of_only_tarch_objects_exits_2_asking_for_t3(tmp_path, kind, sheet_too):
    sheet = gbk_sheet()
    if sheet_too:  # what TArch leaves readable: the frame, the axis lines, the title
        sheet.frame(-12.0, -14.0, 34.0, 18.0)
        sheet.axis_grid([0.1, 5.3, 10.5, 20.3], [0.1, 2.3, 10.3], reach=4.0)
        sheet.title("一层平面图 1:100", 10.2, -5.5)
    path = inject_entities(
        sheet.save(tmp_path / "tarch-objects.dxf"), sheet, proxies(sheet, 40, kind)
    )

    with pytest.raises(DrawingError) as info:
        planchecker.review(str(path))
    assert "no floor plan found" in str(info.value) and "T3" in str(info.value)

    line = one_line_error(cli("review", path))
    assert line.count(str(path)) == 1
    assert "no floor plan found" in line and "T3" in line and "40" in line


def test_tarch_objects_beside_ordinary_rooms_are_counted_and_skipped(tmp_path):
    sheet = code_page_plan(gbk_sheet())
    path = sheet.save(tmp_path / "half-exported.dxf")
    entities = proxies(sheet, 25) + proxies(sheet, 5, "TCH_OPENING", first=0xA000)
    inject_entities(path, sheet, entities)
    review = planchecker.review(str(path))
    assert_invariants(review)

    assert_code_page_rooms(review)
    message = warning(review, "plan.read_quality")
    assert "30 proxy" in message and "T3" in message


# ---------------------------------------------------------------------- 5. clutter


def clutter(sheet: Sheet) -> Sheet:
    """Everything a real sheet holds besides rooms, around and inside the TArch plan."""
    # furniture and sanitary blocks, one desk right under 调解室's name
    sheet.rect_block("DESK-1600", 1.6, 0.8)
    sheet.rect_block("CHAIR", 0.5, 0.5)
    sheet.rect_block("蹲便器", 0.6, 1.2)
    sheet.rect_block("A$C5E2B1F07", 2.4, 1.2)  # an anonymous-looking conference table ...
    sheet.insert("DESK-1600", 2.7, 6.0)
    sheet.insert("CHAIR", 2.7, 5.3)
    sheet.insert("DESK-1600", 7.9, 4.0, rotation=90)
    sheet.insert("蹲便器", 9.8, 9.0, layer="洁具")
    sheet.insert("A$C5E2B1F07", 15.4, 6.0, layer="家具")  # ... under 社区办公室's name
    # dimensions: real DIMENSION entities and an exploded chain
    sheet.dimension((0.0, 0.0), (BW, 0.0), offset=2.0)
    sheet.dimension((0.0, 0.0), (0.0, BD), offset=2.0)
    for x0, x1 in ((0.0, 5.3), (5.3, 10.5), (10.5, BW)):
        sheet.exploded_dimension((x0, BD), (x1, BD), offset=-1.5)
    # an axis grid with bubbles through the rooms
    sheet.axis_grid([0.1, 5.3, 10.5, 20.3], [0.1, 2.3, 10.3], reach=4.0)
    # the walls hatched (ANSI31), on the wall layer itself
    for part in shapely.get_parts(wall_solid(WALL_STRIPS, [g for _, g in DOORS], COLUMNS)):
        sheet.hatch(
            list(part.exterior.coords)[:-1],
            "WALL",
            holes=[list(h.coords)[:-1] for h in part.interiors],
        )
    # a north arrow (a block of a circle and a filled arrow) and a loose one on DIM_SYMB
    north = sheet.block("指北针")
    north.add_circle((0, 0), 1200)
    north.add_lwpolyline([(0, 1200), (-300, -1200), (0, -800), (300, -1200)], close=True)
    sheet.insert("指北针", 25.0, 12.0)
    sheet.msp.add_circle(sheet.at(-5.0, 12.0), 1200, dxfattribs={"layer": "DIM_SYMB"})
    sheet.text("北", -5.0, 13.6, layer="DIM_SYMB")
    # room-number tags: 101 in a small box
    for number, x, y in (("101", 1.0, 9.6), ("102", 6.2, 9.6), ("103", 11.4, 9.0)):
        sheet.outline(rect(x - 0.4, y - 0.25, 0.8, 0.5), "0")
        sheet.text(number, x, y, layer="PUB_TEXT")
    # a zero-area closed polyline
    sheet.outline([(12.0, 4.0), (14.0, 4.0), (13.0, 4.0)], "0")
    # the sheet frame with its title block, and the plan's title
    sheet.frame(-12.0, -14.0, 34.0, 18.0)
    sheet.title("一层平面图 1:100", 10.2, -5.5)
    return sheet


def test_clutter_becomes_no_room_and_no_label(tmp_path):
    sheet = clutter(tarch_plan(gbk_sheet()))
    style = sheet.shx_style()
    for t in sheet.msp.query("TEXT"):
        t.dxf.style = style  # every text in an SHX font
    review = sheet.review(tmp_path / "cluttered.dxf")

    assert_wall_rooms(review)
    (floor,) = review.plan.floors
    assert (floor.level, floor.level_source, floor.name) == (1, "title", "一层平面图")
    assert floor.gross_area == pytest.approx(BW * BD, rel=WALLS)
    assert not review.plan.orphan_labels
    # the zero-area polyline is dropped and said so; nothing else was lost
    assert warning(review, "plan.read_quality").endswith(
        "1 closed outlines with no area were dropped"
    )


def test_clutter_around_outline_rooms(tmp_path):
    # The same clutter where rooms are closed outlines: exact areas, nothing extra.
    sheet = gbk_sheet()
    outlined = {  # the wall plan's rooms, outlined on SPACE, columns cut out by hand
        "调解室": [
            (0.2, 2.4),
            (5.1, 2.4),
            (5.1, 2.5),
            (5.2, 2.5),
            (5.2, 10.0),
            (5.1, 10.0),
            (5.1, 10.2),
            (0.2, 10.2),
        ],
        "阅览室": rect(10.6, 2.4, 9.6, 7.8),
        "走廊": rect(0.2, 0.2, 20.0, 2.0),
    }
    for label, corners in outlined.items():
        sheet.outline(corners, "SPACE")
        sheet.text(
            label,
            *{"调解室": (2.7, 6.0), "阅览室": (15.4, 6.0), "走廊": (15.0, 1.2)}[label],
            layer="PUB_TEXT",
        )
    sheet.lines(wall_lines(WALL_STRIPS, [g for _, g in DOORS], COLUMNS), "WALL")
    for corners in COLUMNS:
        sheet.column(*corners[0], 0.4, 0.4)
    clutter(sheet)
    review = sheet.review(tmp_path / "cluttered-outlines.dxf")

    found = rooms_by_label(review)
    assert sorted(found) == sorted(["走廊", "调解室", "阅览室"])
    assert found["调解室"].area == pytest.approx(shoelace(outlined["调解室"]), abs=AREA)
    assert found["调解室"].area == pytest.approx(38.97, abs=AREA)
    assert found["阅览室"].area == pytest.approx(74.88 - 0.03, abs=AREA)  # columns cut out
    assert found["走廊"].area == pytest.approx(40.0 - 0.08, abs=AREA)
    assert all(r.source == "outline" for r in found.values())
    quiet(review, "plan.unlabelled_room", "plan.orphan_label")


def test_bow_tie_room_outline_is_repaired_and_warned(tmp_path):
    # 调解室 drawn 5 x 4 m, but its last vertex overshoots the first edge: the
    # outline crosses itself near (0, 0) and encloses a tiny loop outside.
    sheet = Sheet(units="mm")
    sheet.outline([(0, 0), (5, 0), (5, 4), (0, 4), (0.1, -0.1)])
    sheet.text("调解室", 2.5, 2.0)
    sheet.room(5.2, 0, 5, 4.4, "警务室")
    review = sheet.review(tmp_path / "bow-tie.dxf")

    crossing = 0.1 * 4 / 4.1  # where the edge (0, 4) -> (0.1, -0.1) crosses y = 0
    expected = shoelace([(crossing, 0), (5, 0), (5, 4), (0, 4)])
    r = room(review, "调解室")
    assert r.area == pytest.approx(expected, abs=AREA)  # 19.80: the loop is gone
    assert r.polygon.is_valid
    assert len(review.plan.rooms) == 2
    assert "self-intersecting" in warning(review, "plan.read_quality")


def test_duplicated_outline_is_one_room(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 6.34, 4.0, "调解室")
    sheet.outline(rect(0, 0, 6.34, 4.0))  # drawn twice, on the same layer
    sheet.outline(rect(6.34, 0, -6.34, 4.0), "SPACE")  # and again, clockwise, on another
    sheet.room(6.54, 0, 5, 4.2, "警务室")
    review = sheet.review(tmp_path / "twice.dxf")

    assert sorted(r.label for r in review.plan.rooms) == ["警务室", "调解室"]
    assert room(review, "调解室").area == pytest.approx(25.36, abs=AREA)
    quiet(review, "plan.unlabelled_room")


def test_counter_inside_the_hall_is_no_room(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 12, 8, None)
    sheet.text("便民服务大厅", 6.0, 5.0)
    sheet.outline(rect(2.0, 1.5, 6.0, 0.8), "0")  # the service counter, unnamed
    sheet.outline(rect(9.0, 1.0, 2.0, 2.0), "0")  # a waiting-area island
    sheet.room(12.2, 0, 5, 4.2, "调解室")
    review = sheet.review(tmp_path / "counter.dxf")

    assert sorted(r.label for r in review.plan.rooms) == ["便民服务大厅", "调解室"]
    hall = room(review, "便民服务大厅")
    assert hall.area == pytest.approx(96.0, abs=AREA)  # nothing cut out
    assert status(review, "service_hall.area") == "pass"
    quiet(review, "plan.unlabelled_room")


def test_counter_named_on_the_plan_is_still_no_room(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 12, 8, None)
    sheet.text("便民服务大厅", 6.0, 5.0)
    sheet.outline(rect(2.0, 1.5, 6.0, 0.8), "0")
    sheet.text("服务台", 5.0, 1.9, height=0.25)  # the counter, named as drawn
    sheet.room(12.2, 0, 5, 4.2, "调解室")
    review = sheet.review(tmp_path / "counter-named.dxf")

    assert sorted(r.label for r in review.plan.rooms) == ["便民服务大厅", "调解室"]
    assert room(review, "便民服务大厅").area == pytest.approx(96.0, abs=AREA)


def test_unbound_xref_exits_2_saying_bind_it(tmp_path):
    sheet = gbk_sheet()
    sheet.doc.add_xref_def("一层平面.dxf", "XREF-一层平面")
    sheet.msp.add_blockref("XREF-一层平面", (0, 0))
    sheet.frame(-12.0, -14.0, 34.0, 18.0)  # the sheet around it is all that is drawn
    path = sheet.save(tmp_path / "with-xref.dxf")

    with pytest.raises(DrawingError) as info:
        planchecker.review(str(path))
    assert "no floor plan found" in str(info.value)

    line = one_line_error(cli("review", path))
    assert "no floor plan found" in line and "bind" in line.lower() and "xref" in line.lower()


def test_elevation_and_section_beside_the_plan_give_no_rooms(tmp_path):
    sheet = gbk_sheet()
    sheet.room(0.2, 0.2, 9.8, 9.6, "便民服务大厅")
    sheet.room(10.2, 0.2, 5.0, 4.6, "调解室")  # 23
    sheet.room(10.2, 5.0, 5.0, 4.8, "社区办公室")  # 24
    sheet.outline(rect(0, 0, 15.4, 10.0), "WALL")
    sheet.title("一层平面图 1:100", 7.7, -2.0)
    # 南立面图: the façade, windows and a door, floor lines, level marks
    sheet.outline(rect(25, 0, 15.4, 7.8), "0")
    for i in range(4):
        sheet.outline(rect(26 + 3.6 * i, 1.0, 1.8, 1.8), "0")
        sheet.outline(rect(26 + 3.6 * i, 4.6, 1.8, 1.8), "0")
    sheet.line((25, 3.9), (40.4, 3.9), "0")
    sheet.text("±0.000", 41.5, 0.0)
    sheet.text("3.900", 41.5, 3.9)
    sheet.text("便民服务大厅", 30.0, 2.0)  # a callout on the façade
    sheet.title("南立面图 1:100", 32.7, -2.0)
    # 1-1剖面图: two storeys cut through, rooms named in the section
    sheet.outline(rect(50, 0, 15.4, 3.9), "0")
    sheet.outline(rect(50, 3.9, 15.4, 3.9), "0")
    sheet.line((60.2, 0), (60.2, 7.8), "0")
    sheet.text("调解室", 55.0, 2.0)
    sheet.text("党员活动室", 55.0, 5.8)
    sheet.text("走廊", 62.8, 2.0)
    sheet.title("1-1剖面图 1:100", 57.7, -2.0)
    review = sheet.review(tmp_path / "plan-elevation-section.dxf")

    found = rooms_by_label(review)
    assert sorted(found) == ["便民服务大厅", "社区办公室", "调解室"]
    assert found["调解室"].area == pytest.approx(23.0, abs=AREA)
    assert [f.level for f in review.plan.floors] == [1]
    assert review.plan.floors[0].gross_area == pytest.approx(154.0, abs=AREA)
    assert status(review, "party_activity.area") == "fail"  # only in the section
    quiet(review, "plan.unlabelled_room", "plan.orphan_label")


# -------------------------------------------------------------- 6. labels as drawn


def test_name_split_over_two_texts(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 4.0, 24.0, None)  # a narrow, deep hall: 96 m²
    sheet.text("便民服务", 2.0, 12.3)
    sheet.text("大厅", 2.0, 11.7)
    review = sheet.review(tmp_path / "split-texts.dxf")

    hall = room(review, "便民服务大厅")
    assert hall.functions == ("service_hall",)
    assert hall.area == pytest.approx(96.0, abs=AREA)
    assert status(review, "service_hall.area") == "pass"
    quiet(review, "plan.orphan_label")


@pytest.mark.parametrize(
    "mtext",
    [r"居民议事\P(说事)室", r"居民议事\P（说事）室", r"{\fSimSun|b0;居民议事}\P{\H0.7x;(说事)室}"],
)
def test_name_split_over_two_mtext_lines(tmp_path, mtext):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 8.0, 5.5, None)
    sheet.mtext(mtext, 4.0, 2.75)
    review = sheet.review(tmp_path / "split-mtext.dxf")

    (r,) = review.plan.rooms
    assert r.functions == ("residents_council",)
    assert r.area == pytest.approx(44.0, abs=AREA)
    assert status(review, "residents_council.area") == "pass"


@pytest.mark.parametrize(
    "label", ["101 警务室", "警务室 101", "警务室101", "A-101 警务室", "1F-03警务室"]
)
def test_room_numbers_around_the_name(tmp_path, label):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 5.0, 4.2, label)
    review = sheet.review(tmp_path / "numbered.dxf")

    (r,) = review.plan.rooms
    assert (r.label, r.functions) == ("警务室", ("police",))
    assert r.area == pytest.approx(21.0, abs=AREA)
    assert status(review, "police.area") == "pass"


AREA_NOTES = [
    "25.36㎡",
    "25.36m2",
    "25.36 m²",
    "S=25.36",
    "面积:25.36",
    "面积：25.36㎡",
    "S＝25.36",
    "25.36M2",
]


@pytest.mark.parametrize("note", AREA_NOTES)
@pytest.mark.parametrize("where", ["own-text", "same-text", "mtext-line"])
def test_area_notes_in_every_common_form(tmp_path, note, where):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 6.34, 4.0, None)  # 25.36 m²
    if where == "own-text":
        sheet.text("调解室", 3.17, 2.4)
        sheet.text(note, 3.17, 1.6, height=0.25)
    elif where == "same-text":
        sheet.text(f"调解室 {note}", 3.17, 2.0)
    else:
        sheet.mtext(f"调解室\\P{note}", 3.17, 2.0)
    review = sheet.review(tmp_path / "area-note.dxf")

    (r,) = review.plan.rooms
    assert (r.label, r.functions) == ("调解室", ("mediation",))
    assert r.declared_area == 25.36
    assert r.area == pytest.approx(25.36, abs=AREA)
    assert status(review, "room.declared_area") == "pass"
    quiet(review, "plan.orphan_label", "plan.unlabelled_room")


def test_declared_area_that_disagrees_warns(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 6.34, 4.0, None)  # 25.36 m² drawn ...
    sheet.text("调解室", 3.17, 2.4)
    sheet.text("面积：30.00㎡", 3.17, 1.6, height=0.25)  # ... 30 m² claimed
    review = sheet.review(tmp_path / "area-claimed.dxf")

    assert room(review, "调解室").declared_area == 30.0
    assert "30" in warning(review, "room.declared_area")


@pytest.mark.parametrize(
    "label, functions",
    [
        ("居民议事（说事）室", ("residents_council",)),
        ("调解室／社会工作室", ("mediation", "social_work")),
        ("【警务室】", ("police",)),
        ("党员活动室（多功能室）", ("party_activity",)),
        ("调解室　", ("mediation",)),  # an ideographic space typed to centre it
    ],
)
def test_full_width_forms(tmp_path, label, functions):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 10.0, 6.5, label)  # 65 m²: meets every minimum here
    review = sheet.review(tmp_path / "full-width.dxf")

    (r,) = review.plan.rooms
    assert r.functions == functions
    for function in functions:
        assert status(review, f"{function}.area") == "pass"


def test_name_just_outside_a_small_room(tmp_path):
    # Two 2 m² cubicles at the plan's edge; their names sit just below them, outside
    # every outline (the text was too wide for the room).
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 12, 8, "便民服务大厅")
    sheet.room(12.2, 6.0, 1.0, 2.0, None)  # 2 m²
    sheet.room(13.4, 6.0, 1.0, 2.0, None)  # 2 m²
    sheet.room(12.2, 0.0, 2.2, 5.8, "卫生间")
    sheet.text("无障碍卫生间", 12.6, 8.35, height=0.3)  # 0.35 m above the first
    sheet.text("工作人员卫生间", 14.0, 8.3, height=0.3)  # 0.3 m above the second
    review = sheet.review(tmp_path / "outside.dxf")

    accessible = room(review, "无障碍卫生间")
    staff = room(review, "工作人员卫生间")
    assert accessible.polygon.bounds[0] == pytest.approx(12.2)
    assert staff.polygon.bounds[0] == pytest.approx(13.4)
    assert accessible.area == pytest.approx(2.0, abs=AREA)
    assert accessible.label_outside and staff.label_outside
    assert accessible.functions == ("accessible_toilet",)
    assert status(review, "accessible_toilet.present") == "pass"
    assert status(review, "accessible_toilet.area") == "fail"  # 2 m² < 4 m²
    message = warning(review, "room.label_outside")
    assert "无障碍卫生间" in message and "工作人员卫生间" in message
    assert set(review.finding("room.label_outside").rooms) == {accessible.id, staff.id}
    quiet(review, "plan.orphan_label", "plan.unlabelled_room")


def test_name_far_outside_every_room_is_an_orphan(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 12, 8, "便民服务大厅")
    sheet.room(12.2, 6.0, 1.0, 2.0, None)
    sheet.text("无障碍卫生间", 12.7, 11.0, height=0.3)  # 3 m away: no room's name
    review = sheet.review(tmp_path / "far.dxf")

    assert all(r.label != "无障碍卫生间" for r in review.plan.rooms)
    assert "无障碍卫生间" in warning(review, "plan.orphan_label")
    assert status(review, "accessible_toilet.present") == "fail"
    quiet(review, "room.label_outside")


def test_two_names_for_different_functions_in_one_room(tmp_path):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 6.34, 4.0, None)
    sheet.text("调解室", 1.6, 2.0)
    sheet.text("社会工作室", 4.7, 2.0)
    review = sheet.review(tmp_path / "two-names.dxf")

    (r,) = review.plan.rooms
    assert set(r.functions) == {"mediation", "social_work"}
    assert r.area == pytest.approx(25.36, abs=AREA)
    assert status(review, "mediation.area") == "pass"
    assert status(review, "social_work.area") == "pass"
    assert r.label_conflict
    warning(review, "room.label_conflict")
    assert review.finding("room.label_conflict").rooms == (r.id,)


@pytest.mark.parametrize("second", ["人民调解室", "调解室", "储藏室"])
def test_two_names_that_agree_do_not_warn(tmp_path, second):
    sheet = Sheet(units="mm")
    sheet.room(0, 0, 6.34, 4.0, None)
    sheet.text("调解室", 1.6, 2.0)
    sheet.text(second, 4.7, 2.0)
    review = sheet.review(tmp_path / "two-names.dxf")

    (r,) = review.plan.rooms
    assert r.functions == ("mediation",)
    assert not r.label_conflict
    quiet(review, "room.label_conflict")
