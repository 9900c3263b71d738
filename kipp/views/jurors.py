"""Juror analytics sections: how each juror scores, where the panel disagrees, how stable the ranking is.

Every figure comes from kipp.analytics / kipp.scoring through the cached ui helpers, every
chart from kipp.charts; each tab is a function of the edition.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kipp import analytics, charts, i18n, scoring, ui
from kipp.adjustment import PanelGroup
from kipp.views.live_progress import session_label

HEATMAP_ENTRIES = 60
TOP = 10


def number(value: float | None, decimals: int = 2) -> str:
    """A number in the session's language."""
    return i18n.format_number(value, ui.lang(), decimals)


def criterion_names(data: scoring.EditionData) -> dict[Any, str]:
    """The edition's criteria by id."""
    return dict(zip(data.criteria["criterion_id"], data.criteria["name"], strict=True))


def measure_picker(data: scoring.EditionData, key: str) -> Any:
    """Total or one criterion (None = the total)."""
    names = criterion_names(data)
    return st.selectbox(
        ui.t("analytics.measure"),
        options=[None, *names],
        format_func=lambda c: ui.t("analytics.measure_total") if c is None else names[c],
        key=key,
    )


def sheets(data: scoring.EditionData, entry_id: Any) -> None:
    """An entry's sheets: a row per juror, a column per criterion, total and status."""
    entry = data.entries.set_index("entry_id").loc[entry_id]
    st.subheader(ui.t("analytics.sheets_heading", code=ui.plain(entry["code"]), title=ui.plain(entry["title"])))
    table = analytics.entry_sheets(data, entry_id)
    table["status"] = table["status"].map(lambda s: ui.t(f"analytics.sheet_status.{s}"))
    criteria = [c for c in table.columns if c not in ("juror_id", "juror", "seat", "status", "total")]
    st.dataframe(
        ui.localised(table.drop(columns=["juror_id", "seat"]), ["total", *criteria]),
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("analytics.column.juror"),
            "status": ui.t("analytics.status_label"),
            "total": ui.number_text(ui.t("analytics.total_label")),
            **{c: ui.number_text(c) for c in criteria},
        },
    )


def describe_groups(groups: tuple[PanelGroup, ...]) -> str:
    """The unlinked panel groups in words, safe for Markdown: 'Ruang Eboni (Juri A, Juri B; 2 inovasi) dan …'."""
    described = [
        ui.t(
            "jurors.group",
            label=ui.plain(" + ".join(group.rooms)) if group.rooms else ui.t("jurors.group_number", n=number),
            jurors=ui.plain(", ".join(group.jurors)),
            n=group.entries,
        )
        for number, group in enumerate(groups, start=1)
    ]
    return ", ".join(described[:-1]) + f" {ui.t('jurors.and')} " + described[-1] if len(described) > 1 else described[0]


def disconnected_warning(groups: tuple[PanelGroup, ...]) -> None:
    """Why the adjusted score cannot rank the edition: which groups share no juror and no entry."""
    st.warning(ui.t("jurors.disconnected", groups=describe_groups(groups)), icon=":material/link_off:")


def _effects(year: int) -> None:
    """Each juror's effect from the adjusted fit (points, ± 2 standard errors): table and dot-and-whisker chart."""
    st.subheader(ui.t("jurors.effects.heading"))
    effects = ui.juror_effects(year)
    if isinstance(effects, tuple):
        disconnected_warning(effects)
        return
    if effects["effect"].isna().all():
        st.info(ui.t("jurors.effects.none"))
        return
    st.caption(ui.t("jurors.effects.help"))
    table = ui.localised(effects[["juror", "sheets", "effect", "se"]], ["effect"], sign=True)
    st.dataframe(
        ui.localised(table, ["se"]),
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("analytics.column.juror"),
            "sheets": ui.t("jurors.column.sheets"),
            "effect": ui.number_text(ui.t("jurors.column.effect")),
            "se": ui.number_text(ui.t("jurors.column.se")),
        },
        key="jurors_effects",
    )
    st.plotly_chart(charts.juror_effects_chart(effects, lang=ui.lang()), width="stretch", key="jurors_effects_chart")


def selection_points(event: Any) -> list[dict[str, Any]]:
    """The points of a plotly selection event (empty when nothing is selected)."""
    return list(event.selection.points) if event and event.selection else []


def _flags(summary: pd.DataFrame) -> None:
    """A warning per juror far from the panel, or a word that nobody is."""
    flagged = summary[summary["flag"] != ""]
    for row in flagged.itertuples():
        st.warning(
            ui.t(
                "analytics.flag_line",
                juror=ui.plain(row.juror),
                reading=ui.t(f"analytics.flag.{row.flag}"),
                severity=ui.signed(row.severity),
                n=row.shared,
            ),
            icon=":material/balance:",
        )
    if flagged.empty:
        st.success(ui.t("analytics.no_flags", points=number(analytics.SEVERITY_POINTS, 0)))


