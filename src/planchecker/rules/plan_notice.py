"""plan_notice (warning): what reading and extraction had to assume or leave out.

The reader and extractor record notices (an outline with no name, a name in no
room, units guessed, a floor assumed, text re-decoded, entities dropped); this kind
turns the notices whose code is the rule's id into one finding.  Without any, the
finding passes, so every report shows that the check was made.

Parameters: none.

PASS  every room outline has a name.
WARN  plan.unlabelled_room: 3 room outlines carry no name (F1-R12, F1-R13, F2-R09).
WARN  plan.floor_assumed: a lone plan with no floor title, taken as the ground floor.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Plan
from .common import Context, finding

KIND = "plan_notice"


def validate(spec, standard, where: str) -> None:
    """No parameters to check."""


def check(spec, plan: Plan, ctx: Context) -> Iterator[Finding]:
    notices = [n for n in plan.notices if n.code == spec.id]
    if not notices:
        yield finding(spec, "pass", spec.en, spec.zh)
        return
    en = "; ".join(n.en for n in notices)
    zh = "；".join(n.zh for n in notices)
    rooms = [room for n in notices for room in n.rooms]
    yield finding(spec, "warn", en, zh, rooms=rooms)
