"""Trends: how the competition evolves across editions (the leadership view).

Thin page: the sections are kipp.views.trends.  Only finished (locked or published) editions
are figures; an edition still in scoring is named as in progress.  A click on the stacked
participation chart or on the winners chart filters the tables below it.  The official result
documents are here too: organizers for any edition (the one picked in the sidebar, even in
scoring), viewers (leadership) for published editions.
"""

import streamlit as st

from kipp import trends, ui
from kipp.views import trends as sections

account = ui.require_role("trends")

st.title(ui.t("trends.title"))
st.caption(ui.t("trends.intro"))
if not account.is_organizer:
    st.caption(ui.t("trends.published_only"))

visible = ui.visible_editions(account)
all_results, criterion_scores, advancement = ui.trend_inputs()
type_labels = {kind: ui.t(f"unit_type.{kind}") for kind in sorted(all_results["institution_type"].dropna().unique())}
unit_types, categories = sections.filters(all_results, type_labels)
view = trends.overview(
    all_results, criterion_scores, advancement, unit_types, categories, years=visible["year"].tolist()
)
sections.in_progress(view)
picked = ui.selected_year()
visible_years = set(visible["year"])
if not view.years:
    st.info(ui.t("trends.no_data"))
    if picked in visible_years:
        sections.documents(picked, account)
    st.stop()

year = picked if picked in view.years else view.years[-1]
sections.headlines(view, year)
by_type_event, winners_event = sections.charts_section(view)

# The click selection filters every table below.
selected = trends.selection_keys(by_type_event.selection.points, ["year", "institution_type"])
chosen_winners = trends.selection_keys(
    winners_event.selection.points if winners_event else [], ["institution_type", "tier"]
)
entries = trends.restrict(trends.restrict(view.results, selected), chosen_winners)
if not selected.empty or not chosen_winners.empty:
    st.info(ui.t("trends.selection_active", n=len(entries)), icon=":material/filter_alt:")
sections.entries_table(entries, type_labels)
sections.returning(trends.restrict(view.returning, selected.drop(columns="year")), type_labels)
sections.advancement(view, trends.restrict(view.advancement, selected))

documents_year = picked if picked in visible_years else year
if documents_year in visible_years:
    sections.documents(documents_year, account)
