"""Plotly figure builders: pure functions, DataFrame in, Figure out (testable without a browser)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kipp.i18n import format_number, translate
from kipp.theme import JUROR_COLORS, NO_TIER_COLOR, PRIMARY, tier_color

# Aggregation methods (Juror analytics' rank comparison): a palette of their own, not jurors' or tiers'.
METHOD_COLORS: dict[str, str] = {
    "mean": "#AD1457",
    "median": "#00838F",
    "trimmed": "#6D4C41",
    "zscore": "#5C6BC0",
    "adjusted": "#2E7D32",
}


def tier_css(position: object) -> str:
    """Table-cell CSS of an award in the colour of its tier's 1-based position (white text); empty without.

    Every table with an award column uses this (via ``kipp.ui.award_styled``), so a tier has
    the same colour in tables, charts and the big screen, whatever the edition calls it.
    """
    return "" if pd.isna(position) else f"background-color: {tier_color(position)}; color: white"  # type: ignore[arg-type]


def juror_color(seat: int) -> str:
    """The colour of a panel seat (1-based), stable across pages."""
    return JUROR_COLORS[(seat - 1) % len(JUROR_COLORS)]


def method_color(method: str) -> str:
    """The colour of an aggregation method (grey for an unknown one)."""
    return METHOD_COLORS.get(method, NO_TIER_COLOR)


def _layout(figure: go.Figure, height: int = 360) -> go.Figure:
    figure.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, template="plotly_white", showlegend=False
    )
    return figure


def entries_by_type(entries: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Horizontal bars: number of entries per unit type, largest first."""
    counts = entries["institution_type"].map(lambda kind: labels.get(kind, kind)).value_counts(ascending=True)
    figure = go.Figure(go.Bar(x=counts.to_numpy(), y=counts.index.tolist(), orientation="h", marker_color=PRIMARY))
    return _layout(figure, height=max(240, 40 * len(counts)))


# --- Juror analytics -------------------------------------------------------------

DEVIATION_SCALE = "RdBu_r"  # blue = below the other jurors, red = above
FLAG_COLOR = "#111111"


