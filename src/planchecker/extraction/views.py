"""Splitting one drawing's modelspace into its views: the plans, sections and details on it.

A sheet often holds several plans side by side (一层平面图, 二层平面图), elevations,
details, a title block and a frame around it all.  Linework that touches or nearly
touches belongs to one view; the sheet frame, which touches nothing but encloses
everything, is recognised and left out first, or it would glue every view into one.
Each view then takes the title text nearest below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import shapely
from scipy import ndimage

from ..model import Drawing
from .layers import Role, layer_role

# Linework closer than this (metres) is one view.  Views on a sheet are metres apart
# in model space (5 m is 50 mm on paper at 1:100); walls of one building touch.
JOIN_GAP = 1.0
# The clustering grid has at most this many cells along a side (memory bound).
MAX_GRID_CELLS = 2000
# A cluster this small (fewer elements, or narrower in metres) is a symbol, a title's
# underline or a note, not a view of its own.
MIN_VIEW_ELEMENTS = 6
MIN_VIEW_SIZE = 2.0
# Texts that belong to a view but lie outside it (a notice board's label in front
# of the façade, a declared floor area under the title) join the nearest view
# within this distance.
LOOSE_TEXT_REACH = 10.0


@dataclass(frozen=True, eq=False)
class View:
    """One view on the sheet: the indices of what lies in it, and its title."""

    bbox: tuple[float, float, float, float]
    outlines: np.ndarray  # indices into Drawing.outlines
    segments: np.ndarray  # indices into Drawing.segments
    texts: np.ndarray  # indices into Drawing.texts
    title: int | None  # index into Drawing.texts of its title, if any


TitleTest = Callable[[str], bool]


def split_views(
    drawing: Drawing,
    is_title: TitleTest,
    belongs_near: Callable[[str], bool],
    names_floor: Callable[[str], bool] | None = None,
) -> list[View]:
    """The views of one drawing, in reading order (top to bottom, left to right).

    `is_title(text)` says whether a text is a view title (一层平面图, 1-1剖面图 ...);
    `belongs_near(text)` whether a text outside every view still belongs to the
    nearest one (a notice board's label in front of the façade, the floor's
    declared building area under its title).  `names_floor(text)` says whether a
    title names a storey: two such titles claiming one view mean two plans joined
    by a stray line, and the view is split between them.
    """
    titles = [i for i, t in enumerate(drawing.texts) if is_title(t.text)]
    title_xy = np.array([(drawing.texts[i].x, drawing.texts[i].y) for i in titles]).reshape(-1, 2)
    outline_keep, segment_keep = _content_elements(drawing, title_xy)
    boxes = _element_boxes(drawing, outline_keep, segment_keep)
    if len(boxes) == 0:
        return []
    labels = _cluster(boxes)
    view_boxes = _substantial_boxes(boxes, labels)
    if not view_boxes:
        view_boxes = [_union_box(boxes)]
    view_boxes = _drop_nested(view_boxes)
    if names_floor is not None:
        floor_titles = [i for i in titles if names_floor(drawing.texts[i].text)]
        view_boxes = _split_shared(view_boxes, title_xy[[titles.index(i) for i in floor_titles]])
    view_boxes.sort(key=lambda b: (-round(b[3] / 5.0), b[0]))
    return _populate(drawing, view_boxes, titles, belongs_near)


# ----------------------------------------------------------------- sheet frames


def _content_elements(drawing: Drawing, title_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the outlines and segments that can belong to a view.

    Left out: frame, annotation and furniture layers (a dimension chain or an axis
    grid would join views), closed outlines around a view title (a sheet frame),
    and the straight border lines of a frame drawn as separate LINEs.
    """
    roles = [layer_role(name) for name in drawing.layers]
    dropped = {Role.FRAME, Role.ANNOTATION, Role.TEXT}
    outline_keep = np.array(
        [layer_role(o.layer) not in dropped for o in drawing.outlines], dtype=bool
    )
    if len(title_xy) and len(drawing.outlines):
        polys = np.array([o.polygon for o in drawing.outlines], dtype=object)
        tree = shapely.STRtree(polys)
        _, hit = tree.query(shapely.points(title_xy), predicate="within")
        outline_keep[np.unique(hit)] = False
    seg_role_ok = np.array([r not in dropped for r in roles], dtype=bool)
    if len(drawing.segments):
        segment_keep = seg_role_ok[drawing.segment_layers]
    else:
        segment_keep = np.zeros(0, dtype=bool)
    if len(title_xy):
        segment_keep &= ~_frame_border_segments(drawing.segments, segment_keep, title_xy)
    return outline_keep, segment_keep


