"""Closing door openings in wall lines, so that each room is a face of its own.

Walls are drawn interrupted at every door (and at windows, which are then spanned
by window lines).  Left open, a room and the corridor it opens onto polygonise into
one face.  Two ways an opening shows in the lines:

- **jambs**: a short line across the wall thickness at each side of the opening,
  joining the wall's two faces.  Two jambs facing each other across 0.6–3 m, parallel
  and in line, are joined face to face.
- **free ends**: wall lines simply stop (single centre lines, or double lines drawn
  without jambs).  Two free ends in line, pointing at each other less than 3 m apart,
  are joined; a free end left over is extended along its line to the first wall it
  meets within 3 m (a door beside a corner, or a line drawn a little short).  So
  are the two faces of a capped wall end (a jamb) that no other jamb faces.

All searches go through an STRtree, so the cost grows with the number of lines, not
its square.
"""

from __future__ import annotations

import numpy as np
import shapely

# Door and opening widths (metres): a narrow door is 0.7 m, a wide hall opening 3 m.
MIN_GAP = 0.6
MAX_GAP = 3.0
# A wider opening (a double entrance door, 3.6 m) is closed only where a door block
# stands in it.
MAX_DOOR_GAP = 6.0
DOOR_REACH = 0.5
DOOR_SPAN = 0.6  # the door blocks cover at least this share of the opening
# A capped wall end runs on to the wall ahead only when its faces run this far
# back (metres), and three times its thickness: the edges of column squares look
# like jambs too.
CAPPED_WALL_RUN = 0.5
# A jamb spans one wall's thickness.
MIN_JAMB = 0.05
MAX_JAMB = 0.7
# A jamb's ends meet the wall faces within this (metres): drafting is not exact.
SNAP = 0.002
# An endpoint this close to another line touches it (metres); wall_faces nodes the
# lines on a grid this fine, which joins what floating-point rounding separated.
TOUCH = 1e-6
# A run to the next wall goes this far past it, so that the two lines cross and
# are noded however the rounding falls; the dangling tip is dropped by polygonize.
OVERSHOOT = 1e-5
# Two free ends are in line when one lies this close (metres) to the other's line.
LATERAL = 0.05
# Directions are parallel when their unit vectors' dot product is at least this.
PARALLEL = 0.995


class _Doors:
    """Where door blocks stand: evidence that a wide gap is a doorway."""

    def __init__(self, doors: np.ndarray | None) -> None:
        has = doors is not None and len(doors) > 0
        self.doors = doors
        self.tree = shapely.STRtree(shapely.linestrings(doors)) if has else None
        self.reach = MAX_DOOR_GAP if has else MAX_GAP

    def allow(self, p: np.ndarray, q: np.ndarray, gap: float) -> bool:
        """Whether a gap of this width between p and q may be closed."""
        if gap <= MAX_GAP:
            return True
        if self.tree is None or gap > MAX_DOOR_GAP:
            return False
        across = shapely.linestrings([p, q])
        hits = self.tree.query(across, predicate="dwithin", distance=DOOR_REACH)
        if not len(hits):
            return False
        # the doors must span the opening, not merely stand near it
        along = (q - p) / gap
        reach = (self.doors[hits].reshape(-1, 2) - p) @ along
        covered = min(reach.max(), gap) - max(reach.min(), 0.0)
        return covered >= DOOR_SPAN * gap


def close_openings(segments: np.ndarray, doors: np.ndarray | None = None) -> np.ndarray:
    """Extra (M, 2, 2) segments that close the door openings between `segments`;
    `doors` are the lines of door blocks (never walls themselves)."""
    if len(segments) < 2:
        return np.zeros((0, 2, 2))
    door_evidence = _Doors(doors)
    lines = shapely.linestrings(segments)
    tree = shapely.STRtree(lines)
    ends = segments.reshape(-1, 2)  # end k belongs to segment k // 2
    degree = _degree(tree, ends, TOUCH)
    jamb_links = _join_jambs(segments, _degree(tree, ends, SNAP), ends, tree, door_evidence)
    used = np.zeros(len(ends), dtype=bool)
    end_links = _join_free_ends(segments, degree, ends, used, door_evidence)
    ray_links = _extend_free_ends(segments, degree, ends, used, tree)
    parts = [p for p in (jamb_links, end_links, ray_links) if len(p)]
    return np.concatenate(parts) if parts else np.zeros((0, 2, 2))


