"""Walk modelspace and expand INSERTs recursively, with their full transforms.

``INSERT.virtual_entities()`` goes one level deep and decomposes DIMENSIONs
(which raises on odd files), so we expand blocks ourselves: each block
definition is read once into `Packed` primitives, and every INSERT (every cell
of a MINSERT array) copies them with its ``matrix44()`` (base point, scale,
rotation, mirroring, OCS).  Nesting is bounded, and a block that contains itself
is an error in the file, reported as such.  Every segment keeps the name of the
innermost block it was drawn in (a door leaf in ``$DorLib2D$...`` inside a pasted
block is the door's), and every placed door block its width.

Copying is bounded (`limits`): a MINSERT array beyond MAX_ARRAY_COPIES cells, or one
whose copies alone would pass the segment or shape budget, is refused before any
copy is made; other INSERTs stop being copied once the budget is spent (and that
is reported); a copy whose transform would carry coordinates beyond
MAX_COORDINATE is skipped and reported.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planchecker.errors import DrawingError
from planchecker.reading import limits
from planchecker.reading.encoding import clean
from planchecker.reading.entities import (
    HANDLERS,
    OUT_OF_RANGE,
    SKIPPED,
    Scope,
    Tolerances,
    attrib_text,
    in_range,
    ocs_affine,
)
from planchecker.reading.geometry import Affine
from planchecker.reading.limits import LimitExceeded, OutOfRange
from planchecker.reading.primitives import BlockTable, Collector, Issues, LayerTable, Packed
from planchecker.reading.text import plain_name

_PROXY_TYPES = frozenset({"ACAD_PROXY_ENTITY"})


@dataclass
class Expander:
    """Reads modelspace into primitives, expanding block references on the way."""

    doc: Any
    path: str
    issues: Issues
    tol: Tolerances
    layers: LayerTable = field(default_factory=LayerTable)
    blocks: BlockTable = field(default_factory=BlockTable)
    _cache: dict[str, Packed] = field(default_factory=dict)
    _stack: list[str] = field(default_factory=list)
    _cut: set[str] = field(default_factory=set)  # blocks cut short by MAX_DEPTH
    _doors: dict[str, bool] = field(default_factory=dict)  # block name -> a door block?
    budget: int = -1  # segments block copies may add to one layout (limits.segment_budget)

    def __post_init__(self) -> None:
        if self.budget < 0:
            try:
                size = os.path.getsize(self.path)
            except OSError:
                size = 0
            self.budget = limits.segment_budget(size)

    def modelspace(self) -> Packed:
        """All primitives of modelspace in WCS, blocks expanded."""
        msp = self.doc.modelspace()
        count = len(msp)
        if count > limits.MAX_ENTITIES:  # a file the byte count in `sniff` missed
            raise DrawingError(
                self.path,
                f"the drawing holds {count:,} entities, more than the limit of "
                f"{limits.MAX_ENTITIES:,}",
                "split the drawing (one file per floor) and export the DXF again",
            )
        with np.errstate(all="ignore"):  # damaged values are dropped, not announced
            return self._layout(msp, None)

    def _layout(self, entities: Any, block: str | None) -> Packed:
        """Primitives of one layout (modelspace or a block definition)."""
        scope = Scope(block, self.issues, self.tol)
        out = Collector() if block is None else Collector(self.blocks.id(block))
        for entity in entities:
            self._entity(entity, out, scope)
        return out.pack()

    def _entity(self, e: Any, out: Collector, scope: Scope) -> None:
        """Dispatch one entity; any failure skips and counts it, never propagates."""
        try:
            kind = e.dxftype()
            if kind in SKIPPED:
                return
            handler = HANDLERS.get(kind)
            if handler is None and kind != "INSERT":
                if _is_custom(e, kind):
                    out.proxies += 1
                    self.issues.add("proxy_skipped", example=kind)
                return
            layer = self.layers.id(str(e.dxf.layer), scope.block is not None)
            if kind == "INSERT":
                self._insert(e, layer, out, scope)
            else:
                assert handler is not None
                handler(e, layer, out, scope)
        except DrawingError:
            raise
        except LimitExceeded as exc:
            raise DrawingError(self.path, exc.problem, exc.advice) from None
        except OutOfRange:  # checked in the handlers; this catches the rest (an INSERT)
            self.issues.add(OUT_OF_RANGE, example=_kind(e))
        except Exception as exc:  # one bad entity must not end the review
            self.issues.add("entity_unreadable", example=_describe(e, exc))

    def _insert(self, e: Any, layer: int, out: Collector, scope: Scope) -> None:
        """An INSERT / MINSERT: the block's primitives at each place, then its ATTRIBs."""
        name = str(e.dxf.name)
        packed = self._block(name)
        if packed is not None and not packed.is_empty:
            array = Array.of(e)
            if array is None:
                self.issues.add(OUT_OF_RANGE, example=f"INSERT {plain_name(name)}")
            else:
                self._check_array(array, packed, name, out)
                door = self._is_door(name)
                for where in array.cells(e):
                    if not self._place(packed, where, layer, out, name, door):
                        break
        for a in e.attribs:
            try:
                a_name = str(a.dxf.layer)
                # an ATTRIB on layer "0" goes with its INSERT, like block content does
                a_layer = layer if a_name == "0" else self.layers.id(a_name, False)
                rec = attrib_text(a, a_layer, scope.block)
            except OutOfRange:
                self.issues.add(OUT_OF_RANGE, example="ATTRIB")
                continue
            except Exception as exc:
                self.issues.add("entity_unreadable", example=_describe(a, exc))
                continue
            if rec is not None:
                out.texts.append(rec)

    def _is_door(self, name: str) -> bool:
        """`_is_door` of a block name, decided once per name: a drawing places the
        same few blocks thousands of times, and the test decodes and matches."""
        found = self._doors.get(name)
        if found is None:
            found = self._doors[name] = _is_door(plain_name(name))
        return found

    def _check_array(self, array: Array, packed: Packed, name: str, out: Collector) -> None:
        """Refuse a MINSERT whose copies alone go beyond a limit, before copying any.

        A plain INSERT that does not fit is skipped and reported (`_place`); an array
        that does not fit is the file's intent gone wrong (a 1000 x 1000 grid of a
        block), and copying it up to the limit would only waste the time limit.
        """
        cells = array.rows * array.cols
        if cells <= 1:
            return
        shown = (
            f"{cells:,} copies of block '{clean(plain_name(name))}' ({array.rows:,} x "
            f"{array.cols:,})"
        )
        advice = "make the array smaller or explode it in CAD and export the DXF again"
        if cells > limits.MAX_ARRAY_COPIES:
            raise DrawingError(
                self.path,
                f"an array of {shown} is more than the limit of "
                f"{limits.MAX_ARRAY_COPIES:,} block copies",
                advice,
            )
        segments = cells * packed.lines
        if out.copied + segments > self.budget:
            raise DrawingError(
                self.path,
                f"an array of {shown} makes {segments:,} lines, more than the limit of "
                f"{self.budget:,} for this file",
                advice,
            )
        shapes = cells * (len(packed.outlines) + len(packed.texts))
        if len(out.outlines) + len(out.texts) + shapes > limits.MAX_SHAPES:
            raise DrawingError(
                self.path,
                f"an array of {shown} makes {shapes:,} outlines and texts, more than the "
                f"limit of {limits.MAX_SHAPES:,}",
                advice,
            )

    def _place(
        self, packed: Packed, where: Affine, layer: int, out: Collector, name: str, door: bool
    ) -> bool:
        """Copy `packed` to one place; False once the layout is full (stop copying)."""
        if not _fits(packed, where):
            self.issues.add(OUT_OF_RANGE, example=f"INSERT {plain_name(name)}")
            return True
        if abs(where.det) < 1e-300:
            self.issues.add("insert_degenerate", example=name)
            return True
        full = (
            out.copied + packed.lines > self.budget
            or len(out.outlines) + len(out.texts) + len(packed.outlines) + len(packed.texts)
            > limits.MAX_SHAPES
        )
        if full:
            self.issues.add("expansion_limit", example=name)
            return False
        out.add_instance(packed, where, layer, door)
        return True

    def _block(self, name: str) -> Packed | None:
        """A block definition's primitives, read once; None when it cannot be used."""
        if name in self._stack:
            raise DrawingError(
                self.path,
                f"block '{clean(name)}' references itself{_through(self._stack, name)}",
                "the file is damaged: repair it in CAD (AUDIT) and export the DXF again",
            )
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        if len(self._stack) >= limits.MAX_DEPTH:
            self.issues.add("block_too_deep", example=name)
            self._cut.update(self._stack)  # their content is incomplete here only
            return None
        layout = self.doc.blocks.get(name)
        if layout is None:
            self.issues.add("block_missing", example=name)
            return None
        if _is_xref(layout):
            self.issues.add("xref_skipped", example=name)
            return None
        self._stack.append(name)
        try:
            packed = self._layout(layout, plain_name(name))
        finally:
            self._stack.pop()
        if name in self._cut:
            self._cut.discard(name)  # read again if met nearer to modelspace
        else:
            self._cache[name] = packed
        return packed


