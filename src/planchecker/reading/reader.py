"""The read stage: one DXF file in, one `Drawing` in metres out.

Steps: sniff the bytes (missing, empty, DWG, image, truncated ...), open with
ezdxf (recover mode if needed), expand modelspace into primitives in drawing
units, decide the units, scale everything to metres.  Every failure becomes a
`DrawingError` with one line saying what is wrong and what to do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from shapely.geometry import Polygon

from planchecker.errors import DrawingError
from planchecker.model import Drawing, Text, Units, exterior_edges
from planchecker.outlines import EDGES, Outlines, OutlineStore
from planchecker.reading.blocks import Expander
from planchecker.reading.encoding import clean
from planchecker.reading.entities import Tolerances
from planchecker.reading.geometry import revalidate
from planchecker.reading.loading import damaged_message, load
from planchecker.reading.primitives import ID, MODELSPACE, OUTLINE_BATCH, Issues, Packed
from planchecker.reading.sniff import last_section, sniff
from planchecker.reading.units import (
    OPTION_FACTORS,
    check_header,
    header_factor,
    header_units,
    infer_units,
    option_units,
)

# Before the units are known, tolerances assume millimetres, the usual unit.
ASSUMED_SCALE = 0.001


def read_drawing(path: str | os.PathLike[str], units: str | None = None) -> Drawing:
    """Read a DXF file into a Drawing in metres.

    `units` ("mm", "cm", "m") overrides the header and the inference.  Raises
    DrawingError, and nothing else, for any file that cannot be read.
    """
    try:
        name = os.fspath(path)
    except TypeError:
        raise DrawingError(str(path), "not a file path", "give the path of a .dxf file") from None
    try:
        return _read(name, units)
    except DrawingError:
        raise
    except MemoryError:
        raise DrawingError(name, "file is too large to read", "split the drawing") from None
    except RecursionError:
        raise DrawingError(name, "blocks are nested too deeply", "explode the blocks") from None
    except Exception as exc:  # a reader bug or an ezdxf surprise: still one line
        raise DrawingError(
            name,
            f"could not be read ({type(exc).__name__}: {exc})",
            "export the DXF again; if that does not help, report this file",
        ) from exc


def _read(path: str, option: str | None) -> Drawing:
    """Read with the fast reader where it can promise ezdxf's result, else with ezdxf.

    The fast reader (`fastread`) scans the tags itself and streams modelspace; any
    file it is not sure of, and any failure in it, is read again by ezdxf, so that
    the Drawing never depends on which of the two read it.
    """
    from planchecker.reading import fastread
    from planchecker.reading.limits import LimitExceeded

    if option is not None and option not in OPTION_FACTORS:
        raise DrawingError(path, f"unknown units '{option}'", "use mm, cm or m")
    sniffed = sniff(path)

    def read_with(opener: Any) -> Drawing:
        issues = Issues()
        loaded = opener(sniffed, issues)
        insunits = _insunits(loaded.doc)
        known = OPTION_FACTORS[option] if option else header_factor(insunits)
        scale = known or ASSUMED_SCALE
        expander, packed = _expand(loaded.doc, path, scale)
        if (sniffed.truncated or loaded.recovered) and packed.is_empty and not packed.proxies:
            detail = _cut_detail(path) if sniffed.truncated else "no drawing entities left"
            raise DrawingError(path, damaged_message(sniffed, detail), "export the DXF again")
        found = _units(packed, expander.layers.names, insunits, option, issues)
        if found.metres_per_unit != scale:  # tolerances were for the wrong unit: redo
            del expander, packed  # not held while modelspace is expanded again
            expander, packed = _expand(loaded.doc, path, found.metres_per_unit)
        issues.extend(expander.issues)
        source = _Source(
            expander.layers.names,
            expander.blocks.names,
            loaded.codec,
            clean(str(loaded.doc.dxfversion)),
        )
        # the document (ezdxf's is as large as the drawing), the expander's block cache
        # and the fast reader's tags are of no more use: let them go before scaling
        del expander, loaded
        return _drawing(path, packed, found, source, issues)

    if fastread.wanted(sniffed):
        try:
            return read_with(fastread.load)
        except (DrawingError, LimitExceeded):  # the ezdxf path's too: fastread checked the file
            raise
        except Exception:  # not for the fast reader (or a bug in it): ezdxf decides
            if fastread.strict():
                raise
    return read_with(load)


def _cut_detail(path: str) -> str:
    """Where a truncated file stops, as far as its section names tell."""
    section = last_section(path)
    return f"cut off inside {section}" if section else "no EOF at its end"


def _expand(doc: Any, path: str, scale: float) -> tuple[Expander, Packed]:
    """Modelspace primitives with tolerances for a unit of `scale` metres."""
    from planchecker.reading.fastread import FastDocument

    if isinstance(doc, FastDocument):
        return doc.expand(path, scale)
    expander = Expander(doc, path, Issues(), Tolerances.for_scale(scale))
    return expander, expander.modelspace()


def _insunits(doc: Any) -> int:
    """The header's $INSUNITS, 0 when absent or not a number."""
    try:
        return int(doc.header.get("$INSUNITS", 0) or 0)
    except (TypeError, ValueError):
        return 0


