"""PNG overlays (`review --png DIR`): one annotated picture per floor.

Each picture shows the floor in true proportions: the drawing's own linework in light
grey underneath, so that the reviewer recognises the drawing; every room outlined and
named with its measured area; the rooms a rule fails filled red with the rule and
the shortfall (`≥20㎡，差4.00㎡`), rooms a rule passes green, rooms only to be checked
by hand blue, other rooms grey, and rooms a warning names hatched orange.  A side
panel gives the verdict, the floor's name and gross area, the failing rooms, the
missing functions, the building-level rules (gross area, hall on the ground floor),
the warnings and the legend; under the plan, a scale bar in metres and a note on
orientation.

Labels are laid out before anything is drawn, with the font's own metrics
(`fonts.text_width`): a label sits at the room's pole of inaccessibility at the
largest size that fits inside the room (8, 7, then 6 pt, on one line or two); a label
that fits at none goes outside its room, on a white box with a leader line, at the
nearest place that overlaps no other label and as few rooms as possible, so that a
2 m² room still shows its name.

Everything here only reads the Review.  The output is deterministic: the same review
gives byte-identical PNGs (no time stamp, no software tag), whatever the user's own
matplotlib settings, which are never changed (every figure is drawn inside an
`rc_context` reset to matplotlib's defaults, every text set in the shipped font).

    >>> from planchecker.presenting.overlay import write_pngs
    >>> write_pngs(review, "out/", lang="zh", dpi=150)
    [PosixPath('out/plan-F1.png'), PosixPath('out/plan-F2.png')]
"""

from __future__ import annotations

import io
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry import Polygon

from ..atomic import atomic_write
from ..model import Finding, Floor, Review, Room
from ..rules.common import round_area
from . import fonts
from .common import area, level_name, status_word, verdict_word, word

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DEFAULT_DPI = 150

# ------------------------------------------------------------------------ colours

RED = "#d32f2f"
DARK_RED = "#b71c1c"
RED_FILL = "#ef5350"
GREEN = "#2e7d32"
GREEN_FILL = "#66bb6a"
BLUE_FILL = "#64b5f6"
GREY_FILL = "#bdbdbd"
ORANGE = "#ef6c00"
INK = "#212121"
MUTED = "#616161"
LINEWORK = "#b4b4b4"
OUTLINE = "#424242"

# status -> (fill colour, fill alpha); alpha keeps the drawing's linework visible.
FILLS = {
    "fail": (RED_FILL, 0.62),
    "pass": (GREEN_FILL, 0.45),
    "manual": (BLUE_FILL, 0.40),
    "other": (GREY_FILL, 0.45),
}

# ------------------------------------------------------------------------- layout
# Lengths in inches unless they say otherwise; font sizes in points.

LABEL_SIZES = (8.0, 7.0, 6.0)  # tried in turn for a label inside its room
LEADER_SIZE = 6.5  # a label placed outside its room
ROOM_PAD_IN = 0.03  # clearance between a label and its room's outline
PLAN_LONG_SIDE_IN = 10.0  # a small floor is drawn this long
MIN_SCALE_IN_PER_M = 0.15  # ... and a big one at least this large (1:170 at 100 %)
MAX_PLAN_IN = 24.0  # ... but never longer than this
PLAN_MARGIN_IN = 0.55  # around the building, room for labels put outside
PANEL_W_IN = 3.5
PAD_IN = 0.25
STRIP_IN = 0.5  # under the plan: scale bar and orientation note
PANEL_SIZE = 8.0
PANEL_ROOMS = 10  # failing rooms listed in the panel; the rest are counted


# ------------------------------------------------------------------ public results


@dataclass(frozen=True)
class PixelFrame:
    """How world metres map to the pixels of a rendered floor image.

    `to_pixels` turns (x, y) in metres (the drawing's own axes) into (column, row)
    pixel coordinates with row 0 at the top, as `matplotlib.image.imread` or PIL
    index the image.
    """

    x0: float  # world x at the plan area's left edge
    y0: float  # world y at the plan area's bottom edge
    px_per_m: float
    left: float  # plan area's left edge, pixels from the image's left
    bottom: float  # plan area's bottom edge, pixels from the image's bottom
    width: int  # image size in pixels
    height: int

    def to_pixels(self, xy) -> np.ndarray:
        pts = np.asarray(xy, dtype=float).reshape(-1, 2)
        col = self.left + (pts[:, 0] - self.x0) * self.px_per_m
        row = self.height - (self.bottom + (pts[:, 1] - self.y0) * self.px_per_m)
        return np.column_stack([col, row])

    def box_to_pixels(self, box: tuple[float, float, float, float]) -> tuple[float, ...]:
        """A world box (x0, y0, x1, y1) as a pixel box (col0, row0, col1, row1)."""
        (c0, r1), (c1, r0) = self.to_pixels([(box[0], box[1]), (box[2], box[3])])
        return (float(c0), float(r0), float(c1), float(r1))


@dataclass(frozen=True)
class RoomMark:
    """How one room was drawn: its colour class, warning hatch and label."""

    id: str
    status: str  # "fail", "pass", "manual" or "other"
    warned: bool
    lines: tuple[str, ...]
    size: float  # label font size in points
    box: tuple[float, float, float, float]  # label box in world metres (x0, y0, x1, y1)
    leader: bool  # the label sits outside the room, joined by a leader line


