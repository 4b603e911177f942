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
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ...atomic import atomic_write
from ...model import Floor, Review
from .compose import Sheet, compose, plan_scale, world_bounds
from .frame import FloorOverlay, PixelFrame, RoomMark
from .layout import place_labels
from .panel import build_panel
from .states import RoomState, area_label, failure_note, room_states
from .style import DEFAULT_DPI, GREEN, INK, MUTED, ORANGE, RED

__all__ = [
    "DEFAULT_DPI",
    "GREEN",
    "INK",
    "MUTED",
    "ORANGE",
    "RED",
    "FloorOverlay",
    "PixelFrame",
    "RoomMark",
    "RoomState",
    "Sheet",
    "area_label",
    "build_panel",
    "compose",
    "drawing_context",
    "failure_note",
    "file_stem",
    "floor_tag",
    "floors_in_order",
    "place_labels",
    "plan_scale",
    "png_names",
    "render_floor",
    "render_floors",
    "room_states",
    "safe_name",
    "world_bounds",
    "write_pngs",
]


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

