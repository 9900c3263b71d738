"""Score entry: a juror's own sheet, entry by entry in schedule order; organizers correct with a reason.

Thin page: the queue, the running total and every write come from kipp.services
(submit_sheet is the only way a score is stored).  Typed values live in widget state
kept for the whole session, so a rerun or a look at another entry loses nothing.
"""

from typing import Any

import pandas as pd
import streamlit as st

from kipp import audit, i18n, queries, scoring, services, sheets, ui
from kipp.models import EditionStatus, Role

account = ui.require_role("score")

OUTCOME_KEY = "score.outcome"
STATUS_ICONS = {
    scoring.SHEET_DONE: "✅",
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
    return f"score.pick.{year}.{juror_id}"


def save(year: int, juror_id: int, entry_id: int, code: str, criterion_ids: list[int], todo: list[int]) -> None:
    """Save button callback: send the typed sheet to services.submit_sheet and keep the outcome to show."""
    state = st.session_state
    values = {c: state[cell_key(year, juror_id, entry_id, c)] for c in criterion_ids}
    actor = ui.current_account().actor
    try:
        result = services.submit_sheet(
            ui.engine(),
            actor=actor,
            entry_id=entry_id,
            juror_id=juror_id,
            values={c: v for c, v in values.items() if v is not None},
            feedback=state.get(sheet_key("feedback", year, juror_id, entry_id), ""),
            reason=state.get(sheet_key("reason", year, juror_id, entry_id)),
        )
    except audit.WriteRefused as refused:
        state[OUTCOME_KEY] = ("error", [problem.text(ui.lang()) for problem in refused.problems])
        return
    changed = result.created + result.updated
    message = ui.t("score.saved", code=code, n=changed) if changed or result.feedback_changed else None
    message = message or ui.t("score.saved_nothing", code=code)
    following = [e for e in todo if e != entry_id]
    if result.complete and actor.role == Role.juror.value and following:
        state[pick_key(year, juror_id)] = following[0]
        message += " " + ui.t("score.saved_next")
    state[OUTCOME_KEY] = ("success", [message + (" " + ui.t("score.saved_complete") if result.complete else "")])


def entry_label(row: Any) -> str:
    """How an entry appears in the queue: status, code, title and its slot in the schedule."""
    if pd.isna(row.day):
        return f"{STATUS_ICONS[row.status]} {row.code} · {row.title}"
    slot = ui.t("score.slot", day=int(row.day), room=row.room or "–", slot="–" if pd.isna(row.slot) else int(row.slot))
    return f"{STATUS_ICONS[row.status]} {row.code} · {row.title} — {slot}"


def read_only_sheet(criteria: Any, stored: dict[int, float], lang: str) -> None:
    """A locked or published sheet: the stored scores, nothing editable."""
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


user = ui.current_account()
year = ui.selected_year()
lang = ui.lang()
st.title(ui.t("nav.score"))
if user is None or year is None:
    st.info(ui.t("score.sign_in_first") if user is None else ui.t("app.no_editions"))
    st.stop()

edition = queries.edition_record(ui.engine(), year)
data = ui.edition_data(year)
panel = dict(zip(data.panel["juror_id"], data.panel["juror"], strict=True))
organizer = user.is_organizer
if organizer:
    if not panel:
        st.info(ui.t("score.no_panel", year=year))
        st.stop()
    juror_id = st.selectbox(
        ui.t("score.juror_pick"), options=list(panel), format_func=panel.__getitem__, key=f"score.juror.{year}"
    )
else:
    juror_id = user.juror_id
    if juror_id not in panel:
        st.info(ui.t("score.not_on_panel", year=year))
        st.stop()

status = edition["status"]
st.caption(ui.t("score.edition_line", year=year, juror=panel[juror_id], status=ui.t(f"status.{status}")))
if status == EditionStatus.draft.value:
    st.info(ui.t("score.not_open", year=year), icon=":material/schedule:")
elif status != EditionStatus.scoring.value:
    st.info(ui.t("score.frozen", year=year, status=ui.t(f"status.{status}")), icon=":material/lock:")

queue = sheets.juror_queue(data, juror_id)
if queue.empty:
    st.info(ui.t("score.no_entries", year=year))
    st.stop()
counts = queue["status"].value_counts()
finished = int(counts.get(scoring.SHEET_DONE, 0) + counts.get(scoring.SHEET_RECUSED, 0))
st.progress(finished / len(queue), text=ui.t("score.progress", done=finished, total=len(queue)))

todo = [int(e) for e in queue.loc[queue["status"].isin([scoring.SHEET_MISSING, scoring.SHEET_PARTIAL]), "entry_id"]]
rows = {int(row.entry_id): row for row in queue.itertuples()}
key = pick_key(year, juror_id)
if st.session_state.get(key) not in rows:
    st.session_state[key] = sheets.next_entry(queue) or int(queue["entry_id"].iloc[0])
entry_id = st.selectbox(
    ui.t("score.entry_pick"), options=list(rows), format_func=lambda e: entry_label(rows[e]), key=key
)
entry = rows[entry_id]
outcome = st.session_state.pop(OUTCOME_KEY, None)
if outcome is not None:
    show = st.success if outcome[0] == "success" else st.error
    for message in outcome[1]:
        show(message, icon=":material/check_circle:" if outcome[0] == "success" else ":material/error:")

st.subheader(f"{entry.code} · {entry.title}")
st.caption(entry.institution)
criteria = data.criteria.sort_values(["position", "criterion_id"], kind="stable")
stored = sheets.sheet_values(data, entry_id, juror_id)

if entry.status == scoring.SHEET_RECUSED:
    st.info(ui.t("score.recused"), icon=":material/block:")
    st.stop()
if status != EditionStatus.scoring.value:
    read_only_sheet(criteria, stored, lang)
    total = sheets.running_total(criteria, stored)
    st.metric(ui.t("score.total"), i18n.format_number(total, lang), border=True)
    st.stop()

descriptions = queries.criterion_descriptions(ui.engine(), year)
typed: dict[int, float | None] = {}
if i18n.format_number(0.5, lang) != "0.50":  # the inputs can only write a decimal point: say so once
    st.caption(ui.t("score.decimal_help"))
for row in criteria.itertuples():
    criterion_id = int(row.criterion_id)
    typed[criterion_id] = st.number_input(
        ui.t("score.criterion_label", name=row.name, max=i18n.format_number(row.max_score, lang, 0)),
        min_value=0.0,
        max_value=float(row.max_score),
        value=stored.get(criterion_id),
        step=1.0,
        format="%.2f",
        placeholder=ui.t("score.placeholder", max=i18n.format_number(row.max_score, lang, 0)),
        key=cell_key(year, juror_id, entry_id, criterion_id),
        persist_state="session",
    )
    value = typed[criterion_id]
    shown = None if value is None else i18n.format_number(value, lang)
    if value is not None and value % 1 and shown != f"{value:.2f}":  # the input writes 12.50; say 12,50 too
        st.caption(ui.t("score.typed_value", value=shown))
    if criterion_id in descriptions:
        st.caption(descriptions[criterion_id])
    if criterion_id in stored and typed[criterion_id] != stored[criterion_id]:
        st.caption(ui.t("score.saved_value", value=i18n.format_number(stored[criterion_id], lang)))

scored = sum(value is not None for value in typed.values())
total_column, state_column = st.columns(2)
total_column.metric(
    ui.t("score.total"),
    i18n.format_number(sheets.running_total(criteria, typed), lang),
    help=ui.t("score.total_help"),
    border=True,
)
if scored == len(criteria) and all(stored.get(c) == v for c, v in typed.items()):
    state_column.success(ui.t("score.complete"), icon=":material/task_alt:")
else:
    state_column.info(ui.t("score.filled", n=scored, total=len(criteria)))
if any(value is not None and stored.get(c) != value for c, value in typed.items()):
    st.warning(ui.t("score.unsaved"), icon=":material/edit:")

st.text_area(
    ui.t("score.feedback"),
    value=queries.sheet_feedback(ui.engine(), entry_id, juror_id),
    max_chars=services.MAX_FEEDBACK_CHARS,
    placeholder=ui.t("score.feedback_placeholder"),
    key=sheet_key("feedback", year, juror_id, entry_id),
    persist_state="session",
)
if organizer:
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
