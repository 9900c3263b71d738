"""Juror analytics (organizers): how each juror scores, where the panel disagrees, how stable the ranking is.

Thin: every figure comes from kipp.analytics / kipp.scoring and kipp.charts; heavy results
are cached by edition and data version.
"""

from typing import Any

import pandas as pd
import streamlit as st

from kipp import analytics, charts, i18n, queries, scoring, ui

ui.require_navigation()

HEATMAP_ENTRIES = 60


def number(value: float | None, decimals: int = 2) -> str:
    """A number in the session's language."""
    return i18n.format_number(value, ui.lang(), decimals)


def measure_picker(key: str) -> Any:
    """Total or one criterion (None = the total)."""
    return st.selectbox(
        ui.t("analytics.measure"),
        options=[None, *criterion_names],
        format_func=lambda c: ui.t("analytics.measure_total") if c is None else criterion_names[c],
        key=key,
    )


def show_sheets(entry_id: Any) -> None:
    """An entry's sheets: a row per juror, a column per criterion, total and status."""
    entry = data.entries.set_index("entry_id").loc[entry_id]
    st.subheader(ui.t("analytics.sheets_heading", code=entry["code"], title=entry["title"]))
    sheets = analytics.entry_sheets(data, entry_id)
    sheets["status"] = sheets["status"].map(lambda s: ui.t(f"analytics.sheet_status.{s}"))
    criteria = [c for c in sheets.columns if c not in ("juror_id", "juror", "seat", "status", "total")]
    st.dataframe(
        sheets.drop(columns=["juror_id", "seat"]),
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("analytics.column.juror"),
            "status": ui.t("analytics.status_label"),
            "total": st.column_config.NumberColumn(ui.t("analytics.total_label"), format="%.2f"),
            **{c: st.column_config.NumberColumn(c, format="%.2f") for c in criteria},
        },
    )


def selection_points(event: Any) -> list[dict[str, Any]]:
    """The points of a plotly selection event (empty when nothing is selected)."""
    return list(event.selection.points) if event and event.selection else []


year = ui.selected_year()
if year is None:
    st.info(ui.t("app.no_editions"))
    st.stop()

st.title(ui.t("analytics.title"))
st.write(ui.t("analytics.intro"))
if queries.edition_record(ui.engine(), year)["is_demo"]:
    st.caption(ui.t("app.demo_badge"))

lang = ui.lang()
data = ui.edition_data(year)
summary = ui.computed("analytics.juror_summary", year)
criterion_names = dict(zip(data.criteria["criterion_id"], data.criteria["name"], strict=True))
if not summary["done"].any():
    st.info(ui.t("analytics.no_scores"))
    st.stop()

jurors_tab, deviation_tab, agreement_tab, stability_tab = st.tabs(
    [ui.t(f"analytics.tab.{name}") for name in ("jurors", "deviation", "agreement", "stability")]
)
with jurors_tab:
    st.subheader(ui.t("analytics.summary_heading"))
    flagged = summary[summary["flag"] != ""]
    for row in flagged.itertuples():
        st.warning(
            ui.t(
                "analytics.flag_line",
                juror=row.juror,
                reading=ui.t(f"analytics.flag.{row.flag}"),
                severity=ui.signed(row.severity),
                n=row.shared,
            ),
            icon=":material/balance:",
        )
    if flagged.empty:
        st.success(ui.t("analytics.no_flags", points=number(analytics.SEVERITY_POINTS, 0)))
    table = summary.assign(flag=summary["flag"].map(lambda f: ui.t(f"analytics.flag.{f}") if f else ""))
    st.dataframe(
        table[["juror", "done", "mean", "sd", "median", "min", "max", "severity", "flag"]],
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("analytics.column.juror"),
            "done": ui.t("analytics.column.done"),
            **{
                column: st.column_config.NumberColumn(ui.t(f"analytics.column.{column}"), format="%.2f")
                for column in ("mean", "sd", "median", "min", "max")
            },
            "severity": st.column_config.NumberColumn(ui.t("analytics.column.severity"), format="%+.2f"),
            "flag": ui.t("analytics.column.flag"),
        },
    )
    st.caption(ui.t("analytics.summary_help", points=number(analytics.SEVERITY_POINTS, 0)))
    st.subheader(ui.t("analytics.severity_heading"))
    st.plotly_chart(charts.severity_chart(summary, points=analytics.SEVERITY_POINTS, lang=lang), width="stretch")
    with st.expander(ui.t("analytics.severity_criteria")):
        by_criterion = ui.computed("analytics.severity_by_criterion", year)
        wide = by_criterion.pivot_table(index="juror", columns="criterion", values="severity", sort=False)
        formats = {c: st.column_config.NumberColumn(c, format="%+.2f") for c in wide.columns}
        st.dataframe(wide, width="stretch", column_config=formats)

    st.subheader(ui.t("analytics.distribution_heading"))
    criterion = measure_picker("jurors_distribution_measure")
    measure = ui.t("analytics.measure_total") if criterion is None else criterion_names[criterion]
    event = st.plotly_chart(
        charts.juror_distributions(analytics.juror_scores(data, criterion), data.panel, measure=measure, lang=lang),
        width="stretch",
        on_select="rerun",
        selection_mode="points",
        key="jurors_distribution_chart",
    )
    st.caption(ui.t("analytics.distribution_help"))
    entry_id = analytics.picked_entry(selection_points(event), data.entries)
    if entry_id is not None:
        show_sheets(entry_id)

