"""One function per DXF entity type: ezdxf entity -> primitives in its layout's coordinates.

Each handler reads everything it needs from the entity *before* adding to the
Collector, so that an entity whose attributes raise half-way (TArch objects
do) adds nothing; the caller catches the exception and counts the entity as
unreadable.  Arcs, bulges, ellipses and splines are flattened in the entity's
own coordinates, before any block transform, so a non-uniform scale or a
mirror turns chords into chords and the result stays exact.

Damaged numbers (NaN, inf, 1e300) must never reach arithmetic that overflows or
warns.  Handlers that compute with an entity's numbers (arcs, bulges, ellipses,
splines, hatches) check them first and skip the entity with a
``coordinate_out_of_range`` issue (`OutOfRange`, caught by `_ranged`); LINEs and
texts are only copied, so theirs are left to the gate in `Collector.pack`, which
drops and counts every primitive out of range, whichever reader made it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from planchecker.arcrings import Recipe
from planchecker.model import TextKind
from planchecker.reading.geometry import (
    LINEWORK_STEP,
    OUTLINE_STEP,
    Affine,
    Flatten,
    arc_points,
    bulge_polyline,
    ccw_sweep,
    edges,
    ends_meet,
    ring_polygon,
    size,
)
from planchecker.reading.hatch import RELATIVE_SAGITTA, hatch_polygons, is_solid
from planchecker.reading.limits import (
    MAX_BULGE,
    MAX_COORDINATE,
    MAX_VERTICES,
    LimitExceeded,
    OutOfRange,
)
from planchecker.reading.primitives import Collector, Issues, OutlineRec, TextRec
from planchecker.reading.text import plain_multi_line, plain_single_line

FULL_TURN = 2.0 * math.pi
CLOSE_M = 0.001  # open polyline ends this close close it (real files: gaps up to 0.7 mm)
# Chords of outline arcs stay this close to the arc ... Above 3.3 m radius the 2-degree
# step of OUTLINE_STEP is finer; below, 0.5 mm bounds a whole circle's area error to
# 0.007 m2 (under the 0.01 m2 areas are reported to), while a 0.3 m furniture arc
# gets 14 chords a quarter instead of 31: most of a large drawing's segments.
OUTLINE_SAGITTA_M = 0.0005  # ...
LINEWORK_SAGITTA_M = 0.001  # ... and of open linework


@dataclass(frozen=True)
class Tolerances:
    """Closing and flattening tolerances in drawing units."""

    close: float
    outline: Flatten
    linework: Flatten

    @staticmethod
    def for_scale(metres_per_unit: float) -> Tolerances:
        """Tolerances for a drawing whose unit is `metres_per_unit` metres."""
        return Tolerances(
            close=CLOSE_M / metres_per_unit,
            outline=Flatten(OUTLINE_STEP, OUTLINE_SAGITTA_M / metres_per_unit),
            linework=Flatten(LINEWORK_STEP, LINEWORK_SAGITTA_M / metres_per_unit),
        )


@dataclass(frozen=True)
class Scope:
    """Where entities are being read: which block, how tolerant, where issues go."""

    block: str | None
    issues: Issues
    tol: Tolerances


Handler = Callable[[Any, int, Collector, Scope], None]

OUT_OF_RANGE = "coordinate_out_of_range"  # the read issue of a skipped entity


def in_range(*values: float) -> bool:
    """True when every value is a number within ±MAX_COORDINATE (False for NaN, inf)."""
    return all(-MAX_COORDINATE <= v <= MAX_COORDINATE for v in values)


def polyline_in_range(xyb: np.ndarray) -> bool:
    """True when an (n, 3) array of x, y, bulge is fit to compute with: coordinates
    within ±MAX_COORDINATE, bulges within ±MAX_BULGE (NaN and inf are neither)."""
    return bool(
        (np.abs(xyb[:, :2]) <= MAX_COORDINATE).all() and (np.abs(xyb[:, 2]) <= MAX_BULGE).all()
    )


def _check(*values: float) -> None:
    if not in_range(*values):
        raise OutOfRange


def _check_angles(*degrees: float) -> None:
    if not all(math.isfinite(a) for a in degrees):
        raise OutOfRange


def _check_vertices(count: int, kind: str) -> None:
    """LimitExceeded for an entity with more vertices than MAX_VERTICES (a file the
    byte count in `sniff` could not count, such as a binary DXF)."""
    if count > MAX_VERTICES:
        raise LimitExceeded(
            f"a {kind} has {count:,} vertices, more than the limit of {MAX_VERTICES:,}",
            "simplify or delete it in CAD and export the DXF again",
        )


def _ranged(kind: str) -> Callable[[Handler], Handler]:
    """A handler that skips its entity, with a read issue, when it raises OutOfRange.

    The issue is recorded here rather than by the caller, so that every reader that
    calls a handler reports the same.
    """

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(e: Any, layer: int, out: Collector, scope: Scope) -> None:
            try:
                handler(e, layer, out, scope)
            except OutOfRange:
                scope.issues.add(OUT_OF_RANGE, example=kind)

        return run

    return wrap


def ocs_affine(entity: Any) -> Affine | None:
    """The XY part of an entity's OCS -> WCS map, None for the usual (0, 0, 1) extrusion.

    Mirrored geometry is often stored with extrusion (0, 0, -1): x is flipped.
    Raises OutOfRange for an extrusion that is not a number.
    """
    ez = entity.dxf.get("extrusion")
    if ez is None:
        return None
    x, y, z = ez
    if not math.isfinite(x + y + z):
        raise OutOfRange
    if abs(x) < 1e-12 and abs(y) < 1e-12 and z > 0:
        return None
    from ezdxf.math import OCS

    ocs = OCS(ez)
    a = np.array(((ocs.ux.x, ocs.ux.y), (ocs.uy.x, ocs.uy.y)), dtype=float)
    return Affine(a, np.zeros(2))


def _to_wcs(pts: np.ndarray, ocs: Affine | None) -> np.ndarray:
    return pts if ocs is None else ocs.points(pts)


# ------------------------------------------------------------------ linework


def add_line(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """LINE: one segment (LINE coordinates are WCS whatever its extrusion).

    A zero-length LINE is nothing; one with NaN or absurd coordinates is kept here
    and dropped, and counted, by `Collector.pack` (NaN != NaN, so it is not zero-length).
    """
    s, t = e.dxf.start, e.dxf.end
    if s.x != t.x or s.y != t.y:
        out.add_line(s.x, s.y, t.x, t.y, layer)


@_ranged("ARC")
def add_arc(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """ARC: flattened into segments (door swings, curved walls)."""
    c, r = e.dxf.center, float(e.dxf.radius)
    _check(c.x, c.y, r)
    _check_angles(e.dxf.start_angle, e.dxf.end_angle)
    if r <= 0:
        return
    sweep = ccw_sweep(e.dxf.start_angle, e.dxf.end_angle)
    step = scope.tol.linework.step(r)
    pts = arc_points(c.x, c.y, r, math.radians(e.dxf.start_angle), sweep, step)
    out.add_segments(edges(_to_wcs(pts, ocs_affine(e))), layer)


@_ranged("CIRCLE")
def add_circle(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """CIRCLE: an outline (round rooms and columns exist) and its segments."""
    c, r = e.dxf.center, float(e.dxf.radius)
    _check(c.x, c.y, r)
    if r <= 0:
        return
    ocs = ocs_affine(e)
    ring = _to_wcs(arc_points(c.x, c.y, r, 0.0, FULL_TURN, scope.tol.outline.step(r)), ocs)
    lines = _to_wcs(arc_points(c.x, c.y, r, 0.0, FULL_TURN, scope.tol.linework.step(r)), ocs)
    _add_ring(ring, lines, layer, out, scope)


@_ranged("LWPOLYLINE")
def add_lwpolyline(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """LWPOLYLINE: an outline when closed (or its ends meet), else segments."""
    xyb = np.array(e.get_points("xyb"), dtype=float).reshape(-1, 3)
    _check_vertices(len(xyb), "LWPOLYLINE")
    _add_polyline(xyb, bool(e.closed), ocs_affine(e), layer, out, scope)


@_ranged("POLYLINE")
def add_polyline(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """POLYLINE: 2-D (with bulges, in OCS) and 3-D (WCS) ones; meshes are skipped."""
    _check_vertices(len(e.vertices), "POLYLINE")
    if e.is_2d_polyline:
        rows = [(v.dxf.location.x, v.dxf.location.y, v.dxf.get("bulge", 0.0)) for v in e.vertices]
        ocs = ocs_affine(e)
    elif e.is_3d_polyline:
        rows = [(v.dxf.location.x, v.dxf.location.y, 0.0) for v in e.vertices]
        ocs = None
    else:
        return
    xyb = np.array(rows, dtype=float).reshape(-1, 3)
    _add_polyline(xyb, bool(e.is_closed), ocs, layer, out, scope)


def _add_polyline(
    xyb: np.ndarray, closed: bool, ocs: Affine | None, layer: int, out: Collector, scope: Scope
) -> None:
    """Shared by LWPOLYLINE and POLYLINE once vertices and bulges are an array."""
    if len(xyb) < 2:
        return
    if not polyline_in_range(xyb):
        raise OutOfRange
    gap = 0.0
    if not closed and ends_meet(xyb[:, :2], scope.tol.close):
        gap = math.dist(xyb[0, :2], xyb[-1, :2])
        xyb = xyb[:-1]
        closed = True
        scope.issues.add("outline_closed")
    if not closed:
        pts = _to_wcs(bulge_polyline(xyb, False, scope.tol.linework), ocs)
        out.add_segments(edges(pts), layer)
        return
    ring = _to_wcs(bulge_polyline(xyb, True, scope.tol.outline), ocs)
    _add_ring(ring, ring, layer, out, scope, gap > 0)


def _add_ring(
    ring: np.ndarray,
    lines: np.ndarray,
    layer: int,
    out: Collector,
    scope: Scope,
    unclosed: bool = False,
) -> None:
    """A closed shape: an outline from `ring` (if it has area) and segments from `lines`.

    When the polygon is `ring` as drawn (closed, not repaired) and `lines` is that
    ring too, its edges are not stored as segments: the outline stands for them
    (`model.Outline.edges`), which halves what a drawing of furniture holds.
    """
    result = ring_polygon(ring)
    if lines is ring and own_edges(result, ring):
        add_outline(result, layer, out, scope, unclosed, as_linework=True)
        return
    out.add_segments(edges(lines), layer)
    add_outline(result, layer, out, scope, unclosed)


def own_edges(result, ring: np.ndarray) -> bool:
    """Whether the polygon of `result` has exactly the edges `edges(ring)` gives:
    made from the ring as drawn, which closes on its first point."""
    return (
        result.polygon is not None
        and not result.repaired
        and len(ring) > 1
        and bool(np.array_equal(ring[0], ring[-1]))
    )


def add_outline(
    result,
    layer: int,
    out: Collector,
    scope: Scope,
    unclosed: bool,
    as_linework: bool = False,
    recipe: Recipe | None = None,
) -> None:
    """A closed shape's outline, with the issues of making its polygon; the fast
    reader's flattened LWPOLYLINEs come here too (with the `recipe` their ring can
    be made again from), so both readers say the same."""
    if result.polygon is None:
        scope.issues.add("outline_dropped")
        return
    if result.repaired:
        scope.issues.add("outline_repaired")
    if result.pieces > 1:
        scope.issues.add("outline_split")
    out.outlines.append(
        OutlineRec(
            None if recipe is not None else result.polygon,  # made again from the recipe
            layer,
            "outline",
            scope.block,
            repaired=result.repaired or unclosed,
            edges=as_linework,
            recipe=recipe,
        )
    )


@_ranged("ELLIPSE")
def add_ellipse(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """ELLIPSE (WCS): an outline when it is a full ellipse, else segments."""
    c, axis = e.dxf.center, e.dxf.major_axis
    _check(c.x, c.y, axis.x, axis.y, float(e.dxf.ratio))
    start, end = float(e.dxf.start_param), float(e.dxf.end_param)
    _check_angles(start, end)
    tool = e.construction_tool()
    sweep = (end - start) % FULL_TURN
    full = sweep < 1e-9 or abs(sweep - FULL_TURN) < 1e-9
    if full:
        sweep = FULL_TURN
    flat = scope.tol.outline if full else scope.tol.linework
    radius = math.hypot(axis.x, axis.y)
    n = max(2, math.ceil(sweep / flat.step(radius)))
    params = start + sweep * np.arange(n + 1) / n
    pts = np.array([(v.x, v.y) for v in tool.vertices(params)], dtype=float)
    if full:
        _add_ring(pts, pts, layer, out, scope)
    else:
        out.add_segments(edges(pts), layer)


@_ranged("SPLINE")
def add_spline(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """SPLINE (WCS): flattened; an outline when closed (or its ends meet), else segments."""
    control = np.asarray(e.control_points, dtype=float).reshape(-1, 3)[:, :2]
    if len(control) == 0:
        control = np.asarray(e.fit_points, dtype=float).reshape(-1, 3)[:, :2]
    _check_vertices(len(control), "SPLINE")
    weights = np.asarray(e.weights, dtype=float)
    knots = np.asarray(e.knots, dtype=float)
    if not (
        (np.abs(control) <= MAX_COORDINATE).all()
        and np.isfinite(weights).all()
        and np.isfinite(knots).all()
    ):
        raise OutOfRange
    scale = size(control)
    if scale == 0:
        return
    distance = max(scale * RELATIVE_SAGITTA, scope.tol.outline.sagitta)
    pts = np.array([(v.x, v.y) for v in e.flattening(distance, segments=8)], dtype=float)
    pts = pts.reshape(-1, 2)
    if e.closed or ends_meet(pts, scope.tol.close):
        _add_ring(pts, pts, layer, out, scope)
    else:
        out.add_segments(edges(pts), layer)


@_ranged("HATCH")
def add_hatch(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """HATCH / MPOLYGON: one outline per separate filled area, islands as holes."""
    polygons, repaired = hatch_polygons(e, scope.tol.outline.sagitta)
    if repaired:
        scope.issues.add("hatch_repaired")
    solid = is_solid(e)
    out.outlines.extend(
        OutlineRec(p, layer, "hatch", scope.block, repaired=repaired, solid=solid) for p in polygons
    )


# ----------------------------------------------------------------------- text


@_ranged("TEXT")
def add_text(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """TEXT: plain text at its alignment anchor."""
    rec = single_line_text(e, layer, scope.block, "TEXT")
    if rec is not None:
        out.texts.append(rec)


@_ranged("MTEXT")
def add_mtext(e: Any, layer: int, out: Collector, scope: Scope) -> None:
    """MTEXT: formatting stripped, paragraphs as new lines, at its attachment point.

    A place or height out of range is dropped and counted by `Collector.pack`.
    """
    text = plain_multi_line(e.text)
    if not text:
        return
    p = e.dxf.insert
    height = float(e.dxf.get("char_height", 0.0))
    out.texts.append(TextRec(text, p.x, p.y, height, layer, "MTEXT", scope.block))


def single_line_text(e: Any, layer: int, block: str | None, kind: TextKind) -> TextRec | None:
    """A TEXT or ATTRIB as a TextRec, None when it is empty.

    A place or height out of range is dropped and counted by `Collector.pack`.
    """
    text = plain_single_line(e.dxf.text)
    if not text:
        return None
    x, y = text_anchor(e)
    height = float(e.dxf.get("height", 0.0))
    ocs = ocs_affine(e)
    if ocs is not None:
        x, y = ocs.points(np.array((x, y)))
    return TextRec(text, float(x), float(y), height, layer, kind, block)


def attrib_text(a: Any, layer: int, block: str | None) -> TextRec | None:
    """A visible ATTRIB as a TextRec (multi-line ATTRIBs carry an embedded MTEXT)."""
    if a.is_invisible:
        return None
    if a.has_embedded_mtext_entity:
        m = a.virtual_mtext_entity()
        text = plain_multi_line(m.text)
        p = m.dxf.insert
        height = float(m.dxf.get("char_height", 0.0))
        if not text:
            return None
        return TextRec(text, p.x, p.y, height, layer, "ATTRIB", block)
    return single_line_text(a, layer, block, "ATTRIB")


def text_anchor(e: Any) -> tuple[float, float]:
    """Where a person reads a TEXT: its alignment point unless it is left/baseline.

    ALIGNED and FIT texts stretch between the insertion and alignment points, so
    their middle is used.
    """
    halign = int(e.dxf.get("halign", 0))
    valign = int(e.dxf.get("valign", 0))
    p = e.dxf.insert
    if (halign == 0 and valign == 0) or not e.dxf.hasattr("align_point"):
        return p.x, p.y
    q = e.dxf.align_point
    if halign in (3, 5) and valign == 0:
        return (p.x + q.x) / 2.0, (p.y + q.y) / 2.0
    return q.x, q.y


HANDLERS: dict[str, Handler] = {
    "LINE": add_line,
    "ARC": add_arc,
    "CIRCLE": add_circle,
    "LWPOLYLINE": add_lwpolyline,
    "POLYLINE": add_polyline,
    "ELLIPSE": add_ellipse,
    "SPLINE": add_spline,
    "HATCH": add_hatch,
    "MPOLYGON": add_hatch,
    "TEXT": add_text,
    "MTEXT": add_mtext,
}

# Types that can never hold a room, a wall or a label.
SKIPPED = frozenset(
    {
        "DIMENSION", "ARC_DIMENSION", "LARGE_RADIAL_DIMENSION", "LEADER", "MLEADER",
        "MULTILEADER", "TOLERANCE", "VIEWPORT", "IMAGE", "WIPEOUT", "PDFUNDERLAY",
        "DWFUNDERLAY", "DGNUNDERLAY", "OLE2FRAME", "OLEFRAME", "POINT", "RAY", "XLINE",
        "ATTDEF", "ATTRIB", "SEQEND", "VERTEX", "3DFACE", "3DSOLID", "REGION", "BODY",
        "SURFACE", "EXTRUDEDSURFACE", "LOFTEDSURFACE", "REVOLVEDSURFACE", "SWEPTSURFACE",
        "PLANESURFACE", "MESH", "SOLID", "TRACE", "SHAPE", "HELIX", "LIGHT", "SUN",
        "ACAD_TABLE", "SECTION", "GEOPOSITIONMARKER", "POLYFACE", "POLYMESH",
    }
)  # fmt: skip
