"""Audit trail: every recorded change (who, when, old -> new, why), filtered, downloadable as CSV."""

import datetime as dt

import streamlit as st

from kipp import cells, i18n, ui

ui.require_role("audit")

DISPLAY_LIMIT = 2000

st.title(ui.t("nav.audit"))
st.caption(ui.t("audit.intro"))
facets = ui.audit_facets()

years_column, actors_column, actions_column, dates_column = st.columns(4)
years = years_column.multiselect(ui.t("audit.filter.edition"), facets["years"], key="audit.years")
actors = actors_column.multiselect(ui.t("audit.filter.actor"), facets["actors"], key="audit.actors")
actions = actions_column.multiselect(
    ui.t("audit.filter.action"),
    facets["actions"],
    format_func=lambda action: ui.t(f"audit.action.{action}") if i18n.has_key(f"audit.action.{action}") else action,
    key="audit.actions",
)
dates = dates_column.date_input(ui.t("audit.filter.dates"), value=(), format="DD/MM/YYYY", key="audit.dates")
picked = [day for day in (dates if isinstance(dates, tuple | list) else [dates]) if day is not None]
start, end = (picked[0], picked[-1]) if picked else (None, None)

trail = ui.audit_trail(years, actors, actions, start, end)
if trail.empty:
    st.info(ui.t("audit.empty"))
    st.stop()

shown = len(trail) if len(trail) <= DISPLAY_LIMIT else DISPLAY_LIMIT
st.caption(ui.t("audit.count", n=len(trail), shown=shown))
labels = {column: ui.t(f"audit.column.{column}") for column in trail.columns}
st.dataframe(
    trail.head(DISPLAY_LIMIT),
    hide_index=True,
    width="stretch",
    column_config={
        "at": st.column_config.DatetimeColumn(labels["at"], format="DD/MM/YYYY HH:mm:ss"),
        "year": st.column_config.NumberColumn(labels["year"], format="%d"),
        **{column: labels[column] for column in trail.columns if column not in ("at", "year")},
    },
)
st.download_button(
    ui.t("audit.download"),
    data=cells.csv_bytes(trail.rename(columns=labels)),  # text never a live formula
    file_name=f"kipp-audit-{dt.date.today():%Y%m%d}.csv",
    mime="text/csv",
    icon=":material/download:",
)
