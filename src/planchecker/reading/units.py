"""How many metres one drawing unit is, and on what evidence.

The header's ``$INSUNITS`` is used when it names a length unit; it is often 0
(unitless), so then the scale is inferred from what is drawn.  Three scales are
realistic for a building plan: millimetres (Chinese and most European
practice), centimetres, metres.  The evidence, all measured in drawing units:

- declared area labels ("25.36㎡") inside a closed outline: the ratio of the
  printed area to the outline's area in units² *is* the scale squared;
- sizes, each with the range a building plan's has in metres: the plan's width
  (of its wall lines, else of all linework) 5–300 m, its larger rooms 1.5–40 m
  across (outlines that could be rooms only: no columns, furniture, symbols or
  solid fills), the height of its texts 0.1–1.2 m, the width of its doors
  0.5–3 m.

Area labels win when present; sizes otherwise: each unit scores the decades by
which the sizes fall outside their ranges, and the best score wins.  The note
says what was assumed.  The header is overridden only on strong evidence (see
`check_header`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely

from planchecker.model import Units
from planchecker.outlines import EDGES, SOLID
from planchecker.reading.primitives import Packed

OPTION_FACTORS = {"mm": 0.001, "cm": 0.01, "m": 1.0}
CANDIDATES: tuple[tuple[float, str], ...] = (
    (0.001, "millimetres"),
    (0.01, "centimetres"),
    (1.0, "metres"),
)
BUILDING_RANGE = (5.0, 300.0)  # metres across a plan's walls (or a sheet's linework)
ROOM_RANGE = (1.5, 40.0)  # metres across the larger of the outlines that may be rooms
TEXT_RANGE = (0.1, 1.2)  # metres: the median text height (room names are 0.2-1.0 m)
DOOR_RANGE = (0.5, 3.0)  # metres: the median width of the door blocks placed
# A header unit outside this range (angstroms, light years ...) is not a plan's.
SANE_HEADER = (1e-4, 10.0)
# A printed area and a drawn outline agree on a scale if their implied factor is
# within this ratio of it (declared net areas differ from drawn ones by ~10-30 %).
VOTE_TOLERANCE = 0.15
# Typical sizes in metres (a 30 m plan, 6 m rooms, 0.35 m text, 0.9 m doors): the
# unit whose sizes lie nearest them breaks a tie between units that both fit.
TYPICAL = {"width": 30.0, "room": 6.0, "text": 0.35, "door": 0.9}
# The header is overridden by sizes only when, in decades, they misfit the header's
# unit by OVERRIDE_MARGIN more than another unit that fits within FITS, and either
# the plan would be absurd (ABSURD_WIDTH) or two kinds of size misfit the header by
# more than MISFIT each (one odd kind, a 1 km site plan, is not enough).
OVERRIDE_MARGIN = 0.6
FITS = 0.15
MISFIT = 0.15
ABSURD_WIDTH = (0.2, 5000.0)
MIN_VOTES_AGAINST_HEADER = 3
MIN_WALL_SEGMENTS = 8  # fewer wall lines than this do not show the plan's extent
MIN_OUTLINES = 3
MIN_TEXTS = 3
MIN_DOORS = 2

_AREA_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:㎡|m²|m2|平方米|平米|sq\.?\s?m)", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """Scale-free measurements of the drawing, in drawing units (0: not measured)."""

    width: float  # robust extent of the wall lines, else of all linework
    room: float = 0.0  # size of the larger outlines that may be rooms
    text: float = 0.0  # median text height
    door: float = 0.0  # median width of the door blocks placed
    votes: dict[float, int] = field(default_factory=dict)  # factor -> agreeing area labels

    def sizes(self) -> list[tuple[str, float, tuple[float, float]]]:
        """(what, value, plausible range in metres) of each size that was measured."""
        found = [("width", self.width, BUILDING_RANGE)]
        found += [("room", self.room, ROOM_RANGE)] if self.room > 0 else []
        found += [("text", self.text, TEXT_RANGE)] if self.text > 0 else []
        found += [("door", self.door, DOOR_RANGE)] if self.door > 0 else []
        return found


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


def infer_units(packed: Packed, insunits: int, layers: Sequence[str] = ()) -> Units:
    """Pick millimetres, centimetres or metres from the drawing itself."""
    factor, why = choose(gather(packed, layers))
    if insunits:
        lead = f"$INSUNITS {insunits} ({unit_name(insunits)}) is not a plan's unit"
    else:
        lead = "no $INSUNITS"
    return Units(factor, "inferred", insunits, f"{lead}; assumed {_name(factor)} {why}")


def check_header(packed: Packed, header: Units, layers: Sequence[str] = ()) -> Units:
    """The header's units, unless the drawing contradicts them clearly.

    Overridden when at least three area labels all agree on another unit, or when
    the sizes make the building implausible in the header's unit by a clear margin
    (`OVERRIDE_MARGIN` decades more misfit than another unit, which fits) and on
    more than one count: absurdly wide, or two kinds of size (width, rooms, text,
    doors) out of range.  A wrong override would corrupt a correct file, so a
    small building in metres or a large site plan keeps its header.
    """
    ev = gather(packed, layers)
    factor, why = choose(ev)
    if factor == header.metres_per_unit:
        return header
    votes_against = ev.votes.get(factor, 0) >= MIN_VOTES_AGAINST_HEADER and not ev.votes.get(
        header.metres_per_unit
    )
    if not (votes_against or _implausible(ev, header.metres_per_unit, factor)):
        return header
    code = header.insunits
    note = (
        f"$INSUNITS {code} ({unit_name(code)}) would make {_described(ev, header.metres_per_unit)}"
        f"; assumed {_name(factor)} {why}"
    )
    return Units(factor, "inferred", code, note)


def _implausible(ev: Evidence, header: float, better: float) -> bool:
    """True when the sizes rule the header's unit out and fit `better` instead."""
    fit = _misfit(ev, better)
    if fit > FITS or _misfit(ev, header) < fit + OVERRIDE_MARGIN:
        return False
    width = ev.width * header
    absurd = not ABSURD_WIDTH[0] <= width <= ABSURD_WIDTH[1]
    counts = sum(_log_distance(v * header, bounds) > MISFIT for _, v, bounds in ev.sizes())
    return absurd or counts >= 2


