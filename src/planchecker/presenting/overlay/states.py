"""How each room is judged on the picture: its colour class, the rule lines that
fail it, and the warnings that hatch it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ...model import Finding, Review
from ...rules.common import round_area
from ..common import area, level_name


@dataclass(frozen=True)
class RoomState:
    """What the findings say about one room."""

    status: str  # "fail" > "pass" > "manual" > "other"
    notes: tuple[str, ...] = ()  # per failing finding: the rule and the shortfall
    rules: tuple[str, ...] = ()  # ids of the failing rules
    warnings: tuple[str, ...] = ()  # ids of the warning rules that name it


def room_states(review: Review, lang: str) -> dict[str, RoomState]:
    """Every room's colour class from the findings that name it.

    Failing rooms are those in a failing finding's `rooms`; passing rooms those a
    passing finding judged; `manual` rooms only a person can judge; every other room
    (no function, or a function no rule measured) is `other`.  A room a `warn`
    finding names is hatched whatever its colour.
    """
    notes: dict[str, list[str]] = defaultdict(list)
    failed_rules: dict[str, list[str]] = defaultdict(list)
    passed: set[str] = set()
    manual: set[str] = set()
    warned: dict[str, list[str]] = defaultdict(list)
    for f in review.findings:
        for rid in f.rooms:
            if f.status == "fail":
                note = failure_note(review, f, lang)
                if note not in notes[rid]:
                    notes[rid].append(note)
                failed_rules[rid].append(f.rule)
            elif f.status == "pass":
                passed.add(rid)
            elif f.status == "manual":
                manual.add(rid)
            elif f.status == "warn" and f.rule not in warned[rid]:
                warned[rid].append(f.rule)
    states = {}
    for room in review.plan.rooms:
        rid = room.id
        if rid in failed_rules:
            status = "fail"
        elif rid in passed:
            status = "pass"
        elif rid in manual:
            status = "manual"
        else:
            status = "other"
        states[rid] = RoomState(
            status=status,
            notes=tuple(notes.get(rid, ())),
            rules=tuple(failed_rules.get(rid, ())),
            warnings=tuple(warned.get(rid, ())),
        )
    return states


def _num(value: float) -> str:
    """A threshold as people write it: `20`, `4.5`, `1.50` stays `1.5`."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def failure_note(review: Review, f: Finding, lang: str) -> str:
    """The rule and the shortfall for a failing room: `≥20㎡，差4.00㎡`.

    Numbers come from the finding's measured and required values; the wording of the
    kind (a sum of rooms, a turning circle, a floor) from the standard's rule.
    """
    zh = lang == "zh"
    try:
        spec = review.standard.rule(f.rule)
        kind, params = spec.kind, spec.params
    except KeyError:
        kind, params = "", {}
    measured, required = f.measured, f.required
    if f.unit == "m2" and measured is not None and required is not None:
        short = max(0.0, round_area(float(required) - float(measured)))
        together = params.get("aggregate") == "sum"
        if zh:
            return f"{'合计' if together else ''}≥{_num(required)}㎡，差{short:.2f}㎡"
        return f"≥{_num(required)} m²{' in all' if together else ''}, short {short:.2f} m²"
    if f.unit == "m" and measured is not None and required is not None:
        if kind == "turning_space":
            if zh:
                return f"回转直径{measured:.2f}m＜{required:.2f}m"
            return f"turning circle {measured:.2f} m < {required:.2f} m"
        return f"{measured:.2f}m＜{required:.2f}m" if zh else f"{measured:.2f} m < {required:.2f} m"
    if f.unit == "level" and required is not None:
        where = level_name(int(required), lang)
        return f"应设在{where}" if zh else f"must be on {where}"
    return f.rule


def area_label(value: float, lang: str) -> str:
    shown = area(value)
    text = "-" if shown is None else f"{shown:.2f}"
    return f"{text}㎡" if lang == "zh" else f"{text} m²"