def _units(
    packed: Packed, layers: tuple[str, ...], insunits: int, option: str | None, issues: Issues
) -> Units:
    """Option first, then a usable header, else inferred (and reported)."""
    if option:
        return option_units(option, insunits)
    found = header_units(insunits)
    if found is None:
        found = infer_units(packed, insunits, layers)
    else:
        found = check_header(packed, found, layers)
    if found.source == "inferred":
        issues.add("units_inferred", example=found.note)
    return found


@dataclass(frozen=True)
class _Source:
    """What the Drawing needs of the document and the expander that read it."""

    layers: tuple[str, ...]
    blocks: tuple[str, ...]
    codec: str
    dxf_version: str


def _drawing(path: str, packed: Packed, units: Units, source: _Source, issues: Issues) -> Drawing:
    """Scale the primitives to metres and wrap them in a Drawing.

    Says here what the gate in `Collector.pack` dropped (coordinates out of range),
    and whether the coordinates are too large for millimetres (`limits.imprecision`):
    both are known only once modelspace is packed and its units decided.

    `packed` is used up: its segments are scaled in place and become the Drawing's
    (a scaled copy would hold the largest array of the drawing twice), and its
    outlines and texts are taken out of it as they are converted.
    """
    from planchecker.reading import limits
    from planchecker.reading.entities import OUT_OF_RANGE

    f = units.metres_per_unit
    layers = source.layers
    if packed.dropped:
        issues.add(OUT_OF_RANGE, packed.dropped)
    imprecise = limits.imprecision(packed.reach, f)
    if imprecise:
        issues.add("coordinates_imprecise", example=imprecise)
    loose = _Loose()
    outlines = _outlines(packed.outlines, f, layers, issues, loose, source.blocks)
    texts = _texts(packed, f, layers)
    segments, segment_layers = packed.segments, packed.segment_layers
    segment_blocks = packed.segment_blocks
    if f != 1.0:  # x * 1.0 is x: nothing to do in metres
        np.multiply(segments, f, out=segments)
    if loose.segments:  # rare: a copy of the drawing's linework is made only then
        segments = np.concatenate([segments, *loose.segments])
        segment_layers = np.concatenate([segment_layers, *loose.layers]).astype(ID)
        segment_blocks = np.concatenate([segment_blocks, *loose.blocks]).astype(ID)
    return Drawing(
        path=path,
        outlines=outlines,
        texts=texts,
        segments=segments,
        segment_layers=segment_layers,
        layers=layers,
        units=units,
        encoding=source.codec,
        dxf_version=source.dxf_version,
        issues=issues.to_tuple(),
        proxy_count=packed.proxies,
        segment_blocks=segment_blocks,
        blocks=source.blocks,
    )


