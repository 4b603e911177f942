"""The read stage on messy drawings (issue 3): code pages that lie in GB18030 and in
binary files, units that lie in walls-only drawings and in plausible but wrong
headers, and the innermost block every segment was drawn in.

Every drawing is built with ezdxf in tmp_path; expected values are worked out by
hand from what was drawn.
"""

from __future__ import annotations

import re
from pathlib import Path

import ezdxf
import pytest

from planchecker.model import Drawing, ReadIssue
from planchecker.reading import read_drawing
from planchecker.reading.blocks import Expander
from planchecker.reading.entities import Tolerances
from planchecker.reading.primitives import Issues

# ------------------------------------------------------------------ helpers


def save(doc: ezdxf.document.Drawing, tmp_path: Path, name: str = "plan.dxf", fmt: str = "asc"):
    path = tmp_path / name
    doc.saveas(path, fmt=fmt)
    return path


def rect(x0: float, y0: float, w: float, h: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]


def issue(d: Drawing, code: str) -> ReadIssue | None:
    return next((i for i in d.issues if i.code == code), None)


def block_of_each_segment(d: Drawing) -> list[str | None]:
    assert d.segment_blocks is not None
    assert d.segment_blocks.shape == d.segment_layers.shape == (len(d.segments),)
    return [d.blocks[i] if i >= 0 else None for i in d.segment_blocks.tolist()]


# ---------------------------------------------------------------- code pages

# 䶮 (U+4DAE) and 𠮷 (U+20BB7) are in GB18030 but not in GBK: 䶮 as a two-byte code
# GBK leaves unused, 𠮷 as a four-byte one.
GB18030_NAMES = ["䶮城慈善物品室", "𠮷安社区办公室", "调解室"]
_ESCAPE = re.compile(r"\\U\+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{4})")


def chinese_doc(names: list[str] = GB18030_NAMES) -> ezdxf.document.Drawing:
    """An R2000 drawing ezdxf writes in GBK under ANSI_936 (characters GBK lacks as
    ``\\U+`` escapes): texts, an MTEXT, a Chinese layer and a Chinese block name."""
    doc = ezdxf.new("R2000")
    doc.encoding = "gbk"
    doc.header["$INSUNITS"] = 4
    doc.layers.add("幕墙")
    msp = doc.modelspace()
    for i, name in enumerate(names):
        msp.add_text(name, height=350, dxfattribs={"insert": (0, i * 1000), "layer": "幕墙"})
    msp.add_mtext(r"{\fSimSun|b0;居民议事室}\P21.00㎡", dxfattribs={"insert": (5000, 0)})
    door = doc.blocks.new("单扇门M1021")
    door.add_line((0, 0), (0, 1000))
    msp.add_blockref("单扇门M1021", (3000, 0), dxfattribs={"layer": "幕墙"})
    return doc


