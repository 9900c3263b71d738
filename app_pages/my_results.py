"""My results: a juror's scores against the rest of the panel, once the edition is locked.

A signed-in juror sees their own results; an organizer picks a juror.  While scoring is
open nothing is shown, so the comparison cannot anchor a juror's scoring.
"""

from typing import Any

import pandas as pd
import streamlit as st

from kipp import analytics, charts, i18n, ui
from kipp.models import EditionStatus

account = ui.require_role("my_results")

OPEN_AFTER = (EditionStatus.locked.value, EditionStatus.published.value)


st.title(ui.t("my_results.title"))
year = ui.selected_year()
if year is None:
    st.info(ui.t("app.no_editions"))
    st.stop()

record = ui.edition_record(year)
if record["status"] not in OPEN_AFTER:
    st.info(
        ui.t("my_results.not_yet", year=year, status=ui.t(f"status.{record['status']}")), icon=":material/lock_clock:"
    )
    st.stop()

data = ui.edition_data(year)
panel = data.panel.sort_values("seat", kind="stable")
names = dict(zip(panel["juror_id"], panel["juror"], strict=True))
if account.is_organizer:
    juror_id = st.selectbox(
        ui.t("my_results.pick_juror"), options=list(names), format_func=names.__getitem__, key="my_results_juror"
    )
else:
    juror_id = account.juror_id
    if juror_id not in names:
        st.info(ui.t("my_results.not_on_panel", year=year))
        st.stop()
st.write(ui.t("my_results.intro"))
if record["is_demo"]:
    st.caption(ui.t("app.demo_badge"))

entries = ui.juror_entries(year, juror_id)
if entries.empty:
    st.info(ui.t("my_results.no_sheets"))
    st.stop()
summary = ui.juror_summary(year)
mine = summary[summary["juror_id"] == juror_id].iloc[0]
seat = int(mine["seat"])
lang = ui.lang()

sheets, mean, severity, apart = st.columns(4)
sheets.metric(ui.t("my_results.metric.sheets"), int(mine["done"]), border=True)
mean.metric(ui.t("my_results.metric.mean"), i18n.format_number(mine["mean"], lang), border=True)
severity.metric(
    ui.t("my_results.metric.severity"),
    ui.signed(mine["severity"]),
    help=ui.t("my_results.severity_help"),
    border=True,
)
apart.metric(ui.t("my_results.metric.apart"), int(entries["flagged"].sum()), border=True)
reading = mine["flag"] or "in_line"
st.markdown(ui.t(f"my_results.reading.{reading}", severity=ui.signed(mine["severity"])))
effects = ui.juror_effects(year)
if isinstance(effects, pd.DataFrame):
    effect = effects.set_index("juror_id").loc[juror_id]
    if pd.notna(effect["effect"]) and pd.notna(effect["se"]):
        st.caption(
            ui.t("jurors.my_effect", effect=ui.signed(effect["effect"]), se=i18n.format_number(2 * effect["se"], lang))
        )

st.plotly_chart(charts.juror_vs_panel(entries, seat=seat, lang=lang), width="stretch")

columns = {
    "rank": ui.t("column.rank"),
    "code": ui.t("column.code"),
    "title": ui.t("column.title"),
    "award": ui.t("column.award"),
    "score": ui.number_text(ui.t("analytics.column.your_score")),
    "others_mean": ui.number_text(ui.t("analytics.column.others_mean")),
    "deviation": ui.number_text(ui.t("analytics.column.deviation")),
    "flagged": st.column_config.CheckboxColumn(ui.t("analytics.column.flagged")),
}
shown = ["rank", "code", "title", "award", "score", "others_mean", "deviation", "flagged"]


def entry_table(rows: pd.DataFrame) -> Any:
    """The juror's entries in rank order: numbers in the session's format, awards in their tier colour."""
    text = ui.localised(ui.localised(rows[shown], ["rank"], 0), ["score", "others_mean"])
    return ui.award_styled(ui.localised(text, ["deviation"], sign=True), positions=rows["tier_position"])


st.subheader(ui.t("my_results.apart_heading"))
apart_rows = entries[entries["flagged"]]
if apart_rows.empty:
    st.success(
        ui.t(
            "my_results.apart_none",
            points=i18n.format_number(analytics.DEVIATION_POINTS, lang, 0),
            sds=i18n.format_number(analytics.DEVIATION_SDS, lang, 0),
        )
    )
else:
    st.dataframe(entry_table(apart_rows), hide_index=True, width="stretch", column_config=columns)

st.subheader(ui.t("my_results.criteria_heading"))
by_criterion = ui.severity_by_criterion(year)
mine_by_criterion = by_criterion[by_criterion["juror_id"] == juror_id]
st.dataframe(
    ui.localised(mine_by_criterion[["criterion", "severity"]], ["severity"], sign=True),
    hide_index=True,
    width="stretch",
    column_config={
        "criterion": ui.t("analytics.column.criterion"),
        "severity": ui.number_text(ui.t("analytics.column.severity")),
    },
)

st.subheader(ui.t("my_results.entries_heading"))
st.dataframe(entry_table(entries), hide_index=True, width="stretch", column_config=columns)