def _degree(tree: shapely.STRtree, ends: np.ndarray, tolerance: float) -> np.ndarray:
    """How many other segments touch each endpoint (at their ends or along them)."""
    points = shapely.points(ends)
    point_idx, seg_idx = tree.query(points, predicate="dwithin", distance=tolerance)
    own = seg_idx == point_idx // 2
    return np.bincount(point_idx[~own], minlength=len(ends))


def _unit(vectors: np.ndarray) -> np.ndarray:
    lengths = np.hypot(vectors[..., 0], vectors[..., 1])
    return vectors / np.maximum(lengths, 1e-12)[..., None]


def _outward(segments: np.ndarray) -> np.ndarray:
    """For each endpoint, the unit direction pointing out of its segment (into a gap)."""
    start, end = segments[:, 0], segments[:, 1]
    out = np.empty((len(segments), 2, 2))
    out[:, 0] = _unit(start - end)
    out[:, 1] = _unit(end - start)
    return out.reshape(-1, 2)


# ------------------------------------------------------------------------ jambs


def _jambs(segments: np.ndarray, degree: np.ndarray, ends: np.ndarray, tree) -> list[tuple]:
    """Short segments whose two ends meet wall lines running the same way from them.

    Returns (segment index, direction into the opening, length of the shortest
    face line) for each jamb.
    """
    lengths = np.hypot(*(segments[:, 1] - segments[:, 0]).T)
    candidates = np.flatnonzero(
        (lengths >= MIN_JAMB) & (lengths <= MAX_JAMB) & (degree[0::2] >= 1) & (degree[1::2] >= 1)
    )
    found = []
    for i in candidates:
        along = _unit(segments[i, 1] - segments[i, 0])
        directions, faces = [], []
        for k in (0, 1):
            point = shapely.points(segments[i, k])
            for j in tree.query(point, predicate="dwithin", distance=SNAP):
                if j == i:
                    continue
                other = segments[j]
                near, far = (
                    (other[0], other[1])
                    if np.hypot(*(other[0] - segments[i, k]))
                    < np.hypot(*(other[1] - segments[i, k]))
                    else (other[1], other[0])
                )
                run = _unit(far - near)
                if abs(float(run @ along)) < 1 - PARALLEL + 0.05:
                    directions.append(run)
                    faces.append(float(np.hypot(*(far - near))))
        if len(directions) < 2:
            continue
        mean = _unit(np.mean(directions, axis=0))
        if all(float(d @ mean) > PARALLEL for d in directions):
            # the wall runs one way; the opening the other
            found.append((int(i), -mean, min(faces)))
    return found


def _join_jambs(segments, degree, ends, tree, doors: _Doors) -> np.ndarray:
    jambs = _jambs(segments, degree, ends, tree)
    if not jambs:
        return np.zeros((0, 2, 2))
    index = np.array([j for j, _, _ in jambs])
    into = np.array([d for _, d, _ in jambs])
    face = np.array([f for _, _, f in jambs])
    mids = segments[index].mean(axis=1)
    half = np.hypot(*(segments[index, 1] - segments[index, 0]).T) / 2
    links, taken = [], set()
    for a, b in _facing_jambs(mids, into, half, doors):
        taken.update((a, b))
        links.extend(_face_to_face(segments[index[a]], segments[index[b]]))
    # a capped wall end with no jamb facing it: a door between it and a wall ahead.
    # Only the end of a real wall run, not an edge of a column or pier square.
    capped = [
        a
        for a in range(len(jambs))
        if a not in taken and face[a] >= max(CAPPED_WALL_RUN, 3 * 2 * half[a])
    ]
    runs = _runs_to_walls(
        segments[index[capped]].reshape(-1, 2),
        np.repeat(into[capped], 2, axis=0).reshape(-1, 2),
        segments,
        tree,
        skip=np.repeat(index[capped], 2),
    )
    parts = [np.array(links).reshape(-1, 2, 2), runs]
    return np.concatenate(parts)


