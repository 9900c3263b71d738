"""The juror-effects chart (dot and whisker) and the grid's cell colours: pure builders, no browser."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kipp import charts, progress, scoring

EFFECTS = pd.DataFrame(
    {
        "juror_id": [1, 2, 3, 4],
        "juror": ["Juri A", "Juri B", "Juri C", "Juri D"],
        "seat": [1, 2, 3, 4],
        "sheets": [20, 40, 20, 0],
        "effect": [6.25, 0.5, -6.75, math.nan],  # D has no complete sheet: no effect to draw
        "se": [0.4, 0.3, 0.45, math.nan],
    }
)


def test_each_juror_gets_a_dot_with_a_two_standard_error_whisker() -> None:
    figure = charts.juror_effects_chart(EFFECTS, lang="id")
    trace = figure.data[0]
    assert list(trace.y) == ["Juri A", "Juri B", "Juri C"]  # D left out, seat order
    assert list(trace.x) == [6.25, 0.5, -6.75]
    assert list(trace.error_x.array) == pytest.approx([0.8, 0.6, 0.9])
    assert list(trace.marker.color) == [charts.juror_color(seat) for seat in (1, 2, 3)]
    assert any(shape.x0 == 0 and shape.x1 == 0 for shape in figure.layout.shapes)  # the "no effect" line


def test_the_effects_read_in_indonesian_number_format() -> None:
    figure = charts.juror_effects_chart(EFFECTS, lang="id")
    assert list(figure.data[0].text) == ["+6,25 ± 0,80", "+0,50 ± 0,60", "-6,75 ± 0,90"]
    assert figure.layout.separators == ",."  # axis ticks 2,5 not 2.5
    assert figure.layout.xaxis.title.text == "Efek juri (poin, skala 0–100)"
    assert "%{y}" in figure.data[0].hovertemplate and "%{text}" in figure.data[0].hovertemplate


def test_the_effects_read_in_english_number_format() -> None:
    figure = charts.juror_effects_chart(EFFECTS.assign(effect=EFFECTS["effect"] * 200), lang="en")
    assert figure.data[0].text[0] == "+1,250.00 ± 0.80"
    assert figure.layout.separators == ".,"
    assert figure.layout.xaxis.title.text == "Juror effect (points, 0–100 scale)"


def test_an_effect_without_standard_error_shows_no_whisker_and_no_plus_minus() -> None:
    figure = charts.juror_effects_chart(EFFECTS.assign(se=math.nan), lang="id")
    assert list(figure.data[0].error_x.array) == [0.0, 0.0, 0.0]
    assert figure.data[0].text[2] == "-6,75"


def test_not_assigned_cells_have_their_own_colour_apart_from_missing() -> None:
    colors = {status: charts.status_color(status) for status in progress.CELL_STATUSES}
    assert colors[scoring.SHEET_UNASSIGNED] not in {colors[scoring.SHEET_MISSING], colors[scoring.SHEET_DONE]}
    assert colors[progress.CELL_WITHDRAWN] != colors[scoring.SHEET_MISSING]
    assert set(charts.STATUS_COLORS) == {"done", "partial", "missing", "recused"}  # the per-juror bars' statuses
