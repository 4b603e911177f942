"""What every rule kind shares: the judging context, rounding, and parameter checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import StandardFileError
from ..model import Finding, Plan, Room, Status

if TYPE_CHECKING:
    from ..standards import RuleSpec, Standard


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the plan: the standard and the user's choices."""

    standard: Standard
    build_type: str


def round_area(value: float) -> float:
    """Areas are compared after rounding to 0.01 m² (requirements: 'Rounding at thresholds').

    The tiny nudge keeps 19.999999999 (a 20 m² room after rotation) at 20.00.
    """
    return round(value + 1e-9, 2)


def round_length(value: float) -> float:
    """Lengths are compared after rounding to 1 mm."""
    return round(value + 1e-12, 3)


def fmt(value: float) -> str:
    return f"{value:.2f}"


def finding(
    spec: RuleSpec,
    status: Status,
    en: str,
    zh: str,
    *,
    measured: float | None = None,
    required: float | None = None,
    unit: str | None = None,
    rooms: tuple[str, ...] | list[str] = (),
) -> Finding:
    return Finding(
        rule=spec.id,
        status=status,
        message_en=en,
        message_zh=zh,
        measured=measured,
        required=required,
        unit=unit,
        rooms=tuple(rooms),
    )


def rooms_of(plan: Plan, function: str) -> list[Room]:
    """Rooms naming `function`, largest first (ties by id so output is stable)."""
    rooms = plan.rooms_with(function)
    return sorted(rooms, key=lambda r: (-round_area(r.area), r.id))


def room_ref(room: Room, lang: str) -> str:
    """How a report names one room: its label as drawn, id and floor."""
    label = room.label or ("（无名称）" if lang == "zh" else "(unlabelled)")
    if lang == "zh":
        return f"{label}（{room.id}）"
    return f"{label} ({room.id})"


def level_name(level: int, lang: str) -> str:
    if level == 0:
        return "总平面" if lang == "zh" else "site plan"
    if lang == "zh":
        return f"地下{-level}层" if level < 0 else f"{level}层"
    return f"basement {-level}" if level < 0 else f"floor {level}"


# ------------------------------------------------------------------ parameter checks


def need_function(spec: RuleSpec, standard: Standard, where: str) -> None:
    function = spec.params.get("function")
    if function not in standard.functions:
        raise StandardFileError(f"{where}: 'function' must name one of the [functions]")


def need_number(spec: RuleSpec, key: str, where: str) -> float:
    value: Any = spec.params.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise StandardFileError(f"{where}: '{key}' must be a non-negative number")
    return float(value)


def need_choice(spec: RuleSpec, key: str, choices: tuple[str, ...], where: str) -> str:
    value = spec.params.get(key, choices[0])
    if value not in choices:
        raise StandardFileError(f"{where}: '{key}' must be one of {', '.join(choices)}")
    return str(value)
