"""The packed outlines (`planchecker.outlines`): what they give back is what the
shapely polygons they hold would give, float for float.

Every number the later stages compute from an outline comes through here, so each
accessor is checked against shapely itself on polygons of every shape the reader
makes: triangles to 40-gons, polygons with holes, empty ones.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from planchecker.model import Drawing, Outline, Units, exterior_edges
from planchecker.outlines import EDGES, HATCH, SOLID, Outlines, OutlineStore
from planchecker.reading import primitives
from planchecker.reading.geometry import Affine
from planchecker.reading.primitives import INHERIT, Collector, OutlineRec


def _polygons(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        kind = rng.integers(0, 5)
        if kind == 0:
            out.append(Polygon())
        elif kind == 1:
            x, y = rng.normal(size=2) * 50
            shell = [(x, y), (x + 4, y), (x + 4, y + 4), (x, y + 4)]
            out.append(Polygon(shell, [[(x + 1, y + 1), (x + 2, y + 1), (x + 2, y + 2)]]))
        else:
            c, r = rng.normal(size=2) * 100, rng.random() * 3 + 0.1
            a = np.sort(rng.random(rng.integers(3, 40)) * 2 * np.pi)
            out.append(Polygon(np.c_[c[0] + r * np.cos(a), c[1] + r * np.sin(a)]))
    return np.array(out, dtype=object)


def _store(polys: np.ndarray, batch: int = 700) -> OutlineStore:
    store = OutlineStore()
    for lo in range(0, len(polys), batch):
        part = polys[lo : lo + batch]
        n = len(part)
        store.add(part, np.arange(lo, lo + n) % 7, np.arange(lo, lo + n) % 16, [f"B{lo}"] * n)
    return store


def _same(a, b) -> bool:
    return len(a) == len(b) and all(
        type(p) is type(q) and p.equals_exact(q, 0) for p, q in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_the_store_gives_back_the_polygons_and_what_shapely_computes(seed: int) -> None:
    polys = _polygons(3000, seed)
    store = _store(polys)
    assert len(store) == 3000
    assert _same(store.polygons(), polys)
    some = np.random.default_rng(seed).permutation(3000)[:1000]
    assert _same(store.polygons(some), polys[some])
    assert _same(store.polygons(np.arange(200, 900)), polys[200:900])  # one run: a slice
    assert store.polygon(5).equals_exact(polys[5], 0)
    np.testing.assert_array_equal(store.bounds(), shapely.bounds(polys))
    np.testing.assert_array_equal(store.bounds(some), shapely.bounds(polys[some]))
    full = polys[~shapely.is_empty(polys)]  # a run of outlines, holes among them
    assert (shapely.get_num_interior_rings(full[:300]) > 0).any()
    np.testing.assert_array_equal(_store(full).bounds(np.arange(300)), shapely.bounds(full[:300]))
    assert np.isnan(store.bounds()[[p.is_empty for p in polys]]).all()
    np.testing.assert_array_equal(store.edge_counts(), shapely.get_num_coordinates(polys) - 1)
    got, want = store.exterior_edges(some), exterior_edges(polys[some])
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(store.layers, np.arange(3000) % 7)
    np.testing.assert_array_equal(store.flags(HATCH), np.arange(3000) % 2 == 1)


def test_take_extend_spans_and_scale_keep_every_float() -> None:
    polys = _polygons(1500, 3)
    store = _store(polys)
    pick = np.array([1499, 0, 7, 7, 300])
    taken = store.take(pick)
    assert _same(taken.polygons(), polys[pick])
    assert taken.blocks == [store.blocks[i] for i in pick]
    np.testing.assert_array_equal(taken.codes, store.codes[pick])

    where = Affine(np.array([[0.6, 0.8], [-0.8, 0.6]]), np.array([10.0, -3.0]))
    moved = OutlineStore()
    moved.extend(store, where.points)
    assert _same(moved.polygons(), where.geometries(polys))

    pieces = OutlineStore()
    for span in [(0, 5), (5, 5), (5, 900), (900, 1499), (1499, 1500)]:
        pieces.extend(store, span=span)
    assert _same(pieces.polygons(), polys)
    assert pieces.blocks == store.blocks
    np.testing.assert_array_equal(pieces.layers, store.layers)

    before = store.bounds()  # cached until the store changes
    store.scale(0.001)
    assert _same(store.polygons(), shapely.transform(polys, lambda c: c * 0.001))
    np.testing.assert_array_equal(store.bounds(), shapely.bounds(store.polygons()))
    assert not np.array_equal(store.bounds(), before, equal_nan=True)


def test_inherit_is_replaced_by_the_inserts_layer_in_a_copy() -> None:
    block = OutlineStore()
    block.add(_polygons(6, 4)[2:5], [INHERIT, 3, INHERIT], 0, [None] * 3)
    out = OutlineStore()
    out.extend(block, layer_map=(INHERIT, 9))
    np.testing.assert_array_equal(out.layers, [9, 3, 9])


def test_records_and_block_copies_keep_their_order_across_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Records are packed in one call per batch, copies of blocks as they come;
    the store must hold them in the order they were added, whatever the batch."""
    monkeypatch.setattr(primitives, "OUTLINE_BATCH", 5)
    polys = _polygons(80, 5)
    polys = polys[~shapely.is_empty(polys)]
    block = OutlineStore()
    block.add(polys[:3], [INHERIT, 2, INHERIT], [EDGES, 0, SOLID], ["chair"] * 3)
    out, want, layers = Collector(), [], []
    rng = np.random.default_rng(5)
    for k, p in enumerate(polys[3:]):
        out.outlines.append(OutlineRec(p, 1, "outline", None))
        want.append(p)
        layers.append(1)
        if rng.random() < 0.3:  # a chair placed here
            where = Affine(np.eye(2) * (k + 1), np.array([k * 10.0, 0.0]))
            out.add_instance(
                primitives.Packed(np.zeros((0, 2, 2)), np.zeros(0, np.int32), block, []),
                where,
                layer=4,
            )
            want.extend(where.geometries(polys[:3]))
            layers.extend([4, 2, 4])
    packed = out.pack()
    assert _same(packed.outlines.polygons(), np.array(want, dtype=object))
    np.testing.assert_array_equal(packed.outlines.layers, layers)


