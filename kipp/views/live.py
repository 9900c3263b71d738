"""Live page sections: the ranking, "why this rank", big screen and freeze (progress: live_progress).

Each section is a function of its inputs (edition, method, account); the refreshing parts
are fragments that rerun every few seconds on their own, and everything they show is
cached by the edition's data version, so a refresh with no new score recomputes nothing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kipp import freeze, i18n, reports, scoring, ui
from kipp.audit import WriteRefused
from kipp.auth import Account
from kipp.progress import Explanation, explain
from kipp.views import live_progress

REFRESH_SECONDS = 5
TOP = 10
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
BIG_SCREEN = ("screen", "big")
BIG_SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, footer { display: none !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
.kipp-big h1 { font-size: 3.2rem; margin: 0 0 1rem 0; }
.kipp-big table { width: 100%; border-collapse: collapse; font-size: 2.4rem; }
.kipp-big th { text-align: left; font-size: 1.4rem; opacity: .7; border-bottom: 2px solid #ccc; }
.kipp-big td { padding: .35rem .6rem; border-bottom: 1px solid #e5e5e5; vertical-align: middle; }
.kipp-big td.rank { width: 4rem; font-weight: 700; }
.kipp-big td.entry small { display: block; font-size: 1.2rem; opacity: .7; }
.kipp-big td.score { text-align: right; font-variant-numeric: tabular-nums; font-weight: 700; }
.kipp-big td.award span { color: #fff; padding: .1rem .8rem; border-radius: .5rem; font-size: 1.6rem; }
.kipp-big p { font-size: 1.3rem; opacity: .8; }
</style>
"""


def projector() -> bool:
    """Whether this tab shows the big screen (the ``?screen=big`` query parameter)."""
    return st.query_params.get(BIG_SCREEN[0]) == BIG_SCREEN[1]


def requested_method() -> str:
    """The aggregation method asked for in the address or this session (the mean otherwise)."""
    requested = st.query_params.get("method", st.session_state.get("method"))
    return requested if requested in scoring.METHODS else "mean"


def big_screen_mode(on: bool) -> None:
    """Turn big-screen mode on or off in this tab (the query parameter; the session stays signed in)."""
    if on:
        st.query_params[BIG_SCREEN[0]] = BIG_SCREEN[1]
    else:
        del st.query_params[BIG_SCREEN[0]]


def when(moment: dt.datetime) -> str:
    """A moment as people in Malang read it (WIB)."""
    local = moment.astimezone(WIB)
    return ui.t("live.time", date=i18n.format_date(local.date(), ui.lang()), time=local.strftime("%H:%M"))


def movement(board: pd.DataFrame, year: int, view: str) -> pd.Series:
    """▲/▼ since the ranking last changed in this session (previous ranks kept per session)."""
    key = f"live_ranks_{year}_{view}"
    version = ui.data_version(year)
    ranks = {
        code: (None if pd.isna(rank) else int(rank)) for code, rank in zip(board["code"], board["rank"], strict=True)
    }
    memory = st.session_state.get(key)
    if memory is None:
        memory = {"version": version, "ranks": ranks, "previous": {}}
    elif memory["version"] != version:
        memory = {"version": version, "ranks": ranks, "previous": memory["ranks"]}
    st.session_state[key] = memory
    moves = reports.rank_movement(ranks, memory["previous"])
    return board["code"].map(lambda code: reports.movement_arrow(moves.get(code)))


def arrow_css(arrow: str) -> str:
    """Green for places gained, red for places lost."""
    return "color: #1E8449" if arrow.startswith("▲") else "color: #C0392B" if arrow else ""


