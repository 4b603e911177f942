"""Bulged outlines kept as recipes (`planchecker.arcrings`, `OutlineStore`).

The fast reader keeps a closed, bulged LWPOLYLINE drawn in modelspace as its
vertices and arcs, not its flattened points, once it has checked that they make
the very points of its polygon.  Nothing downstream may be able to tell: every
accessor of the store must give what it gives for the points, float for float,
and the Drawing must be the one the ezdxf path reads.
"""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import ezdxf
import numpy as np
import pytest
import shapely

from planchecker import arcrings
from planchecker.outlines import OutlineStore
from planchecker.reading import fastpoly, fastread, primitives
from planchecker.reading.entities import Tolerances
from planchecker.reading.geometry import Affine
from planchecker.reading.reader import read_drawing
from test_fastread import assert_same
from test_outline_store import _same


def _furniture(path: Path, n: int, seed: int, straight: int = 0, metres: bool = False) -> Path:
    """`n` closed bulged polylines of many shapes (some with repeated vertices, a
    zero-length chord, bulges too small to bend), `straight` unbulged ones, a
    block of bulged chairs inserted twice, and one room with its area label; in
    millimetres, or (`metres`) drawn in metres, which the reader leaves unscaled."""
    rng = np.random.default_rng(seed)
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 6 if metres else 4
    msp = doc.modelspace()
    chair = doc.blocks.new("CHAIR")
    chair.add_lwpolyline(
        [(0, 0, 0.4), (400, 0, 0), (400, 400, 0.4), (0, 400, 0)], format="xyb", close=True
    )
    msp.add_lwpolyline(
        [(0, 0), (20000, 0), (20000, 15000), (0, 15000)], close=True, dxfattribs={"layer": "ROOM"}
    )
    msp.add_text("300.00m²", height=300, dxfattribs={"layer": "ROOM", "insert": (9000, 7000)})
    for k in range(n):
        x, y = rng.random(2) * 18000 + 500
        size = 200 + rng.random() * 600
        m = int(rng.integers(2, 7))
        angles = np.sort(rng.random(m)) * 2 * math.pi
        pts = [(x + size * math.cos(a), y + size * math.sin(a)) for a in angles]
        bulges = rng.choice([0.0, 0.4, -0.3, 1.0, 1e-9, 0.05], size=m)
        verts = [(px, py, float(b)) for (px, py), b in zip(pts, bulges, strict=True)]
        if k % 11 == 0:
            verts.insert(1, verts[0])  # a repeated vertex: a chord of no length
        msp.add_lwpolyline(verts, format="xyb", close=True, dxfattribs={"layer": "FURNITURE"})
    for _ in range(straight):
        x, y = rng.random(2) * 18000 + 500
        msp.add_lwpolyline(
            [(x, y), (x + 300, y), (x + 300, y + 200)],
            close=True,
            dxfattribs={"layer": "FURNITURE"},
        )
    for at in ((3000, 3000), (5000, 3000)):
        msp.add_blockref("CHAIR", at)
    if metres:
        for e in msp:
            e.scale_uniform(0.001)
    out = path / f"furniture-{seed}.dxf"
    doc.saveas(out)
    return out


