"""The fast reader (reading/fastread.py) gives the Drawing the ezdxf path gives, or
leaves the file to ezdxf.

Each drawing is read twice: with ``PLANCHECKER_READER=ezdxf`` (ezdxf.readfile and the
Expander) and with ``PLANCHECKER_READER=fast``, in which the fast path must read the
file itself (a silent fallback would make the comparison pointless).  The two
Drawings must agree exactly: the same outlines (coordinates bit for bit), segments,
segment layers and blocks, texts, layer and block tables, units, encoding, DXF
version and read issues, in the same order.  The bundled samples, drawings built
here with one of every entity type and transform the reader knows, and the DXF
quirks it must get right (line endings, code pages, the last entity of the file)
are compared; files the fast path must not read are checked to fall back.
"""

from __future__ import annotations

import math
from pathlib import Path

import ezdxf
import numpy as np
import pytest
import shapely
from ezdxf.enums import TextEntityAlignment

from dxf_builders import (
    Sheet,
    compliant_centre,
    inject_entities,
    modelspace_owner,
    proxy_tags,
    recode,
)
from planchecker.api import review
from planchecker.model import Drawing
from planchecker.presenting import render
from planchecker.reading import fastread
from planchecker.reading.dxfscan import Unsupported
from planchecker.reading.reader import read_drawing
from planchecker.reading.sniff import sniff

SAMPLES = Path(__file__).resolve().parents[1] / "sample_plans"
SAMPLE_FILES = sorted(SAMPLES.glob("*.dxf")) + sorted(SAMPLES.glob("*/*.dxf"))


def read(path: Path, mode: str, monkeypatch: pytest.MonkeyPatch, **kwargs) -> Drawing:
    monkeypatch.setenv(fastread.ENV, mode)
    return read_drawing(path, **kwargs)


def assert_same(slow: Drawing, fast: Drawing) -> None:
    """The two Drawings agree in everything later stages read."""
    assert fast.layers == slow.layers
    assert fast.blocks == slow.blocks
    assert fast.issues == slow.issues
    assert fast.units == slow.units
    assert (fast.encoding, fast.dxf_version, fast.proxy_count) == (
        slow.encoding,
        slow.dxf_version,
        slow.proxy_count,
    )
    assert repr(fast.texts) == repr(slow.texts)  # repr: a NaN height equals itself
    for name in ("segments", "segment_layers", "segment_blocks"):
        a, b = getattr(slow, name), getattr(fast, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    assert len(fast.outlines) == len(slow.outlines)
    for o, p in zip(slow.outlines, fast.outlines, strict=True):
        assert (o.layer, o.kind, o.block, o.repaired, o.solid, o.edges) == (
            p.layer,
            p.kind,
            p.block,
            p.repaired,
            p.solid,
            p.edges,
        )
        assert shapely.equals_exact(o.polygon, p.polygon, tolerance=0.0), (o, p)


def same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs) -> Drawing:
    """Read `path` both ways (the fast way without fallback) and compare."""
    slow = read(path, "ezdxf", monkeypatch, **kwargs)
    fast = read(path, "fast", monkeypatch, **kwargs)
    assert_same(slow, fast)
    return fast


# ------------------------------------------------------------------ samples


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_samples_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    same_both_ways(path, monkeypatch)


