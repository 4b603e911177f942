"""presence: the centre has at least one room of a function.

Parameters: `function`.

PASS  男卫 and 女卫 on floor 1 for public_toilet.present.
FAIL  no room labelled 无障碍卫生间 (or 无障碍厕所, 第三卫生间 ...).
      A label with no room around it does not count: the report says so, since
      the room then cannot be measured.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Plan
from .common import Context, finding, need_function, room_ref, rooms_of

KIND = "presence"


def validate(spec, standard, where: str) -> None:
    need_function(spec, standard, where)


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    function = ctx.standard.function(spec.params["function"])
    rooms = rooms_of(plan, function.id)
    if rooms:
        en = f"{function.en}: " + ", ".join(room_ref(r, "en") for r in rooms)
        zh = f"{function.zh}：" + "、".join(room_ref(r, "zh") for r in rooms)
        yield finding(spec, "pass", en, zh, rooms=[r.id for r in rooms])
        return
    names = "、".join(function.names)
    en = f"missing: no room is labelled as a {function.en} ({names})"
    zh = f"缺少{function.zh}：图中没有名为{names}的房间"
    stray = [lb for lb in plan.orphan_labels if function.id in lb.functions]
    if stray:
        texts = "、".join(lb.text.replace("\n", " ") for lb in stray)
        en += f"; the label '{texts}' lies in no room outline"
        zh += f"；标注“{texts}”不在任何房间轮廓内"
    yield finding(spec, "fail", en, zh)
