"""View splitting goes through a drawing's segments in chunks and settles whole
chunks from their boxes (issue 6).  These tests pin that the chunked passes give
exactly what a whole-array computation gives: the owner of every point, the
members of every view, whatever the chunk size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planchecker.extraction import assemble, views
from planchecker.extraction.labels import Vocabulary
from planchecker.reading import read_drawing
from planchecker.standards import DEFAULT_STANDARD, load_standard

SAMPLES = Path(__file__).resolve().parents[1] / "sample_plans"


def _matrix_owner(box_arr: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The owner as a (points x boxes) matrix gives it: the smallest box (grown by
    JOIN_GAP) holding the point, the first of equal ones, -1 when that area is
    not finite."""
    pad = views.JOIN_GAP
    areas = (box_arr[:, 2] - box_arr[:, 0]) * (box_arr[:, 3] - box_arr[:, 1])
    with np.errstate(invalid="ignore"):
        inside = (
            (x[:, None] >= box_arr[None, :, 0] - pad)
            & (x[:, None] <= box_arr[None, :, 2] + pad)
            & (y[:, None] >= box_arr[None, :, 1] - pad)
            & (y[:, None] <= box_arr[None, :, 3] + pad)
        )
    masked = np.where(inside, areas[None, :], np.inf)
    best = masked.argmin(axis=1)
    return np.where(np.isfinite(masked.min(axis=1)), best, -1)


def _boxes(rng: np.random.Generator, n: int) -> np.ndarray:
    low = rng.uniform(0, 100, size=(n, 2)).round(0)
    size = rng.integers(1, 40, size=(n, 2)).astype(float)
    boxes = np.hstack([low, low + size])
    boxes[1] = boxes[0]  # two boxes of equal area: the first counts
    boxes[2] = (boxes[0, 0] + 1, boxes[0, 1] + 1, boxes[0, 2] - 1, boxes[0, 3] - 1)  # nested
    return boxes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_owner_is_the_matrix_owner(seed):
    rng = np.random.default_rng(seed)
    boxes = _boxes(rng, 9)
    x = rng.uniform(-5, 145, 4000).round(1)  # on box edges too
    y = rng.uniform(-5, 145, 4000).round(1)
    x[:10] = np.nan
    expected = _matrix_owner(boxes, x, y)
    assert (expected >= 0).sum() > 300 and (expected == -1).sum() > 300
    assert np.array_equal(views._owner(boxes, x, y), expected)


@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply")
def test_owner_with_boxes_of_no_finite_area():
    boxes = np.array(
        # a zero-height line across everything has a NaN area (inf x 0)
        [(0.0, 0.0, 10.0, 10.0), (-np.inf, 3.0, np.inf, 3.0), (-np.inf, 0.0, np.inf, 10.0)]
    )
    x = np.array([1.0, 3.0, 8.0, 50.0])
    y = np.array([1.0, 3.0, 8.0, 5.0])
    expected = _matrix_owner(boxes, x, y)
    assert expected.tolist() == [0, -1, 0, -1]
    assert np.array_equal(views._owner(boxes, x, y), expected)


@pytest.mark.parametrize("seed", [4, 5])
def test_a_settled_rectangle_has_that_owner_everywhere(seed):
    rng = np.random.default_rng(seed)
    boxes = _boxes(rng, 6)
    low = rng.uniform(-5, 140, size=(300, 2))
    rects = np.hstack([low, low + rng.uniform(0, 8, size=(300, 2))])
    owner = views._rect_owner(boxes, rects, 0.0)
    assert (owner >= 0).any() and (owner == -1).any() and (owner == -2).any()
    for rect, settled in zip(rects, owner, strict=True):
        if settled == -2:
            continue
        x = rng.uniform(rect[0], rect[2], 50)
        y = rng.uniform(rect[1], rect[3], 50)
        assert set(views._owner(boxes, x, y).tolist()) == {settled}


@pytest.mark.parametrize("seed", [6, 7])
def test_segment_members_in_small_chunks(monkeypatch, seed):
    rng = np.random.default_rng(seed)
    boxes = _boxes(rng, 5)
    # runs of segments drawn a view at a time, then loose ones all over
    runs = []
    for box in boxes[[0, 3, 4]]:
        start = rng.uniform(box[:2], box[2:], size=(500, 2))
        runs.append(np.stack([start, start + rng.uniform(-0.5, 0.5, (500, 2))], axis=1))
    loose = rng.uniform(-5, 145, size=(700, 2, 2))
    segments = np.concatenate(runs + [loose])
    mid = segments.mean(axis=1)
    owner = _matrix_owner(boxes, mid[:, 0], mid[:, 1])
    expected = [np.flatnonzero(owner == k) for k in range(len(boxes))]
    for chunk in (7, 64, 500, 1 << 15):
        monkeypatch.setattr(views, "CHUNK", chunk)
        rows = [views._segment_rows(segments[part]) for part in views._chunks(len(segments))]
        chunk_boxes = np.array([(*r[:2].min(axis=1), *r[2:].max(axis=1)) for r in rows])
        assert len(chunk_boxes) == -(-len(segments) // chunk)
        for given in (None, chunk_boxes):
            found = views._segment_members(segments, boxes, given)
            assert len(found) == len(expected)
            for got, want in zip(found, expected, strict=True):
                assert np.array_equal(got, want), chunk


def _views_of(path: Path) -> list[views.View]:
    drawing = read_drawing(path)
    return assemble.split_views(
        drawing,
        is_title=assemble._is_view_title,
        belongs_near=lambda s: assemble.belongs_near(s, _vocabulary()),
        names_floor=assemble._names_floor,
    )


def _vocabulary() -> Vocabulary:
    return Vocabulary(load_standard(DEFAULT_STANDARD).vocabulary())


@pytest.mark.parametrize("sample", ["compliant-centre.dxf", "compliant-centre-tarch.dxf"])
def test_views_do_not_depend_on_the_chunk_size(monkeypatch, sample):
    whole = _views_of(SAMPLES / sample)
    assert len(whole) >= 2  # the samples draw their floors side by side
    for chunk in (5, 97, 1024):
        monkeypatch.setattr(views, "CHUNK", chunk)
        chunked = _views_of(SAMPLES / sample)
        assert [v.bbox for v in chunked] == [v.bbox for v in whole]
        assert [v.title for v in chunked] == [v.title for v in whole]
        for a, b in zip(chunked, whole, strict=True):
            assert np.array_equal(a.segments, b.segments)
            assert np.array_equal(a.outlines, b.outlines)
            assert np.array_equal(a.texts, b.texts)
