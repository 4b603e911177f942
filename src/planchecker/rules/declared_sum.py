"""declared_sum: the areas declared in text for a function add up to a minimum.

For things a plan draws as a line, not a room: a notice board (居务公开栏) is a
stroke on the façade, so its size can only come from the text beside it
(`居务公开栏 4㎡`).  Declared areas of every label and room naming the function
are summed; with nothing declared a person has to check (`manual`).

Parameters: `function`, `min_m2`.

PASS    居务公开栏 4㎡ beside the entrance (4.00 m² ≥ 4 m²).
PASS    宣传栏 2.5㎡ and 公开栏 1.5㎡ at two places (4.00 m² in all).
FAIL    居务公开栏 2㎡: short 2.00 m².
MANUAL  居务公开栏 drawn with no area, or no board drawn at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Plan
from .common import Context, finding, fmt, need_function, need_number, round_area

KIND = "declared_sum"


def validate(spec, standard, where: str) -> None:
    need_function(spec, standard, where)
    need_number(spec, "min_m2", where)


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    function = ctx.standard.function(spec.params["function"])
    minimum = float(spec.params["min_m2"])
    declared = [
        (label.text, label.declared_area)
        for label in plan.orphan_labels
        if function.id in label.functions and label.declared_area is not None
    ]
    room_ids = []
    for room in plan.rooms_with(function.id):
        if room.declared_area is not None:
            declared.append((room.label, room.declared_area))
            room_ids.append(room.id)
    if not declared:
        en = f"no area is stated for a {function.en}; check by hand (at least {fmt(minimum)} m²)"
        zh = f"图中未标注{function.zh}面积，请人工核查（不少于{fmt(minimum)}㎡）"
        yield finding(spec, "manual", en, zh, required=minimum, unit="m2")
        return
    total = round_area(sum(area for _, area in declared))
    parts = " + ".join(f"{text.replace(chr(10), ' ')}" for text, _ in declared)
    ok = total >= minimum
    rel = "≥" if ok else "<"
    en = f"{function.en} as declared ({parts}): {fmt(total)} m² {rel} {fmt(minimum)} m²"
    zh = f"{function.zh}标注面积（{parts}）：{fmt(total)}㎡ {rel} {fmt(minimum)}㎡"
    if not ok:
        en += f", short {fmt(minimum - total)} m²"
        zh += f"，差{fmt(minimum - total)}㎡"
    yield finding(
        spec,
        "pass" if ok else "fail",
        en,
        zh,
        measured=total,
        required=minimum,
        unit="m2",
        rooms=room_ids,
    )
