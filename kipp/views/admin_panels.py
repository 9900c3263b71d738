"""Admin → Panel & penugasan: which jurors score which entry, and entries that left the competition.

A grid with one row per session (a day in a room) and a checkbox per juror seats the jurors
of parallel rooms; an entry can get its own jurors; an entry can be marked withdrawn or
absent with a reason.  Every save goes through kipp.services (set_session_panels,
set_entry_jurors, set_entry_status), which refuses a change that would strand stored scores.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from kipp import scoring, services, sheets, ui
from kipp.models import EditionStatus, EntryStatus
from kipp.rules import OPEN_STATUSES
from kipp.views.admin_edition import actor, run_write, show_flash

GRID_KEY = "panels.grid"
FLASH_KEY = "admin_panels.flash"
SESSION_COLUMNS = ["day", "room", "entries", "panel"]


def juror_column(juror_id: int) -> str:
    """The grid's column of one juror (by id: names are typed text)."""
    return f"j{juror_id}"


def seat_grid(data: scoring.EditionData) -> pd.DataFrame:
    """One row per session of the schedule: day, room, entries, and a True/False column per panel juror
    (:func:`juror_column`) saying whether they sit in that session."""
    grid = sheets.sessions(data.entries)
    seats = data.panels
    seated = set(zip(seats["day"].astype(int), seats["room"], seats["juror_id"].astype(int), strict=True))
    for juror_id in data.panel["juror_id"].astype(int):
        grid[juror_column(juror_id)] = [
            (day, room, juror_id) in seated for day, room in zip(grid["day"], grid["room"], strict=True)
        ]
    return grid


def seats_from_grid(grid: pd.DataFrame, juror_ids: Iterable[int]) -> dict[tuple[int, str], set[int]]:
    """The seats a (possibly edited) grid asks for: (day, room) -> the jurors ticked on its row."""
    ids = list(juror_ids)
    return {
        (int(row["day"]), str(row["room"])): {j for j in ids if bool(row[juror_column(j)])}
        for _, row in grid.iterrows()
    }


def _names(panel: dict[int, str], jurors: Iterable[int]) -> str:
    return ", ".join(panel[j] for j in jurors if j in panel)


def _session_grid(year: int, data: scoring.EditionData, panel: dict[int, str], editable: bool) -> None:
    st.subheader(ui.t("panels.sessions"))
    st.caption(ui.t("panels.sessions_intro"))
    grid = seat_grid(data)
    if grid.empty:
        st.info(ui.t("panels.no_sessions"))
        return
    grid["panel"] = [
        _names(panel, [j for j in panel if row[juror_column(j)]]) or ui.t("panels.everyone")
        for _, row in grid.iterrows()
    ]
    config = {
        "day": st.column_config.NumberColumn(ui.t("panels.day"), format="%d"),
        "room": ui.t("panels.room"),
        "entries": st.column_config.NumberColumn(ui.t("panels.entries"), format="%d"),
        "panel": ui.t("panels.panel"),
        **{juror_column(j): st.column_config.CheckboxColumn(name) for j, name in panel.items()},
    }
    columns = [*SESSION_COLUMNS[:3], *(juror_column(j) for j in panel), "panel"]
    if not editable:
        st.dataframe(grid, hide_index=True, column_order=columns, column_config=config, width="stretch")
        return
    with st.form(f"panels.sessions.{year}"):
        edited = st.data_editor(
            grid,
            hide_index=True,
            column_order=columns,
            column_config=config,
            disabled=SESSION_COLUMNS,
            key=GRID_KEY,
        )
        reason = st.text_input(ui.t("panels.reason"), placeholder=ui.t("panels.reason_placeholder"))
        submitted = st.form_submit_button(ui.t("panels.save_sessions"), type="primary")
    if submitted:
        seats = seats_from_grid(edited, panel)
        run_write(
            lambda: services.set_session_panels(ui.engine(), actor=actor(), year=year, seats=seats, reason=reason),
            ui.t("panels.sessions_saved"),
            FLASH_KEY,
        )