@dataclass(frozen=True)
class FloorOverlay:
    """A rendered floor: the PNG and what a test or a caller needs to read it back."""

    level: int
    tag: str  # "F1", "B1"
    filename: str
    png: bytes
    frame: PixelFrame
    rooms: tuple[RoomMark, ...]

    def label_boxes(self) -> list[tuple[float, float, float, float]]:
        """Every label's box in pixels (col0, row0, col1, row1)."""
        return [self.frame.box_to_pixels(m.box) for m in self.rooms]


# ----------------------------------------------------------------------- entry points


def floor_tag(level: int) -> str:
    """`F1` for the ground floor, `F2` above it, `B1` for the first basement, `S` site."""
    if level > 0:
        return f"F{level}"
    if level < 0:
        return f"B{-level}"
    return "S"


def file_stem(review: Review) -> str:
    """What the PNG names start with: the drawing's stem, or the centre's name when
    the centre has one file per floor."""
    files = review.plan.files
    stem = Path(files[0]).stem if len(files) == 1 else review.name
    return safe_name(stem) or "plan"


def safe_name(text: str) -> str:
    """`text` usable as a file name on every system (Chinese kept)."""
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", str(text)).strip(" .")
    return text[:120]


def png_names(review: Review) -> list[str]:
    """The file names `write_pngs` gives each floor, in floor order."""
    stem = file_stem(review)
    names: list[str] = []
    for fl in floors_in_order(review):
        name = f"{stem}-{floor_tag(fl.level)}.png"
        n = 2
        while name in names:  # two floors on the same level: keep both
            name = f"{stem}-{floor_tag(fl.level)}-{n}.png"
            n += 1
        names.append(name)
    return names


def floors_in_order(review: Review) -> list[Floor]:
    """Basements deepest first, then the ground floor and up; site plans last."""
    return sorted(review.plan.floors, key=lambda f: (f.level == 0, f.level))


def render_floors(review: Review, lang: str = "zh", dpi: int = DEFAULT_DPI) -> list[FloorOverlay]:
    """Every floor of the review as a rendered PNG, in floor order."""
    states = room_states(review, lang)
    names = png_names(review)
    return [
        render_floor(review, fl, lang=lang, dpi=dpi, states=states, filename=name)
        for fl, name in zip(floors_in_order(review), names, strict=True)
    ]