def ranking(board: pd.DataFrame, year: int, view: str) -> None:
    """The ranking table: rank, entry, score, award (tier colour) first, so a phone shows them
    without scrolling; then movement, jurors done, status and unit.  Codes are in the drill-down.

    Column widths are fixed so that every column fits the main area of a 1280 px screen.
    """
    if board["score"].isna().all():
        st.info(ui.t("live.no_scores"))
        return
    shown = ui.localised(board[["rank", "title", "score", "award", "institution"]], ["rank"], 0)
    shown = ui.localised(shown, ["score"]).assign(
        award=board["award"].fillna(""),
        movement=movement(board, year, view),
        jurors=[
            ui.t("live.jurors_done", done=d, panel=p) for d, p in zip(board["jurors"], board["panel"], strict=True)
        ],
        status=board["provisional"].map({True: ui.t("live.provisional"), False: ui.t("live.complete")}),
        code=board["code"],  # kept in the data so rows stay identifiable; not a shown column
    )[["rank", "title", "score", "award", "movement", "jurors", "status", "institution", "code"]]
    provisional_css = board["provisional"].map({True: "font-style: italic; color: #8A6D3B", False: ""}).to_numpy()
    styled = ui.award_styled(
        shown,
        positions=board["tier_position"],
        then=lambda styler: styler.map(arrow_css, subset=["movement"]).apply(
            lambda _: provisional_css, subset=["status"]
        ),
    )
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        height=min(36 * (len(shown) + 1) + 2, 720),
        column_order=["rank", "title", "score", "award", "movement", "jurors", "status", "institution"],
        column_config={
            "rank": ui.number_text(ui.t("column.rank"), width=72),
            "title": st.column_config.TextColumn(ui.t("column.title"), width=210),
            "score": ui.number_text(ui.t("column.score"), width=64),
            "award": st.column_config.TextColumn(ui.t("column.award"), width=96),
            "movement": st.column_config.TextColumn(ui.t("live.column.movement"), width=56),
            "jurors": st.column_config.TextColumn(ui.t("column.jurors"), width=72),
            "status": st.column_config.TextColumn(ui.t("live.column.status"), width=92),
            "institution": st.column_config.TextColumn(ui.t("column.institution"), width=130),
        },
        key=f"live_table_{view}",
    )
    provisional = int(board["provisional"].sum())
    if provisional:
        st.caption(ui.t("live.provisional_note", n=provisional))


def _why_rank(why: Explanation, method: str) -> None:
    """The entry's rank, score and how its tie-break played."""
    row = why.row
    lang = ui.lang()
    st.markdown(
        ui.t(
            "live.why.summary",
            rank=int(row["rank"]),
            score=i18n.format_number(row["score"], lang),
            method=ui.t(f"method.{method}"),
            done=int(row["jurors"]),
        )
    )
    tiebreak = {"criterion": ui.plain(why.tiebreak_criterion), "value": i18n.format_number(row["tiebreak"], lang)}
    if why.tied_after_tiebreak:
        others = ui.plain(", ".join(why.tied_after_tiebreak))
        st.warning(ui.t("live.why.tie_shared", others=others, rank=int(row["rank"]), **tiebreak))
    elif why.tied_on_score:
        st.info(ui.t("live.why.tie_broken", others=ui.plain(", ".join(why.tied_on_score)), **tiebreak))
    else:
        st.caption(ui.t("live.why.no_tie", **tiebreak))


def why(board: pd.DataFrame, year: int, method: str) -> None:
    """The drill-down: an entry's juror totals and criterion scores, and how the tie-break played."""
    labels = {
        entry_id: f"{'–' if pd.isna(rank) else int(rank)} · {code} · {title}"
        for entry_id, rank, code, title in zip(
            board["entry_id"], board["rank"], board["code"], board["title"], strict=True
        )
    }
    entry_id = st.selectbox(
        ui.t("live.why.pick"),
        options=list(labels),
        format_func=labels.__getitem__,
        index=None,
        placeholder=ui.t("live.why.placeholder"),
        key="live_why",
    )
    if entry_id is None:
        return
    explanation = explain(ui.edition_data(year), board, entry_id)
    row = explanation.row
    if pd.isna(row["rank"]):
        st.info(ui.t("live.why.unranked"))
    else:
        _why_rank(explanation, method)
    if row["provisional"]:
        st.warning(ui.t("live.why.provisional", done=int(row["jurors"]), panel=int(row["panel"])))
    st.caption(ui.t("live.why.sheets"))
    status = explanation.sheets["status"].map(lambda s: ui.t(f"live.status.{s}"))
    sheets = explanation.sheets.drop(columns=["juror_id", "seat"]).assign(status=status)
    criteria = [c for c in sheets.columns if c not in ("juror", "status", "total")]
    st.dataframe(
        sheets[["juror", "status", *criteria, "total"]],
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("live.column.juror"),
            "status": ui.t("live.column.status"),
            "total": st.column_config.NumberColumn(ui.t("live.column.total"), format="%.2f"),
            **{c: st.column_config.NumberColumn(c, format="%g") for c in criteria},
        },
        key="live_why_sheets",
    )


