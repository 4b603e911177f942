"""The judge stage: a Plan against a Standard gives every rule's finding."""

from __future__ import annotations

from .errors import PlancheckerError
from .model import Finding, Plan
from .rules import KINDS
from .rules.common import Context
from .standards import Standard


def judge(plan: Plan, standard: Standard, build_type: str) -> tuple[Finding, ...]:
    """One finding per rule of the standard, in the standard's order."""
    if build_type not in standard.build_types:
        known = ", ".join(standard.build_types)
        raise PlancheckerError(f"unknown build type '{build_type}': use one of {known}")
    ctx = Context(standard=standard, build_type=build_type)
    findings: list[Finding] = []
    for spec in standard.rules:
        findings.extend(KINDS[spec.kind].check(spec, plan, ctx))
    return tuple(findings)