@dataclass(frozen=True)
class Array:
    """The cells of an INSERT (one cell) or MINSERT (rows x columns), before any copy.

    Like ezdxf's ``multi_insert()``, the grid offset is rotated with the INSERT but
    not scaled, and cells at the same place (zero spacing) are given once; unlike
    it, no virtual entities are made, so the size of an array is known (and
    checked) before its cells are copied.
    """

    base: Affine
    rows: int
    cols: int
    row_step: float
    col_step: float
    ocs: Affine | None = None  # the OCS the grid offsets are turned by

    @staticmethod
    def of(e: Any) -> Array | None:
        """The array of an INSERT; None when its transform or spacing is not a number
        or carries coordinates beyond MAX_COORDINATE."""
        base = Affine.from_matrix44(list(e.matrix44()))
        rows, cols = int(e.dxf.get("row_count", 1)), int(e.dxf.get("column_count", 1))
        row_step, col_step = (
            float(e.dxf.get("row_spacing", 0.0)),
            float(e.dxf.get("column_spacing", 0.0)),
        )
        rows = rows if rows > 1 and row_step else 1
        cols = cols if cols > 1 and col_step else 1
        if not (
            in_range(*base.a.ravel(), *base.t)
            and in_range(row_step * (rows - 1), col_step * (cols - 1))
        ):
            return None
        ocs = ocs_affine(e) if rows > 1 or cols > 1 else None
        return Array(base, rows, cols, row_step, col_step, ocs)

    def cells(self, e: Any) -> Iterator[Affine]:
        """The transform of each cell, row by row."""
        if self.rows == 1 and self.cols == 1:
            yield self.base
            return
        angle = math.radians(float(e.dxf.get("rotation", 0.0)))
        c, s = math.cos(angle), math.sin(angle)
        rotate = np.array(((c, s), (-s, c)))
        for row in range(self.rows):
            for col in range(self.cols):
                offset = np.array((col * self.col_step, row * self.row_step)) @ rotate
                if self.ocs is not None:
                    offset = offset @ self.ocs.a
                yield Affine(self.base.a, self.base.t + offset)


