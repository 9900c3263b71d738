"""Streamlit-side helpers shared by every page: engine, language, edition picker, caches.

Pages stay thin: they read widgets, call these helpers and ``kipp`` functions, and
draw.  Nothing here computes scores; it only caches what ``kipp`` computes, keyed by
edition and data version so a new score shows on the next refresh.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from kipp import db, queries, scoring
from kipp.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

LANG_KEY = "lang"
EDITION_KEY = "edition"
CACHE_ENTRIES = 64


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """One engine per database URL for the whole server process."""
    return db.get_engine(url)


def engine() -> Engine:
    """The dashboard's engine (``DATABASE_URL`` or the SQLite default)."""
    return _engine(db.normalise_url(db.default_url()))


def ensure_database() -> bool:
    """Build the demo database on first start; True when it was just built."""
    url = db.default_url()
    if db.database_exists(url) and not queries.editions(engine()).empty:
        return False
    from kipp.demo import build_demo

    with st.spinner(t("app.demo_building")):
        build_demo(engine())
    st.cache_data.clear()
    return True


def lang() -> str:
    """The interface language chosen in this session (Bahasa Indonesia by default)."""
    value = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, /, **values: Any) -> str:
    """Translate a catalogue key into the session's language."""
    return translate(key, lang(), **values)


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


@st.cache_data(ttl=5, show_spinner=False, max_entries=4)
def editions_table(_engine: Engine, url: str) -> pd.DataFrame:
    """The list of editions (refreshed every few seconds)."""
    return queries.editions(_engine)


def editions() -> pd.DataFrame:
    """All editions, newest first."""
    return editions_table(engine(), db.default_url())


def edition_picker() -> int | None:
    """The edition selector shared by all pages; returns the selected year."""
    table = editions()
    if table.empty:
        return None
    names = dict(zip(table["year"], table["name"], strict=True))
    return st.selectbox(
        t("app.edition"),
        options=list(table["year"]),
        format_func=lambda year: t("app.edition_option", year=year, name=names[year]),
        key=EDITION_KEY,
        bind="query-params",
    )


def selected_year() -> int | None:
    """The year chosen in the sidebar picker (None when there are no editions)."""
    year = st.session_state.get(EDITION_KEY)
    if year is None:
        table = editions()
        return None if table.empty else int(table["year"].iloc[0])
    return int(year)


def data_version(year: int) -> tuple[Any, ...]:
    """The cheap fingerprint of an edition's results (one small query)."""
    return queries.data_version(engine(), year)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _edition_data(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> scoring.EditionData:
    """An edition's frames, cached by edition and data version."""
    return queries.load_edition(_engine, year)


def edition_data(year: int) -> scoring.EditionData:
    """An edition's frames, reloaded only when its data version moves."""
    return _edition_data(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _leaderboard(_engine: Engine, url: str, year: int, method: str, version: tuple[Any, ...]) -> pd.DataFrame:
    """The leaderboard, cached by edition, method and data version."""
    return scoring.leaderboard(queries.load_edition(_engine, year), method)  # type: ignore[arg-type]


def leaderboard(year: int, method: str = "mean") -> pd.DataFrame:
    """The edition's ranking, recomputed only when a score changed."""
    return _leaderboard(engine(), db.default_url(), year, method, data_version(year))


USER_KEY = "user"


def current_user() -> dict[str, Any] | None:
    """The signed-in account of this session ({username, role, juror_id, display_name}) or None.

    Until sign-in exists every visitor is treated as an organizer; kipp.auth replaces this.
    """
    return st.session_state.get(USER_KEY)