def _facing_jambs(mids, into, half, doors: _Doors):
    """Pairs (a, b) of jambs facing each other across an opening, in the order they
    are joined: for each jamb the nearest jamb it may join, straight across first.

    Jamb a looks only along its own opening: one bulk query of thin rays from the
    jamb midpoints, filtered with array arithmetic, gives the candidates."""
    reach = doors.reach + 0.5
    width = np.maximum(half, 0.05)
    rays = shapely.linestrings(np.stack([mids, mids + into * reach], axis=1))
    ray_pos, hit_pos = shapely.STRtree(shapely.points(mids)).query(
        rays, predicate="dwithin", distance=width
    )
    a, b = ray_pos, hit_pos
    keep = (a != b) & (np.einsum("ij,ij->i", into[a], into[b]) <= -PARALLEL)
    a, b = a[keep], b[keep]
    offset = mids[b] - mids[a]
    gap = np.einsum("ij,ij->i", offset, into[a])
    normal = np.stack([-into[a][:, 1], into[a][:, 0]], axis=1)
    lateral = np.abs(np.einsum("ij,ij->i", offset, normal))
    within = np.hypot(offset[:, 0], offset[:, 1]) <= reach
    keep = (gap >= MIN_GAP) & (lateral < width[a]) & within
    a, b, gap, lateral = a[keep], b[keep], gap[keep], lateral[keep]
    order = np.lexsort((b, lateral, gap, a))
    a, b, gap = a[order], b[order], gap[order]
    taken = np.zeros(len(mids), dtype=bool)
    starts = np.searchsorted(a, np.arange(len(mids)))
    stops = np.searchsorted(a, np.arange(len(mids)), side="right")
    for k in range(len(mids)):
        if taken[k]:
            continue
        for c in range(starts[k], stops[k]):
            other = int(b[c])
            if not taken[other] and doors.allow(mids[k], mids[other], float(gap[c])):
                taken[k] = taken[other] = True
                yield k, other
                break


def _face_to_face(jamb_a: np.ndarray, jamb_b: np.ndarray) -> list:
    """Join each end of one jamb to the nearer end of the other (the same wall face)."""
    links = []
    for point in jamb_a:
        distances = np.hypot(*(jamb_b - point).T)
        links.append((point, jamb_b[int(distances.argmin())]))
    return links


# -------------------------------------------------------------------- free ends


