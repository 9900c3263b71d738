"""Juror analytics (organizers): how each juror scores, where the panel disagrees, how stable the ranking is.

Thin: the tabs are kipp.views.jurors, whose figures are cached by edition and data version.
"""

import streamlit as st

from kipp import ui
from kipp.views import jurors
from kipp.views.official import official_method_note

ui.require_role("jurors")

year = ui.selected_year()
if year is None:
    st.info(ui.t("app.no_editions"))
    st.stop()

st.title(ui.t("analytics.title"))
st.write(ui.t("analytics.intro"))
if ui.edition_record(year)["is_demo"]:
    st.caption(ui.t("app.demo_badge"))
official_method_note(year)

summary = ui.juror_summary(year)
if not summary["done"].any():
    st.info(ui.t("analytics.no_scores"))
    st.stop()

jurors_tab, deviation_tab, agreement_tab, stability_tab = st.tabs(
    [ui.t(f"analytics.tab.{name}") for name in ("jurors", "deviation", "agreement", "stability")]
)
with jurors_tab:
    jurors.jurors_tab(year, summary)
with deviation_tab:
    jurors.deviation_tab(year)
with agreement_tab:
    jurors.agreement_tab(year)
with stability_tab:
    jurors.stability_tab(year)
