"""The reader's working data: primitives in drawing units, before units are known.

A block definition is turned into primitives once (`Packed`) and then copied
into every place it is inserted with one vectorised affine map, instead of
walking its entities again for every INSERT.  Layers are small ints into a
`LayerTable`; ``INHERIT`` marks an entity on layer "0" inside a block, which
takes the layer of the INSERT that places it (the ByBlock layer rule).  Each
segment also records the innermost block it was drawn in, a small int into a
`BlockTable` (``MODELSPACE`` when drawn directly in modelspace); a copied
instance keeps its segments' ids, so nesting costs nothing extra.

`Collector.pack` is the one gate every primitive passes, whichever reader made it:
a segment, outline or text with a coordinate that is not a number or lies beyond
``limits.MAX_COORDINATE`` is dropped there and counted (`Packed.dropped`), so that
nothing after the reader ever computes with one.

Linework is the bulk of a large drawing (6 M segments, 200 MB, in a 40 MB file of
bulged furniture polylines), so it is never held twice: segments and their ids
are written once, as they come, into arrays that grow in place (`_Linework`) and
become the packed arrays; the gate checks them there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
from shapely.geometry import Polygon

from planchecker.arcrings import Recipe
from planchecker.columns import Column
from planchecker.model import OutlineKind, ReadIssue, TextKind
from planchecker.outlines import EDGES, OutlineStore, outline_code
from planchecker.reading.encoding import clean
from planchecker.reading.geometry import Affine
from planchecker.reading.limits import MAX_COORDINATE
from planchecker.reading.text import plain_name

INHERIT = -1
MODELSPACE = -1  # block id of segments drawn directly in modelspace


@dataclass(frozen=True, slots=True)
class OutlineRec:
    """An Outline before units are applied; `layer` is a LayerTable id or INHERIT."""

    polygon: Polygon | None  # None: the ring its `recipe` makes
    layer: int
    kind: OutlineKind
    block: str | None
    repaired: bool = False
    solid: bool = False
    edges: bool = False  # its polygon's edges are its linework (`model.Outline.edges`)
    # a bulged polyline's vertices, chord counts and arcs (`arcrings`), which make its
    # ring again bit for bit (checked by the reader): the store keeps these, not points
    recipe: Recipe | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class TextRec:
    """A Text before units are applied; `layer` is a LayerTable id or INHERIT."""

    text: str
    x: float
    y: float
    height: float
    layer: int
    kind: TextKind
    block: str | None


class NameTable:
    """Names as drawn (``\\U+`` escapes and all) to small ints, in order of first use;
    `names` are the names decoded, each once, undecodable bytes replaced by U+FFFD
    (`plain_name`): the names reach the report, whose writers reject lone surrogates."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}  # raw name -> id
        self._plain: dict[str, int] = {}  # decoded name -> id

    def name_id(self, raw: str) -> int:
        found = self._ids.get(raw)
        if found is None:
            plain = plain_name(raw)
            found = self._plain.get(plain)
            if found is None:
                found = self._plain[plain] = len(self._plain)
            self._ids[raw] = found
        return found

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._plain)


class LayerTable(NameTable):
    """Layer names to small ints."""

    def id(self, name: str, in_block: bool) -> int:
        """The id of `name`; INHERIT for layer "0" inside a block definition."""
        if in_block and name == "0":
            return INHERIT
        return self.name_id(name)


class BlockTable(NameTable):
    """Block names to small ints."""

    def id(self, name: str) -> int:
        return self.name_id(name)


_NO_FLOATS = np.empty(0)
_NO_INTS = np.empty(0, dtype=np.int32)
ID = np.int32  # layer and block ids of segments: a few thousand names at most

FIRST_ROWS = 256  # the linework of a layout starts with room for this many, then doubles
MOVE_ROWS = 1 << 15  # segments moved or checked at a time (1 MB)
LINE_BATCH = 4096  # LINEs kept as Python floats before they join the linework


