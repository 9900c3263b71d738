"""Live page › Progress: how far scoring has come, per sheet, juror and session, and who is awaited.

Drawn inside the organizer's refreshing fragment (kipp.views.live), from ui.progress, which is
cached by the edition's data version.  Rows are grouped by session (day, room), so with
parallel rooms each room's panel reads as its own block; a juror who does not sit on an
entry's panel gets "·" (not assigned), never "–" (missing).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kipp import charts, progress, scoring, ui
from kipp.models import EntryStatus
from kipp.progress import Progress

GRID_SYMBOLS = {
    scoring.SHEET_DONE: "✓",
    scoring.SHEET_PARTIAL: "◐",
    scoring.SHEET_MISSING: "–",
    scoring.SHEET_RECUSED: "⊘",
    scoring.SHEET_UNASSIGNED: "·",
    progress.CELL_WITHDRAWN: "✕",
    progress.CELL_ABSENT: "○",
}


def status_css(status: str) -> str:
    """A progress-grid cell in its status colour."""
    return f"background-color: {charts.status_color(status)}; text-align: center"


def session_label(day: Any, room: Any) -> str:
    """'Hari 2 · Ruang Eboni', 'Hari 2' without a room, or 'not scheduled' without a day."""
    if pd.isna(day):
        return ui.t("progress.session_unscheduled")
    if pd.isna(room) or not str(room).strip():
        return ui.t("progress.session_no_room", day=int(day))
    return ui.t("progress.session", day=int(day), room=room)


def sessions(frame: pd.DataFrame) -> list[str]:
    """The session label of every row of a frame with day and room columns."""
    return [session_label(day, room) for day, room in zip(frame["day"], frame["room"], strict=True)]


def _progress_grid(state: Progress, names: dict[Any, str]) -> None:
    """Entry × juror grid, grouped by session: every panel juror gets a narrow column headed by the
    seat (the name is the header's tooltip and in the caption), so all of them fit beside the entries."""
    panel = state.by_juror
    st.subheader(ui.t("live.progress.grid"))
    st.caption(ui.t("progress.legend"))
    seats = dict(zip(panel["juror_id"], panel["seat"].astype(int), strict=True))
    st.caption(" · ".join(ui.t("live.progress.seat_name", seat=seats[j], juror=ui.plain(names[j])) for j in names))
    jurors = list(names)
    grid = state.grid
    left = grid["entry_status"] != EntryStatus.competing.value
    rows = grid[["code", "title"]].assign(session=sessions(grid))[["session", "code", "title"]]
    if left.any():
        rows["entry_status"] = grid["entry_status"].map(lambda s: ui.t(f"panels.entry_status.{s}"))
    cells = pd.DataFrame({names[j]: grid[j].map(GRID_SYMBOLS) for j in jurors})
    symbols = pd.concat([rows, cells], axis=1)
    colors = pd.DataFrame({names[j]: grid[j].map(status_css) for j in jurors})
    st.dataframe(
        symbols.style.apply(lambda _: colors, axis=None, subset=list(colors.columns)),
        hide_index=True,
        width="stretch",
        height=min(36 * (len(symbols) + 1) + 2, 560),
        column_config={
            "session": st.column_config.TextColumn(ui.t("progress.column.session"), width=150),
            "code": st.column_config.TextColumn(ui.t("column.code"), width=72),
            "title": st.column_config.TextColumn(ui.t("column.title"), width="medium"),
            "entry_status": st.column_config.TextColumn(ui.t("progress.column.entry_status"), width="small"),
            **{
                names[j]: st.column_config.TextColumn(
                    ui.t("live.progress.seat", seat=seats[j]), help=ui.plain(names[j]), width=52, alignment="center"
                )
                for j in jurors
            },
        },
        key="live_grid",
    )
    if left.any():
        st.caption(ui.t("progress.left_note", n=int(left.sum())))


def _by_session(by_session: pd.DataFrame) -> None:
    """Sheets done per session (day and room), with the jurors sitting there."""
    st.subheader(ui.t("live.progress.by_session"))
    table = by_session.assign(
        session=sessions(by_session),
        sheets=[f"{d} / {e}" for d, e in zip(by_session["done"], by_session["expected"], strict=True)],
    )
    shown = ["session", "jurors", "entries", "sheets", "complete_entries"]
    st.dataframe(
        table[[*shown, "left"] if table["left"].any() else shown],
        hide_index=True,
        width="stretch",
        column_config={
            "session": ui.t("progress.column.session"),
            "jurors": ui.t("progress.column.jurors"),
            "entries": ui.t("live.column.entries"),
            "sheets": ui.t("live.column.sheets"),
            "complete_entries": ui.t("live.column.complete_entries"),
            "left": ui.t("progress.column.left"),
        },
        key="live_sessions",
    )


def render(year: int) -> None:
    """Entry × juror grid, counts per juror and per session, and the entries waiting for a juror."""
    state = ui.progress(year)
    panel = state.by_juror
    names = dict(zip(panel["juror_id"], panel["juror"].astype(str), strict=True))
    done, expected = int(panel["done"].sum()), int(panel["expected"].sum())
    first, second, third = st.columns(3)
    first.metric(ui.t("live.progress.sheets_metric"), f"{done} / {expected}", border=True)
    complete, entries = int(state.by_session["complete_entries"].sum()), int(state.by_session["entries"].sum())
    second.metric(ui.t("live.progress.entries_metric"), f"{complete} / {entries}", border=True)
    third.metric(ui.t("live.progress.waiting_metric"), len(state.waiting), border=True)

    # The grid gets the full width, so the session, the title and every juror's column fit on a laptop.
    _progress_grid(state, names)
    _by_session(state.by_session)
    st.subheader(ui.t("live.progress.by_juror"))
    st.plotly_chart(charts.juror_progress(panel, lang=ui.lang()), width="stretch", key="live_juror_chart")
    st.subheader(ui.t("live.progress.waiting"))
    if state.waiting.empty:
        st.caption(ui.t("live.progress.none_waiting"))
    else:
        waiting = state.waiting.assign(session=sessions(state.waiting))
        st.dataframe(
            waiting[["session", "slot", "code", "title", "waiting_for"]],
            hide_index=True,
            width="stretch",
            column_config={
                "session": ui.t("progress.column.session"),
                "slot": ui.t("live.column.slot"),
                "code": ui.t("column.code"),
                "title": ui.t("column.title"),
                "waiting_for": ui.t("live.column.waiting_for"),
            },
            key="live_waiting",
        )
