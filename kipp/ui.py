"""Streamlit-side helpers shared by every page: engine, language, edition picker, caches.

Pages stay thin: they read widgets, call these helpers and ``kipp`` functions, and
draw.  Nothing here computes scores; it only caches what ``kipp`` computes, keyed by
edition and data version so a new score shows on the next refresh.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, DataError, IntegrityError

from kipp import access, analytics, auth, charts, db, queries, scoring
from kipp.auth import Account
from kipp.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_number, translate

RAISE_PAGE_ERRORS = "KIPP_RAISE_PAGE_ERRORS"
PUBLIC_LIVE_SETTING = "KIPP_PUBLIC_LIVE"
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
    then: Callable[[Any], Any] | None = None,
) -> Any:
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


USER_KEY = "user"


def public_live() -> bool:
    """Whether this deployment shows the Live page to visitors who are not signed in."""
    value = os.environ.get(PUBLIC_LIVE_SETTING)
    if value is None and st.secrets.load_if_toml_exists():
        value = st.secrets.get(PUBLIC_LIVE_SETTING)
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def current_account() -> Account | None:
    """The signed-in :class:`~kipp.auth.Account` of this session, or None.

    The sign-in screen (dashboard.py) stores it after kipp.auth checked the password;
    it is immutable, so a page cannot change who is signed in.
    """
    account = st.session_state.get(USER_KEY)
    return account if isinstance(account, Account) else None


KEEP_ON_SIGN_OUT = (LANG_KEY, EDITION_KEY)


def sign_out() -> None:
    """Forget the account and everything typed in this session (a tablet may be shared)."""
    for key in list(st.session_state.keys()):
        if key not in KEEP_ON_SIGN_OUT:
            del st.session_state[key]


def refreshed_account() -> Account | None:
    """The session's account re-read from the database on every run, or None.

    A deactivation, a changed password or demo accounts blocked by real data end the
    session at once: it is signed out with a toast saying why.
    """
    account = current_account()
    if account is None:
        return None
    try:
        fresh = auth.refresh(engine(), account)
    except auth.SignInRefused as ended:
        sign_out()
        st.toast(ended.problem.text(lang()), icon=":material/logout:")
        return None
    if fresh != account:
        st.session_state[USER_KEY] = fresh
    return fresh


def require_role(page: str) -> Account:
    """First line of a page: the signed-in account when its role may open ``page`` (kipp.access).

    Without an account the sign-in form is shown, with the wrong role a refusal; either
    way the run stops there.  It holds however the page was reached.
    """
    with guard():
        account = current_account()  # re-read from the database by dashboard.py's refreshed_account()
        if account is None:
            from kipp.views import sign_in

            sign_in.render()
            st.stop()
        if not access.allows(page, account.role):
            st.error(t("auth.refused", role=t(f"role.{account.role}")), icon=":material/block:")
            st.stop()
    return account


def require_role_or_public(page: str) -> Account | None:
    """:func:`require_role` for a page the deployment may open to everyone: None for a public visitor."""
    if current_account() is None and page in access.PUBLIC_PAGES and public_live():
        return None
    return require_role(page)


def visible_editions(account: Account) -> pd.DataFrame:
    """The editions whose results ``account`` may see (Account.may_see), newest first."""
    table = editions()
    return table[table["status"].map(account.may_see).astype(bool)]


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


_log = logging.getLogger("kipp")


@contextmanager
def guard() -> Iterator[None]:
    """Show a message the user can act on instead of a traceback when a page fails.

    A database fault (server down, read-only or full disk: SQLAlchemy's OperationalError
    and its kin, not a refused value) shows :func:`database_fault` and stops the run,
    always.  Any other exception shows the translated ``app.error``.  Both are logged with
    their traceback on the server.  Streamlit's own control flow (st.stop, st.rerun,
    st.switch_page) derives from BaseException and passes through untouched.  With
    ``KIPP_RAISE_PAGE_ERRORS`` set (the test suite sets it) other errors propagate, so
    AppTest sees every page failure.
    """
    try:
        yield
    except Exception as error:
        if isinstance(error, DatabaseError) and not isinstance(error, IntegrityError | DataError):
            _log.exception("The database failed; the user was shown what to check")
            database_fault()
            st.stop()
        if os.environ.get(RAISE_PAGE_ERRORS):
            raise
        _log.exception("A page failed; the user was shown app.error")
        st.error(t("app.error"), icon=":material/error:")


def database_fault() -> None:
    """The page shown when the database cannot be reached or written: what to check, no traceback."""
    url = make_url(db.default_url())
    st.title(t("db_fault.title"))
    st.error(t("db_fault.intro"), icon=":material/database_off:")
    st.caption(t("db_fault.address"))
    st.code(url.render_as_string(hide_password=True), language=None)
    path = db.sqlite_file(db.default_url())
    if path is None:
        st.markdown(t("db_fault.server", host=plain(f"{url.host or 'localhost'}:{url.port or 5432}")))
    else:
        st.markdown(t("db_fault.file", path=plain(str(path.resolve()))))
    st.caption(t("db_fault.log"))


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


# --- Live page: everything cached by edition and data version ---------------------


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


# --- Reads for the pages: each cached by edition and data version ---------------------------


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _edition_record(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> dict[str, Any]:
    """An edition's row (status changes bump the data version)."""
    return queries.edition_record(_engine, year)