with deviation_tab:
    st.subheader(ui.t("analytics.deviation_heading"))
    criterion = measure_picker("jurors_deviation_measure")
    deviation = ui.computed("analytics.deviations", year, criterion)
    order = ui.leaderboard(year)["entry_id"].tolist()
    cells = analytics.heatmap_rows(deviation, order, limit=HEATMAP_ENTRIES)
    st.caption(
        ui.t(
            "analytics.deviation_help",
            points=number(analytics.DEVIATION_POINTS, 0),
            sds=number(analytics.DEVIATION_SDS, 0),
        )
    )
    shown, total = cells["entry_id"].nunique(), deviation["entry_id"].nunique()
    if shown < total:
        st.caption(ui.t("analytics.deviation_limited", shown=shown, total=total))
    st.caption(ui.t("analytics.flagged_count", n=int(deviation["flagged"].sum())))
    event = st.plotly_chart(
        charts.deviation_heatmap(cells, data.panel, lang=lang),
        width="stretch",
        on_select="rerun",
        selection_mode="points",
        key="jurors_deviation_chart",
    )
    titles = dict(zip(data.entries["entry_id"], data.entries["code"] + " · " + data.entries["title"], strict=True))
    picked = st.selectbox(
        ui.t("analytics.pick_entry"),
        options=list(titles),
        format_func=titles.__getitem__,
        index=None,
        placeholder=ui.t("analytics.pick_placeholder"),
        key="jurors_entry",
    )
    entry_id = analytics.picked_entry(selection_points(event), data.entries)
    entry_id = picked if entry_id is None else entry_id
    if entry_id is not None:
        show_sheets(entry_id)

with agreement_tab:
    st.subheader(ui.t("analytics.agreement_heading"))
    agreement = ui.computed("analytics.agreement_table", year)
    edition = agreement.iloc[0]
    if pd.isna(edition["icc3_k"]):
        st.info(ui.t("analytics.agreement_none"))
    else:
        st.caption(ui.t("analytics.agreement_scope", n_entries=edition["n_entries"], n_jurors=edition["n_jurors"]))
        k = int(edition["n_jurors"])
        columns = st.columns(5)
        for column, key in zip(columns, ("icc2_1", "icc2_k", "icc3_1", "icc3_k", "kendall_w"), strict=True):
            value = edition[key]
            reading = analytics.w_reading(value) if key == "kendall_w" else analytics.icc_reading(value)
            prefix = "analytics.w_reading" if key == "kendall_w" else "analytics.reading"
            column.metric(
                ui.t(f"analytics.{key}"),
                number(value, 3),
                ui.t(f"{prefix}.{reading}") if reading else ui.t("analytics.not_computable"),
                delta_color="off",
                help=ui.t(f"analytics.help.{key}", k=k),
                border=True,
            )
        st.markdown(
            ui.t(
                "analytics.agreement_reading",
                reading=ui.t(f"analytics.reading.{analytics.icc_reading(edition['icc3_k'])}"),
                value=number(edition["icc3_k"], 3),
                single=ui.t(f"analytics.reading.{analytics.icc_reading(edition['icc2_1'])}")
                if not pd.isna(edition["icc2_1"])
                else ui.t("analytics.not_computable"),
                single_value=number(edition["icc2_1"], 3),
            )
        )
        if edition["icc3_1"] - edition["icc2_1"] >= 0.1:
            st.info(ui.t("analytics.agreement_gap"), icon=":material/balance:")
        st.subheader(ui.t("analytics.per_criterion"))
        criteria = agreement.iloc[1:].assign(
            reading=lambda f: f["icc3_k"].map(
                lambda v: ui.t(f"analytics.reading.{analytics.icc_reading(v)}") if not pd.isna(v) else "–"
            )
        )
        st.dataframe(
            criteria[["criterion", "icc2_1", "icc2_k", "icc3_1", "icc3_k", "kendall_w", "reading"]],
            hide_index=True,
            width="stretch",
            column_config={
                "criterion": ui.t("analytics.column.criterion"),
                **{
                    key: st.column_config.NumberColumn(ui.t(f"analytics.{key}"), format="%.3f")
                    for key in ("icc2_1", "icc2_k", "icc3_1", "icc3_k", "kendall_w")
                },
                "reading": ui.t("analytics.column.reading"),
            },
        )
    with st.expander(ui.t("analytics.bands_heading")):
        st.markdown(ui.t("analytics.bands"))

