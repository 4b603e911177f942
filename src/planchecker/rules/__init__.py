"""Rule kinds: each module checks one kind of requirement against a Plan.

Modelled on yamllint: one short module per kind, whose docstring (with PASS and
FAIL examples) is also its documentation, a `validate(spec, standard, where)` that
checks the standard's parameters for that kind, and a `check(spec, plan, ctx)`
generator of findings.  The standard file decides which rules exist; the code here
only knows how to measure.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    building_declared_area,
    declared_area,
    declared_sum,
    floor_placement,
    gross_area,
    manual,
    min_area,
    plan_notice,
    presence,
    turning_space,
)

KINDS: dict[str, ModuleType] = {
    module.KIND: module
    for module in (
        gross_area,
        min_area,
        declared_sum,
        presence,
        floor_placement,
        turning_space,
        manual,
        declared_area,
        building_declared_area,
        plan_notice,
    )
}
