"""Walk modelspace and expand INSERTs recursively, with their full transforms.

``INSERT.virtual_entities()`` goes one level deep and decomposes DIMENSIONs
(which raises on odd files), so we expand blocks ourselves: each block
definition is read once into `Packed` primitives, and every INSERT (every cell
of a MINSERT array) copies them with its ``matrix44()`` (base point, scale,
rotation, mirroring, OCS).  Nesting is bounded, and a block that contains itself
is an error in the file, reported as such.  Every segment keeps the name of the
innermost block it was drawn in (a door leaf in ``$DorLib2D$...`` inside a pasted
block is the door's), and every placed door block its width.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planchecker.errors import DrawingError
from planchecker.reading.entities import (
    HANDLERS,
    SKIPPED,
    Scope,
    Tolerances,
    attrib_text,
    ocs_affine,
)
from planchecker.reading.geometry import Affine
from planchecker.reading.primitives import BlockTable, Collector, Issues, LayerTable, Packed
from planchecker.reading.text import plain_name

MAX_DEPTH = 32
# Stop copying blocks once a layout holds this many segments (64 MB of float64).
MAX_SEGMENTS = 2_000_000
MAX_SHAPES = 500_000  # outlines + texts in one layout
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

    def modelspace(self) -> Packed:
        """All primitives of modelspace in WCS, blocks expanded."""
        return self._layout(self.doc.modelspace(), None)

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
        except Exception as exc:  # one bad entity must not end the review
            self.issues.add("entity_unreadable", example=_describe(e, exc))

    def _insert(self, e: Any, layer: int, out: Collector, scope: Scope) -> None:
        """An INSERT / MINSERT: the block's primitives at each place, then its ATTRIBs."""
        name = str(e.dxf.name)
        packed = self._block(name)
        if packed is not None and not packed.is_empty:
            door = _is_door(plain_name(name))
            for where in grid(e):
                if not self._place(packed, where, layer, out, name, door):
                    break
        for a in e.attribs:
            try:
                a_name = str(a.dxf.layer)
                # an ATTRIB on layer "0" goes with its INSERT, like block content does
                a_layer = layer if a_name == "0" else self.layers.id(a_name, False)
                rec = attrib_text(a, a_layer, scope.block)
            except Exception as exc:
                self.issues.add("entity_unreadable", example=_describe(a, exc))
                continue
            if rec is not None:
                out.texts.append(rec)

    def _place(
        self, packed: Packed, where: Affine, layer: int, out: Collector, name: str, door: bool
    ) -> bool:
        """Copy `packed` to one place; False once the layout is full (stop copying)."""
        if abs(where.det) < 1e-300:
            self.issues.add("insert_degenerate", example=name)
            return True
        full = (
            out.segment_count + len(packed.segments) > MAX_SEGMENTS
            or len(out.outlines) + len(out.texts) + len(packed.outlines) + len(packed.texts)
            > MAX_SHAPES
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
                f"block '{name}' references itself{_through(self._stack, name)}",
                "the file is damaged: repair it in CAD (AUDIT) and export the DXF again",
            )
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        if len(self._stack) >= MAX_DEPTH:
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


def grid(e: Any) -> Iterator[Affine]:
    """The transform of each cell of an INSERT (one cell) or MINSERT (rows x columns).

    Like ezdxf's ``multi_insert()``, the grid offset is rotated with the INSERT but
    not scaled, and cells at the same place (zero spacing) are given once; unlike
    it, no virtual entities are made, so a 1000 x 1000 array costs nothing until
    its cells are copied (and copying stops at the size limit).
    """
    base = Affine.from_matrix44(list(e.matrix44()))
    rows, cols = int(e.dxf.get("row_count", 1)), int(e.dxf.get("column_count", 1))
    row_step, col_step = (
        float(e.dxf.get("row_spacing", 0.0)),
        float(e.dxf.get("column_spacing", 0.0)),
    )
    rows = rows if rows > 1 and row_step else 1
    cols = cols if cols > 1 and col_step else 1
    if rows == 1 and cols == 1:
        yield base
        return
    angle = math.radians(float(e.dxf.get("rotation", 0.0)))
    rotate = np.array(((math.cos(angle), math.sin(angle)), (-math.sin(angle), math.cos(angle))))
    ocs = ocs_affine(e)
    for row in range(rows):
        for col in range(cols):
            offset = np.array((col * col_step, row * row_step)) @ rotate
            if ocs is not None:
                offset = offset @ ocs.a
            yield Affine(base.a, base.t + offset)


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
    return f" (through {' -> '.join(repr(n) for n in chain)})" if chain else ""


def _describe(e: Any, exc: Exception) -> str:
    """A short name for an entity that failed, for the issue's examples."""
    try:
        kind = e.dxftype()
    except Exception:
        kind = type(e).__name__
    return f"{kind}: {type(exc).__name__}"