with stability_tab:
    top = 10
    st.subheader(ui.t("analytics.methods_heading"))
    comparison = ui.computed("scoring.compare_methods", year)
    disagree = scoring.top_sets_disagree(comparison)
    if disagree:
        st.warning(ui.t("analytics.methods_differ", top=top, entries=", ".join(disagree)))
    else:
        st.success(ui.t("analytics.methods_same", top=top))
    st.plotly_chart(charts.method_comparison(comparison, top=top, lang=lang), width="stretch")
    st.caption(ui.t("analytics.methods_help", top=top))

    st.subheader(ui.t("analytics.loo_heading"))
    st.caption(ui.t("analytics.loo_help"))
    loo = ui.computed("analytics.leave_one_out", year)
    changes = loo[loo["tier_changed"]]
    if changes.empty:
        st.success(ui.t("analytics.loo_none"))
    else:
        st.dataframe(
            changes[["juror", "code", "title", "rank", "award", "rank_without", "award_without"]].fillna(
                {"award": ui.t("analytics.no_award"), "award_without": ui.t("analytics.no_award")}
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "juror": ui.t("analytics.column.juror_left_out"),
                "code": ui.t("column.code"),
                "title": ui.t("column.title"),
                "rank": ui.t("column.rank"),
                "award": ui.t("column.award"),
                "rank_without": ui.t("analytics.column.rank_without"),
                "award_without": ui.t("analytics.column.award_without"),
            },
        )

    st.subheader(ui.t("analytics.bootstrap_heading"))
    with st.spinner(ui.t("analytics.bootstrap_running")):
        stability = ui.computed("analytics.bootstrap_top", year)
    st.caption(ui.t("analytics.bootstrap_help", n=analytics.BOOTSTRAP_RESAMPLES, seed=analytics.BOOTSTRAP_SEED))
    shown = stability[(stability["p_top10"] > 0) | (stability["rank"] <= top)]
    st.dataframe(
        shown.assign(
            p_top3=shown["p_top3"] * 100,
            p_top10=shown["p_top10"] * 100,
            stability=shown["p_top10"].map(lambda p: ui.t("analytics.stability_line", p=i18n.format_percent(p, lang))),
        )[["rank", "code", "title", "score", "p_top3", "p_top10", "stability"]],
        hide_index=True,
        width="stretch",
        column_config={
            "rank": ui.t("column.rank"),
            "code": ui.t("column.code"),
            "title": ui.t("column.title"),
            "score": st.column_config.NumberColumn(ui.t("column.score"), format="%.2f"),
            "p_top3": st.column_config.ProgressColumn(
                ui.t("analytics.column.p_top3"), format="%.0f%%", min_value=0, max_value=100
            ),
            "p_top10": st.column_config.ProgressColumn(
                ui.t("analytics.column.p_top10"), format="%.0f%%", min_value=0, max_value=100
            ),
            "stability": ui.t("analytics.column.stability"),
        },
    )