def write_pngs(
    review: Review, directory: str | os.PathLike, lang: str = "zh", dpi: int = DEFAULT_DPI
) -> list[Path]:
    """Write one PNG per floor into `directory` (created if missing); return the paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for image in render_floors(review, lang=lang, dpi=dpi):
        path = folder / image.filename
        atomic_write(path, image.png)
        written.append(path)
    return written


def render_floor(
    review: Review,
    floor: Floor,
    lang: str = "zh",
    dpi: int = DEFAULT_DPI,
    *,
    states: dict[str, RoomState] | None = None,
    filename: str | None = None,
) -> FloorOverlay:
    """One floor as a PNG (bytes) with its pixel frame and label boxes."""
    lang = "zh" if lang == "zh" else "en"
    if dpi < 20 or dpi > 1200:
        raise ValueError(f"dpi {dpi} is out of range (20 to 1200)")
    with drawing_context():
        sheet = compose(review, floor, lang, dpi=dpi, states=states)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(sheet.figure)
        buf = io.BytesIO()
        canvas.print_png(buf, metadata={"Software": None})
    return FloorOverlay(
        level=floor.level,
        tag=floor_tag(floor.level),
        filename=filename or f"{file_stem(review)}-{floor_tag(floor.level)}.png",
        png=buf.getvalue(),
        frame=sheet.frame,
        rooms=sheet.marks,
    )


@contextmanager
def drawing_context() -> Iterator[None]:
    """matplotlib's own defaults for the duration, whatever the user's matplotlibrc.

    The user's settings are restored on exit; the output does not depend on them.
    """
    import matplotlib as mpl

    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(
            {
                "pdf.fonttype": 3,  # the font is CFF-flavoured OpenType: embed as Type 3
                "pdf.compression": 6,
                "svg.hashsalt": "planchecker",
                "hatch.linewidth": 0.9,
                "axes.unicode_minus": False,
                "path.simplify": True,
            }
        )
        yield


# ------------------------------------------------------------------ room judgements


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


# --------------------------------------------------------------------- composition


@dataclass
class Sheet:
    figure: Figure
    frame: PixelFrame
    marks: tuple[RoomMark, ...]


@dataclass
class _Label:
    room: Room
    state: RoomState
    anchor: tuple[float, float]
    head: tuple[str, ...] = ()  # name and area lines
    notes: tuple[str, ...] = ()  # failing rule lines
    size: float = LABEL_SIZES[0]
    centre: tuple[float, float] = (0.0, 0.0)
    half: tuple[float, float] = (0.0, 0.0)  # half width, half height in metres
    leader: bool = False  # outside its room, joined by a leader line
    inside: bool = False  # fits inside its room
    placed: bool = False

    @property
    def box(self) -> tuple[float, float, float, float]:
        (cx, cy), (hw, hh) = self.centre, self.half
        return (cx - hw, cy - hh, cx + hw, cy + hh)


def plan_scale(width_m: float, height_m: float) -> float:
    """Inches per metre for a floor of this size in a PNG.

    A small floor is drawn 10 inches on its long side; a big one no smaller than
    0.15 in/m (so that a 100 m floor is 15 inches, 2250 pixels at 150 dpi), and no
    floor longer than 24 inches.
    """
    long_side = max(width_m, height_m, 1.0)
    scale = max(PLAN_LONG_SIDE_IN / long_side, MIN_SCALE_IN_PER_M)
    return min(scale, MAX_PLAN_IN / long_side)


def world_bounds(review: Review, floor: Floor, rooms: Sequence[Room]) -> tuple[float, ...]:
    """The box the plan shows: the floor outline and its rooms (linework may overhang)."""
    geoms = [floor.outline] + [r.polygon for r in rooms]
    boxes = np.array([g.bounds for g in geoms if g is not None and not g.is_empty], dtype=float)
    boxes = boxes[np.all(np.isfinite(boxes), axis=1)] if len(boxes) else boxes
    if not len(boxes):
        lines = review.plan.linework.get(floor.level)
        if lines is not None and len(lines):
            pts = np.asarray(lines, dtype=float).reshape(-1, 2)
            return (*pts.min(axis=0), *pts.max(axis=0))
        x0, y0, x1, y1 = floor.frame
        if x1 > x0 and y1 > y0:
            return (x0, y0, x1, y1)
        return (0.0, 0.0, 10.0, 10.0)
    return (
        float(boxes[:, 0].min()),
        float(boxes[:, 1].min()),
        float(boxes[:, 2].max()),
        float(boxes[:, 3].max()),
    )


def compose(
    review: Review,
    floor: Floor,
    lang: str,
    *,
    dpi: int = DEFAULT_DPI,
    states: dict[str, RoomState] | None = None,
    page: tuple[float, float] | None = None,
) -> Sheet:
    """Lay out and draw one floor on a new Figure (no pyplot, no global state).

    Without `page` the figure is sized to the floor (`plan_scale`); with `page`
    (width, height in inches) the plan is scaled to fit that page beside the panel.
    """
    from matplotlib.figure import Figure

    states = states if states is not None else room_states(review, lang)
    rooms = [r for r in review.plan.rooms if r.level == floor.level]
    bx0, by0, bx1, by1 = world_bounds(review, floor, rooms)
    width_m, height_m = max(bx1 - bx0, 1.0), max(by1 - by0, 1.0)

    panel = build_panel(review, floor, rooms, states, lang)
    panel_h = panel_height(panel)

    if page is None:
        scale = plan_scale(width_m, height_m)
        plan_w = width_m * scale + 2 * PLAN_MARGIN_IN
        plan_h = height_m * scale + 2 * PLAN_MARGIN_IN
        fig_w = PAD_IN + plan_w + PAD_IN + PANEL_W_IN + PAD_IN
        fig_h = PAD_IN + max(plan_h + STRIP_IN, panel_h) + PAD_IN
    else:
        fig_w, fig_h = page
        room_w = fig_w - 3 * PAD_IN - PANEL_W_IN - 2 * PLAN_MARGIN_IN
        room_h = fig_h - 2 * PAD_IN - STRIP_IN - 2 * PLAN_MARGIN_IN
        scale = max(min(room_w / width_m, room_h / height_m), 1e-3)
        plan_w = width_m * scale + 2 * PLAN_MARGIN_IN
        plan_h = height_m * scale + 2 * PLAN_MARGIN_IN

    # whole pixels, so that the pixel frame is exact
    px_w, px_h = max(1, round(fig_w * dpi)), max(1, round(fig_h * dpi))
    fig_w, fig_h = px_w / dpi, px_h / dpi

    margin_m = PLAN_MARGIN_IN / scale
    x0, y0 = bx0 - margin_m, by0 - margin_m
    x1, y1 = x0 + plan_w / scale, y0 + plan_h / scale
    plan_left = PAD_IN
    plan_bottom = fig_h - PAD_IN - plan_h  # the plan hangs from the top ...
    if page is not None:  # ... or, on a page, sits in the middle of what the panel leaves
        plan_bottom = fig_h / 2 - (plan_h - STRIP_IN) / 2
        plan_left = PAD_IN + max(0.0, (fig_w - 3 * PAD_IN - PANEL_W_IN - plan_w) / 2)

    labels = place_labels(rooms, states, lang, scale, (x0, y0, x1, y1))

    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi, facecolor="white")
    ax = fig.add_axes(
        (plan_left / fig_w, plan_bottom / fig_h, plan_w / fig_w, plan_h / fig_h),
        frameon=False,
    )
    ax.set_axis_off()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)

    draw_linework(ax, review.plan.linework.get(floor.level))
    draw_rooms(ax, rooms, states)
    draw_labels(ax, labels, scale)

    strip_bottom = plan_bottom - STRIP_IN
    draw_strip(fig, (plan_left, strip_bottom, plan_w, STRIP_IN), (fig_w, fig_h), scale, lang)

    panel_left = PAD_IN + plan_w + PAD_IN if page is None else fig_w - PAD_IN - PANEL_W_IN
    draw_panel(fig, panel, (panel_left, fig_h - PAD_IN), (fig_w, fig_h))

    frame = PixelFrame(
        x0=x0,
        y0=y0,
        px_per_m=scale * dpi,
        left=plan_left * dpi,
        bottom=plan_bottom * dpi,
        width=px_w,
        height=px_h,
    )
    marks = tuple(
        RoomMark(
            id=lb.room.id,
            status=lb.state.status,
            warned=bool(lb.state.warnings),
            lines=lb.head + lb.notes,
            size=lb.size,
            box=lb.box,
            leader=lb.leader,
        )
        for lb in labels
    )
    return Sheet(figure=fig, frame=frame, marks=marks)


# -------------------------------------------------------------------- label layout


def _name_lines(name: str) -> list[tuple[str, ...]]:
    """A room name on one line, or split in two at a slash, bracket or its middle."""
    name = " ".join(name.split())
    variants = [(name,)]
    if len(name) >= 4:
        for sep in ("/", "（", "("):
            i = name.find(sep)
            if 0 < i < len(name) - 1:
                cut = i + 1 if sep == "/" else i
                variants.append((name[:cut].strip(), name[cut:].strip()))
                break
        else:
            mid = (len(name) + 1) // 2
            variants.append((name[:mid], name[mid:]))
    return variants


def _variants(room: Room, state: RoomState, lang: str) -> list[tuple[tuple[str, ...], tuple]]:
    """Ways to write a room's label, in the order they are tried: (head, notes).

    The name on one line with the area, then the area on a line of its own; with
    failing notes, also the notes broken at their comma; a name split in two last.
    """
    name = room.label.replace("\n", "/") if room.label else word("unlabelled", lang)
    size_text = area_label(room.area, lang)
    notes = state.notes
    broken = tuple(
        part for note in notes for part in re.split(r"(?<=，)|(?<=, )", note) if part.strip()
    )
    names = _name_lines(name)
    out = [((f"{name} {size_text}",), notes), ((*names[0], size_text), notes)]
    if broken != notes:
        out.append(((*names[0], size_text), broken))
    for lines in names[1:]:
        out.append(((*lines, size_text), notes))
        if broken != notes:
            out.append(((*lines, size_text), broken))
    return out


def _candidates(room: Room, state: RoomState, lang: str, m_per_pt: float) -> list[tuple]:
    """(size, head, notes, half width, half height) in the order they are tried: the
    room's name whole at 8, 7 then 6 pt before it is ever split across lines."""
    variants = _variants(room, state, lang)
    whole = [v for v in variants if len(v[0]) <= 2]
    split = [v for v in variants if len(v[0]) > 2]
    out = []
    for group in (whole, split):
        for size in LABEL_SIZES:
            for head, notes in group:
                w, h = fonts.block_size(head + notes, size)
                out.append((size, head, notes, w * m_per_pt / 2, h * m_per_pt / 2))
    return out


