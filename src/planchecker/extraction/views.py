"""Splitting one drawing's modelspace into its views: the plans, sections and details on it.

A sheet often holds several plans side by side (一层平面图, 二层平面图), elevations,
details, a title block and a frame around it all.  Linework that touches or nearly
touches belongs to one view; the sheet frame, which touches nothing but encloses
everything, is recognised and left out first, or it would glue every view into one.
Each view then takes the title text nearest below it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import shapely

from ..model import Drawing
from ..outlines import CHUNK as OUTLINE_CHUNK
from ..outlines import EDGES, OutlineStore
from .layers import Role, layer_role
from .regions import label_regions

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
    by a stray line, and the view is split between them.  Each test is a function
    of the string alone, so it is asked once per distinct string (a big drawing
    repeats its texts).
    """
    title_memo: dict[str, bool] = {}
    titles = []
    for i, t in enumerate(drawing.texts):
        said = title_memo.get(t.text)
        if said is None:
            said = title_memo[t.text] = bool(is_title(t.text))
        if said:
            titles.append(i)
    title_xy = np.array([(drawing.texts[i].x, drawing.texts[i].y) for i in titles]).reshape(-1, 2)
    outline_keep, segment_keep, frames = _content_elements(drawing, title_xy)
    elements = _element_boxes(drawing, outline_keep, segment_keep)
    if elements is None:
        return []
    clusters = _cluster(elements)
    view_boxes = _substantial_boxes(elements, clusters)
    if not view_boxes:
        view_boxes = [tuple(float(v) for v in elements.extent)]
    chunk_boxes = clusters.chunk_boxes
    del elements, clusters, segment_keep
    view_boxes = _drop_nested(view_boxes)
    if names_floor is not None:
        floor_titles = [i for i in titles if names_floor(drawing.texts[i].text)]
        view_boxes = _split_shared(view_boxes, title_xy[[titles.index(i) for i in floor_titles]])
    view_boxes.sort(key=lambda b: (-round(b[3] / 5.0), b[0]))
    return _populate(drawing, view_boxes, titles, belongs_near, chunk_boxes, frames)


# ------------------------------------------------------------- segments in chunks

# A drawing's segments (millions in a big one) are gone through this many at a
# time: a chunk's temporaries stay in the processor's cache and their memory is
# reused, where whole-drawing temporaries each cost tens of megabytes, fresh pages
# from the system and a pass through main memory.
CHUNK = 1 << 15


def _chunks(n: int) -> Iterator[slice]:
    """Consecutive slices of CHUNK items covering range(n)."""
    for start in range(0, n, CHUNK):
        yield slice(start, min(start + CHUNK, n))


