"""The 8-connected regions of a boolean grid, numbered as `scipy.ndimage.label`
numbers them.

Views are found by labelling a grid of at most about 2,000 x 2,000 cells once
per review. scipy was imported for this one call, and its import took 0.16 s and
6 MiB of every review, about a quarter of a small review's time. Here the grid
is cut into runs of covered cells, one row at a time. Runs in neighbouring rows
that touch (8-connectivity: diagonal contact counts) are joined with a vectorised
union-find. The work is linear in the number of cells, plus about log(runs)
rounds over the joins.
"""

from __future__ import annotations

import numpy as np


def label_regions(covered: np.ndarray) -> tuple[np.ndarray, int]:
    """(labels, count): an int32 grid with 0 where `covered` is False and 1..count
    elsewhere, one number per 8-connected region. Regions are numbered in the order
    their first cell comes in a row-major scan, as `scipy.ndimage.label` does with a
    3x3 structure of ones."""
    grid = np.asarray(covered, dtype=bool)
    if grid.ndim != 2:
        raise ValueError("label_regions takes a 2-D grid")
    rows, cols = grid.shape
    labels = np.zeros((rows, cols + 1), dtype=np.int32)
    if not grid.any():
        return labels[:, :cols].copy(), 0
    edge = np.zeros((rows, cols + 2), dtype=np.int8)
    edge[:, 1:-1] = grid
    step = np.diff(edge, axis=1)  # +1 where a run starts, -1 just past where it ends
    del edge
    run_row, run_start = np.nonzero(step == 1)  # row-major: runs in scan order
    _, run_end = np.nonzero(step == -1)  # exclusive ends, in the same order
    del step
    root = _components(run_row, run_start, run_end, cols)
    first = np.unique(root)  # each region's first run, in scan order
    number = (np.searchsorted(first, root) + 1).astype(np.int32)
    labels[run_row, run_start] = number  # a run's label from its start ...
    labels[run_row, run_end] = -number  # ... to its end (a 0 cell, no other run's start)
    np.cumsum(labels, axis=1, out=labels)
    return labels[:, :cols].copy(), len(first)


def _components(row: np.ndarray, start: np.ndarray, end: np.ndarray, cols: int) -> np.ndarray:
    """For each run, the index of the first run of its region.

    Run b in the next row touches run a when b starts no later than a ends
    (`end` is exclusive, so diagonal contact counts) and ends no earlier than a
    starts. The runs of one row are disjoint and sorted, so the runs touching a
    form one range, found by binary search on keys that put the rows one after
    another.
    """
    n = len(row)
    width = cols + 2
    row64 = row.astype(np.int64)
    start_key = row64 * width + start
    end_key = row64 * width + end
    below = (row64 + 1) * width
    lo = np.searchsorted(end_key, below + start, side="left")
    hi = np.searchsorted(start_key, below + end, side="right")
    count = np.maximum(hi - lo, 0)
    a = np.repeat(np.arange(n, dtype=np.int64), count)
    b = np.arange(int(count.sum()), dtype=np.int64)
    b += np.repeat(lo - np.concatenate(([0], np.cumsum(count)[:-1])), count)
    parent = np.arange(n, dtype=np.int64)
    while len(a):
        pa, pb = parent[a], parent[b]
        small, large = np.minimum(pa, pb), np.maximum(pa, pb)
        apart = small != large
        if not apart.any():
            break
        # hook each root under the smallest root it touches: parents only go down
        np.minimum.at(parent, large[apart], small[apart])
        while True:  # then point every run at its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
        a, b = a[apart], b[apart]  # runs joined already stay joined
    return parent
