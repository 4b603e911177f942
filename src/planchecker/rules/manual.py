"""manual: a requirement no plan can show; listed so the reviewer ticks it by hand.

Always `manual`.  With `function` and `people`, the message gives what the plan does
tell: the area per person the largest such room would offer.

Parameters: optional `function`, `people`.

MANUAL  党员活动室 72.00 m² for 50 people: 1.44 m² per person.
MANUAL  阅览室: at least 2 networked computers (not shown in a plan).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import StandardFileError
from ..model import Finding, Plan
from .common import Context, finding, fmt, room_ref, rooms_of

KIND = "manual"


def validate(spec, standard, where: str) -> None:
    function = spec.params.get("function")
    if function is not None and function not in standard.functions:
        raise StandardFileError(f"{where}: 'function' must name one of the [functions]")
    people = spec.params.get("people")
    if people is not None and (not isinstance(people, int) or people <= 0):
        raise StandardFileError(f"{where}: 'people' must be a positive integer")


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    en, zh = f"check by hand: {spec.en}", f"请人工核查：{spec.zh}"
    function_id, people = spec.params.get("function"), spec.params.get("people")
    rooms = rooms_of(plan, function_id) if function_id else []
    measured = None
    if rooms and people:
        room = rooms[0]
        measured = round(room.area / people, 2)
        en += f"; {room_ref(room, 'en')} {fmt(room.area)} m² gives {fmt(measured)} m² per person"
        en += f" for {people}"
        zh += f"；{room_ref(room, 'zh')} {fmt(room.area)}㎡，按{people}人计人均{fmt(measured)}㎡"
    yield finding(
        spec,
        "manual",
        en,
        zh,
        measured=measured,
        unit="m2/person" if measured is not None else None,
        rooms=[r.id for r in rooms[:1]],
    )
