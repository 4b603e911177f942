"""The rings of bulged polylines, rebuilt from their vertices and arcs.

A centre's drawing may hold tens of thousands of exploded furniture outlines:
closed LWPOLYLINEs whose bulges the reader flattens into some fifty points each.
Those points were most of what a large review kept.  The reader works out each
arc's centre, radius, start, sweep and number of chords once, with Python's
``math`` (numpy's ``arctan`` and ``hypot`` differ from it in the last bit); from
those, every flattened point is one numpy expression per element, which gives
the same float whichever array the element is in.  So an outline can be kept as
its vertices and arcs (a fifth of the bytes) and its ring made again, bit for
bit, whenever a step asks for it (`outlines.OutlineStore` keeps it so only after
checking that the rebuilt ring is the one drawn).

No shapely and no ezdxf here: arrays in, arrays out.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

ARC_FIELDS = 5  # cx, cy, radius, start angle, sweep; the chords come from `after`


class Recipe(NamedTuple):
    """What one closed polyline's ring is made from, and what the ring is like."""

    verts: np.ndarray  # (m, 2), the closing vertex repeated last
    after: np.ndarray  # (m,) interior points of the arc after each vertex
    arcs: np.ndarray  # (k, ARC_FIELDS), one for each vertex with after > 0
    points: int  # the ring's points, the closing one included
    box: np.ndarray  # (4,) its xmin, ymin, xmax, ymax


def assemble(
    verts: np.ndarray, after: np.ndarray, arcs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All flattened points, each vertex followed by the interior points of its arc,
    and the index of each vertex among them.

    `verts` are (m, 2); `after[i]` is the number of interior points of the arc that
    follows vertex i (0 for a straight edge); `arcs` has a row (cx, cy, r, start,
    sweep) for each vertex with ``after > 0``, in order: its chords number
    ``after + 1``.
    """
    pos = np.arange(len(verts)) + np.cumsum(after) - after
    points = np.empty((len(verts) + int(after.sum()), 2))
    points[pos] = verts
    if len(arcs):
        has = np.flatnonzero(after)
        inner = after[has]
        n = inner + 1
        rep = np.repeat(np.arange(len(arcs)), inner)
        k = np.arange(int(inner.sum())) - np.repeat(np.cumsum(inner) - inner, inner) + 1
        # geometry.arc_points: t = start + sweep * arange(n + 1) / n, then
        # cx + r * cos(t), cy + r * sin(t); here its interior points 1 .. n - 1
        t = arcs[rep, 3] + arcs[rep, 4] * k.astype(float) / n[rep].astype(float)
        r = arcs[rep, 2]
        slots = np.repeat(pos[has] + 1, inner) + k - 1
        points[slots, 0] = arcs[rep, 0] + r * np.cos(t)
        points[slots, 1] = arcs[rep, 1] + r * np.sin(t)
    return points, pos


def kept(points: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which points of rings laid end to end (ring k starts at `at[k]`) a polygon
    keeps: none equal to the one before it, nor a last one equal to the first
    (`geometry._dedupe`); and how many each ring keeps."""
    x, y = points[:, 0], points[:, 1]
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = (x[1:] != x[:-1]) | (y[1:] != y[:-1])
    keep[at] = True
    last = np.maximum.reduceat(np.where(keep, np.arange(len(points)), -1), at)
    closing = (x[last] == x[at]) & (y[last] == y[at]) & (last != at)
    keep[last[closing]] = False
    return keep, np.add.reduceat(keep, at).astype(np.int64)


def rings(
    verts: np.ndarray, after: np.ndarray, arcs: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The rings of closed polylines given one after another (`counts` vertices
    each, the closing vertex repeated last), as a polygon's exterior holds them:
    repeated neighbours and the closing repeat dropped (`kept`), then
    the first point again to close it (as GEOS closes a ring).  Returns the
    points of all rings and the length of each.
    """
    if not len(counts):
        return np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    points, pos = assemble(verts, after, arcs)
    first = np.cumsum(counts) - counts
    at = pos[first]  # each ring's first point; the rings follow each other
    keep, count = kept(points, at)
    lengths = count + 1
    out = np.empty((int(lengths.sum()), 2))
    starts = np.cumsum(lengths) - lengths
    ring_of = np.repeat(np.arange(len(counts)), count)
    rank = np.arange(len(ring_of)) - np.repeat(np.cumsum(count) - count, count)
    out[starts[ring_of] + rank] = points[keep]
    out[starts + count] = points[at]
    return out, lengths
