"""How many metres one drawing unit is, and on what evidence.

The header's ``$INSUNITS`` is used when it names a length unit; it is often 0
(unitless), so then the scale is inferred from what is drawn.  Three scales are
realistic for a building plan: millimetres (Chinese and most European
practice), centimetres, metres.  Two kinds of evidence decide between them:

- declared area labels ("25.36㎡") inside a closed outline: the ratio of the
  printed area to the outline's area in units² *is* the scale squared;
- sizes: a building sheet is some 5–200 m across and a room 1.5–40 m.

Area labels win when present; sizes otherwise.  The note says what was assumed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import shapely

from planchecker.model import Units
from planchecker.reading.primitives import Packed

OPTION_FACTORS = {"mm": 0.001, "cm": 0.01, "m": 1.0}
CANDIDATES: tuple[tuple[float, str], ...] = (
    (0.001, "millimetres"),
    (0.01, "centimetres"),
    (1.0, "metres"),
)
BUILDING_RANGE = (5.0, 200.0)  # metres across a plan sheet's linework
ROOM_RANGE = (1.5, 40.0)  # metres across a typical closed outline
# A header unit outside this range (angstroms, light years ...) is not a plan's.
SANE_HEADER = (1e-4, 10.0)
# A printed area and a drawn outline agree on a scale if their implied factor is
# within this ratio of it (declared net areas differ from drawn ones by ~10-30 %).
VOTE_TOLERANCE = 0.15
TYPICAL_WIDTH = 30.0  # metres; breaks ties when two units both look plausible
# The header is overridden only by evidence this strong (see check_header).
ABSURD_WIDTH = (0.2, 5000.0)
MIN_VOTES_AGAINST_HEADER = 3

_AREA_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:㎡|m²|m2|平方米|平米|sq\.?\s?m)", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """Scale-free measurements of the drawing, in drawing units."""

    width: float  # robust extent of the linework
    room: float  # typical size of a closed outline, 0 when there are none
    votes: dict[float, int]  # candidate factor -> area labels agreeing with it


def option_units(option: str, insunits: int) -> Units:
    """Units the user chose on the command line ("mm", "cm", "m")."""
    return Units(OPTION_FACTORS[option], "option", insunits)


def header_factor(insunits: int) -> float | None:
    """Metres per unit for a header ``$INSUNITS`` code, None for 0 and odd units."""
    from ezdxf.units import METER_FACTOR

    if not 0 < insunits < len(METER_FACTOR):
        return None
    per_metre = METER_FACTOR[insunits]
    if per_metre is None:
        return None
    factor = 1.0 / per_metre
    return factor if SANE_HEADER[0] <= factor <= SANE_HEADER[1] else None


def unit_name(insunits: int) -> str:
    """The English name of a ``$INSUNITS`` code ("millimeters", "unitless" ...)."""
    from ezdxf.units import unit_name as ezdxf_unit_name

    try:
        return ezdxf_unit_name(insunits)
    except Exception:
        return f"code {insunits}"


def header_units(insunits: int) -> Units | None:
    """Units from the header, or None when it has to be inferred."""
    factor = header_factor(insunits)
    return None if factor is None else Units(factor, "header", insunits)


def infer_units(packed: Packed, insunits: int) -> Units:
    """Pick millimetres, centimetres or metres from the drawing itself."""
    factor, why = choose(gather(packed))
    if insunits:
        lead = f"$INSUNITS {insunits} ({unit_name(insunits)}) is not a plan's unit"
    else:
        lead = "no $INSUNITS"
    return Units(factor, "inferred", insunits, f"{lead}; assumed {_name(factor)} {why}")


def check_header(packed: Packed, header: Units) -> Units:
    """The header's units, unless the drawing contradicts them beyond doubt.

    Overridden only when the plan would be absurd in the header's unit (under
    0.2 m or over 5 km across) and plausible in another, or when at least three
    area labels all agree on another unit.  A wrong override would corrupt a
    correct file, so the bar is high.
    """
    ev = gather(packed)
    factor, why = choose(ev)
    if factor == header.metres_per_unit:
        return header
    votes_against = ev.votes.get(factor, 0) >= MIN_VOTES_AGAINST_HEADER and not ev.votes.get(
        header.metres_per_unit
    )
    width = ev.width * header.metres_per_unit
    absurd = not ABSURD_WIDTH[0] <= width <= ABSURD_WIDTH[1] and _misfit(ev, factor) == 0
    if not (votes_against or absurd):
        return header
    code = header.insunits
    note = (
        f"$INSUNITS {code} ({unit_name(code)}) would make the plan {_metres(width)} wide; "
        f"assumed {_name(factor)} {why}"
    )
    return Units(factor, "inferred", code, note)


def gather(packed: Packed) -> Evidence:
    """Measure extent, typical outline size and area-label agreement."""
    return Evidence(_width(packed), _room_size(packed), _area_votes(packed))


def choose(ev: Evidence) -> tuple[float, str]:
    """The candidate factor and a phrase saying why."""
    if ev.votes:
        best = max(ev.votes.values())
        winners = [f for f, n in ev.votes.items() if n == best]
        if len(winners) == 1:
            return winners[0], f"because {best} area label(s) match the outlines they sit in"
    if ev.width <= 0:
        return 0.001, "(nothing to measure)"
    _, factor = min((_misfit(ev, f) + 0.01 * _off_centre(ev, f), f) for f, _ in CANDIDATES)
    return factor, f"from a {_metres(ev.width * factor)} wide plan"


def _name(factor: float) -> str:
    return dict(CANDIDATES)[factor]


def _misfit(ev: Evidence, factor: float) -> float:
    """How far (in decades) sizes at `factor` fall outside the plausible ranges.

    The width counts fully; outline sizes half, as they mix rooms with furniture.
    """
    misfit = _log_distance(ev.width * factor, BUILDING_RANGE)
    if ev.room > 0:
        misfit += 0.5 * _log_distance(ev.room * factor, ROOM_RANGE)
    return misfit


def _off_centre(ev: Evidence, factor: float) -> float:
    """Decades between the width at `factor` and a typical 30 m (breaks ties)."""
    width = ev.width * factor
    return abs(math.log10(width / TYPICAL_WIDTH)) if width > 0 else math.inf


def _log_distance(value: float, bounds: tuple[float, float]) -> float:
    """0 inside `bounds`, else decades outside them."""
    lo, hi = bounds
    if value <= 0:
        return math.inf
    if value < lo:
        return math.log10(lo / value)
    if value > hi:
        return math.log10(value / hi)
    return 0.0


def _metres(value: float) -> str:
    return f"{value:.0f} m" if value >= 10 else f"{value:.1f} m"


def _width(packed: Packed) -> float:
    """Extent of the linework, ignoring the 1 % most outlying points (stray entities)."""
    pts = [packed.segments.reshape(-1, 2)]
    if packed.outlines:
        bounds = shapely.bounds(np.array([o.polygon for o in packed.outlines], dtype=object))
        pts.append(bounds.reshape(-1, 2))
    xy = np.concatenate(pts)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 2:
        return 0.0
    q = (1.0, 99.0) if len(xy) >= 200 else (0.0, 100.0)
    lo, hi = np.percentile(xy, q, axis=0)
    return float(max(hi - lo))


def _room_size(packed: Packed) -> float:
    """95th-percentile size (sqrt of area) of closed polyline outlines.

    Not the median: furniture, columns and symbols are many and small, rooms
    fewer and larger (measured on real plans: the median is a chair).
    """
    areas = [o.polygon.area for o in packed.outlines if o.kind == "outline"]
    areas = [a for a in areas if a > 0]
    if len(areas) < 3:
        return 0.0
    return float(np.sqrt(np.percentile(areas, 95)))


def declared_area(text: str) -> float | None:
    """The number in an area label like "25.36㎡" or "2.43 m²", else None."""
    match = _AREA_TEXT.search(text)
    if match is None:
        return None
    value = float(match.group(1))
    return value if value > 0 else None


def _area_votes(packed: Packed) -> dict[float, int]:
    """For each candidate, how many area labels agree with the outline they sit in."""
    labels = [(t.x, t.y, a) for t in packed.texts if (a := declared_area(t.text)) is not None]
    outlines = [o.polygon for o in packed.outlines if o.polygon.area > 0]
    if not labels or not outlines:
        return {}
    polys = np.array(outlines, dtype=object)
    tree = shapely.STRtree(polys)
    points = shapely.points(np.array([(x, y) for x, y, _ in labels], dtype=float))
    label_idx, poly_idx = tree.query(points, predicate="within")
    areas = shapely.area(polys)
    smallest: dict[int, float] = {}
    for li, pi in zip(label_idx.tolist(), poly_idx.tolist(), strict=True):
        if li not in smallest or areas[pi] < smallest[li]:
            smallest[li] = float(areas[pi])
    votes: dict[float, int] = {}
    for li, raw in smallest.items():
        implied = math.sqrt(labels[li][2] / raw)
        for factor, _ in CANDIDATES:
            if abs(implied / factor - 1.0) <= VOTE_TOLERANCE:
                votes[factor] = votes.get(factor, 0) + 1
    return votes
