"""The data that flows through the pipeline: read -> extract -> judge -> present.

Every stage hands the next one frozen dataclasses from this module, so a stage can
be tested alone by building its input by hand.  Geometry stays as shapely objects
(in metres) until the presenters turn it into coordinate lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .outlines import EDGES, Outlines

if TYPE_CHECKING:
    from .outlines import OutlineStore
    from .standards import Standard

# --------------------------------------------------------------------------- read

OutlineKind = Literal["outline", "hatch"]
TextKind = Literal["TEXT", "MTEXT", "ATTRIB"]


class Outline:
    """A closed boundary as drawn: a closed (LW)POLYLINE or one HATCH boundary.

    `polygon` is already valid (repaired with make_valid where needed); a hatch with
    islands gives one polygon with holes.  An outline of a drawing's `Outlines`
    makes its polygon from the packed coordinates when first asked for
    (`planchecker.outlines`), so that one looked at only for its layer costs no
    GEOS object.  Read-only by convention, compared by value.
    """

    __slots__ = ("_polygon", "_source", "block", "edges", "kind", "layer", "repaired", "solid")

    def __init__(
        self,
        polygon: Polygon,
        layer: str,
        kind: OutlineKind,
        block: str | None = None,  # innermost block name when it came from an INSERT
        repaired: bool = False,  # the drawn outline was self-intersecting or unclosed
        solid: bool = False,  # a SOLID-pattern hatch (columns, filled walls)
        # Its polygon's edges are linework too (a closed polyline: walls, a column, a
        # table), held only here and not repeated in `Drawing.segments`.
        edges: bool = False,
    ) -> None:
        self._polygon: Polygon | None = polygon
        self._source: tuple[OutlineStore, int] | None = None
        self.layer, self.kind, self.block = layer, kind, block
        self.repaired, self.solid, self.edges = repaired, solid, edges

    @classmethod
    def lazy(
        cls,
        store: OutlineStore,
        index: int,
        layer: str,
        kind: OutlineKind,
        block: str | None,
        repaired: bool,
        solid: bool,
        edges: bool,
    ) -> Outline:
        """Outline `index` of `store`, its polygon made when first asked for."""
        out = cls.__new__(cls)
        out._polygon, out._source = None, (store, index)
        out.layer, out.kind, out.block = layer, kind, block
        out.repaired, out.solid, out.edges = repaired, solid, edges
        return out

    @property
    def polygon(self) -> Polygon:
        if self._polygon is None:
            assert self._source is not None
            store, index = self._source
            self._polygon = store.polygon(index)
        return self._polygon

    def _fields(self) -> tuple:
        return (
            self.polygon,
            self.layer,
            self.kind,
            self.block,
            self.repaired,
            self.solid,
            self.edges,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Outline):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Outline({self.polygon!r}, layer={self.layer!r}, kind={self.kind!r}, "
            f"block={self.block!r}, repaired={self.repaired}, solid={self.solid}, "
            f"edges={self.edges})"
        )

    def __reduce__(self):
        return (Outline, self._fields())


@dataclass(frozen=True, slots=True)
class Text:
    """One piece of text, decoded and stripped of formatting codes.

    `x`, `y` is the anchor a person reads the text at: the alignment point for
    aligned TEXT, the insertion point otherwise, in metres.
    MTEXT paragraphs (``\\P``) are kept as ``\\n``.
    """

    text: str
    x: float
    y: float
    height: float
    layer: str
    kind: TextKind
    block: str | None = None


@dataclass(frozen=True)
class Units:
    """How drawing units were turned into metres, and on what evidence."""

    metres_per_unit: float
    source: Literal["header", "inferred", "option"]
    insunits: int = 0  # the header's $INSUNITS value as found
    note: str = ""  # what was assumed, in English, when source is "inferred"


@dataclass(frozen=True)
class ReadIssue:
    """Something the reader had to drop, repair or assume; counted in the report."""

    code: str  # e.g. "entity_unreadable", "outline_repaired", "proxy_skipped"
    count: int
    detail: str


@dataclass(frozen=True, eq=False)
class Drawing:
    """Everything the later stages need from one DXF file, in metres.

    `segments` holds every piece of open linework (LINE, open polylines, arcs
    flattened) as an (N, 2, 2) float array; `segment_layers` indexes into
    `layers` for each segment.  The edges of a closed outline are linework too
    (wall polygonisation must see them): those of an outline marked `edges` are
    not repeated in `segments` but made from its polygon by `outline_lines` when
    asked for (in a drawing of furniture they are nearly all the linework).
    """

    path: str
    outlines: Outlines  # a tuple of Outline given by hand becomes one
    texts: tuple[Text, ...]
    segments: np.ndarray
    segment_layers: np.ndarray
    layers: tuple[str, ...]
    units: Units
    encoding: str
    dxf_version: str = ""
    issues: tuple[ReadIssue, ...] = ()
    proxy_count: int = 0
    # For each segment, the innermost block it was drawn in: an index into `blocks`,
    # or -1 for modelspace.  Lets extraction tell a door's leaf and swing (a door
    # block, whatever its layer) from a wall.  None when the reader did not record it.
    segment_blocks: np.ndarray | None = None
    blocks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.outlines, Outlines):
            object.__setattr__(self, "outlines", Outlines.of(tuple(self.outlines)))

    def segment_layer_names(self) -> list[str]:
        return [self.layers[i] for i in self.segment_layers]

    @property
    def line_count(self) -> int:
        """Segments and the edges the outlines stand for: all the linework."""
        store = self.outlines.store
        stand = np.flatnonzero(store.flags(EDGES))
        return len(self.segments) + int(store.edge_counts(stand).sum())

    def outline_layer_ids(self, indices: Sequence[int] | np.ndarray) -> np.ndarray:
        """The `layers` index of each of the outlines `indices` (-1: not a layer of
        the table, which the reader never makes)."""
        table = {name: i for i, name in enumerate(self.layers)}
        own = np.array([table.get(n, -1) for n in self.outlines.layer_names], dtype=np.intp)
        ids = self.outlines.store.layers[np.asarray(indices, dtype=np.intp)]
        return own[ids] if len(own) else np.zeros(len(ids), dtype=np.intp)

    def outline_lines(
        self, indices: Sequence[int] | np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The edges of those of the outlines `indices` that stand for their
        linework (`Outline.edges`), in the order given: (n, 2, 2) segments, their
        layer ids (into `layers`) and the outline each comes from (into `outlines`).
        """
        store = self.outlines.store
        indices = np.asarray(indices, dtype=np.intp)
        chosen = indices[store.flags(EDGES)[indices]] if len(indices) else indices
        if not len(chosen):
            return np.zeros((0, 2, 2)), np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        segments, which = store.exterior_edges(chosen)
        return segments, self.outline_layer_ids(chosen)[which], chosen[which]


