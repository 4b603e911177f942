"""The read stage on real drawings made by other people (../shared/realdxf).

The files are not in the repository (most carry no licence); these tests skip,
saying why, when the folder is absent.  Each file is read once per session.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import shapely

from planchecker.errors import DrawingError
from planchecker.model import Drawing
from planchecker.reading import read_drawing

REAL = Path(__file__).resolve().parents[2] / "shared" / "realdxf"
FILES = (
    "vre-spark__cad_033O.dxf",
    "Plans__plan.dxf",
    "BAA__20210409-3#泵房_t3.dxf",
    "BAA__E-00-11-01电力配电箱系统图.dxf",
    "barcelona-pavillion__plan.dxf",
    "barcelona-pavillion__plan_exported.dxf",
    "osmAG-from-cad__office.dxf",
    "osmAG-from-cad__A-A2-10-03_truncated.dxf",
)
TRUNCATED = "osmAG-from-cad__A-A2-10-03_truncated.dxf"

pytestmark = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"real drawings not available ({REAL} is absent)"
)


@cache
def outcome(name: str) -> Drawing | DrawingError:
    """Read a real file once: the Drawing, or the DrawingError it raised."""
    try:
        return read_drawing(REAL / name)
    except DrawingError as exc:
        return exc


def drawing(name: str) -> Drawing:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {REAL}")
    result = outcome(name)
    assert isinstance(result, Drawing), result
    return result


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_reads_or_raises_drawing_error(name: str) -> None:
    if not (REAL / name).is_file():
        pytest.skip(f"{name} is not in {REAL}")
    result = outcome(name)  # any other exception fails the test here
    if name == TRUNCATED:
        assert isinstance(result, DrawingError)
        assert "truncated" in str(result) or "damaged" in str(result)
        assert "cut off inside BLOCKS" in str(result)
    else:
        assert isinstance(result, Drawing), result
        assert result.segments.ndim == 3 and result.segments.shape[1:] == (2, 2)
        assert len(result.segment_layers) == len(result.segments)
        if len(result.segment_layers):
            assert result.segment_layers.max() < len(result.layers)
        assert result.segment_blocks is not None
        assert result.segment_blocks.shape == result.segment_layers.shape
        if len(result.segment_blocks):
            assert result.segment_blocks.min() >= -1
            assert result.segment_blocks.max() < len(result.blocks)
        assert all("\\U+" not in name for name in (*result.layers, *result.blocks))
        for text in result.texts:
            assert text.text and "\\U+" not in text.text


def test_hospital_floor_in_centimetres_with_room_areas() -> None:
    d = drawing("vre-spark__cad_033O.dxf")
    assert d.units.metres_per_unit == 0.01
    assert d.units.source == "header"
    assert len(d.outlines) > 100
    rooms = [o for o in d.outlines if o.layer == "A_Z20___E_RAUM"]
    assert len(rooms) == 126  # 13 of them not flagged closed in the file
    assert sum(o.repaired for o in rooms) > 0
    # the printed areas ("2.43 m²") are ground truth for the measured ones
    polys = np.array([o.polygon for o in rooms], dtype=object)
    labels = [t for t in d.texts if re.fullmatch(r"\d+\.\d\d m²", t.text)]
    assert len(labels) > 100
    idx_label, idx_room = shapely.STRtree(polys).query(
        shapely.points([(t.x, t.y) for t in labels]), predicate="within"
    )
    smallest: dict[int, float] = {}
    for li, ri in zip(idx_label.tolist(), idx_room.tolist(), strict=True):
        smallest[li] = min(smallest.get(li, np.inf), polys[ri].area)
    agree = sum(
        abs(area - float(labels[li].text.split()[0])) <= 0.01 for li, area in smallest.items()
    )
    assert agree >= 110


def test_uk_house_without_insunits_is_millimetres() -> None:
    d = drawing("Plans__plan.dxf")
    assert d.units.metres_per_unit == 0.001
    assert d.units.source == "inferred"
    assert "millimetres" in d.units.note
    kitchen = [o for o in d.outlines if o.layer == "Room - Kitchen"]
    assert len(kitchen) == 1
    assert 20 < kitchen[0].polygon.area < 200
    names = {t.text for t in d.texts}
    assert {"KITCHEN", "LIVING AREA", "PANTRY", "COATS", "HALLWAY"} <= names


def test_chinese_pump_house_sheet_in_gbk() -> None:
    d = drawing("BAA__20210409-3#泵房_t3.dxf")
    assert d.encoding == "gbk"
    assert d.dxf_version == "AC1015"
    assert d.units.metres_per_unit == 0.001
    assert d.units.source == "inferred"
    text = "\n".join(t.text for t in d.texts)
    assert "消防水泵房" in text and "消防水池" in text
    assert "本层建筑面积：" in text and "286.73m2" in text  # two TEXTs side by side
    assert "%%" not in text
    assert "WALL" in d.layers and "PUB_TEXT" in d.layers


def test_pump_house_door_leaves_and_swings_know_their_door_block() -> None:
    # TArch puts its doors on layer WINDOW; only the block name tells them from windows.
    d = drawing("BAA__20210409-3#泵房_t3.dxf")
    door = d.blocks.index("$DorLib2D$00000002")
    segs = d.segments[d.segment_blocks == door]
    assert {d.layers[i] for i in d.segment_layers[d.segment_blocks == door]} == {"WINDOW"}
    # the two doors, hinged at (27.123, 103.389) and (32.123, 122.190)
    near = [np.hypot(*(segs.mean(axis=1) - hinge).T) < 1.5 for hinge in HINGES]
    assert (near[0] | near[1]).all()  # every segment belongs to one of the two doors ...
    assert near[0].sum() == near[1].sum() >= 2  # ... each a leaf and a swing


HINGES = ((27.123, 103.389), (32.123, 122.190))


def test_electrical_schematic_with_tarch_entity() -> None:
    d = drawing("BAA__E-00-11-01电力配电箱系统图.dxf")
    assert d.proxy_count >= 1
    assert "proxy_skipped" in {i.code for i in d.issues}
    assert d.encoding == "gbk"
    assert any("配电箱" in t.text for t in d.texts)


def test_barcelona_pavilion_walls_only() -> None:
    d = drawing("barcelona-pavillion__plan.dxf")
    assert d.units.metres_per_unit == 1.0
    assert d.texts == ()
    assert len(d.segments) > 1000
    width = np.ptp(d.segments.reshape(-1, 2), axis=0).max()
    assert 40 < width < 70


def test_barcelona_pavilion_r12_export_geometry_in_blocks() -> None:
    d = drawing("barcelona-pavillion__plan_exported.dxf")
    assert d.dxf_version == "AC1009"
    assert len(d.segments) > 1000  # everything came out of the blocks
    width = np.ptp(d.segments.reshape(-1, 2), axis=0).max()
    assert 40 < width < 70  # the same building as the metres file


def test_large_office_with_nested_blocks() -> None:
    d = drawing("osmAG-from-cad__office.dxf")
    assert d.units.metres_per_unit == 0.001
    assert sum(o.kind == "outline" for o in d.outlines) > 2000
    assert sum(o.kind == "hatch" for o in d.outlines) > 1000
    assert all(o.polygon.is_valid for o in d.outlines)


def test_large_office_segments_keep_their_innermost_block() -> None:
    d = drawing("osmAG-from-cad__office.dxf")
    assert d.segment_blocks is not None
    per_block = np.bincount(d.segment_blocks + 1, minlength=len(d.blocks) + 1)
    counts = {name: int(n) for name, n in zip(("", *d.blocks), per_block, strict=True) if n}
    # door handles are blocks inside the door blocks: their lines are the handle's
    assert {"door 810x125", "door 900 a", "door1000a", "door-handle"} <= set(counts)
    assert counts[""] > 1000  # and plenty drawn straight in modelspace