def test_sample_reviews_are_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON report of every bundled sample does not depend on the reader."""
    centres = sorted(SAMPLES.glob("*.dxf")) + sorted(p for p in SAMPLES.iterdir() if p.is_dir())
    assert len(centres) >= 7
    for centre in centres:
        reports = []
        for mode in ("ezdxf", "fast"):
            monkeypatch.setenv(fastread.ENV, mode)
            reports.append(render(review(str(centre)), "json", "en"))
        assert reports[0] == reports[1], centre.name


# ------------------------------------------------------------------ built drawings


def _every_entity(sheet: Sheet) -> Sheet:
    """One of every entity type and transform the reader handles, in a corner of the
    plan (the rooms of the compliant centre stay what they are)."""
    doc, msp = sheet.doc, sheet.msp
    k = sheet.k
    for name in ("FURN", "NOTE", "SPACE", "HATCH"):
        sheet.ensure_layer(name)
    x0, y0 = -40 * k, -40 * k

    def at(x: float, y: float) -> tuple[float, float]:
        return (x0 + x * k, y0 + y * k)

    # linework: open and closed, bulges, ends that meet, 2-D and 3-D polylines
    msp.add_lwpolyline([(*at(0, 0), 0.3), (*at(2, 0), 0), (*at(2, 1), -0.5)], format="xyb")
    msp.add_lwpolyline(
        [(*at(3, 0), 0.4), (*at(4, 0), 0.4), (*at(4, 1), 0.4), (*at(3, 1), 0.4)],
        format="xyb",
        close=True,
        dxfattribs={"layer": "FURN"},
    )
    msp.add_lwpolyline([at(5, 0), at(6, 0), at(6, 1), at(5, 1), at(5, 0.0000001)])  # meets
    msp.add_lwpolyline([at(7, 0), at(8, 1), at(8, 0), at(7, 1)], close=True)  # a bow tie
    msp.add_lwpolyline([at(9, 0), at(10, 0), at(11, 0)], close=True)  # no area
    msp.add_lwpolyline([at(12, 0)])  # one vertex
    poly = msp.add_polyline2d([at(0, 3), at(2, 3), at(2, 4)], close=True)
    poly.vertices[0].dxf.bulge = 0.25
    msp.add_polyline3d([(*at(3, 3), 0), (*at(4, 3), 1), (*at(4, 4), 2)])
    msp.add_arc(at(6, 3), 0.5 * k, 10, 300)
    msp.add_circle(at(8, 3), 0.4 * k, dxfattribs={"layer": "FURN"})
    msp.add_ellipse(at(10, 3), major_axis=(0.6 * k, 0.2 * k), ratio=0.5)
    msp.add_ellipse(at(12, 3), major_axis=(0.6 * k, 0), ratio=0.5, start_param=0, end_param=2)
    msp.add_spline([at(0, 6), at(1, 7), at(2, 6), at(3, 7)])
    closed = msp.add_spline([at(4, 6), at(5, 7), at(6, 6), at(5, 5), at(4, 6)])
    closed.closed = True
    # OCS: mirrored geometry is stored with extrusion (0, 0, -1)
    mirrored = {"extrusion": (0, 0, -1)}
    msp.add_lwpolyline(
        [
            (-x0 - 7 * k, y0 + 6 * k, 0.5),
            (-x0 - 8 * k, y0 + 6 * k, 0),
            (-x0 - 8 * k, y0 + 7 * k, 0),
        ],
        format="xyb",
        close=True,
        dxfattribs=mirrored,
    )
    msp.add_circle((-x0 - 9 * k, y0 + 6 * k), 0.3 * k, dxfattribs=mirrored)
    msp.add_arc((-x0 - 10 * k, y0 + 6 * k), 0.3 * k, 0, 90, dxfattribs=mirrored)
    msp.add_text(
        "镜像", height=0.3 * k, dxfattribs={"insert": (-x0 - 11 * k, y0 + 6 * k), **mirrored}
    )
    tilted = {"extrusion": (0.3, 0.2, 0.9)}
    msp.add_circle(at(13, 6), 0.3 * k, dxfattribs=tilted)
    # texts: alignments, formatting, escapes, percent codes
    for i, align in enumerate(
        (
            TextEntityAlignment.LEFT,
            TextEntityAlignment.MIDDLE_CENTER,
            TextEntityAlignment.ALIGNED,
            TextEntityAlignment.FIT,
            TextEntityAlignment.TOP_RIGHT,
        )
    ):
        text = msp.add_text(f"储藏室{i} %%c100", height=0.3 * k, dxfattribs={"layer": "NOTE"})
        text.set_placement(at(i * 2, 9), at(i * 2 + 1.5, 9) if i in (2, 3) else None, align)
    msp.add_text("", dxfattribs={"insert": at(0, 10)})
    msp.add_text("\\U+8B66\\U+52A1\\U+5BA4", height=0.3 * k, dxfattribs={"insert": at(2, 10)})
    msp.add_mtext("{\\fSimSun|b0;\\C1;调解室}\\P25.36㎡", dxfattribs={"insert": at(4, 10)})
    # blocks: nested, layer 0 inheriting, base points, mirrored and scaled copies,
    # MINSERT arrays, ATTRIBs (one multi-line), an xref, a missing one, a zero scale
    chair = doc.blocks.new("椅子", base_point=(0.1 * k, 0.1 * k))
    chair.add_lwpolyline([(0, 0), (0.4 * k, 0), (0.4 * k, 0.4 * k), (0, 0.4 * k)], close=True)
    chair.add_arc((0.2 * k, 0.4 * k), 0.2 * k, 0, 180, dxfattribs={"layer": "FURN"})
    table = doc.blocks.new("TABLE-SET")
    table.add_circle((0, 0), 0.5 * k)
    table.add_blockref("椅子", (0.6 * k, 0), dxfattribs={"rotation": 90})
    table.add_blockref("椅子", (-0.6 * k, 0), dxfattribs={"xscale": -1})
    table.add_attdef("NO", (0, 0), dxfattribs={"height": 0.2 * k})
    table.add_hatch().paths.add_polyline_path([(0, 0), (0.2 * k, 0), (0, 0.2 * k)])
    sheet.door(-35, -30, 0.9)
    sheet.door(-33, -30, 0.9, rotation=90, mirror=True)
    ref = msp.add_blockref("TABLE-SET", at(3, 12), dxfattribs={"layer": "FURN", "rotation": 30})
    ref.add_attrib("NO", "编号 7", at(3, 12), dxfattribs={"height": 0.2 * k})
    hidden = ref.add_attrib("HIDDEN", "不可见", at(3, 13))
    hidden.is_invisible = True
    multi = msp.add_blockref("TABLE-SET", at(6, 12), dxfattribs={"xscale": 1.5, "yscale": 0.5})
    attrib = multi.add_attrib("NOTE", "", at(6, 12))
    attrib.set_mtext(ezdxf.entities.MText.new(dxfattribs={"text": "第一行\\P第二行"}))
    msp.add_blockref("TABLE-SET", at(9, 12), dxfattribs={"extrusion": (0, 0, -1)})
    grid = msp.add_blockref(
        "椅子",
        at(0, 15),
        dxfattribs={
            "row_count": 3,
            "column_count": 4,
            "row_spacing": 0.8 * k,
            "column_spacing": 0.7 * k,
            "rotation": 15,
        },
    )
    assert grid.dxf.row_count == 3
    msp.add_blockref("NO-SUCH-BLOCK", at(5, 15))
    msp.add_blockref("椅子", at(6, 15), dxfattribs={"xscale": 0})
    xref = doc.blocks.new("XREF-SITE")
    xref.block.dxf.flags = 4
    msp.add_blockref("XREF-SITE", at(7, 15))
    # hatches: an island, solid fill, an edge path with arcs
    outer = [at(0, 18), at(4, 18), at(4, 21), at(0, 21)]
    island = [at(1, 19), at(2, 19), at(2, 20), at(1, 20)]
    hatch = msp.add_hatch(dxfattribs={"layer": "HATCH"})
    hatch.paths.add_polyline_path(outer, is_closed=True)
    hatch.paths.add_polyline_path(island, is_closed=True)
    solid = msp.add_hatch(color=1, dxfattribs={"layer": "COLUMN"})
    solid.paths.add_polyline_path([at(5, 18), at(6, 18), at(6, 19), at(5, 19)], is_closed=True)
    edges = msp.add_hatch(dxfattribs={"layer": "SPACE"})
    path = edges.paths.add_edge_path()
    path.add_line(at(7, 18), at(9, 18))
    path.add_arc(at(9, 19), radius=1 * k, start_angle=270, end_angle=90)
    path.add_line(at(9, 20), at(7, 20))
    path.add_line(at(7, 20), at(7, 18))
    # skipped types and paperspace
    msp.add_point(at(0, 23))
    msp.add_solid([at(1, 23), at(2, 23), at(1, 24)])
    msp.add_xline(at(3, 23), (1, 0))
    dim = msp.add_linear_dim(base=at(0, 25), p1=at(0, 24), p2=at(3, 24))
    dim.render()
    doc.paperspace().add_line((0, 0), (100, 100))
    doc.paperspace().add_text("图纸空间", dxfattribs={"insert": (0, 0)})
    return sheet


@pytest.mark.parametrize("units", ["mm", "cm", "m"])
def test_every_entity_type_reads_the_same(
    units: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = _every_entity(compliant_centre(Sheet(units=units)))
    path = sheet.save(tmp_path / f"every-{units}.dxf")
    drawing = same_both_ways(path, monkeypatch)
    assert drawing.outlines and drawing.texts and len(drawing.segments) > 100


@pytest.mark.parametrize("version", ["R2000", "R2004", "R2018"])
def test_dxf_versions_read_the_same(
    version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = compliant_centre(Sheet(units="mm", version=version, angle=31.0, offset=(1e4, -500)))
    same_both_ways(_every_entity(sheet).save(tmp_path / f"v{version}.dxf"), monkeypatch)


def test_r12_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """R12: no subclass markers, no handles for some writers, POLYLINEs not LWPOLYLINEs."""
    doc = ezdxf.new("R12")
    msp = doc.modelspace()
    for x0 in (0, 8000):
        room = msp.add_polyline2d([(x0, 0), (x0 + 6000, 0), (x0 + 6000, 5000), (x0, 5000)])
        room.close()
        room.vertices[1].dxf.bulge = 0.1
        msp.add_line((x0, 0), (x0 + 6000, 5000), dxfattribs={"layer": "WALL"})
        msp.add_text("调解室", height=350, dxfattribs={"insert": (x0 + 2000, 2500)})
        msp.add_circle((x0 + 1000, 1000), 300)
        msp.add_arc((x0 + 3000, 1000), 500, 30, 200)
    desk = doc.blocks.new("DESK")
    desk.add_line((0, 0), (1200, 0))
    desk.add_attdef("TAG", (0, 0))
    ref = msp.add_blockref("DESK", (2000, 2000), dxfattribs={"rotation": 45})
    ref.add_attrib("TAG", "桌", (2000, 2000))
    doc.paperspace().add_line((0, 0), (10, 10))
    doc.saveas(tmp_path / "r12.dxf")
    drawing = same_both_ways(tmp_path / "r12.dxf", monkeypatch)
    assert drawing.dxf_version == "AC1009" and drawing.outlines


def test_units_inferred_and_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A centimetre drawing without $INSUNITS is expanded twice (millimetres assumed
    first): the fast path reads the file a second time and still agrees."""
    sheet = _every_entity(compliant_centre(Sheet(units="cm")))
    sheet.doc.header["$INSUNITS"] = 0
    drawing = same_both_ways(sheet.save(tmp_path / "cm.dxf"), monkeypatch)
    assert drawing.units.source == "inferred" and drawing.units.metres_per_unit == 0.01
    forced = same_both_ways(tmp_path / "cm.dxf", monkeypatch, units="m")
    assert forced.units.source == "option"


