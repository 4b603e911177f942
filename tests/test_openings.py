"""Door openings in wall lines are closed, so each room is its own face."""

from __future__ import annotations

import numpy as np
import pytest

from planchecker.extraction.walls import wall_faces

T = 0.2  # wall thickness


def rect_edges(x0, y0, x1, y1):
    return [((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))]


def cut_horizontal(segments, y_lo, y_hi, x0, x1):
    """Remove [x0, x1] from horizontal segments lying between y_lo and y_hi."""
    out = []
    for (ax, ay), (bx, by) in segments:
        if ay == by and y_lo - 1e-9 <= ay <= y_hi + 1e-9:
            lo, hi = sorted((ax, bx))
            if hi > x0 and lo < x1:
                if lo < x0:
                    out.append(((lo, ay), (x0, ay)))
                if hi > x1:
                    out.append(((x1, ay), (hi, ay)))
                continue
        out.append(((ax, ay), (bx, by)))
    return out


def two_rooms_and_corridor(jambs: bool):
    """Rooms A (0.2..4.2) and B (4.4..8.4) x (2.4..7.4) over a corridor (0.2..8.4) x (0.2..2.2);
    double walls 0.2 thick; each room has a 0.9 m door in the wall to the corridor."""
    segs = rect_edges(0, 0, 8.6, 7.6)  # outer face
    segs += rect_edges(0.2, 2.4, 4.2, 7.4) + rect_edges(4.4, 2.4, 8.4, 7.4)
    segs += rect_edges(0.2, 0.2, 8.4, 2.2)
    for x0 in (1.5, 6.0):
        segs = cut_horizontal(segs, 2.2, 2.4, x0, x0 + 0.9)
        if jambs:
            segs += [((x0, 2.2), (x0, 2.4)), ((x0 + 0.9, 2.2), (x0 + 0.9, 2.4))]
    return np.array(segs, dtype=float)


def areas(faces):
    return sorted(round(p.area, 4) for p in faces.rooms)


@pytest.mark.parametrize("jambs", [True, False], ids=["jambs", "no-jambs"])
def test_double_walls_with_door_gaps_give_separate_rooms(jambs):
    faces = wall_faces(two_rooms_and_corridor(jambs))
    assert areas(faces) == [16.4, 20.0, 20.0]  # corridor 8.2 x 2.0, rooms 4.0 x 5.0


def test_without_closing_the_rooms_leak_into_the_corridor():
    faces = wall_faces(two_rooms_and_corridor(jambs=True), close=False)
    assert areas(faces) == [56.76]  # both rooms, the corridor and the two openings


def test_single_centre_lines_with_gaps():
    segs = rect_edges(0, 0, 10, 6) + [
        ((5, 0), (5, 2)),
        ((5, 3), (5, 6)),
    ]  # 1 m gap in the partition
    faces = wall_faces(np.array(segs, dtype=float))
    assert areas(faces) == [30.0, 30.0]
    assert faces.single_line


def test_door_beside_a_corner_is_closed_by_running_the_wall_on():
    # partition from the top wall down to 1.0 m above the bottom wall: a 1.0 m opening at the corner
    segs = rect_edges(0, 0, 10, 6) + [((6, 6), (6, 1))]
    faces = wall_faces(np.array(segs, dtype=float))
    assert areas(faces) == [24.0, 36.0]


def test_wide_gap_is_not_a_door():
    segs = rect_edges(0, 0, 10, 6) + [((5, 6), (5, 4.5))]  # 4.5 m gap: an open plan
    faces = wall_faces(np.array(segs, dtype=float))
    assert areas(faces) == [60.0]


def test_free_ends_of_a_thin_double_line_join_face_to_face():
    """Two faces 30 mm apart (a glazed wall) stop 0.8 m before they go on: each face
    joins its own continuation, never the other face's (an X of diagonals)."""
    from planchecker.extraction.openings import close_openings

    segments = np.array(
        [
            [(0, 0), (1, 0)],
            [(0, 0.03), (1, 0.03)],
            [(1.8, 0), (3, 0)],
            [(1.8, 0.03), (3, 0.03)],
        ],
        dtype=float,
    )
    links = close_openings(segments)
    joined = {tuple(np.round(np.sort(link, axis=0).ravel(), 3)) for link in links}
    assert joined == {(1.0, 0.0, 1.8, 0.0), (1.0, 0.03, 1.8, 0.03)}


def test_dense_tangle_of_free_ends_joins_only_ends_in_line():
    """400 short bars in a 2 m square: every free end is within a door's reach of every
    other, but only those in line with it are candidates."""
    from planchecker.extraction.openings import close_openings

    bars = [[(x * 0.1, y * 0.1), (x * 0.1 + 0.05, y * 0.1)] for x in range(20) for y in range(20)]
    links = close_openings(np.array(bars, dtype=float))
    assert len(links) == 19 * 20  # each row's bars join end to end, row by row
    assert np.allclose(links[:, 0, 1], links[:, 1, 1])  # all horizontal
    gaps = np.hypot(*(links[:, 1] - links[:, 0]).T)
    assert np.allclose(gaps, 0.05)
