"""Trends: how the competition evolves across editions (the leadership view).

Thin page: the figures come from kipp.trends (cached by ui.trend_inputs), the charts from
kipp.charts.  A click on the stacked participation chart or on the winners chart filters
the tables below it.  The official result documents are here too: organizers for any
edition, viewers (leadership) for published editions.
"""

import streamlit as st

from kipp import charts, i18n, trends, ui
from kipp.documents import MIME, DocumentError, file_name
from kipp.models import EditionStatus
from kipp.scoring import METHODS

account = ui.require_role("trends")

lang = ui.lang()
st.title(ui.t("trends.title"))
st.caption(ui.t("trends.intro"))

user = ui.current_account()
organizer = user is not None and user.is_organizer
editions = ui.editions()
shown_years = None if organizer else editions.loc[editions["status"] == EditionStatus.published.value, "year"]
all_results, criterion_scores, advancement = ui.trend_inputs()
if not organizer:
    st.caption(ui.t("trends.published_only"))

type_labels = {kind: ui.t(f"unit_type.{kind}") for kind in sorted(all_results["institution_type"].dropna().unique())}
type_column, category_column = st.columns(2)
unit_types = type_column.multiselect(
    ui.t("trends.filter.unit_type"),
    options=list(type_labels),
    format_func=type_labels.__getitem__,
    placeholder=ui.t("trends.filter.all"),
    key="trends_unit_types",
)
categories = category_column.multiselect(
    ui.t("trends.filter.category"),
    options=sorted(all_results["category"].dropna().unique()),
    placeholder=ui.t("trends.filter.all"),
    key="trends_categories",
)
view = trends.overview(all_results, criterion_scores, advancement, unit_types, categories, years=shown_years)
if not view.years:
    st.info(ui.t("trends.no_data"))
    st.stop()

# --- Headline figures of the chosen edition against the previous one -------------------------
picked = ui.selected_year()
year = picked if picked in view.years else view.years[-1]
st.subheader(ui.t("trends.headline", year=year))
headlines = trends.headlines(view.participation, view.levels, view.advancement_counts, year)
decimals = {"mean_score": 2, "threshold": 2}
PER_ROW = 3  # six metrics in one row cut their labels; two rows of three keep them whole
columns = [column for start in range(0, len(headlines), PER_ROW) for column in st.columns(PER_ROW)]
for column, headline in zip(columns, headlines, strict=False):
    places = decimals.get(headline.key, 0)
    delta = None
    if headline.delta is not None:
        delta = ("+" if headline.delta > 0 else "") + i18n.format_number(headline.delta, lang, places)
    column.metric(
        ui.t(f"trends.metric.{headline.key}"),
        i18n.format_number(headline.value, lang, places),
        delta=delta,
        help=ui.t(f"trends.metric_help.{headline.key}"),
        border=True,
    )
if year == view.years[0]:
    st.caption(ui.t("trends.first_edition"))

# --- Participation --------------------------------------------------------------------------
st.header(ui.t("trends.section.participation"))
left, right = st.columns(2)
with left:
    st.plotly_chart(
        charts.participation_chart(view.participation, lang=lang),
        config=charts.png_config(ui.t("trends.png.participation")),
    )
with right:
    by_type_event = st.plotly_chart(
        charts.participation_by_type_chart(view.by_type, lang=lang),
        config=charts.png_config(ui.t("trends.png.by_type")),
        on_select="rerun",
        selection_mode="points",
        key="trends_by_type",
    )
st.caption(ui.t("trends.click_hint"))

# --- Score level per criterion and the award threshold -----------------------------------------
st.header(ui.t("trends.section.scores"))
st.plotly_chart(
    charts.score_levels_chart(view.levels, view.criteria, lang=lang),
    config=charts.png_config(ui.t("trends.png.scores")),
)
st.caption(ui.t("trends.scores_hint"))

# --- Winners by unit type ---------------------------------------------------------------------
st.header(ui.t("trends.section.winners"))
if view.winners.empty:
    st.info(ui.t("trends.no_winners"))
    winners_event = None
else:
    winners_event = st.plotly_chart(
        charts.winners_chart(view.winners, lang=lang),
        config=charts.png_config(ui.t("trends.png.winners")),
        on_select="rerun",
        selection_mode="points",
        key="trends_winners",
    )

# --- The click selection filters every table below ------------------------------------------
selected = trends.selection_keys(by_type_event.selection.points, ["year", "institution_type"])
chosen_winners = trends.selection_keys(
    winners_event.selection.points if winners_event else [], ["institution_type", "tier"]
)
entries = trends.restrict(trends.restrict(view.results, selected), chosen_winners)
if not selected.empty or not chosen_winners.empty:
    st.info(ui.t("trends.selection_active", n=len(entries)), icon=":material/filter_alt:")

