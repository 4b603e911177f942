"""The grid labelling that splits a drawing into views numbers regions exactly as
scipy.ndimage.label does (8-connectivity), which it replaced."""

from __future__ import annotations

import numpy as np
import pytest

from planchecker.extraction.regions import label_regions

ndimage = pytest.importorskip("scipy.ndimage")


def _scipy(grid: np.ndarray) -> tuple[np.ndarray, int]:
    labels, count = ndimage.label(grid, structure=np.ones((3, 3), dtype=bool))
    return labels, int(count)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("density", [0.05, 0.3, 0.5, 0.6, 0.9])
def test_random_grids_are_labelled_as_scipy_labels_them(seed: int, density: float) -> None:
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 90, size=2))
    grid = rng.random(shape) < density
    labels, count = label_regions(grid)
    want, want_count = _scipy(grid)
    assert count == want_count
    assert labels.dtype == np.int32 and labels.shape == grid.shape
    np.testing.assert_array_equal(labels, want)


def test_shapes_that_need_many_joins() -> None:
    """A serpentine, a comb joined at the bottom, diagonal chains, an empty and a
    full grid, one row, one column."""
    snake = np.zeros((41, 30), dtype=bool)
    snake[::2, :] = True
    snake[1::4, -1] = True
    snake[3::4, 0] = True
    comb = np.zeros((30, 40), dtype=bool)
    comb[:, ::2] = True
    comb[-1, :] = True
    diagonal = np.eye(50, dtype=bool) | np.eye(50, k=3, dtype=bool)[::-1]
    cases = [
        snake,
        comb,
        comb[::-1],
        diagonal,
        np.zeros((5, 7), dtype=bool),
        np.ones((6, 3), dtype=bool),
        np.array([[True, False, True, True, False, True]]),
        np.array([[True], [False], [True], [True]]),
    ]
    for grid in cases:
        labels, count = label_regions(grid)
        want, want_count = _scipy(grid)
        assert count == want_count
        np.testing.assert_array_equal(labels, want)
    assert label_regions(snake)[1] == 1 and label_regions(comb)[1] == 1
