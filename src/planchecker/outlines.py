"""Closed outlines held as flat coordinate arrays, not as one GEOS object each.

A centre's drawing holds tens of thousands of small closed polylines (tables,
chairs, fittings), nearly all of which no step ever looks at as a polygon: they
are too small for a room and on furniture layers.  As shapely polygons they were
the bulk of a large review's memory: GEOS keeps a z for every point (24 bytes),
and a polygon, a ring and a coordinate sequence per outline.  Here a point is 16
bytes, an outline a few bytes of ids, and the coordinates live in columns that
grow in place (`columns.Column`).

Polygons are made again only for the outlines a step asks for, with
`shapely.from_ragged_array` from the coordinates `shapely.to_ragged_array` gave:
the same floats, rings and order.  Bounds, edge counts and edges are taken from
the coordinates directly, as GEOS would give them (`bounds` from the exterior
ring, NaN ignored; see docs/decisions/outline-store.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely import GeometryType

from planchecker.columns import Column

if TYPE_CHECKING:
    from shapely.geometry import Polygon

    from planchecker.model import Outline

KINDS = ("outline", "hatch")
HATCH, REPAIRED, SOLID, EDGES = 1, 2, 4, 8  # bits of an outline's code
FIRST_ROWS = 256
CHUNK = 2048  # outlines whose coordinates are gathered (or made polygons) at a time


def outline_code(kind: str, repaired: bool, solid: bool, edges: bool) -> int:
    """An outline's kind and flags in one small int."""
    return (
        (HATCH if kind == "hatch" else 0)
        | (REPAIRED if repaired else 0)
        | (SOLID if solid else 0)
        | (EDGES if edges else 0)
    )


def _aranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The indices of the ranges [starts[i], ends[i]) one after another."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = starts - np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return np.arange(total, dtype=np.int64) + np.repeat(shift, lengths)