class _Linework:
    """Segments with their layer and block ids, appended in order.

    Each of the three is one `_Column`, so that the rows are written once, where
    the packed arrays will be, and never held twice (a list of chunks
    concatenated at the end was: 6 M segments are 200 MB).
    """

    def __init__(self) -> None:
        self.count = 0  # rows held
        self._cols = (Column((2, 2), np.float64), Column((), ID), Column((), ID))

    @property
    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The segments, layer ids and block ids (capacity included)."""
        seg, lay, blk = self._cols
        return seg.data, lay.data, blk.data

    def add(self, segs: np.ndarray, layers: int | np.ndarray, blocks: int | np.ndarray) -> None:
        """Append `segs` (n, 2, 2); `layers` and `blocks` are one id for all or n ids."""
        n = len(segs)
        at = self.count
        if at + n > len(self._cols[1].data):
            self.resize(max(at + n, FIRST_ROWS, 2 * len(self._cols[1].data)))
        seg, lay, blk = self.columns
        seg[at : at + n] = segs
        lay[at : at + n] = layers
        blk[at : at + n] = blocks
        self.count += n

    def resize(self, rows: int) -> None:
        """Capacity for exactly `rows` rows (the count is cut to it)."""
        for col in self._cols:
            col.resize(rows)
        self.count = min(self.count, rows)

    def shrink(self, rows: int) -> None:
        """Hold `rows` rows, giving back what lies beyond where that is free."""
        for col in self._cols:
            col.shrink(rows)
        self.count = min(self.count, rows)

    def take(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows held as three arrays of exactly `count` rows; empties the store."""
        self.resize(self.count)
        self.count = 0
        seg, lay, blk = self._cols
        return seg.take(), lay.take(), blk.take()


def _joined(front: _Linework, back: _Linework) -> _Linework:
    """The rows of `front` followed by those of `back`, in whichever store is the
    larger (grown in place; the other is emptied from its end as its rows move, so
    that nothing is held twice beyond MOVE_ROWS rows)."""
    nf, nb = front.count, back.count
    if not nf or not nb:
        return back if nb else front
    if nf >= nb:  # back's rows go after front's
        front.resize(nf + nb)
        front.count = nf + nb
        for lo, hi in _backwards(nb):
            _move(back, lo, hi, front, nf + lo)
            back.shrink(lo)
        back.resize(0)
        return front
    back.resize(nf + nb)
    back.count = nf + nb
    for lo, hi in _backwards(nb):  # up by nf, from the end: no row is overwritten unmoved
        _move(back, lo, hi, back, nf + lo)
    for lo, hi in _backwards(nf):  # then front's rows before them
        _move(front, lo, hi, back, lo)
        front.shrink(lo)
    front.resize(0)
    return back


def _backwards(n: int) -> list[tuple[int, int]]:
    """[lo, hi) slices of MOVE_ROWS rows covering range(n), the last slice first."""
    return [(max(hi - MOVE_ROWS, 0), hi) for hi in range(n, 0, -MOVE_ROWS)]


def _move(src: _Linework, lo: int, hi: int, dst: _Linework, at: int) -> None:
    """Copy rows [lo, hi) of `src` to row `at` of `dst` (the views die on return, so
    that either store may be resized next)."""
    for to, of in zip(dst.columns, src.columns, strict=True):
        to[at : at + hi - lo] = of[lo:hi]


@dataclass
class Packed:
    """The primitives of a layout (a block definition or modelspace), packed in arrays."""

    segments: np.ndarray  # (n, 2, 2) float64
    segment_layers: np.ndarray  # (n,) ID
    outlines: OutlineStore  # layer ids are LayerTable ids or INHERIT
    texts: list[TextRec]
    proxies: int = 0
    segment_blocks: np.ndarray = field(default_factory=lambda: _NO_INTS)  # (n,) BlockTable ids
    doors: np.ndarray = field(default_factory=lambda: _NO_FLOATS)  # door instances' widths
    reach: float = 0.0  # the largest |coordinate| of anything in it
    dropped: int = 0  # primitives dropped for coordinates out of range (copies included)
    outline_edges: int = 0  # edges its outlines stand for (`OutlineRec.edges`)

    @property
    def lines(self) -> int:
        """The lines a copy of it adds: its segments and the edges its outlines
        stand for (what `limits.segment_budget` counts)."""
        return len(self.segments) + self.outline_edges

    @property
    def is_empty(self) -> bool:
        return not (len(self.segments) or self.outlines or self.texts)


OUTLINE_BATCH = 2048  # outlines kept as records before they are packed