def _segment_rows(segments: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The segments' boxes as rows xmin, ymin, xmax, ymax of a (4, n) array.

    `np.minimum`/`np.maximum` of the two ends: the same values as a reduction over
    the ends' axis of the (n, 2, 2) array, without its slow strided loop.
    """
    rows = np.empty((4, len(segments)), dtype=np.float64) if out is None else out
    np.minimum(segments[:, 0, 0], segments[:, 1, 0], out=rows[0])
    np.minimum(segments[:, 0, 1], segments[:, 1, 1], out=rows[1])
    np.maximum(segments[:, 0, 0], segments[:, 1, 0], out=rows[2])
    np.maximum(segments[:, 0, 1], segments[:, 1, 1], out=rows[3])
    return rows


def _box_chunks(segments: np.ndarray) -> Iterator[tuple[slice, np.ndarray]]:
    """Each chunk's slice and its segments' boxes (`_segment_rows`), in a buffer
    that the next chunk reuses: use them before moving on."""
    buffer = np.empty((4, min(CHUNK, len(segments))), dtype=np.float64)
    for part in _chunks(len(segments)):
        yield part, _segment_rows(segments[part], buffer[:, : part.stop - part.start])


def _segment_extent(segments: np.ndarray, keep: np.ndarray, finite: bool = False) -> np.ndarray:
    """xmin, ymin, xmax, ymax of the boxes of the kept segments (inf, -inf for none).

    With `finite`, segments whose box is not finite are first dropped from `keep`
    (in place), in the same pass.
    """
    low = np.full(2, np.inf)
    high = np.full(2, -np.inf)
    for part, rows in _box_chunks(segments):
        where = keep[part]
        if finite:
            where &= np.isfinite(rows).all(axis=0)
        np.minimum(low, np.min(rows[:2], axis=1, where=where, initial=np.inf), out=low)
        np.maximum(high, np.max(rows[2:], axis=1, where=where, initial=-np.inf), out=high)
    return np.concatenate([low, high])


# ----------------------------------------------------------------- sheet frames


def _content_elements(
    drawing: Drawing, title_xy: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks of the outlines and segments that can belong to a view, and the
    indices of the sheet frames among the outlines.

    Left out: frame, annotation and furniture layers (a dimension chain or an axis
    grid would join views), closed outlines around a view title (a sheet frame:
    titles sit under their plans, never inside a building's outer wall), and the
    straight border lines of a frame drawn as separate LINEs.
    """
    roles = [layer_role(name) for name in drawing.layers]
    dropped = {Role.FRAME, Role.ANNOTATION, Role.TEXT}
    content = {name: role not in dropped for name, role in zip(drawing.layers, roles, strict=True)}
    store = drawing.outlines.store
    name_keep = np.array(
        [
            content[name] if name in content else layer_role(name) not in dropped
            for name in drawing.outlines.layer_names
        ],
        dtype=bool,
    )
    outline_keep = name_keep[store.layers] if len(store) else np.zeros(0, dtype=bool)
    frames = np.zeros(0, dtype=np.intp)
    if len(title_xy) and len(store):
        frames = _holding(store, shapely.points(title_xy))
        outline_keep[frames] = False
    seg_role_ok = np.array([r not in dropped for r in roles], dtype=bool)
    if len(drawing.segments):
        segment_keep = seg_role_ok[drawing.segment_layers]
    else:
        segment_keep = np.zeros(0, dtype=bool)
    if len(title_xy):
        segment_keep &= ~_frame_border_segments(drawing.segments, segment_keep, title_xy)
    return outline_keep, segment_keep, frames


def _holding(store: OutlineStore, points: np.ndarray) -> np.ndarray:
    """The outlines that hold one of `points` or more (shapely's "within"), sorted.

    Only those whose bounds hold a point are made into polygons: outlines are
    looked at a chunk of boxes at a time, never all as polygons at once.
    """
    bounds = store.bounds()
    found = []
    for lo in range(0, len(bounds), OUTLINE_CHUNK):
        part = bounds[lo : lo + OUTLINE_CHUNK]
        boxes = shapely.box(part[:, 0], part[:, 1], part[:, 2], part[:, 3])
        _, near = shapely.STRtree(boxes).query(points, predicate="intersects")
        near = lo + np.unique(near)
        if len(near):
            polys = store.polygons(near)
            _, hit = shapely.STRtree(polys).query(points, predicate="within")
            found.append(near[np.unique(hit)])
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.intp)


def _frame_border_segments(
    segments: np.ndarray, keep: np.ndarray, title_xy: np.ndarray
) -> np.ndarray:
    """Segments that form a rectangle around everything, with a view title inside it.

    A plan's own outer walls also lie on its bounding box, but never with the
    plan's title inside: titles sit under their plans.  Peeled up to three times
    (a frame has an outer thin and an inner thick border).  Each side is looked
    for among the long horizontal or vertical segments only, found chunk by chunk.
    """
    border = np.zeros(len(segments), dtype=bool)
    if not keep.any():
        return border
    live = keep.copy()
    for _ in range(3):
        if not live.any():
            break
        x0, y0, x1, y1 = _segment_extent(segments, live)
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
        # flat and wide (a bottom or top side), thin and tall (a left or right side)
        flat: list[np.ndarray] = []
        thin: list[np.ndarray] = []
        for part, (xmin, ymin, xmax, ymax) in _box_chunks(segments):
            dx, dy = xmax - xmin, ymax - ymin
            flat.append(np.flatnonzero((dy < tol) & (dx > 0.3 * width) & live[part]) + part.start)
            thin.append(np.flatnonzero((dx < tol) & (dy > 0.3 * height) & live[part]) + part.start)
        wide, tall = np.concatenate(flat), np.concatenate(thin)
        wide_rows, tall_rows = _segment_rows(segments[wide]), _segment_rows(segments[tall])
        sides = (
            wide[np.abs(wide_rows[1] - y0) < tol],
            wide[np.abs(wide_rows[3] - y1) < tol],
            tall[np.abs(tall_rows[0] - x0) < tol],
            tall[np.abs(tall_rows[2] - x1) < tol],
        )
        if not all(len(side) for side in sides):
            break
        for side in sides:
            border[side] = True
            live[side] = False
    return border