def _anchors(rooms: Sequence[Room]) -> np.ndarray:
    """Each room's pole of inaccessibility: the centre of its largest inscribed circle
    (shapely >= 2.1), or a point inside it on older shapely."""
    if not rooms:
        return np.zeros((0, 2))
    polys = np.array([r.polygon for r in rooms], dtype=object)
    inscribed = getattr(shapely, "maximum_inscribed_circle", None)
    if inscribed is None:  # pragma: no cover - shapely 2.0
        return shapely.get_coordinates(shapely.point_on_surface(polys)).reshape(-1, 2)
    return shapely.get_coordinates(shapely.get_point(inscribed(polys), 0)).reshape(-1, 2)


def _fit(inner, room: Room, pole: tuple[float, float], candidates: list[tuple]):
    """The first candidate (size, head, notes, half width, half height) whose box fits
    inside `inner`, centred on the room's centroid or else on its pole of
    inaccessibility; returned with the centre used, or None."""
    anchors = [pole]
    centroid = room.polygon.centroid
    if inner.contains(centroid):
        anchors.insert(0, (centroid.x, centroid.y))
    cx = np.array([a[0] for c in candidates for a in anchors])
    cy = np.array([a[1] for c in candidates for a in anchors])
    hw = np.array([c[3] for c in candidates for _ in anchors])
    hh = np.array([c[4] for c in candidates for _ in anchors])
    fits = shapely.contains(inner, shapely.box(cx - hw, cy - hh, cx + hw, cy + hh))
    if not fits.any():
        return None
    i = int(np.argmax(fits))
    return candidates[i // len(anchors)], anchors[i % len(anchors)]


def place_labels(
    rooms: Sequence[Room],
    states: dict[str, RoomState],
    lang: str,
    scale: float,
    limits: tuple[float, float, float, float],
) -> list[_Label]:
    """Choose each room's label text, size and place (world metres)."""
    m_per_pt = 1.0 / 72.0 / scale
    pad = ROOM_PAD_IN / scale
    poles = _anchors(rooms)
    labels: list[_Label] = []
    pending: list[_Label] = []
    for room, pole in zip(rooms, poles, strict=True):
        state = states.get(room.id, RoomState("other"))
        label = _Label(room=room, state=state, anchor=(float(pole[0]), float(pole[1])))
        labels.append(label)
        inner = room.polygon.buffer(-pad, join_style="mitre")
        if inner.is_empty:
            pending.append(label)
            continue
        shapely.prepare(inner)
        candidates = _candidates(room, state, lang, m_per_pt)
        fit = _fit(inner, room, label.anchor, candidates)
        if fit is None:
            pending.append(label)
            continue
        (size, head, notes, hw, hh), centre = fit
        label.size, label.head, label.notes = size, head, notes
        label.centre, label.half = (float(centre[0]), float(centre[1])), (hw, hh)
        label.inside = label.placed = True
    _place_outside(pending, labels, rooms, lang, scale, limits)
    return labels


# leader search: 16 directions, rings a quarter inch apart
_DIRECTIONS = np.array(
    [(math.cos(a), math.sin(a)) for a in np.linspace(0, 2 * math.pi, 16, endpoint=False)]
)
_RINGS = 14


def _place_outside(
    pending: list[_Label],
    labels: list[_Label],
    rooms: Sequence[Room],
    lang: str,
    scale: float,
    limits: tuple[float, float, float, float],
) -> None:
    """Labels that fit in no room go outside it, on a box with a leader line.

    Candidate centres lie on 16 rays around the room's anchor, a quarter inch apart
    (the anchor itself first: a label that covers no other room needs no leader).  A
    candidate must stay inside the plan area and overlap no label already placed;
    among those the cheapest wins, where an inch of leader costs 1, each other room
    the box covers 0.35, and each label or leader the leader line crosses 3.
    """
    if not pending:
        return
    m_per_pt = 1.0 / 72.0 / scale
    placed = [lb.box for lb in labels if lb.placed]
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    tree = shapely.STRtree([r.polygon for r in rooms])
    index = {r.id: i for i, r in enumerate(rooms)}
    lx0, ly0, lx1, ly1 = limits
    step = 0.25 / scale
    pending.sort(key=lambda lb: (lb.anchor[0], lb.anchor[1], lb.room.id))
    for label in pending:
        size = LEADER_SIZE
        options = []
        for head, notes in _variants(label.room, label.state, lang):
            w, h = fonts.block_size(head + notes, size)
            options.append((w + h, w, h, head, notes))
        _, w, h, head, notes = min(options, key=lambda o: o[0])  # the most compact
        hw, hh = w * m_per_pt / 2 + 0.03 / scale, h * m_per_pt / 2 + 0.02 / scale
        ax, ay = label.anchor
        radii = step * np.arange(1, _RINGS + 1) + min(hw, hh)
        centres = np.concatenate([[(ax, ay)]] + [np.array([ax, ay]) + r * _DIRECTIONS
                                                 for r in radii])
        cx, cy = centres[:, 0], centres[:, 1]
        ok = (cx - hw >= lx0) & (cx + hw <= lx1) & (cy - hh >= ly0) & (cy + hh <= ly1)
        if placed:
            pb = np.asarray(placed)
            overlap = (
                (cx[:, None] - hw < pb[None, :, 2])
                & (cx[:, None] + hw > pb[None, :, 0])
                & (cy[:, None] - hh < pb[None, :, 3])
                & (cy[:, None] + hh > pb[None, :, 1])
            ).any(axis=1)
            ok &= ~overlap
        # the leader runs from the anchor to the nearest point of the box
        ex, ey = np.clip(ax, cx - hw, cx + hw), np.clip(ay, cy - hh, cy + hh)
        length_in = np.hypot(ex - ax, ey - ay) * scale
        boxes = shapely.box(cx - hw, cy - hh, cx + hw, cy + hh)
        hits = tree.query(boxes, predicate="intersects")
        others = hits[1] != index[label.room.id]
        covered = np.bincount(hits[0][others], minlength=len(centres)).astype(float)
        crossings = np.zeros(len(centres))
        if placed or leaders:
            lines = shapely.linestrings(
                np.stack([np.column_stack([np.full_like(ex, ax), np.full_like(ey, ay)]),
                          np.column_stack([ex, ey])], axis=1)
            )
            obstacles = [shapely.box(*b) for b in placed] + [
                shapely.LineString(seg) for seg in leaders
            ]
            pairs = shapely.STRtree(obstacles).query(lines, predicate="intersects")
            crossings = np.bincount(pairs[0], minlength=len(centres)).astype(float)
        score = length_in + 0.35 * covered + 3.0 * crossings + np.where(ok, 0.0, 1e6)
        if covered[0] > 0:  # on its own anchor only when it covers no other room
            score[0] += 1e5
        best = int(np.argmin(score))
        label.size, label.head, label.notes = size, head, notes
        label.centre = (float(cx[best]), float(cy[best]))
        label.half = (hw, hh)
        label.leader = best != 0
        label.placed = True
        placed.append(label.box)
        if label.leader:
            leaders.append(((ax, ay), (float(ex[best]), float(ey[best]))))


# ------------------------------------------------------------------------- drawing


def polygon_path(polygon: Polygon):
    """A matplotlib Path for a polygon with its holes (each ring closed)."""
    from matplotlib.path import Path as MplPath

    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    geoms = getattr(polygon, "geoms", [polygon])
    for poly in geoms:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            pts = np.asarray(ring.coords, dtype=float)
            if len(pts) < 3:
                continue
            c = np.full(len(pts), MplPath.LINETO, dtype=np.uint8)
            c[0] = MplPath.MOVETO
            c[-1] = MplPath.CLOSEPOLY
            verts.append(pts)
            codes.append(c)
    if not verts:
        return MplPath(np.zeros((1, 2)), [MplPath.MOVETO])
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def draw_linework(ax: Axes, segments) -> None:
    from matplotlib.collections import LineCollection

    if segments is None or not len(segments):
        return
    segs = np.asarray(segments, dtype=float)
    ax.add_collection(
        LineCollection(segs, colors=LINEWORK, linewidths=0.5, zorder=1, capstyle="round"),
        autolim=False,
    )


def draw_rooms(ax: Axes, rooms: Sequence[Room], states: dict[str, RoomState]) -> None:
    from matplotlib.collections import PathCollection

    by_status: dict[str, list] = defaultdict(list)
    hatched, failing, outlines = [], [], []
    for room in rooms:
        state = states.get(room.id, RoomState("other"))
        path = polygon_path(room.polygon)
        by_status[state.status].append(path)
        outlines.append(path)
        if state.warnings:
            hatched.append(path)
        if state.status == "fail":
            failing.append(path)
    for status in ("other", "manual", "pass", "fail"):
        if by_status[status]:
            colour, alpha = FILLS[status]
            ax.add_collection(
                PathCollection(
                    by_status[status], facecolors=colour, edgecolors="none", alpha=alpha, zorder=2
                ),
                autolim=False,
            )
    if hatched:
        ax.add_collection(
            PathCollection(
                hatched,
                facecolors="none",
                edgecolors=ORANGE,
                linewidths=0.0,
                hatch="///",
                zorder=3,
            ),
            autolim=False,
        )
    if outlines:
        ax.add_collection(
            PathCollection(outlines, facecolors="none", edgecolors=OUTLINE, linewidths=0.7,
                           zorder=4),
            autolim=False,
        )
    if failing:
        ax.add_collection(
            PathCollection(failing, facecolors="none", edgecolors=RED, linewidths=1.6, zorder=4),
            autolim=False,
        )


def draw_labels(ax: Axes, labels: Sequence[_Label], scale: float) -> None:
    from matplotlib.patches import FancyBboxPatch

    m_per_pt = 1.0 / 72.0 / scale
    for lb in labels:
        lines = lb.head + lb.notes
        if not lines:
            continue
        cx, cy = lb.centre
        line_h = lb.size * fonts.LINE_HEIGHT_EM * m_per_pt
        total = line_h * len(lines)
        if not lb.inside:
            x0, y0, x1, y1 = lb.box
            ax.add_patch(
                FancyBboxPatch(
                    (x0, y0), x1 - x0, y1 - y0,
                    boxstyle="round,pad=0,rounding_size=%g" % (0.04 / scale),
                    facecolor="white", edgecolor=RED if lb.state.status == "fail" else MUTED,
                    linewidth=0.6, alpha=0.92, zorder=6,
                )
            )
        if lb.leader:
            ax_, ay_ = lb.anchor
            x0, y0, x1, y1 = lb.box
            ex, ey = min(max(ax_, x0), x1), min(max(ay_, y0), y1)
            colour = RED if lb.state.status == "fail" else MUTED
            ax.plot([ax_, ex], [ay_, ey], color=colour, linewidth=0.6, zorder=5.5)
            ax.plot([ax_], [ay_], marker="o", markersize=2.2, color=colour, zorder=5.5)
        top = cy + total / 2
        fp = fonts.props(lb.size)
        # one text a block (name and area, then the failing notes): fewer, faster texts
        for block, colour, first in ((lb.head, INK, 0), (lb.notes, DARK_RED, len(lb.head))):
            if block:
                ax.text(
                    cx, top - (first + len(block) / 2) * line_h, "\n".join(block),
                    ha="center", va="center", multialignment="center",
                    fontproperties=fp, color=colour, zorder=7,
                )


def nice_length(max_m: float) -> float:
    """The longest 1, 2 or 5 x 10^k metres not above `max_m`."""
    if max_m <= 0:
        return 1.0
    k = math.floor(math.log10(max_m))
    for m in (5, 2, 1):
        if m * 10**k <= max_m:
            return float(m * 10**k)
    return float(10**k)


def draw_strip(fig: Figure, box, fig_size, scale: float, lang: str) -> None:
    """Under the plan: a scale bar in metres (left) and the orientation note (right)."""
    from matplotlib.patches import Rectangle

    left, bottom, width, height = box
    fig_w, fig_h = fig_size
    ax = fig.add_axes((left / fig_w, bottom / fig_h, width / fig_w, height / fig_h), frameon=False)
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)  # inches
    length = nice_length(min(2.0, width * 0.45) / scale)
    bar = length * scale
    x, y, h = PLAN_MARGIN_IN, height * 0.55, 0.06
    for i in range(4):
        ax.add_patch(
            Rectangle((x + i * bar / 4, y), bar / 4, h, facecolor=INK if i % 2 == 0 else "white",
                      edgecolor=INK, linewidth=0.6)
        )
    fp = fonts.props(7)
    for value, pos in ((0, 0.0), (length / 2, 0.5), (length, 1.0)):
        ax.text(x + pos * bar, y - 0.05, f"{value:g}", ha="center", va="top", fontproperties=fp,
                color=INK)
    ax.text(x + bar + 0.08, y + h / 2, "m" if lang == "en" else "米", ha="left", va="center",
            fontproperties=fp, color=INK)
    note = (
        "↑ 按原图方向绘制（图纸上方朝上，非指北针）" if lang == "zh"
        else "↑ shown as drawn: the drawing's top is up (not a north arrow)"
    )
    ax.text(width - PLAN_MARGIN_IN * 0.5, y + h / 2, note, ha="right", va="center",
            fontproperties=fonts.props(7), color=MUTED)


