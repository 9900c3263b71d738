"""Live page › Progress: how far scoring has come, per sheet, juror and session, and who is awaited.

Drawn inside the organizer's refreshing fragment (kipp.views.live), from ui.progress, which is
cached by the edition's data version.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kipp import charts, scoring, ui
from kipp.progress import Progress

GRID_SYMBOLS = {
    scoring.SHEET_DONE: "✓",
    scoring.SHEET_PARTIAL: "◐",
    scoring.SHEET_MISSING: "–",
    scoring.SHEET_RECUSED: "⊘",
}


def status_css(status: str) -> str:
    """A progress-grid cell in its status colour."""
    return f"background-color: {charts.status_color(status)}; text-align: center"


def _progress_grid(progress: Progress, names: dict[int, str]) -> None:
    """Entry × juror grid: every panel juror gets a narrow column headed by the seat (the name is
    the header's tooltip and in the caption), so all of them fit beside the entries."""
    panel = progress.by_juror
    st.subheader(ui.t("live.progress.grid"))
    st.caption(ui.t("live.progress.legend"))
    seats = dict(zip(panel["juror_id"], panel["seat"].astype(int), strict=True))
    st.caption(" · ".join(ui.t("live.progress.seat_name", seat=seats[j], juror=ui.plain(names[j])) for j in names))
    jurors = list(names)
    grid = progress.grid[["code", "title", *jurors]]
    cells = pd.DataFrame({names[j]: grid[j].map(GRID_SYMBOLS) for j in jurors})
    symbols = pd.concat([grid[["code", "title"]], cells], axis=1)
    colors = pd.DataFrame({names[j]: grid[j].map(status_css) for j in jurors})
    st.dataframe(
        symbols.style.apply(lambda _: colors, axis=None, subset=list(colors.columns)),
        hide_index=True,
        width="stretch",
        height=min(36 * (len(symbols) + 1) + 2, 560),
        column_config={
            "code": st.column_config.TextColumn(ui.t("column.code"), width=72),
            "title": st.column_config.TextColumn(ui.t("column.title"), width="medium"),
            **{
                names[j]: st.column_config.TextColumn(
                    ui.t("live.progress.seat", seat=seats[j]), help=ui.plain(names[j]), width=52, alignment="center"
                )
                for j in jurors
            },
        },
        key="live_grid",
    )


def render(year: int) -> None:
    """Entry × juror grid, counts per juror and per day/room, and the entries waiting for a juror."""
    state = ui.progress(year)
    panel = state.by_juror
    names = dict(zip(panel["juror_id"], panel["juror"].astype(str), strict=True))
    done, expected = int(panel["done"].sum()), int(panel["expected"].sum())
    sessions = state.by_session
    first, second, third = st.columns(3)
    first.metric(ui.t("live.progress.sheets_metric"), f"{done} / {expected}", border=True)
    complete, entries = int(sessions["complete_entries"].sum()), int(sessions["entries"].sum())
    second.metric(ui.t("live.progress.entries_metric"), f"{complete} / {entries}", border=True)
    third.metric(ui.t("live.progress.waiting_metric"), len(state.waiting), border=True)

    left, right = st.columns([3, 2])
    with left:
        _progress_grid(state, names)
    with right:
        st.subheader(ui.t("live.progress.by_juror"))
        st.plotly_chart(charts.juror_progress(panel, lang=ui.lang()), width="stretch", key="live_juror_chart")
        st.subheader(ui.t("live.progress.by_session"))
        st.dataframe(
            sessions.assign(sheets=[f"{d} / {e}" for d, e in zip(sessions["done"], sessions["expected"], strict=True)])[
                ["day", "room", "entries", "sheets", "complete_entries"]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "day": ui.t("live.column.day"),
                "room": ui.t("live.column.room"),
                "entries": ui.t("live.column.entries"),
                "sheets": ui.t("live.column.sheets"),
                "complete_entries": ui.t("live.column.complete_entries"),
            },
        )
    st.subheader(ui.t("live.progress.waiting"))
    if state.waiting.empty:
        st.caption(ui.t("live.progress.none_waiting"))
    else:
        st.dataframe(
            state.waiting[["code", "title", "day", "room", "slot", "waiting_for"]],
            hide_index=True,
            width="stretch",
            column_config={
                "code": ui.t("column.code"),
                "title": ui.t("column.title"),
                "day": ui.t("live.column.day"),
                "room": ui.t("live.column.room"),
                "slot": ui.t("live.column.slot"),
                "waiting_for": ui.t("live.column.waiting_for"),
            },
            key="live_waiting",
        )