# ------------------------------------------------------------------- clustering


@dataclass(frozen=True, eq=False)
class _Elements:
    """What is clustered into views: the boxes of the kept outlines, and the kept
    segments, whose boxes are worked out chunk by chunk where they are needed
    rather than held (they would weigh as much as the linework)."""

    outline_rows: np.ndarray  # (4, m): xmin, ymin, xmax, ymax of each kept outline
    # (m,) elements each counts for: 1, and its edges when it stands for them
    # (`Outline.edges`), as when they were segments of their own
    outline_weights: np.ndarray
    segments: np.ndarray  # the drawing's (N, 2, 2) segments
    segment_keep: np.ndarray  # (N,) which segments take part
    extent: np.ndarray  # xmin, ymin, xmax, ymax of everything that takes part


def _element_boxes(
    drawing: Drawing, outline_keep: np.ndarray, segment_keep: np.ndarray
) -> _Elements | None:
    """The kept outlines and segments with finite boxes; None when there are none."""
    if outline_keep.any():
        store = drawing.outlines.store
        kept = np.flatnonzero(outline_keep)
        rows = np.ascontiguousarray(store.bounds(kept).T)
        # itself, and its edges when it stands for them
        weights = np.where(store.flags(EDGES)[kept], 1 + store.edge_counts(kept), 1)
        finite = np.isfinite(rows).all(axis=0)
        rows, weights = rows[:, finite], weights[finite]
    else:
        rows, weights = np.zeros((4, 0)), np.zeros(0, dtype=np.int64)
    keep = segment_keep.copy()
    if keep.any():
        segment_extent = _segment_extent(drawing.segments, keep, finite=True)
    if not rows.shape[1] and not keep.any():
        return None
    extents = [np.r_[rows[:2].min(axis=1), rows[2:].max(axis=1)]] if rows.shape[1] else []
    if keep.any():
        extents.append(segment_extent)
    extent = np.r_[
        np.min([e[:2] for e in extents], axis=0), np.max([e[2:] for e in extents], axis=0)
    ]
    return _Elements(rows, weights, drawing.segments, keep, extent)


@dataclass(frozen=True, eq=False)
class _Clusters:
    """The cluster label of each box (1 and up; 0 for a segment that takes no part),
    the number of clusters, and the box around each chunk's segments (`_chunks`),
    which lets later passes settle a whole chunk without reading its segments."""

    outline_labels: np.ndarray
    segment_labels: np.ndarray
    count: int
    chunk_boxes: np.ndarray  # (chunks, 4): xmin, ymin, xmax, ymax; NaN when one is


