"""Analytics chart builders on an edition with missing and recused sheets (DataFrame in, Figure out)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sqlalchemy import Engine

from kipp import analytics, charts, queries, scoring
from kipp.scoring import EditionData
from tests.factories import make_edition

CRITERIA = (("Kebaruan", 2.0, 100.0), ("Efektif", 1.0, 50.0))
JURORS = ("Juri A", "Juri B", "Juri C")
ENTRIES = tuple((f"E{i}", f"Inovasi {i}", f"SMPN {i} Malang") for i in range(1, 6))


@pytest.fixture
def data(engine: Engine) -> EditionData:
    """Five entries, three jurors; A is lenient; C recused from E1 and has not scored E5; B left E4 half done."""
    scores = {}
    for i, (code, _, _) in enumerate(ENTRIES):
        for juror, bias in zip(JURORS, (8, 0, 0), strict=True):
            if (code, juror) in {("E1", "Juri C"), ("E5", "Juri C")}:
                continue
            scores[(code, juror, "Kebaruan")] = 60 + 5 * i + bias
            if (code, juror) != ("E4", "Juri B"):
                scores[(code, juror, "Efektif")] = 30 + i + bias / 4
    make_edition(
        engine, year=2032, criteria=CRITERIA, jurors=JURORS, entries=ENTRIES, scores=scores, recusals=[("E1", "Juri C")]
    )
    return queries.load_edition(engine, 2032)


def seat_of(data: EditionData, name: str) -> int:
    return int(data.panel.set_index("juror").loc[name, "seat"])


def test_distributions_have_one_box_per_juror_with_every_complete_sheet(data: EditionData) -> None:
    scores = analytics.juror_scores(data)
    figure = charts.juror_distributions(scores, data.panel, measure="Nilai total", lang="id")
    assert [trace.name for trace in figure.data] == list(JURORS)
    # A: 5 sheets; B: E4 half done; C: recused from E1, E5 missing.
    assert [len(trace.y) for trace in figure.data] == [5, 4, 3]
    assert [trace.marker.color for trace in figure.data] == [charts.juror_color(seat_of(data, j)) for j in JURORS]
    assert figure.data[0].customdata[0][0] in set(data.entries["entry_id"])
    assert figure.layout.separators == ",."
    criterion = data.criteria["criterion_id"].iloc[1]
    one = charts.juror_distributions(analytics.juror_scores(data, criterion), data.panel, measure="Efektif", lang="en")
    assert max(max(trace.y) for trace in one.data) <= 100 and one.layout.yaxis.title.text == "Efektif"


def test_severity_chart_marks_the_lenient_juror(data: EditionData) -> None:
    summary = analytics.juror_summary(data)
    figure = charts.severity_chart(summary, points=analytics.SEVERITY_POINTS, lang="en")
    bars = figure.data[0]
    assert list(bars.y) == list(JURORS)
    assert bars.x[0] > analytics.SEVERITY_POINTS and bars.text[0] == "lenient"
    assert bars.text[1] == ""
    assert list(bars.marker.color) == [charts.juror_color(seat_of(data, j)) for j in JURORS]


def test_severity_chart_with_a_juror_who_has_no_sheet(engine: Engine) -> None:
    make_edition(
        engine,
        year=2033,
        jurors=("Juri A", "Juri B", "Juri D"),
        scores={
            ("E1", "Juri A", "Kebaruan"): 70,
            ("E1", "Juri A", "Efektif"): 70,
            ("E1", "Juri B", "Kebaruan"): 60,
            ("E1", "Juri B", "Efektif"): 60,
        },
    )
    summary = analytics.juror_summary(queries.load_edition(engine, 2033))
    figure = charts.severity_chart(summary, points=3.0, lang="id")
    assert math.isnan(figure.data[0].x[2])
    assert summary["done"].tolist() == [1, 1, 0]


def test_heatmap_leaves_missing_and_recused_sheets_blank_and_marks_flagged_cells(data: EditionData) -> None:
    cells = analytics.deviations(data, points=5.0, sds=1.0)
    order = scoring.leaderboard(data)["entry_id"].tolist()
    figure = charts.deviation_heatmap(analytics.heatmap_rows(cells, order), data.panel, lang="id")
    heat, marks = figure.data
    assert list(heat.x) == list(JURORS)
    codes = list(heat.y)
    assert codes == scoring.leaderboard(data)["code"].tolist()
    z = np.asarray(heat.z, dtype=float)
    # C recused from E1 and has not scored E5; B's E4 sheet is half done: those cells stay blank.
    blank = {(code, JURORS[j]) for i, code in enumerate(codes) for j in range(3) if np.isnan(z[i, j])}
    assert blank == {("E1", "Juri C"), ("E5", "Juri C"), ("E4", "Juri B")}
    assert len(marks.x) == int(cells["flagged"].sum()) > 0
    assert heat.customdata[0][0][0] in set(data.entries["entry_id"])


def test_heatmap_rows_keep_flagged_entries_first_when_limited(data: EditionData) -> None:
    cells = analytics.deviations(data, points=5.0, sds=1.0)
    order = scoring.leaderboard(data)["entry_id"].tolist()
    kept = analytics.heatmap_rows(cells, order, limit=2)
    kept_entries = list(dict.fromkeys(kept["entry_id"]))
    flagged = set(cells.loc[cells["flagged"], "entry_id"])
    assert len(kept_entries) == 2
    assert kept_entries == [entry for entry in order if entry in set(kept_entries)]  # still in ranking order
    assert set(kept_entries) <= flagged if len(flagged) >= 2 else flagged <= set(kept_entries)


def test_method_comparison_shows_each_method(data: EditionData) -> None:
    comparison = scoring.compare_methods(data, top=3)
    figure = charts.method_comparison(comparison, top=3, lang="id")
    markers = [trace for trace in figure.data if trace.mode == "markers"]
    assert [trace.name for trace in markers] == [
        "Rata-rata",
        "Median",
        "Rata-rata terpangkas",
        "Skor-z",
        "Nilai terkoreksi",
    ]
    shown = comparison[comparison["in_top_any"]]
    assert len(markers[0].y) == len(shown)
    assert all(rank <= len(data.entries) for rank in markers[0].x)


def test_juror_vs_panel_rings_the_entries_where_the_juror_stood_apart(data: EditionData) -> None:
    juror = data.panel.set_index("juror").loc["Juri A", "juror_id"]
    entries = analytics.juror_entries(data, juror, points=5.0)
    figure = charts.juror_vs_panel(entries, seat=seat_of(data, "Juri A"), lang="en")
    _, points, rings = figure.data
    assert len(points.x) == len(entries) == 5  # every entry A completed has another complete sheet
    assert all(y > x for x, y in zip(points.x, points.y, strict=True))  # A is lenient everywhere
    assert len(rings.x) == int(entries["flagged"].sum())