def jurors_tab(year: int, summary: pd.DataFrame) -> None:
    """Each juror's summary, severity (overall and per criterion) and score distribution."""
    data = ui.edition_data(year)
    lang = ui.lang()
    st.subheader(ui.t("analytics.summary_heading"))
    _flags(summary)
    table = summary.assign(flag=summary["flag"].map(lambda f: ui.t(f"analytics.flag.{f}") if f else ""))
    figures = ["mean", "sd", "median", "min", "max"]
    table = ui.localised(ui.localised(table, figures), ["severity"], sign=True)  # 74,34 in Indonesian
    st.dataframe(
        table[["juror", "done", *figures, "severity", "flag"]],
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("analytics.column.juror"),
            "done": ui.t("analytics.column.done"),
            **{column: ui.number_text(ui.t(f"analytics.column.{column}")) for column in figures},
            "severity": ui.number_text(ui.t("analytics.column.severity")),
            "flag": ui.t("analytics.column.flag"),
        },
    )
    st.caption(ui.t("analytics.summary_help", points=number(analytics.SEVERITY_POINTS, 0)))
    st.subheader(ui.t("analytics.severity_heading"))
    st.plotly_chart(charts.severity_chart(summary, points=analytics.SEVERITY_POINTS, lang=lang), width="stretch")
    with st.expander(ui.t("analytics.severity_criteria")):
        by_criterion = ui.severity_by_criterion(year)
        wide = by_criterion.pivot_table(index="juror", columns="criterion", values="severity", sort=False)
        st.dataframe(
            ui.localised(wide, list(wide.columns), sign=True),
            width="stretch",
            column_config={c: ui.number_text(c) for c in wide.columns},
        )
    _effects(year)

    st.subheader(ui.t("analytics.distribution_heading"))
    criterion = measure_picker(data, "jurors_distribution_measure")
    measure = ui.t("analytics.measure_total") if criterion is None else criterion_names(data)[criterion]
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
        sheets(data, entry_id)


def deviation_tab(year: int) -> None:
    """The entry × juror deviation heatmap; a click or a pick opens an entry's sheets."""
    data = ui.edition_data(year)
    st.subheader(ui.t("analytics.deviation_heading"))
    criterion = measure_picker(data, "jurors_deviation_measure")
    deviation = ui.deviations(year, criterion)
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
        charts.deviation_heatmap(cells, data.panel, lang=ui.lang()),
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
        sheets(data, entry_id)


def _reading(value: float) -> str:
    """An ICC value in words, or "not computable"."""
    if pd.isna(value):
        return ui.t("analytics.not_computable")
    return ui.t(f"analytics.reading.{analytics.icc_reading(value)}")


def _agreement_metrics(edition: pd.Series) -> None:
    """The five agreement figures of the whole panel, each with its reading."""
    k = int(edition["n_jurors"])
    for column, key in zip(st.columns(5), ("icc2_1", "icc2_k", "icc3_1", "icc3_k", "kendall_w"), strict=True):
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


def _panel_agreement(year: int) -> None:
    """With split panels: ICC and Kendall's W per group of entries scored by the same jurors."""
    panels = ui.panel_agreement(year)
    if panels is None:
        return
    st.subheader(ui.t("jurors.panels.heading"))
    st.caption(ui.t("jurors.panels.help"))
    table = panels.assign(
        session=[
            ui.t("jurors.panels.several") if pd.isna(day) else session_label(day, room)
            for day, room in zip(panels["day"], panels["room"], strict=True)
        ],
        reading=panels["icc3_k"].map(lambda v: "–" if pd.isna(v) else _reading(v)),
    )
    keys = ("icc2_1", "icc3_k", "kendall_w")
    st.dataframe(
        ui.localised(table[["session", "jurors", "entries", "n_entries", *keys, "reading"]], keys, 3),
        hide_index=True,
        width="stretch",
        column_config={
            "session": ui.t("jurors.column.session"),
            "jurors": ui.t("jurors.column.jurors"),
            "entries": ui.t("jurors.column.entries"),
            "n_entries": ui.t("jurors.column.scored"),
            **{key: ui.number_text(ui.t(f"analytics.{key}")) for key in keys},
            "reading": ui.t("analytics.column.reading"),
        },
        key="jurors_panel_agreement",
    )