def test_line_endings_and_code_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CRLF files; an R2000 file in GBK; one whose header names the wrong code page
    (read in the codec the bytes are in, with the issue that says so)."""
    sheet = compliant_centre(Sheet(units="mm", version="R2000"))
    sheet.doc.encoding = "gbk"
    path = sheet.save(tmp_path / "gbk.dxf")
    same_both_ways(path, monkeypatch)
    crlf = tmp_path / "crlf.dxf"
    crlf.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    same_both_ways(crlf, monkeypatch)
    lying = recode(sheet.save(tmp_path / "lying.dxf"), "gbk", header="ANSI_1252")
    drawing = same_both_ways(lying, monkeypatch)
    assert "encoding_corrected" in {i.code for i in drawing.issues}
    assert any("调解室" in t.text for t in drawing.texts)


def test_proxies_and_the_last_entity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TArch proxies are counted; the file's last modelspace entity is read (ezdxf's
    iterdxf.single_pass_modelspace drops it, and a tag compiler fed one entity alone
    drops a point that ends it)."""
    sheet = compliant_centre(Sheet(units="mm"))
    path = sheet.save(tmp_path / "proxies.dxf")
    owner = modelspace_owner(sheet)
    proxies = [
        proxy_tags(0xF000 + i, owner, kind=k)
        for i, k in enumerate(("ACAD_PROXY_ENTITY", "TCH_WALL"))
    ]
    last = (
        f"  0\nLWPOLYLINE\n  5\nF100\n330\n{owner}\n100\nAcDbEntity\n  8\nLAST\n"
        "100\nAcDbPolyline\n 90\n2\n 70\n0\n 10\n-5000.0\n 20\n-5000.0\n"
        " 10\n-4000.0\n 20\n-4500.0\n"
    )
    inject_entities(path, sheet, [*proxies, last])
    drawing = same_both_ways(path, monkeypatch)
    assert drawing.proxy_count == 2
    assert drawing.layers[drawing.segment_layers[-1]] == "LAST"
    assert np.array_equal(drawing.segments[-1], [[-5.0, -5.0], [-4.0, -4.5]])