def _frame_border_segments(
    segments: np.ndarray, keep: np.ndarray, title_xy: np.ndarray
) -> np.ndarray:
    """Segments that form a rectangle around everything, with a view title inside it.

    A plan's own outer walls also lie on its bounding box, but never with the
    plan's title inside: titles sit under their plans.  Peeled up to three times
    (a frame has an outer thin and an inner thick border).
    """
    border = np.zeros(len(segments), dtype=bool)
    if not keep.any():
        return border
    # each segment's box and extent once; the peeling below only compares them
    sx, sy = segments[:, :, 0], segments[:, :, 1]
    xmin, xmax = sx.min(axis=1), sx.max(axis=1)
    ymin, ymax = sy.min(axis=1), sy.max(axis=1)
    for _ in range(3):
        live = keep & ~border
        if not live.any():
            break
        x0, x1 = xmin[live].min(), xmax[live].max()
        y0, y1 = ymin[live].min(), ymax[live].max()
        width, height = x1 - x0, y1 - y0
        margin = 0.02 * max(width, height)
        inside = (
            (title_xy[:, 0] > x0 + margin)
            & (title_xy[:, 0] < x1 - margin)
            & (title_xy[:, 1] > y0 + margin)
            & (title_xy[:, 1] < y1 - margin)
        )
        if not inside.any():
            break
        tol = 0.002 * max(width, height)
        wide, tall = (xmax - xmin) > 0.3 * width, (ymax - ymin) > 0.3 * height
        sides = (
            (ymax - ymin < tol) & (np.abs(ymin - y0) < tol) & wide,
            (ymax - ymin < tol) & (np.abs(ymax - y1) < tol) & wide,
            (xmax - xmin < tol) & (np.abs(xmin - x0) < tol) & tall,
            (xmax - xmin < tol) & (np.abs(xmax - x1) < tol) & tall,
        )
        sides = tuple(side & live for side in sides)
        if not all(side.any() for side in sides):
            break
        for side in sides:
            border |= side
    return border


# ------------------------------------------------------------------- clustering


def _element_boxes(drawing: Drawing, outline_keep: np.ndarray, segment_keep: np.ndarray):
    parts = []
    if outline_keep.any():
        polys = [o.polygon for o, k in zip(drawing.outlines, outline_keep, strict=True) if k]
        parts.append(shapely.bounds(np.array(polys, dtype=object)))
    if segment_keep.any():
        seg = drawing.segments[segment_keep]
        parts.append(
            np.column_stack(
                [seg[:, :, 0].min(1), seg[:, :, 1].min(1), seg[:, :, 0].max(1), seg[:, :, 1].max(1)]
            )
        )
    if not parts:
        return np.zeros((0, 4))
    boxes = np.vstack(parts)
    return boxes[np.isfinite(boxes).all(axis=1)]


