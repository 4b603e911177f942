"""The bundled sample plans: reproducible from their generator, and as described.

The committed files in `sample_plans/` must be exactly what
`sample_plans/make_samples.py` writes, so they can never go stale.  The samples are
then re-read here with ezdxf and shapely alone (not with the checker, which they
exist to test) to confirm what `sample_plans/expected.toml` and the README claim.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ezdxf
import pytest
import shapely
import shapely.affinity
from ezdxf.lldxf.encoding import decode_dxf_unicode
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


# --- convention C: a TArch T3 export, rooms only from wall lines with door gaps

WALL = 200  # mm
GAP = (600, 3_000)  # an opening's width, mm


def _mm(v) -> tuple[int, int]:
    return (round(v.x), round(v.y))


def _wall_segments(msp) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    return [(_mm(e.dxf.start), _mm(e.dxf.end)) for e in msp.query("LINE[layer=='WALL']")]


def close_openings(segments: list) -> list[LineString]:
    """Lines across every opening in the wall face lines, found without the
    generator's help: jamb to jamb where the opening has jambs (two 200 mm lines
    across the wall, in line, 0.6-3 m apart, nothing between them), else free end to
    free end (ends touching no other line, on one line, pointing at each other)."""
    walls = shapely.union_all([LineString(s) for s in segments])
    closures = []

    def empty_between(a, b) -> bool:
        return LineString([a, b]).intersection(walls).length == 0

    jambs = [s for s in segments if math.dist(*s) == WALL]
    paired = set()
    for j in sorted(jambs):
        if j in paired:
            continue
        (ax, ay), (bx, by) = j
        candidates = []
        for k in jambs:
            if k == j or k in paired:
                continue
            (cx, cy), (dx, dy) = k
            if ax == bx and cx == dx and {ay, by} == {cy, dy}:  # across a horizontal wall
                d = abs(cx - ax)
                ends = [((ax, y), (cx, y)) for y in (ay, by)]
            elif ay == by and cy == dy and {ax, bx} == {cx, dx}:  # across a vertical wall
                d = abs(cy - ay)
                ends = [((x, ay), (x, cy)) for x in (ax, bx)]
            else:
                continue
            if GAP[0] <= d <= GAP[1] and all(empty_between(*e) for e in ends):
                candidates.append((d, k, ends))
        if candidates:
            _, k, ends = min(candidates)
            paired |= {j, k}
            closures += ends
    ends = Counter(p for s in segments for p in s)
    free = []  # (point, outward unit direction) of ends touching no other line
    for a, b in segments:
        for p, q in ((a, b), (b, a)):
            if ends[p] == 1:
                n = math.dist(p, q)
                free.append((p, ((p[0] - q[0]) / n, (p[1] - q[1]) / n)))
    used = set()
    for p, (ux, uy) in free:
        if p in used:
            continue
        best = None
        for q, (vx, vy) in free:
            if q == p or q in used or (vx, vy) != (-ux, -uy):
                continue
            dx, dy = q[0] - p[0], q[1] - p[1]
            d = dx * ux + dy * uy
            if dx * uy - dy * ux == 0 and GAP[0] <= d <= GAP[1] and (best is None or d < best[0]):
                best = (d, q)
        if best:
            used |= {p, best[1]}
            closures.append((p, best[1]))
    return [LineString(c) for c in closures]


def wall_faces(path: Path) -> list[Polygon]:
    """Every face the WALL lines bound once their openings are closed (metres)."""
    msp = ezdxf.readfile(path).modelspace()
    segments = _wall_segments(msp)
    noded = shapely.union_all([LineString(s) for s in segments] + close_openings(segments))
    return [
        shapely.affinity.scale(f, 0.001, 0.001, origin=(0, 0))
        for f in shapely.polygonize(list(noded.geoms)).geoms
    ]


def _is_wall(face: Polygon) -> bool:
    """Wall pieces are at most 0.2 m thick (a T or cross junction holds a circle of
    at most 0.28 m): eroding by 0.15 m leaves nothing."""
    return face.buffer(-0.15).is_empty


C_AREA_NOTE = re.compile(r"^(?:S=)?(\d+\.\d\d)(?:m²|㎡|m2)?$")
ROOM_NUMBER = re.compile(r"^\d{3}\s+|\s+\d{3}$")


def read_convention_c(path: Path) -> Sample:
    """No room outlines: rooms are the faces of the wall lines, labels TEXTs."""
    doc = ezdxf.readfile(path)
    assert doc.dxfversion == "AC1015"
    assert doc.header["$INSUNITS"] == 0
    assert doc.header["$DWGCODEPAGE"] == "ANSI_936"
    texts = [
        (Point(e.dxf.insert.x / 1000, e.dxf.insert.y / 1000), decode_dxf_unicode(e.dxf.text))
        for e in doc.modelspace().query("TEXT[layer=='PUB_TEXT']")
    ]
    faces = wall_faces(path)
    outer = {
        level: shapely.union_all([f for f in faces if (f.centroid.x < 37.5) == (level == 1)])
        for level in (1, 2)
    }
    rooms = []
    for face in faces:
        if _is_wall(face):
            continue
        inside = [s for p, s in texts if face.contains(p)]
        notes = [m for m in map(C_AREA_NOTE.match, inside) if m]
        assert len(inside) == 2 and len(notes) == 1, f"labels in {face.bounds}: {inside}"
        (name,) = [s for s in inside if not C_AREA_NOTE.match(s)]
        name = unicodedata.normalize("NFKC", ROOM_NUMBER.sub("", name))
        level = 1 if face.centroid.x < 37.5 else 2
        rooms.append(Room(name, level, face, float(notes[0][1])))
    return Sample(rooms, outer)


@pytest.fixture(scope="module")
def samples() -> dict[str, Sample]:
    read = {"A": read_convention_a, "B": read_convention_b, "C": read_convention_c}
    return {s["name"]: read[s["convention"]](SAMPLES / s["path"]) for s in EXPECTED}


# --------------------------------------------------------------- what they show


def test_expected_lists_the_seven_samples() -> None:
    assert [s["name"] for s in EXPECTED] == [
        "compliant-centre",
        "compliant-centre-per-floor",
        "compliant-centre-tarch",
        "fail-hall-upstairs",
        "fail-small-mediation-room",
        "fail-no-accessible-toilet",
        "fail-narrow-accessible-toilet",
    ]
    for s in EXPECTED:
        assert (s["verdict"] == "pass") == (s["failing_rules"] == [])
        assert s["build_type"] == "new"
        assert ("area_tolerance" in s) == (s["convention"] == "C")


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
    "compliant-centre-tarch": ((), ()),
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


# --------------------------------------------------------------- the TArch-style sheet

TARCH = SAMPLES / "compliant-centre-tarch.dxf"


def test_tarch_wall_faces_are_exactly_the_net_rooms(samples: dict[str, Sample]) -> None:
    """The WALL lines alone, each opening closed jamb to jamb (or end to end), bound
    every room of the clean drawing exactly, and nothing else but wall pieces."""
    faces = wall_faces(TARCH)
    rooms = [f for f in faces if not _is_wall(f)]
    clean = [r.polygon for r in samples["compliant-centre"].rooms]
    assert len(rooms) == len(clean) == 24
    for poly in clean:
        (match,) = [f for f in rooms if f.intersection(poly).area > 0.5 * poly.area]
        assert match.symmetric_difference(poly).area < 1e-9
        assert round(match.area, 2) == round(poly.area, 2)
    walls = shapely.union_all([f for f in faces if _is_wall(f)])
    # the walls cover exactly what the rooms leave of the two 30 m x 18 m floors
    assert walls.area + sum(f.area for f in rooms) == pytest.approx(2 * 540.0)


def _door_inserts(msp) -> list:
    return list(msp.query("INSERT[layer=='DOOR_FIRE']"))


def test_tarch_doors_sit_in_gaps_of_both_wall_faces() -> None:
    """Each door block spans an opening 0.9-1.8 m wide whose two wall faces (100 mm
    either side of the insertion point) are free of WALL lines, and whose ends are
    wall ends.  Some openings have jambs, some have none."""
    msp = ezdxf.readfile(TARCH).modelspace()
    segments = _wall_segments(msp)
    walls = shapely.union_all([LineString(s) for s in segments])
    wall_ends = Counter(p for s in segments for p in s)
    doors = _door_inserts(msp)
    assert {d.dxf.name for d in doors} == {"$DorLib2D$00000001", "$DorLib2D$00000002"}
    assert len(doors) == 27
    jambed = 0
    for door in doors:
        width = abs(door.dxf.xscale)
        assert 900 <= width <= 1_800 and door.dxf.yscale == width
        angle = math.radians(door.dxf.rotation)
        along = (math.cos(angle), math.sin(angle))
        across = (-along[1], along[0])
        x, y = door.dxf.insert.x, door.dxf.insert.y
        for side in (-1, 1):
            ox, oy = x + side * 100 * across[0], y + side * 100 * across[1]
            a = (round(ox - width / 2 * along[0]), round(oy - width / 2 * along[1]))
            b = (round(ox + width / 2 * along[0]), round(oy + width / 2 * along[1]))
            assert LineString([a, b]).intersection(walls).length == 0, (door.dxf.insert, side)
            assert wall_ends[a] and wall_ends[b], (door.dxf.insert, side)
        jambed += wall_ends[a] == 2
    assert 0 < jambed < len(doors)  # both kinds of opening occur
    entrance = [d for d in doors if d.dxf.insert.y == 100 and abs(d.dxf.xscale) == 1_800]
    assert [d.dxf.name for d in entrance] == ["$DorLib2D$00000002"]


def test_tarch_sheet_is_a_gbk_r2000_t3_export() -> None:
    raw = TARCH.read_bytes()
    assert "便民服务大厅".encode("gbk") in raw
    assert b"\\U+00B2" in raw  # the only character outside GBK, escaped as AutoCAD does
    assert not re.search(rb"\\U\+(?!00B2)", raw)
    doc = ezdxf.readfile(TARCH)
    assert doc.header["$INSUNITS"] == 0
    msp = doc.modelspace()
    # no room outlines: the only closed polylines are columns, furniture, symbols, frame
    closed_layers = {e.dxf.layer for e in msp.query("LWPOLYLINE") if e.closed}
    assert closed_layers == {"COLUMN", "FURNITURE", "EQUIP", "STAIR", "DIM_ELEV", "PUB_TITLE"}
    assert not msp.query("HATCH[layer!='COLUMN']")
    texts = {decode_dxf_unicode(e.dxf.text) for e in msp.query("TEXT")}
    assert {"一层平面图", "二层平面图", "1:100", "本层建筑面积：", "540.00m2"} <= texts
    assert {"居务公开栏 4㎡", "101 警务室", "党员活动室（多功能室）", "S=33.92"} <= texts
    assert {"FM", "乙", "1221"} <= texts  # the fire door's number in three texts
    assert len(msp.query("DIMENSION")) > 0 and "8600" in texts  # real and exploded dimensions