def test_damaged_numbers_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Values a damaged file holds (NaN, inf, 1e300 coordinates, absurd bulges, scales
    and extrusions) are skipped, dropped and counted the same way by both readers."""
    sheet = compliant_centre(Sheet(units="mm"))
    msp = sheet.msp
    nan, inf = float("nan"), float("inf")
    msp.add_line((nan, 0), (1000, 1000))
    msp.add_line((1e300, 0), (1e300, 1000))
    msp.add_lwpolyline([(0, 0, 1e9), (1000, 0, 0), (1000, 1000, 0)], format="xyb", close=True)
    msp.add_lwpolyline([(0, 0), (inf, 0), (1000, 1000)], close=True)
    msp.add_lwpolyline([(nan, 0)])
    msp.add_lwpolyline([(0, 0), (5e20, 0)], dxfattribs={"extrusion": (0, 0, nan)})
    msp.add_text("远处", height=300, dxfattribs={"insert": (1e30, 0)})
    msp.add_text("无处", height=nan, dxfattribs={"insert": (nan, nan)})
    msp.add_circle((0, 0), inf)
    msp.add_arc((0, 0), 100, nan, 90)
    desk = sheet.rect_block("DESK-X", 1.2, 0.6)
    assert desk is not None
    msp.add_blockref("DESK-X", (0, 0), dxfattribs={"xscale": 1e25})
    msp.add_blockref("DESK-X", (nan, 0))
    msp.add_blockref(
        "DESK-X",
        (0, 0),
        dxfattribs={"row_count": 5, "column_count": 5, "row_spacing": 1e200, "column_spacing": 1},
    )
    drawing = same_both_ways(sheet.save(tmp_path / "damaged.dxf"), monkeypatch)
    assert drawing.issues


def test_block_that_inserts_itself_fails_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = compliant_centre(Sheet(units="mm"))
    loop = sheet.doc.blocks.new("LOOP")
    loop.add_line((0, 0), (1, 1))
    loop.add_blockref("LOOP", (5, 5))
    sheet.msp.add_blockref("LOOP", (0, 0))
    path = sheet.save(tmp_path / "loop.dxf")
    errors = []
    for mode in ("ezdxf", "fast"):
        with pytest.raises(Exception) as caught:
            read(path, mode, monkeypatch)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and "references itself" in errors[0]


# ------------------------------------------------------------------ fallbacks


def _fast_refuses(path: Path) -> str:
    from planchecker.reading.primitives import Issues

    sniffed = sniff(str(path))
    if not fastread.wanted(sniffed):
        return "not wanted"
    with pytest.raises(Unsupported) as caught:
        loaded = fastread.load(sniffed, Issues())
        loaded.doc.expand(str(path), 0.001)
    return str(caught.value)


def test_files_left_to_ezdxf_read_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Binary DXF, damage ezdxf would repair or refuse, entities ezdxf changes while
    loading: the fast path steps aside and the result is the ezdxf path's."""
    sheet = compliant_centre(Sheet(units="mm"))
    good = sheet.save(tmp_path / "good.dxf").read_bytes()
    cases = {}
    sheet.doc.saveas(tmp_path / "binary.dxf", fmt="bin")
    cases["binary.dxf"] = (tmp_path / "binary.dxf").read_bytes()
    cases["bad-float.dxf"] = good.replace(b"\n 10\n", b"\n 10\n1,5x", 1)
    cases["lone-cr.dxf"] = good.replace(b"\nHEADER\n", b"\rHEADER\n", 1)  # fine for ezdxf
    cases["no-y.dxf"] = good.replace(b"\n 20\n", b"\n 21\n", 3)
    handle = b"\n  5\n"
    at = good.index(handle, good.index(b"ENTITIES"))
    cases["handle-0.dxf"] = (
        good[:at] + b"\n  5\n0\n" + good[good.index(b"\n", at + len(handle)) + 1 :]
    )
    entry = good.index(b"\n  5\n", good.index(b"\nLAYER\n", good.index(b"\nLAYER\n") + 1))
    taken = good[entry + 6 : good.index(b"\n", entry + 6)]  # a layer table entry's handle
    cases["entity-with-a-table-handle.dxf"] = (
        good[:at] + b"\n  5\n" + taken + b"\n" + good[good.index(b"\n", at + len(handle)) + 1 :]
    )
    line = sheet.msp.add_line((0, 0), (1, 1))
    layout = sheet.doc.layouts.get("Layout1").dxf_layout
    pointer = layout.dxf.block_record_handle
    layout.dxf.block_record_handle = line.dxf.handle  # a layout's block record: a LINE
    cases["layout-to-line.dxf"] = sheet.save(tmp_path / "layout.dxf").read_bytes()
    layout.dxf.block_record_handle = pointer
    line.destroy()
    frame = sheet.msp.add_mtext("框", dxfattribs={"insert": (0, 0)})
    frame.set_xdata(
        "ACAD",
        [
            (1000, "ACAD_MTEXT_TEXT_BORDERS_BEGIN"),
            (1005, "1"),
            (1000, "ACAD_MTEXT_TEXT_BORDERS_END"),
        ],
    )
    cases["mtext-frame.dxf"] = sheet.save(tmp_path / "frame.dxf").read_bytes()
    for name, data in cases.items():
        assert data != good, name
        path = tmp_path / name
        path.write_bytes(data)
        reason = _fast_refuses(path)
        assert reason, name
        monkeypatch.setenv(fastread.ENV, "ezdxf")
        try:
            expected: object = read_drawing(path)
        except Exception as exc:
            expected = str(exc)
        monkeypatch.setenv(fastread.ENV, "")
        try:
            got: object = read_drawing(path)
        except Exception as exc:
            got = str(exc)
        if isinstance(expected, Drawing):
            assert isinstance(got, Drawing), (name, got)
            assert_same(expected, got)
        else:
            assert got == expected, name


def test_flattening_matches_to_the_last_bit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many bulged outlines of random sizes in one batch: the batched flattening
    (fastpoly) gives the floats the one-by-one code gives."""
    import random

    rng = random.Random(5)
    sheet = Sheet(units="mm")
    for i in range(1200):
        x, y = rng.uniform(-1e5, 1e5), rng.uniform(-1e5, 1e5)
        w, h = rng.uniform(0.5, 3000), rng.uniform(0.5, 3000)
        bulge = rng.choice((0.0, 0.2, 0.4142, -1.0, 1.0, 3.0, 1e-9))
        points = [(x, y, bulge), (x + w, y, 0.0), (x + w, y + h, -bulge), (x, y + h, 0.0)]
        sheet.msp.add_lwpolyline(points, format="xyb", close=i % 3 > 0)
    drawing = same_both_ways(sheet.save(tmp_path / "bulges.dxf"), monkeypatch)
    assert len(drawing.outlines) > 600 and math.isfinite(float(drawing.segments.sum()))
