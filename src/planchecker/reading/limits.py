"""Every limit the reader enforces, in one place, with the reason for its value.

A review must end, for any input, in a correct report or in one line saying what
is wrong (issue 7): never a hang, a memory blow-up or arithmetic on garbage.  The
limits below make that true for absurd drawings while leaving real ones alone.
The yardstick for "real" is a realistic 50 MB drawing (about 230,000 entities:
110,000 LINEs, 55,000 LWPOLYLINEs, 55,000 TEXTs, 11,000 INSERTs; see
``benchmarks/make_large.py``) and the real drawings of ``tests/test_reading_real.py``;
every limit is several times what those need.  docs/robustness.md ("Limits")
explains each one for users.

Where a limit is checked decides how cheap a refusal is: the file-level limits are
counted on the raw bytes by `sniff.inventory` before any DXF parser runs (ezdxf
takes about 2 µs per line, so parsing a 50 MB file costs 10 s before anything could
be checked); the others are checked while modelspace is expanded, before copying.
"""

from __future__ import annotations

import numpy as np

# ------------------------------------------------------------------ the file

# Bytes in one drawing file: 5 times the realistic 50 MB drawing.  ezdxf alone holds
# about 9 bytes of memory per byte of DXF (430 MB for a 46 MB file) and a whole
# review up to 50 (2.4 GB), so this is about what a 16 GB machine can review.
MAX_FILE_BYTES = 250_000_000

# Entities in the file (every ``0 / TYPE`` tag: VERTEX, ATTRIB and SEQEND, blocks
# and objects included).  The realistic 50 MB drawing has about 250,000.
MAX_ENTITIES = 2_000_000

# TEXT, MTEXT and ATTRIB entities in the file.  Every text is matched against the
# room vocabulary and placed in a room; a floor plan has a few thousand, the
# realistic 50 MB drawing 55,000 (most of them equipment labels).
MAX_TEXTS = 250_000

# Vertices (group code 10 points) of one entity: LWPOLYLINE, HATCH, SPLINE,
# POLYLINE (whose VERTEX entities are counted as its vertices).  An outline of
# 250,000 points is no room; real plans stay below a few thousand per entity.
MAX_VERTICES = 250_000

# ------------------------------------------------------------------ block expansion

# Block definitions nested deeper than this are cut (and reported).  Real drawings
# nest 3 to 6 deep; a deeper chain is generated or damaged.
MAX_DEPTH = 32

# Segments that block copies (INSERT, MINSERT, nested blocks) may add to a drawing:
# at least MIN_SEGMENT_BUDGET, up to SEGMENTS_PER_BYTE per byte of the file, never
# more than MAX_SEGMENTS.  What a copy costs later depends on its layer: furniture
# linework is cheap (7 M segments take 7.5 s through extraction), but wall lines are
# polygonised and their openings closed at about 10,000 segments per second.  So a
# small file, whose review should take seconds, may expand to no more than extraction
# handles well inside the 20 s hang limit even if every copy is a wall
# (MIN_SEGMENT_BUDGET), while a big file may expand in proportion to its size (real
# drawings copy 0.01 to 0.03 segments per byte: 121,000 in a 4 MB office plan).
# MAX_SEGMENTS bounds memory: 4 M segments are about 200 MB with their ids.
MIN_SEGMENT_BUDGET = 100_000
SEGMENTS_PER_BYTE = 0.1
MAX_SEGMENTS = 4_000_000

# Outlines plus texts in one layout (modelspace or a block), copies included.
MAX_SHAPES = 500_000

# Cells of one MINSERT (rows x columns).  Real arrays (columns on a grid, seats in a
# hall) have tens to hundreds of cells; a MINSERT that multiplies a block a million
# times is refused before any copy is made.
MAX_ARRAY_COPIES = 10_000

# ------------------------------------------------------------------ numbers

# Coordinates, lengths and radii beyond this (in drawing units), and values that
# are not numbers (NaN, inf), are damage: the entity is skipped and reported.  It
# is far beyond any building in any unit (1e17 m in millimetres), and it keeps all
# later arithmetic finite: squares stay below 1e41, far from overflow (1e308),
# whatever the unit.  Within it a coordinate may still be too large to hold
# millimetres: see PRECISION_M.
MAX_COORDINATE = 1e20

# A bulge beyond this draws an arc within 4 µrad of a full circle, which no CAD
# program writes (a full circle cannot be one bulge); only damage is that large.
MAX_BULGE = 1e6

# The precision a plan needs (metres).  A double holds 53 bits, so a coordinate of
# x drawing units is rounded to ulp(x) = 2**(floor(log2 x) - 52) units: 0.125 mm at
# 1e15 mm, 128 mm at 1e18 mm.  When the largest coordinate is rounded to more than
# this, the review warns that lengths and areas may be wrong (plan.read_quality).
PRECISION_M = 0.001


def imprecision(reach: float, metres_per_unit: float) -> str:
    """What the report says when coordinates as large as `reach` drawing units are
    rounded to more than PRECISION_M; "" when they are fine."""
    step = float(np.spacing(reach)) * metres_per_unit
    if not step > PRECISION_M:
        return ""
    return (
        f"coordinates reach {reach * metres_per_unit:.3g} m from the origin, where a "
        f"number is rounded to {step * 1000:.3g} mm: lengths and areas may be wrong by "
        "that much (lost precision); move the drawing near the origin (MOVE) and export "
        "the DXF again"
    )


class OutOfRange(ValueError):
    """An entity's numbers are not finite or beyond MAX_COORDINATE / MAX_BULGE: the
    entity is skipped and reported (``coordinate_out_of_range``), never computed with."""


def segment_budget(file_bytes: int) -> int:
    """How many segments block copies may add to a drawing read from `file_bytes`."""
    return int(min(MAX_SEGMENTS, max(MIN_SEGMENT_BUDGET, SEGMENTS_PER_BYTE * file_bytes)))


class LimitExceeded(Exception):
    """A drawing goes beyond a limit: the reader turns it into a DrawingError (exit 2).

    Raised where the file's path is not at hand (entity handlers); `problem` and
    `advice` are the two halves of the DrawingError's one line.
    """

    def __init__(self, problem: str, advice: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.advice = advice
