"""gross_area: the building's total floor area meets the minimum for its build type.

Every floor counts, basements included, each measured on the building's outer
outline: the outer wall line where one is drawn, else the outline of its rooms and
walls together.  A typical-floor plan counts once for every floor it stands for.

Parameters: `min_m2`, a table {build type: minimum}.

PASS  一层 540.00 + 二层 540.00 = 1080.00 m² ≥ 1000 m² (new build).
FAIL  one floor of 620.00 m² for a new build (≥ 1000 m²): short 380.00 m².
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import StandardFileError
from ..model import Finding, Plan
from .common import Context, finding, fmt, level_name, round_area

KIND = "gross_area"


def validate(spec, standard, where: str) -> None:
    table = spec.params.get("min_m2")
    if not isinstance(table, dict) or set(table) != set(standard.build_types):
        raise StandardFileError(f"{where}: 'min_m2' must give a minimum for each build type")
    if not all(isinstance(v, int | float) and v >= 0 for v in table.values()):
        raise StandardFileError(f"{where}: 'min_m2' values must be non-negative numbers")


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    minimum = float(spec.params["min_m2"][ctx.build_type])
    floors = sorted(plan.floors, key=lambda f: f.level)
    total = round_area(sum(f.gross_area for f in floors))
    kind_en = ctx.standard.build_type_name(ctx.build_type, "en")
    kind_zh = ctx.standard.build_type_name(ctx.build_type, "zh")
    parts_en = " + ".join(f"{level_name(f.level, 'en')} {fmt(f.gross_area)}" for f in floors)
    parts_zh = " + ".join(f"{level_name(f.level, 'zh')} {fmt(f.gross_area)}" for f in floors)
    ok = total >= minimum
    rel = "≥" if ok else "<"
    en = f"{parts_en} = {fmt(total)} m² {rel} {fmt(minimum)} m² ({kind_en})"
    zh = f"{parts_zh} = {fmt(total)}㎡ {rel} {fmt(minimum)}㎡（{kind_zh}）"
    if not ok:
        en += f", short {fmt(minimum - total)} m²"
        zh += f"，差{fmt(minimum - total)}㎡"
    yield finding(
        spec, "pass" if ok else "fail", en, zh, measured=total, required=minimum, unit="m2"
    )