class OutlineBuffer:
    """A layout's outlines as they come, packed into an `OutlineStore` about
    OUTLINE_BATCH at a time: records (a GEOS polygon each only until then) and
    copies of blocks' packed outlines (held as the block's store and its
    placement until then), in the order they came."""

    def __init__(self) -> None:
        self.store = OutlineStore()
        self._pending: list[OutlineRec | tuple[OutlineStore, Affine, int]] = []
        self._count = 0

    def append(self, rec: OutlineRec) -> None:
        self._pending.append(rec)
        self._grew(1)

    def extend(self, recs: Iterable[OutlineRec]) -> None:
        for rec in recs:
            self.append(rec)

    def add_copy(self, outlines: OutlineStore, where: Affine, layer: int) -> None:
        """A block's outlines mapped by `where`, INHERIT replaced by `layer`."""
        self._pending.append((outlines, where, layer))
        self._grew(len(outlines))

    def _grew(self, n: int) -> None:
        self._count += n
        if self._count >= OUTLINE_BATCH:
            self.flushed()

    def __len__(self) -> int:
        return len(self.store) + self._count

    def flushed(self) -> OutlineStore:
        """The store, with everything added so far in it."""
        pending, self._pending, self._count = self._pending, [], 0
        recs = [item for item in pending if isinstance(item, OutlineRec)]
        if len(recs) == len(pending):
            self._add_recs(recs, self.store)
            return self.store
        made = OutlineStore()  # the records in one call, then each run in its place
        self._add_recs(recs, made)
        placed = run = 0  # records of `made` placed, and those since the last copy
        for item in pending:
            if isinstance(item, OutlineRec):
                run += 1
                continue
            if run:
                self.store.extend(made, span=(placed, placed + run))
                placed, run = placed + run, 0
            outlines, where, layer = item
            self.store.extend(outlines, where.points, (INHERIT, layer))
        if run:
            self.store.extend(made, span=(placed, placed + run))
        return self.store

    @staticmethod
    def _add_recs(recs: list[OutlineRec], store: OutlineStore) -> None:
        if recs:
            store.add(
                [r.polygon for r in recs],
                [r.layer for r in recs],
                [outline_code(r.kind, r.repaired, r.solid, r.edges) for r in recs],
                [r.block for r in recs],
                [r.recipe for r in recs],
            )