def test_outlines_given_by_hand_become_a_store_and_compare_by_value() -> None:
    square = Polygon([(0, 0), (4, 0), (4, 3), (0, 3)])
    given = (
        Outline(square, "ROOM", "outline", edges=True),
        Outline(square.buffer(-1), "家具", "hatch", block="桌", solid=True),
    )
    drawing = Drawing(
        path="x.dxf",
        outlines=given,
        texts=(),
        segments=np.zeros((0, 2, 2)),
        segment_layers=np.zeros(0, dtype=np.int32),
        layers=("ROOM",),
        units=Units(1.0, "header"),
        encoding="utf-8",
    )
    assert isinstance(drawing.outlines, Outlines)
    assert list(drawing.outlines) == list(given)
    assert drawing.outlines == given
    assert drawing.outlines[1].block == "桌" and drawing.outlines[1].solid
    assert drawing.line_count == 4  # the room's edges; the hatch stands for none
    np.testing.assert_array_equal(drawing.outline_layer_ids([0, 1]), [0, -1])
    lazy = drawing.outlines[0]
    assert lazy._polygon is None  # made when asked for, not before
    assert lazy.polygon.equals_exact(square, 0)
    assert pickle.loads(pickle.dumps(lazy)) == given[0]
    empty = Drawing("e.dxf", (), (), np.zeros((0, 2, 2)), np.zeros(0), (), Units(1.0, "header"), "")
    assert empty.outlines == () and len(empty.outlines) == 0


def test_finding_rooms_never_makes_a_furniture_outlines_polygon() -> None:
    """What keeps a large review small: the furniture outlines' polygons are never
    made, their layer is enough to pass them by."""
    from planchecker.extraction.rooms import find_rooms

    room = Polygon([(0, 0), (6, 0), (6, 5), (0, 5)])
    chairs = [Polygon([(x, 1), (x + 0.5, 1), (x + 0.5, 1.5), (x, 1.5)]) for x in (1, 2, 3)]
    outlines = Outlines.of(
        [Outline(room, "ROOM", "outline")] + [Outline(c, "FURNITURE", "outline") for c in chairs]
    ).some(range(4))
    find_rooms(outlines, np.zeros((0, 2, 2)), [], [])
    assert outlines[0]._polygon is not None
    assert all(o._polygon is None for o in outlines[1:])


def test_a_store_of_empty_outlines_only() -> None:
    """No rings at all: every accessor still answers (found by review)."""
    store = OutlineStore()
    store.add([Polygon(), Polygon()], [0, 1], 0, [None, None])
    assert np.isnan(store.bounds()).all() and store.bounds().shape == (2, 4)
    np.testing.assert_array_equal(store.edge_counts(), [-1, -1])
    assert all(p.is_empty for p in store.polygons())
    assert len(store.exterior_edges([0, 1])[0]) == 0
    out = Collector()
    out.outlines.append(OutlineRec(Polygon(), 0, "outline", None))
    assert len(out.pack().outlines) == 0  # the range gate drops it, as before


def test_a_large_store_pickles_and_outlines_hash() -> None:
    """A store of more than a MiB lives in memory mappings; it pickles as its arrays."""
    squares = [Polygon([(x, 0), (x + 1, 0), (x + 1, 1), (x, 1)]) for x in range(20_000)]
    outlines = Outlines.of([Outline(p, "FURNITURE", "outline") for p in squares])
    assert outlines.store.coords.nbytes > 1 << 20
    again = pickle.loads(pickle.dumps(outlines))
    assert len(again) == 20_000 and again[19_999] == outlines[19_999]
    np.testing.assert_array_equal(again.store.bounds(), outlines.store.bounds())
    assert hash(outlines[3]) == hash(Outline(squares[3], "FURNITURE", "outline"))


def test_an_empty_outline_is_in_no_view() -> None:
    """It has no point on its surface. Before, the points of the others shifted by
    one and a triangle inside the plan was given no view (found by review)."""
    from planchecker.extraction.views import _outline_owner

    triangle = Polygon([(1, 1), (2, 1), (2, 2)])
    drawing = Drawing(
        "v.dxf",
        (Outline(Polygon(), "WALL", "outline"), Outline(triangle, "WALL", "outline")),
        (),
        np.zeros((0, 2, 2)),
        np.zeros(0, dtype=np.int32),
        ("WALL",),
        Units(1.0, "header"),
        "",
    )
    boxes = np.array([[0.0, 0.0, 10.0, 10.0]])
    np.testing.assert_array_equal(_outline_owner(drawing, boxes), [-1, 0])
