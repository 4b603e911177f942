"""min_area: a function's room is at least a minimum net area.

Parameters: `function`, `min_m2`, `aggregate` (`largest`: the largest room of the
function is judged and the others listed; `sum`: every room of the function counts
once, a multi-function room included), `absent` (what a missing function gives:
`fail`, `manual` for things that may be provided off site, or `skip` when another
rule already fails for it).

PASS  调解室/社会工作室 53.20 m² for mediation.area (min 20): the room counts for
      every function it names and meets each minimum on its own.
PASS  档案室 11.20 m² + 财务室 10.50 m² = 21.70 m² for auxiliary.area (sum, min 20).
FAIL  调解室 16.00 m² for mediation.area: short 4.00 m².
FAIL  no room labelled 警务室 (or 社区警务室) anywhere in the drawing.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Plan
from .common import (
    Context,
    finding,
    fmt,
    need_choice,
    need_function,
    need_number,
    room_ref,
    rooms_of,
    round_area,
)

KIND = "min_area"


def validate(spec, standard, where: str) -> None:
    need_function(spec, standard, where)
    need_number(spec, "min_m2", where)
    need_choice(spec, "aggregate", ("largest", "sum"), where)
    need_choice(spec, "absent", ("fail", "manual", "skip"), where)


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    function = ctx.standard.function(spec.params["function"])
    minimum = float(spec.params["min_m2"])
    rooms = rooms_of(plan, function.id)
    if not rooms:
        yield _absent(spec, function, minimum)
        return
    if spec.params.get("aggregate", "largest") == "sum":
        measured = round_area(sum(r.area for r in rooms))
        parts_en = " + ".join(f"{room_ref(r, 'en')} {fmt(r.area)}" for r in rooms)
        parts_zh = " + ".join(f"{room_ref(r, 'zh')} {fmt(r.area)}" for r in rooms)
        subject_en = f"{function.en} in all: {parts_en}"
        subject_zh = f"{function.zh}合计：{parts_zh}"
    else:
        measured = round_area(rooms[0].area)
        subject_en = f"{function.en} {room_ref(rooms[0], 'en')}"
        subject_zh = room_ref(rooms[0], "zh")
        if function.zh not in rooms[0].label:
            subject_zh = f"{function.zh} {subject_zh}"
        if len(rooms) > 1:
            others_en = ", ".join(room_ref(r, "en") for r in rooms[1:])
            others_zh = "、".join(room_ref(r, "zh") for r in rooms[1:])
            subject_en += f" (largest of {len(rooms)}; also {others_en})"
            subject_zh += f"（{len(rooms)}间中最大；另有{others_zh}）"
    ok = measured >= minimum
    if ok:
        en = f"{subject_en}: {fmt(measured)} m² ≥ {fmt(minimum)} m²"
        zh = f"{subject_zh}：{fmt(measured)}㎡ ≥ {fmt(minimum)}㎡"
    else:
        short = fmt(minimum - measured)
        en = f"{subject_en}: {fmt(measured)} m² < {fmt(minimum)} m², short {short} m²"
        zh = f"{subject_zh}：{fmt(measured)}㎡ < {fmt(minimum)}㎡，差{short}㎡"
    yield finding(
        spec,
        "pass" if ok else "fail",
        en,
        zh,
        measured=measured,
        required=minimum,
        unit="m2",
        rooms=[r.id for r in rooms],
    )


def _absent(spec, function, minimum: float) -> Finding:
    absent = spec.params.get("absent", "fail")
    names = "、".join(function.names)
    if absent == "manual":
        en = f"no {function.en} drawn; check by hand (may be provided or shared off site)"
        zh = f"图中未绘制{function.zh}，请人工核查（可共驻共建、资源共享）"
    elif absent == "skip":
        en = f"no {function.en}: not applicable"
        zh = f"无{function.zh}，不适用"
    else:
        en = f"missing: no room is labelled as a {function.en} ({names})"
        zh = f"缺少{function.zh}：图中没有名为{names}的房间"
    return finding(spec, absent, en, zh, required=minimum, unit="m2")
