"""Score entry sections: the juror's queue, the sheet's inputs with a running total, and saving.

Every write goes through kipp.services.submit_sheet (the only way a score is stored).
Typed values live in widget state kept for the whole session, so a rerun or a look at
another entry loses nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kipp import audit, i18n, scoring, services, sheets, ui

OUTCOME_KEY = "score.outcome"
ENTRY_PARAM = "entry"  # a link straight to one entry's sheet: ?entry=CODE
STATUS_ICONS = {
    scoring.SHEET_DONE: "✓",  # as on the progress grid; an emoji font is not on every tablet
    scoring.SHEET_PARTIAL: "◐",
    scoring.SHEET_MISSING: "○",
    scoring.SHEET_RECUSED: "⊘",
}


def cell_key(year: int, juror_id: int, entry_id: int, criterion_id: int) -> str:
    """Widget key of one score input (one per edition × juror × entry × criterion)."""
    return f"score.cell.{year}.{juror_id}.{entry_id}.{criterion_id}"


def sheet_key(kind: str, year: int, juror_id: int, entry_id: int) -> str:
    """Widget key of a sheet-wide input (feedback, reason)."""
    return f"score.{kind}.{year}.{juror_id}.{entry_id}"


def pick_key(year: int, juror_id: int) -> str:
    """Widget key of the entry picker of a juror's queue."""
    return f"score.pick.{year}.{juror_id}"


def save(year: int, juror_id: int, entry_id: int, code: str, criterion_ids: list[int], todo: list[int]) -> None:
    """Save button callback: send the typed sheet to services.submit_sheet and keep the outcome to show."""
    state = st.session_state
    values = {c: state[cell_key(year, juror_id, entry_id, c)] for c in criterion_ids}
    account = ui.current_account()
    try:
        result = services.submit_sheet(
            ui.engine(),
            actor=account.actor,
            entry_id=entry_id,
            juror_id=juror_id,
            values={c: v for c, v in values.items() if v is not None},
            feedback=state.get(sheet_key("feedback", year, juror_id, entry_id), ""),
            reason=state.get(sheet_key("reason", year, juror_id, entry_id)),
        )
    except audit.WriteRefused as refused:
        # A problem names the entry (typed text): shown as plain text, never Markdown.
        state[OUTCOME_KEY] = ("error", [ui.plain(problem.text(ui.lang())) for problem in refused.problems])
        return
    changed = result.created + result.updated
    shown_code = ui.plain(code)
    message = ui.t("score.saved", code=shown_code, n=changed) if changed or result.feedback_changed else None
    message = message or ui.t("score.saved_nothing", code=shown_code)
    following = [e for e in todo if e != entry_id]
    if result.complete and account.is_juror and following:
        state[pick_key(year, juror_id)] = following[0]
        message += " " + ui.t("score.saved_next")
    state[OUTCOME_KEY] = ("success", [message + (" " + ui.t("score.saved_complete") if result.complete else "")])


def show_outcome() -> None:
    """The last save's outcome, once."""
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if outcome is None:
        return
    show = st.success if outcome[0] == "success" else st.error
    for message in outcome[1]:
        show(message, icon=":material/check_circle:" if outcome[0] == "success" else ":material/error:")


def entry_label(row: Any) -> str:
    """How an entry appears in the queue: status, code, title and its slot in the schedule."""
    if pd.isna(row.day):
        return f"{STATUS_ICONS[row.status]} {row.code} · {row.title}"
    slot = ui.t("score.slot", day=int(row.day), room=row.room or "–", slot="–" if pd.isna(row.slot) else int(row.slot))
    return f"{STATUS_ICONS[row.status]} {row.code} · {row.title} — {slot}"


def requested_entry(year: int, juror_id: int, data: scoring.EditionData, queue: pd.DataFrame) -> None:
    """Open the entry a link asks for (?entry=CODE) when it is in the juror's queue; else say why it is not.

    The queue holds only the entries the juror is assigned to and that still compete, so a
    link to any other entry opens nothing and names the reason.  Read once, then dropped,
    so the queue leads again after the next save.
    """
    code = st.query_params.get(ENTRY_PARAM)
    if not code:
        return
    del st.query_params[ENTRY_PARAM]
    mine = queue.loc[queue["code"] == code, "entry_id"]
    if len(mine):
        st.session_state[pick_key(year, juror_id)] = int(mine.iloc[0])
        return
    found = data.entries[data.entries["code"] == code]
    if found.empty:
        key = "score.link_unknown"
    elif sheets.competing(found).iloc[0]:
        key = "services.not_assigned"
    else:
        key = f"services.entry_{found['entry_status'].iloc[0]}"
    st.warning(ui.t(key, code=ui.plain(code), year=year), icon=":material/block:")


