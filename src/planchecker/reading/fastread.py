"""The fast reader: DXF tags straight to the primitives the Expander builds from ezdxf.

``ezdxf.readfile`` turns every tag and entity of a drawing into Python objects
before the Expander looks at any of them; on a 40 MB drawing of 200,000
entities that costs about 10 s and 350 MB, more than the rest of a review.  This
reader scans the file once (`planchecker.reading.dxfscan`), keeps only what the
Expander uses and builds exactly the same `Packed` primitives, issues, layer and
block tables, so that everything after reading cannot tell the two paths apart.

How it stays exact:

- The bulk entity types (LINE, LWPOLYLINE, TEXT, CIRCLE, ARC, INSERT) are read
  from their tags when their tag layout is one this reader understands as ezdxf
  does (a "plan" per layout of group codes, `fastsource._Planner`: no app data, no
  embedded object, XDATA only at the end, for LWPOLYLINE exactly the three
  subclasses ezdxf reads), with ezdxf's own attribute tables, defaults and value
  conversions.  They go through the Expander's own code, `Expander._entity` and the
  handlers of `entities`, as stand-ins for ezdxf entities (an INSERT's transform is
  ezdxf's own ``Insert.matrix44`` run on its stand-in), so that range checks,
  limits and issues are the handlers'.  Only plain LWPOLYLINEs (in range, the
  usual extrusion) are flattened here, in batches (`fastpoly`: the arithmetic of
  ``geometry.bulge_polyline``, ``edges`` and ``ring_polygon``, scalar steps with the
  same ``math`` calls, array steps with the same numpy operations, so that the
  floats are the same to the last bit); the others go to ``add_lwpolyline``.
- Every other entity, and every bulk entity whose tags look unusual, is loaded
  by ezdxf itself (``factory.load`` on its compiled tags) and handed to the
  Expander as it is: MTEXT, HATCH, POLYLINE with its VERTEXes, ELLIPSE, SPLINE,
  ATTRIBs, proxies and custom objects.
- The document around the entities (header, tables, block definitions without
  their content, objects) is loaded by ezdxf as a small "stub" document, so that
  block lookup, base points, xref flags, layouts, the units and the DXF version
  are ezdxf's, and so that a file ezdxf would refuse is refused here too.
- Whatever could make the ezdxf path read the file differently (a tag that does
  not parse, a structure error, an invalid or clashing handle, entities linked out
  of order, a block defined twice, modelspace content in the BLOCKS section, an
  MTEXT with columns or a text frame, ...) raises `Unsupported`, and so does any
  other failure here; `reader._read` then reads the file with ezdxf.  A DrawingError
  (a block inserting itself, a limit) stands once the rest of the file has been
  checked: the ezdxf path would raise the same.

Modelspace is streamed: its entities are expanded while the file is read, in
windows of `WINDOW` entities, never all held at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from planchecker.errors import DrawingError
from planchecker.reading.blocks import Expander
from planchecker.reading.dxfscan import Unsupported
from planchecker.reading.entities import Scope, Tolerances
from planchecker.reading.fastpoly import Batch, Stand
from planchecker.reading.fastsource import I_ENTITY, I_LINE, I_POLY, FastSource
from planchecker.reading.limits import LimitExceeded
from planchecker.reading.primitives import Collector, Issues, Packed
from planchecker.reading.sniff import Sniffed

# Entities expanded together: polylines of a window are flattened in one batch.
# 1,024 reads as fast as 4,096 and leaves less working memory behind (a review's
# peak 3 MiB lower on a 20 MB drawing, 7 MiB with dxfscan's smaller CHUNK).
WINDOW = 1024

ENV = "PLANCHECKER_READER"  # "ezdxf": never the fast path; "fast": no fallback (tests)


# ------------------------------------------------------------------ entry points


def wanted(sniffed: Sniffed) -> bool:
    """True when the fast path should be tried for this file."""
    return os.environ.get(ENV, "") != "ezdxf" and sniffed.fmt == "ascii" and not sniffed.truncated


def strict() -> bool:
    """True when a failure of the fast path must not fall back to ezdxf (tests)."""
    return os.environ.get(ENV, "") == "fast"


def load(sniffed: Sniffed, issues: Issues) -> Any:
    """Open the file for the fast path: a `loading.Loaded` whose doc is a `FastDocument`.

    Mirrors `loading.load` for a file that ezdxf reads without recover mode:
    the same codec decision (and ``encoding_corrected`` issue), the same checks
    ezdxf makes before reading.
    """
    from ezdxf.filemanagement import dxf_file_info
    from ezdxf.lldxf.validator import is_dxf_file

    from planchecker.reading.loading import Loaded, _codec, _codec_override

    path = sniffed.path
    try:
        if not is_dxf_file(path):
            raise Unsupported("ezdxf does not take it for a DXF file")
        info = dxf_file_info(path)
    except Exception as exc:  # readfile fails the same way
        raise Unsupported(f"ezdxf cannot read the file's header: {exc}") from None
    override, note = _codec_override(sniffed)
    codec = override or info.encoding
    doc = FastDocument(path, codec, override)
    if note:
        issues.add("encoding_corrected", example=note)
    return Loaded(doc, _codec(doc, override), False)


class FastDocument:
    """What the reader needs of a document, read by the fast path.

    The first modelspace expansion streams the file opened here; a second one
    (the units turned out to differ from the ones assumed) reads it again.
    """

    def __init__(self, path: str, codec: str, override: str | None) -> None:
        self.path = path
        self.codec = codec
        self._source: FastSource | None = FastSource(path, codec)
        self._stub = self._source.partial
        self._override = override

    @property
    def header(self) -> Any:
        return self._stub.header

    @property
    def dxfversion(self) -> str:
        return str(self._stub.dxfversion)

    @property
    def encoding(self) -> str:
        """The document's encoding as ezdxf.readfile leaves it (an override if supported)."""
        from ezdxf.tools.codepage import is_supported_encoding

        if self._override is not None and is_supported_encoding(self._override):
            return self._override
        return str(self._stub.encoding)

    def expand(self, path: str, scale: float) -> tuple[Expander, Packed]:
        """Modelspace primitives with tolerances for a unit of `scale` metres."""
        source = self._source or FastSource(self.path, self.codec)
        self._source = None
        expander = FastExpander(
            source.partial, path, Issues(), Tolerances.for_scale(scale), source=source
        )
        try:
            packed = expander.modelspace()
        except (DrawingError, LimitExceeded):
            # a block inserting itself, a drawing beyond a limit: the ezdxf path
            # says the same once ezdxf has read the whole file, so read the rest
            source.finish(drain=True)
            raise
        source.finish()
        return expander, packed


