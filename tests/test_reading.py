"""The read stage on drawings built in code: geometry, blocks, text, encodings, units.

Every fixture is made with ezdxf in tmp_path and checked against numbers worked
out by hand (areas, positions), not against what the reader happened to return.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import ezdxf
import numpy as np
import pytest
from ezdxf.enums import TextEntityAlignment

from planchecker.errors import DrawingError
from planchecker.model import Drawing, Outline
from planchecker.reading import read_drawing

# ------------------------------------------------------------------ helpers


def new_doc(insunits: int = 4, version: str = "R2010") -> ezdxf.document.Drawing:
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = insunits
    return doc


def save(doc: ezdxf.document.Drawing, tmp_path: Path, name: str = "plan.dxf") -> Path:
    path = tmp_path / name
    doc.saveas(path)
    return path


def rect(x0: float, y0: float, w: float, h: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]


def only(items: list[Outline] | tuple[Outline, ...]) -> Outline:
    assert len(items) == 1, items
    return items[0]


def outlines_on(drawing: Drawing, layer: str, kind: str = "outline") -> list[Outline]:
    return [o for o in drawing.outlines if o.layer == layer and o.kind == kind]


def issue_codes(drawing: Drawing) -> dict[str, int]:
    return {i.code: i.count for i in drawing.issues}


def bulge_segment_area(chord: float, bulge: float) -> float:
    """Area between a chord and the arc a bulge draws on it."""
    theta = 4 * math.atan(abs(bulge))
    r = chord / (2 * math.sin(theta / 2))
    return r * r * (theta - math.sin(theta)) / 2


# ---------------------------------------------------------------- polylines


@pytest.mark.parametrize(
    ("insunits", "scale"), [(4, 1000.0), (6, 1.0), (5, 100.0), (1, 1 / 0.0254), (2, 1 / 0.3048)]
)
def test_closed_rectangle_area_in_metres(tmp_path: Path, insunits: int, scale: float) -> None:
    doc = new_doc(insunits)
    doc.modelspace().add_lwpolyline(
        rect(0, 0, 5 * scale, 4 * scale), close=True, dxfattribs={"layer": "ROOM"}
    )
    d = read_drawing(save(doc, tmp_path))
    room = only(outlines_on(d, "ROOM"))
    assert room.polygon.area == pytest.approx(20.0, abs=0.01)
    assert room.polygon.bounds == pytest.approx((0, 0, 5, 4))
    assert d.units.source == "header"
    assert d.units.metres_per_unit == pytest.approx(1 / scale)
    assert d.units.insunits == insunits
    assert not room.repaired and room.block is None
    assert d.dxf_version == "AC1024"
    assert d.encoding == "utf-8"


def test_room_with_bulge_arc_area_to_a_tenth_of_a_percent(tmp_path: Path) -> None:
    doc = new_doc(4)
    # 4 x 3 m with the east side bulging out as a half circle of radius 1.5 m
    pts = [(0, 0, 0), (4000, 0, 1.0), (4000, 3000, 0), (0, 3000, 0)]
    doc.modelspace().add_lwpolyline(pts, format="xyb", close=True, dxfattribs={"layer": "R"})
    # and one with a shallow arc (bulge 0.3) bulging inwards (clockwise) on the north side
    pts2 = [(10000, 0, 0), (14000, 0, 0), (14000, 3000, -0.3), (10000, 3000, 0)]
    doc.modelspace().add_lwpolyline(pts2, format="xyb", close=True, dxfattribs={"layer": "R2"})
    d = read_drawing(save(doc, tmp_path))
    expected = 12.0 + math.pi * 1.5**2 / 2
    assert only(outlines_on(d, "R")).polygon.area == pytest.approx(expected, rel=1e-3)
    assert only(outlines_on(d, "R")).polygon.bounds[2] == pytest.approx(5.5, abs=1e-3)
    inward = 12.0 - bulge_segment_area(4.0, 0.3)
    assert only(outlines_on(d, "R2")).polygon.area == pytest.approx(inward, rel=1e-3)


def test_l_shaped_room(tmp_path: Path) -> None:
    doc = new_doc(4)
    pts = [(0, 0), (6000, 0), (6000, 2000), (3000, 2000), (3000, 4000), (0, 4000)]
    doc.modelspace().add_lwpolyline(pts, close=True, dxfattribs={"layer": "ROOM"})
    d = read_drawing(save(doc, tmp_path))
    room = only(outlines_on(d, "ROOM"))
    assert room.polygon.area == pytest.approx(18.0, abs=0.01)
    assert len(room.polygon.exterior.coords) == 7


def test_polyline_not_flagged_closed_but_ends_meet(tmp_path: Path) -> None:
    doc = new_doc(4)
    msp = doc.modelspace()
    exact = [*rect(0, 0, 3000, 3000), (0, 0)]
    near = [*rect(5000, 0, 3000, 3000), (5000.5, 0.3)]  # 0.6 mm gap, like real files
    far = [*rect(10000, 0, 3000, 3000), (10000, 50)]  # a 50 mm gap is a real opening
    msp.add_lwpolyline(exact, dxfattribs={"layer": "EXACT"})
    msp.add_lwpolyline(near, dxfattribs={"layer": "NEAR"})
    msp.add_polyline2d(far, dxfattribs={"layer": "FAR"})
    d = read_drawing(save(doc, tmp_path))
    exact_room = only(outlines_on(d, "EXACT"))
    assert exact_room.polygon.area == pytest.approx(9.0, abs=0.01)
    assert not exact_room.repaired
    near_room = only(outlines_on(d, "NEAR"))
    assert near_room.polygon.area == pytest.approx(9.0, abs=0.01)
    assert near_room.repaired
    assert outlines_on(d, "FAR") == []
    assert issue_codes(d)["outline_closed"] == 2
    far_id = d.layers.index("FAR")
    assert int(np.sum(d.segment_layers == far_id)) == 4


def test_old_style_polyline_with_bulge(tmp_path: Path) -> None:
    doc = new_doc(4)
    pts = [(0, 0, 0, 0, 1.0), (2000, 0, 0, 0, 0), (2000, 2000, 0, 0, 0), (0, 2000, 0, 0, 0)]
    doc.modelspace().add_polyline2d(pts, format="xyseb", close=True, dxfattribs={"layer": "ROOM"})
    d = read_drawing(save(doc, tmp_path))
    # bulge 1 on (0,0)->(2000,0) is a counter-clockwise half circle below the chord
    assert only(outlines_on(d, "ROOM")).polygon.area == pytest.approx(4.0 + math.pi / 2, rel=1e-3)


def test_self_intersecting_outline_is_repaired(tmp_path: Path) -> None:
    doc = new_doc(4)
    bow_tie = [(0, 0), (4000, 4000), (4000, 0), (0, 3000)]
    doc.modelspace().add_lwpolyline(bow_tie, close=True, dxfattribs={"layer": "BAD"})
    flat = [(0, 10000), (1000, 10000), (2000, 10000)]
    doc.modelspace().add_lwpolyline(flat, close=True, dxfattribs={"layer": "FLAT"})
    d = read_drawing(save(doc, tmp_path))
    room = only(outlines_on(d, "BAD"))
    assert room.repaired
    assert room.polygon.is_valid
    assert room.polygon.geom_type == "Polygon"
    # the two lobes meet at (2285.7, 2285.7); the bigger one is the x > 2285.7 triangle
    x = 4000 * 3000 / (4000 + 3000) / 1000
    assert room.polygon.area == pytest.approx(4 * (4 - x) / 2, rel=1e-6)
    assert outlines_on(d, "FLAT") == []
    codes = issue_codes(d)
    assert codes["outline_repaired"] == 1
    assert codes["outline_split"] == 1
    assert codes["outline_dropped"] == 1


def test_circle_is_an_outline_and_arcs_are_segments(tmp_path: Path) -> None:
    doc = new_doc(4)
    msp = doc.modelspace()
    msp.add_circle((10000, 0), 2000, dxfattribs={"layer": "ROUND"})
    msp.add_arc((0, 0), 1000, 0, 90, dxfattribs={"layer": "DOOR"})
    d = read_drawing(save(doc, tmp_path))
    round_room = only(outlines_on(d, "ROUND"))
    assert round_room.polygon.area == pytest.approx(math.pi * 4, rel=1e-3)
    door = d.segments[d.segment_layers == d.layers.index("DOOR")]
    assert len(door) >= 9
    assert door[0, 0] == pytest.approx((1.0, 0.0))
    assert door[-1, 1] == pytest.approx((0.0, 1.0), abs=1e-12)
    radii = np.hypot(door[..., 0], door[..., 1])
    assert radii == pytest.approx(np.ones_like(radii))


def test_mirrored_extrusion_polyline(tmp_path: Path) -> None:
    doc = new_doc(4)
    doc.modelspace().add_lwpolyline(
        rect(1000, 0, 2000, 1000), close=True, dxfattribs={"layer": "R", "extrusion": (0, 0, -1)}
    )
    d = read_drawing(save(doc, tmp_path))
    # OCS x runs along WCS -x when the extrusion points down
    assert only(outlines_on(d, "R")).polygon.bounds == pytest.approx((-3, 0, -1, 1))


# ------------------------------------------------------------------ hatches


def test_hatch_with_island_is_a_polygon_with_a_hole(tmp_path: Path) -> None:
    doc = new_doc(4)
    hatch = doc.modelspace().add_hatch(color=1, dxfattribs={"layer": "FILL"})
    hatch.paths.add_polyline_path(rect(0, 0, 10000, 10000), flags=1)  # external
    hatch.paths.add_polyline_path(rect(4000, 4000, 2000, 2000), flags=16)  # outermost island
    solid = doc.modelspace().add_hatch(color=2, dxfattribs={"layer": "COLUMN"})
    solid.set_solid_fill()
    solid.paths.add_polyline_path(rect(20000, 0, 500, 500))
    pattern = doc.modelspace().add_hatch(dxfattribs={"layer": "TILE"})
    pattern.set_pattern_fill("ANSI31", scale=10)
    pattern.paths.add_polyline_path(rect(30000, 0, 1000, 1000))
    d = read_drawing(save(doc, tmp_path))
    fill = only(outlines_on(d, "FILL", "hatch"))
    assert fill.polygon.area == pytest.approx(100.0 - 4.0, abs=0.01)
    assert len(fill.polygon.interiors) == 1
    assert only(outlines_on(d, "COLUMN", "hatch")).solid
    assert not only(outlines_on(d, "TILE", "hatch")).solid
    # hatches are areas, not linework
    assert "FILL" not in d.segment_layer_names()


def test_hatch_with_edge_path_of_lines_and_arc(tmp_path: Path) -> None:
    doc = new_doc(4)
    hatch = doc.modelspace().add_hatch(dxfattribs={"layer": "FILL"})
    edges = hatch.paths.add_edge_path()
    edges.add_line((0, 0), (4000, 0))
    edges.add_arc((4000, 1000), 1000, -90, 90)
    edges.add_line((4000, 2000), (0, 2000))
    edges.add_line((0, 2000), (0, 0))
    d = read_drawing(save(doc, tmp_path))
    fill = only(outlines_on(d, "FILL", "hatch"))
    assert fill.polygon.area == pytest.approx(8.0 + math.pi / 2, rel=1e-3)
    assert fill.polygon.bounds == pytest.approx((0, 0, 5, 2), abs=1e-6)


def test_hatch_with_nested_islands_uses_even_odd(tmp_path: Path) -> None:
    doc = new_doc(6)
    hatch = doc.modelspace().add_hatch(dxfattribs={"layer": "FILL"})
    hatch.paths.add_polyline_path(rect(0, 0, 10, 10), flags=1)
    hatch.paths.add_polyline_path(rect(2, 2, 6, 6), flags=16)
    hatch.paths.add_polyline_path(rect(4, 4, 2, 2), flags=0)
    hatch.paths.add_polyline_path(rect(20, 0, 3, 3), flags=1)  # a separate part
    d = read_drawing(save(doc, tmp_path))
    parts = sorted(outlines_on(d, "FILL", "hatch"), key=lambda o: o.polygon.area)
    assert [round(p.polygon.area, 6) for p in parts] == [4.0, 9.0, 100 - 36]


def test_hatch_with_a_boundary_picked_twice_keeps_its_area(tmp_path: Path) -> None:
    doc = new_doc(6)
    hatch = doc.modelspace().add_hatch(dxfattribs={"layer": "FILL"})
    hatch.paths.add_polyline_path(rect(0, 0, 4, 3), flags=1)
    hatch.paths.add_polyline_path(list(reversed(rect(0, 0, 4, 3))), flags=0)
    d = read_drawing(save(doc, tmp_path))
    assert only(outlines_on(d, "FILL", "hatch")).polygon.area == pytest.approx(12.0)


# ------------------------------------------------------------------- blocks


def room_block(doc: ezdxf.document.Drawing, name: str = "ROOM", layer: str = "0") -> None:
    blk = doc.blocks.new(name)
    blk.add_lwpolyline(rect(0, 0, 4000, 3000), close=True, dxfattribs={"layer": layer})


def rotate(x: float, y: float, degrees: float) -> tuple[float, float]:
    a = math.radians(degrees)
    return x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)


def test_room_in_rotated_non_uniformly_scaled_block(tmp_path: Path) -> None:
    doc = new_doc(4)
    room_block(doc)
    doc.modelspace().add_blockref(
        "ROOM",
        (10000, 5000),
        dxfattribs={"xscale": 2, "yscale": 1.5, "rotation": 30, "layer": "ROOMS"},
    )
    d = read_drawing(save(doc, tmp_path))
    room = only(outlines_on(d, "ROOMS"))
    assert room.polygon.area == pytest.approx(12.0 * 3.0, rel=1e-9)
    cx, cy = rotate(2000 * 2, 1500 * 1.5, 30)
    assert (room.polygon.centroid.x, room.polygon.centroid.y) == pytest.approx(
        ((10000 + cx) / 1000, (5000 + cy) / 1000)
    )
    assert room.block == "ROOM"


def test_mirrored_block_keeps_areas_and_bulges(tmp_path: Path) -> None:
    doc = new_doc(4)
    blk = doc.blocks.new("BAY")
    pts = [(0, 0, 0), (4000, 0, 1.0), (4000, 3000, 0), (0, 3000, 0)]
    blk.add_lwpolyline(pts, format="xyb", close=True, dxfattribs={"layer": "R"})
    doc.modelspace().add_blockref("BAY", (0, 0), dxfattribs={"xscale": -1})
    d = read_drawing(save(doc, tmp_path))
    room = only(outlines_on(d, "R"))
    assert room.polygon.area == pytest.approx(12.0 + math.pi * 1.5**2 / 2, rel=1e-3)
    # mirrored about the y axis: the half circle now bulges to x = -5.5
    assert room.polygon.bounds == pytest.approx((-5.5, 0, 0, 3), abs=1e-3)


def test_nested_blocks_compose_transforms_and_inherit_layer(tmp_path: Path) -> None:
    doc = new_doc(4)
    inner = doc.blocks.new("INNER")
    inner.add_lwpolyline(rect(0, 0, 1000, 1000), close=True)  # layer "0": ByBlock
    inner.add_lwpolyline(rect(0, 0, 100, 100), close=True, dxfattribs={"layer": "KEEP"})
    outer = doc.blocks.new("OUTER", base_point=(500, 0))
    outer.add_blockref("INNER", (2000, 0), dxfattribs={"rotation": 90, "xscale": 2, "yscale": 2})
    doc.modelspace().add_blockref(
        "OUTER", (10000, 0), dxfattribs={"xscale": 1.5, "yscale": 1.5, "layer": "ROOMS"}
    )
    d = read_drawing(save(doc, tmp_path))
    room = only(outlines_on(d, "ROOMS"))
    assert room.polygon.area == pytest.approx((2 * 1.5) ** 2)
    assert room.block == "INNER"
    # INNER's (500, 500) -> x2, rot 90 -> (-1000, 1000) -> +(2000, 0) -> -base (500, 0)
    # -> x1.5 -> +(10000, 0)
    cx = 10000 + 1.5 * (2000 - 1000 - 500)
    cy = 1.5 * 1000
    assert (room.polygon.centroid.x, room.polygon.centroid.y) == pytest.approx(
        (cx / 1000, cy / 1000)
    )
    assert only(outlines_on(d, "KEEP")).polygon.area == pytest.approx((0.1 * 3) ** 2)


def test_block_base_point_is_subtracted(tmp_path: Path) -> None:
    doc = new_doc(4)
    blk = doc.blocks.new("B", base_point=(1000, 500))
    blk.add_lwpolyline(rect(1000, 500, 2000, 2000), close=True, dxfattribs={"layer": "R"})
    doc.modelspace().add_blockref("B", (7000, 7000))
    d = read_drawing(save(doc, tmp_path))
    assert only(outlines_on(d, "R")).polygon.bounds == pytest.approx((7, 7, 9, 9))


def test_minsert_array(tmp_path: Path) -> None:
    doc = new_doc(4)
    room_block(doc, layer="CELL")
    ref = doc.modelspace().add_blockref("ROOM", (0, 0))
    ref.grid(size=(3, 4), spacing=(5000, 6000))  # 3 rows, 4 columns
    d = read_drawing(save(doc, tmp_path))
    cells = outlines_on(d, "CELL")
    assert len(cells) == 12
    corners = sorted((round(o.polygon.bounds[0], 6), round(o.polygon.bounds[1], 6)) for o in cells)
    assert corners[-1] == (18.0, 10.0)
    assert sum(o.polygon.area for o in cells) == pytest.approx(12 * 12.0)


def test_rotated_minsert_array(tmp_path: Path) -> None:
    doc = new_doc(4)
    room_block(doc, layer="CELL")
    ref = doc.modelspace().add_blockref("ROOM", (1000, 0), dxfattribs={"rotation": 90})
    ref.grid(size=(2, 3), spacing=(5000, 6000))
    d = read_drawing(save(doc, tmp_path))
    cells = outlines_on(d, "CELL")
    assert len(cells) == 6
    # the grid turns with the block: columns run up the y axis, rows to -x
    got = sorted((round(o.polygon.centroid.x, 6), round(o.polygon.centroid.y, 6)) for o in cells)
    want = sorted(
        (round((1000 - 1500 - r * 5000) / 1000, 6), round((2000 + c * 6000) / 1000, 6))
        for r in range(2)
        for c in range(3)
    )
    assert got == want


def test_huge_minsert_is_refused_before_copying(tmp_path: Path) -> None:
    """A MINSERT of a million cells is refused at once (limits.MAX_ARRAY_COPIES)."""
    doc = new_doc(4)
    room_block(doc, layer="CELL")
    ref = doc.modelspace().add_blockref("ROOM", (0, 0))
    ref.grid(size=(1000, 1000), spacing=(5000, 6000))
    with pytest.raises(DrawingError, match=r"array of 1,000,000 copies of block 'ROOM'"):
        read_drawing(save(doc, tmp_path))


def test_minsert_beyond_the_shape_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planchecker.reading import limits

    monkeypatch.setattr(limits, "MAX_SHAPES", 1000)
    doc = new_doc(4)
    room_block(doc, layer="CELL")
    ref = doc.modelspace().add_blockref("ROOM", (0, 0))
    ref.grid(size=(40, 40), spacing=(5000, 6000))
    with pytest.raises(DrawingError, match=r"1,600 outlines and texts, more than the limit"):
        read_drawing(save(doc, tmp_path))


def test_many_inserts_are_capped_at_the_shape_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Separate INSERTs are copied up to the limit, and the rest reported."""
    from planchecker.reading import limits

    monkeypatch.setattr(limits, "MAX_SHAPES", 1000)
    doc = new_doc(4)
    room_block(doc, layer="CELL")
    msp = doc.modelspace()
    for i in range(1200):
        msp.add_blockref("ROOM", ((i % 40) * 5000, (i // 40) * 6000))
    d = read_drawing(save(doc, tmp_path))
    assert len(outlines_on(d, "CELL")) == 1000
    assert issue_codes(d)["expansion_limit"] == 200


def test_self_referencing_block_is_a_drawing_error(tmp_path: Path) -> None:
    doc = new_doc(4)
    blk = doc.blocks.new("LOOP")
    blk.add_line((0, 0), (1, 1))
    blk.add_blockref("LOOP", (10, 0))
    doc.modelspace().add_blockref("LOOP", (0, 0))
    with pytest.raises(DrawingError, match="block 'LOOP' references itself"):
        read_drawing(save(doc, tmp_path))


def test_mutually_referencing_blocks_are_a_drawing_error(tmp_path: Path) -> None:
    doc = new_doc(4)
    doc.blocks.new("A").add_blockref("B", (0, 0))
    doc.blocks.new("B").add_blockref("A", (0, 0))
    doc.modelspace().add_blockref("A", (0, 0))
    with pytest.raises(DrawingError, match=r"references itself .*through"):
        read_drawing(save(doc, tmp_path))


def test_missing_block_is_counted_not_fatal(tmp_path: Path) -> None:
    doc = new_doc(4)
    room_block(doc, layer="R")
    doc.modelspace().add_blockref("ROOM", (0, 0))
    path = save(doc, tmp_path)
    text = path.read_text(encoding="utf-8")
    # a second INSERT naming a block that was never defined
    text = text.replace("ENTITIES\n", "ENTITIES\n  0\nINSERT\n  5\nFFFF\n  8\n0\n  2\nGHOST\n", 1)
    path.write_text(text, encoding="utf-8")
    d = read_drawing(path)
    assert len(outlines_on(d, "R")) == 1
    assert issue_codes(d)["block_missing"] == 1


# --------------------------------------------------------------------- text


def test_text_alignment_anchor(tmp_path: Path) -> None:
    doc = new_doc(4)
    msp = doc.modelspace()
    msp.add_text("调解室", height=300, dxfattribs={"layer": "T"}).set_placement(
        (1000, 2000), align=TextEntityAlignment.MIDDLE_CENTER
    )
    msp.add_text("档案室", height=250, dxfattribs={"layer": "T", "insert": (5000, 6000)})
    fit = msp.add_text("接待室", height=250, dxfattribs={"layer": "T"})
    fit.set_placement((0, 0), (4000, 0), align=TextEntityAlignment.FIT)
    d = read_drawing(save(doc, tmp_path))
    by_text = {t.text: t for t in d.texts}
    middle = by_text["调解室"]
    assert (middle.x, middle.y, middle.height) == pytest.approx((1.0, 2.0, 0.3))
    assert middle.kind == "TEXT" and middle.layer == "T"
    left = by_text["档案室"]
    assert (left.x, left.y, left.height) == pytest.approx((5.0, 6.0, 0.25))
    assert (by_text["接待室"].x, by_text["接待室"].y) == pytest.approx((2.0, 0.0))


@pytest.mark.parametrize(
    "raw",
    [
        r"{\fSimSun|b0;\C1;调解室}\P25.36㎡",
        r"{\fSimSun|b0|i0|c134;\C1;调解室}\P25.36㎡",
        r"\A1;{\H1.5x;\L调解室\l}\P\pxqc;25.36㎡",
    ],
)
def test_mtext_formatting_is_stripped(tmp_path: Path, raw: str) -> None:
    doc = new_doc(4)
    doc.modelspace().add_mtext(
        raw, dxfattribs={"insert": (1000, 1500), "char_height": 250, "layer": "T"}
    )
    d = read_drawing(save(doc, tmp_path))
    (t,) = d.texts
    assert t.text == "调解室\n25.36㎡"
    assert t.kind == "MTEXT"
    assert (t.x, t.y, t.height) == pytest.approx((1.0, 1.5, 0.25))


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("%%C100", "Ø100"),
        ("45%%D", "45°"),
        ("%%P0.000", "±0.000"),
        ("%%U档案室%%U", "档案室"),
        ("   ", None),
    ],
)
def test_percent_codes_are_converted(tmp_path: Path, raw: str, plain: str | None) -> None:
    doc = new_doc(4)
    doc.modelspace().add_text(raw, height=100)
    d = read_drawing(save(doc, tmp_path))
    assert [t.text for t in d.texts] == ([plain] if plain else [])


def test_attrib_in_block_reference_is_text_and_attdef_is_not(tmp_path: Path) -> None:
    doc = new_doc(4)
    blk = doc.blocks.new("STAMP")
    blk.add_lwpolyline(rect(0, 0, 1000, 500), close=True, dxfattribs={"layer": "STAMP"})
    blk.add_attdef("NAME", (100, 100), dxfattribs={"height": 200, "layer": "0"})
    ref = doc.modelspace().add_blockref(
        "STAMP", (3000, 4000), dxfattribs={"rotation": 90, "layer": "LABELS"}
    )
    ref.add_auto_attribs({"NAME": "档案室"})
    d = read_drawing(save(doc, tmp_path))
    (t,) = d.texts
    assert t.text == "档案室"
    assert t.kind == "ATTRIB"
    x, y = rotate(100, 100, 90)
    assert (t.x, t.y) == pytest.approx(((3000 + x) / 1000, (4000 + y) / 1000))
    assert t.height == pytest.approx(0.2)
    assert t.layer == "LABELS"


def test_text_inside_scaled_block(tmp_path: Path) -> None:
    doc = new_doc(4)
    blk = doc.blocks.new("LABEL")
    blk.add_text("活动室", height=100, dxfattribs={"insert": (100, 0), "layer": "TXT"})
    doc.modelspace().add_blockref("LABEL", (1000, 1000), dxfattribs={"xscale": 3, "yscale": 3})
    d = read_drawing(save(doc, tmp_path))
    (t,) = d.texts
    assert (t.x, t.y, t.height) == pytest.approx((1.3, 1.0, 0.3))
    assert t.block == "LABEL" and t.layer == "TXT"


# ---------------------------------------------------------------- encodings


def gbk_doc() -> ezdxf.document.Drawing:
    doc = ezdxf.new("R2000")
    doc.encoding = "gbk"
    doc.header["$DWGCODEPAGE"] = "ANSI_936"
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_text("便民服务大厅", height=300, dxfattribs={"insert": (1000, 1000)})
    return doc


def test_r2000_gbk_file(tmp_path: Path) -> None:
    path = save(gbk_doc(), tmp_path)
    assert "便民".encode("gbk") in path.read_bytes()
    d = read_drawing(path)
    assert [t.text for t in d.texts] == ["便民服务大厅"]
    assert d.encoding == "gbk"
    assert d.dxf_version == "AC1015"


def test_gbk_bytes_under_a_western_code_page(tmp_path: Path) -> None:
    path = save(gbk_doc(), tmp_path)
    path.write_bytes(path.read_bytes().replace(b"ANSI_936", b"ANSI_1252"))
    d = read_drawing(path)
    assert [t.text for t in d.texts] == ["便民服务大厅"]
    assert d.encoding == "gbk"
    assert "encoding_corrected" in issue_codes(d)


def test_utf8_bytes_under_a_gbk_code_page(tmp_path: Path) -> None:
    path = save(gbk_doc(), tmp_path)
    path.write_bytes(path.read_bytes().decode("gbk").encode("utf-8"))
    d = read_drawing(path)
    assert [t.text for t in d.texts] == ["便民服务大厅"]
    assert d.encoding == "utf-8"


def test_unicode_escapes_are_decoded(tmp_path: Path) -> None:
    doc = new_doc(4, "R2000")
    doc.modelspace().add_text(r"\U+4FBF\U+6C11服务", height=300)
    path = save(doc, tmp_path)
    d = read_drawing(path)
    assert [t.text for t in d.texts] == ["便民服务"]


def test_binary_dxf(tmp_path: Path) -> None:
    doc = new_doc(4)
    doc.modelspace().add_lwpolyline(rect(0, 0, 5000, 4000), close=True, dxfattribs={"layer": "R"})
    doc.modelspace().add_text("调解室", height=300, dxfattribs={"insert": (2000, 2000)})
    path = tmp_path / "plan.dxf"
    doc.saveas(path, fmt="bin")
    assert path.read_bytes().startswith(b"AutoCAD Binary DXF")
    d = read_drawing(path)
    assert only(outlines_on(d, "R")).polygon.area == pytest.approx(20.0)
    assert [t.text for t in d.texts] == ["调解室"]


# -------------------------------------------------------------------- units


def building(doc: ezdxf.document.Drawing, width: float, unit: float) -> None:
    """A building `width` units wide, with rooms of 6 x 5 m in `unit` per metre."""
    msp = doc.modelspace()
    msp.add_lwpolyline(rect(0, 0, width, width * 0.4), close=True, dxfattribs={"layer": "WALL"})
    for i in range(4):
        msp.add_lwpolyline(
            rect(i * 6 * unit, 0, 6 * unit, 5 * unit), close=True, dxfattribs={"layer": "ROOM"}
        )


def test_no_insunits_30000_units_wide_is_millimetres(tmp_path: Path) -> None:
    doc = new_doc(0)
    building(doc, 30000, 1000)
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 0.001
    assert d.units.source == "inferred"
    assert "millimetres" in d.units.note and "30 m" in d.units.note
    assert "units_inferred" in issue_codes(d)
    assert max(o.polygon.area for o in outlines_on(d, "ROOM")) == pytest.approx(30.0)


def test_no_insunits_3000_units_wide_is_centimetres(tmp_path: Path) -> None:
    doc = new_doc(0)
    building(doc, 3000, 100)
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 0.01
    assert "centimetres" in d.units.note


def test_no_insunits_30_units_wide_is_metres(tmp_path: Path) -> None:
    doc = new_doc(0)
    building(doc, 30, 1)
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 1.0


def test_area_labels_decide_units_over_sizes(tmp_path: Path) -> None:
    # 1500 units across looks like 15 m in centimetres, but the labels say each
    # 1000 x 1000 outline is 1 m²: millimetres.
    doc = new_doc(0)
    msp = doc.modelspace()
    for i, x in enumerate((0, 1100)):
        msp.add_lwpolyline(rect(x, 0, 1000, 1000), close=True, dxfattribs={"layer": f"R{i}"})
        msp.add_mtext(r"储藏\P1.00㎡", dxfattribs={"insert": (x + 500, 500), "char_height": 50})
    msp.add_line((-200, -200), (1300, -200))
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 0.001
    assert "area label" in d.units.note


def test_header_in_metres_on_a_millimetre_plan_is_overridden(tmp_path: Path) -> None:
    doc = new_doc(6)  # says metres, drawn in millimetres: a 30 km building
    building(doc, 30000, 1000)
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 0.001
    assert d.units.source == "inferred"
    assert d.units.insunits == 6
    assert "$INSUNITS 6" in d.units.note and "30000 m wide" in d.units.note
    assert max(o.polygon.area for o in outlines_on(d, "ROOM")) == pytest.approx(30.0)


def test_header_is_trusted_when_the_plan_is_merely_unusual(tmp_path: Path) -> None:
    doc = new_doc(5)  # centimetres; a 3 km site plan is odd but not absurd
    building(doc, 300000, 100)
    d = read_drawing(save(doc, tmp_path))
    assert d.units.source == "header"
    assert d.units.metres_per_unit == 0.01


def test_area_labels_override_a_wrong_header(tmp_path: Path) -> None:
    doc = new_doc(4)  # says millimetres; the labels say the 500 x 400 rooms are 20 m²
    msp = doc.modelspace()
    for i in range(3):
        msp.add_lwpolyline(rect(i * 600, 0, 500, 400), close=True, dxfattribs={"layer": "R"})
        msp.add_text("20.00㎡", height=20, dxfattribs={"insert": (i * 600 + 100, 200)})
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 0.01
    assert "3 area label(s)" in d.units.note
    assert outlines_on(d, "R")[0].polygon.area == pytest.approx(20.0)


def test_units_option_overrides_header(tmp_path: Path) -> None:
    doc = new_doc(4)
    doc.modelspace().add_lwpolyline(rect(0, 0, 500, 400), close=True, dxfattribs={"layer": "R"})
    path = save(doc, tmp_path)
    d = read_drawing(path, units="cm")
    assert d.units.source == "option"
    assert d.units.metres_per_unit == 0.01
    assert d.units.insunits == 4
    assert only(outlines_on(d, "R")).polygon.area == pytest.approx(20.0)
    with pytest.raises(DrawingError, match="unknown units"):
        read_drawing(path, units="furlong")


# --------------------------------------------------------- linework and misc


def test_segments_hold_lines_and_open_polylines_outlines_their_edges(tmp_path: Path) -> None:
    doc = new_doc(4)
    msp = doc.modelspace()
    for i in range(100):
        msp.add_line((i * 100, 0), (i * 100, 3000), dxfattribs={"layer": "WALL"})
    msp.add_lwpolyline([(0, 5000), (3000, 5000), (3000, 8000)], dxfattribs={"layer": "PL"})
    msp.add_lwpolyline(rect(0, 10000, 1000, 1000), close=True, dxfattribs={"layer": "ROOM"})
    d = read_drawing(save(doc, tmp_path))
    assert d.segments.shape == (100 + 2, 2, 2)
    assert d.segments.dtype == np.float64
    names = d.segment_layer_names()
    assert names.count("WALL") == 100 and names.count("PL") == 2
    wall = d.segments[d.segment_layers == d.layers.index("WALL")]
    assert wall[5].tolist() == [[0.5, 0.0], [0.5, 3.0]]
    # the closed polyline is an outline that stands for its edges, made on demand
    # exactly as they were drawn (in metres), closing edge included
    [room] = d.outlines
    assert room.edges and room.layer == "ROOM"
    edges, layer_ids, source = d.outline_lines([0])
    assert edges.tolist() == [
        [[0.0, 10.0], [1.0, 10.0]],
        [[1.0, 10.0], [1.0, 11.0]],
        [[1.0, 11.0], [0.0, 11.0]],
        [[0.0, 11.0], [0.0, 10.0]],
    ]
    assert layer_ids.tolist() == [d.layers.index("ROOM")] * 4 and source.tolist() == [0] * 4
    assert d.line_count == 106


def test_unreadable_entities_are_counted_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planchecker.reading import entities

    def broken(*_args: object) -> None:
        raise AttributeError("dxf.layer")  # like the TArch objects in real files

    monkeypatch.setitem(entities.HANDLERS, "CIRCLE", broken)
    doc = new_doc(4)
    doc.modelspace().add_circle((0, 0), 100)
    doc.modelspace().add_circle((0, 0), 200)
    doc.modelspace().add_lwpolyline(rect(0, 0, 1000, 1000), close=True, dxfattribs={"layer": "R"})
    d = read_drawing(save(doc, tmp_path))
    assert issue_codes(d)["entity_unreadable"] == 2
    assert len(outlines_on(d, "R")) == 1


def test_custom_entities_are_counted_as_proxies(tmp_path: Path) -> None:
    doc = new_doc(4)
    doc.modelspace().add_line((0, 0), (1000, 0))
    path = save(doc, tmp_path)
    text = path.read_text(encoding="utf-8")
    custom = "  0\nTCH_WALL\n  5\nFFF0\n  8\nWALL\n  0\nACAD_PROXY_ENTITY\n  5\nFFF1\n  8\n0\n"
    text = text.replace("ENTITIES\n", "ENTITIES\n" + custom, 1)
    path.write_text(text, encoding="utf-8")
    d = read_drawing(path)
    assert d.proxy_count == 2
    assert "proxy_skipped" in issue_codes(d)
    assert len(d.segments) == 1


def test_empty_but_valid_drawing_reads(tmp_path: Path) -> None:
    d = read_drawing(save(new_doc(4), tmp_path))
    assert d.outlines == () and d.texts == ()
    assert d.segments.shape == (0, 2, 2)


def test_reading_never_writes_to_the_input(tmp_path: Path) -> None:
    doc = new_doc(0)
    building(doc, 30000, 1000)
    path = save(doc, tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    read_drawing(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.dxf"]


def test_reading_does_not_import_ezdxf_at_package_import() -> None:
    import subprocess
    import sys

    code = "import sys, planchecker.reading; print('ezdxf' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_deep_nesting_is_bounded(tmp_path: Path) -> None:
    doc = new_doc(4)
    doc.blocks.new("L0").add_lwpolyline(rect(0, 0, 1000, 1000), close=True)
    for level in range(1, 40):
        doc.blocks.new(f"L{level}").add_blockref(f"L{level - 1}", (0, 0))
    doc.modelspace().add_blockref("L39", (0, 0))
    doc.modelspace().add_blockref("L20", (5000, 0), dxfattribs={"layer": "SHALLOW"})
    d = read_drawing(save(doc, tmp_path))
    assert issue_codes(d)["block_too_deep"] >= 1
    assert only(outlines_on(d, "SHALLOW")).polygon.bounds == pytest.approx((5, 0, 6, 1))


def test_exploding_block_arrays_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planchecker.reading import limits

    monkeypatch.setattr(limits, "MIN_SEGMENT_BUDGET", 10_000)
    monkeypatch.setattr(limits, "SEGMENTS_PER_BYTE", 0.0)
    doc = new_doc(4)
    doc.blocks.new("B0").add_line((0, 0), (100, 0))
    for level in range(1, 9):  # 10 ** 8 lines if fully expanded
        blk = doc.blocks.new(f"B{level}")
        for i in range(10):
            blk.add_blockref(f"B{level - 1}", (i * 200, level * 200))
    doc.modelspace().add_blockref("B8", (0, 0))
    d = read_drawing(save(doc, tmp_path))
    assert 0 < len(d.segments) <= 10_000
    assert "expansion_limit" in issue_codes(d)