def gather(packed: Packed, layers: Sequence[str] = ()) -> Evidence:
    """Measure extent, room, text and door sizes and area-label agreement.

    `layers` are the names of the layer ids in `packed`; without them every layer
    counts as unknown (no wall lines, every outline a possible room).
    """
    roles = _roles(layers)
    return Evidence(
        width=_width(packed, roles),
        room=_room_size(packed, roles),
        text=_median([t.height for t in packed.texts], MIN_TEXTS),
        door=_median(packed.doors, MIN_DOORS),
        votes=_area_votes(packed),
    )


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
    return factor, f"from {_described(ev, factor)}"


def _described(ev: Evidence, factor: float) -> str:
    """The sizes at `factor` in words: "a 20 m wide plan, rooms up to 9.3 m across ..."."""
    words = {
        "width": "a {} wide plan",
        "room": "rooms up to {} across",
        "text": "text {} high",
        "door": "doors {} wide",
    }
    return ", ".join(words[what].format(_metres(v * factor)) for what, v, _ in ev.sizes())


def _name(factor: float) -> str:
    return dict(CANDIDATES)[factor]


def _misfit(ev: Evidence, factor: float) -> float:
    """How far (in decades) the sizes at `factor` fall outside their plausible ranges."""
    return sum(_log_distance(value * factor, bounds) for _, value, bounds in ev.sizes())


def _off_centre(ev: Evidence, factor: float) -> float:
    """Decades between the sizes at `factor` and typical ones (breaks ties)."""
    return sum(abs(math.log10(v * factor / TYPICAL[what])) for what, v, _ in ev.sizes())


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
    if value >= 10:
        return f"{value:.0f} m"
    return f"{value:.1f} m" if value >= 1 else f"{value:.2g} m"