def _cluster(boxes: np.ndarray) -> np.ndarray:
    """Connected components of boxes that come within about JOIN_GAP of each other.

    The boxes are painted on a grid of JOIN_GAP cells (a 2-D difference array, so
    painting is vectorised) and the grid's connected regions labelled: linear in
    the number of boxes and cells, where pairwise box tests are quadratic in dense
    drawings.  The grid is coarsened when the drawing is huge.
    """
    x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
    span = max(boxes[:, 2].max() - x0, boxes[:, 3].max() - y0, JOIN_GAP)
    cell = max(JOIN_GAP, span / MAX_GRID_CELLS)
    i0 = np.floor((boxes[:, 0] - x0) / cell).astype(np.int64)
    j0 = np.floor((boxes[:, 1] - y0) / cell).astype(np.int64)
    i1 = np.floor((boxes[:, 2] - x0) / cell).astype(np.int64) + 1
    j1 = np.floor((boxes[:, 3] - y0) / cell).astype(np.int64) + 1
    shape = (int(i1.max()) + 1, int(j1.max()) + 1)
    corners = np.concatenate(
        [i0 * shape[1] + j0, i1 * shape[1] + j0, i0 * shape[1] + j1, i1 * shape[1] + j1]
    )
    signs = np.repeat([1, -1, -1, 1], len(boxes))
    paint = np.bincount(corners, weights=signs, minlength=shape[0] * shape[1])
    covered = paint.reshape(shape).cumsum(axis=0).cumsum(axis=1) > 0.5
    regions, _ = ndimage.label(covered, structure=np.ones((3, 3), dtype=bool))
    return regions[i0, j0]


def _substantial_boxes(boxes: np.ndarray, labels: np.ndarray) -> list[tuple]:
    result = []
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    for start, stop in zip(starts, np.r_[starts[1:], len(order)], strict=True):
        members = boxes[order[start:stop]]
        box = (members[:, 0].min(), members[:, 1].min(), members[:, 2].max(), members[:, 3].max())
        big = min(box[2] - box[0], box[3] - box[1]) >= MIN_VIEW_SIZE
        if big and len(members) >= MIN_VIEW_ELEMENTS:
            result.append(tuple(float(v) for v in box))
    return result


def _union_box(boxes: np.ndarray) -> tuple:
    return (
        float(boxes[:, 0].min()),
        float(boxes[:, 1].min()),
        float(boxes[:, 2].max()),
        float(boxes[:, 3].max()),
    )


def _drop_nested(boxes: list[tuple]) -> list[tuple]:
    """A cluster lying inside another's box (a table in a hall) is part of it."""
    boxes = sorted(boxes, key=lambda b: -(b[2] - b[0]) * (b[3] - b[1]))
    kept: list[tuple] = []
    for box in boxes:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        if not any(k[0] <= cx <= k[2] and k[1] <= cy <= k[3] for k in kept):
            kept.append(box)
    return kept


# ------------------------------------------------------------------- populating


