"""floor_placement: a function's room is on a given floor (1 = ground floor).

Parameters: `function`, `level`.

PASS  便民服务大厅 on 一层平面图.
PASS  便民服务大厅 on a lone plan with no floor evidence, taken as the ground
      floor (plan.floor_assumed warns alongside).
FAIL  便民服务大厅 only on 二层平面图.
SKIP  no hall at all: its .area rule already fails.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Plan
from .common import Context, finding, level_name, need_function, room_ref, rooms_of

KIND = "floor_placement"


def validate(spec, standard, where: str) -> None:
    from ..errors import StandardFileError

    need_function(spec, standard, where)
    if not isinstance(spec.params.get("level"), int):
        raise StandardFileError(f"{where}: 'level' must be an integer (1 = ground floor)")


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    function = ctx.standard.function(spec.params["function"])
    level = int(spec.params["level"])
    rooms = rooms_of(plan, function.id)
    if not rooms:
        en = f"no {function.en}: see its area rule"
        zh = f"无{function.zh}，见其面积条款"
        yield finding(spec, "skip", en, zh)
        return
    placed = [r for r in rooms if r.level == level]
    assumed = {f.level for f in plan.floors if f.level_source == "assumed"}
    if placed:
        room = placed[0]
        en = f"{function.en} {room_ref(room, 'en')} is on {level_name(level, 'en')}"
        zh = f"{room_ref(room, 'zh')}位于{level_name(level, 'zh')}"
        if room.level in assumed:
            en += " (floor assumed: the drawing does not name it)"
            zh += "（楼层为推定：图中未注明）"
        yield finding(
            spec, "pass", en, zh, measured=level, required=level, unit="level", rooms=[room.id]
        )
        return
    where_en = ", ".join(f"{room_ref(r, 'en')} on {level_name(r.level, 'en')}" for r in rooms)
    where_zh = "、".join(f"{room_ref(r, 'zh')}位于{level_name(r.level, 'zh')}" for r in rooms)
    en = f"{function.en} is not on {level_name(level, 'en')}: {where_en}"
    zh = f"{function.zh}不在{level_name(level, 'zh')}：{where_zh}"
    yield finding(
        spec,
        "fail",
        en,
        zh,
        measured=rooms[0].level,
        required=level,
        unit="level",
        rooms=[r.id for r in rooms],
    )
