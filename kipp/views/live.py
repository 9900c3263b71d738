"""Live page sections: the ranking, "why this rank", big screen, freeze and the ceremony's place on the page.

Each section is a function of its inputs (edition, method, account); the refreshing parts
are fragments that rerun every few seconds on their own, and everything they show is
cached by the edition's data version, so a refresh with no new score recomputes nothing.
(Progress: kipp.views.live_progress; the ceremony reveal: kipp.views.reveal.)
"""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import streamlit as st

from kipp import adjustment, bigscreen, freeze, i18n, reports, scoring, ui
from kipp.audit import WriteRefused
from kipp.auth import Account
from kipp.progress import Explanation, explain
from kipp.views import live_progress
from kipp.views import reveal as reveal_view

REFRESH_SECONDS = 5
# The big screen polls faster, so a ceremony step shows on every screen about when it is clicked.
BIG_SCREEN_SECONDS = 2
# With the whole board on the big screen, each page of ten stays this long.
PAGE_SECONDS = 10
TOP = 10
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
BIG_SCREEN = ("screen", "big")
WHOLE_BOARD = ("page", "all")
METHOD_KEY = "method"  # the organizer's method switch, also the address's ?method=
METHOD_YEAR_KEY = "live_method_year"  # the edition the switch was last drawn for


def projector() -> bool:
    """Whether this tab shows the big screen (the ``?screen=big`` query parameter)."""
    return st.query_params.get(BIG_SCREEN[0]) == BIG_SCREEN[1]


def official_method(year: int) -> str:
    """The edition's official method when it can rank the edition now, else the mean (e.g. adjusted, disconnected)."""
    data = ui.edition_data(year)
    return data.official_method if data.official_method in scoring.available_methods(data) else "mean"


def requested_method(year: int | None = None) -> str:
    """The method asked for in the address or this session when it can rank the edition, else the
    edition's official method (``year`` defaults to the edition picked in the sidebar)."""
    requested = st.query_params.get(METHOD_KEY, st.session_state.get(METHOD_KEY))
    year = ui.selected_year() if year is None else year
    if year is None:
        return requested if requested in scoring.METHODS else "mean"
    return requested if requested in scoring.available_methods(ui.edition_data(year)) else official_method(year)


def _query_switch(name: str, value: str, on: bool) -> None:
    if on:
        st.query_params[name] = value
    else:
        st.query_params.pop(name, None)


def big_screen_mode(on: bool) -> None:
    """Turn big-screen mode on or off in this tab (the query parameter; the session stays signed in)."""
    _query_switch(*BIG_SCREEN, on)


def whole_board() -> bool:
    """Whether the big screen pages through the whole board (``?page=all``), not only the Top 10."""
    return st.query_params.get(WHOLE_BOARD[0]) == WHOLE_BOARD[1]


def whole_board_mode(on: bool) -> None:
    """Page through the whole board on this big screen, or show the Top 10 only."""
    _query_switch(*WHOLE_BOARD, on)


def when(moment: dt.datetime) -> str:
    """A moment as people in Malang read it (WIB)."""
    local = moment.astimezone(WIB)
    return ui.t("live.time", date=i18n.format_date(local.date(), ui.lang()), time=local.strftime("%H:%M"))


def last_update(year: int) -> dt.datetime | None:
    """When the edition's last score was written (the data version carries it), None before any."""
    latest = str(ui.data_version(year)[-1])
    try:
        moment = dt.datetime.fromisoformat(latest)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


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
    # A board frozen before entries could withdraw has no entry_status: every entry competed.
    entry_status = board.get("entry_status", pd.Series(scoring.COMPETING, index=board.index)).fillna(scoring.COMPETING)
    status = board["provisional"].map({True: ui.t("live.provisional"), False: ui.t("live.complete")})
    status = status.where(
        entry_status.eq(scoring.COMPETING), entry_status.map(lambda s: ui.t(f"panels.entry_status.{s}"))
    )
    shown = ui.localised(shown, ["score"]).assign(
        award=scoring.shown_awards(board, ui.t("award.provisional_mark")).fillna(""),
        movement=movement(board, year, view),
        jurors=[
            ui.t("live.jurors_done", done=d, panel=p) for d, p in zip(board["jurors"], board["panel"], strict=True)
        ],
        status=status,
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
        ui.localised(sheets[["juror", "status", *criteria, "total"]], [*criteria, "total"]),
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("live.column.juror"),
            "status": ui.t("live.column.status"),
            "total": ui.number_text(ui.t("live.column.total")),
            **{c: ui.number_text(c) for c in criteria},
        },
        key="live_why_sheets",
    )