type_label = ui.t("trends.column.institution_type")
st.subheader(ui.t("trends.section.entries"))
shown_entries = entries.sort_values(["year", "rank"], ascending=[False, True])[
    ["year", "rank", "title", "institution", "institution_type", "score", "award"]
].assign(institution_type=lambda f: f["institution_type"].map(type_labels))
st.dataframe(
    ui.award_styled(ui.localised(ui.localised(shown_entries, ["rank"], 0), ["score"])),
    hide_index=True,
    width="stretch",
    height=320,
    column_config={
        "year": st.column_config.NumberColumn(ui.t("trends.column.year"), format="%d"),
        "rank": ui.number_text(ui.t("column.rank"), width="small"),
        "title": ui.t("column.title"),
        "institution": ui.t("column.institution"),
        "institution_type": type_label,
        "score": ui.number_text(ui.t("column.score"), width="small"),
        "award": ui.t("column.award"),
    },
)

# --- Returning units ----------------------------------------------------------------------------
st.header(ui.t("trends.section.returning"))
returning = trends.restrict(view.returning, selected.drop(columns="year"))
if returning.empty:
    st.info(ui.t("trends.no_returning"))
else:
    st.plotly_chart(
        charts.returning_chart(returning, lang=lang),
        config=charts.png_config(ui.t("trends.png.returning")),
    )
    # In the order trends.returning_units gives (most editions first): the numbers are localised text.
    shown_returning = ui.localised(returning, ["first_score", "last_score"])
    shown_returning = ui.localised(ui.localised(shown_returning, ["change"], sign=True), ["best_rank"], 0)
    st.dataframe(
        shown_returning.assign(institution_type=returning["institution_type"].map(type_labels)),
        hide_index=True,
        width="stretch",
        column_config={
            "institution": ui.t("column.institution"),
            "institution_type": type_label,
            "editions": st.column_config.NumberColumn(ui.t("trends.column.editions")),
            "first_year": st.column_config.NumberColumn(ui.t("trends.column.first_year"), format="%d"),
            "last_year": st.column_config.NumberColumn(ui.t("trends.column.last_year"), format="%d"),
            "first_score": ui.number_text(ui.t("trends.column.first_score")),
            "last_score": ui.number_text(ui.t("trends.column.last_score")),
            "change": ui.number_text(ui.t("trends.column.change")),
            "best_rank": ui.number_text(ui.t("trends.column.best_rank")),
            "awards": st.column_config.NumberColumn(ui.t("trends.column.awards")),
        },
    )

# --- Advancement to KOVABLIK and SINOVIK --------------------------------------------------------
st.header(ui.t("trends.section.advancement"))
st.plotly_chart(
    charts.advancement_chart(view.advancement_counts, lang=lang),
    config=charts.png_config(ui.t("trends.png.advancement")),
)
sent = trends.restrict(view.advancement, selected)
if sent.empty:
    st.info(ui.t("trends.no_advancement"))
else:
    st.dataframe(
        sent[["year", "round", "round_year", "result", "title", "institution"]],
        hide_index=True,
        width="stretch",
        column_config={
            "year": st.column_config.NumberColumn(ui.t("trends.column.year"), format="%d"),
            "round": ui.t("trends.column.round"),
            "round_year": st.column_config.NumberColumn(ui.t("trends.column.round_year"), format="%d"),
            "result": ui.t("trends.column.result"),
            "title": ui.t("column.title"),
            "institution": ui.t("column.institution"),
        },
    )

# --- Official result documents: organizers for any edition, leadership for published ones -----------
status_of = dict(zip(editions["year"], editions["status"], strict=True))
if organizer or status_of.get(year) == EditionStatus.published.value:
    st.header(ui.t("documents.heading"))
    method_labels = {name: ui.t(f"method.{name}") for name in METHODS}
    if organizer:
        method = st.selectbox(
            ui.t("method.label"),
            options=list(method_labels),
            format_func=method_labels.__getitem__,
            key="documents_method",
        )
    else:  # leadership gets the official result: the default method
        method = METHODS[0]
    st.write(ui.t("documents.intro", year=year, method=method_labels[method]))
    provisional = int(ui.leaderboard(year, method)["provisional"].sum())
    if provisional:
        st.warning(ui.t("documents.provisional_warning", n=provisional))
    if st.button(ui.t("documents.prepare"), icon=":material/description:", key="documents_prepare"):
        st.session_state["documents_for"] = (year, method, lang)
    if st.session_state.get("documents_for") == (year, method, lang):
        try:
            with st.spinner(ui.t("documents.preparing")):
                pdf = ui.document(year, "pdf", method)
                workbook = ui.document(year, "xlsx", method, with_juror_scores=organizer)
        except DocumentError as error:
            st.error(ui.t("documents.failed", error=error), icon=":material/error:")
            st.stop()
        pdf_column, xlsx_column = st.columns(2)
        pdf_column.download_button(
            ui.t("documents.download_pdf"),
            data=pdf,
            file_name=file_name(year, "pdf", lang),
            mime=MIME["pdf"],
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            key="documents_pdf",
        )
        xlsx_column.download_button(
            ui.t("documents.download_xlsx"),
            data=workbook,
            file_name=file_name(year, "xlsx", lang),
            mime=MIME["xlsx"],
            icon=":material/table_view:",
            on_click="ignore",
            key="documents_xlsx",
        )
