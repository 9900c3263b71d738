"""The dashboard's colours, written once: charts, tables, documents and the Streamlit theme use these.

.streamlit/config.toml cannot import Python, so it repeats the theme's hex values; a test
checks that they are equal.  Award tiers are coloured by POSITION in the edition's tier
list (first tier gold, second teal, third green …), so a tier renamed by the organizer
keeps its colour.  Plain constants only: documents and the command line import this
without plotly or Streamlit.
"""

from __future__ import annotations

# The Streamlit theme (.streamlit/config.toml [theme]).
PRIMARY = "#8B1E1E"  # Kota Malang maroon
BACKGROUND = "#FFFFFF"
SECONDARY_BACKGROUND = "#F5F1EE"
TEXT = "#1F2328"
BORDER = "#E3DAD5"
RED = "#B42318"
GREEN = "#1E7B45"

# One colour per juror seat; also the theme's chartCategoricalColors.
JUROR_COLORS = ("#1B4F72", "#C0392B", "#1E8449", "#7D3C98", "#B9770E", "#117A65", "#884EA0", "#2E4053")

# Award tiers by position (1st, 2nd, 3rd …); further tiers repeat the list.  Each has a light
# tint of the same hue for printed tables, where a dark fill would hide black text.
TIER_COLORS = ("#B8860B", "#1F6F8B", "#6A8D3A", "#8E44AD", "#D35400", "#2C3E50")
TIER_TINTS = ("#F3E7C8", "#D6E9F0", "#E1ECD2", "#E8DAEF", "#F6DDCC", "#D5D8DC")
NO_TIER_COLOR = "#9AA5B1"


def tier_index(position: object) -> int | None:
    """The palette index of a 1-based tier position (repeating past the palette); None without a tier."""
    try:
        number = int(position)  # type: ignore[call-overload]
    except (TypeError, ValueError):  # None, NA, NaN
        return None
    return None if number < 1 else (number - 1) % len(TIER_COLORS)


def tier_color(position: object) -> str:
    """The colour of the tier at a 1-based position (grey without a tier)."""
    index = tier_index(position)
    return NO_TIER_COLOR if index is None else TIER_COLORS[index]


def tier_tint(position: object) -> str | None:
    """The light print fill of the tier at a 1-based position (None without a tier)."""
    index = tier_index(position)
    return None if index is None else TIER_TINTS[index]


def rgb(color: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as an (r, g, b) tuple (fpdf's colours)."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
