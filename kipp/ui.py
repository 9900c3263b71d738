"""Streamlit-side helpers shared by every page: engine, language, edition picker, caches.

Pages stay thin: they read widgets, call these helpers and ``kipp`` functions, and
draw.  Nothing here computes scores; it only caches what ``kipp`` computes, keyed by
edition and data version so a new score shows on the next refresh.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from kipp import charts, db, queries, scoring
from kipp.auth import Account
from kipp.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_number, translate

RAISE_PAGE_ERRORS = "KIPP_RAISE_PAGE_ERRORS"
LANG_KEY = "lang"
EDITION_KEY = "edition"
CACHE_ENTRIES = 64


def _close_pages_directory() -> None:
    """Switch off Streamlit's old-style ``pages/`` multipage mode for this server process.

    Until ``st.navigation`` has run once in a process, Streamlit serves files in ``pages/``
    as pages of their own: the first visitors of a fresh server who type ``/admin`` would
    get pages/admin.py without dashboard.py, i.e. without signing in.  Turning the mode off
    here (every page imports this module) closes it for later runs; runs already started
    that way are sent through dashboard.py by :func:`require_navigation`.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


_close_pages_directory()


APPTEST_SESSION_ID = "test session id"  # streamlit/testing/v1/local_script_runner.py


def require_navigation() -> None:
    """First line of every page: a page running on its own (not through dashboard.py) reruns through it.

    dashboard.py's navigation then decides, by the visitor's role, what they may see.
    """
    import sys
    from pathlib import Path

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    # Only a real server has the old pages/ mode; AppTest (its fixed session id) runs page files on purpose.
    if ctx is None or ctx.session_id == APPTEST_SESSION_ID:
        return
    main_script = Path(ctx.pages_manager.main_script_path).resolve()
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename.endswith(".py") and Path(frame.f_code.co_filename).resolve() == main_script:
            return
        frame = frame.f_back
    _close_pages_directory()
    st.rerun()


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """One engine per database URL for the whole server process."""
    return db.get_engine(url)


def engine() -> Engine:
    """The dashboard's engine (``DATABASE_URL`` or the SQLite default)."""
    return _engine(db.normalise_url(db.default_url()))


def ensure_database() -> bool:
    """Build the demo on the first start of a completely empty database; True when this run built it."""
    if db.database_exists(db.default_url()) and not queries.editions(engine()).empty:
        return False
    from kipp.demo import build_first_demo

    with st.spinner(t("app.demo_building")):
        built = build_first_demo(engine())
    if built:
        st.cache_data.clear()
    return built


def lang() -> str:
    """The interface language chosen in this session (Bahasa Indonesia by default)."""
    value = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
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


