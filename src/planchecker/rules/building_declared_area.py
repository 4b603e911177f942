"""building_declared_area (warning): stated building areas agree with the measured ones.

Texts such as `本层建筑面积：286.73m2` (a floor) and `总建筑面积：573.46m2` (the
building) are the drawing's own claims; they are compared with the gross areas the
checker measures, with the same tolerance as room areas.

Parameters: `rel_tol`, `abs_tol_m2`.

PASS  本层建筑面积：540.00m2 on a floor measured at 540.00 m².
WARN  总建筑面积：1200.00m2 while the floors measure 1080.00 m² in all.
SKIP  the drawing states no building area.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Plan
from .common import Context, finding, fmt, level_name, need_number
from .declared_area import disagree

KIND = "building_declared_area"


def validate(spec, standard, where: str) -> None:
    need_number(spec, "rel_tol", where)
    need_number(spec, "abs_tol_m2", where)


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    rel_tol, abs_tol = float(spec.params["rel_tol"]), float(spec.params["abs_tol_m2"])
    pairs = [
        (level_name(f.level, "en"), level_name(f.level, "zh"), f.declared_gross_area, f.gross_area)
        for f in sorted(plan.floors, key=lambda f: f.level)
        if f.declared_gross_area is not None
    ]
    if plan.declared_total_area is not None:
        pairs.append(("building", "总建筑面积", plan.declared_total_area, plan.gross_area))
    if not pairs:
        yield finding(spec, "skip", "no building area is stated", "图中未标注建筑面积")
        return
    bad = [p for p in pairs if disagree(p[2], p[3], rel_tol, abs_tol)]
    if not bad:
        en = "stated building areas agree: " + ", ".join(f"{p[0]} {fmt(p[2])} m²" for p in pairs)
        zh = "标注建筑面积相符：" + "、".join(f"{p[1]} {fmt(p[2])}㎡" for p in pairs)
        yield finding(spec, "pass", en, zh)
        return
    en = "; ".join(f"{p[0]} states {fmt(p[2])} m², measured {fmt(p[3])} m²" for p in bad)
    zh = "；".join(f"{p[1]}标注{fmt(p[2])}㎡，量得{fmt(p[3])}㎡" for p in bad)
    yield finding(spec, "warn", en, zh)