def _fast_and_slow(path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(fastread.ENV, "ezdxf")
    slow = read_drawing(path)
    monkeypatch.setenv(fastread.ENV, "fast")
    fast = read_drawing(path)
    return fast, slow


def _made(store: OutlineStore) -> np.ndarray:
    return np.flatnonzero(store._made(np.arange(len(store))))


@pytest.mark.parametrize("batch", [5, primitives.OUTLINE_BATCH])
def test_bulged_outlines_are_kept_as_recipes_and_read_as_ezdxf_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """With batches of 5 records, many a batch holds recipes only (no points)."""
    monkeypatch.setattr(primitives, "OUTLINE_BATCH", batch)
    fast, slow = _fast_and_slow(_furniture(tmp_path, 300, 1, straight=20), monkeypatch)
    assert_same(slow, fast)
    store = fast.outlines.store
    made = _made(store)
    assert len(made) >= 250  # the bulged ones drawn in modelspace
    assert all(store.blocks[i] is None for i in made)  # not a block's chairs
    assert slow.outlines.store._recipes is None  # the ezdxf path keeps points
    # the recipes hold far fewer numbers than the points they make
    assert len(store.coords) + 5 * len(made) < len(slow.outlines.store.coords) / 2


def test_every_accessor_gives_what_the_points_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = _fast_and_slow(_furniture(tmp_path, 400, 2, straight=30), monkeypatch)
    got, want = fast.outlines.store, slow.outlines.store
    n = len(want)
    assert len(_made(got)) > 300
    polys = want.polygons()
    pick = np.random.default_rng(2).permutation(n)[: n // 2]
    run = np.arange(10, n - 10)
    for idx in (None, pick, run):
        assert _same(got.polygons(idx), want.polygons(idx))
        np.testing.assert_array_equal(got.bounds(idx), want.bounds(idx))
        np.testing.assert_array_equal(got.edge_counts(idx), want.edge_counts(idx))
    np.testing.assert_array_equal(got.bounds(), shapely.bounds(polys))
    for idx in (pick, run):
        for a, b in zip(got.exterior_edges(idx), want.exterior_edges(idx), strict=True):
            np.testing.assert_array_equal(a, b)
    taken, unpickled = got.take(pick), pickle.loads(pickle.dumps(got))
    assert taken._recipes is None and unpickled._recipes is None  # points again ...
    assert _same(taken.polygons(), polys[pick])  # ... the same ones
    assert _same(unpickled.polygons(), polys)


def test_copies_spans_moves_and_scaling_keep_every_float(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = _fast_and_slow(_furniture(tmp_path, 200, 3, metres=True), monkeypatch)
    got, want = fast.outlines.store, slow.outlines.store
    n = len(want)
    assert not got._factors  # read unscaled

    pieces = OutlineStore()  # spans carry their recipes
    for span in [(0, 7), (7, 7), (7, n - 3), (n - 3, n)]:
        pieces.extend(got, span=span)
    assert len(_made(pieces)) == len(_made(got))
    assert _same(pieces.polygons(), want.polygons())
    np.testing.assert_array_equal(pieces.bounds(), want.bounds())

    where = Affine(np.array([[0.6, 0.8], [-0.8, 0.6]]), np.array([10.0, -3.0]))
    moved, moved_points = OutlineStore(), OutlineStore()  # a move makes the points
    moved.extend(got, where.points)
    moved_points.extend(want, where.points)
    assert moved._recipes is None
    np.testing.assert_array_equal(moved.coords, moved_points.coords)

    for store in (got, want, pieces):
        store.scale(0.001)
        store.scale(3.0)
    for store in (got, pieces):
        assert _same(store.polygons(), want.polygons())
        np.testing.assert_array_equal(store.bounds(), want.bounds())
        np.testing.assert_array_equal(store.bounds(), shapely.bounds(want.polygons()))
    mirrored, mirrored_points = OutlineStore(), OutlineStore()
    mirrored.extend(got, span=(0, n))
    mirrored_points.extend(want, span=(0, n))
    assert mirrored._recipes is None  # a scaled store's recipes are made into points
    np.testing.assert_array_equal(mirrored.coords, mirrored_points.coords)
    got.scale(-2.0)  # bounds of a negative scaling: min and max trade places
    want.scale(-2.0)
    np.testing.assert_array_equal(got.bounds(), want.bounds())
    for factor in (math.inf, 0.0):  # 0 * inf: the rings are made into points first
        fresh, points = _fast_and_slow(_furniture(tmp_path, 30, 4, metres=True), monkeypatch)
        kept, drawn = fresh.outlines.store, points.outlines.store
        assert kept._recipes is not None
        with np.errstate(invalid="ignore"):  # 0 * inf
            kept.scale(factor)
            drawn.scale(factor)
        assert kept._recipes is None
        np.testing.assert_array_equal(kept.bounds(), drawn.bounds())
        np.testing.assert_array_equal(kept.coords, drawn.coords)


def test_a_scaled_store_keeps_a_recipe_given_to_it_as_points() -> None:
    verts = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    after = np.array([0, 7, 0, 0])
    arcs = np.array([[1.0, 0.5, 0.5, -math.pi / 2, math.pi]])
    ring, lengths = arcrings.rings(verts, after, arcs, np.array([4]))
    box = np.r_[ring.min(axis=0), ring.max(axis=0)]
    recipe = arcrings.Recipe(verts, after, arcs, int(lengths[0]), box)
    kept, scaled = OutlineStore(), OutlineStore()
    scaled.scale(0.5)
    for store in (kept, scaled):
        store.add([None, shapely.box(5, 5, 6, 6)], [1, 2], [0, 0], [None, None], [recipe, None])
    assert kept._recipes is not None and len(kept.coords) == 5  # the box's points only
    assert scaled._recipes is None and len(scaled.coords) == len(ring) + 5
    np.testing.assert_array_equal(scaled.polygons()[0].exterior.coords, ring)
    np.testing.assert_array_equal(kept.polygons()[0].exterior.coords, ring)
    np.testing.assert_array_equal(kept.bounds()[0], box)


def test_a_recipe_that_does_not_make_the_ring_drawn_is_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    item = (fastread.I_POLY, "0", [0.0, 0.0, 0.5, 1000.0, 0.0, 0.0, 1000.0, 800.0, 0.0], 1, None)
    tol = Tolerances.for_scale(0.001)
    kept = fastpoly.Batch(tol, [item], fastread.I_POLY).done[0]
    assert kept.recipe is not None
    np.testing.assert_array_equal(
        arcrings.rings(
            kept.recipe.verts,
            kept.recipe.after,
            kept.recipe.arcs,
            np.array([len(kept.recipe.verts)]),
        )[0],
        shapely.get_coordinates(kept.ring.polygon),
    )

    rings = arcrings.rings

    def off(*args):  # a ring made a little differently: a different last bit
        ring, lengths = rings(*args)
        ring[3, 0] = np.nextafter(ring[3, 0], np.inf)
        return ring, lengths

    monkeypatch.setattr(fastpoly.arcrings, "rings", off)
    refused = fastpoly.Batch(tol, [item], fastread.I_POLY).done[0]
    assert refused.recipe is None and refused.ring is not None and refused.ring.polygon is not None


def test_rings_match_the_reader_flattening_of_random_bulges() -> None:
    """`arcrings.rings`, one polyline at a time or all together, gives the points
    the reader's batch gives the polylines' polygons."""
    rng = np.random.default_rng(7)
    tol = Tolerances.for_scale(0.001)
    items = []
    for _ in range(200):
        m = int(rng.integers(2, 9))
        xy = rng.normal(size=(m, 2)) * 1000
        b = rng.choice([0.0, 0.2, -0.7, 2.5, 1e-12], size=m)
        items.append((fastread.I_POLY, "0", np.c_[xy, b].ravel().tolist(), 1, None))
    batch = fastpoly.Batch(tol, items, fastread.I_POLY)
    recipes = [d.recipe for d in batch.done.values() if d.recipe is not None]
    assert len(recipes) > 50
    together, lengths = arcrings.rings(
        np.concatenate([r.verts for r in recipes]),
        np.concatenate([r.after for r in recipes]),
        np.concatenate([r.arcs for r in recipes]),
        np.array([len(r.verts) for r in recipes]),
    )
    drawn = [d for d in batch.done.values() if d.recipe is not None]
    np.testing.assert_array_equal(
        together, shapely.get_coordinates([d.ring.polygon for d in drawn])
    )
    np.testing.assert_array_equal(lengths, [r.points for r in recipes])
    for r, d in zip(recipes, drawn, strict=True):
        alone, _ = arcrings.rings(r.verts, r.after, r.arcs, np.array([len(r.verts)]))
        np.testing.assert_array_equal(alone, d.ring.polygon.exterior.coords)
        np.testing.assert_array_equal(r.box, shapely.bounds(d.ring.polygon))