def _big_board(year: int, method: str) -> None:
    """The ranking on the big screen: Top 10, or a page of the whole board (turning every PAGE_SECONDS)."""
    state = ui.frozen(year)
    board = freeze.public_leaderboard(ui.leaderboard(year, method), state)
    whole = whole_board()
    pages = bigscreen.page_count(bigscreen.shown_rows(board, whole=True)) if whole else 1
    page = int(time.time() // PAGE_SECONDS) % pages
    done, total = bigscreen.scored(board)
    summary = [ui.t("live.big.scored", n=done, total=total)]
    updated = last_update(year)
    if state:
        summary.append(ui.t("live.freeze.frozen_public", time=when(state.frozen_at)))
    elif updated is not None:
        summary.append(ui.t("live.big.updated", time=when(updated)))
    provisional = int(board["provisional"].sum())
    notes = [ui.t("live.big.provisional", n=provisional)] if provisional and not whole and done else []
    if not done:
        notes.append(ui.t("live.big.nothing_yet"))
    final = scoring.awards_final(ui.edition_record(year)["status"])
    arrows = dict(zip(board["code"], movement(board, year, "big"), strict=True))
    st.html(
        bigscreen.big_screen_html(
            board,
            title=ui.t("live.big.title_all" if whole else "live.big.title", year=year),
            notes=notes,
            headers={name: ui.t(f"column.{name}") for name in bigscreen.COLUMNS},
            lang=ui.lang(),
            top=TOP,
            summary=" · ".join(summary),
            page=page,
            whole=whole,
            page_label=ui.t("live.big.page", page=page + 1, pages=pages) if pages > 1 else "",
            arrows={code: arrow for code, arrow in arrows.items() if arrow},
            award_note=None if final else ui.t("live.big.provisional_award"),
            in_progress=ui.t("live.big.in_progress"),
        )
    )


@st.fragment(run_every=BIG_SCREEN_SECONDS)
def big_screen(year: int, method: str) -> None:
    """The projector: the ceremony while one runs, else the public ranking in large type; nothing to click."""
    show = reveal_view.current(year)
    if show is not None:
        reveal_view.screen(show)
    else:
        _big_board(year, method)


def _big_screen_bar(year: int, account: Account) -> None:
    """The organizer's own big screen: a large way out, the whole-board switch and the ceremony's buttons."""
    show = reveal_view.current(year)
    if show is not None:
        reveal_view.controls(year, account, show)
    bar = st.container(horizontal=True, key="live_big_bar")
    with bar:
        st.button(
            ui.t("live.big_screen_exit"),
            key="live_big_exit",
            on_click=big_screen_mode,
            args=(False,),
            icon=":material/close_fullscreen:",
            type="primary",
        )
        if show is None:
            whole = whole_board()
            st.button(
                ui.t("live.big.top_only" if whole else "live.big.whole"),
                key="live_big_whole",
                on_click=whole_board_mode,
                args=(not whole,),
                icon=":material/format_list_numbered:",
            )


def big_screen_page(year: int, method: str, organizer: bool = False) -> None:
    """The big screen, full width; an organizer's own tab gets a large way back and the ceremony's
    buttons on top (a public screen or a display link has nothing to click)."""
    st.html(bigscreen.CSS)
    account = ui.current_account() if organizer else None
    if account is not None:
        _big_screen_bar(year, account)
    big_screen(year, method)


@st.fragment(run_every=REFRESH_SECONDS)
def public_view(year: int, method: str) -> None:
    """Viewers and the public: the public ranking (frozen while frozen), read-only; during the
    ceremony the step on the big screen instead, so a phone does not give the winners away."""
    show = reveal_view.current(year)
    if show is not None:
        st.html(bigscreen.STYLE)
        reveal_view.screen(show)
        return
    state = ui.frozen(year)
    if state:
        st.info(ui.t("live.freeze.frozen_public", time=when(state.frozen_at)), icon=":material/ac_unit:")
    ranking(freeze.public_leaderboard(ui.leaderboard(year, method), state), year, "public")


def _panel_groups(error: adjustment.DisconnectedPanels) -> str:
    """The groups of sheets that share no juror and no entry, by room (or number), jurors and entries."""
    described = []
    for number, group in enumerate(error.groups, start=1):
        label = " + ".join(group.rooms) or ui.t("live.panels.group", number=number)
        described.append(ui.t("live.panels.group_detail", label=label, jurors=", ".join(group.jurors), n=group.entries))
    return "; ".join(described)


def panels_notice(year: int) -> None:
    """When entries had different panels and the official method is the plain mean: say so, and
    show where the adjusted method would change an award (or which groups keep it from comparing)."""
    data = ui.edition_data(year)
    if data.official_method != "mean" or not scoring.panels_differ(data):
        return
    st.warning(ui.t("live.panels.differ"), icon=":material/groups:")
    try:
        changes = adjustment.award_changes(ui.leaderboard(year, "mean"), ui.leaderboard(year, "adjusted"))
    except adjustment.DisconnectedPanels as error:
        st.caption(ui.t("live.panels.disconnected", groups=ui.plain(_panel_groups(error))))
        return
    if changes.empty:
        st.caption(ui.t("live.panels.same_awards"))
        return
    st.caption(ui.t("live.panels.changes", n=len(changes)))
    shown = changes.assign(
        award_before=changes["award_before"].fillna("–"),
        award_after=changes["award_after"].fillna("–"),
        change=changes["change"].map(lambda change: ui.t(f"live.panels.change.{change}")),
    )
    st.dataframe(
        shown[["code", "title", "award_before", "award_after", "change"]],
        hide_index=True,
        width="stretch",
        column_config={
            "code": ui.t("column.code"),
            "title": ui.t("column.title"),
            "award_before": ui.t("live.panels.award_mean"),
            "award_after": ui.t("live.panels.award_adjusted"),
            "change": ui.t("live.column.status"),
        },
        key="live_panel_changes",
    )


@st.fragment(run_every=REFRESH_SECONDS)
def organizer_view(year: int, method: str) -> None:
    """Organizers: the live ranking, method agreement, panels, progress and the drill-down."""
    board = ui.leaderboard(year, method)
    state = ui.frozen(year)
    if state:
        st.info(ui.t("live.freeze.frozen_organizer", time=when(state.frozen_at)), icon=":material/ac_unit:")
    panels_notice(year)
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


def _freeze_button(year: int, account: Account, method: str, status: str) -> None:
    """Freeze the public ranking (or reveal it again), as the signed-in organizer.

    Freezing is offered in scoring and locked only; ending a freeze whenever one is on.
    """
    is_frozen = ui.frozen(year) is not None
    if not is_frozen and status not in freeze.PRESENTATION_STATUSES:
        return
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
            st.error(problem.text(ui.lang()))


def organizer_controls(year: int, account: Account) -> str:
    """The method switch (the official method first), the big-screen button, freeze and the ceremony;
    returns the chosen method."""
    status = ui.edition_record(year)["status"]
    show = reveal_view.current(year)
    if show is not None:
        reveal_view.controls(year, account, show)
    # Another edition picked: its switch starts on its own official method, not the last one's choice.
    # (Set through the session state, so the browser's switch follows; then without a default, which
    # Streamlit would warn about.  The widget keeps its identity: it is keyed.)
    another_edition = st.session_state.get(METHOD_YEAR_KEY, year) != year
    if another_edition:
        st.session_state[METHOD_KEY] = official_method(year)
    st.session_state[METHOD_YEAR_KEY] = year
    # The method switch gets the full width (five methods uncut on a laptop); the buttons follow in a row.
    controls, actions = st.container(), st.container(horizontal=True)
    with controls:
        method = st.segmented_control(
            ui.t("method.label"),
            options=list(scoring.available_methods(ui.edition_data(year))),
            format_func=lambda m: ui.t(f"method.{m}"),
            key=METHOD_KEY,
            default=None if another_edition else official_method(year),
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
        _freeze_button(year, account, method, status)
        ceremony_ready = ui.frozen(year) is not None or status == "locked"
        if show is None and ceremony_ready and status in freeze.PRESENTATION_STATUSES:
            reveal_view.start_button(year, account)
    return method
