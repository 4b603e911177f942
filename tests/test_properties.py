"""Property: a plan's review does not depend on where, at what angle or in which unit it is drawn.

A small plan (an outer wall line, five labelled rooms, one with a bulge arc, one
with a declared area) is drawn once in metres as drawn, and again moved by up to
1e6 m, turned by any angle and written in metres or millimetres.  Room areas agree
to 1e-6 relative, and so do the verdict and every finding's status.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxf_builders import Sheet, bulged_area, rect

_counter = itertools.count()

ARC_ROOM = rect(5.2, 0.2, 5.0, 4.4)
ARC_BULGES = [0, 0, 0.35, 0]  # the north edge bulges out


def draw(sheet: Sheet) -> Sheet:
    sheet.outline(rect(0, 0, 20, 10), "WALL")
    sheet.room(0.2, 0.2, 4.8, 4.4, None)
    sheet.text("调解室 21㎡", 2.6, 2.4)
    sheet.outline(ARC_ROOM, bulges=ARC_BULGES)
    sheet.text("警务室", 7.7, 2.4)
    sheet.room(10.4, 0.2, 4.0, 3.0, "档案室")
    sheet.room(14.6, 0.2, 4.0, 3.0, "财务室")
    sheet.room(10.4, 3.4, 2.0, 2.2, "无障碍卫生间")
    sheet.room(0.2, 5.0, 9.0, 4.8, "社区办公室")
    return sheet


def summary(review) -> tuple[dict[str, float], str, list[tuple[str, str]], float]:
    areas = {r.label: r.area for r in review.plan.rooms}
    assert len(areas) == len(review.plan.rooms)  # labels are unique in this plan
    statuses = [(f.rule, f.status) for f in review.findings]
    return areas, review.verdict, statuses, review.plan.gross_area


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("base") / "plan.dxf"
    return summary(draw(Sheet(units="m")).review(path))


def test_base_plan_is_what_was_drawn(base):
    areas, verdict, statuses, gross = base
    assert areas["调解室"] == pytest.approx(21.12, abs=0.005)
    assert areas["警务室"] == pytest.approx(bulged_area(ARC_ROOM, ARC_BULGES), rel=1e-3)
    assert gross == pytest.approx(200.0, abs=0.005)
    assert dict(statuses)["auxiliary.area"] == "pass"
    assert dict(statuses)["room.declared_area"] == "pass"
    assert verdict == "fail"  # a one-storey 200 m² centre misses most functions


@settings(max_examples=25, deadline=None)
@given(
    angle=st.floats(min_value=0.0, max_value=360.0),
    dx=st.floats(min_value=-1e6, max_value=1e6),
    dy=st.floats(min_value=-1e6, max_value=1e6),
    units=st.sampled_from(["m", "mm"]),
)
def test_review_invariant_under_move_turn_and_units(base, tmp_path_factory, angle, dx, dy, units):
    path = tmp_path_factory.getbasetemp() / f"moved-{next(_counter)}.dxf"
    areas, verdict, statuses, gross = summary(
        draw(Sheet(units=units, angle=angle, offset=(dx, dy))).review(path)
    )
    base_areas, base_verdict, base_statuses, base_gross = base
    assert areas.keys() == base_areas.keys()
    for label, area in base_areas.items():
        assert areas[label] == pytest.approx(area, rel=1e-6), label
    assert gross == pytest.approx(base_gross, rel=1e-6)
    assert verdict == base_verdict
    assert statuses == base_statuses


def draw_walls(sheet: Sheet) -> Sheet:
    """Rooms from double-line walls only (0.2 m thick, unbroken): 27.84 and 39.44 m²."""
    sheet.double_wall_box(0, 0, 12.2, 6.2, 0.2)
    sheet.line((5.0, 0.2), (5.0, 6.0))
    sheet.line((5.2, 0.2), (5.2, 6.0))
    sheet.text("调解室", 2.6, 3.1)
    sheet.text("社区办公室", 8.6, 3.1)
    return sheet


@pytest.fixture(scope="module")
def walls_base(tmp_path_factory):
    path = tmp_path_factory.mktemp("walls") / "plan.dxf"
    found = summary(draw_walls(Sheet(units="m")).review(path))
    assert found[0] == pytest.approx({"调解室": 27.84, "社区办公室": 39.44}, abs=0.005)
    assert found[3] == pytest.approx(75.64, abs=0.005)
    return found


@settings(max_examples=25, deadline=None)
@given(
    angle=st.floats(min_value=0.0, max_value=360.0),
    dx=st.floats(min_value=-1e6, max_value=1e6),
    dy=st.floats(min_value=-1e6, max_value=1e6),
    units=st.sampled_from(["m", "mm"]),
)
def test_wall_rooms_invariant_under_move_turn_and_units(
    walls_base, tmp_path_factory, angle, dx, dy, units
):
    path = tmp_path_factory.getbasetemp() / f"walls-{next(_counter)}.dxf"
    areas, verdict, statuses, gross = summary(
        draw_walls(Sheet(units=units, angle=angle, offset=(dx, dy))).review(path)
    )
    base_areas, base_verdict, base_statuses, base_gross = walls_base
    assert areas.keys() == base_areas.keys()
    for label, area in base_areas.items():
        assert areas[label] == pytest.approx(area, rel=1e-6), label
    assert gross == pytest.approx(base_gross, rel=1e-6)
    assert verdict == base_verdict
    assert statuses == base_statuses
