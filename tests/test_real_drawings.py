"""The review on real drawings made by other people (../shared/realdxf): the rooms a
person sees in them.

`tests/test_reading_real.py` tests the read stage on these files; this file tests the
whole review (`planchecker.review` and `planchecker review` on the command line): no
traceback ever, the exit code, and the rooms, floors and areas a person sees.

How the expectations were made: each drawing was rendered to PNG with
`ezdxf.addons.drawing` (matplotlib), zoomed to its plan views and looked at; room
names were read off the drawing; areas were measured independently of the checker:
from the dimension texts (axis spacings, wall thicknesses) and from the wall, column
and outline coordinates, multiplied out by hand or computed with shapely.  Where the
checker's answer differs from what a person sees, the test states the right answer
and is marked ``xfail(strict=True, reason="BUG: ...")`` with the stage at fault.

The files are not in the repository (most carry no licence); the tests skip, saying
why, when the folder or a file is absent.  Each file is reviewed once per module.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner

import planchecker
from planchecker.cli import main
from planchecker.errors import DrawingError
from planchecker.model import Review, Room

REAL = Path(__file__).resolve().parents[2] / "shared" / "realdxf"

HOSPITAL = "vre-spark__cad_033O.dxf"
HOUSE = "Plans__plan.dxf"
PUMP_HOUSE = "BAA__20210409-3#泵房_t3.dxf"
SCHEMATIC = "BAA__E-00-11-01电力配电箱系统图.dxf"
PAVILION = "barcelona-pavillion__plan.dxf"
PAVILION_R12 = "barcelona-pavillion__plan_exported.dxf"
OFFICE = "osmAG-from-cad__office.dxf"
TRUNCATED = "osmAG-from-cad__A-A2-10-03_truncated.dxf"

pytestmark = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"real drawings not available ({REAL} is absent)"
)

# The verdict is "fail" for every real plan (none is a service centre: the standard's
# functions are missing), so a plan exits 1; a drawing that cannot be reviewed exits 2
# with the words given here on stderr.
EXIT = {
    HOSPITAL: (1, ""),
    HOUSE: (1, ""),
    PUMP_HOUSE: (1, ""),
    SCHEMATIC: (2, "no floor plan found"),
    PAVILION: (1, ""),
    PAVILION_R12: (1, ""),
    OFFICE: (1, ""),
    TRUNCATED: (2, "truncated or damaged"),
}

_NO_GLASS = (
    "BUG: extraction/layers.py gives layer 'Crystal' (the glass walls) Role.OTHER, and "
    "assemble._wall_segments keeps only WALL/WINDOW/COLUMN lines once the drawing has a "
    "wall layer, so the glazed sides of every room are open, wall_faces finds 1 room "
    "face, and the plan is rejected with exit 2 'no floor plan found'. Fix: add "
    "GLASS|CRYSTAL|GLAS|VITR|玻璃 to the WINDOW pattern"
)
_R12_GRID = (
    "BUG: the R12 export has every line on layer '0' inside two SHAPE2DVIEW blocks, with "
    "the 1 m floor-tile grid drawn through the rooms; with no layer roles every line "
    "bounds rooms, so wall_faces gives 1 room face and 1,044 tile-sized strips and the "
    "plan is rejected ('no floor plan found: its 3,988 lines enclose no room-sized "
    "space ...', which at least says why). Fix: before polygonising, drop the edges of "
    "a paving pattern (hundreds of equal 0.99 m squares on a 1 m lattice)"
)
EXIT_MARKS = {PAVILION_R12: _R12_GRID}


class Reviews:
    """Each real file reviewed once: the Review, or the DrawingError it raised."""

    def __init__(self) -> None:
        self._done: dict[str, Review | DrawingError] = {}

    def outcome(self, name: str) -> Review | DrawingError:
        path = REAL / name
        if not path.is_file():
            pytest.skip(f"{name} is not in {REAL}")
        if name not in self._done:
            try:
                self._done[name] = planchecker.review([path])
            except DrawingError as exc:  # any other exception fails the test
                self._done[name] = exc
        return self._done[name]

    def __call__(self, name: str) -> Review:
        result = self.outcome(name)
        assert isinstance(result, Review), f"{name}: {result}"
        return result


@pytest.fixture(scope="module")
def reviews() -> Reviews:
    return Reviews()


def key(label: str) -> str:
    """A label compared as a person reads it: case and spaces ignored."""
    return re.sub(r"\s+", "", label).upper()


def named(review: Review, label: str, level: int | None = None) -> list[Room]:
    return [
        r
        for r in review.plan.rooms
        if key(label) in [key(part) for part in r.label.split("/")]
        and (level is None or r.level == level)
    ]


def one_named(review: Review, label: str, level: int | None = None) -> Room:
    rooms = named(review, label, level)
    assert len(rooms) == 1, [(r.id, r.label, round(r.area, 2)) for r in review.plan.rooms]
    return rooms[0]


def room_at(review: Review, x: float, y: float) -> Room:
    hits = [r for r in review.plan.rooms if r.polygon.contains(shapely.Point(x, y))]
    assert len(hits) == 1, [(r.id, r.label, round(r.area, 2)) for r in hits]
    return hits[0]


def status(review: Review, rule: str) -> str:
    finding = review.finding(rule)
    assert finding is not None, rule
    return finding.status


def within(measured: float, expected: float, rel: float) -> bool:
    return abs(measured - expected) <= rel * expected


# ------------------------------------------------------------------- every file


def _param(name: str):
    if name in EXIT_MARKS:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=EXIT_MARKS[name]))
    return name


@pytest.mark.parametrize("name", [_param(n) for n in EXIT])
def test_api_reviews_or_raises_drawing_error(reviews: Reviews, name: str) -> None:
    """No exception but DrawingError ever; a plan gives a Review, the rest say why."""
    result = reviews.outcome(name)
    code, words = EXIT[name]
    if code == 2:
        assert isinstance(result, DrawingError)
        assert words in str(result)
    else:
        assert isinstance(result, Review), str(result)
        assert result.plan.floors and result.plan.rooms
        assert len(result.findings) == len(result.standard.rules)


@pytest.mark.parametrize("name", [_param(n) for n in EXIT])
def test_cli_exit_code_and_no_traceback(name: str) -> None:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {REAL}")
    result = CliRunner().invoke(main, ["review", str(path), "--format", "json", "--lang", "en"])
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    code, words = EXIT[name]
    assert result.exit_code == code, result.output[-500:]
    if code == 2:
        assert words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1  # one line, no traceback
        assert result.stdout == ""
    else:
        report = json.loads(result.stdout)
        assert report["verdict"] == "fail"
        assert report["rooms"]
        assert {r["source"] for r in report["rooms"]} <= {"outline", "hatch", "walls"}


# ------------------------------------------------------------ Plans__plan.dxf
# A UK house, ground floor, $INSUNITS 0 with geometry in millimetres.  One layer per
# room ("Room - Kitchen" ...) holds the designer's outline of that room.  A person sees
# ten named rooms: KITCHEN and LIVING AREA are one open-plan room (one outline, two
# names), PANTRY has walls but no outline, HALLWAY's outline is an open LWPOLYLINE
# whose gap is closed by a LINE on the same layer.  Two stair wells (one open to the
# hallway, one behind the UTILITY wall) carry neither a name nor an outline: a
# person may or may not count them, hence 10 to 12 rooms.

HOUSE_NAMES = {
    "KITCHEN",
    "GYM",
    "STUDY",
    "PANTRY",
    "HALLWAY",
    "TV ROOM",
    "WC",
    "ENTRANCE",
    "COATS",
    "UTILITY",
}

# Areas (m²) from the outline vertices on the "Room - *" layers, in mm, multiplied
# out by hand: a rectangle is (x1 - x0) * (y1 - y0).
HOUSE_OUTLINE_AREAS = {
    "GYM": 3.915 * 3.113,  # (-14663..-10748) x (6466..9579)
    "TV ROOM": 4.290 * 4.634,  # (-14663..-10373) x (-2811..1823)
    "WC": 1.590 * 2.477,  # (-10183..-8593) x (-1911..566)
    "ENTRANCE": 2.035 * 2.622,  # (-8473..-6438) x (-2071..551)
    "COATS": 2.230 * 2.477,  # (-6318..-4088) x (-1911..566), layer "Room - Cloak Room"
    # an L: 3.915 x 4.343 plus the 0.375 x 1.143 step at (-10748..-10373, 1973..3116)
    "STUDY": 3.915 * 4.343 + 0.375 * 1.143,
    # 4.290 x 5.977 less the notch 0.600 x 2.817 at (-4538..-3938, -2101..716)
    "UTILITY": 4.290 * 5.977 - 0.600 * 2.817,
    "KITCHEN": 9.561 * 7.794,  # (-10394..-833) x (6641..14435), with LIVING AREA
}


def test_house_units_guessed_as_millimetres(reviews: Reviews) -> None:
    review = reviews(HOUSE)
    assert review.plan.units.metres_per_unit == 0.001
    assert review.plan.units.source == "inferred"
    assert status(review, "plan.units_guessed") == "warn"
    assert [f.level for f in review.plan.floors] == [1]
    assert status(review, "plan.floor_assumed") == "warn"  # no floor title anywhere


def test_house_rooms_a_person_sees(reviews: Reviews) -> None:
    review = reviews(HOUSE)
    assert 10 <= len(review.plan.rooms) <= 12
    labelled = [r for r in review.plan.rooms if r.label]
    assert len(labelled) == 10
    seen = {key(part) for r in labelled for part in r.label.split("/")}
    assert {key(n) for n in HOUSE_NAMES - {"KITCHEN"} | {"LIVING AREA"}} <= seen
    # KITCHEN and LIVING AREA share one outline: one room, not two
    open_plan = named(review, "LIVING AREA") + named(review, "KITCHEN")
    assert len({r.id for r in open_plan}) == 1


@pytest.mark.parametrize("label", sorted(HOUSE_OUTLINE_AREAS))
def test_house_outlined_room_areas(reviews: Reviews, label: str) -> None:
    review = reviews(HOUSE)
    lookup = "LIVING AREA" if label == "KITCHEN" else label  # see the xfail below
    room = one_named(review, lookup)
    assert room.source == "outline"
    assert room.area == pytest.approx(HOUSE_OUTLINE_AREAS[label], abs=0.01)


def test_house_pantry_from_its_walls(reviews: Reviews) -> None:
    # No outline: the walls' inner faces are x -10.598..-8.775, y 3.266..6.316 (a
    # 150 mm wall to the STUDY at -10.748, the door closed across its opening at the
    # top), i.e. 1.8225 m x 3.050 m = 5.558 m².
    room = one_named(reviews(HOUSE), "PANTRY")
    assert room.source == "walls"
    assert within(room.area, 1.8225 * 3.050, 0.01)


def test_house_hallway_is_its_outline(reviews: Reviews) -> None:
    # shapely area of the open polyline's 14 vertices closed by the LINE: 18.5816 m²
    room = one_named(reviews(HOUSE), "HALLWAY")
    assert room.source == "outline"
    assert room.area == pytest.approx(18.58, abs=0.01)


def test_house_open_plan_room_has_both_names(reviews: Reviews) -> None:
    room = one_named(reviews(HOUSE), "LIVING AREA")
    assert key("KITCHEN") in [key(p) for p in room.label.split("/")]


def test_house_labels_as_drawn(reviews: Reviews) -> None:
    labels = {r.label for r in reviews(HOUSE).plan.rooms}
    assert "TV ROOM" in labels
    assert any("LIVING AREA" in label.split("/") for label in labels)


# ------------------------------------------------- BAA__20210409-3#泵房_t3.dxf
# A TArch (T3) sheet set in one modelspace, GBK, $INSUNITS 0 (mm): a drawing list,
# notes, then a sheet with 一层平面图 and 地下一层平面图 side by side, a sheet with
# 屋顶平面图 + 1-1剖面图 + details, a sheet of elevations.  Axes 1-2-3 at 6300 +
# 6300, A..E at 4 x 5550 (22200), walls 200 thick centred on the axes, 400 x 400
# columns; 本层建筑面积：286.73m2 under each plan = 12.8 x 22.4 m to the outer faces.
#   一层 (ground): a 200 partition on axis C splits it into two rooms:
#     消防水泵房 (C..E) and 生活和冷却水补水泵房 (A..C), each 12.4 x 10.9 m between
#     wall faces (x 27.2226..39.6226; y 111.1892..122.0897 and 100.0892..110.9892):
#     135.17 m², less the column corners standing in it (0.56 m², shapely from the
#     COLUMN outlines) = 134.61 m².  Inside them are equipment and floor features,
#     not rooms: 2 inspection manholes 下人孔 (1.44 m squares on layer 建-留洞), 2
#     hatched 结构降板 strips (1.0 m wide lowered slab), a 0.9 x 2.8 m pump frame.
#   地下一层 (basement): one room, 消防水池 (fire-water tank), 12.2 x 21.8005 m between
#     the 300 walls (x 51.3806..63.5806, y 100.1892..121.9897) = 265.97 m², less
#     columns 0.84 m² = 265.13 m²; the two 下人孔投影 squares are the manholes above,
#     drawn in projection.
# So a person sees 3 rooms on 2 floors; the checker finds 7 rooms on 1 floor.

PUMP_ROOM_AREA = 12.4 * 10.9005 - 0.56  # 134.61 m²
TANK_AREA = 12.2 * 21.8005 - 0.84  # 265.13 m²
PUMP_FLOOR_GROSS = 12.8 * 22.4  # 286.72 m², stated as 286.73


def test_pump_house_read_as_gbk_millimetres(reviews: Reviews) -> None:
    review = reviews(PUMP_HOUSE)
    assert review.plan.encoding == "gbk"
    assert review.plan.units.metres_per_unit == 0.001
    assert status(review, "plan.units_guessed") == "warn"


def test_pump_house_ground_floor_rooms_named(reviews: Reviews) -> None:
    review = reviews(PUMP_HOUSE)
    floor = next(f for f in review.plan.floors if f.level == 1)
    assert floor.name == "一层平面图" and floor.level_source == "title"
    for label in ("消防水泵房", "生活和冷却水补水泵房"):
        room = one_named(review, label, level=1)
        assert room.source == "walls"
        assert room.area > 100  # not a title block cell, not a notes table
    # nothing from the drawing list, notes, roof, section, elevations or title block:
    # every room lies in the ground-floor plan (x 25..44 m) or the basement plan
    # (x 49..64.5 m), y 98..125 m
    plans = {1: (25.0, 44.0), -1: (49.0, 64.5)}
    for room in review.plan.rooms:
        x0, y0, x1, y1 = room.polygon.bounds
        left, right = plans[room.level]
        assert left < x0 and x1 < right and y0 > 98 and y1 < 125, room


def test_pump_house_declared_floor_area_read(reviews: Reviews) -> None:
    review = reviews(PUMP_HOUSE)
    floor = next(f for f in review.plan.floors if f.level == 1)
    assert floor.declared_gross_area == pytest.approx(286.73)
    assert within(floor.gross_area, 286.73, 0.02)  # the standard's tolerance
    assert review.plan.declared_total_area == pytest.approx(573.46)
    assert status(review, "building.declared_area") in ("pass", "warn")


_PUMP_FALSE_ROOMS = (
    "BUG: 5 false rooms on the ground floor, each also cut out of its pump room "
    "(129.32 and 124.86 m² instead of 134.61). (1) 下人孔 manholes: nested 1.0/1.44/"
    "1.84 m squares on layer '建-留洞' (reserved hole, Role.OTHER); the note 下人孔 "
    "(equipment, not a room name) picks the 1.44 m one (2.07 m²) as the smallest "
    "candidate holding it, and rooms._rooms_from_walls cuts it out of the pump room; "
    "(2) two 1.0 m wide "
    "'结构降板' strips (x 27.2226..28.2226, y 116.84..120.05 and 105.74..110.89): a "
    "HATCH plus LINEs on the bound-xref layer '1209-3#泵房001（水反资1210）$0$WALL', whose "
    "lines _wall_segments takes as walls, so the strip is its own face; (3) a closed "
    "0.9 x 2.8 m polyline on layer 'WALL' inside the pasted plumbing block "
    "A$C29236F82 (a pump frame), a hole in the room and an unlabelled room. Fix: "
    "留洞|洞口|人孔|HOLE layers are never rooms or walls; lines on a bound xref's wall "
    "layer ('<xref>$0$WALL') are not walls when the host has its own wall layer; an "
    "unnamed face or outline lying inside a named wall-derived room's exterior, not "
    "bounded by double-line walls, is furniture: fill it back into the room"
)


def test_pump_house_ground_floor_has_two_rooms(reviews: Reviews) -> None:
    rooms = [r for r in reviews(PUMP_HOUSE).plan.rooms if r.level == 1]
    assert sorted(r.label for r in rooms) == ["消防水泵房", "生活和冷却水补水泵房"]


@pytest.mark.parametrize("label", ["消防水泵房", "生活和冷却水补水泵房"])
def test_pump_house_pump_room_areas(reviews: Reviews, label: str) -> None:
    room = one_named(reviews(PUMP_HOUSE), label, level=1)
    assert within(room.area, PUMP_ROOM_AREA, 0.01)


_BASEMENT_LOST = (
    "BUG: views._assign_titles gives the basement view the note '型吸水坑详图（余同）' "
    "(part of '参 D 型吸水坑详图（余同）', 'see suction-pit detail D', h 0.338 m at "
    "(50.06, 114.70), inside the view's box, distance 0) instead of its title "
    "'地下一层平面图' (h 0.675 m at (55.0, 92.95), 5.7 m below the box); the note parses "
    "as a 'detail' title, so the whole basement plan with 消防水池 is dropped as not a "
    "floor. Fix: a text inside a view's linework box is never its title (titles sit "
    "outside, under the plan), and reference notes (参…详图, 详见…, …（余同）) are not "
    "titles"
)


def test_pump_house_has_basement_with_fire_water_tank(reviews: Reviews) -> None:
    review = reviews(PUMP_HOUSE)
    assert sorted(f.level for f in review.plan.floors) == [-1, 1]
    basement = next(f for f in review.plan.floors if f.level == -1)
    assert basement.name == "地下一层平面图"
    assert basement.declared_gross_area == pytest.approx(286.73)
    tank = one_named(review, "消防水池", level=-1)
    assert within(tank.area, TANK_AREA, 0.01)


def test_pump_house_basement_has_one_room(reviews: Reviews) -> None:
    # the two 下人孔投影 squares (the manholes above, in projection, layer 建-留洞) are
    # not rooms either
    rooms = [r for r in reviews(PUMP_HOUSE).plan.rooms if r.level == -1]
    assert [r.label for r in rooms] == ["消防水池"]


def test_pump_house_declared_building_areas_agree(reviews: Reviews) -> None:
    # 总建筑面积：573.46m2 = 286.73 above ground + 286.73 below: with the basement
    # missing the checker compares 573.46 with one floor (288.63) and warns
    assert status(reviews(PUMP_HOUSE), "building.declared_area") == "pass"


def test_pump_house_ground_floor_gross_area(reviews: Reviews) -> None:
    floor = next(f for f in reviews(PUMP_HOUSE).plan.floors if f.level == 1)
    assert floor.gross_area == pytest.approx(PUMP_FLOOR_GROSS, abs=0.3)


# ------------------------------------------ BAA__E-00-11-01电力配电箱系统图.dxf
# An electrical distribution-board schematic (tables and single-line diagrams in a
# sheet frame): no plan at all.  Exit 2, "no floor plan found".


def test_schematic_is_no_floor_plan(reviews: Reviews) -> None:
    error = reviews.outcome(SCHEMATIC)
    assert isinstance(error, DrawingError)
    assert "no floor plan found" in str(error)


# ------------------------------------ osmAG-from-cad__A-A2-10-03_truncated.dxf


def test_truncated_file_says_damaged(reviews: Reviews) -> None:
    error = reviews.outcome(TRUNCATED)
    assert isinstance(error, DrawingError)
    message = str(error)
    assert "truncated" in message or "damaged" in message
    assert "no floor plan found" not in message  # not "no rooms, every function missing"


# --------------------------------------------------- barcelona-pavillion (metres)
# The Barcelona Pavilion, metres, no text.  Walls on 'Walls', glass on 'Crystal',
# doors on 'Doors'.  A person sees the service block at the back (top left) with four
# rooms: a sitting room x 0.16..4.11, y 16.175..21.16 (glass front at y 16.175):
# 3.95 x 4.985 = 19.69 m²; a vestibule x 4.21..8.16, y 16.175..19.66: 3.95 x 3.485 =
# 13.77 m²; above it a washroom x 4.21..6.11 and a WC x 6.21..8.16, y 19.76..21.225,
# 1.90 x 1.465 = 2.78 and 1.95 x 1.465 = 2.86 m², separated by a 100 mm partition
# with a 0.8 m door.  Then the pavilion hall, glazed on two sides and open to the
# pool court, and the court itself: 4 to 8 rooms depending on how one counts those.


def test_pavilion_service_block_rooms(reviews: Reviews) -> None:
    review = reviews(PAVILION)
    assert 4 <= len(review.plan.rooms) <= 8
    sitting = room_at(review, 2.0, 18.5)
    vestibule = room_at(review, 6.0, 17.5)
    assert within(sitting.area, 3.95 * 4.985, 0.01)
    assert within(vestibule.area, 3.95 * 3.485, 0.01)
    assert {sitting.source, vestibule.source} == {"walls"}


def test_pavilion_washroom_and_wc_are_two_rooms(reviews: Reviews) -> None:
    review = reviews(PAVILION)
    washroom = room_at(review, 5.0, 20.5)
    wc = room_at(review, 7.2, 20.5)
    assert washroom.id != wc.id
    assert within(washroom.area, 1.90 * 1.465, 0.01)
    assert within(wc.area, 1.95 * 1.465, 0.01)


@pytest.mark.xfail(strict=True, reason=_R12_GRID)
def test_pavilion_r12_export_same_service_rooms(reviews: Reviews) -> None:
    # The same building exported by FreeCAD (coordinates in mm, shifted): a person
    # sees the same rooms, so the same two service rooms must come out.
    areas = [r.area for r in reviews(PAVILION_R12).plan.rooms]
    assert any(within(a, 3.95 * 4.985, 0.01) for a in areas)
    assert any(within(a, 3.95 * 3.485, 0.01) for a in areas)


# --------------------------------------------------------- osmAG office floor
# An office floor in mm ($INSUNITS 4), no room names (only 'M', 'W', 'D' on the
# toilets).  Rooms are drawn by walls and partitions; floor finishes are closed
# outlines and hatches on layer 'floor' that span several rooms; wall piers and
# wall bodies are closed outlines on layer 'wall'.  A person sees about 30 rooms:
# west wing 9 (four offices, conference room, store, kitchenette, dining area,
# open office, plus the circulation strip by the atrium), the atrium, east wing 10
# (offices, open-plan office, reception, kitchenette, store, meeting room, stair),
# the core 8 (stair, 2 lifts, lobby, men's, women's, 2 accessible WCs), the WC
# annex at the west end.  Open-plan areas separated by furniture and partial
# partitions make the exact count debatable: 25 to 35.


def test_office_units_and_plan(reviews: Reviews) -> None:
    review = reviews(OFFICE)
    assert review.plan.units.metres_per_unit == 0.001
    assert review.plan.units.source == "header"
    assert [f.level for f in review.plan.floors] == [1]
    assert status(review, "plan.unlabelled_room") == "warn"
    assert not any(r.functions for r in review.plan.rooms)


def test_office_no_wall_bodies_as_rooms(reviews: Reviews) -> None:
    rooms = reviews(OFFICE).plan.rooms
    assert not [r.id for r in rooms if r.layer.lower() == "wall"]
    assert all(2 * r.area / r.polygon.length >= 0.7 for r in rooms)


def test_office_rooms_do_not_overlap(reviews: Reviews) -> None:
    rooms = reviews(OFFICE).plan.rooms
    polys = [r.polygon for r in rooms]
    tree = shapely.STRtree(polys)
    left, right = tree.query(polys, predicate="intersects")
    overlap = sum(
        polys[i].intersection(polys[j]).area for i, j in zip(left, right, strict=True) if i < j
    )
    assert overlap < 0.1


@pytest.mark.xfail(
    strict=True,
    reason="BUG: 2 rooms (two 3.16 m² outlines on layer '0'). Finish outlines on layer "
    "'floor' are no longer rooms and wall bodies are not either, but with no room "
    "layer and no room names no room is derived from the walls (wall faces are made "
    "only for labels), and most partitions are on layer '2' among furniture lines. "
    "Fix: with no room names at all, take the wall faces as unnamed rooms",
)
def test_office_room_count(reviews: Reviews) -> None:
    assert 25 <= len(reviews(OFFICE).plan.rooms) <= 35


# -------------------------------------------------------- vre-spark hospital floor
# A Swiss hospital floor, R2010, $INSUNITS 5 (cm).  126 room outlines on
# A_Z20___E_RAUM, of which 2 are 0.06 m² slivers; the other 124 each hold a room
# stamp (block "_Beschriftung Räume - Nummer_ Name_ Fläche"): a category ("BF"), the
# printed area ("2.43 m²"), the name and the room number.  A person sees 124 rooms.
#
# Printed vs measured: 112 of 124 agree to 0.01 m² today, 119 to 0.02 m².  The 12
# that differ by more than 0.01 were measured by hand from the polyline vertices
# (no bulges: no arcs in any RAUM outline; 4 of them are not flagged closed, with
# end gaps of 0-0.33 mm, which change the area by < 0.001 m²):
# - 10 stamps disagree with the drawing itself: no outline on any layer has the
#   printed area; the checker's area equals the outline's exactly.  By 0.010-0.018
#   m²: WC/Du 3.48 (outline 3.4968), Schwesternraum 2 14.84 (14.8296), Schwesternraum 1
#   19.26 (19.2714), WC/Du 3.75 (3.7628 and 3.7627), 2er Zimmer 20.94 (20.958),
#   Korridor Nord 77.69 (77.6753); by 0.02-0.065 m²: Korridor Mitte Süd 82.49
#   (82.4665), Büro Ärzte 14.35 (14.4144), Assistenten 14.39 (14.4536).  Stale stamps,
#   not a reading error; 115 agreeing to 0.01 m² is therefore not reachable.
# - Lift 629 and Lift 630: the outline is 15.9078 (printed 15.91, agrees) but four
#   solid hatches of 0.015 m² on the column layer A_E2-___E_STUETZEN stand in each
#   car and are cut out (decisions/rooms.md: columns are not floor area), 15.8478.

# (printed, measured to 0.01 m²) of the rooms that differ; keyed by areas, not
# labels, so that it holds when the labels are fixed (see the xfail below)
HOSPITAL_STALE_STAMPS = {
    (3.48, 3.50),  # WC/Du
    (14.35, 14.41),  # Büro Ärzte
    (14.84, 14.83),  # Schwesternraum 2
    (19.26, 19.27),  # Schwesternraum 1
    (3.75, 3.76),  # WC/Du, two rooms
    (20.94, 20.96),  # 2er Zimmer
    (14.39, 14.45),  # Assistenten
    (77.69, 77.68),  # Korridor Nord
    (82.49, 82.47),  # Korridor Mitte Süd
}
HOSPITAL_COLUMNS_CUT = {(15.91, 15.85)}  # Lift 629, Lift 630


def test_hospital_rooms_are_the_stamped_outlines(reviews: Reviews) -> None:
    review = reviews(HOSPITAL)
    assert review.plan.units.metres_per_unit == 0.01
    assert review.plan.units.source == "header"
    rooms = review.plan.rooms
    assert len(rooms) == 124
    assert {r.source for r in rooms} == {"outline"}
    assert {r.layer for r in rooms} == {"A_Z20___E_RAUM"}
    assert all(r.label and r.declared_area is not None for r in rooms)


def test_hospital_printed_areas_agree_with_measured(reviews: Reviews) -> None:
    rooms = reviews(HOSPITAL).plan.rooms
    differ = [r for r in rooms if abs(r.area - r.declared_area) > 0.01 + 1e-9]
    assert len(differ) == 12 and len(rooms) - len(differ) == 112  # 124 rooms
    assert sum(abs(r.area - r.declared_area) <= 0.02 + 1e-9 for r in rooms) >= 119
    # every difference is explained above: a stale stamp or columns cut out
    known = HOSPITAL_STALE_STAMPS | HOSPITAL_COLUMNS_CUT
    assert {(r.declared_area, round(r.area, 2)) for r in differ} <= known
    for room in differ:
        assert abs(room.area - room.declared_area) < 0.07
    # within the standard's tolerance (2% or 1 m²) every stamp agrees
    assert status(reviews(HOSPITAL), "room.declared_area") == "pass"


def test_hospital_three_word_names(reviews: Reviews) -> None:
    labels = {r.label for r in reviews(HOSPITAL).plan.rooms}
    assert "BF" not in labels
    expected = {"Material / WC", "Korridor Mitte Süd", "Korridor Mitte Nord"}
    assert {key(n) for n in expected} <= {key(label) for label in labels}