def _populate(drawing: Drawing, boxes: list[tuple], titles: list[int], belongs_near) -> list[View]:
    box_arr = np.array(boxes, dtype=float)
    areas = (box_arr[:, 2] - box_arr[:, 0]) * (box_arr[:, 3] - box_arr[:, 1])
    pad = JOIN_GAP

    def owner(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the smallest view box holding each point, -1 for none."""
        inside = (
            (x[:, None] >= box_arr[None, :, 0] - pad)
            & (x[:, None] <= box_arr[None, :, 2] + pad)
            & (y[:, None] >= box_arr[None, :, 1] - pad)
            & (y[:, None] <= box_arr[None, :, 3] + pad)
        )
        masked = np.where(inside, areas[None, :], np.inf)
        best = masked.argmin(axis=1)
        return np.where(np.isfinite(masked.min(axis=1)), best, -1)

    if drawing.outlines:
        pts = shapely.get_coordinates(
            shapely.point_on_surface(np.array([o.polygon for o in drawing.outlines], dtype=object))
        )
        outline_owner = owner(pts[:, 0], pts[:, 1])
    else:
        outline_owner = np.zeros(0, dtype=int)
    if len(drawing.segments):
        mid = drawing.segments.mean(axis=1)
        segment_owner = owner(mid[:, 0], mid[:, 1])
    else:
        segment_owner = np.zeros(0, dtype=int)
    text_xy = np.array([(t.x, t.y) for t in drawing.texts], dtype=float).reshape(-1, 2)
    text_owner = owner(text_xy[:, 0], text_xy[:, 1]) if len(text_xy) else np.zeros(0, dtype=int)
    _attach_loose_texts(drawing, text_xy, text_owner, box_arr, belongs_near)
    title_of = _assign_titles(box_arr, titles, text_xy)
    views = []
    for k, box in enumerate(boxes):
        views.append(
            View(
                bbox=box,
                outlines=np.flatnonzero(outline_owner == k),
                segments=np.flatnonzero(segment_owner == k),
                texts=np.flatnonzero(text_owner == k),
                title=title_of.get(k),
            )
        )
    return views


def _box_distance(box_arr: np.ndarray, x: float, y: float) -> np.ndarray:
    dx = np.maximum(np.maximum(box_arr[:, 0] - x, x - box_arr[:, 2]), 0.0)
    dy = np.maximum(np.maximum(box_arr[:, 1] - y, y - box_arr[:, 3]), 0.0)
    return np.hypot(dx, dy)


def _attach_loose_texts(drawing, text_xy, text_owner, box_arr, belongs_near) -> None:
    for i in np.flatnonzero(text_owner < 0):
        if not belongs_near(drawing.texts[i].text):
            continue
        x, y = text_xy[i]
        dist = _box_distance(box_arr, x, y)
        dist = dist * np.where(box_arr[:, 3] < y, 2.0, 1.0)  # like titles: the view above
        if dist.min() <= LOOSE_TEXT_REACH:
            text_owner[i] = int(dist.argmin())


def _nearest_view(box_arr: np.ndarray, x: float, y: float) -> tuple[int, float, float] | None:
    """The view a title at (x, y) names: the nearest, preferring one above it; with
    its distance and score, or None when every view is too far."""
    dist = _box_distance(box_arr, x, y)
    below_title = box_arr[:, 3] < y  # the view lies below the title
    score = dist * np.where(below_title, 2.0, 1.0)
    k = int(score.argmin())
    size = max(box_arr[k, 2] - box_arr[k, 0], box_arr[k, 3] - box_arr[k, 1])
    if dist[k] > 0.5 * size + 5.0:
        return None
    return k, float(dist[k]), float(score[k])


def _split_shared(boxes: list[tuple], title_xy: np.ndarray) -> list[tuple]:
    """Split a view that two storey titles claim: plans side by side (titles apart
    in x) split halfway between the titles; plans stacked (apart in y) split at each
    title, since a plan stands above its title."""
    if len(title_xy) < 2 or not boxes:
        return boxes
    box_arr = np.array(boxes, dtype=float)
    claims: dict[int, list[tuple[float, float]]] = {}
    for x, y in title_xy:
        found = _nearest_view(box_arr, x, y)
        # a plan's title stands under it, within its width: not a title-block entry
        # or a drawing list off to the side
        if found is not None and box_arr[found[0], 0] <= x <= box_arr[found[0], 2]:
            claims.setdefault(found[0], []).append((float(x), float(y)))
    result: list[tuple] = []
    for k, box in enumerate(boxes):
        points = claims.get(k, [])
        if len(points) < 2:
            result.append(box)
            continue
        xs = sorted(p[0] for p in points)
        ys = sorted(p[1] for p in points)
        if xs[-1] - xs[0] >= ys[-1] - ys[0]:
            cuts = [(a + b) / 2 for a, b in pairwise(xs)]
            edges = [box[0], *[c for c in cuts if box[0] < c < box[2]], box[2]]
            result += [(a, box[1], b, box[3]) for a, b in pairwise(edges)]
        else:
            edges = [box[1], *[c for c in ys[1:] if box[1] < c < box[3]], box[3]]
            result += [(box[0], a, box[2], b) for a, b in pairwise(edges)]
    return result


def _assign_titles(box_arr: np.ndarray, titles: list[int], text_xy: np.ndarray) -> dict[int, int]:
    """Each title goes to the nearest view, preferring the view above it.

    Titles sit under their plans; when plans are stacked, the title between two
    plans belongs to the one above.  A view with several candidate titles keeps the
    nearest, and a title outside the view beats one inside it: a text inside a plan
    that reads like a title is a note (`参D型吸水坑详图（余同）`), not its name.
    """
    best: dict[int, tuple[tuple[int, float], int]] = {}
    for i in titles:
        found = _nearest_view(box_arr, *text_xy[i])
        if found is None:
            continue
        k, dist, score = found
        key = (1 if dist == 0.0 else 0, score)
        if k not in best or key < best[k][0]:
            best[k] = (key, i)
    return {k: i for k, (_, i) in best.items()}
