"""The overlay's colours and sizes, in one place so that the PNG, the PDF and the
legend agree."""

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