# -------------------------------------------------------------------------- panel

# A panel row: (kind, text, size, colour); kinds: "title", "text", "head", "swatch:<k>",
# "gap", "verdict".
PanelRow = tuple[str, str, float, str]


def _words(lang: str) -> dict[str, str]:
    zh = lang == "zh"
    return {
        "floor_area": "本层建筑面积" if zh else "Floor gross area",
        "total_area": "全楼合计" if zh else "building total",
        "verdict": "结论" if zh else "Verdict",
        "fail_here": "本层不通过的房间" if zh else "Failing rooms on this floor",
        "fail_elsewhere": "其他楼层不通过的房间" if zh else "Failing rooms on other floors",
        "missing": "缺少的功能用房" if zh else "Missing functions",
        "building": "建筑层面" if zh else "Building",
        "warnings": "警告" if zh else "Warnings",
        "legend": "图例" if zh else "Legend",
        "none": "无" if zh else "none",
        "l_fail": "不满足条款（标注条款和差额）" if zh else "fails a rule (rule and shortfall)",
        "l_pass": "满足条款" if zh else "passes its rules",
        "l_manual": "须人工核查" if zh else "to check by hand",
        "l_other": "其他房间（无面积要求）" if zh else "other room (no requirement)",
        "l_warn": "警告（面积标注不符、无名称等）" if zh else "warning (stated area, no name ...)",
        "l_lines": "原图线条" if zh else "the drawing's own linework",
        "rooms_n": "间" if zh else " rooms",
    }


