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
    mid_tree = shapely.STRtree(shapely.points(mids))
    links, taken = [], set()
    for a in range(len(jambs)):
        if a in taken:
            continue
        best, best_gap = None, np.inf
        for b in mid_tree.query(
            shapely.points(mids[a]), predicate="dwithin", distance=doors.reach + 0.5
        ):
            if b == a or b in taken or float(into[a] @ into[b]) > -PARALLEL:
                continue
            offset = mids[b] - mids[a]
            gap = float(offset @ into[a])
            lateral = abs(float(offset @ np.array([-into[a][1], into[a][0]])))
            fits = MIN_GAP <= gap < best_gap and lateral < max(half[a], 0.05)
            if fits and doors.allow(mids[a], mids[b], gap):
                best, best_gap = b, gap
        if best is None:
            continue
        taken.update((a, best))
        links.extend(_face_to_face(segments[index[a]], segments[index[best]]))
    for a in sorted(set(range(len(jambs))) - taken):
        # a capped wall end with no jamb facing it: a door between it and a wall ahead.
        # Only the end of a real wall run, not an edge of a column or pier square.
        if face[a] < max(CAPPED_WALL_RUN, 3 * 2 * half[a]):
            continue
        for point in segments[index[a]]:
            link = _run_to_wall(point, into[a], segments, tree, skip=int(index[a]))
            if link is not None:
                links.append(link)
    return np.array(links).reshape(-1, 2, 2)


def _face_to_face(jamb_a: np.ndarray, jamb_b: np.ndarray) -> list:
    """Join each end of one jamb to the nearer end of the other (the same wall face)."""
    links = []
    for point in jamb_a:
        distances = np.hypot(*(jamb_b - point).T)
        links.append((point, jamb_b[int(distances.argmin())]))
    return links


# -------------------------------------------------------------------- free ends


def _join_free_ends(segments, degree, ends, used, doors: _Doors) -> np.ndarray:
    """Pairs of free ends in line, pointing at each other across a door's width."""
    free = np.flatnonzero(degree == 0)
    if len(free) < 2:
        return np.zeros((0, 2, 2))
    out = _outward(segments)
    tree = shapely.STRtree(shapely.points(ends[free]))
    links = []
    for a in free:
        if used[a]:
            continue
        best, best_gap = None, np.inf
        hits = tree.query(shapely.points(ends[a]), predicate="dwithin", distance=doors.reach)
        for b_pos in hits:
            b = free[b_pos]
            if b == a or used[b] or b // 2 == a // 2:
                continue
            if float(out[a] @ out[b]) > -PARALLEL:
                continue
            offset = ends[b] - ends[a]
            gap = float(offset @ out[a])
            lateral = abs(float(offset @ np.array([-out[a][1], out[a][0]])))
            fits = TOUCH < gap < best_gap and lateral < 0.05
            if fits and doors.allow(ends[a], ends[b], gap):
                best, best_gap = b, gap
        if best is not None:
            used[a] = used[best] = True
            links.append((ends[a], ends[best]))
    return np.array(links).reshape(-1, 2, 2)


def _extend_free_ends(segments, degree, ends, used, tree) -> np.ndarray:
    """A free end with no partner runs on to the first wall within MAX_GAP."""
    out = _outward(segments)
    links = []
    for a in np.flatnonzero((degree == 0) & ~used):
        link = _run_to_wall(ends[a], out[a], segments, tree, skip=a // 2)
        if link is not None:
            links.append(link)
    return np.array(links).reshape(-1, 2, 2)


def _run_to_wall(start, direction, segments, tree, skip: int):
    """The line from `start` along `direction` to the first wall within MAX_GAP
    (a little past it, so that the two cross), or None."""
    ray = shapely.linestrings([start + direction * TOUCH * 2, start + direction * MAX_GAP])
    best, best_gap = None, np.inf
    for j in tree.query(ray, predicate="intersects"):
        if j == skip:
            continue
        crossing = shapely.intersection(ray, shapely.linestrings(segments[j]))
        if crossing.is_empty:
            continue
        coords = shapely.get_coordinates(crossing)
        gaps = (coords - start) @ direction
        k = int(gaps.argmin())
        if TOUCH < gaps[k] < best_gap:
            best, best_gap = coords[k], float(gaps[k])
    if best is None:
        return None
    return (start, best + direction * OVERSHOOT)