def exterior_edges(polygons: Sequence[Polygon]) -> tuple[np.ndarray, np.ndarray]:
    """The edges of the polygons' exteriors as (n, 2, 2) segments, in order, and the
    index of the polygon each belongs to: what `reading.geometry.edges` gives for a
    ring as drawn, the reader having left out the zero-length ones already."""
    if not len(polygons):
        return np.zeros((0, 2, 2)), np.zeros(0, dtype=np.intp)
    coords, ring_of = shapely.get_coordinates(
        shapely.get_exterior_ring(polygons), return_index=True
    )
    same = ring_of[1:] == ring_of[:-1]  # consecutive points of one ring: an edge
    return np.stack((coords[:-1][same], coords[1:][same]), axis=1), ring_of[:-1][same]


# ------------------------------------------------------------------------ extract

RoomSource = Literal["outline", "hatch", "walls"]
LevelSource = Literal["title", "layer", "file", "assumed"]


@dataclass(frozen=True)
class Notice:
    """A warning raised while reading or extracting, judged by a warning rule.

    `code` is the rule id it feeds (``plan.floor_assumed`` ...); messages in
    both report languages so that presenters stay free of wording logic.
    """

    code: str
    en: str
    zh: str
    rooms: tuple[str, ...] = ()
    file: str = ""


@dataclass(frozen=True)
class Room:
    """A room with its measured polygon and the functions its label names."""

    id: str  # "F1-R03"
    level: int
    polygon: Polygon
    label: str  # the label as drawn (lines joined with "/"), "" when unlabelled
    functions: tuple[str, ...]
    source: RoomSource
    declared_area: float | None = None
    file: str = ""
    layer: str = ""
    centreline: bool = False  # bounded by single wall centre lines
    label_outside: bool = False  # named by a text just outside its outline
    label_conflict: bool = False  # separate texts in it name different functions

    @property
    def area(self) -> float:
        return float(self.polygon.area)


@dataclass(frozen=True)
class Floor:
    """One storey: its level, name, and the outline its gross area is measured on."""

    level: int
    name: str
    outline: BaseGeometry
    level_source: LevelSource
    file: str = ""
    declared_gross_area: float | None = None
    outline_source: Literal["outer_wall", "rooms_and_walls"] = "rooms_and_walls"
    frame: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the plan view's box

    @property
    def gross_area(self) -> float:
        return float(self.outline.area)


@dataclass(frozen=True)
class Label:
    """A text that names a room function but could not be placed in a room."""

    text: str
    x: float
    y: float
    level: int
    functions: tuple[str, ...]
    file: str = ""
    declared_area: float | None = None


@dataclass(frozen=True, eq=False)
class Plan:
    """The building as the checker understood it from the drawing(s)."""

    files: tuple[str, ...]
    floors: tuple[Floor, ...]
    rooms: tuple[Room, ...]
    orphan_labels: tuple[Label, ...]
    units: Units
    encoding: str
    notices: tuple[Notice, ...] = ()
    declared_total_area: float | None = None
    read_issues: tuple[ReadIssue, ...] = ()
    # per level, the drawing's linework for overlays: (N, 2, 2) arrays in metres
    linework: dict[int, np.ndarray] = field(default_factory=dict)

    def rooms_with(self, function: str) -> list[Room]:
        return [r for r in self.rooms if function in r.functions]

    @property
    def gross_area(self) -> float:
        return sum(f.gross_area for f in self.floors)


# -------------------------------------------------------------------------- judge

Status = Literal["pass", "fail", "warn", "manual", "skip"]


@dataclass(frozen=True)
class Finding:
    """The outcome of one rule: what was measured against what was required."""

    rule: str
    status: Status
    message_en: str
    message_zh: str
    measured: float | None = None
    required: float | None = None
    unit: str | None = None
    rooms: tuple[str, ...] = ()

    def message(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else self.message_en


@dataclass(frozen=True, eq=False)
class Review:
    """A centre's plan judged against a standard: what every presenter reads."""

    name: str
    plan: Plan
    standard: Standard
    build_type: str
    findings: tuple[Finding, ...]

    @property
    def verdict(self) -> Literal["pass", "fail"]:
        return "fail" if any(f.status == "fail" for f in self.findings) else "pass"

    def finding(self, rule: str) -> Finding | None:
        return next((f for f in self.findings if f.rule == rule), None)