def _separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for the language (85,25 in Indonesian)."""
    return ",." if lang == "id" else ".,"


def _entry_data(frame: pd.DataFrame) -> np.ndarray:
    """customdata rows [entry_id, code, title]: selections carry the entry id as customdata[0]."""
    return frame[["entry_id", "code", "title"]].to_numpy(dtype=object)


def juror_distributions(scores: pd.DataFrame, panel: pd.DataFrame, *, measure: str, lang: str) -> go.Figure:
    """One box per panel juror (seat order, seat colour) with every sheet as a point.

    ``scores``: entry_id, code, title, juror_id, score (see analytics.juror_scores);
    ``panel``: juror_id, juror, seat; ``measure``: the axis title (total or a criterion).
    """
    figure = go.Figure()
    for juror in panel.sort_values("seat", kind="stable").itertuples():
        mine = scores[scores["juror_id"] == juror.juror_id]
        figure.add_trace(
            go.Box(
                y=mine["score"].to_numpy(dtype=float),
                name=str(juror.juror),
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                marker={"color": juror_color(int(juror.seat)), "size": 6, "opacity": 0.75},
                line={"color": juror_color(int(juror.seat))},
                customdata=_entry_data(mine),
                hovertemplate="%{customdata[1]} · %{customdata[2]}<br>%{y:.2f}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(yaxis_title=measure, separators=_separators(lang))
    return _layout(figure, height=420)


def severity_chart(summary: pd.DataFrame, *, points: float, lang: str) -> go.Figure:
    """Horizontal bars of each juror's severity (± 2 standard errors), threshold lines at ±points.

    ``summary``: juror, seat, severity, se, flag (see analytics.juror_summary).
    """
    ordered = summary.sort_values("seat", kind="stable")
    labels = [translate(f"analytics.flag.{flag}", lang) if flag else "" for flag in ordered["flag"]]
    figure = go.Figure(
        go.Bar(
            x=ordered["severity"].to_numpy(dtype=float),
            y=ordered["juror"].astype(str).tolist(),
            orientation="h",
            marker_color=[juror_color(int(seat)) for seat in ordered["seat"]],
            error_x={"type": "data", "array": (2 * ordered["se"].fillna(0)).to_numpy(dtype=float)},
            text=labels,
            textposition="outside",
            hovertemplate="%{y}: %{x:+.2f}<extra></extra>",
        )
    )
    for edge in (-points, points):
        figure.add_vline(x=edge, line_dash="dot", line_color=NO_TIER_COLOR)
    figure.add_vline(x=0, line_color="#444444")
    figure.update_layout(
        xaxis_title=translate("analytics.chart.severity_axis", lang),
        yaxis={"autorange": "reversed"},
        separators=_separators(lang),
    )
    return _layout(figure, height=max(220, 60 * len(ordered) + 80))


def deviation_heatmap(cells: pd.DataFrame, panel: pd.DataFrame, *, lang: str) -> go.Figure:
    """Entry × juror heat map of deviations from the other jurors, flagged cells marked ✕.

    ``cells``: entry_id, code, title, juror_id, deviation, flagged, in the entry order to draw
    (see analytics.heatmap_rows); ``panel`` fixes the juror columns.  Missing or recused
    sheets stay blank.  Both traces carry the entry id as customdata for click selections.
    """
    jurors = panel.sort_values("seat", kind="stable")
    names = dict(zip(jurors["juror_id"], jurors["juror"].astype(str), strict=True))
    codes = list(dict.fromkeys(cells["code"]))
    grid = cells.pivot_table(index="code", columns="juror_id", values="deviation", aggfunc="first")
    grid = grid.reindex(index=codes, columns=jurors["juror_id"].tolist())
    entries = cells.drop_duplicates("code").set_index("code").reindex(codes)
    ids = np.repeat(entries["entry_id"].to_numpy(dtype=object)[:, None], len(jurors), axis=1)
    titles = np.repeat(entries["title"].astype(str).to_numpy(dtype=object)[:, None], len(jurors), axis=1)
    limit = float(np.nanmax(np.abs(grid.to_numpy(dtype=float)))) if grid.notna().any().any() else 1.0
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(dtype=float),
            x=[names[j] for j in grid.columns],
            y=codes,
            customdata=np.dstack([ids, titles]),
            colorscale=DEVIATION_SCALE,
            zmid=0,
            zmin=-limit,
            zmax=limit,
            colorbar={"title": {"text": translate("analytics.chart.deviation_axis", lang)}},
            hovertemplate="%{y} · %{customdata[1]}<br>%{x}: %{z:+.2f}<extra></extra>",
            hoverongaps=False,
        )
    )
    flagged = cells[cells["flagged"]]
    figure.add_trace(
        go.Scatter(
            x=flagged["juror_id"].map(names).tolist(),
            y=flagged["code"].tolist(),
            mode="markers",
            marker={"symbol": "x-thin-open", "size": 14, "color": FLAG_COLOR, "line": {"width": 2}},
            customdata=_entry_data(flagged),
            name=translate("analytics.chart.flagged", lang),
            hovertemplate="%{customdata[1]} · %{customdata[2]}<extra>%{fullData.name}</extra>",
        )
    )
    figure.update_layout(yaxis={"autorange": "reversed", "type": "category"}, xaxis={"side": "top"})
    figure.update_layout(separators=_separators(lang))
    return _layout(figure, height=max(300, 22 * len(codes) + 120))


def method_comparison(comparison: pd.DataFrame, *, top: int, lang: str) -> go.Figure:
    """Rank of each entry that is in the Top N under some method, one marker per method.

    ``comparison``: entry_id, code, title, rank_<method>…, in_top_any (scoring.compare_methods).
    A grey segment spans each entry's best and worst rank; a dotted line marks the Top N edge.
    """
    methods = [c.removeprefix("rank_") for c in comparison.columns if c.startswith("rank_")]
    shown = comparison[comparison["in_top_any"]]
    ranks = shown[[f"rank_{m}" for m in methods]].astype(float)
    shown = shown.assign(_order=ranks.mean(axis=1)).sort_values("_order", kind="stable")
    ranks = ranks.loc[shown.index]
    titles = shown["title"].astype(str).tolist()
    figure = go.Figure()
    for title, low, high in zip(titles, ranks.min(axis=1), ranks.max(axis=1), strict=True):
        figure.add_trace(
            go.Scatter(
                x=[low, high],
                y=[title, title],
                mode="lines",
                line={"color": NO_TIER_COLOR, "width": 4},
                hoverinfo="skip",
            )
        )
    symbols = ["circle", "diamond", "square", "triangle-up", "x", "star"]
    for index, method in enumerate(methods):
        figure.add_trace(
            go.Scatter(
                x=ranks[f"rank_{method}"].to_numpy(dtype=float),
                y=titles,
                mode="markers",
                name=translate(f"method.{method}", lang),
                marker={"symbol": symbols[index % len(symbols)], "size": 11, "color": method_color(method)},
                customdata=_entry_data(shown),
                hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>",
            )
        )
    figure.add_vline(x=top + 0.5, line_dash="dot", line_color=PRIMARY)
    figure.update_layout(
        xaxis_title=translate("analytics.chart.rank_axis", lang),
        yaxis={"autorange": "reversed", "type": "category"},
        separators=_separators(lang),
    )
    figure = _layout(figure, height=max(300, 26 * len(titles) + 120))
    figure.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.15})
    return figure


def juror_vs_panel(entries: pd.DataFrame, *, seat: int, lang: str) -> go.Figure:
    """One juror's total on each entry against the other jurors' mean; flagged entries ringed.

    ``entries``: entry_id, code, title, score, others_mean, flagged (analytics.juror_entries).
    Points above the diagonal are entries the juror scored higher than the rest of the panel.
    """
    values = pd.concat([entries["score"], entries["others_mean"]]).astype(float)
    low, high = (float(values.min()) - 2, float(values.max()) + 2) if values.notna().any() else (0.0, 100.0)
    flagged = entries[entries["flagged"].astype(bool)]
    figure = go.Figure(
        [
            go.Scatter(
                x=[low, high],
                y=[low, high],
                mode="lines",
                line={"color": NO_TIER_COLOR, "dash": "dot"},
                name=translate("analytics.chart.equal_line", lang),
                hoverinfo="skip",
            ),
            go.Scatter(
                x=entries["others_mean"].to_numpy(dtype=float),
                y=entries["score"].to_numpy(dtype=float),
                mode="markers",
                marker={"color": juror_color(seat), "size": 9},
                customdata=_entry_data(entries),
                name=translate("analytics.chart.entries", lang),
                hovertemplate="%{customdata[1]} · %{customdata[2]}<br>%{x:.2f} → %{y:.2f}<extra></extra>",
            ),
            go.Scatter(
                x=flagged["others_mean"].to_numpy(dtype=float),
                y=flagged["score"].to_numpy(dtype=float),
                mode="markers",
                marker={"symbol": "circle-open", "size": 18, "color": FLAG_COLOR, "line": {"width": 2}},
                customdata=_entry_data(flagged),
                name=translate("analytics.chart.flagged", lang),
                hoverinfo="skip",
            ),
        ]
    )
    figure.update_layout(
        xaxis_title=translate("analytics.chart.others_axis", lang),
        yaxis_title=translate("analytics.chart.you_axis", lang),
        separators=_separators(lang),
    )
    return _layout(figure, height=420)


# --- Trends across editions --------------------------------------------------------

# Unit types, participation series and advancement rounds have palettes of their own: none of
# their colours is a tier's, a juror's, a method's or a sheet status's (tests/test_trends_page.py).
UNIT_TYPE_COLORS: dict[str, str] = {
    "dinas": "#E57373",
    "badan": "#F0A35E",
    "upt": "#BA68C8",
    "puskesmas": "#4DB6AC",
    "sekolah": "#64B5F6",
    "kecamatan": "#A1887F",
    "kelurahan": "#F06292",
    "bumd": "#7986CB",
    "other": "#B0BEC5",
}
PARTICIPATION_COLORS: dict[str, str] = {"entries": PRIMARY, "units": "#37474F", "first_time_units": "#80CBC4"}
ROUND_COLORS: dict[str, str] = {"KOVABLIK": "#0288D1", "SINOVIK": "#E65100"}
CRITERION_COLORS = ["#1B4F72", "#1E8449", "#B9770E", "#7D3C98", "#C0392B", "#117A65", "#2E4053", "#884EA0"]


def png_config(name: str) -> dict[str, object]:
    """``st.plotly_chart`` config: the modebar shown, its PNG download named ``name``.png at 2× scale."""
    return {
        "displayModeBar": True,
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
    }


def _unit_type(kind: str, lang: str) -> str:
    """A unit type's label in the language."""
    return translate(f"unit_type.{kind}", lang)