def written_as(path: Path, codec: str, header: str = "ANSI_936") -> Path:
    """Rewrite a saved ASCII drawing's text in `codec` under the `header` code page."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), path.read_bytes().decode("gbk"))
    path.write_bytes(text.replace("ANSI_936", header).encode(codec))
    return path


def assert_chinese_read(d: Drawing, names: list[str] = GB18030_NAMES) -> None:
    assert sorted(t.text for t in d.texts) == sorted([*names, "居民议事室\n21.00㎡"])
    assert {t.layer for t in d.texts if t.kind == "TEXT"} == {"幕墙"}
    assert "单扇门M1021" in d.blocks
    assert "幕墙" in d.layers
    assert all("\ufffd" not in t.text for t in d.texts)


def test_gb18030_characters_under_an_ansi_936_header(tmp_path: Path) -> None:
    path = written_as(save(chinese_doc(), tmp_path), "gb18030")
    assert "𠮷".encode("gb18030") in path.read_bytes() and b"ANSI_936" in path.read_bytes()
    d = read_drawing(path)
    assert_chinese_read(d)
    assert d.encoding == "gb18030"
    found = issue(d, "encoding_corrected")
    assert found is not None
    assert found.detail == "the header declares gbk but the text is gb18030; read as gb18030"


def test_pure_gbk_under_ansi_936_is_still_gbk_and_not_corrected(tmp_path: Path) -> None:
    names = ["便民服务大厅", "调解室"]
    path = written_as(save(chinese_doc(names), tmp_path), "gbk")
    d = read_drawing(path)
    assert_chinese_read(d, names)
    assert d.encoding == "gbk"
    assert issue(d, "encoding_corrected") is None


def test_gb18030_text_under_a_western_header(tmp_path: Path) -> None:
    path = written_as(save(chinese_doc(), tmp_path), "gb18030", header="ANSI_1252")
    d = read_drawing(path)
    assert_chinese_read(d)
    assert d.encoding == "gb18030"
    assert "declares cp1252" in issue(d, "encoding_corrected").detail


def binary(doc: ezdxf.document.Drawing, tmp_path: Path, header: str | None = None) -> Path:
    """`doc` saved as binary DXF, its $DWGCODEPAGE replaced by `header`."""
    path = save(doc, tmp_path, "plan.dxf", fmt="bin")
    data = path.read_bytes()
    assert data.startswith(b"AutoCAD Binary DXF")
    if header is not None:
        assert b"ANSI_936\x00" in data
        path.write_bytes(data.replace(b"ANSI_936\x00", header.encode() + b"\x00"))
    return path


def test_binary_dxf_with_gbk_text_under_an_ansi_1252_header(tmp_path: Path) -> None:
    names = ["便民服务大厅", "调解室"]
    d = read_drawing(binary(chinese_doc(names), tmp_path, "ANSI_1252"))
    assert_chinese_read(d, names)  # texts, layer and block names all re-decoded
    assert d.encoding == "gbk"
    found = issue(d, "encoding_corrected")
    assert found is not None
    assert found.detail == "the header declares cp1252 but the text is gbk; read as gbk"


def test_binary_dxf_with_gb18030_text_under_ansi_936(tmp_path: Path) -> None:
    path = binary(chinese_doc(), tmp_path)
    data = path.read_bytes()
    for ch in ("䶮", "𠮷"):  # ezdxf wrote the escapes; a GB18030 CAD writes the bytes
        escape = re.compile(rb"\\U\+0*" + f"{ord(ch):X}".encode(), re.IGNORECASE)
        assert escape.search(data)
        data = escape.sub(ch.encode("gb18030"), data)
    path.write_bytes(data)
    d = read_drawing(path)
    assert_chinese_read(d)
    assert d.encoding == "gb18030"
    assert issue(d, "encoding_corrected") is not None


def test_binary_dxf_in_its_own_code_page_is_not_recoded(tmp_path: Path) -> None:
    names = ["便民服务大厅", "调解室"]
    d = read_drawing(binary(chinese_doc(names), tmp_path))
    assert_chinese_read(d, names)
    assert d.encoding == "gbk"
    assert issue(d, "encoding_corrected") is None

    doc = ezdxf.new("R2000")  # a European office's binary file, rightly cp1252
    doc.header["$INSUNITS"] = 4
    for i, word in enumerate(("Café", "Büro", "Réception")):
        doc.modelspace().add_text(word, height=300, dxfattribs={"insert": (0, i * 1000)})
    path = save(doc, tmp_path, "western.dxf", fmt="bin")
    assert "Réception".encode("cp1252") in path.read_bytes()
    d = read_drawing(path)
    assert sorted(t.text for t in d.texts) == ["Büro", "Café", "Réception"]
    assert d.encoding == "cp1252"
    assert issue(d, "encoding_corrected") is None


# --------------------------------------------------------------------- units

K = {"mm": 1000.0, "cm": 100.0, "m": 1.0}  # drawing units per metre
INSUNITS = {"mm": 4, "cm": 5, "m": 6}


def door_block(doc: ezdxf.document.Drawing, name: str = "$DorLib2D$00000001") -> str:
    """A TArch door: a unit leaf up the y axis and its quarter swing, on layer 0."""
    if name not in doc.blocks:
        block = doc.blocks.new(name)
        block.add_line((0, 0), (0, 1))
        block.add_arc((0, 0), 1, 0, 90)
    return name


def walls_only(doc: ezdxf.document.Drawing, k: float, rooms: bool = False) -> None:
    """A 20 x 10 m TArch-style plan without room outlines: double wall LINEs, 400 mm
    columns (outline and SOLID hatch), desks in a DESK block, chairs in a pasted block
    on a furniture layer, 0.9 and 1.0 m door blocks, 0.35 m room names.  With `rooms`,
    also five 5 x 4 m room outlines on layer SPACE."""
    msp = doc.modelspace()
    for t in (0.0, 0.2):  # outer and inner faces of the outer wall
        pts = rect(t * k, t * k, (20 - 2 * t) * k, (10 - 2 * t) * k)
        for a, b in zip(pts, pts[1:] + pts[:1], strict=True):
            msp.add_line(a, b, dxfattribs={"layer": "WALL"})
    for x in (5.0, 10.0, 15.0):  # partitions, each face a line
        for dx in (0.0, 0.2):
            msp.add_line(
                ((x + dx) * k, 0.2 * k), ((x + dx) * k, 9.8 * k), dxfattribs={"layer": "WALL"}
            )
    for x in (4.9, 9.9, 14.9):
        for y in (0.0, 9.6):
            corners = rect(x * k, y * k, 0.4 * k, 0.4 * k)
            msp.add_lwpolyline(corners, close=True, dxfattribs={"layer": "COLUMN"})
            hatch = msp.add_hatch(dxfattribs={"layer": "COLUMN"})
            hatch.paths.add_polyline_path(corners, is_closed=True)
    desk = doc.blocks.new("DESK")
    desk.add_lwpolyline(rect(0, 0, 1.2 * k, 0.6 * k), close=True)
    chair = doc.blocks.new("A$C7F3E01")
    chair.add_lwpolyline(rect(0, 0, 0.5 * k, 0.5 * k), close=True)
    for i in range(12):
        msp.add_blockref("DESK", ((1 + i * 1.5) * k, 2 * k))
        msp.add_blockref("A$C7F3E01", ((1 + i * 1.5) * k, 3 * k), dxfattribs={"layer": "家具"})
    for i, width in enumerate((0.9, 0.9, 1.0, 0.9, 1.0)):
        msp.add_blockref(
            door_block(doc),
            ((1 + 4 * i) * k, 0.2 * k),
            dxfattribs={"xscale": width * k, "yscale": width * k, "layer": "WINDOW"},
        )
    for i, name in enumerate(("调解室", "警务室", "社区办公室", "档案室")):
        msp.add_text(name, height=0.35 * k, dxfattribs={"insert": ((2 + 5 * i) * k, 6 * k)})
    if rooms:
        for i in range(5):
            corners = rect(i * 4 * k, 10.5 * k, 5 * k, 4 * k)
            msp.add_lwpolyline(corners, close=True, dxfattribs={"layer": "SPACE"})


@pytest.mark.parametrize("unit", ["mm", "cm", "m"])
def test_unitless_walls_only_drawing_with_columns_and_furniture(tmp_path: Path, unit: str) -> None:
    # The closed outlines are columns and furniture only; sized as rooms they made
    # a millimetre drawing look like centimetres.  They are not sized now.
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 0
    walls_only(doc, K[unit])
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 1 / K[unit]
    assert d.units.source == "inferred"
    name = {"mm": "millimetres", "cm": "centimetres", "m": "metres"}[unit]
    assert d.units.note == (
        f"no $INSUNITS; assumed {name} from a 20 m wide plan, text 0.35 m high, doors 0.9 m wide"
    )


def test_room_size_counts_room_outlines_only(tmp_path: Path) -> None:
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 0
    walls_only(doc, 1000.0, rooms=True)
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 0.001
    # five 20 m² spaces: sqrt(20) = 4.47 m, not the 0.4 m columns or the desks
    assert "rooms up to 4.5 m across" in d.units.note


def test_door_widths_are_measured_as_placed_and_not_their_parts(tmp_path: Path) -> None:
    doc = ezdxf.new("R2000")
    handle = doc.blocks.new("door-handle")  # a door's part, named like a door
    handle.add_line((0, 0), (80, 0))
    door = doc.blocks.new("DOOR-900")  # drawn at full size, with its handle
    door.add_line((0, 0), (0, 900))
    door.add_arc((0, 0), 900, 0, 90)
    door.add_blockref("door-handle", (0, 800))
    pasted = doc.blocks.new("A$C0000A1")  # a pasted group holding two doors
    pasted.add_blockref("DOOR-900", (0, 0))
    pasted.add_blockref(door_block(doc), (3000, 0), dxfattribs={"xscale": -1000, "yscale": 1000})
    msp = doc.modelspace()
    msp.add_blockref("A$C0000A1", (0, 0), dxfattribs={"xscale": 2, "yscale": 2})
    msp.add_blockref("DOOR-900", (0, 5000), dxfattribs={"rotation": 90})
    msp.add_blockref(door_block(doc), (0, 9000), dxfattribs={"xscale": 700, "yscale": 700})
    expander = Expander(doc, "plan.dxf", Issues(), Tolerances.for_scale(0.001))
    packed = expander.modelspace()
    assert sorted(packed.doors.round(6).tolist()) == [700.0, 900.0, 1800.0, 2000.0]


def wrong_header_plan(doc: ezdxf.document.Drawing, k: float) -> None:
    """A 20 x 10 m plan of closed room outlines with 0.35 m names and a 0.7 m title."""
    msp = doc.modelspace()
    msp.add_lwpolyline(rect(0, 0, 20 * k, 10 * k), close=True, dxfattribs={"layer": "WALL"})
    rooms = ((0.2, 0.2, 9.8, 9.6), (10.2, 0.2, 4.6, 4.7), (10.2, 5.1, 4.6, 4.7))
    rooms += ((15.0, 0.2, 4.8, 9.6),)
    for x, y, w, h in rooms:
        corners = rect(x * k, y * k, w * k, h * k)
        msp.add_lwpolyline(corners, close=True, dxfattribs={"layer": "ROOM"})
        msp.add_text("房间", height=0.35 * k, dxfattribs={"insert": ((x + 1) * k, (y + 1) * k)})
    msp.add_text("一层平面图", height=0.7 * k, dxfattribs={"insert": (8 * k, -2 * k)})


@pytest.mark.parametrize(
    "code, drawn, says",
    [
        (1, "mm", "a 508 m wide plan, rooms up to 237 m across, text 8.9 m high"),
        (5, "mm", "a 200 m wide plan, rooms up to 93 m across, text 3.5 m high"),
        (6, "cm", "a 2000 m wide plan, rooms up to 932 m across, text 35 m high"),
        (4, "cm", "a 2.0 m wide plan, rooms up to 0.93 m across, text 0.035 m high"),
    ],
    ids=["inches-on-mm", "cm-on-mm", "metres-on-cm", "mm-on-cm"],
)
def test_plausible_but_wrong_header_is_overridden(
    tmp_path: Path, code: int, drawn: str, says: str
) -> None:
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = code
    wrong_header_plan(doc, K[drawn])
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 1 / K[drawn]
    assert (d.units.source, d.units.insunits) == ("inferred", code)
    name = {"mm": "millimetres", "cm": "centimetres"}[drawn]
    assert d.units.note.startswith(f"$INSUNITS {code} (")
    assert f") would make {says}; assumed {name} from a 20 m wide plan, " in d.units.note
    assert d.units.note.endswith("rooms up to 9.3 m across, text 0.35 m high")
    assert issue(d, "units_inferred") is not None
    hall = max(o.polygon.area for o in d.outlines if o.layer == "ROOM")
    assert hall == pytest.approx(9.8 * 9.6)


@pytest.mark.parametrize("unit", ["mm", "cm", "m"])
def test_a_right_header_is_kept(tmp_path: Path, unit: str) -> None:
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = INSUNITS[unit]
    wrong_header_plan(doc, K[unit])
    walls_only(doc, K[unit])
    d = read_drawing(save(doc, tmp_path))
    assert (d.units.metres_per_unit, d.units.source, d.units.note) == (1 / K[unit], "header", "")


def test_header_is_kept_on_weak_evidence(tmp_path: Path) -> None:
    # A 6 x 4 m kiosk in metres: small, but every size fits metres.
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 6
    msp = doc.modelspace()
    for x in (0.0, 3.0):
        msp.add_lwpolyline(rect(x, 0, 3, 4), close=True, dxfattribs={"layer": "ROOM"})
        msp.add_text("售卖", height=0.3, dxfattribs={"insert": (x + 1, 2)})
    msp.add_text("亭", height=0.3, dxfattribs={"insert": (1, 3)})
    d = read_drawing(save(doc, tmp_path, "kiosk.dxf"))
    assert (d.units.metres_per_unit, d.units.source) == (1.0, "header")

    # A 3 km site plan in metres: too wide for a building, but only the width
    # says so (one odd kind of size is not enough), and it is not absurd.
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 6
    for i in range(10):
        doc.modelspace().add_line((i * 300, 0), (i * 300 + 40, 1200), dxfattribs={"layer": "WALL"})
    d = read_drawing(save(doc, tmp_path, "site.dxf"))
    assert (d.units.metres_per_unit, d.units.source) == (1.0, "header")

    # A 1:20 toilet detail in millimetres: 3 m across, 70 mm text; a little small
    # on two counts, not implausible.
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(rect(0, 0, 3000, 2000), close=True, dxfattribs={"layer": "WALL"})
    for i, word in enumerate(("蹲位", "洗手盆", "拖布池")):
        msp.add_text(word, height=70, dxfattribs={"insert": (500 + i * 800, 1000)})
    d = read_drawing(save(doc, tmp_path, "detail.dxf"))
    assert (d.units.metres_per_unit, d.units.source) == (0.001, "header")


# ------------------------------------------------------- blocks of segments


def test_segments_record_the_innermost_block_they_were_drawn_in(tmp_path: Path) -> None:
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    door = door_block(doc)
    pasted = doc.blocks.new("A$C12345")  # a pasted group: a wall line and a door
    pasted.add_line((0, 0), (5000, 0), dxfattribs={"layer": "WALL"})
    pasted.add_blockref(
        door, (1000, 0), dxfattribs={"layer": "WINDOW", "xscale": 900, "yscale": 900}
    )
    msp = doc.modelspace()
    msp.add_line((0, -200), (5000, -200), dxfattribs={"layer": "WALL"})
    msp.add_blockref(door, (0, 3000), dxfattribs={"layer": "WINDOW", "xscale": 900, "yscale": 900})
    msp.add_blockref("A$C12345", (10000, 0))
    msp.add_blockref("A$C12345", (20000, 0), dxfattribs={"layer": "OTHER"})
    d = read_drawing(save(doc, tmp_path))

    blocks = block_of_each_segment(d)
    layers = d.segment_layer_names()
    assert set(d.blocks) == {"$DorLib2D$00000001", "A$C12345"}
    on_window = [b for b, layer in zip(blocks, layers, strict=True) if layer == "WINDOW"]
    per_door = len(on_window) // 3
    assert per_door >= 2 and len(on_window) == 3 * per_door  # leaf + swing, three doors
    assert set(on_window) == {"$DorLib2D$00000001"}
    walls = sorted(
        (seg[0].tolist(), b)
        for seg, b, layer in zip(d.segments, blocks, layers, strict=True)
        if layer == "WALL"
    )
    assert walls == [
        ([0.0, -0.2], None),
        ([10.0, 0.0], "A$C12345"),
        ([20.0, 0.0], "A$C12345"),
    ]
    # the leaf of the door inside the second pasted group, at (21, 0) .. (21, 0.9)
    door_segments = d.segments[[b == "$DorLib2D$00000001" for b in blocks]]
    leaves = [s.tolist() for s in door_segments.round(9) if s[0, 0] == s[1, 0] == 21.0]
    assert leaves == [[[21.0, 0.0], [21.0, 0.9]]]


def test_segment_blocks_in_minsert_cells_and_after_units_are_inferred(tmp_path: Path) -> None:
    # Unitless and in metres: read once assuming millimetres, then again in metres.
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 0
    cell = doc.blocks.new("CELL")
    cell.add_lwpolyline(rect(0, 0, 4, 3), close=True, dxfattribs={"layer": "ROOM"})
    ref = doc.modelspace().add_blockref("CELL", (0, 0))
    ref.grid(size=(2, 3), spacing=(5, 6))
    for i in range(10):
        doc.modelspace().add_line((0, i * 1.1), (20, i * 1.1), dxfattribs={"layer": "WALL"})
    d = read_drawing(save(doc, tmp_path))
    assert d.units.metres_per_unit == 1.0
    assert block_of_each_segment(d) == [None] * 10  # the WALL lines
    # each cell's closed rectangle is an outline that stands for its 4 edges
    assert [(o.block, o.edges) for o in d.outlines] == [("CELL", True)] * 6
    edges = d.outline_lines(range(6))[0]
    assert edges.shape == (6 * 4, 2, 2)
    corners = {
        (6.0 * c + dx, 5.0 * r + dy)
        for r in range(2)
        for c in range(3)
        for dx, dy in ((0, 0), (4, 0), (4, 3), (0, 3))
    }
    assert {tuple(p) for p in edges.reshape(-1, 2).tolist()} == corners
    assert d.line_count == 10 + 24


def test_escaped_layer_and_block_names_are_decoded(tmp_path: Path) -> None:
    # ezdxf (like AutoCAD) writes 家具 in a cp1252 drawing as \U+5bb6\U+5177, in
    # names as in texts; a furniture layer must still read as 家具.
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    doc.layers.add("家具")
    door = doc.blocks.new("门M1021")
    door.add_line((0, 0), (0, 1000))
    door.add_lwpolyline(rect(0, 0, 100, 100), close=True, dxfattribs={"layer": "门窗"})
    doc.modelspace().add_blockref("门M1021", (0, 0), dxfattribs={"layer": "家具"})
    doc.modelspace().add_blockref("门M1021", (5000, 0), dxfattribs={"layer": "家具"})
    path = save(doc, tmp_path)
    assert b"\\u+5bb6\\u+5177" in path.read_bytes().lower()
    d = read_drawing(path)
    assert sorted(d.layers) == ["家具", "门窗"]
    assert d.blocks == ("门M1021",)
    # the LINE of each copy is a segment; the closed rectangle an outline standing
    # for its 4 edges, named by the decoded block name like the segments
    assert block_of_each_segment(d) == ["门M1021"] * 2
    assert d.segment_layer_names() == ["家具"] * 2
    assert [(o.layer, o.block, o.edges) for o in d.outlines] == [("门窗", "门M1021", True)] * 2
    edges, layer_ids, source = d.outline_lines(range(2))
    assert len(edges) == 8 and set(layer_ids.tolist()) == {d.layers.index("门窗")}
    assert source.tolist() == [0] * 4 + [1] * 4
    assert d.line_count == 10
