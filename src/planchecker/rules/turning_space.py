"""turning_space: a wheelchair turning circle fits inside a room as drawn.

The largest circle inside the room's outline (shapely's maximum_inscribed_circle)
must have a diameter of at least `min_diameter_m`.  Fixtures are not drawn as
obstacles in a plan the checker can trust, so they are not subtracted: the
measured diameter is an upper bound, and the message says so.  When a centre has
several such rooms, the best one is judged (one usable toilet is what the code
asks for).

Parameters: `function`, `min_diameter_m`.

PASS  无障碍卫生间 2.00 m × 2.20 m: a 2.00 m circle fits.
FAIL  无障碍卫生间 1.40 m × 3.20 m (4.48 m², enough area): only a 1.40 m circle fits.
SKIP  no barrier-free toilet: accessible_toilet.present already fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import shapely

from ..model import Finding, Plan, Room
from .common import Context, finding, need_function, need_number, room_ref, rooms_of, round_length

KIND = "turning_space"

# Precision of the inscribed-circle search, in metres: far below the 1 mm rounding.
_TOLERANCE = 0.0002


def validate(spec, standard, where: str) -> None:
    need_function(spec, standard, where)
    need_number(spec, "min_diameter_m", where)


def inscribed_diameter(room: Room) -> float:
    """Diameter of the largest circle that fits in the room, in metres."""
    radius_line = shapely.maximum_inscribed_circle(room.polygon, tolerance=_TOLERANCE)
    return 2.0 * float(radius_line.length)


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    function = ctx.standard.function(spec.params["function"])
    minimum = float(spec.params["min_diameter_m"])
    rooms = rooms_of(plan, function.id)
    if not rooms:
        en = f"no {function.en}: not applicable"
        zh = f"无{function.zh}，不适用"
        yield finding(spec, "skip", en, zh, required=minimum, unit="m")
        return
    measured = {r.id: round_length(inscribed_diameter(r)) for r in rooms}
    best = max(rooms, key=lambda r: (measured[r.id], r.id))
    diameter = measured[best.id]
    ok = diameter >= minimum
    rel = "≥" if ok else "<"
    en = (
        f"{room_ref(best, 'en')}: the largest circle inside the outline is "
        f"{diameter:.3f} m {rel} {minimum:.2f} m (fixtures not subtracted: an upper bound)"
    )
    zh = (
        f"{room_ref(best, 'zh')}：轮廓内最大圆直径{diameter:.3f}m {rel} {minimum:.2f}m"
        "（未扣除洁具，为上限值）"
    )
    ids = [best.id] + [r.id for r in rooms if r.id != best.id]
    yield finding(
        spec,
        "pass" if ok else "fail",
        en,
        zh,
        measured=diameter,
        required=minimum,
        unit="m",
        rooms=ids,
    )