def agreement_tab(year: int) -> None:
    """How much the panel agrees (ICC, Kendall's W), overall and per criterion."""
    st.subheader(ui.t("analytics.agreement_heading"))
    agreement = ui.agreement_table(year)
    edition = agreement.iloc[0]
    if pd.isna(edition["icc3_k"]):
        st.info(ui.t("analytics.agreement_none"))
    else:
        st.caption(ui.t("analytics.agreement_scope", n_entries=edition["n_entries"], n_jurors=edition["n_jurors"]))
        _agreement_metrics(edition)
        st.markdown(
            ui.t(
                "analytics.agreement_reading",
                reading=_reading(edition["icc3_k"]),
                value=number(edition["icc3_k"], 3),
                single=_reading(edition["icc2_1"]),
                single_value=number(edition["icc2_1"], 3),
            )
        )
        if edition["icc3_1"] - edition["icc2_1"] >= 0.1:
            st.info(ui.t("analytics.agreement_gap"), icon=":material/balance:")
        st.subheader(ui.t("analytics.per_criterion"))
        criteria = agreement.iloc[1:].assign(
            reading=lambda f: f["icc3_k"].map(lambda v: "–" if pd.isna(v) else _reading(v))
        )
        figures = ["icc2_1", "icc2_k", "icc3_1", "icc3_k", "kendall_w"]
        st.dataframe(
            ui.localised(criteria[["criterion", *figures, "reading"]], figures, 3),
            hide_index=True,
            width="stretch",
            column_config={
                "criterion": ui.t("analytics.column.criterion"),
                **{key: ui.number_text(ui.t(f"analytics.{key}")) for key in figures},
                "reading": ui.t("analytics.column.reading"),
            },
        )
    _panel_agreement(year)
    with st.expander(ui.t("analytics.bands_heading")):
        st.markdown(ui.t("analytics.bands"))


def _methods(year: int) -> None:
    """Whether the aggregation methods that can rank the edition agree on the top ten."""
    st.subheader(ui.t("analytics.methods_heading"))
    if "adjusted" not in ui.available_methods(year):
        st.caption(ui.t("jurors.methods_without_adjusted"))
        disconnected_warning(ui.unlinked_panels(year))
    comparison = ui.method_comparison(year, TOP)
    disagree = scoring.top_sets_disagree(comparison)
    if disagree:
        st.warning(ui.t("analytics.methods_differ", top=TOP, entries=ui.plain(", ".join(disagree))))
    else:
        st.success(ui.t("analytics.methods_same", top=TOP))
    st.plotly_chart(charts.method_comparison(comparison, top=TOP, lang=ui.lang()), width="stretch")
    st.caption(ui.t("analytics.methods_help", top=TOP))


def _leave_one_out(year: int) -> None:
    """Entries whose award changes when one juror is left out."""
    st.subheader(ui.t("analytics.loo_heading"))
    st.caption(ui.t("analytics.loo_help"))
    loo = ui.leave_one_out(year)
    changes = loo[loo["tier_changed"]]
    if changes.empty:
        st.success(ui.t("analytics.loo_none"))
        return
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


def _bootstrap(year: int) -> None:
    """How often each entry stays in the top 3 and top 10 when the panel is resampled."""
    st.subheader(ui.t("analytics.bootstrap_heading"))
    with st.spinner(ui.t("analytics.bootstrap_running")):
        stability = ui.bootstrap_top(year)
    st.caption(ui.t("analytics.bootstrap_help", n=analytics.BOOTSTRAP_RESAMPLES, seed=analytics.BOOTSTRAP_SEED))
    shown = stability[(stability["p_top10"] > 0) | (stability["rank"] <= TOP)]
    lang = ui.lang()
    st.dataframe(
        ui.localised(
            shown.assign(
                p_top3=shown["p_top3"] * 100,
                p_top10=shown["p_top10"] * 100,
                stability=shown["p_top10"].map(
                    lambda p: ui.t("analytics.stability_line", p=i18n.format_percent(p, lang))
                ),
            )[["rank", "code", "title", "score", "p_top3", "p_top10", "stability"]],
            ["score"],
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "rank": ui.t("column.rank"),
            "code": ui.t("column.code"),
            "title": ui.t("column.title"),
            "score": ui.number_text(ui.t("column.score")),
            "p_top3": st.column_config.ProgressColumn(
                ui.t("analytics.column.p_top3"), format="%.0f%%", min_value=0, max_value=100
            ),
            "p_top10": st.column_config.ProgressColumn(
                ui.t("analytics.column.p_top10"), format="%.0f%%", min_value=0, max_value=100
            ),
            "stability": ui.t("analytics.column.stability"),
        },
    )


def stability_tab(year: int) -> None:
    """How stable the ranking is: across methods, without one juror, under resampling."""
    _methods(year)
    _leave_one_out(year)
    _bootstrap(year)
