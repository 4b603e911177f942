"""The reader's limits (reading/limits.py) and its handling of damaged numbers and names.

- Numbers: NaN, inf and absurd values (1e300) never reach arithmetic: the entity is
  skipped and reported (``coordinate_out_of_range``), without a RuntimeWarning; the
  rest of the drawing is read as usual (B2, B11).  Coordinates too large to hold
  millimetres are reported (``coordinates_imprecise``, B10).
- Size: the byte count in `sniff.inventory` refuses a file with too many entities,
  texts or vertices before any parser runs (B8, B9); MINSERT arrays are checked
  before copying (B7, in test_reading.py).
- Names: undecodable bytes in layer and block names become U+FFFD (B1).
- A damaged layout dictionary: modelspace is read from its block record (B5).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from pathlib import Path

import ezdxf
import numpy as np
import pytest

from planchecker.errors import DrawingError
from planchecker.model import Drawing
from planchecker.reading import limits, read_drawing, sniff

REPROS = Path(__file__).resolve().parent / "fuzz" / "repros"


def new_doc() -> ezdxf.document.Drawing:
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    return doc


def room(msp, x: float = 0.0, layer: str = "ROOM") -> None:
    """A 5 m x 4 m room outline in millimetres at `x`."""
    pts = [(x, 0), (x + 5000, 0), (x + 5000, 4000), (x, 4000)]
    msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": layer})


def read_quietly(path: Path) -> Drawing:
    """read_drawing with every warning an error (and numpy's floating-point errors
    warning, as they do by default)."""
    with warnings.catch_warnings(), np.errstate(all="warn"):
        warnings.simplefilter("error")
        return read_drawing(path)


def issues(d: Drawing) -> dict[str, int]:
    return {i.code: i.count for i in d.issues}


# ------------------------------------------------------------------ damaged numbers

NAN, INF = math.nan, math.inf


def _line(msp) -> None:
    msp.add_line((0, 0), (NAN, 5000), dxfattribs={"layer": "WALL"})


def _far_line(msp) -> None:
    msp.add_line((0, 0), (0, 1e300), dxfattribs={"layer": "WALL"})


def _arc(msp) -> None:
    msp.add_arc((0, 0), 500, INF, 90, dxfattribs={"layer": "DOOR"})


def _circle(msp) -> None:
    msp.add_circle((0, 0), 1e300, dxfattribs={"layer": "COLUMN"})


def _vertex(msp) -> None:
    msp.add_lwpolyline([(0, 0), (1e300, 0), (0, 1000)], close=True)


def _bulge(msp) -> None:
    msp.add_lwpolyline([(0, 0, 0), (1000, 0, 1e300), (0, 1000, 0)], format="xyb")


def _polyline(msp) -> None:
    msp.add_polyline2d([(0, 0), (INF, 0), (0, 1000)], close=True)


def _text(msp) -> None:
    msp.add_text("X", dxfattribs={"insert": (NAN, 0), "height": 250})


def _text_height(msp) -> None:
    msp.add_text("X", dxfattribs={"insert": (0, 0), "height": INF})


def _mtext(msp) -> None:
    msp.add_mtext("X", dxfattribs={"insert": (1e300, 0), "char_height": 250})


def _ellipse(msp) -> None:
    msp.add_ellipse((1e300, 0), major_axis=(1000, 0), ratio=0.5)


def _spline(msp) -> None:
    msp.add_spline_control_frame([(0, 0), (1000, INF), (2000, 0), (3000, 1000)])


def _hatch(msp) -> None:
    hatch = msp.add_hatch()
    hatch.paths.add_polyline_path([(0, 0), (NAN, 0), (0, 1000)], is_closed=True)


def _insert_scale(msp) -> None:
    msp.add_blockref("CELL", (0, 0), dxfattribs={"xscale": 1e300, "yscale": 1e300})


def _insert_at(msp) -> None:
    msp.add_blockref("CELL", (INF, 0))


def _minsert_spacing(msp) -> None:
    msp.add_blockref("CELL", (0, 0)).grid(size=(2, 2), spacing=(INF, 1000))


def _extrusion(msp) -> None:
    msp.add_circle((0, 0), 500, dxfattribs={"extrusion": (0, NAN, 1)})


DAMAGED: dict[str, Callable] = {
    f.__name__.strip("_"): f
    for f in (
        _line, _far_line, _arc, _circle, _vertex, _bulge, _polyline, _text, _text_height,
        _mtext, _ellipse, _spline, _hatch, _insert_scale, _insert_at, _minsert_spacing,
        _extrusion,
    )
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_numbers_are_skipped_and_reported(name: str, tmp_path: Path) -> None:
    doc = new_doc()
    doc.blocks.new("CELL").add_line((0, 0), (100, 0))
    msp = doc.modelspace()
    room(msp)
    DAMAGED[name](msp)
    path = tmp_path / f"{name}.dxf"
    doc.saveas(path)
    d = read_quietly(path)
    assert issues(d).get("coordinate_out_of_range", 0) >= 1, d.issues
    assert [o.polygon.area for o in d.outlines if o.layer == "ROOM"] == [pytest.approx(20.0)]
    assert np.isfinite(d.segments).all()
    assert all(abs(v) <= 1e20 for t in d.texts for v in (t.x, t.y, t.height))
    assert not d.texts or name not in ("text", "text_height", "mtext")


def test_every_repro_reads_quietly() -> None:
    """The fuzz repros with NaN and 1e300/1e308 coordinates give no RuntimeWarning."""
    for name in ("vertex-1e300.dxf", "room-line-1e308.dxf"):
        d = read_quietly(REPROS / name)
        assert "coordinate_out_of_range" in issues(d)


def test_in_range_rejects_nan_inf_and_huge_values() -> None:
    from planchecker.reading.entities import in_range, polyline_in_range

    assert in_range(0.0, -1e20, 1e20)
    assert not in_range(0.0, NAN)
    assert not in_range(-INF)
    assert not in_range(1.0000001e20)
    assert polyline_in_range(np.array([[0.0, 0.0, 1e6], [1.0, 1.0, 0.0]]))
    assert not polyline_in_range(np.array([[0.0, 0.0, 1e7], [1.0, 1.0, 0.0]]))


# ------------------------------------------------------------------ precision


def _far_room(tmp_path: Path, x: float) -> Drawing:
    doc = new_doc()
    room(doc.modelspace(), x)
    path = tmp_path / f"far-{x:.0e}.dxf"
    doc.saveas(path)
    return read_quietly(path)


def test_coordinates_at_1e15_mm_are_precise_enough(tmp_path: Path) -> None:
    d = _far_room(tmp_path, 1e15)
    assert "coordinates_imprecise" not in issues(d)
    assert d.outlines[0].polygon.area == pytest.approx(20.0, abs=0.01)


def test_coordinates_at_1e18_mm_are_reported(tmp_path: Path) -> None:
    d = _far_room(tmp_path, 1e18)
    (issue,) = [i for i in d.issues if i.code == "coordinates_imprecise"]
    assert "rounded to 128 mm" in issue.detail and "1e+15 m" in issue.detail


def test_imprecision_threshold() -> None:
    assert limits.imprecision(2.0**53 - 1, 0.001) == ""  # ulp 1 mm: still fine
    assert "rounded to 2 mm" in limits.imprecision(2.0**53, 0.001)
    assert limits.imprecision(1e12, 1.0) == ""  # metres: ulp 0.12 mm
    assert limits.imprecision(0.0, 1.0) == ""


# ------------------------------------------------------------------ inventory


def _inventory_doc(tmp_path: Path) -> Path:
    doc = new_doc()
    msp = doc.modelspace()
    for i in range(30):
        msp.add_text(f"T{i}", dxfattribs={"insert": (i, 0)})
    msp.add_mtext("M")
    msp.add_lwpolyline([(i, i % 2) for i in range(500)])
    msp.add_polyline2d([(i, 0) for i in range(700)])
    path = tmp_path / "inv.dxf"
    doc.saveas(path)
    return path


def test_inventory_counts_texts_and_vertices(tmp_path: Path) -> None:
    inv = sniff.inventory(str(_inventory_doc(tmp_path)))
    assert inv is not None
    assert inv.texts == 31
    # a POLYLINE's vertices are its VERTEX entities, plus its own elevation point
    assert (inv.vertices, inv.vertices_of) == (701, "POLYLINE")
    assert inv.entities > 31 + 700


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_inventory_reads_other_line_ends(newline: bytes, tmp_path: Path) -> None:
    path = _inventory_doc(tmp_path)
    want = sniff.inventory(str(path))
    other = tmp_path / "other.dxf"
    other.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", newline))
    assert sniff.inventory(str(other)) == want


def test_inventory_is_the_same_in_small_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(_inventory_doc(tmp_path))
    want = sniff.inventory(path)
    for chunk in (7, 64, 1000):
        monkeypatch.setattr(sniff, "SCAN_CHUNK", chunk)
        assert sniff.inventory(path) == want, chunk


def test_inventory_is_not_fooled_by_values() -> None:
    """Values "0" and "10" (a layer "0", a colour 10) are no group codes."""
    data = b"0\nSECTION\n2\nENTITIES\n0\nLINE\n8\n0\n62\n10\n370\n25\n10\n1\n20\n2\n0\nENDSEC\n"
    inv = sniff._Counter(_Bytes(data)).run()
    assert inv == sniff.Inventory(3, 0, 1, "LINE")


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, n: int) -> bytes:
        out, self.data = self.data[:n], self.data[n:]
        return out


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_VERTICES", 600, r"a POLYLINE has 701 vertices, more than the limit of 600"),
        ("MAX_TEXTS", 30, r"holds 31 texts, more than the limit of 30"),
        ("MAX_ENTITIES", 100, r"holds [\d,]+ entities, more than the limit of 100"),
    ],
)
def test_beyond_a_limit_is_refused_before_parsing(
    limit: str, value: int, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _inventory_doc(tmp_path)
    monkeypatch.setattr(limits, limit, value)
    monkeypatch.setattr(ezdxf, "readfile", _never)
    with pytest.raises(DrawingError, match=message):
        read_drawing(path)


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("the file was parsed")


def test_binary_dxf_is_held_to_the_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = ezdxf.readfile(_inventory_doc(tmp_path))
    path = tmp_path / "inv-binary.dxf"
    doc.saveas(path, fmt="bin")
    monkeypatch.setattr(limits, "MAX_TEXTS", 30)
    with pytest.raises(DrawingError, match=r"holds 31 texts"):
        read_drawing(path)


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _inventory_doc(tmp_path)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    with pytest.raises(DrawingError, match=r"MB, more than the limit of 0 MB"):
        read_drawing(path)


def test_segment_budget_grows_with_the_file() -> None:
    assert limits.segment_budget(0) == limits.MIN_SEGMENT_BUDGET
    assert limits.segment_budget(4_000_000) == 400_000
    assert limits.segment_budget(10**10) == limits.MAX_SEGMENTS


# ------------------------------------------------------------------ names and layouts


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def test_undecodable_names_are_cleaned(tmp_path: Path) -> None:
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    blk = doc.blocks.new("BLKQQ")
    blk.add_line((0, 0), (1000, 0))
    blk.add_text("T", dxfattribs={"layer": "0"})
    msp = doc.modelspace()
    room(msp, layer="ROOMQQ")
    msp.add_blockref("BLKQQ", (0, 0), dxfattribs={"layer": "LAYQQ"})
    msp.add_blockref("NOPEQQ", (0, 0))
    path = tmp_path / "names.dxf"
    doc.saveas(path)
    # bytes 0x81 and 0x8D are undefined in cp1252: ezdxf keeps them as lone surrogates
    path.write_bytes(path.read_bytes().replace(b"QQ", b"\x81\x8d"))
    d = read_quietly(path)
    assert "ROOM\ufffd\ufffd" in d.layers and "BLK\ufffd\ufffd" in d.blocks
    names = [*d.layers, *d.blocks, *(o.layer for o in d.outlines)]
    names += [t.layer for t in d.texts] + [t.block or "" for t in d.texts]
    names += [i.detail for i in d.issues]
    assert not any(_has_surrogate(n) for n in names), names
    assert any("NOPE\ufffd\ufffd" in i.detail for i in d.issues)


def test_self_reference_with_undecodable_name_is_one_clean_line(tmp_path: Path) -> None:
    doc = ezdxf.new("R2000")
    blk = doc.blocks.new("LOOPQQ")
    blk.add_line((0, 0), (1, 1))
    blk.add_blockref("LOOPQQ", (10, 0))
    doc.modelspace().add_blockref("LOOPQQ", (0, 0))
    path = tmp_path / "loop.dxf"
    doc.saveas(path)
    path.write_bytes(path.read_bytes().replace(b"QQ", b"\x81\x8d"))
    with pytest.raises(DrawingError, match="block 'LOOP\ufffd\ufffd' references itself") as err:
        read_drawing(path)
    assert not _has_surrogate(str(err.value))


def test_damaged_layout_dictionary_reads_modelspace_from_its_block_record() -> None:
    d = read_quietly(REPROS / "layout-dictionary-damaged.dxf")
    assert issues(d) == {"recovered": 1}
    assert "modelspace" in d.issues[0].detail
    assert len(d.outlines) > 20 and len(d.texts) > 20