# ------------------------------------------------------------------ the expander


@dataclass
class FastExpander(Expander):
    """The Expander over the fast reader's items instead of ezdxf entities.

    Everything but the flattening of plain LWPOLYLINEs goes through the inherited
    code: `modelspace` (and its checks), block lookup, the block cache, nesting and
    copy limits, INSERT placement, and `_entity` with its handlers and its handling
    of what they raise, for ezdxf entities and stand-ins alike.
    """

    source: Any = None

    def _layout(self, entities: Any, block: str | None) -> Packed:
        """Modelspace (streamed from the file) or a block definition; `entities` is the
        stub document's layout, which holds no entities."""
        if block is None:
            return self._items(self.source.modelspace_items(), None)
        return self._items(iter(self.source.block_items(entities.name)), block)

    def _items(self, items: Iterator[tuple], block: str | None) -> Packed:
        scope = Scope(block, self.issues, self.tol)
        out = Collector() if block is None else Collector(self.blocks.id(block))
        window: list[tuple] = []
        for item in items:
            window.append(item)
            if len(window) >= WINDOW:
                self._window(window, out, scope)
                window = []
        if window:
            self._window(window, out, scope)
        return out.pack()

    def _window(self, items: list[tuple], out: Collector, scope: Scope) -> None:
        """Expand `items` in order, as `Expander._entity` would one by one.

        The segments of batched LWPOLYLINEs that follow each other on one layer are
        added as one chunk: the packed arrays are the same, with far fewer pieces.
        """
        batch = Batch(self.tol, items, I_POLY)
        done, segments = batch.done, batch.segments
        in_block = scope.block is not None
        line = _LineStand()
        run = [0, 0, 0]  # pending polyline segments: start, end, layer

        def flush() -> None:
            if run[1] > run[0]:
                out.add_segments(segments[run[0] : run[1]], run[2])
            run[0] = run[1] = 0

        for k, item in enumerate(items):
            kind = item[0]
            if kind == I_LINE:  # LINEs add no chunk: no flush
                line.layer, line.start, line.end = item[1], _XY(*item[2:4]), _XY(*item[4:6])
                self._entity(line, out, scope)
                continue
            d = done.get(k) if kind == I_POLY else None
            if d is None:
                entity = item[1] if kind == I_ENTITY else _LWPolyline(item)
                if entity.dxftype() not in _TEXTS:  # texts add no linework: no flush
                    flush()
                self._entity(entity, out, scope)
                continue
            try:  # Expander._entity's generic part: the layer, then the handler's work
                layer = self.layers.id(item[1], in_block)
            except DrawingError:
                raise
            except Exception as exc:
                self.issues.add("entity_unreadable", example=f"LWPOLYLINE: {type(exc).__name__}")
                continue
            if d.start < 0:  # fewer than two vertices
                continue
            if d.closed_by_ends:
                self.issues.add("outline_closed")
            if d.end > d.start and not d.own_edges:
                if run[1] != d.start or run[2] != layer:
                    flush()
                    run[0], run[2] = d.start, layer
                run[1] = d.end
            d.issues_and_outline(layer, out, scope)
        flush()


_TEXTS = frozenset({"TEXT", "MTEXT"})  # their handlers add texts only


class _XY(NamedTuple):
    """A LINE's end as `entities.add_line` reads it (x, y of a Vec3)."""

    x: float
    y: float


class _LineStand:
    """Stands in for an ezdxf Line in `Expander._entity` and `entities.add_line`."""

    __slots__ = ("end", "layer", "start")

    def __init__(self) -> None:
        self.layer = "0"
        self.start = self.end = _XY(0.0, 0.0)

    @property
    def dxf(self) -> _LineStand:
        return self

    def dxftype(self) -> str:
        return "LINE"


class _LWPolyline:
    """Stands in for an ezdxf LWPolyline in `Expander._entity` and
    `entities.add_lwpolyline` (the polylines a batch leaves out: an extrusion, a
    coordinate or bulge out of range, too many vertices)."""

    def __init__(self, item: tuple) -> None:
        _, layer, self._xyb, self.closed, extrusion = item
        self.dxf = Stand(extrusion, layer)

    def dxftype(self) -> str:
        return "LWPOLYLINE"

    def get_points(self, fmt: str) -> list[tuple[float, float, float]]:
        assert fmt == "xyb"
        v = self._xyb
        return [(v[i], v[i + 1], v[i + 2]) for i in range(0, len(v), 3)]