def _texts(packed: Packed, f: float, layers: tuple[str, ...]) -> tuple[Text, ...]:
    """The texts in metres; the records go as their texts are made, so that the
    two are never all held at once."""
    recs, packed.texts = packed.texts, []
    recs.reverse()  # batches are taken off the end
    made: list[Text] = []
    while recs:
        batch = recs[-OUTLINE_BATCH:]
        del recs[-OUTLINE_BATCH:]
        made.extend(
            Text(t.text, t.x * f, t.y * f, t.height * f, layers[t.layer], t.kind, t.block)
            for t in reversed(batch)
        )
    return tuple(made)


@dataclass
class _Loose:
    """Edges of outlines that can no longer stand for them (`_outlines`), in metres,
    with their layer and block ids: they join the drawing's segments."""

    segments: list[np.ndarray] = field(default_factory=list)
    layers: list[np.ndarray] = field(default_factory=list)
    blocks: list[np.ndarray] = field(default_factory=list)

    def add(self, polygon: Polygon, layer: int, block: int) -> None:
        edges = exterior_edges([polygon])[0]
        self.segments.append(edges)
        self.layers.append(np.full(len(edges), layer))
        self.blocks.append(np.full(len(edges), block))


def _outlines(
    store: OutlineStore,
    f: float,
    layers: tuple[str, ...],
    issues: Issues,
    loose: _Loose | None = None,
    blocks: tuple[str, ...] = (),
) -> Outlines:
    """The outlines scaled to metres (in place), still valid afterwards.

    Rotating or mirroring a sliver of a hatch in a block can make it invalid by
    rounding alone; such polygons are made valid again, or dropped if nothing
    with an area is left.  Polygons are made a chunk at a time to be checked; the
    store is copied only when one had to change (rare).

    An outline that stood for its edges (`Outline.edges`) but whose polygon had
    to be made valid again, or was dropped, no longer has them: its edges as drawn
    (scaled) go to `loose`, to join the segments, and it stands for nothing.
    """
    block_ids = {name: i for i, name in enumerate(blocks)}
    if f != 1.0:  # x * 1.0 is x: nothing to do in metres
        store.scale(f)
    changed: dict[int, Polygon | None] = {}
    stands = store.flags(EDGES)
    for idx, polys in store.chunks():
        valid = revalidate(polys)
        for k, (p, drawn) in enumerate(zip(valid, polys, strict=True)):
            if p is drawn:
                continue
            i = int(idx[k])
            changed[i] = p
            if stands[i] and loose is not None:
                # a block's scope names it as its block table does (decoded)
                block = block_ids.get(store.blocks[i], MODELSPACE)
                loose.add(drawn, int(store.layers[i]), block)
    dropped = sum(p is None for p in changed.values())
    if changed:
        store = _with_changes(store, changed)
    if dropped:
        issues.add("outline_dropped", dropped)
    return Outlines(store, layers)


def _with_changes(store: OutlineStore, changed: dict[int, Polygon | None]) -> OutlineStore:
    """`store` with the polygons `changed` replaced (None: dropped); a replaced
    outline no longer stands for its edges."""
    out = OutlineStore()
    codes = store.codes.copy()
    for i in changed:
        codes[i] &= ~np.uint8(EDGES)
    for idx, polys in store.chunks():
        keep = [k for k, i in enumerate(idx.tolist()) if changed.get(i, polys[k]) is not None]
        kept = idx[keep]
        out.add(
            [changed.get(i, polys[k]) for k, i in zip(keep, kept.tolist(), strict=True)],
            store.layers[kept],
            codes[kept],
            [store.blocks[i] for i in kept.tolist()],
        )
    return out
