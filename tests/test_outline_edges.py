"""A closed outline stands for its edges (`Outline.edges`): they are not repeated in
`Drawing.segments` but made when extraction asks for them.  These tests pin that
every consumer still sees them where it did: wall lines, door lines, room-layer
lines, the overlays' linework, and the size of a view."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dxf_builders import Sheet, rect
from planchecker.extraction import assemble
from planchecker.extraction.labels import Vocabulary
from planchecker.reading import read_drawing
from planchecker.standards import DEFAULT_STANDARD, load_standard

AREA = 0.005


def _views(drawing):
    vocabulary = Vocabulary(load_standard(DEFAULT_STANDARD).vocabulary())
    return assemble.split_views(
        drawing,
        is_title=assemble._is_view_title,
        belongs_near=lambda s: assemble.belongs_near(s, vocabulary),
        names_floor=assemble._names_floor,
    )


def _edge_set(segments: np.ndarray) -> set[tuple]:
    """Segments as sets of rounded end points, whichever way they run."""
    return {
        frozenset((tuple(np.round(a, 6)), tuple(np.round(b, 6))))
        for a, b in np.asarray(segments).tolist()
    }


def _closed_leaf_door(sheet: Sheet, name: str) -> None:
    """A door block whose leaf is a thin closed rectangle (0.05 x 1 m), with its swing."""
    block = sheet.doc.blocks.new(name=name)
    k = sheet.k
    leaf = [(0, 0), (0.05 * k, 0), (0.05 * k, k), (0, k)]
    block.add_lwpolyline(leaf, close=True, dxfattribs={"layer": "0"})
    block.add_arc((0, 0), k, 0, 90, dxfattribs={"layer": "0"})


def test_walls_drawn_as_closed_polylines_bound_rooms_and_door_leaves_do_not(tmp_path: Path):
    sheet = Sheet(units="mm")
    # each wall a closed thin rectangle on the wall layer, a gap for the door
    for strip in (
        rect(0, 0, 3.0, 0.2),
        rect(4.0, 0, 6.2, 0.2),
        rect(0, 8.0, 10.2, 0.2),
        rect(0, 0, 0.2, 8.2),
        rect(10.0, 0, 0.2, 8.2),
    ):
        sheet.outline(strip, "WALL")
    _closed_leaf_door(sheet, "$DorLib2D$leaf")
    sheet.insert("$DorLib2D$leaf", 3.0, 0.2, layer="WINDOW")
    sheet.text("调解室", 5.0, 4.0, layer="PUB_TEXT")
    sheet.title("一层平面图 1:100", 5.0, -2.0)
    path = sheet.save(tmp_path / "closed-walls.dxf")

    drawing = read_drawing(path)
    assert all(o.edges for o in drawing.outlines)
    # the only segments are the door's swing arc, flattened (open linework)
    assert drawing.blocks == ("$DorLib2D$leaf",) and set(drawing.segment_blocks.tolist()) == {0}
    swing = len(drawing.segments)
    [view] = _views(drawing)
    walls, doors = assemble._wall_segments(drawing, view)
    # the wall rectangles' 20 edges are walls; the leaf's 4 edges are door lines
    assert len(walls) == 5 * 4
    assert _edge_set(walls) == _edge_set(
        np.concatenate(
            [
                drawing.outline_lines([i])[0]
                for i, o in enumerate(drawing.outlines)
                if o.layer == "WALL"
            ]
        )
    )
    leaf = [i for i, o in enumerate(drawing.outlines) if o.block == "$DorLib2D$leaf"]
    assert len(leaf) == 1 and len(doors) == swing + 4
    assert _edge_set(doors) == _edge_set(drawing.outline_lines(leaf)[0]) | _edge_set(
        drawing.segments
    )

    review = sheet.review(tmp_path / "closed-walls-review.dxf")
    [mediation] = [r for r in review.plan.rooms if r.label == "调解室"]
    assert mediation.area == pytest.approx(9.8 * 7.8, rel=0.01)


def test_room_layer_lines_include_closed_outlines_edges(tmp_path: Path):
    sheet = Sheet(units="mm")
    # a room drawn as an open polyline closed by a line on the room layer, next to
    # a closed one on the same layer: polygonising the layer must not repeat it
    sheet.outline(rect(0, 0, 5, 4), "ROOM")
    sheet.lines([((5, 0), (9, 0)), ((9, 0), (9, 4)), ((9, 4), (5, 4))], "ROOM")
    sheet.text("调解室", 2.5, 2.0, layer="PUB_TEXT")
    sheet.text("警务室", 7.0, 2.0, layer="PUB_TEXT")
    sheet.title("一层平面图 1:100", 4.5, -2.0)
    path = sheet.save(tmp_path / "room-layer.dxf")

    drawing = read_drawing(path)
    [view] = _views(drawing)
    closed = [drawing.outlines[i] for i in view.outlines]
    found = assemble._room_layer_outlines(drawing, view, closed)
    # the open room is closed by the closed one's shared edge; the closed one is
    # not found a second time
    assert [round(o.polygon.area, 2) for o in found] == [16.0]


def test_overlay_linework_holds_the_outlines_edges(tmp_path: Path):
    sheet = Sheet(units="mm")
    sheet.outline(rect(0, 0, 10, 8), "WALL")
    sheet.room(0.2, 0.2, 9.6, 7.6, "调解室")
    sheet.lines([((0, 9), (10, 9))], "DIM")
    sheet.title("一层平面图 1:100", 5, -2)
    review = sheet.review(tmp_path / "linework.dxf")
    lines = review.plan.linework[1]
    # the dimension line, the wall rectangle's and the room's 4 edges each
    assert len(lines) == 1 + 4 + 4
    assert _edge_set(lines) >= _edge_set(
        [[(0, 0), (10, 0)], [(10, 0), (10, 8)], [(10, 8), (0, 8)], [(0, 8), (0, 0)]]
    )


def test_a_view_of_one_closed_polyline_counts_its_edges(tmp_path: Path):
    """A view needs MIN_VIEW_ELEMENTS (6) elements, an outline counting as itself
    and its edges, as when its edges were segments: a closed L of 6 corners (7) is
    a view, a rectangle (5) on its own is not."""
    sheet = Sheet(units="mm")
    sheet.outline(rect(0, 0, 10, 8), "ROOM")
    sheet.outline([(20, 0), (30, 0), (30, 4), (26, 4), (26, 8), (20, 8)], "ROOM")
    sheet.text("调解室", 5, 4, layer="PUB_TEXT")
    sheet.text("警务室", 23, 4, layer="PUB_TEXT")
    path = sheet.save(tmp_path / "two.dxf")
    drawing = read_drawing(path)
    [view] = _views(drawing)
    [outline] = [drawing.outlines[i] for i in view.outlines]
    assert outline.polygon.area == pytest.approx(10 * 4 + 6 * 4)


def test_an_outline_made_valid_again_after_scaling_gives_back_its_edges(tmp_path: Path):
    """A notch whose tip is 1e-13 mm off the opposite side is a valid ring as read,
    and an invalid one once turned and scaled to metres: its polygon is repaired
    (the biggest piece kept), so it can no longer stand for the edges as drawn,
    which become segments again, all seven of them."""
    import math

    import ezdxf

    turn = math.radians(19.0)
    c, s = math.cos(turn), math.sin(turn)
    corners = [(0, 0), (1000, 0), (1000, 1000), (600, 1000), (500, 1e-13), (400, 1000), (0, 1000)]
    points = [(x * c - y * s + 12345.6, x * s + y * c + 7890.1) for x, y in corners]
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.layers.add("WALL")
    doc.modelspace().add_lwpolyline(points, close=True, dxfattribs={"layer": "WALL"})
    path = tmp_path / "notch.dxf"
    doc.saveas(path)

    drawing = read_drawing(path)
    [outline] = drawing.outlines
    assert not outline.edges
    assert len(drawing.segments) == 7 and drawing.segment_layer_names() == ["WALL"] * 7
    drawn = np.array(points + points[:1]) / 1000.0
    expected = np.stack((drawn[:-1], drawn[1:]), axis=1)
    assert np.allclose(drawing.segments, expected, rtol=0, atol=1e-9)