def _type_order(kinds: pd.Series) -> list[str]:
    """Unit types present, in the catalogue's order (dinas, badan, … other)."""
    present = set(kinds)
    return [kind for kind in UNIT_TYPE_COLORS if kind in present] + sorted(present - set(UNIT_TYPE_COLORS))


def _by_year(figure: go.Figure, lang: str, y_title: str, height: int = 360) -> go.Figure:
    """Shared look of the trend charts: editions as categories, a legend on top."""
    _layout(figure, height=height)
    figure.update_layout(
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        xaxis={"type": "category", "title": translate("trends.axis.edition", lang)},
        yaxis_title=y_title,
        separators=_separators(lang),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return figure


def participation_chart(participation: pd.DataFrame, *, lang: str) -> go.Figure:
    """Grouped bars per edition: entries, participating units and first-time units."""
    years = participation["year"].astype(str).tolist()
    figure = go.Figure()
    for column, color in PARTICIPATION_COLORS.items():
        figure.add_trace(
            go.Bar(
                x=years,
                y=participation[column].to_numpy(),
                name=translate(f"trends.series.{column}", lang),
                marker_color=color,
                customdata=participation[["year"]].to_numpy(),
                hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(barmode="group")
    return _by_year(figure, lang, translate("trends.axis.count", lang))


def participation_by_type_chart(by_type: pd.DataFrame, *, lang: str) -> go.Figure:
    """Entries per edition stacked by unit type; each segment carries [year, unit type] as customdata."""
    figure = go.Figure()
    for kind in _type_order(by_type["institution_type"]):
        rows = by_type[by_type["institution_type"] == kind]
        figure.add_trace(
            go.Bar(
                x=rows["year"].astype(str).tolist(),
                y=rows["entries"].to_numpy(),
                name=_unit_type(kind, lang),
                marker_color=UNIT_TYPE_COLORS.get(kind, UNIT_TYPE_COLORS["other"]),
                customdata=rows[["year", "institution_type"]].to_numpy(dtype=object),
                hovertemplate="%{x} · %{fullData.name}: %{y}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    return _by_year(figure, lang, translate("trends.axis.entries", lang), height=400)


def score_levels_chart(levels: pd.DataFrame, criteria: pd.DataFrame, *, lang: str) -> go.Figure:
    """Mean score per criterion per edition (0–100), the mean entry score, and the award threshold.

    ``levels``: year, mean_score, threshold (trends.score_levels); ``criteria``: year,
    criterion, position, mean_score (trends.criterion_levels).
    """
    figure = go.Figure()
    names = criteria.sort_values(["position", "criterion"]).drop_duplicates("criterion")["criterion"]
    for i, name in enumerate(names):
        rows = criteria[criteria["criterion"] == name].sort_values("year")
        figure.add_trace(
            go.Scatter(
                x=rows["year"].astype(str).tolist(),
                y=rows["mean_score"].to_numpy(dtype=float),
                name=str(name),
                mode="lines+markers",
                line={"color": CRITERION_COLORS[i % len(CRITERION_COLORS)], "width": 1.5},
                hovertemplate="%{x} · %{fullData.name}: %{y:.2f}<extra></extra>",
            )
        )
    years = levels["year"].astype(str).tolist()
    figure.add_trace(
        go.Scatter(
            x=years,
            y=levels["mean_score"].to_numpy(dtype=float),
            name=translate("trends.series.mean_score", lang),
            mode="lines+markers",
            line={"color": "#111111", "width": 3},
            hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=years,
            y=levels["threshold"].to_numpy(dtype=float),
            name=translate("trends.series.threshold", lang),
            mode="lines+markers",
            line={"color": tier_color(1), "width": 2, "dash": "dash"},
            marker={"symbol": "diamond", "size": 9},
            hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    )
    return _by_year(figure, lang, translate("trends.axis.score", lang), height=420)


def winners_chart(winners: pd.DataFrame, *, lang: str) -> go.Figure:
    """Awarded entries per unit type, stacked by tier in the tier colours; customdata [unit type, tier]."""
    totals = winners.groupby(["institution_type", "tier"], sort=False)["winners"].sum().reset_index()
    kinds = _type_order(totals["institution_type"])
    labels = [_unit_type(kind, lang) for kind in kinds]
    positions = winners.groupby("tier")["tier_position"].min().sort_values(kind="stable")  # first tier first
    figure = go.Figure()
    for tier, position in positions.items():
        rows = totals[totals["tier"] == tier].set_index("institution_type").reindex(kinds)
        figure.add_trace(
            go.Bar(
                x=labels,
                y=rows["winners"].fillna(0).to_numpy(),
                name=str(tier),
                marker_color=tier_color(position),
                customdata=[[kind, tier] for kind in kinds],
                hovertemplate="%{x} · %{fullData.name}: %{y}<extra></extra>",
            )
        )
    _layout(figure, height=360)
    figure.update_layout(
        barmode="stack",
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        yaxis_title=translate("trends.axis.winners", lang),
        separators=_separators(lang),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return figure


def returning_chart(returning: pd.DataFrame, *, lang: str, limit: int = 20) -> go.Figure:
    """Dumbbells for the units that came back most: best score in their first and latest edition.

    ``returning``: trends.returning_units (already ordered); the first ``limit`` rows are drawn.
    Each marker carries the unit name as customdata.
    """
    rows = returning.head(limit).iloc[::-1]
    units = rows["institution"].astype(str).tolist()
    figure = go.Figure()
    for unit, first, last in zip(units, rows["first_score"], rows["last_score"], strict=True):
        figure.add_trace(
            go.Scatter(
                x=[first, last],
                y=[unit, unit],
                mode="lines",
                line={"color": "#C8CDD2", "width": 3},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for column, year_column, color in (("first_score", "first_year", "#9AA5B1"), ("last_score", "last_year", PRIMARY)):
        figure.add_trace(
            go.Scatter(
                x=rows[column].to_numpy(dtype=float),
                y=units,
                mode="markers",
                marker={"color": color, "size": 11},
                name=translate(f"trends.series.{column}", lang),
                customdata=rows[["institution", year_column]].to_numpy(dtype=object),
                hovertemplate="%{y} · %{customdata[1]}: %{x:.2f}<extra>%{fullData.name}</extra>",
            )
        )
    _layout(figure, height=max(260, 26 * len(units) + 90))
    figure.update_layout(
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        xaxis_title=translate("trends.axis.score", lang),
        yaxis={"type": "category"},
        separators=_separators(lang),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return figure


def advancement_chart(counts: pd.DataFrame, *, lang: str) -> go.Figure:
    """Entries sent on to KOVABLIK and SINOVIK per edition, stacked by round; customdata [year, round]."""
    figure = go.Figure()
    for round_, color in ROUND_COLORS.items():
        figure.add_trace(
            go.Bar(
                x=counts["year"].astype(str).tolist(),
                y=counts[round_].to_numpy(),
                name=round_,
                marker_color=color,
                customdata=[[year, round_] for year in counts["year"]],
                hovertemplate="%{x} · %{fullData.name}: %{y}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    return _by_year(figure, lang, translate("trends.axis.entries", lang))


# --- Live scoring progress ------------------------------------------------------

# One colour per sheet status in the progress grid and charts (done, partial, missing, recused).
STATUS_COLORS: dict[str, str] = {"done": "#1E8449", "partial": "#E0A526", "missing": "#E5E8EB", "recused": "#566573"}


# The grid's other cells: a juror not on the entry's panel, an entry withdrawn or absent (nothing awaited).
CELL_COLORS: dict[str, str] = {
    **STATUS_COLORS,
    "unassigned": "#FFFFFF",
    "withdrawn": "#D5D8DC",
    "absent": "#D5D8DC",
}


def status_color(status: str) -> str:
    """The colour of a sheet (or grid cell) status in the live progress grid and charts."""
    return CELL_COLORS.get(status, NO_TIER_COLOR)


def juror_progress(by_juror: pd.DataFrame, *, lang: str) -> go.Figure:
    """Sheets per panel juror as stacked horizontal bars, one segment per sheet status.

    Segments take the status colours (as the progress grid does), so the legend matches the
    bars; each juror is identified by the seat's colour as a dot before the name.
    ``by_juror``: juror, seat, done, partial, missing[, recused] (see kipp.progress.progress).
    """
    ordered = by_juror.sort_values("seat", kind="stable")
    names = ordered["juror"].astype(str).tolist()
    dots = [
        f"{name} <span style='color:{juror_color(int(seat))}'>●</span>"
        for name, seat in zip(names, ordered["seat"], strict=True)
    ]
    figure = go.Figure()
    for status in [status for status in STATUS_COLORS if status in ordered.columns]:
        figure.add_trace(
            go.Bar(
                x=ordered[status].to_numpy(),
                y=names,
                orientation="h",
                name=translate(f"live.status.{status}", lang),
                marker={"color": status_color(status), "line": {"color": "#FFFFFF", "width": 1}},
                hovertemplate="%{y}: %{x} · %{fullData.name}<extra></extra>",
            )
        )
    _layout(figure, height=max(200, 48 * len(names) + 90))
    figure.update_layout(
        barmode="stack",
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
        yaxis={"autorange": "reversed", "tickmode": "array", "tickvals": names, "ticktext": dots},
        xaxis_title=translate("live.progress.sheets_axis", lang),
        separators=_separators(lang),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return figure


def _signed(value: float, lang: str) -> str:
    """A difference in the language's number format with its sign (+2,50 / -1,25)."""
    return ("+" if value > 0 else "") + format_number(value, lang)


def juror_effects_chart(effects: pd.DataFrame, *, lang: str) -> go.Figure:
    """Dot and whisker per juror: the adjusted fit's effect b(j) in points ± 2 standard errors.

    ``effects``: juror, seat, effect, se (see analytics.juror_effects); jurors without a
    complete sheet (no effect) are left out.  Positive = lenient.  Hover and axis in the
    language's number format (+2,50 ± 0,80 in Indonesian).
    """
    shown = effects.dropna(subset=["effect"]).sort_values("seat", kind="stable")
    whisker = (2 * shown["se"].fillna(0)).to_numpy(dtype=float)
    names = shown["juror"].astype(str).tolist()
    hover = [
        _signed(effect, lang) + ("" if np.isnan(se) else f" ± {format_number(2 * se, lang)}")
        for effect, se in zip(shown["effect"].to_numpy(float), shown["se"].to_numpy(float), strict=True)
    ]
    figure = go.Figure(
        go.Scatter(
            x=shown["effect"].to_numpy(dtype=float),
            y=names,
            mode="markers",
            marker={"color": [juror_color(int(seat)) for seat in shown["seat"]], "size": 11},
            error_x={"type": "data", "array": whisker, "thickness": 2, "width": 6},
            text=hover,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.add_vline(x=0, line_color="#444444")
    figure.update_layout(
        xaxis={"title": translate("jurors.effects.axis", lang), "tickformat": "+.1f", "zeroline": False},
        yaxis={"autorange": "reversed"},
        separators=_separators(lang),
    )
    return _layout(figure, height=max(220, 48 * len(shown) + 90))