def _join_free_ends(segments, degree, ends, used, doors: _Doors) -> np.ndarray:
    """Pairs of free ends in line, pointing at each other across a door's width.

    Each free end looks only along its own line: the candidates come from one bulk
    query of thin rays against the free ends, filtered with array arithmetic, so a
    dense tangle of short lines (thousands of free ends within a door's reach of
    each other) costs the pairs that are really in line, not all pairs."""
    free = np.flatnonzero(degree == 0)
    if len(free) < 2:
        return np.zeros((0, 2, 2))
    out = _outward(segments)
    tree = shapely.STRtree(shapely.points(ends[free]))
    rays = shapely.linestrings(np.stack([ends[free], ends[free] + out[free] * doors.reach], axis=1))
    ray_pos, hit_pos = tree.query(rays, predicate="dwithin", distance=LATERAL)
    a, b = free[ray_pos], free[hit_pos]
    keep = (a != b) & (a // 2 != b // 2)
    a, b = a[keep], b[keep]
    keep = np.einsum("ij,ij->i", out[a], out[b]) <= -PARALLEL
    a, b = a[keep], b[keep]
    offset = ends[b] - ends[a]
    gap = np.einsum("ij,ij->i", offset, out[a])
    normal = np.stack([-out[a][:, 1], out[a][:, 0]], axis=1)
    lateral = np.abs(np.einsum("ij,ij->i", offset, normal))
    within = np.hypot(offset[:, 0], offset[:, 1]) <= doors.reach
    keep = (gap > TOUCH) & (lateral < LATERAL) & within
    a, b, gap, lateral = a[keep], b[keep], gap[keep], lateral[keep]
    # for each end, its candidates nearest first; of two as near, the one straight
    # across (the same wall face) before a diagonal to the other face
    order = np.lexsort((b, lateral, gap, a))
    a, b, gap = a[order], b[order], gap[order]
    starts = np.searchsorted(a, free)
    stops = np.searchsorted(a, free, side="right")
    links = []
    for k, end in enumerate(free):
        if used[end]:
            continue
        for c in range(starts[k], stops[k]):
            other = b[c]
            if not used[other] and doors.allow(ends[end], ends[other], float(gap[c])):
                used[end] = used[other] = True
                links.append((ends[end], ends[other]))
                break
    return np.array(links).reshape(-1, 2, 2)


def _extend_free_ends(segments, degree, ends, used, tree) -> np.ndarray:
    """A free end with no partner runs on to the first wall within MAX_GAP."""
    out = _outward(segments)
    free = np.flatnonzero((degree == 0) & ~used)
    return _runs_to_walls(ends[free], out[free], segments, tree, skip=free // 2)


def _runs_to_walls(starts, directions, segments, tree, skip: np.ndarray) -> np.ndarray:
    """For each start, the line along its direction to the first wall within MAX_GAP
    (a little past it, so that the two cross); starts that meet no wall give none.

    One bulk query finds the walls each ray crosses; where they cross is solved
    with array arithmetic, so thousands of free ends cost no Python loop."""
    if not len(starts):
        return np.zeros((0, 2, 2))
    first = starts + directions * TOUCH * 2
    length = MAX_GAP - TOUCH * 2
    rays = shapely.linestrings(np.stack([first, starts + directions * MAX_GAP], axis=1))
    ray_idx, seg_idx = tree.query(rays, predicate="intersects")
    keep = seg_idx != skip[ray_idx]
    ray_idx, seg_idx = ray_idx[keep], seg_idx[keep]
    if not len(ray_idx):
        return np.zeros((0, 2, 2))
    d = directions[ray_idx]
    p, e = segments[seg_idx, 0], segments[seg_idx, 1] - segments[seg_idx, 0]
    w = p - first[ray_idx]
    denom = d[:, 0] * e[:, 1] - d[:, 1] * e[:, 0]
    e_len = np.hypot(e[:, 0], e[:, 1])
    crossing = np.abs(denom) > 1e-12 * np.maximum(e_len, 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_cross = (w[:, 0] * e[:, 1] - w[:, 1] * e[:, 0]) / denom
    # a wall in line with the ray: it starts where its nearer end is (or at once)
    t_p = np.einsum("ij,ij->i", w, d)
    t_q = np.einsum("ij,ij->i", w + e, d)
    t_line = np.maximum(np.minimum(t_p, t_q), 0.0)
    t = np.clip(np.where(crossing, t_cross, t_line), 0.0, length)
    gap = TOUCH * 2 + t
    # the nearest wall of each ray
    order = np.lexsort((gap, ray_idx))
    ray_idx, gap = ray_idx[order], gap[order]
    nearest = np.r_[True, ray_idx[1:] != ray_idx[:-1]]
    ray_idx, gap = ray_idx[nearest], gap[nearest]
    start = starts[ray_idx]
    end = start + directions[ray_idx] * (gap + OVERSHOOT)[:, None]
    return np.stack([start, end], axis=1)