def edition_record(year: int) -> dict[str, Any]:
    """An edition's row as a dict: name, status, dates, is_demo …"""
    return _edition_record(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _edition_summary(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> dict[str, Any]:
    """An edition's headline figures."""
    return queries.edition_summary(_engine, year)


def edition_summary(year: int) -> dict[str, Any]:
    """An edition's headline figures for Home (entries, units, jurors, scores)."""
    return _edition_summary(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _juror_summary(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """kipp.analytics.juror_summary of the cached edition."""
    return analytics.juror_summary(_edition_data(_engine, url, year, version))


def juror_summary(year: int) -> pd.DataFrame:
    """Each juror's sheets, mean, spread, severity and flag in an edition."""
    return _juror_summary(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _severity_by_criterion(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """kipp.analytics.severity_by_criterion of the cached edition."""
    return analytics.severity_by_criterion(_edition_data(_engine, url, year, version))


def severity_by_criterion(year: int) -> pd.DataFrame:
    """Each juror's severity per criterion in an edition."""
    return _severity_by_criterion(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _deviations(
    _engine: Engine, url: str, year: int, criterion_id: int | None, version: tuple[Any, ...]
) -> pd.DataFrame:
    """kipp.analytics.deviations of the cached edition."""
    return analytics.deviations(_edition_data(_engine, url, year, version), criterion_id)


def deviations(year: int, criterion_id: int | None = None) -> pd.DataFrame:
    """Each sheet's distance from the rest of the panel (the total, or one criterion)."""
    return _deviations(engine(), db.default_url(), year, criterion_id, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _agreement_table(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """kipp.analytics.agreement_table of the cached edition."""
    return analytics.agreement_table(_edition_data(_engine, url, year, version))


def agreement_table(year: int) -> pd.DataFrame:
    """The panel's agreement (ICC, Kendall's W) for the edition, then per criterion."""
    return _agreement_table(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _leave_one_out(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """kipp.analytics.leave_one_out of the cached edition."""
    return analytics.leave_one_out(_edition_data(_engine, url, year, version))


def leave_one_out(year: int) -> pd.DataFrame:
    """How each entry's rank and award change when one juror is left out."""
    return _leave_one_out(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _bootstrap_top(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """kipp.analytics.bootstrap_top of the cached edition."""
    return analytics.bootstrap_top(_edition_data(_engine, url, year, version))


def bootstrap_top(year: int) -> pd.DataFrame:
    """How often each entry stays in the top 3 and top 10 when the panel is resampled."""
    return _bootstrap_top(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _juror_entries(_engine: Engine, url: str, year: int, juror_id: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """kipp.analytics.juror_entries of the cached edition."""
    return analytics.juror_entries(_edition_data(_engine, url, year, version), juror_id)


def juror_entries(year: int, juror_id: int) -> pd.DataFrame:
    """A juror's scores against the rest of the panel, entry by entry."""
    return _juror_entries(engine(), db.default_url(), year, juror_id, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _criterion_descriptions(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> dict[int, str]:
    """What each criterion of the edition asks for."""
    return queries.criterion_descriptions(_engine, year)


def criterion_descriptions(year: int) -> dict[int, str]:
    """What each criterion of an edition asks for (criterion_id -> description)."""
    return _criterion_descriptions(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _sheet_feedback(
    _engine: Engine, url: str, year: int, entry_id: int, juror_id: int, version: tuple[Any, ...]
) -> str:
    """A juror's stored feedback on an entry."""
    return queries.sheet_feedback(_engine, entry_id, juror_id)


def sheet_feedback(year: int, entry_id: int, juror_id: int) -> str:
    """A juror's stored feedback on an entry of the edition ('' when none)."""
    return _sheet_feedback(engine(), db.default_url(), year, entry_id, juror_id, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _entry_feedback(_engine: Engine, url: str, year: int, entry_id: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """The jurors' feedback on an entry."""
    return queries.entry_feedback(_engine, entry_id)


def entry_feedback(year: int, entry_id: int) -> pd.DataFrame:
    """The jurors' written feedback on an entry of the edition, in panel order."""
    return _entry_feedback(engine(), db.default_url(), year, entry_id, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _recusals(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """The edition's recusals."""
    return queries.recusals(_engine, year)


def recusals(year: int) -> pd.DataFrame:
    """An edition's recusals: entry, juror and reason."""
    return _recusals(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _search_entries(_engine: Engine, url: str, text: str, version: tuple[Any, ...]) -> pd.DataFrame:
    """Entries of every edition matching ``text``."""
    return queries.search_entries(_engine, text)


def search_entries(text: str) -> pd.DataFrame:
    """Entries of every edition whose title, code or unit contains ``text``."""
    return _search_entries(engine(), db.default_url(), text, all_data_version())


AUDIT_SECONDS = 5  # account changes write the audit trail without moving any edition's data version


@st.cache_data(ttl=AUDIT_SECONDS, show_spinner=False, max_entries=16)
def _audit_trail(
    _engine: Engine,
    url: str,
    years: tuple[int, ...],
    actors: tuple[str, ...],
    actions: tuple[str, ...],
    start: dt.date | None,
    end: dt.date | None,
    version: tuple[Any, ...],
) -> pd.DataFrame:
    """The filtered audit trail."""
    return queries.audit_trail(_engine, years=years, actors=actors, actions=actions, start=start, end=end)


def audit_trail(
    years: Iterable[int], actors: Iterable[str], actions: Iterable[str], start: dt.date | None, end: dt.date | None
) -> pd.DataFrame:
    """Audit records, newest first, filtered (empty filters mean all)."""
    return _audit_trail(
        engine(), db.default_url(), tuple(years), tuple(actors), tuple(actions), start, end, all_data_version()
    )


@st.cache_data(ttl=AUDIT_SECONDS, show_spinner=False, max_entries=4)
def _audit_facets(_engine: Engine, url: str, version: tuple[Any, ...]) -> dict[str, list[Any]]:
    """The values the audit filters offer."""
    return queries.audit_facets(_engine)


def audit_facets() -> dict[str, list[Any]]:
    """The actors, actions and edition years present in the audit trail."""
    return _audit_facets(engine(), db.default_url(), all_data_version())