def queue_picker(year: int, juror_id: int, queue: pd.DataFrame) -> Any:
    """The juror's progress and entry picker (the next unfinished entry first); returns the picked row."""
    counts = queue["status"].value_counts()
    finished = int(counts.get(scoring.SHEET_DONE, 0) + counts.get(scoring.SHEET_RECUSED, 0))
    st.progress(finished / len(queue), text=ui.t("score.progress", done=finished, total=len(queue)))
    rows = {int(row.entry_id): row for row in queue.itertuples()}
    key = pick_key(year, juror_id)
    if st.session_state.get(key) not in rows:
        st.session_state[key] = sheets.next_entry(queue) or int(queue["entry_id"].iloc[0])
    entry_id = st.selectbox(
        ui.t("score.entry_pick"), options=list(rows), format_func=lambda e: entry_label(rows[e]), key=key
    )
    return rows[entry_id]


def read_only_sheet(criteria: pd.DataFrame, stored: dict[int, float]) -> None:
    """A locked or published sheet: the stored scores and their total, nothing editable."""
    lang = ui.lang()
    st.dataframe(
        [
            {
                ui.t("score.criterion"): row.name,
                ui.t("score.max"): i18n.format_number(row.max_score, lang, 0),
                ui.t("score.value"): i18n.format_number(stored.get(row.criterion_id), lang),
            }
            for row in criteria.itertuples()
        ],
        hide_index=True,
        width="stretch",
    )
    st.metric(ui.t("score.total"), i18n.format_number(sheets.running_total(criteria, stored), lang), border=True)


def _score_input(year: int, juror_id: int, entry_id: int, row: Any, stored: dict[int, float]) -> float | None:
    """One criterion's input with what it asks for and, when changed, the value stored."""
    lang = ui.lang()
    criterion_id = int(row.criterion_id)
    most = i18n.format_number(row.max_score, lang, 0)
    value = st.number_input(
        ui.t("score.criterion_label", name=ui.plain(row.name), max=most),
        min_value=0.0,
        max_value=float(row.max_score),
        value=stored.get(criterion_id),
        step=1.0,
        format="%.2f",
        placeholder=ui.t("score.placeholder", max=most),
        key=cell_key(year, juror_id, entry_id, criterion_id),
        persist_state="session",
    )
    shown = None if value is None else i18n.format_number(value, lang)
    if value is not None and value % 1 and shown != f"{value:.2f}":  # the input writes 12.50; say 12,50 too
        st.caption(ui.t("score.typed_value", value=shown))
    description = ui.criterion_descriptions(year).get(criterion_id)
    if description:
        st.caption(ui.plain(description))
    if criterion_id in stored and value != stored[criterion_id]:
        st.caption(ui.t("score.saved_value", value=i18n.format_number(stored[criterion_id], lang)))
    return value


def sheet_inputs(year: int, juror_id: int, entry_id: int, criteria: pd.DataFrame, stored: dict[int, float]) -> None:
    """Every criterion's input, the running total, and whether the sheet is complete and saved."""
    if i18n.format_number(0.5, ui.lang()) != "0.50":  # the inputs can only write a decimal point: say so once
        st.caption(ui.t("score.decimal_help"))
    typed = {
        int(row.criterion_id): _score_input(year, juror_id, entry_id, row, stored) for row in criteria.itertuples()
    }
    scored = sum(value is not None for value in typed.values())
    total_column, state_column = st.columns(2)
    total_column.metric(
        ui.t("score.total"),
        i18n.format_number(sheets.running_total(criteria, typed), ui.lang()),
        help=ui.t("score.total_help"),
        border=True,
    )
    if scored == len(criteria) and all(stored.get(c) == v for c, v in typed.items()):
        state_column.success(ui.t("score.complete"), icon=":material/task_alt:")
    else:
        state_column.info(ui.t("score.filled", n=scored, total=len(criteria)))
    if any(value is not None and stored.get(c) != value for c, value in typed.items()):
        st.warning(ui.t("score.unsaved"), icon=":material/edit:")


def feedback_and_save(
    year: int, juror_id: int, entry: Any, criteria: pd.DataFrame, todo: list[int], reason: bool
) -> None:
    """The feedback box, a reason box for an organizer's correction, and the save button."""
    entry_id = int(entry.entry_id)
    st.text_area(
        ui.t("score.feedback"),
        value=ui.sheet_feedback(year, entry_id, juror_id),
        max_chars=services.MAX_FEEDBACK_CHARS,
        placeholder=ui.t("score.feedback_placeholder"),
        key=sheet_key("feedback", year, juror_id, entry_id),
        persist_state="session",
    )
    if reason:
        st.text_input(
            ui.t("score.reason"),
            placeholder=ui.t("score.reason_placeholder"),
            key=sheet_key("reason", year, juror_id, entry_id),
        )
    st.button(
        ui.t("score.save"),
        type="primary",
        icon=":material/save:",
        on_click=save,
        args=(year, juror_id, entry_id, entry.code, [int(c) for c in criteria["criterion_id"]], todo),
        width="stretch",
    )