def _roles(layers: Sequence[str]) -> list[object]:
    """The role of each layer id (`planchecker.extraction.layers.Role`)."""
    from planchecker.extraction.layers import layer_role

    return [layer_role(name) for name in layers]


def _width(packed: Packed, roles: list[object]) -> float:
    """Extent of the wall lines, or of all linework when there are few of them."""
    from planchecker.extraction.layers import Role

    walls = [i for i, role in enumerate(roles) if role is Role.WALL]
    if walls:
        on_wall = np.isin(packed.segment_layers, walls)
        store = packed.outlines
        drawn = store.exterior_edges(
            np.flatnonzero(store.flags(EDGES) & np.isin(store.layers, walls))
        )
        if np.count_nonzero(on_wall) + len(drawn[0]) >= MIN_WALL_SEGMENTS:
            return _extent(np.concatenate([packed.segments[on_wall], drawn[0]]).reshape(-1, 2))
    pts = [packed.segments.reshape(-1, 2)]
    if packed.outline_edges:  # the edges the outlines stand for: each corner twice
        store = packed.outlines
        pts.append(store.exterior_edges(np.flatnonzero(store.flags(EDGES)))[0].reshape(-1, 2))
    if packed.outlines:
        pts.append(packed.outlines.bounds().reshape(-1, 2))
    return _extent(np.concatenate(pts))


def _extent(xy: np.ndarray) -> float:
    """Extent of points, ignoring the 1 % most outlying (stray entities)."""
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 2:
        return 0.0
    q = (1.0, 99.0) if len(xy) >= 200 else (0.0, 100.0)
    lo, hi = np.percentile(xy, q, axis=0)
    return float(max(hi - lo))


def _room_size(packed: Packed, roles: list[object]) -> float:
    """95th-percentile size (sqrt of area) of the outlines that may be rooms.

    Not columns, furniture, symbols, walls or solid fills (by layer, block name and
    fill): in a drawing of walls only, those are all the outlines there are, and
    400 mm columns would pass for rooms in centimetres.  Not the median: what is
    left still holds more small things than rooms (measured on real plans).
    """
    from planchecker.extraction.layers import Role, block_is_clutter

    room_roles = (Role.ROOM, Role.TEXT, Role.OTHER)
    store = packed.outlines
    if not store:
        return 0.0
    # each layer id's role may be a room's; the last entry for an id beyond the table
    lookup = np.array([r in room_roles for r in roles] + [Role.OTHER in room_roles], dtype=bool)
    ids = store.layers
    inside = (ids >= 0) & (ids < len(roles))
    ok = lookup[np.where(inside, ids, len(roles))]
    ok &= ~store.flags(SOLID)
    clutter = {b: block_is_clutter(b) for b in set(store.blocks)}
    ok &= ~np.array([clutter[b] for b in store.blocks], dtype=bool)
    chosen = np.flatnonzero(ok)
    if len(chosen) < MIN_OUTLINES:
        return 0.0
    areas = np.concatenate([shapely.area(polys) for _, polys in store.chunks(chosen)])
    areas = areas[areas > 0]
    if len(areas) < MIN_OUTLINES:
        return 0.0
    return float(np.sqrt(np.percentile(areas, 95)))


def _median(values: Sequence[float] | np.ndarray, at_least: int) -> float:
    """Median of the positive, finite `values`; 0 when fewer than `at_least`."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr) & (arr > 0)]
    return float(np.median(arr)) if len(arr) >= at_least else 0.0


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
    if not labels or not packed.outlines:
        return {}
    points = shapely.points(np.array([(x, y) for x, y, _ in labels], dtype=float))
    # only an outline whose bounds hold a label can hold it: the others' polygons
    # (most of them furniture) are not made at all
    boxed, _ = shapely.STRtree(points).query(shapely.box(*packed.outlines.bounds().T))
    smallest: dict[int, float] = {}
    for _, polys in packed.outlines.chunks(np.unique(boxed)):  # a chunk at a time
        areas = shapely.area(polys)
        polys = polys[areas > 0]
        areas = areas[areas > 0]
        if not len(polys):
            continue
        label_idx, poly_idx = shapely.STRtree(polys).query(points, predicate="within")
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