def _cluster(elements: _Elements) -> _Clusters:
    """Connected components of boxes that come within about JOIN_GAP of each other.

    The boxes are painted on a grid of JOIN_GAP cells and the grid's connected
    regions labelled: linear in the number of boxes and cells, where pairwise box
    tests are quadratic in dense drawings.  The grid is coarsened when the drawing
    is huge.  A box covers the cell its lower left corner lies in; the few boxes
    that reach over more cells are painted with a 2-D difference array.

    Also notes the box around each chunk of segments, taking part or not.
    """
    x0, y0, x_top, y_top = elements.extent
    span = max(x_top - x0, y_top - y0, JOIN_GAP)
    cell = max(JOIN_GAP, span / MAX_GRID_CELLS)
    # floor() of a monotonic function: the largest box end gives the largest index
    shape = (int(np.floor((x_top - x0) / cell)) + 2, int(np.floor((y_top - y0) / cell)) + 2)
    n_cells = shape[0] * shape[1]
    spare = n_cells  # the cell of segments that take no part, dropped at the end
    hit = np.zeros(n_cells + 1, dtype=bool)
    corners: list[np.ndarray] = []

    def place(rows: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
        """Row-major index of each box's first cell (int32: the grid is small);
        marks it, and keeps the corners of boxes over more than one cell."""
        i0, i1 = _cell_index(rows[0], x0, cell, keep), _cell_index(rows[2], x0, cell, keep)
        j0, j1 = _cell_index(rows[1], y0, cell, keep), _cell_index(rows[3], y0, cell, keep)
        big = (i1 != i0) | (j1 != j0)
        if keep is not None:
            big &= keep
        i0 *= shape[1]
        start = i0 + j0
        if keep is not None:
            start[~keep] = spare
        hit[start] = True
        if big.any():
            i0, j0 = i0[big], j0[big]
            i1, j1 = (i1[big] + 1) * shape[1], j1[big] + 1
            corners.append(np.stack([i0 + j0, i1 + j0, i0 + j1, i1 + j1]))
        return start

    outline_start = place(elements.outline_rows, None)
    segment_start = np.empty(len(elements.segments), dtype=np.int32)
    chunk_boxes = np.empty((-(-len(elements.segments) // CHUNK), 4))
    for c, (part, rows) in enumerate(_box_chunks(elements.segments)):
        segment_start[part] = place(rows, elements.segment_keep[part])
        chunk_boxes[c] = rows[0].min(), rows[1].min(), rows[2].max(), rows[3].max()
    paint = np.zeros(n_cells + 1, dtype=np.int64)
    if corners:
        every = np.concatenate(corners, axis=1)
        paint += np.bincount(every[0], minlength=n_cells + 1)
        paint -= np.bincount(every[1], minlength=n_cells + 1)
        paint -= np.bincount(every[2], minlength=n_cells + 1)
        paint += np.bincount(every[3], minlength=n_cells + 1)
    covered = paint[:n_cells].reshape(shape).cumsum(axis=0).cumsum(axis=1) > 0
    covered |= hit[:n_cells].reshape(shape)
    regions, count = label_regions(covered)
    regions = np.append(regions.ravel(), 0)  # the spare cell: no region
    for part in _chunks(len(segment_start)):
        segment_start[part] = regions[segment_start[part]]
    return _Clusters(regions[outline_start], segment_start, count, chunk_boxes)


def _cell_index(
    values: np.ndarray, origin: float, cell: float, keep: np.ndarray | None
) -> np.ndarray:
    """floor((value - origin) / cell) as int32 (0 for boxes that take no part)."""
    index = np.subtract(values, origin)
    index /= cell
    np.floor(index, out=index)
    if keep is not None:
        index[~keep] = 0.0
    return index.astype(np.int32)


def _substantial_boxes(elements: _Elements, clusters: _Clusters) -> list[tuple]:
    """The box of each cluster big enough to be a view, in the order of the labels.

    Each cluster's box and size are gathered chunk by chunk, not by sorting millions
    of boxes: a chunk of one cluster (linework is drawn a view at a time) adds the
    box `_cluster` noted for it, without reading its segments again; a mixed chunk
    goes through `ufunc.at`.  Segments that take no part carry label 0, whose box
    is ignored.
    """
    count = clusters.count
    size = np.zeros(count + 1, dtype=np.int64)
    low = np.full((2, count + 1), np.inf)
    high = np.full((2, count + 1), -np.inf)

    def gather(label: np.ndarray, rows: np.ndarray, weights: np.ndarray | None = None) -> None:
        if weights is None:
            size[:] += np.bincount(label, minlength=count + 1)
        else:
            size[:] += np.bincount(label, weights, minlength=count + 1).astype(np.int64)
        np.minimum.at(low[0], label, rows[0])
        np.minimum.at(low[1], label, rows[1])
        np.maximum.at(high[0], label, rows[2])
        np.maximum.at(high[1], label, rows[3])

    gather(clusters.outline_labels, elements.outline_rows, elements.outline_weights)
    segments = elements.segments
    buffer = np.empty((4, min(CHUNK, len(segments))), dtype=np.float64)
    for c, part in enumerate(_chunks(len(segments))):
        label = clusters.segment_labels[part]
        k = label[0]
        if label[-1] == k and (label == k).all():
            size[k] += len(label)
            low[:, k] = np.minimum(low[:, k], clusters.chunk_boxes[c, :2])
            high[:, k] = np.maximum(high[:, k], clusters.chunk_boxes[c, 2:])
        else:
            gather(label, _segment_rows(segments[part], buffer[:, : len(label)]))
    result = []
    for k in range(1, count + 1):
        if size[k] == 0:
            continue
        box = (low[0, k], low[1, k], high[0, k], high[1, k])
        big = min(box[2] - box[0], box[3] - box[1]) >= MIN_VIEW_SIZE
        if big and size[k] >= MIN_VIEW_ELEMENTS:
            result.append(tuple(float(v) for v in box))
    return result


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


def _populate(
    drawing: Drawing,
    boxes: list[tuple],
    titles: list[int],
    belongs_near,
    chunk_boxes: np.ndarray | None = None,
    frames: np.ndarray | None = None,
) -> list[View]:
    """Each view's outlines, segments and texts, and its title.  A sheet frame
    (`_content_elements`) is in no view: it would pass for the building's outer
    wall of the plan it surrounds."""
    box_arr = np.array(boxes, dtype=float)
    outline_owner = _outline_owner(drawing, box_arr)
    if frames is not None and len(frames):
        outline_owner[frames] = -1
    segment_members = _segment_members(drawing.segments, box_arr, chunk_boxes)
    text_xy = np.array([(t.x, t.y) for t in drawing.texts], dtype=float).reshape(-1, 2)
    text_owner = (
        _owner(box_arr, text_xy[:, 0], text_xy[:, 1]) if len(text_xy) else np.zeros(0, dtype=int)
    )
    _attach_loose_texts(drawing, text_xy, text_owner, box_arr, belongs_near)
    title_of = _assign_titles(box_arr, titles, text_xy)
    views = []
    for k, box in enumerate(boxes):
        views.append(
            View(
                bbox=box,
                outlines=np.flatnonzero(outline_owner == k),
                segments=segment_members[k],
                texts=np.flatnonzero(text_owner == k),
                title=title_of.get(k),
            )
        )
    return views


def _outline_owner(drawing: Drawing, box_arr: np.ndarray) -> np.ndarray:
    """The view box (`_owner`) of a point on each outline's surface, -1 for none.

    An outline whose bounds lie well inside or outside each view box has the same
    owner wherever that point is; the point (a GEOS computation, 0.1 s for 50,000
    outlines) is found only for the others.  "Well": the point lies in the bounds
    up to rounding, a few units in the last place, far inside the margin.  An
    empty outline has no point: it is in no view.
    """
    store = drawing.outlines.store
    if not len(store):
        return np.zeros(0, dtype=int)
    bounds = store.bounds()
    empty = store.edge_counts() < 0  # no point on it: in no view
    scale = max(np.abs(box_arr).max(), np.abs(bounds[np.isfinite(bounds)]).max(initial=0.0))
    owner = _rect_owner(box_arr, bounds, 1e-9 * (1.0 + scale))
    owner[empty] = -1
    open_ = np.flatnonzero(owner == -2)
    for lo in range(0, len(open_), OUTLINE_CHUNK):
        part = open_[lo : lo + OUTLINE_CHUNK]
        pts = shapely.get_coordinates(shapely.point_on_surface(store.polygons(part)))
        owner[part] = _owner(box_arr, pts[:, 0], pts[:, 1])
    return owner


def _rect_owner(box_arr: np.ndarray, rects: np.ndarray, margin: float) -> np.ndarray:
    """The owner (`_owner`) that every point of each rectangle has, -1 for none, or
    -2 where it depends on where in the rectangle the point lies.

    `rects` are rows xmin, ymin, xmax, ymax.  A rectangle is settled when, grown by
    `margin`, it lies inside or wholly outside each grown view box; its owner is
    then the first box holding it in the order `_owner` tries them.  A rectangle
    with a NaN is never settled.
    """
    pad = JOIN_GAP
    areas = (box_arr[:, 2] - box_arr[:, 0]) * (box_arr[:, 3] - box_arr[:, 1])
    left, right = box_arr[:, 0] - pad, box_arr[:, 2] + pad
    bottom, top = box_arr[:, 1] - pad, box_arr[:, 3] + pad
    x0, y0 = rects[:, 0:1] - margin, rects[:, 1:2] - margin
    x1, y1 = rects[:, 2:3] + margin, rects[:, 3:4] + margin
    inside = (x0 >= left) & (x1 <= right) & (y0 >= bottom) & (y1 <= top)
    outside = (x1 < left) | (x0 > right) | (y1 < bottom) | (y0 > top)
    owner = np.full(len(rects), -1, dtype=np.intp)
    tried = [k for k in np.argsort(areas, kind="stable") if np.isfinite(areas[k])]
    for k in reversed(tried):  # the first box tried wins
        owner[inside[:, k]] = k
    not_a_number = np.isnan(areas)
    if not_a_number.any():
        owner[inside[:, not_a_number].any(axis=1)] = -1
    owner[~(inside | outside).all(axis=1)] = -2
    return owner


def _segment_members(
    segments: np.ndarray, box_arr: np.ndarray, chunk_boxes: np.ndarray | None = None
) -> list[np.ndarray]:
    """For each view box, the indices of the segments whose midpoint it owns (`_owner`),
    in ascending order.

    The midpoint is (start + end) / 2, the value mean(axis=1) gives.  Worked out
    chunk by chunk; a chunk lying wholly in one view (linework is mostly drawn a
    view at a time) is kept as its range, and each view's indices are written once
    into their final array: no array over all segments is made but the indices.
    With `chunk_boxes`, the box around each chunk's segments (`_Clusters`), a chunk
    whose box settles its owner (`_rect_owner`: a midpoint lies in its segment's
    box, exactly) is not read at all.
    """
    found: list[list[slice | np.ndarray]] = [[] for _ in range(len(box_arr))]
    settled = (
        _rect_owner(box_arr, chunk_boxes, 0.0)
        if chunk_boxes is not None
        else np.full(-(-len(segments) // CHUNK), -2)
    )
    mid = np.empty((2, min(CHUNK, len(segments))), dtype=np.float64)
    for c, part in enumerate(_chunks(len(segments))):
        if settled[c] >= 0:
            found[settled[c]].append(part)
        if settled[c] != -2:
            continue
        seg = segments[part]
        x, y = mid[0, : len(seg)], mid[1, : len(seg)]
        np.add(seg[:, 0, 0], seg[:, 1, 0], out=x)
        x /= 2
        np.add(seg[:, 0, 1], seg[:, 1, 1], out=y)
        y /= 2
        owner = _owner(box_arr, x, y)
        if owner[0] == owner[-1] and (owner == owner[0]).all():
            if owner[0] >= 0:
                found[owner[0]].append(part)
            continue
        for k in range(len(box_arr)):
            members = np.flatnonzero(owner == k)
            if len(members):
                members += part.start
                found[k].append(members)
    result = []
    for pieces in found:
        sizes = [p.stop - p.start if isinstance(p, slice) else len(p) for p in pieces]
        indices = np.empty(sum(sizes), dtype=np.intp)
        at = 0
        for piece, size in zip(pieces, sizes, strict=True):
            if isinstance(piece, slice):
                indices[at : at + size] = np.arange(piece.start, piece.stop)
            else:
                indices[at : at + size] = piece
            at += size
        result.append(indices)
    return result


def _owner(box_arr: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Index of the smallest view box (grown by JOIN_GAP) holding each point, -1 for none.

    Of boxes of equal area the first counts.  One pass over the points per box,
    smallest box first, each point taken by the first box that holds it: no
    (points x boxes) matrices, which for millions of segments weighed gigabytes.
    A box whose area is not a number makes the points it holds nobody's, and one
    of infinite area holds nothing, as the smallest finite area decides.
    """
    pad = JOIN_GAP
    areas = (box_arr[:, 2] - box_arr[:, 0]) * (box_arr[:, 3] - box_arr[:, 1])
    owner = np.full(len(x), -1, dtype=np.intp)
    free = np.ones(len(x), dtype=bool)
    inside = np.empty(len(x), dtype=bool)
    test = np.empty(len(x), dtype=bool)

    def hold(k: int) -> np.ndarray:
        """The points in box k, written into `inside` (reused: no allocation per box)."""
        np.greater_equal(x, box_arr[k, 0] - pad, out=inside)
        np.logical_and(inside, np.less_equal(x, box_arr[k, 2] + pad, out=test), out=inside)
        np.logical_and(inside, np.greater_equal(y, box_arr[k, 1] - pad, out=test), out=inside)
        np.logical_and(inside, np.less_equal(y, box_arr[k, 3] + pad, out=test), out=inside)
        return inside

    for k in np.argsort(areas, kind="stable"):
        if not np.isfinite(areas[k]):
            continue
        taken = hold(k)
        taken &= free
        owner[taken] = k
        free &= ~taken
    for k in np.flatnonzero(np.isnan(areas)):
        owner[hold(k)] = -1
    return owner


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
