"""Index ranges laid end to end: the one numpy idiom the packed arrays share.

Outlines, rings and runs are kept as flat arrays with their ends; taking several
of them at once means the indices of each range one after another, built with
`repeat` and `cumsum` instead of a Python loop over the ranges.
"""

from __future__ import annotations

import numpy as np


def aranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The indices of the ranges [starts[i], ends[i]) one after another (each
    range at least empty: ends >= starts)."""
    lengths = np.asarray(ends, dtype=np.int64) - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = starts - (np.cumsum(lengths) - lengths)
    return np.arange(total, dtype=np.int64) + np.repeat(shift, lengths)
