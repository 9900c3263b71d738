"""Score entry: a juror's own sheet, entry by entry in schedule order; organizers correct with a reason.

Thin page: the queue, the running total and every write come from kipp (sheets, services
.submit_sheet); the sections are kipp.views.score_sheet.
"""

import streamlit as st

from kipp import scoring, sheets, ui
from kipp.models import EditionStatus
from kipp.views import score_sheet

account = ui.require_role("score")

year = ui.selected_year()
st.title(ui.t("nav.score"))
if year is None:
    st.info(ui.t("app.no_editions"))
    st.stop()

data = ui.edition_data(year)
panel = dict(zip(data.panel["juror_id"], data.panel["juror"], strict=True))
if account.is_organizer:
    if not panel:
        st.info(ui.t("score.no_panel", year=year))
        st.stop()
    juror_id = st.selectbox(
        ui.t("score.juror_pick"), options=list(panel), format_func=panel.__getitem__, key=f"score.juror.{year}"
    )
else:
    juror_id = account.juror_id
    if juror_id not in panel:
        st.info(ui.t("score.not_on_panel", year=year))
        st.stop()

status = ui.edition_record(year)["status"]
st.caption(ui.t("score.edition_line", year=year, juror=ui.plain(panel[juror_id]), status=ui.t(f"status.{status}")))
if status == EditionStatus.draft.value:
    st.info(ui.t("score.not_open", year=year), icon=":material/schedule:")
elif status != EditionStatus.scoring.value:
    st.info(ui.t("score.frozen", year=year, status=ui.t(f"status.{status}")), icon=":material/lock:")

queue = sheets.juror_queue(data, juror_id)
score_sheet.requested_entry(year, juror_id, data, queue)
if queue.empty:
    st.info(ui.t("score.no_entries", year=year))
    st.stop()
todo = [int(e) for e in queue.loc[queue["status"].isin([scoring.SHEET_MISSING, scoring.SHEET_PARTIAL]), "entry_id"]]
entry = score_sheet.queue_picker(year, juror_id, queue)
entry_id = int(entry.entry_id)
score_sheet.show_outcome()

st.subheader(ui.plain(f"{entry.code} · {entry.title}"))
st.caption(ui.plain(entry.institution))
criteria = data.criteria.sort_values(["position", "criterion_id"], kind="stable")
stored = sheets.sheet_values(data, entry_id, juror_id)
if entry.status == scoring.SHEET_RECUSED:
    st.info(ui.t("score.recused"), icon=":material/block:")
    st.stop()
if status != EditionStatus.scoring.value:
    score_sheet.read_only_sheet(criteria, stored)
    st.stop()

score_sheet.sheet_inputs(year, juror_id, entry_id, criteria, stored)
score_sheet.feedback_and_save(year, juror_id, entry, criteria, todo, reason=account.is_organizer)