@st.fragment(run_every=REFRESH_SECONDS)
def big_screen(year: int, method: str) -> None:
    """The projector: top 10 of the public ranking in large type, nothing to click."""
    state = ui.frozen(year)
    board = freeze.public_leaderboard(ui.leaderboard(year, method), state)
    notes = [ui.t("live.freeze.frozen_public", time=when(state.frozen_at))] if state else []
    provisional = int(board["provisional"].sum())
    if provisional:
        notes.append(ui.t("live.big.provisional", n=provisional))
    headers = {name: ui.t(f"column.{name}") for name in ("rank", "title", "score", "award")}
    st.html(
        reports.big_screen_html(
            board,
            title=ui.t("live.big.title", year=year),
            notes=notes,
            headers=headers,
            lang=ui.lang(),
            top=TOP,
        )
    )


def big_screen_page(year: int, method: str, organizer: bool) -> None:
    """The big screen, full width; an organizer's own tab gets a way back (a public screen has nothing to click)."""
    st.html(BIG_SCREEN_CSS)
    big_screen(year, method)
    if organizer:
        st.button(
            ui.t("live.big_screen_exit"),
            key="live_big_exit",
            on_click=big_screen_mode,
            args=(False,),
            icon=":material/close_fullscreen:",
            type="tertiary",
        )


@st.fragment(run_every=REFRESH_SECONDS)
def public_view(year: int, method: str) -> None:
    """Viewers and the public: the public ranking (frozen while frozen), read-only."""
    state = ui.frozen(year)
    if state:
        st.info(ui.t("live.freeze.frozen_public", time=when(state.frozen_at)), icon=":material/ac_unit:")
    ranking(freeze.public_leaderboard(ui.leaderboard(year, method), state), year, "public")


@st.fragment(run_every=REFRESH_SECONDS)
def organizer_view(year: int, method: str) -> None:
    """Organizers: the live ranking, method agreement, progress and the drill-down."""
    board = ui.leaderboard(year, method)
    state = ui.frozen(year)
    if state:
        st.info(ui.t("live.freeze.frozen_organizer", time=when(state.frozen_at)), icon=":material/ac_unit:")
    comparison = ui.method_comparison(year, TOP)
    disagree = scoring.top_sets_disagree(comparison)
    if disagree:
        titles = dict(zip(comparison["code"], comparison["title"], strict=True))
        entries = ", ".join(f"{code} {titles[code]}" for code in disagree)
        st.warning(ui.t("live.method.disagree", entries=ui.plain(entries)))
    elif board["score"].notna().any():
        st.caption(ui.t("live.method.agree"))
    ranking_tab, progress_tab, why_tab = st.tabs([ui.t(f"live.tab.{tab}") for tab in ("ranking", "progress", "why")])
    with ranking_tab:
        ranking(board, year, "organizer")
    with progress_tab:
        live_progress.render(year)
    with why_tab:
        why(board, year, method)


def _freeze_button(year: int, account: Account, method: str) -> None:
    """Freeze the public ranking (or reveal it again), as the signed-in organizer."""
    is_frozen = ui.frozen(year) is not None
    label = "live.freeze.reveal_button" if is_frozen else "live.freeze.button"
    if not st.button(ui.t(label), key="live_freeze", help=ui.t("live.freeze.help"), icon=":material/ac_unit:"):
        return
    try:
        if is_frozen:
            freeze.reveal(ui.engine(), year, account.actor)
            st.toast(ui.t("live.freeze.revealed"))
        else:
            freeze.freeze(ui.engine(), year, account.actor, method)
            st.toast(ui.t("live.freeze.done"))
        st.rerun()
    except WriteRefused as refused:
        for problem in refused.problems:
            st.error(ui.t(problem.key, **problem.values))


def organizer_controls(year: int, account: Account) -> str:
    """The method switch, the big-screen button and freeze; returns the chosen method."""
    controls, actions = st.columns([3, 2])
    with controls:
        method = st.segmented_control(
            ui.t("method.label"),
            options=list(scoring.METHODS),
            format_func=lambda m: ui.t(f"method.{m}"),
            key="method",
            default="mean",
            bind="query-params",
            required=True,
        )
        st.caption(ui.t(f"method.help.{method}"))
    with actions:
        st.button(
            ui.t("live.big_screen_link"),
            key="live_big_screen",
            on_click=big_screen_mode,
            args=(True,),
            icon=":material/tv:",
            help=ui.t("live.big_screen_help"),
        )
        _freeze_button(year, account, method)
    return method
