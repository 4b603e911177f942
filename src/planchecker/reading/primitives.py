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
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
from shapely.geometry import Polygon

from planchecker.model import OutlineKind, ReadIssue, TextKind
from planchecker.reading.encoding import clean
from planchecker.reading.geometry import Affine
from planchecker.reading.limits import MAX_COORDINATE
from planchecker.reading.text import plain_name

INHERIT = -1
MODELSPACE = -1  # block id of segments drawn directly in modelspace


@dataclass(frozen=True)
class OutlineRec:
    """An Outline before units are applied; `layer` is a LayerTable id or INHERIT."""

    polygon: Polygon
    layer: int
    kind: OutlineKind
    block: str | None
    repaired: bool = False
    solid: bool = False


@dataclass(frozen=True)
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
_NO_INTS = np.empty(0, dtype=np.int64)


@dataclass
class Packed:
    """The primitives of a layout (a block definition or modelspace), packed in arrays."""

    segments: np.ndarray  # (n, 2, 2)
    segment_layers: np.ndarray  # (n,) int
    outlines: list[OutlineRec]
    texts: list[TextRec]
    proxies: int = 0
    segment_blocks: np.ndarray = field(default_factory=lambda: _NO_INTS)  # (n,) BlockTable ids
    doors: np.ndarray = field(default_factory=lambda: _NO_FLOATS)  # door instances' widths
    reach: float = 0.0  # the largest |coordinate| of anything in it
    dropped: int = 0  # primitives dropped for coordinates out of range (copies included)

    @property
    def is_empty(self) -> bool:
        return not (len(self.segments) or self.outlines or self.texts)


@dataclass
class Collector:
    """Accumulates primitives of one layout while its entities are walked.

    `block` is the layout's own BlockTable id (MODELSPACE for modelspace): the
    block id of every segment drawn directly in it.
    """

    block: int = MODELSPACE
    line_coords: list[float] = field(default_factory=list)  # x1, y1, x2, y2 ...
    line_layers: list[int] = field(default_factory=list)
    seg_chunks: list[np.ndarray] = field(default_factory=list)
    seg_layer_chunks: list[np.ndarray] = field(default_factory=list)
    outlines: list[OutlineRec] = field(default_factory=list)
    texts: list[TextRec] = field(default_factory=list)
    proxies: int = 0
    chunked: int = 0  # segments held in seg_chunks
    # (start in seg_chunks' segments, block ids) of each copied instance
    instance_blocks: list[tuple[int, np.ndarray]] = field(default_factory=list)
    doors: list[float] = field(default_factory=list)  # widths of door instances placed here
    door_chunks: list[np.ndarray] = field(default_factory=list)  # ... and inside instances
    copied: int = 0  # segments added by block copies (the budget of `limits.segment_budget`)
    dropped: int = 0  # primitives of copied blocks dropped by their own `pack`

    def add_line(self, x1: float, y1: float, x2: float, y2: float, layer: int) -> None:
        """One LINE: kept as floats, turned into an array once at the end (100k+ lines)."""
        self.line_coords.extend((x1, y1, x2, y2))
        self.line_layers.append(layer)

    def add_segments(self, segs: np.ndarray, layer: int) -> None:
        if len(segs):
            self.seg_chunks.append(segs)
            self.seg_layer_chunks.append(np.full(len(segs), layer, dtype=np.int64))
            self.chunked += len(segs)

    def add_instance(self, packed: Packed, where: Affine, layer: int, door: bool = False) -> None:
        """Copy a block's primitives, mapped by `where`, with INHERIT replaced by `layer`.

        A `door` block's width as placed (the longer side of its extent) is recorded,
        and so are those of the doors inside a block that is not itself a door: door
        widths are evidence for the drawing's unit.
        """
        if len(packed.segments):
            moved = where.points(packed.segments)
            self.seg_chunks.append(moved)
            layers = packed.segment_layers
            self.seg_layer_chunks.append(np.where(layers == INHERIT, layer, layers))
            self.instance_blocks.append((self.chunked, packed.segment_blocks))
            self.chunked += len(packed.segments)
            self.copied += len(packed.segments)
            if door:
                span = moved.max(axis=(0, 1)) - moved.min(axis=(0, 1))
                self.doors.append(float(span.max()))
        if len(packed.doors) and not door:  # a door's own parts (a handle block) are no doors
            self.door_chunks.append(packed.doors * abs(where.det) ** 0.5)
        if packed.outlines:
            polys = np.array([o.polygon for o in packed.outlines], dtype=object)
            moved = where.geometries(polys)
            self.outlines.extend(
                replace(o, polygon=p, layer=layer if o.layer == INHERIT else o.layer)
                for o, p in zip(packed.outlines, moved, strict=True)
            )
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
        return len(self.line_layers) + self.chunked

    def pack(self) -> Packed:
        """Concatenate everything into arrays, leaving out what is out of range."""
        chunks = list(self.seg_chunks)
        layer_chunks = list(self.seg_layer_chunks)
        if self.line_layers:
            chunks.insert(0, np.asarray(self.line_coords, dtype=float).reshape(-1, 2, 2))
            layer_chunks.insert(0, np.asarray(self.line_layers, dtype=np.int64))
        segments = np.concatenate(chunks) if chunks else np.empty((0, 2, 2))
        layers = np.concatenate(layer_chunks) if layer_chunks else np.empty(0, dtype=np.int64)
        first = len(self.line_layers)  # copied instances start after the LINEs
        blocks = np.full(len(segments), self.block, dtype=np.int64)
        for start, ids in self.instance_blocks:
            blocks[first + start : first + start + len(ids)] = ids
        doors = np.concatenate([np.asarray(self.doors, dtype=float), *self.door_chunks])
        dropped = self.dropped
        reach = 0.0
        if len(segments):
            size = np.abs(segments).max(axis=(1, 2))
            keep = size <= MAX_COORDINATE  # False for NaN too
            if not keep.all():
                dropped += int(np.count_nonzero(~keep))
                segments, layers, blocks = segments[keep], layers[keep], blocks[keep]
                size = size[keep]
            reach = float(size.max()) if len(size) else 0.0
        outlines, outline_reach = _outlines_in_range(self.outlines)
        texts, text_reach = _texts_in_range(self.texts)
        dropped += len(self.outlines) - len(outlines) + len(self.texts) - len(texts)
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
        )


def _outlines_in_range(outlines: list[OutlineRec]) -> tuple[list[OutlineRec], float]:
    """The outlines whose bounds are numbers within ±MAX_COORDINATE, and their reach."""
    if not outlines:
        return [], 0.0
    bounds = np.abs(shapely.bounds(np.array([o.polygon for o in outlines], dtype=object)))
    size = bounds.max(axis=1)
    keep = size <= MAX_COORDINATE
    if keep.all():
        return list(outlines), float(size.max())
    kept = [o for o, k in zip(outlines, keep, strict=True) if k]
    return kept, float(size[keep].max()) if kept else 0.0


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