def _fits(packed: Packed, where: Affine) -> bool:
    """True when `packed` moved by `where` stays within ±MAX_COORDINATE.

    A bound, not the exact extent: each output coordinate is at most the translation
    plus the block's reach times the column sum of the matrix.
    """
    a, t = np.abs(where.a), np.abs(where.t)
    if not (np.isfinite(a).all() and np.isfinite(t).all()):
        return False
    if a.max() > limits.MAX_COORDINATE:
        return False  # a scale this large is damage, whatever the block holds
    reach = float(t.max() + a.sum(axis=0).max() * packed.reach)
    return reach <= limits.MAX_COORDINATE


def _is_door(name: str) -> bool:
    """True for a door block (TArch ``$DorLib2D$...``, ``DOOR-900``, ``单扇门``)."""
    from planchecker.extraction.layers import door_block

    return door_block(name)


def _is_custom(e: Any, kind: str) -> bool:
    """True for proxy entities and custom classes (TArch TCH_*) ezdxf cannot interpret."""
    if kind in _PROXY_TYPES or kind.startswith("TCH_"):
        return True
    from ezdxf.entities import DXFTagStorage

    return isinstance(e, DXFTagStorage)


def _is_xref(layout: Any) -> bool:
    """True when a block is an external reference (its content lives in another file)."""
    try:
        return bool(layout.block.dxf.flags & 12)
    except Exception:
        return False


def _through(stack: list[str], name: str) -> str:
    """' (through A -> B)' for a mutual reference, '' for a block inserting itself."""
    chain = stack[stack.index(name) + 1 :]
    return f" (through {' -> '.join(repr(clean(n)) for n in chain)})" if chain else ""


def _kind(e: Any) -> str:
    """An entity's type, for the issue's examples."""
    try:
        return str(e.dxftype())
    except Exception:
        return type(e).__name__


def _describe(e: Any, exc: Exception) -> str:
    """A short name for an entity that failed, for the issue's examples."""
    return f"{_kind(e)}: {type(exc).__name__}"
