"""declared_area (warning): areas written in the drawing agree with the geometry.

A room's stated area (`25.36㎡` in or beside its name) is compared with the area
measured from its outline; they disagree when they differ by more than `rel_tol`
of the measured area or `abs_tol_m2`, whichever is larger.  The notice insists that
data be true (§5 (3)), and a mismatch usually means a label sits in the wrong room
or the drawing was edited after the areas were written.

Parameters: `rel_tol`, `abs_tol_m2`.

PASS  调解室 states 25.36㎡, measured 25.36 m².
WARN  调解室 states 30.00㎡, measured 25.36 m² (differs by 4.64 m²).
SKIP  no room states its area.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Plan
from .common import Context, finding, fmt, need_number, room_ref

KIND = "declared_area"


def validate(spec, standard, where: str) -> None:
    need_number(spec, "rel_tol", where)
    need_number(spec, "abs_tol_m2", where)


def disagree(declared: float, measured: float, rel_tol: float, abs_tol: float) -> bool:
    return abs(declared - measured) > max(rel_tol * measured, abs_tol) + 1e-9


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    rel_tol, abs_tol = float(spec.params["rel_tol"]), float(spec.params["abs_tol_m2"])
    stated = [r for r in plan.rooms if r.declared_area is not None]
    if not stated:
        yield finding(spec, "skip", "no room states its area", "图中未标注房间面积")
        return
    bad = [r for r in stated if disagree(r.declared_area, r.area, rel_tol, abs_tol)]
    if not bad:
        en = f"all {len(stated)} stated room areas agree with the measured areas"
        zh = f"{len(stated)}个标注面积均与量得面积相符"
        yield finding(spec, "pass", en, zh)
        return
    en = "; ".join(
        f"{room_ref(r, 'en')} states {fmt(r.declared_area)} m², measured {fmt(r.area)} m²"
        for r in bad
    )
    zh = "；".join(
        f"{room_ref(r, 'zh')}标注{fmt(r.declared_area)}㎡，量得{fmt(r.area)}㎡" for r in bad
    )
    yield finding(spec, "warn", en, zh, rooms=[r.id for r in bad])
