"""The pages' reads: the engine, the editions, and every reader cached by edition and data version.

Nothing here computes scores; it only caches what ``kipp`` computes, keyed by edition and
a cheap data version (one small query), so a new score shows on the next refresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

import kipp.progress
from kipp import analytics, auth, db, queries, scoring
from kipp.adjustment import DisconnectedPanels, PanelGroup
from kipp.auth import Account
from kipp.progress import Progress
from kipp.ui.format import lang, t

if TYPE_CHECKING:
    from kipp.freeze import Frozen
    from kipp.ingest import DataSet, ImportSummary

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


@st.cache_data(ttl=5, show_spinner=False, max_entries=4)
def editions_table(_engine: Engine, url: str) -> pd.DataFrame:
    """The list of editions (refreshed every few seconds)."""
    return queries.editions(_engine)


def editions() -> pd.DataFrame:
    """All editions, newest first."""
    return editions_table(engine(), db.default_url())


def edition_picker(table: pd.DataFrame | None = None) -> int | None:
    """The edition selector shared by all pages (over ``table``, all editions by default); returns the selected year."""
    table = editions() if table is None else table
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


def leaderboard(year: int, method: str | None = None) -> pd.DataFrame:
    """The edition's ranking (by default under :func:`default_method`), recomputed only when a score changed."""
    return _leaderboard(engine(), db.default_url(), year, method or default_method(year), data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _available_methods(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> tuple[str, ...]:
    """kipp.scoring.available_methods of the cached edition."""
    return scoring.available_methods(_edition_data(_engine, url, year, version))


def available_methods(year: int) -> tuple[str, ...]:
    """The methods that can rank the edition now (adjusted only when its panels are linked)."""
    return _available_methods(engine(), db.default_url(), year, data_version(year))


def official_method(year: int) -> str:
    """The method the edition publishes its ranking with (Edition.official_method)."""
    return edition_data(year).official_method


FALLBACK_METHOD = "mean"


def ranking_method(data: scoring.EditionData, available: tuple[str, ...] | None = None) -> str:
    """The edition's official method, or the mean while it cannot rank the edition (unlinked panels)."""
    methods = scoring.available_methods(data) if available is None else available
    return data.official_method if data.official_method in methods else FALLBACK_METHOD


def default_method(year: int) -> str:
    """What every method select and ranking of an edition starts on (:func:`ranking_method`)."""
    return ranking_method(edition_data(year), available_methods(year))


def visible_editions(account: Account) -> pd.DataFrame:
    """The editions whose results ``account`` may see (Account.may_see), newest first."""
    table = editions()
    return table[table["status"].map(account.may_see).astype(bool)]


def all_data_version() -> tuple[Any, ...]:
    """The cheap fingerprint of every edition's data, edition by edition (small queries)."""
    return queries.all_data_version(engine())


# Each edition's trend part: ten editions, plus room for the versions a live edition moves through.
TREND_EDITION_ENTRIES = 32


@st.cache_data(show_spinner=False, max_entries=TREND_EDITION_ENTRIES)
def _edition_trends(
    _engine: Engine, url: str, year: int, method: str | None, version: tuple[Any, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One edition's results (under ``method``, or its own :func:`ranking_method`) and criterion scores,
    cached by that edition's own data version.

    Past editions do not change, so a new score recomputes its own edition, not all of them.
    """
    from kipp import trends

    edition = queries.load_all_editions(_engine, [year])[year]
    chosen = method or ranking_method(edition)
    return trends.edition_results(year, edition, chosen), trends.edition_criterion_scores(year, edition)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=4)
def _trend_inputs(
    _engine: Engine, url: str, method: str | None, version: tuple[Any, ...]
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


def trend_inputs(method: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(results, criterion scores, advancement) across all editions, recomputed only when data changed.

    Each edition is ranked by ``method``, or by default by its own official method (:func:`ranking_method`).
    """
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
def _progress(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> Progress:
    """Scoring progress (grid, counts per juror and day/room, who is awaited), cached by data version."""
    return kipp.progress.progress(_edition_data(_engine, url, year, version))


def progress(year: int) -> Progress:
    """How far scoring has come in an edition, recomputed only when a score changed."""
    return _progress(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _method_comparison(_engine: Engine, url: str, year: int, top: int, version: tuple[Any, ...]) -> pd.DataFrame:
    """The ranks under every method that can rank the edition now, side by side, from the cached leaderboards."""
    methods = _available_methods(_engine, url, year, version)
    boards = {method: _leaderboard(_engine, url, year, method, version) for method in methods}
    return scoring.compare_rankings(boards, top)


def method_comparison(year: int, top: int = 10) -> pd.DataFrame:
    """Ranks under every available aggregation method and Top-N membership, recomputed only when a score changed."""
    return _method_comparison(engine(), db.default_url(), year, top, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _frozen(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> Frozen | None:
    """The edition's frozen ranking or None (freeze and reveal bump the data version)."""
    from kipp import freeze

    return freeze.frozen(_engine, year)


def frozen(year: int) -> Frozen | None:
    """The frozen public ranking of an edition, or None when not frozen."""
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
def _juror_effects(
    _engine: Engine, url: str, year: int, version: tuple[Any, ...]
) -> pd.DataFrame | tuple[PanelGroup, ...]:
    """kipp.analytics.juror_effects of the cached edition, or the groups that keep it from being fitted.

    The groups are returned rather than raised: Streamlit caches results, not exceptions.
    """
    try:
        return analytics.juror_effects(_edition_data(_engine, url, year, version))
    except DisconnectedPanels as disconnected:
        return disconnected.groups


def juror_effects(year: int) -> pd.DataFrame | tuple[PanelGroup, ...]:
    """Each juror's effect and standard error from the adjusted fit, or the unlinked panel groups."""
    return _juror_effects(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _panel_groups(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> tuple[PanelGroup, ...]:
    """kipp.progress.unlinked_panels of the cached edition."""
    return kipp.progress.unlinked_panels(_edition_data(_engine, url, year, version))


def unlinked_panels(year: int) -> tuple[PanelGroup, ...]:
    """The groups of complete sheets sharing no juror and no entry (empty when the edition is linked)."""
    return _panel_groups(engine(), db.default_url(), year, data_version(year))


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _panel_agreement(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> pd.DataFrame | None:
    """kipp.analytics.agreement_by_panel of the cached edition; None without split panels.

    Recusals alone leave one panel (a recused entry is not a panel of its own), so the groups
    are only shown when sessions or assignments give entries different jurors.
    """
    data = _edition_data(_engine, url, year, version)
    split = (len(data.panels) or len(data.assignments)) and scoring.panels_differ(data)
    return analytics.agreement_by_panel(data) if split else None


def panel_agreement(year: int) -> pd.DataFrame | None:
    """ICC and Kendall's W per group of entries sharing their jurors; None without split panels."""
    return _panel_agreement(engine(), db.default_url(), year, data_version(year))


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
def _juror_entries(
    _engine: Engine, url: str, year: int, juror_id: int, method: str, version: tuple[Any, ...]
) -> pd.DataFrame:
    """kipp.analytics.juror_entries of the cached edition."""
    data = _edition_data(_engine, url, year, version)
    return analytics.juror_entries(data, juror_id, method=method)  # type: ignore[arg-type]


def juror_entries(year: int, juror_id: int) -> pd.DataFrame:
    """A juror's scores against the rest of the panel, entry by entry, ranked by the edition's default method."""
    return _juror_entries(engine(), db.default_url(), year, juror_id, default_method(year), data_version(year))


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


# --- Admin reads: accounts (kept fresh by forget_accounts after a change) and an import's preview ---


@st.cache_data(ttl=AUDIT_SECONDS, show_spinner=False, max_entries=4)
def _accounts(_engine: Engine, url: str) -> pd.DataFrame:
    """Every account without its hash."""
    return auth.list_users(_engine)


def accounts() -> pd.DataFrame:
    """Every account without its hash (kipp.auth.list_users), newest after :func:`forget_accounts`."""
    return _accounts(engine(), db.default_url())


@st.cache_data(ttl=AUDIT_SECONDS, show_spinner=False, max_entries=4)
def _demo_accounts(_engine: Engine, url: str, version: tuple[Any, ...]) -> list[auth.DemoAccount]:
    """The demo accounts the sign-in screen offers (a real edition arriving moves the data version)."""
    return auth.demo_accounts_on_offer(_engine)


def demo_accounts() -> list[auth.DemoAccount]:
    """Active accounts still on their public demo password, with it (none once real data exists)."""
    return _demo_accounts(engine(), db.default_url(), all_data_version())


@st.cache_data(ttl=AUDIT_SECONDS, show_spinner=False, max_entries=4)
def _demo_password_warning(_engine: Engine, url: str, version: tuple[Any, ...]) -> list[str]:
    """The demo accounts that keep a real edition from opening scoring (a real edition moves the data version)."""
    return auth.demo_password_warning(_engine)


def demo_password_warning() -> list[str]:
    """Accounts on a public demo password (or set up by a demo session) while the database holds real editions."""
    return _demo_password_warning(engine(), db.default_url(), all_data_version())


def forget_accounts() -> None:
    """Drop the cached account reads, so an account change shows on the next run (sign-ins expire in seconds)."""
    _accounts.clear()
    _demo_accounts.clear()
    _demo_password_warning.clear()


@st.cache_data(show_spinner=False, max_entries=4)
def _jurors(_engine: Engine, url: str, version: tuple[Any, ...]) -> dict[int, str]:
    """Every juror an account can be linked to (only an import adds jurors, and it moves the data version)."""
    return auth.jurors(_engine)


def jurors() -> dict[int, str]:
    """Every juror an account can be linked to: id -> name, by name."""
    return _jurors(engine(), db.default_url(), all_data_version())


@st.cache_data(show_spinner=False, max_entries=2)
def uploaded_data(files: tuple[tuple[str, bytes], ...]) -> DataSet:
    """Uploaded files read and checked once per upload (reruns reuse it; refusals are not cached)."""
    from kipp import ingest

    return ingest.load_files(files)


@st.cache_data(show_spinner=False, max_entries=2)
def _import_preview(
    _engine: Engine, url: str, files: tuple[tuple[str, bytes], ...], year: int, version: tuple[Any, ...]
) -> ImportSummary:
    """What the uploaded files would change in edition ``year``, cached by upload and data version."""
    from kipp import ingest

    return ingest.preview(_engine, uploaded_data(files), year)


def import_preview(files: tuple[tuple[str, bytes], ...], year: int) -> ImportSummary:
    """What importing the uploaded files into ``year`` would change; raises ImportRefused as the import would."""
    return _import_preview(engine(), db.default_url(), files, year, all_data_version())