def build_panel(
    review: Review, floor: Floor, rooms: Sequence[Room], states: dict[str, RoomState], lang: str
) -> list[PanelRow]:
    """The side panel's rows, top to bottom (text already wrapped to the panel)."""
    from .. import __version__

    w = _words(lang)
    zh = lang == "zh"
    colon = "：" if zh else ": "
    width_pt = PANEL_W_IN * 72 - 6
    rows: list[PanelRow] = []

    def text(s: str, size: float = PANEL_SIZE, colour: str = INK, kind: str = "text",
             indent: float = 0.0, max_lines: int = 0) -> None:
        lines = fonts.wrap(s, width_pt - indent, size)
        if max_lines and len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], lines[max_lines - 1][:-1] + "…"]
        for line in lines:
            rows.append((kind if indent == 0 else f"{kind}@{indent:g}", line, size, colour))

    def gap(h: float = 5.0) -> None:
        rows.append(("gap", "", h, ""))

    text(review.name, 11.0, INK, "title")
    floor_title = f"{floor.name}（{level_name(floor.level, lang)}）" if zh else (
        f"{floor.name} ({level_name(floor.level, lang)})"
    )
    text(floor_title, 10.0, INK, "title")
    text(
        f"{w['floor_area']}{colon}{area_label(floor.gross_area, lang)}；"
        f"{w['total_area']} {area_label(review.plan.gross_area, lang)}"
        if zh
        else f"{w['floor_area']}{colon}{area_label(floor.gross_area, lang)}; "
        f"{w['total_area']} {area_label(review.plan.gross_area, lang)}",
        PANEL_SIZE,
        MUTED,
    )
    gap(6)
    verdict = review.verdict
    rows.append(
        ("verdict", f"{w['verdict']}{colon}{verdict_word(verdict, lang)}", 13.0,
         RED if verdict == "fail" else GREEN)
    )
    n_fail = sum(1 for f in review.findings if f.status == "fail")
    n_warn = sum(1 for f in review.findings if f.status == "warn")
    n_manual = sum(1 for f in review.findings if f.status == "manual")
    tally = (
        f"不通过 {n_fail} 项，警告 {n_warn} 项，人工核查 {n_manual} 项" if zh
        else f"{n_fail} failed, {n_warn} warnings, {n_manual} to check by hand"
    )
    text(tally, PANEL_SIZE, MUTED)
    gap(8)

    here = {r.id for r in rooms}
    room_by_id = {r.id: r for r in review.plan.rooms}
    kinds = {}
    for spec in review.standard.rules:
        kinds[spec.id] = spec.kind

    # failing rooms on this floor
    text(w["fail_here"], 9.0, INK, "head")
    shown = 0
    for f in review.findings:
        ids = [rid for rid in f.rooms if rid in here] if f.status == "fail" else []
        if not ids or shown == PANEL_ROOMS:
            continue
        count = f"（本层{len(ids)}间）" if zh else f" ({len(ids)} here)"
        text(f"■ {f.rule}{count if len(ids) > 1 else ''}", PANEL_SIZE, RED)
        for rid in ids:
            if shown == PANEL_ROOMS:
                break
            shown += 1
            room = room_by_id.get(rid)
            name = (room.label or word("unlabelled", lang)) if room else rid
            measured = f" {area_label(room.area, lang)}" if room else ""
            text(
                f"{name}（{rid}）{measured}，{failure_note(review, f, lang)}" if zh
                else f"{name} ({rid}){measured}, {failure_note(review, f, lang)}",
                PANEL_SIZE, INK, indent=10, max_lines=2,
            )
    total = sum(1 for f in review.findings if f.status == "fail" for rid in f.rooms
                if rid in here)
    if total > shown:
        more = total - shown
        text(f"……另有{more}间，见审查报告" if zh else f"... and {more} more: see the report",
             PANEL_SIZE, MUTED, indent=10)
    if not total:
        text(w["none"], PANEL_SIZE, MUTED)
    elsewhere = sorted(
        {
            room_by_id[rid].level
            for f in review.findings
            if f.status == "fail"
            for rid in f.rooms
            if rid not in here and rid in room_by_id
        }
    )
    if elsewhere:
        gap(2)
        where = ("、" if zh else ", ").join(level_name(lv, lang) for lv in elsewhere)
        text(f"{w['fail_elsewhere']}{colon}{where}", PANEL_SIZE, RED)
    gap(7)

    # missing functions: failing findings that name no room (gross area is building-level)
    text(w["missing"], 9.0, INK, "head")
    missing = [
        f for f in review.findings
        if f.status == "fail" and not f.rooms and kinds.get(f.rule) != "gross_area"
    ]
    if missing:
        for f in missing:
            text(f"■ {f.rule}", PANEL_SIZE, RED)
            text(f.message(lang), PANEL_SIZE, INK, indent=10)
    else:
        text(w["none"], PANEL_SIZE, MUTED)
    gap(7)

    # building-level rules: gross area, floor placement
    text(w["building"], 9.0, INK, "head")
    building = [
        f for f in review.findings
        if kinds.get(f.rule) in ("gross_area", "floor_placement") and f.status != "skip"
    ]
    for f in building:
        colour = RED if f.status == "fail" else (GREEN if f.status == "pass" else MUTED)
        mark = "✗" if f.status == "fail" else ("✓" if f.status == "pass" else "·")
        if mark == "✗" and "✗" in fonts.missing("✗"):
            mark = "×"
        text(f"{mark} {f.rule}  {status_word(f.status, lang)}", PANEL_SIZE, colour)
        text(f.message(lang), 7.0, INK, indent=10)
    if not building:
        text(w["none"], PANEL_SIZE, MUTED)
    gap(7)

    # warnings that name rooms of this floor, or no room at all
    warns = [
        f for f in review.findings
        if f.status == "warn" and (not f.rooms or any(rid in here for rid in f.rooms))
    ]
    if warns:
        text(w["warnings"], 9.0, INK, "head")
        by_rule: dict[str, list[Finding]] = {}
        for f in warns:
            by_rule.setdefault(f.rule, []).append(f)
        for rule, found in by_rule.items():
            n_here = sum(1 for f in found for rid in f.rooms if rid in here)
            suffix = f"（本层{n_here}间）" if zh and n_here else (
                f" ({n_here} rooms here)" if n_here else ""
            )
            text(f"▨ {rule}{suffix}", PANEL_SIZE, ORANGE)
            message = ("；" if zh else "; ").join(f.message(lang) for f in found if f.message(lang))
            if message:
                text(message, 7.0, INK, indent=10, max_lines=3)
        gap(7)

    text(w["legend"], 9.0, INK, "head")
    for key, label in (
        ("fail", w["l_fail"]),
        ("pass", w["l_pass"]),
        ("manual", w["l_manual"]),
        ("other", w["l_other"]),
        ("warn", w["l_warn"]),
        ("lines", w["l_lines"]),
    ):
        rows.append((f"swatch:{key}", label, PANEL_SIZE, INK))
    gap(8)
    std = review.standard
    text(
        f"planchecker {__version__} · {std.id} · "
        f"{std.build_type_name(review.build_type, lang)}",
        6.5, MUTED,
    )
    if floor.file:
        text(Path(floor.file).name, 6.5, MUTED)
    return rows


