"""Trends sections: headline figures, participation, score levels, winners, returning units,
advancement and the official result documents; each a function of what it shows.

The figures come from kipp.trends (cached by ui.trend_inputs), the charts from kipp.charts.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kipp import charts, i18n, trends, ui
from kipp.auth import Account
from kipp.documents import MIME, DocumentError, file_name
from kipp.scoring import METHODS

PER_ROW = 3  # six metrics in one row cut their labels; two rows of three keep them whole
DECIMALS = {"mean_score": 2, "threshold": 2}


def filters(results: pd.DataFrame, type_labels: dict[str, str]) -> tuple[list[str], list[str]]:
    """The unit-type and category filters; returns (unit types, categories), empty meaning all."""
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
        options=sorted(results["category"].dropna().unique()),
        placeholder=ui.t("trends.filter.all"),
        key="trends_categories",
    )
    return unit_types, categories


def in_progress(view: trends.Trends) -> None:
    """Names the editions still being scored, which no chart or change below includes."""
    if view.in_progress:
        years = ", ".join(str(year) for year in view.in_progress)
        st.info(ui.t("trends.in_progress", years=years), icon=":material/hourglass_top:")


def headlines(view: trends.Trends, year: int) -> None:
    """The chosen edition's headline figures against the previous edition."""
    lang = ui.lang()
    st.subheader(ui.t("trends.headline", year=year))
    figures = trends.headlines(view.participation, view.levels, view.advancement_counts, year)
    columns = [column for start in range(0, len(figures), PER_ROW) for column in st.columns(PER_ROW)]
    for column, headline in zip(columns, figures, strict=False):
        places = DECIMALS.get(headline.key, 0)
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


def charts_section(view: trends.Trends) -> tuple[Any, Any]:
    """Participation, score levels and winners; returns the clickable charts' selection events."""
    lang = ui.lang()
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

    st.header(ui.t("trends.section.scores"))
    st.plotly_chart(
        charts.score_levels_chart(view.levels, view.criteria, lang=lang),
        config=charts.png_config(ui.t("trends.png.scores")),
    )
    st.caption(ui.t("trends.scores_hint"))

    st.header(ui.t("trends.section.winners"))
    if view.winners.empty:
        st.info(ui.t("trends.no_winners"))
        return by_type_event, None
    winners_event = st.plotly_chart(
        charts.winners_chart(view.winners, lang=lang),
        config=charts.png_config(ui.t("trends.png.winners")),
        on_select="rerun",
        selection_mode="points",
        key="trends_winners",
    )
    return by_type_event, winners_event


def entries_table(entries: pd.DataFrame, type_labels: dict[str, str]) -> None:
    """The entries behind the charts (or the clicked part of them), newest edition first."""
    st.subheader(ui.t("trends.section.entries"))
    shown = entries.sort_values(["year", "rank"], ascending=[False, True])[
        ["year", "rank", "title", "institution", "institution_type", "score", "award"]
    ].assign(institution_type=lambda f: f["institution_type"].map(type_labels))
    st.dataframe(
        ui.award_styled(
            ui.localised(ui.localised(shown, ["rank"], 0), ["score"]),
            positions=entries.loc[shown.index, "tier_position"],
        ),
        hide_index=True,
        width="stretch",
        height=320,
        column_config={
            "year": st.column_config.NumberColumn(ui.t("trends.column.year"), format="%d"),
            "rank": ui.number_text(ui.t("column.rank"), width="small"),
            "title": ui.t("column.title"),
            "institution": ui.t("column.institution"),
            "institution_type": ui.t("trends.column.institution_type"),
            "score": ui.number_text(ui.t("column.score"), width="small"),
            "award": ui.t("column.award"),
        },
    )


def returning(units: pd.DataFrame, type_labels: dict[str, str]) -> None:
    """Units that came back, how their score moved, in the order kipp.trends gives (most editions first)."""
    st.header(ui.t("trends.section.returning"))
    if units.empty:
        st.info(ui.t("trends.no_returning"))
        return
    st.plotly_chart(
        charts.returning_chart(units, lang=ui.lang()),
        config=charts.png_config(ui.t("trends.png.returning")),
    )
    shown = ui.localised(units, ["first_score", "last_score"])
    shown = ui.localised(ui.localised(shown, ["change"], sign=True), ["best_rank"], 0)
    st.dataframe(
        shown.assign(institution_type=units["institution_type"].map(type_labels)),
        hide_index=True,
        width="stretch",
        column_config={
            "institution": ui.t("column.institution"),
            "institution_type": ui.t("trends.column.institution_type"),
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


def advancement(view: trends.Trends, sent: pd.DataFrame) -> None:
    """Entries sent on to KOVABLIK and SINOVIK, counted by year and listed."""
    st.header(ui.t("trends.section.advancement"))
    st.plotly_chart(
        charts.advancement_chart(view.advancement_counts, lang=ui.lang()),
        config=charts.png_config(ui.t("trends.png.advancement")),
    )
    if sent.empty:
        st.info(ui.t("trends.no_advancement"))
        return
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


def _downloads(year: int, method: str, organizer: bool) -> None:
    """The berita acara (PDF) and the recap workbook, built once asked for."""
    lang = ui.lang()
    try:
        with st.spinner(ui.t("documents.preparing")):
            pdf = ui.document(year, "pdf", method)
            workbook = ui.document(year, "xlsx", method, with_juror_scores=organizer)
    except DocumentError as error:
        st.error(ui.t("documents.failed", error=ui.plain(error)), icon=":material/error:")
        return
    icons = {"pdf": ":material/picture_as_pdf:", "xlsx": ":material/table_view:"}
    for column, (kind, content) in zip(st.columns(2), (("pdf", pdf), ("xlsx", workbook)), strict=True):
        column.download_button(
            ui.t(f"documents.download_{kind}"),
            data=content,
            file_name=file_name(year, kind, lang),
            mime=MIME[kind],
            icon=icons[kind],
            on_click="ignore",
            key=f"documents_{kind}",
        )


def documents(year: int, account: Account) -> None:
    """Official result documents: organizers pick the method; leadership gets the official one (the default)."""
    st.header(ui.t("documents.heading"))
    method_labels = {name: ui.t(f"method.{name}") for name in METHODS}
    method = ui.edition_data(year).official_method
    if account.is_organizer:
        method = st.selectbox(
            ui.t("method.label"),
            options=list(method_labels),
            index=METHODS.index(method),
            format_func=method_labels.__getitem__,
            key=f"documents_method_{year}",
        )
    st.write(ui.t("documents.intro", year=year, method=method_labels[method]))
    provisional = int(ui.leaderboard(year, method)["provisional"].sum())
    if provisional:
        st.warning(ui.t("documents.provisional_warning", n=provisional))
    if st.button(ui.t("documents.prepare"), icon=":material/description:", key="documents_prepare"):
        st.session_state["documents_for"] = (year, method, ui.lang())
    if st.session_state.get("documents_for") == (year, method, ui.lang()):
        _downloads(year, method, account.is_organizer)
