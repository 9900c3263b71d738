"""Entries: search an innovation across editions, open its card, follow its unit's history.

Thin page: the search, the card (kipp.progress.explain on the cached edition) and the history
(the cached results of every edition) come through kipp.ui; the sections are
kipp.views.entries.  Viewers only find entries of published editions.
"""

import streamlit as st

from kipp import ui
from kipp.views import entries

account = ui.require_role("entries")

st.title(ui.t("entries.title"))
st.caption(ui.t("entries.intro"))

visible = ui.visible_editions(account)
status_of = dict(zip(visible["year"], visible["status"], strict=True))
text = st.text_input(
    ui.t("entries.search"), placeholder=ui.t("entries.search_placeholder"), key="entries_search"
).strip()
found = ui.search_entries(text)
found = found[found["year"].isin(list(status_of))]
if found.empty:
    st.info(ui.t("entries.no_match", text=ui.plain(text)) if text else ui.t("entries.none"))
    st.stop()

type_labels = {kind: ui.t(f"unit_type.{kind}") for kind in found["institution_type"].unique()}
entry_id = entries.results(found, type_labels)
row = found.loc[found["entry_id"] == entry_id].iloc[0]
year = int(row["year"])

entries.card(row, account, type_labels[row["institution_type"]], status_of[year])
entries.feedback(year, entry_id, account)
all_results, _, advancement = ui.trend_inputs()
entries.advancement(advancement[advancement["entry_id"] == entry_id])
entries.history(all_results, str(row["institution"]), list(status_of))