def _entry_table(data: scoring.EditionData, panel: dict[int, str]) -> None:
    """Every entry with the jurors who score it and where they come from (own jurors, session, edition)."""
    expected = scoring.expected_jurors(data)
    jurors = expected.groupby("entry_id")["juror_id"].agg(list)
    source = expected.groupby("entry_id")["source"].first()
    entries = data.entries.sort_values(["day", "room", "slot", "code"], na_position="last", kind="stable")
    st.subheader(ui.t("panels.entries_heading"))
    st.caption(ui.t("panels.entries_intro"))
    table = pd.DataFrame(
        {
            "code": entries["code"],
            "title": entries["title"],
            "session": [
                "–" if pd.isna(d) or pd.isna(r) else ui.t("panels.session_label", day=int(d), room=r)
                for d, r in zip(entries["day"], entries["room"], strict=True)
            ],
            "jurors": [_names(panel, jurors.get(e, [])) for e in entries["entry_id"]],
            "source": [ui.t(f"panels.source.{source.get(e, scoring.FROM_EDITION)}") for e in entries["entry_id"]],
            "status": [ui.t(f"panels.entry_status.{s}") for s in entries["entry_status"]],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "code": ui.t("column.code"),
            "title": ui.t("column.title"),
            "session": ui.t("panels.session"),
            "jurors": ui.t("panels.panel"),
            "source": ui.t("panels.source_label"),
            "status": ui.t("panels.status"),
        },
    )


def _entry_jurors(data: scoring.EditionData, panel: dict[int, str], entries: dict[int, str]) -> None:
    st.subheader(ui.t("panels.own"))
    st.caption(ui.t("panels.own_intro"))
    entry_id = st.selectbox(ui.t("panels.entry"), list(entries), format_func=entries.__getitem__, key="panels.own.e")
    own = data.assignments.loc[data.assignments["entry_id"] == entry_id, "juror_id"].astype(int).tolist()
    chosen = st.multiselect(
        ui.t("panels.own_jurors"),
        list(panel),
        default=[j for j in own if j in panel],
        format_func=panel.__getitem__,
        key=f"panels.own.j.{entry_id}",
        placeholder=ui.t("panels.own_none"),
    )
    reason = st.text_input(ui.t("panels.reason"), key="panels.own.reason")
    if st.button(ui.t("panels.save_own"), key="panels.own.save"):
        run_write(
            lambda: services.set_entry_jurors(
                ui.engine(), actor=actor(), entry_id=entry_id, juror_ids=chosen, reason=reason
            ),
            ui.t("panels.own_saved", entry=ui.plain(entries[entry_id])),
            FLASH_KEY,
        )


def _entry_status(data: scoring.EditionData, entries: dict[int, str]) -> None:
    st.subheader(ui.t("panels.status_heading"))
    st.caption(ui.t("panels.status_intro"))
    entry_id = st.selectbox(ui.t("panels.entry"), list(entries), format_func=entries.__getitem__, key="panels.st.e")
    choices = [s.value for s in EntryStatus]
    current = data.entries.loc[data.entries["entry_id"] == entry_id, "entry_status"].iloc[0]
    status = st.radio(
        ui.t("panels.status"),
        choices,
        index=choices.index(current),
        format_func=lambda s: ui.t(f"panels.entry_status.{s}"),
        horizontal=True,
        key=f"panels.st.status.{entry_id}",
    )
    reason = st.text_input(ui.t("panels.status_reason"), key="panels.st.reason")
    if st.button(ui.t("panels.save_status"), key="panels.st.save"):
        run_write(
            lambda: services.set_entry_status(
                ui.engine(), actor=actor(), entry_id=entry_id, status=status, reason=reason
            ),
            ui.t(
                "panels.status_saved", entry=ui.plain(entries[entry_id]), status=ui.t(f"panels.entry_status.{status}")
            ),
            FLASH_KEY,
        )


def render(year: int | None) -> None:
    """Draw the Panel & penugasan tab of the Admin page for the selected edition."""
    if year is None:
        st.info(ui.t("app.no_editions"))
        return
    show_flash(FLASH_KEY)
    data = ui.edition_data(year)
    if data.entries.empty or data.panel.empty:
        st.info(ui.t("panels.needs_data", year=year))
        return
    status = ui.edition_record(year)["status"]
    editable = status in OPEN_STATUSES
    if not editable:
        st.info(ui.t("panels.frozen", status=ui.t(f"status.{status}")), icon=":material/lock:")
    panel = dict(zip(data.panel["juror_id"].astype(int), data.panel["juror"], strict=True))
    entries = dict(
        zip(data.entries["entry_id"].astype(int), data.entries["code"] + " · " + data.entries["title"], strict=True)
    )
    _session_grid(year, data, panel, editable)
    st.divider()
    _entry_table(data, panel)
    if editable:
        _entry_jurors(data, panel, entries)
    if status != EditionStatus.published.value:
        st.divider()
        _entry_status(data, entries)