class OutlineStore:
    """Polygons with their layer id, kind, flags and block name, appended in order.

    `layers` are ids into a table the owner keeps (the reader's LayerTable, the
    drawing's layer names); `blocks` are the innermost block names, or None.
    """

    def __init__(self) -> None:
        self._coords = Column((2,), np.float64)
        self._ring_ends = Column((), np.int64)  # end of each ring in the coordinates
        self._poly_ends = Column((), np.int64)  # end of each polygon in the rings
        self._layers = Column((), np.int32)
        self._codes = Column((), np.uint8)
        self.blocks: list[str | None] = []
        self._n = self._rings = self._points = 0
        self._all_bounds: np.ndarray | None = None  # `bounds()` until the store changes

    def __reduce__(self):
        """Pickled (and deep-copied) as its arrays, trimmed: a large store's
        columns are memory mappings, which cannot be pickled themselves."""
        arrays = (
            self.coords.copy(),
            self._ring_ends.data[: self._rings].copy(),
            self._poly_ends.data[: self._n].copy(),
            self.layers.copy(),
            self.codes.copy(),
        )
        return (_rebuilt, (arrays, list(self.blocks)))

    # ------------------------------------------------------------------ filling

    def __len__(self) -> int:
        return self._n

    def __bool__(self) -> bool:
        return self._n > 0

    @staticmethod
    def _room(col: Column, need: int) -> None:
        if need > len(col.data):
            col.resize(max(need, FIRST_ROWS, 2 * len(col.data)))

    def _append(
        self,
        coords: np.ndarray,
        ring_ends: np.ndarray,
        poly_ends: np.ndarray,
        layers: np.ndarray | int,
        codes: np.ndarray | int,
        blocks: Sequence[str | None],
    ) -> None:
        """Append polygons given as their coordinates, the end of each ring in
        `coords` and the end of each polygon in the rings (counted from 0)."""
        n, r, p = len(poly_ends), len(ring_ends), len(coords)
        self._all_bounds = None
        self._room(self._coords, self._points + p)
        self._room(self._ring_ends, self._rings + r)
        for col in (self._poly_ends, self._layers, self._codes):
            self._room(col, self._n + n)
        self._coords.data[self._points : self._points + p] = coords
        np.add(ring_ends, self._points, out=self._ring_ends.data[self._rings : self._rings + r])
        np.add(poly_ends, self._rings, out=self._poly_ends.data[self._n : self._n + n])
        self._layers.data[self._n : self._n + n] = layers
        self._codes.data[self._n : self._n + n] = codes
        self.blocks.extend(blocks)
        self._n, self._rings, self._points = self._n + n, self._rings + r, self._points + p

    def add(
        self,
        polygons: Sequence[Polygon] | np.ndarray,
        layers: Sequence[int] | np.ndarray | int,
        codes: Sequence[int] | np.ndarray | int,
        blocks: Sequence[str | None],
    ) -> None:
        """Append polygons (shapely Polygons, empty ones allowed)."""
        if not len(polygons):
            return
        polys = np.asarray(polygons, dtype=object)
        _, coords, (ring_offsets, poly_offsets) = shapely.to_ragged_array(polys, include_z=False)
        self._append(
            coords,
            ring_offsets[1:],
            poly_offsets[1:],
            np.asarray(layers),
            np.asarray(codes),
            blocks,
        )

    def extend(
        self,
        other: OutlineStore,
        move: Callable[[np.ndarray], np.ndarray] | None = None,
        layer_map: tuple[int, int] | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        """Append the outlines of `other` (those of `span`, lo to hi, when given),
        their coordinates passed through `move` (an (n, 2) array to an (n, 2)
        array: a block's placement) and, with `layer_map` = (old, new), layer id
        old replaced by new (INHERIT by the INSERT's layer)."""
        lo, hi = span if span is not None else (0, other._n)
        if hi <= lo:
            return
        poly_ends = other._poly_ends.data[: other._n]
        ring_ends = other._ring_ends.data[: other._rings]
        r0, r1 = (int(poly_ends[lo - 1]) if lo else 0), int(poly_ends[hi - 1])
        c0, c1 = (int(ring_ends[r0 - 1]) if r0 else 0), (int(ring_ends[r1 - 1]) if r1 else 0)
        coords = other.coords[c0:c1]
        if move is not None:
            coords = move(coords)
        layers = other.layers[lo:hi]
        if layer_map is not None and layer_map[0] in layers:
            layers = np.where(layers == layer_map[0], layer_map[1], layers)
        self._append(
            coords,
            ring_ends[r0:r1] - c0 if c0 else ring_ends[r0:r1],
            poly_ends[lo:hi] - r0 if r0 else poly_ends[lo:hi],
            layers,
            other.codes[lo:hi],
            other.blocks[lo:hi] if span is not None else other.blocks,
        )

    def take(self, indices: np.ndarray) -> OutlineStore:
        """A new store of the outlines `indices`, in that order."""
        out = OutlineStore()
        for lo in range(0, len(indices), CHUNK):
            idx = np.asarray(indices[lo : lo + CHUNK], dtype=np.int64)
            coords, ring_lengths, rings_per_poly = self._gather(idx)
            out._append(
                coords,
                np.cumsum(ring_lengths),
                np.cumsum(rings_per_poly),
                self.layers[idx],
                self.codes[idx],
                [self.blocks[i] for i in idx.tolist()],
            )
        return out

    def scale(self, factor: float) -> None:
        """Multiply every coordinate by `factor`, in place."""
        c = self.coords
        np.multiply(c, factor, out=c)
        self._all_bounds = None

    def shrink(self) -> None:
        """Give back the capacity beyond what is held (where that costs no copy)."""
        self._coords.shrink(self._points)
        self._ring_ends.shrink(self._rings)
        for col in (self._poly_ends, self._layers, self._codes):
            col.shrink(self._n)

    # ------------------------------------------------------------------ arrays

    @property
    def coords(self) -> np.ndarray:
        """(points, 2) coordinates of every ring, in order (a view)."""
        return self._coords.data[: self._points]

    @property
    def layers(self) -> np.ndarray:
        return self._layers.data[: self._n]

    @property
    def codes(self) -> np.ndarray:
        return self._codes.data[: self._n]

    def flags(self, bit: int) -> np.ndarray:
        """Whether each outline has `bit` (HATCH, REPAIRED, SOLID, EDGES)."""
        return (self.codes & bit) != 0

    @staticmethod
    def _starts(ends: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Where item `at` begins, given each item's end: the end of the one before."""
        if not len(ends):
            return np.zeros(len(at), dtype=np.int64)
        return np.where(at > 0, ends[np.maximum(at - 1, 0)], 0)

    def _ranges(self, idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
        """For the outlines `idx` (all when None): first ring, ring end, and the
        coordinate ranges of the exterior ring and of all rings."""
        poly_ends = self._poly_ends.data[: self._n]
        ring_ends = self._ring_ends.data[: self._rings]
        if idx is None:
            idx = np.arange(self._n)
        last = poly_ends[idx]
        first = self._starts(poly_ends, idx)
        has = last > first
        if not len(ring_ends):  # every outline empty: no rings, no coordinates
            none = np.zeros(len(idx), dtype=np.int64)
            return first, last, none, none, none
        ext_start = self._starts(ring_ends, first)
        ext_end = np.where(has, ring_ends[np.minimum(first, len(ring_ends) - 1)], ext_start)
        all_end = np.where(has, ring_ends[np.maximum(last - 1, 0)], ext_start)
        return first, last, ext_start, ext_end, all_end

    def _gather(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Coordinates, ring lengths and rings per polygon of the outlines `idx`."""
        first, last, start, _, end = self._ranges(idx)
        rings = _aranges(first, last)
        ring_ends = self._ring_ends.data[: self._rings]
        ring_lengths = ring_ends[rings] - self._starts(ring_ends, rings)
        if len(idx) and np.all(np.diff(idx) == 1):  # one run: a slice, no gather
            coords = self.coords[start[0] : end[-1]]
        else:
            coords = self.coords[_aranges(start, end)]
        return coords, ring_lengths, last - first

    # ------------------------------------------------------------------ geometry

    def polygons(self, indices: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """Shapely polygons of the outlines `indices` (all when None), made anew."""
        idx = np.arange(self._n) if indices is None else np.asarray(indices, dtype=np.int64)
        if not len(idx):
            return np.empty(0, dtype=object)
        coords, ring_lengths, rings_per_poly = self._gather(idx)
        offsets = (
            np.concatenate(([0], np.cumsum(ring_lengths))),
            np.concatenate(([0], np.cumsum(rings_per_poly))),
        )
        return shapely.from_ragged_array(GeometryType.POLYGON, coords, offsets)

    def polygon(self, index: int) -> Polygon:
        return self.polygons([index])[0]

    def chunks(self, indices: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(indices, polygons) CHUNK outlines at a time: what a step that must see
        every polygon holds at once."""
        idx = np.arange(self._n) if indices is None else np.asarray(indices, dtype=np.int64)
        for lo in range(0, len(idx), CHUNK):
            part = idx[lo : lo + CHUNK]
            yield part, self.polygons(part)

    def bounds(self, indices: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """(n, 4) xmin, ymin, xmax, ymax of each outline's exterior ring, as
        `shapely.bounds` gives them (NaN ignored; all NaN for an empty one)."""
        if indices is None:
            if self._all_bounds is None:
                self._all_bounds = self._bounds(None)
            return self._all_bounds.copy()
        return self._bounds(np.asarray(indices, dtype=np.int64))

    def _bounds(self, idx: np.ndarray | None) -> np.ndarray:
        _, _, start, end, _ = self._ranges(idx)
        out = np.full((len(start), 4), np.nan)
        coords = self.coords
        full = np.flatnonzero(end > start)
        for lo in range(0, len(full), CHUNK):
            part = full[lo : lo + CHUNK]
            s, e = start[part], end[part]
            pts = coords[_aranges(s, e)]
            at = np.concatenate(([0], np.cumsum(e - s)[:-1]))
            out[part, :2] = np.fmin.reduceat(pts, at, axis=0)
            out[part, 2:] = np.fmax.reduceat(pts, at, axis=0)
        return out

    def edge_counts(self, indices: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """Points of each outline (all rings) less one: the edges of one that stands
        for its edges (a ring as drawn, no holes)."""
        idx = None if indices is None else np.asarray(indices, dtype=np.int64)
        _, _, start, _, end = self._ranges(idx)
        return end - start - 1

    def exterior_edges(self, indices: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The exterior rings' edges as (n, 2, 2) segments and the position in
        `indices` of the outline each belongs to: `model.exterior_edges`."""
        idx = np.asarray(indices, dtype=np.int64)
        if not len(idx):
            return np.zeros((0, 2, 2)), np.zeros(0, dtype=np.intp)
        _, _, start, end, _ = self._ranges(idx)
        pts = self.coords[_aranges(start, end)]
        ring_of = np.repeat(np.arange(len(idx), dtype=np.intp), end - start)
        same = ring_of[1:] == ring_of[:-1]
        return np.stack((pts[:-1][same], pts[1:][same]), axis=1), ring_of[:-1][same]


def _rebuilt(arrays: tuple[np.ndarray, ...], blocks: list[str | None]) -> OutlineStore:
    store = OutlineStore()
    coords, ring_ends, poly_ends, layers, codes = arrays
    store._append(coords, ring_ends, poly_ends, layers, codes, blocks)
    return store


class Outlines(Sequence["Outline"]):
    """A drawing's outlines: a store in metres and the layer names its ids index.

    Indexing gives an `Outline` whose polygon is made when first asked for, so a
    step that looks at a furniture outline's layer and passes on never builds it.
    """

    def __init__(self, store: OutlineStore, layer_names: Sequence[str]) -> None:
        self.store = store
        self.layer_names = tuple(layer_names)

    @staticmethod
    def of(outlines: Sequence[Outline]) -> Outlines:
        """Outlines built by hand (tests, a caller of the API)."""
        names: dict[str, int] = {}
        store = OutlineStore()
        store.add(
            [o.polygon for o in outlines],
            [names.setdefault(o.layer, len(names)) for o in outlines],
            [outline_code(o.kind, o.repaired, o.solid, o.edges) for o in outlines],
            [o.block for o in outlines],
        )
        return Outlines(store, tuple(names))

    def __len__(self) -> int:
        return len(self.store)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return self.some(range(*index.indices(len(self))))
        n = len(self.store)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(index)
        return self.some([index])[0]

    def __iter__(self) -> Iterator[Outline]:
        return iter(self.some(range(len(self))))

    def some(self, indices: Sequence[int] | np.ndarray) -> list[Outline]:
        """The outlines `indices`, their polygons made when first asked for."""
        from planchecker.model import Outline

        store, names = self.store, self.layer_names
        idx = np.asarray(indices, dtype=np.intp)
        codes, layers = store.codes[idx].tolist(), store.layers[idx].tolist()
        blocks = store.blocks
        return [
            Outline.lazy(
                store,
                i,
                names[layer],
                KINDS[c & HATCH],
                blocks[i],
                bool(c & REPAIRED),
                bool(c & SOLID),
                bool(c & EDGES),
            )
            for i, c, layer in zip(idx.tolist(), codes, layers, strict=True)
        ]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Outlines({len(self)})"

    def edges_mask(self) -> np.ndarray:
        """Which outlines stand for their edges (`Outline.edges`)."""
        return self.store.flags(EDGES)
