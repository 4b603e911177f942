"""The bundled sample plans: reproducible from their generator, and as described.

The committed files in `sample_plans/` must be exactly what
`sample_plans/make_samples.py` writes, so they can never go stale.  The samples are
then re-read here with ezdxf and shapely alone (not with the checker, which they
exist to test) to confirm what `sample_plans/expected.toml` and the README claim.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ezdxf
import pytest
import shapely
import shapely.affinity
from shapely.geometry import LineString, Point, Polygon

SAMPLES = Path(__file__).resolve().parents[1] / "sample_plans"
EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text(encoding="utf-8"))["samples"]
FLOOR_FILES = {"一层平面图.dxf": 1, "二层平面图.dxf": 2}


# --------------------------------------------------------------- reproducibility


def _sample_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".dxf", ".toml")
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    subprocess.run(
        [sys.executable, str(SAMPLES / "make_samples.py"), str(out)],
        check=True,
        capture_output=True,
    )
    return out


def test_committed_samples_are_what_the_generator_writes(generated: Path) -> None:
    produced = _sample_files(generated)
    committed = _sample_files(SAMPLES)
    assert sorted(produced) == sorted(committed)
    stale = [name for name in produced if produced[name] != committed[name]]
    assert not stale, f"rerun `python sample_plans/make_samples.py`: {stale} differ"


# --------------------------------------------------------------- reading samples


@dataclass
class Room:
    name: str
    level: int
    polygon: Polygon  # metres
    declared: float  # the area note, m2


@dataclass
class Sample:
    rooms: list[Room]
    outer: dict[int, Polygon]  # level -> outer face of the external walls

    def named(self, name: str) -> list[Room]:
        return [r for r in self.rooms if r.name == name]


AREA_NOTE = re.compile(r"^(\d+\.\d\d)㎡$")


def _one_inside(poly: Polygon, items: list[tuple[Point, str]]) -> str:
    inside = [s for p, s in items if poly.contains(p)]
    assert len(inside) == 1, f"expected one text in {poly.bounds}, found {inside}"
    return inside[0]


def read_convention_a(path: Path) -> Sample:
    """One file: outer faces on WALL, rooms on ROOM, TEXT names and area notes."""
    doc = ezdxf.readfile(path)
    assert doc.dxfversion == "AC1024"
    assert doc.header["$INSUNITS"] == 4
    msp = doc.modelspace()

    def polygons(layer: str) -> list[Polygon]:
        return [
            Polygon([(x / 1000, y / 1000) for x, y in e.get_points("xy")])
            for e in msp.query(f'LWPOLYLINE[layer=="{layer}"]')
            if e.closed
        ]

    def texts(layer: str) -> list[tuple[Point, str]]:
        return [
            (Point(e.dxf.align_point.x / 1000, e.dxf.align_point.y / 1000), e.dxf.text)
            for e in msp.query(f'TEXT[layer=="{layer}"]')
        ]

    outers = sorted(polygons("WALL"), key=lambda p: p.bounds[0])  # floor 1 on the left
    outer = {level: poly for level, poly in enumerate(outers, start=1)}
    names, notes = texts("ROOM_NAME"), texts("ROOM_AREA")
    rooms = []
    for poly in polygons("ROOM"):
        level = next(lv for lv, o in outer.items() if o.contains(poly))
        note = AREA_NOTE.match(_one_inside(poly, notes))
        assert note, f"area note in {poly.bounds}"
        rooms.append(Room(_one_inside(poly, names), level, poly, float(note[1])))
    return Sample(rooms, outer)


def read_convention_b(folder: Path) -> Sample:
    """A file per floor: hatches on SPACE, wall faces on WALL, MTEXT labels."""
    rooms, outer = [], {}
    for path in sorted(folder.glob("*.dxf")):
        level = FLOOR_FILES[path.name]
        doc = ezdxf.readfile(path)
        assert doc.dxfversion == "AC1015"
        assert doc.header["$INSUNITS"] == 6
        assert doc.header["$DWGCODEPAGE"] == "ANSI_936"
        msp = doc.modelspace()
        walls = [
            LineString([e.dxf.start.vec2, e.dxf.end.vec2]) for e in msp.query("LINE[layer=='WALL']")
        ]
        outer[level] = shapely.unary_union(list(shapely.polygonize(walls).geoms))
        labels = [
            (Point(e.dxf.insert.x, e.dxf.insert.y), e.plain_text())
            for e in msp.query("MTEXT[layer=='PUB_TEXT']")
        ]
        for hatch in msp.query("HATCH[layer=='SPACE']"):
            assert hatch.dxf.pattern_name == "ANSI31"
            (path_,) = hatch.paths
            poly = Polygon([(x, y) for x, y, _bulge in path_.vertices])
            name, note = _one_inside(poly, labels).split("\n")
            note_match = AREA_NOTE.match(note)
            assert note_match, f"area note {note!r}"
            rooms.append(Room(name, level, poly, float(note_match[1])))
    return Sample(rooms, outer)


@pytest.fixture(scope="module")
def samples() -> dict[str, Sample]:
    read = {"A": read_convention_a, "B": read_convention_b}
    return {s["name"]: read[s["convention"]](SAMPLES / s["path"]) for s in EXPECTED}


# --------------------------------------------------------------- what they show


def test_expected_lists_the_six_samples() -> None:
    assert [s["name"] for s in EXPECTED] == [
        "compliant-centre",
        "compliant-centre-per-floor",
        "fail-hall-upstairs",
        "fail-small-mediation-room",
        "fail-no-accessible-toilet",
        "fail-narrow-accessible-toilet",
    ]
    for s in EXPECTED:
        assert (s["verdict"] == "pass") == (s["failing_rules"] == [])
        assert s["build_type"] == "new"


@pytest.mark.parametrize("name", [s["name"] for s in EXPECTED])
def test_area_notes_equal_measured_areas(samples: dict[str, Sample], name: str) -> None:
    for room in samples[name].rooms:
        assert round(room.polygon.area, 2) == pytest.approx(room.declared, abs=1e-9), room.name


@pytest.mark.parametrize("name", [s["name"] for s in EXPECTED])
def test_two_storeys_of_540_m2_tiled_without_overlap(samples: dict[str, Sample], name: str) -> None:
    sample = samples[name]
    assert sorted(sample.outer) == [1, 2]
    assert round(sum(o.area for o in sample.outer.values()), 2) == 1080.00
    for level, outer in sample.outer.items():
        assert outer.bounds[2] - outer.bounds[0] == pytest.approx(30.0)
        assert outer.bounds[3] - outer.bounds[1] == pytest.approx(18.0)
        polys = [r.polygon for r in sample.rooms if r.level == level]
        assert all(outer.contains(p) for p in polys)
        union = shapely.unary_union(polys)
        assert union.area == pytest.approx(sum(p.area for p in polys), abs=1e-6)
    # the stair is in the same place on both floors, relative to the outer face
    stairs = sample.named("楼梯间")
    assert [r.level for r in stairs] == [1, 2]
    placed = [
        shapely.affinity.translate(r.polygon, *(-c for c in sample.outer[r.level].bounds[:2]))
        for r in stairs
    ]
    assert placed[0].equals_exact(placed[1], tolerance=1e-9)


@pytest.mark.parametrize("sample", EXPECTED, ids=[s["name"] for s in EXPECTED])
def test_expected_toml_matches_the_drawings(samples: dict[str, Sample], sample: dict) -> None:
    drawn = samples[sample["name"]]
    assert round(sum(o.area for o in drawn.outer.values()), 2) == sample["gross_area"]
    for function, room in sample["rooms"].items():
        (found,) = drawn.named(room["name"])
        assert found.level == room["floor"], function
        assert round(found.polygon.area, 2) == room["area"], function
    if "accessible_toilet" not in sample["rooms"]:
        assert not drawn.named("无障碍卫生间")


# How each sample's room list (floor, name, area note) differs from the compliant
# centre's: (rooms gone, rooms new).  Nothing else may differ.
DIFFERENCES = {
    "compliant-centre-per-floor": ((), ()),
    "fail-hall-upstairs": (
        ((1, "便民服务大厅", 110.88), (2, "文体活动室", 110.88)),
        ((2, "便民服务大厅", 110.88), (1, "文体活动室", 110.88)),
    ),
    "fail-small-mediation-room": (
        ((1, "调解室/社会工作室", 39.04),),
        ((1, "调解室", 16.00), (1, "社会工作室", 21.76)),
    ),
    "fail-no-accessible-toilet": (((1, "无障碍卫生间", 4.40),), ((1, "清洁间", 4.40),)),
    "fail-narrow-accessible-toilet": (
        ((1, "无障碍卫生间", 4.40), (1, "走廊", 79.44), (1, "女卫", 19.20)),
        ((1, "无障碍卫生间", 4.48), (1, "走廊", 75.52), (1, "女卫", 23.04)),
    ),
}


@pytest.mark.parametrize("name", list(DIFFERENCES))
def test_samples_differ_from_the_compliant_centre_only_as_intended(
    samples: dict[str, Sample], name: str
) -> None:
    def inventory(sample: Sample) -> Counter:
        return Counter((r.level, r.name, r.declared) for r in sample.rooms)

    compliant, sample = inventory(samples["compliant-centre"]), inventory(samples[name])
    gone, new = DIFFERENCES[name]
    assert compliant - sample == Counter(gone)
    assert sample - compliant == Counter(new)


# Minimum net areas from the notice for the names the samples use; every room must
# clear its minimum by 5 % except where a sample fails on purpose.
MINIMUM = {
    "便民服务大厅": 80, "调解室": 20, "社会工作室": 20, "调解室/社会工作室": 20,
    "警务室": 20, "计划生育服务室": 20, "慈善物品保管室": 20, "残疾人康复室": 20,
    "社区办公室": 40, "居民议事室": 40, "党员活动室(多功能室)": 60,
    "社会组织活动室": 20, "文体活动室": 90, "阅览室": 40, "无障碍卫生间": 4,
    "档案室": 10, "财务室": 10,  # the auxiliary rooms: 20 m2 together
}  # fmt: skip
DELIBERATE = {("fail-small-mediation-room", "调解室")}


@pytest.mark.parametrize("name", [s["name"] for s in EXPECTED])
def test_rooms_clear_their_minimums_by_5_percent(samples: dict[str, Sample], name: str) -> None:
    sample = samples[name]
    for room in sample.rooms:
        if room.name in MINIMUM and (name, room.name) not in DELIBERATE:
            assert room.declared >= 1.05 * MINIMUM[room.name], room.name
    (hall,) = sample.named("便民服务大厅")
    assert hall.declared >= 100
    auxiliary = sample.named("档案室") + sample.named("财务室")
    assert sum(r.declared for r in auxiliary) >= 21
    for combined in sample.named("调解室/社会工作室"):
        assert combined.declared >= 22


def _turning_diameter(poly: Polygon) -> float:
    return 2 * shapely.maximum_inscribed_circle(poly, tolerance=0.001).length


def test_narrow_toilet_has_no_turning_circle(samples: dict[str, Sample]) -> None:
    (narrow,) = samples["fail-narrow-accessible-toilet"].named("无障碍卫生间")
    assert narrow.declared == pytest.approx(4.48)
    assert _turning_diameter(narrow.polygon) < 1.50
    for name in ("compliant-centre", "compliant-centre-per-floor"):
        (standard,) = samples[name].named("无障碍卫生间")
        assert standard.declared == pytest.approx(4.40)
        assert _turning_diameter(standard.polygon) >= 1.50


def test_r2000_samples_are_gbk() -> None:
    path = SAMPLES / "compliant-centre-per-floor" / "一层平面图.dxf"
    raw = path.read_bytes()
    assert "便民服务大厅".encode("gbk") in raw
    assert b"\\U+" not in raw  # nothing fell back to escapes
    doc = ezdxf.readfile(path)
    labels = [e.plain_text() for e in doc.modelspace().query("MTEXT")]
    assert any(label.startswith("便民服务大厅\n") for label in labels)
    texts = [e.plain_text() for e in doc.modelspace().query("TEXT")]
    assert "标高±0.000" in texts