def award_styled(frame: pd.DataFrame, column: str = "award", then: Callable[[Any], Any] | None = None) -> Any:
    """``frame`` as a Styler whose award cells carry their tier's colour (kipp.charts.award_css).

    ``then`` adds a page's own styling to that Styler.  Past STYLED_ROWS_MAX rows (a
    national edition, all editions on Trends) the frame is returned plain: a Styler
    serialises a CSS rule per cell, which at 35,000 rows cost 3.5 s and 250 MB per run
    for colours nobody scrolls to.
    """
    if len(frame) > STYLED_ROWS_MAX:
        return frame
    styler = frame.style.map(charts.award_css, subset=[column])
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
    labels = {
        year: t("app.edition_option", year=year, name=name)
        for year, name in zip(table["year"], table["name"], strict=True)
    }
    return st.selectbox(
        t("app.edition"),
        options=list(labels),
        format_func=labels.__getitem__,
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


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _computed(
    _engine: Engine, url: str, year: int, function: str, args: tuple[Any, ...], version: tuple[Any, ...]
) -> Any:
    """A pure kipp function of an edition's data, cached by edition, arguments and data version."""
    import importlib

    module, name = function.rsplit(".", 1)
    compute = getattr(importlib.import_module(f"kipp.{module}"), name)
    return compute(_edition_data(_engine, url, year, version), *args)


def computed(function: str, year: int, *args: Any) -> Any:
    """``kipp.<function>(edition data, *args)``, e.g. ("analytics.juror_summary", 2023), recomputed
    only when a score changed: for heavy analytics (agreement, bootstrap) shared by several pages."""
    return _computed(engine(), db.default_url(), year, function, args, data_version(year))


USER_KEY = "user"


def current_account() -> Account | None:
    """The signed-in :class:`~kipp.auth.Account` of this session, or None.

    The sign-in screen (dashboard.py) stores it after kipp.auth checked the password;
    it is immutable, so a page cannot change who is signed in.
    """
    account = st.session_state.get(USER_KEY)
    return account if isinstance(account, Account) else None


_log = logging.getLogger("kipp")


@contextmanager
def guard() -> Iterator[None]:
    """Show the translated ``app.error`` message instead of a traceback when a page fails.

    Wrap a page run (``with ui.guard(): navigation.run()``): an unexpected exception is
    logged with its traceback on the server and the user sees a message they can act on.
    Streamlit's own control flow (st.stop, st.rerun, st.switch_page) derives from
    BaseException and passes through untouched.  With ``KIPP_RAISE_PAGE_ERRORS`` set
    (the test suite sets it) errors propagate, so AppTest sees every page failure.
    """
    try:
        yield
    except Exception:
        if os.environ.get(RAISE_PAGE_ERRORS):
            raise
        _log.exception("A page failed; the user was shown app.error")
        st.error(t("app.error"), icon=":material/error:")


def all_data_version() -> tuple[Any, ...]:
    """The cheap fingerprint of every edition's data, edition by edition (small queries)."""
    return queries.all_data_version(engine())


# Each edition's trend part: ten editions, plus room for the versions a live edition moves through.
TREND_EDITION_ENTRIES = 32


@st.cache_data(show_spinner=False, max_entries=TREND_EDITION_ENTRIES)
def _edition_trends(
    _engine: Engine, url: str, year: int, method: str, version: tuple[Any, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One edition's results and criterion scores, cached by that edition's own data version.

    Past editions do not change, so a new score recomputes its own edition, not all of them.
    """
    from kipp import trends

    edition = queries.load_all_editions(_engine, [year])[year]
    return trends.edition_results(year, edition, method), trends.edition_criterion_scores(year, edition)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=4)
def _trend_inputs(
    _engine: Engine, url: str, method: str, version: tuple[Any, ...]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Results of every edition, criterion scores and advancement, cached by the data fingerprint."""
    from kipp import trends

    editions, _advancements, _feedback = version
    parts = [_edition_trends(_engine, url, year, method, edition) for year, edition in editions]
    return (
        trends.join_results(board for board, _ in parts),
        trends.join_criterion_scores(criteria for _, criteria in parts),
        queries.advancements(_engine),
    )


def trend_inputs(method: str = "mean") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(results, criterion scores, advancement) across all editions, recomputed only when data changed."""
    return _trend_inputs(engine(), db.default_url(), method, all_data_version())


@st.cache_data(show_spinner=False, max_entries=16)
def _document(
    _engine: Engine,
    url: str,
    year: int,
    kind: str,
    method: str,
    language: str,
    with_juror_scores: bool,
    version: tuple[Any, ...],
) -> bytes:
    """An official result document (PDF or Excel), cached by edition, options and data version."""
    from kipp import documents

    return documents.render(
        _engine,
        year,
        kind,
        method=method,
        lang=language,
        with_juror_scores=with_juror_scores,  # type: ignore[arg-type]
    )


def document(year: int, kind: str, method: str = "mean", *, with_juror_scores: bool = True) -> bytes:
    """The edition's berita acara (``kind="pdf"``) or recap workbook (``"xlsx"``) in the session's language."""
    return _document(engine(), db.default_url(), year, kind, method, lang(), with_juror_scores, data_version(year))


# --- Live page (issue 4): everything cached by edition and data version ---------------------


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _progress(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> scoring.Progress:
    """Scoring progress (grid, counts per juror and day/room, who is awaited), cached by data version."""
    return scoring.progress(_edition_data(_engine, url, year, version))


def progress(year: int) -> scoring.Progress:
    """How far scoring has come in an edition, recomputed only when a score changed."""
    return _progress(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _method_comparison(_engine: Engine, url: str, year: int, top: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """The four methods' ranks side by side, from the cached leaderboards."""
    boards = {method: _leaderboard(_engine, url, year, method, version) for method in scoring.METHODS}
    return scoring.compare_rankings(boards, top)


def method_comparison(year: int, top: int = 10) -> pd.DataFrame:
    """Ranks under every aggregation method and Top-N membership, recomputed only when a score changed."""
    return _method_comparison(engine(), db.default_url(), year, top, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _frozen(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> Any:
    """The edition's frozen ranking or None (freeze and reveal bump the data version)."""
    from kipp import freeze

    return freeze.frozen(_engine, year)


def frozen(year: int) -> Any:
    """The frozen public ranking of an edition (kipp.freeze.Frozen) or None when not frozen."""
    return _frozen(engine(), db.default_url(), year, data_version(year))
