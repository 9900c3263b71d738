"""How the pages write things: the session's language, localised numbers, award colours, plain text.

Imported text passes through :func:`plain` before it meets Streamlit's Markdown; numbers pass
through :func:`localised` so Bahasa Indonesia gets its decimal comma.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from kipp import charts
from kipp.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_number, translate

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

LANG_KEY = "lang"


def lang() -> str:
    """The language chosen in this session, or in the address before the switch is drawn (Indonesian by default)."""
    value = st.session_state.get(LANG_KEY) or st.query_params.get(LANG_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, /, **values: Any) -> str:
    """Translate a catalogue key into the session's language."""
    return translate(key, lang(), **values)


def signed(value: float) -> str:
    """A difference with its sign in the session's language (+5,32 / -6,10)."""
    return ("+" if value > 0 else "") + format_number(value, lang())


def localised(frame: pd.DataFrame, columns: Iterable[str], decimals: int = 2, *, sign: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` whose numeric ``columns`` are text in the session's number format.

    ``st.column_config.NumberColumn(format=...)`` always writes 85.25; Bahasa Indonesia
    writes 85,25.  Missing values become "–"; with ``sign`` a positive value gets a "+".
    Show these columns with :func:`number_text` (right-aligned).  They sort as text, so use
    this on tables already in a meaningful order (by rank, by year).
    """
    language = lang()

    def text(value: Any) -> str:
        if pd.isna(value):
            return "–"
        return ("+" if sign and value > 0 else "") + format_number(float(value), language, decimals)

    return frame.assign(**{column: frame[column].map(text) for column in columns})


def number_text(label: str, *, width: str | int | None = None, help: str | None = None) -> Any:
    """The column config of a number shown as localised text (see :func:`localised`): right-aligned."""
    return st.column_config.TextColumn(label, width=width, help=help, alignment="right")  # type: ignore[arg-type]


STYLED_ROWS_MAX = 1_000


def award_styled(
    frame: pd.DataFrame,
    positions: pd.Series,
    column: str = "award",
    then: Callable[[Styler], Styler] | None = None,
) -> pd.DataFrame | Styler:
    """``frame`` as a Styler whose award cells carry the colour of their tier's position (kipp.charts.tier_css).

    ``positions`` are the rows' 1-based tier positions aligned on the frame's index (a
    leaderboard's ``tier_position``), so a tier of any name gets its place's colour.
    ``then`` adds a page's own styling to that Styler.  Past STYLED_ROWS_MAX rows (a
    national edition, all editions on Trends) the frame is returned plain: a Styler
    serialises a CSS rule per cell, which at 35,000 rows cost 3.5 s and 250 MB per run
    for colours nobody scrolls to.
    """
    if len(frame) > STYLED_ROWS_MAX:
        return frame
    shown = positions.reindex(frame.index).to_numpy()
    styler = frame.style.apply(lambda _: [charts.tier_css(position) for position in shown], subset=[column])
    return then(styler) if then else styler


def language_switch() -> None:
    """The language selector (kept in the URL so a shared link keeps its language)."""
    st.segmented_control(
        t("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANG_KEY,
        default=DEFAULT_LANGUAGE,
        bind="query-params",
        width="stretch",
    )


MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()<>#+-.!|~$:/&")


def plain(text: object) -> str:
    """``text`` as literal Markdown: every ASCII punctuation escaped, lines joined with spaces.

    Streamlit renders titles, captions, alerts, labels and tab names as Markdown, with
    links, images, headings, ``:red[...]`` colours, ``:material/...:`` icons and LaTeX
    ``$``.  Imported text (titles, units, jurors, feedback) passes through this before it
    meets Markdown, so it shows as typed.  (Escaping ``/`` also stops Streamlit turning
    ``:material/...:`` into an icon, which it does before parsing.)
    """
    return "".join(f"\\{char}" if char in MARKDOWN_SPECIALS else char for char in " ".join(str(text).split()))