def _row_height(row: PanelRow) -> float:
    kind, _, size, _ = row
    if kind == "gap":
        return size / 72.0
    if kind == "verdict":
        return (size * 1.9) / 72.0
    if kind.startswith("swatch:"):
        return max(size * 1.45, 12.0) / 72.0
    return size * 1.32 / 72.0


def panel_height(rows: Sequence[PanelRow]) -> float:
    return sum(_row_height(r) for r in rows)


def draw_panel(fig: Figure, rows: Sequence[PanelRow], top_left, fig_size) -> None:
    """Draw the panel rows from `top_left` (inches) downward."""
    from matplotlib.patches import FancyBboxPatch, Rectangle

    left, top = top_left
    fig_w, fig_h = fig_size
    height = panel_height(rows)
    ax = fig.add_axes(
        (left / fig_w, (top - height) / fig_h, PANEL_W_IN / fig_w, height / fig_h), frameon=False
    )
    ax.set_axis_off()
    ax.set_xlim(0, PANEL_W_IN)
    ax.set_ylim(0, height)
    y = height
    for row in rows:
        kind, text, size, colour = row
        h = _row_height(row)
        indent = 0.0
        if "@" in kind:
            kind, ind = kind.split("@")
            indent = float(ind) / 72.0
        mid = y - h / 2
        if kind == "verdict":
            ax.add_patch(
                FancyBboxPatch(
                    (0.0, y - h + 0.04), PANEL_W_IN - 0.05, h - 0.08,
                    boxstyle="round,pad=0,rounding_size=0.05",
                    facecolor=colour, edgecolor="none", alpha=0.14,
                )
            )
            ax.text(0.1, mid, text, ha="left", va="center", fontproperties=fonts.props(size),
                    color=colour)
        elif kind.startswith("swatch:"):
            key = kind.split(":", 1)[1]
            sw, sh = 0.32, 0.13
            sx, sy = 0.02, mid - sh / 2
            if key == "lines":
                for dy in (-0.035, 0.035):
                    ax.plot([sx, sx + sw], [mid + dy, mid + dy], color=LINEWORK, linewidth=0.8)
            elif key == "warn":
                ax.add_patch(Rectangle((sx, sy), sw, sh, facecolor="white", edgecolor=OUTLINE,
                                       linewidth=0.6))
                ax.add_patch(Rectangle((sx, sy), sw, sh, facecolor="none", edgecolor=ORANGE,
                                       linewidth=0.0, hatch="///"))
            else:
                fill, alpha = FILLS[key]
                ax.add_patch(Rectangle((sx, sy), sw, sh, facecolor=fill, alpha=alpha,
                                       edgecolor="none"))
                ax.add_patch(Rectangle((sx, sy), sw, sh, facecolor="none",
                                       edgecolor=RED if key == "fail" else OUTLINE,
                                       linewidth=1.2 if key == "fail" else 0.6))
            ax.text(sx + sw + 0.1, mid, text, ha="left", va="center",
                    fontproperties=fonts.props(size), color=colour)
        elif kind != "gap":
            ax.text(indent, mid, text, ha="left", va="center", fontproperties=fonts.props(size),
                    color=colour)
        y -= h
