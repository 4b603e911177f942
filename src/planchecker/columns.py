"""Arrays that grow at their end without their rows being copied.

The reader's linework and the drawing's outlines are written once, as they come,
into such columns, and become the arrays the later stages use: a list of chunks
concatenated at the end would hold the largest arrays of a drawing twice.
"""

from __future__ import annotations

import math
import mmap
import sys

import numpy as np

MAPPED = 1 << 20  # a column of this many bytes or more lives in its own mapping
CAN_MAP = sys.platform == "linux"  # where mmap.resize is mremap


class Column:
    """An array whose capacity changes at its end without its rows being copied
    (a column of the reader's linework, of the outlines' coordinates ...).

    A small column is a numpy array, copied when it grows.  On Linux a large one
    lives in an anonymous private mapping, which ``mmap.resize`` (mremap) grows and
    shrinks in place: no copy, capacity that costs nothing until written, and
    memory given back to the system the moment it is shrunk or dropped (heap
    memory freed below other allocations would stay in the process).  The packed
    arrays are views of the mapping; it goes when they go.
    """

    def __init__(self, tail: tuple[int, ...], dtype: type) -> None:
        self._tail = tail
        self._dtype = np.dtype(dtype)
        self._row = math.prod(tail) * self._dtype.itemsize
        self._map: mmap.mmap | None = None
        self.data = np.empty((0, *tail), self._dtype)  # the rows, capacity included

    def resize(self, rows: int) -> None:
        """Room for exactly `rows` rows; the first rows (as many as fit) are kept."""
        if rows == len(self.data):
            return
        nbytes = rows * self._row
        if self._map is None and (nbytes < MAPPED or not CAN_MAP):
            old, self.data = self.data, np.empty((rows, *self._tail), self._dtype)
            keep = min(rows, len(old))
            self.data[:keep] = old[:keep]
            return
        if self._map is not None:
            self.data = np.empty((0, *self._tail), self._dtype)  # drops our view
            if not nbytes:
                self._map = None
                return
            try:
                self._map.resize(nbytes)
                self.data = self._view()
                return
            except BufferError:  # a view lives on elsewhere (a debugger's frame): copy
                old = self._view()
        else:
            old = self.data
        self._map = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.data = self._view()
        keep = min(rows, len(old))
        self.data[:keep] = old[:keep]

    def shrink(self, rows: int) -> None:
        """Give back the memory beyond `rows` rows where that costs no copy."""
        if self._map is not None:
            self.resize(rows)

    def take(self) -> np.ndarray:
        """The array (the caller sizes it first); the column is empty afterwards."""
        data, self.data, self._map = self.data, np.empty((0, *self._tail), self._dtype), None
        return data

    def _view(self) -> np.ndarray:
        assert self._map is not None
        return np.frombuffer(self._map, self._dtype).reshape(-1, *self._tail)