@dataclass
class Collector:
    """Accumulates primitives of one layout while its entities are walked.

    `block` is the layout's own BlockTable id (MODELSPACE for modelspace): the
    block id of every segment drawn directly in it.  LINEs come first in the
    packed segments, then everything else in the order it was added.
    """

    block: int = MODELSPACE
    line_coords: list[float] = field(default_factory=list)  # x1, y1, x2, y2 ... (a batch)
    line_layers: list[int] = field(default_factory=list)
    lines: _Linework = field(default_factory=_Linework)  # LINEs, batch by batch
    linework: _Linework = field(default_factory=_Linework)  # all other segments
    outlines: OutlineBuffer = field(default_factory=lambda: OutlineBuffer())
    texts: list[TextRec] = field(default_factory=list)
    proxies: int = 0
    doors: list[float] = field(default_factory=list)  # widths of door instances placed here
    door_chunks: list[np.ndarray] = field(default_factory=list)  # ... and inside instances
    copied: int = 0  # segments added by block copies (the budget of `limits.segment_budget`)
    dropped: int = 0  # primitives of copied blocks dropped by their own `pack`

    def add_line(self, x1: float, y1: float, x2: float, y2: float, layer: int) -> None:
        """One LINE: kept as floats, turned into an array a batch at a time (100k+ lines)."""
        self.line_coords.extend((x1, y1, x2, y2))
        self.line_layers.append(layer)
        if len(self.line_layers) >= LINE_BATCH:
            self._flush_lines()

    def _flush_lines(self) -> None:
        if self.line_layers:
            coords = np.asarray(self.line_coords, dtype=float).reshape(-1, 2, 2)
            self.lines.add(coords, np.asarray(self.line_layers, dtype=ID), self.block)
            self.line_coords.clear()
            self.line_layers.clear()

    def add_segments(self, segs: np.ndarray, layer: int) -> None:
        if len(segs):
            self.linework.add(segs, layer, self.block)

    def add_instance(self, packed: Packed, where: Affine, layer: int, door: bool = False) -> None:
        """Copy a block's primitives, mapped by `where`, with INHERIT replaced by `layer`.

        A `door` block's width as placed (the longer side of its extent) is recorded,
        and so are those of the doors inside a block that is not itself a door: door
        widths are evidence for the drawing's unit.
        """
        low, high = np.full(2, np.inf), np.full(2, -np.inf)  # a door's extent
        if len(packed.segments):
            moved = where.points(packed.segments)
            layers = packed.segment_layers
            self.linework.add(
                moved, np.where(layers == INHERIT, layer, layers), packed.segment_blocks
            )
            if door:
                low, high = moved.min(axis=(0, 1)), moved.max(axis=(0, 1))
        self.copied += packed.lines
        if len(packed.doors) and not door:  # a door's own parts (a handle block) are no doors
            self.door_chunks.append(packed.doors * abs(where.det) ** 0.5)
        if packed.outlines and not (door and packed.outline_edges):
            self.outlines.add_copy(packed.outlines, where, layer)
        elif packed.outlines:  # a door's leaf drawn as a closed polyline: its extent now
            store = self.outlines.flushed()
            first = len(store)
            store.extend(packed.outlines, where.points, (INHERIT, layer))
            box = store.bounds(first + np.flatnonzero(packed.outlines.flags(EDGES)))
            low = np.fmin(low, np.nanmin(box[:, :2], axis=0))
            high = np.fmax(high, np.nanmax(box[:, 2:], axis=0))
        if door and np.isfinite(low).all():
            self.doors.append(float((high - low).max()))
        if packed.texts:
            scale = abs(where.det) ** 0.5
            xy = where.points(np.array([(t.x, t.y) for t in packed.texts], dtype=float))
            self.texts.extend(
                replace(
                    t,
                    x=float(x),
                    y=float(y),
                    height=t.height * scale,
                    layer=layer if t.layer == INHERIT else t.layer,
                )
                for t, (x, y) in zip(packed.texts, xy, strict=True)
            )
        self.proxies += packed.proxies
        self.dropped += packed.dropped

    @property
    def segment_count(self) -> int:
        return self.lines.count + len(self.line_layers) + self.linework.count

    def pack(self) -> Packed:
        """Everything in arrays, leaving out what is out of range.

        The LINEs go before the other segments, the gate (`_gate`) checks the
        segments where they lie, and the packed arrays are the collector's own
        (its linework is empty afterwards): the linework is never held twice.
        """
        self._flush_lines()
        store = _joined(self.lines, self.linework)
        total = store.count
        kept, reach = _gate(store)
        store.resize(kept)
        segments, layers, blocks = store.take()
        doors = np.concatenate([np.asarray(self.doors, dtype=float), *self.door_chunks])
        given = self.outlines.flushed()
        outlines, outline_reach = _outlines_in_range(given)
        self.outlines = OutlineBuffer()
        outline_edges = int(outlines.edge_counts(np.flatnonzero(outlines.flags(EDGES))).sum())
        texts, text_reach = _texts_in_range(self.texts)
        dropped = self.dropped + total - kept
        dropped += len(given) - len(outlines) + len(self.texts) - len(texts)
        return Packed(
            segments,
            layers,
            outlines,
            texts,
            self.proxies,
            segment_blocks=blocks,
            doors=doors[np.isfinite(doors)],
            reach=max(reach, outline_reach, text_reach),
            dropped=dropped,
            outline_edges=outline_edges,
        )


def _gate(store: _Linework) -> tuple[int, float]:
    """Keep the segments whose coordinates are numbers within ±MAX_COORDINATE, with
    their ids, moved down over the ones left out, in order.

    Returns the number kept and the largest |coordinate| among them.  A slice
    whose largest and smallest coordinates are in range (NaN compares False) is
    kept whole; only a slice that fails is checked segment by segment, so that no
    temporary grows with the drawing.
    """
    seg, lay, blk = store.columns
    kept, reach = 0, 0.0
    for a in range(0, store.count, MOVE_ROWS):
        b = min(a + MOVE_ROWS, store.count)
        s = seg[a:b]
        hi, lo = float(s.max()), float(s.min())
        if hi <= MAX_COORDINATE and -lo <= MAX_COORDINATE:
            n = b - a
            if kept != a:
                seg[kept : kept + n] = s
                lay[kept : kept + n] = lay[a:b]
                blk[kept : kept + n] = blk[a:b]
            reach = max(reach, hi, -lo)
        else:
            size = np.abs(s).reshape(b - a, 4).max(axis=1)
            keep = size <= MAX_COORDINATE  # False for NaN too
            n = int(np.count_nonzero(keep))
            if not n:
                continue
            seg[kept : kept + n] = s[keep]
            lay[kept : kept + n] = lay[a:b][keep]
            blk[kept : kept + n] = blk[a:b][keep]
            reach = max(reach, float(size[keep].max()))
        kept += n
    return kept, reach


def _outlines_in_range(outlines: OutlineStore) -> tuple[OutlineStore, float]:
    """The outlines whose bounds are numbers within ±MAX_COORDINATE, and their reach."""
    if not outlines:
        return outlines, 0.0
    size = np.abs(outlines.bounds()).max(axis=1)
    keep = size <= MAX_COORDINATE  # False for NaN: an empty outline goes too
    if keep.all():
        outlines.shrink()
        return outlines, float(size.max())
    kept = outlines.take(np.flatnonzero(keep))
    return kept, float(size[keep].max()) if len(kept) else 0.0


def _texts_in_range(texts: list[TextRec]) -> tuple[list[TextRec], float]:
    """The texts whose place and height are numbers within ±MAX_COORDINATE, and the
    largest |coordinate| of their places."""
    kept = [
        t
        for t in texts
        if abs(t.x) <= MAX_COORDINATE
        and abs(t.y) <= MAX_COORDINATE
        and abs(t.height) <= MAX_COORDINATE
    ]
    reach = max((max(abs(t.x), abs(t.y)) for t in kept), default=0.0)
    return kept, reach


# What each issue code means, for the report; {n} is the count, {examples} some names.
ISSUE_TEXT: dict[str, str] = {
    "entity_unreadable": "{n} entities could not be read and were skipped{examples}",
    "outline_repaired": "{n} self-intersecting outlines were repaired (make_valid)",
    "outline_split": "{n} repaired outlines fell into pieces; the biggest piece was kept",
    "outline_closed": "{n} polylines not flagged closed were closed because their ends meet",
    "outline_dropped": "{n} closed outlines with no area were dropped",
    "hatch_repaired": "{n} self-intersecting hatch boundaries were repaired",
    "proxy_skipped": (
        "{n} proxy or custom entities hold no readable geometry{examples}: "
        "for TArch drawings export to T3 (天正 图形导出) first"
    ),
    "block_missing": "{n} INSERTs name a block that is not defined{examples}",
    "xref_skipped": "{n} external references were not loaded{examples}",
    "block_too_deep": "{n} INSERTs nested deeper than the limit were skipped{examples}",
    "insert_degenerate": "{n} INSERTs with a zero scale were skipped",
    "expansion_limit": "{n} INSERTs were skipped: the expanded drawing grew too large",
    "coordinate_out_of_range": (
        "{n} entities or parts of entities were skipped: their coordinates are not "
        f"numbers or lie beyond ±{MAX_COORDINATE:.0e} drawing units"
        "{examples}"
    ),
    "coordinates_imprecise": "{examples}",
    "file_truncated": "the file is cut off before its end; what could be read was kept",
    "recovered": "the file has structural errors and was read in repair mode{examples}",
    "encoding_corrected": "{examples}",
    "units_inferred": "{examples}",
}


class Issues:
    """Counts of what the reader dropped, repaired or assumed, with a few examples."""

    MAX_EXAMPLES = 5

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._examples: dict[str, list[str]] = {}

    def add(self, code: str, n: int = 1, example: str = "") -> None:
        self._counts[code] += n
        if example:
            example = clean(example)  # names of damaged blocks and types reach the report
            shown = self._examples.setdefault(code, [])
            if example not in shown and len(shown) < self.MAX_EXAMPLES:
                shown.append(example)

    def extend(self, other: Issues) -> None:
        """Add another collector's counts and examples to this one."""
        for code, n in other._counts.items():
            self._counts[code] += n
            for example in other._examples.get(code, []):
                self.add(code, 0, example)

    def to_tuple(self) -> tuple[ReadIssue, ...]:
        """ReadIssues in order of first occurrence."""
        return tuple(self._issue(code, n) for code, n in self._counts.items() if n)

    def _issue(self, code: str, n: int) -> ReadIssue:
        examples = self._examples.get(code, [])
        template = ISSUE_TEXT.get(code, "{n} × " + code + "{examples}")
        if template == "{examples}":  # the example is the whole sentence
            shown = "; ".join(examples)
        else:
            shown = f" ({', '.join(examples)})" if examples else ""
        return ReadIssue(code=code, count=n, detail=template.format(n=n, examples=shown))
