"""Trend figures against hand counts on a small three-edition database (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from sqlalchemy import Engine

from kipp import db, queries, scoring, trends
from kipp.audit import Actor
from kipp.models import Advancement
from kipp.services import submit_sheet
from tests.factories import make_edition

JURORS = ("Juri A", "Juri B")
TIERS = [{"name": "Juara", "size": 1, "numbered": True}, {"name": "Favorit", "size": 1}]


def _scores(sheets: dict[tuple[str, str], tuple[float, float]]) -> dict[tuple[str, str, str], float]:
    """{(code, juror): (kebaruan, efektif)} -> make_edition's score mapping."""
    result = {}
    for (code, juror), (novelty, effect) in sheets.items():
        result[(code, juror, "Kebaruan")] = novelty
        result[(code, juror, "Efektif")] = effect
    return result


@pytest.fixture
def three_editions(engine: Engine) -> Engine:
    """2021: units A, B; 2022: A again, C and D new (D provisional); 2023: C again, E new.

    Entry scores (mean of the two juror totals): 2021 A1 85, B1 70; 2022 A2 60, C2 90, D2 50
    (Juri A only; Juri B's sheet is partial); 2023 C3 90 (Kebaruan 95, Efektif 85), E3 75.  One Juara and one Favorit.
    """
    make_edition(
        engine,
        year=2021,
        jurors=JURORS,
        tiers=TIERS,
        entries=[("A1", "Satu", "Unit A"), ("B1", "Dua", "Unit B")],
        scores=_scores(
            {
                ("A1", "Juri A"): (80, 80),
                ("A1", "Juri B"): (90, 90),
                ("B1", "Juri A"): (70, 70),
                ("B1", "Juri B"): (70, 70),
            }
        ),
    )
    ids_2022 = make_edition(
        engine,
        year=2022,
        jurors=JURORS,
        tiers=TIERS,
        entries=[("A2", "Tiga", "Unit A"), ("C2", "Empat", "Unit C"), ("D2", "Lima", "Unit D")],
        scores=_scores(
            {
                ("A2", "Juri A"): (60, 60),
                ("A2", "Juri B"): (60, 60),
                ("C2", "Juri A"): (90, 90),
                ("C2", "Juri B"): (90, 90),
                ("D2", "Juri A"): (50, 50),
            }
        )
        | {("D2", "Juri B", "Kebaruan"): 10.0},
    )
    make_edition(
        engine,
        year=2023,
        jurors=JURORS,
        tiers=TIERS,
        entries=[("C3", "IBUKOTA – Inovasi Bulu Kotoran Ayam", "Unit C"), ("E3", "Enam", "Unit E")],
        scores=_scores(
            {
                ("C3", "Juri A"): (95, 85),
                ("C3", "Juri B"): (95, 85),
                ("E3", "Juri A"): (75, 75),
                ("E3", "Juri B"): (75, 75),
            }
        ),
    )
    a1 = queries.load_edition(engine, 2021).entries.set_index("code").loc["A1", "entry_id"]
    with db.write_session(engine) as session:
        session.add(Advancement(entry_id=int(a1), round="KOVABLIK", year=2021, result="Top 30 Jawa Timur"))
        session.add(Advancement(entry_id=ids_2022["entries"]["C2"], round="KOVABLIK", year=2022, result="Top 15"))
        session.add(Advancement(entry_id=ids_2022["entries"]["C2"], round="SINOVIK", year=2023, result="Top 99"))
    return engine


def _overview(engine: Engine, *, in_scoring: tuple[int, ...] = (), **filters: object) -> trends.Trends:
    """The trends of every edition, each finished (published) but the years ``in_scoring``."""
    data = {
        year: dataclasses.replace(edition, status="scoring" if year in in_scoring else "published")
        for year, edition in queries.load_all_editions(engine).items()
    }
    return trends.overview(trends.results(data), trends.criterion_scores(data), queries.advancements(engine), **filters)


def test_entries_units_and_first_time_units_per_edition(three_editions: Engine) -> None:
    view = _overview(three_editions)
    table = view.participation.set_index("year")
    assert table["entries"].to_dict() == {2021: 2, 2022: 3, 2023: 2}
    assert table["units"].to_dict() == {2021: 2, 2022: 3, 2023: 2}
    assert table["first_time_units"].to_dict() == {2021: 2, 2022: 2, 2023: 1}
    assert table["returning_units"].to_dict() == {2021: 0, 2022: 1, 2023: 1}


def test_advancement_counts_per_year_and_round_with_results(three_editions: Engine) -> None:
    view = _overview(three_editions)
    counts = view.advancement_counts.set_index("year")
    assert counts.loc[2021, ["KOVABLIK", "SINOVIK", "total"]].tolist() == [1, 0, 1]
    assert counts.loc[2022, ["KOVABLIK", "SINOVIK", "total"]].tolist() == [1, 1, 2]
    assert counts.loc[2023, ["KOVABLIK", "SINOVIK", "total"]].tolist() == [0, 0, 0]
    results = view.advancement_results
    assert results[results["year"] == 2022][["round", "result", "entries"]].values.tolist() == [
        ["KOVABLIK", "Top 15", 1],
        ["SINOVIK", "Top 99", 1],
    ]


def test_score_levels_thresholds_and_criteria(three_editions: Engine) -> None:
    view = _overview(three_editions)
    levels = view.levels.set_index("year")
    assert levels["mean_score"].round(2).to_dict() == {2021: 77.5, 2022: 66.67, 2023: 82.5}
    # The last awarded rank: a provisional entry (D2) gets no award and does not set the cut.
    assert levels["threshold"].to_dict() == {2021: 70.0, 2022: 60.0, 2023: 75.0}
    assert levels["awarded"].to_dict() == {2021: 2, 2022: 2, 2023: 2}
    criteria = view.criteria.set_index(["year", "criterion"])["mean_score"]
    assert criteria[(2023, "Kebaruan")] == pytest.approx(85.0)
    assert criteria[(2023, "Efektif")] == pytest.approx(80.0)
    # D2 counts with Juri A's complete sheet; Juri B's partial sheet (Kebaruan 10) does not.
    assert criteria[(2022, "Kebaruan")] == pytest.approx((60 + 90 + 50) / 3)


def test_winners_and_returning_units(three_editions: Engine) -> None:
    view = _overview(three_editions)
    winners = view.winners.groupby("tier")["winners"].sum().to_dict()
    assert winners == {"Juara": 3, "Favorit": 3}
    returning = view.returning.set_index("institution")
    assert sorted(returning.index) == ["Unit A", "Unit C"]
    assert returning.loc["Unit A", ["first_year", "last_year", "first_score", "last_score"]].tolist() == [
        2021,
        2022,
        85.0,
        60.0,
    ]
    assert returning.loc["Unit A", "change"] == pytest.approx(-25.0)
    assert returning.loc["Unit C", "change"] == pytest.approx(0.0)
    assert returning.loc["Unit C", "awards"] == 2


def test_headlines_compare_with_the_previous_edition(three_editions: Engine) -> None:
    view = _overview(three_editions)
    figures = {h.key: h for h in trends.headlines(view.participation, view.levels, view.advancement_counts, 2022)}
    assert (figures["entries"].value, figures["entries"].delta) == (3, 1)
    assert (figures["first_time_units"].value, figures["first_time_units"].delta) == (2, 0)
    assert (figures["threshold"].value, figures["threshold"].delta) == (60, -10)
    assert (figures["advanced"].value, figures["advanced"].delta) == (2, 1)
    first = trends.headlines(view.participation, view.levels, view.advancement_counts, 2021)
    assert all(h.delta is None for h in first)


def test_filters_and_edition_limits(three_editions: Engine) -> None:
    only_2023 = _overview(three_editions, years=[2023])
    assert only_2023.years == [2023]
    # Unit C is not first-time in 2023 even when earlier editions are hidden.
    assert only_2023.participation["first_time_units"].tolist() == [1]
    nobody = _overview(three_editions, unit_types=["puskesmas"])
    assert nobody.participation["entries"].tolist() == [0, 0, 0]
    assert nobody.advancement_counts["total"].tolist() == [0, 0, 0]
    # The award threshold is the edition's own, whatever the filter.
    assert nobody.levels["threshold"].tolist() == [70.0, 60.0, 75.0]


def test_a_chart_click_filters_tables(three_editions: Engine) -> None:
    view = _overview(three_editions)
    points = [{"curve_number": 0, "customdata": [2022, "sekolah"]}, {"curve_number": 0}]
    keys = trends.selection_keys(points, ["year", "institution_type"])
    assert keys.to_dict("records") == [{"year": 2022, "institution_type": "sekolah"}]
    assert sorted(trends.restrict(view.results, keys)["code"]) == ["A2", "C2", "D2"]
    assert trends.restrict(view.returning, keys).shape[0] == 2  # no year column: filtered by type only
    empty = trends.selection_keys([], ["year", "institution_type"])
    assert len(trends.restrict(view.results, empty)) == 7


def test_a_unit_whose_type_changed_is_one_returning_unit_shown_with_its_latest_type(engine: Engine) -> None:
    """Unit A was a school in 2021 and a UPT from 2022: one unit, each edition keeping the type it had then."""
    for year, kind, (novelty, effect) in (
        (2021, "sekolah", (80, 80)),
        (2022, "upt", (70, 90)),
        (2023, "upt", (90, 90)),
    ):
        make_edition(
            engine,
            year=year,
            jurors=JURORS,
            tiers=TIERS,
            entries=[(f"A{year}", "Satu", "Unit A")],
            unit_types={"Unit A": kind},
            scores=_scores({(f"A{year}", juror): (novelty, effect) for juror in JURORS}),
        )
    view = _overview(engine)
    returning = view.returning.to_dict("records")
    assert [(r["institution"], r["institution_type"], r["editions"]) for r in returning] == [("Unit A", "upt", 3)]
    assert (returning[0]["first_score"], returning[0]["last_score"]) == (80.0, 90.0)
    assert view.participation["first_time_units"].tolist() == [1, 0, 0]
    assert dict(zip(view.results["year"], view.results["institution_type"], strict=True)) == {
        2021: "sekolah",
        2022: "upt",
        2023: "upt",
    }
    schools = _overview(engine, unit_types=["sekolah"])
    assert schools.participation["entries"].tolist() == [1, 0, 0]


def test_all_editions_load_matches_one_edition_load(three_editions: Engine) -> None:
    everything = queries.load_all_editions(three_editions)
    assert sorted(everything) == [2021, 2022, 2023]
    for year, data in everything.items():
        expected = scoring.leaderboard(queries.load_edition(three_editions, year))
        columns = ["rank", "code", "score", "jurors", "complete", "award"]
        pd.testing.assert_frame_equal(scoring.leaderboard(data)[columns], expected[columns], check_dtype=False)


def test_unit_history_and_search(three_editions: Engine) -> None:
    all_results = trends.results(queries.load_all_editions(three_editions))
    history = trends.unit_history(all_results, "Unit C")
    assert history[["year", "code", "award"]].values.tolist() == [[2023, "C3", "Juara 1"], [2022, "C2", "Juara 1"]]
    found = queries.search_entries(three_editions, "ibukota")
    assert found["code"].tolist() == ["C3"]
    assert queries.search_entries(three_editions, "unit a")["code"].tolist() == ["A2", "A1"]
    assert queries.search_entries(three_editions, "_").empty  # wildcards match literally
    feedback = queries.entry_feedback(three_editions, int(found["entry_id"].iloc[0]))
    assert feedback.empty


def test_the_data_fingerprint_moves_with_advancement(three_editions: Engine) -> None:
    before = queries.all_data_version(three_editions)
    entry = queries.search_entries(three_editions, "E3")["entry_id"].iloc[0]
    with db.write_session(three_editions) as session:
        session.add(Advancement(entry_id=int(entry), round="KOVABLIK", year=2023, result=None))
    assert queries.all_data_version(three_editions) != before


CRITERIA = (("Kebaruan", 2.0, 100.0), ("Efektif", 1.0, 50.0), ("Manfaat", 1.0, 10.0))


@pytest.fixture
def mixed_editions(engine: Engine) -> Engine:
    """2021: every sheet complete (the whole entry × juror × criterion grid).  2022: a missing
    criterion, a missing sheet, and Juri C recused from P1 with a score left behind."""
    grid = {
        (code, juror, name): value
        for code, base in (("A1", 80.0), ("B1", 61.5))
        for juror, step in (("Juri A", 0.0), ("Juri B", 3.3))
        for (name, _weight, top), value in zip(CRITERIA, (base + step, base / 2 - step, 7.25), strict=True)
        if value <= top
    }
    make_edition(
        engine,
        year=2021,
        criteria=CRITERIA,
        jurors=JURORS,
        tiers=TIERS,
        entries=[("A1", "Satu", "Unit A"), ("B1", "Dua", "Unit B")],
        scores=grid,
    )
    make_edition(
        engine,
        year=2022,
        criteria=CRITERIA,
        jurors=("Juri A", "Juri B", "Juri C"),
        tiers=TIERS,
        entries=[("P1", "Tiga", "Unit A"), ("Q1", "Empat", "Unit C"), ("R1", "Lima", "Unit D")],
        scores={
            ("P1", "Juri A", "Kebaruan"): 90.0,
            ("P1", "Juri A", "Efektif"): 45.5,
            ("P1", "Juri A", "Manfaat"): 9.0,
            ("P1", "Juri B", "Kebaruan"): 70.0,
            ("P1", "Juri B", "Efektif"): 20.0,
            ("P1", "Juri C", "Kebaruan"): 10.0,
            ("Q1", "Juri A", "Kebaruan"): 66.6,
            ("Q1", "Juri A", "Efektif"): 33.3,
            ("Q1", "Juri A", "Manfaat"): 3.3,
            ("Q1", "Juri C", "Kebaruan"): 50.0,
            ("Q1", "Juri C", "Efektif"): 25.0,
            ("Q1", "Juri C", "Manfaat"): 5.0,
        },
        recusals=[("P1", "Juri C")],
    )
    return engine


def test_many_editions_load_the_scores_one_edition_load_reads(mixed_editions: Engine) -> None:
    everything = queries.load_all_editions(mixed_editions)
    assert sorted(everything) == [2021, 2022]
    assert sorted(queries.load_all_editions(mixed_editions, [2022])) == [2022]
    assert {year: len(data.scores) for year, data in everything.items()} == {2021: 12, 2022: 12}
    cell = ["entry_id", "juror_id", "criterion_id"]
    for year, data in everything.items():
        expected = queries.load_edition(mixed_editions, year)
        pd.testing.assert_frame_equal(
            data.scores.sort_values(cell, ignore_index=True), expected.scores.sort_values(cell, ignore_index=True)
        )
        for name in ("entries", "criteria", "panel", "recusals"):
            pd.testing.assert_frame_equal(getattr(data, name), getattr(expected, name), check_dtype=False)
        pd.testing.assert_frame_equal(scoring.leaderboard(data), scoring.leaderboard(expected))


def test_criterion_scores_average_each_criterion_over_complete_sheets(mixed_editions: Engine) -> None:
    data = queries.load_all_editions(mixed_editions)
    table = trends.criterion_scores(data).set_index(["year", "entry_id", "criterion_id"]).sort_index()
    for year, edition in data.items():
        for criterion in edition.criteria.itertuples():
            means = scoring.criterion_totals(edition, criterion.criterion_id).groupby("entry_id")["total"].mean()
            mine = table.xs((year, criterion.criterion_id), level=["year", "criterion_id"])
            assert mine["score"].to_dict() == means.to_dict()
            assert (mine["criterion"] == criterion.name).all()
    # P1 counts Juri A's sheet only (Juri B's is partial, Juri C recused); R1 has no sheet at all.
    codes = data[2022].entries.set_index("code")["entry_id"]
    assert table.loc[(2022, codes["P1"]), "value"].tolist() == [90.0, 45.5, 9.0]
    assert codes["R1"] not in table.loc[2022].index.get_level_values("entry_id")


def test_a_new_score_moves_only_its_own_editions_version(three_editions: Engine) -> None:
    before = queries.edition_versions(three_editions)
    data = queries.load_all_editions(three_editions, [2022])[2022]
    d2 = int(data.entries.set_index("code").loc["D2", "entry_id"])
    juror = int(data.panel.set_index("juror").loc["Juri B", "juror_id"])
    efektif = int(data.criteria.set_index("name").loc["Efektif", "criterion_id"])
    submit_sheet(
        three_editions,
        actor=Actor("panitia", "organizer"),
        entry_id=d2,
        juror_id=juror,
        values={efektif: 30},
        reason="susulan",
    )
    after = queries.edition_versions(three_editions)
    assert after[2022] != before[2022]
    assert {year: after[year] for year in (2021, 2023)} == {year: before[year] for year in (2021, 2023)}
    board = trends.edition_results(2022, queries.load_all_editions(three_editions, [2022])[2022]).set_index("code")
    assert board.loc["D2", ["score", "complete"]].tolist() == [35.0, True]  # (50 + (10 + 30) / 2) / 2


def test_the_trends_cache_recomputes_only_the_edition_a_new_score_changed(
    three_editions: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    from kipp import ui

    monkeypatch.setenv("DATABASE_URL", three_editions.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    loaded: list[int] = []
    load = queries.load_all_editions
    monkeypatch.setattr(queries, "load_all_editions", lambda engine, years: loaded.extend(years) or load(engine, years))
    assert ui.trend_inputs()[0].set_index("code").loc["D2", "complete"].item() is False
    assert sorted(loaded) == [2021, 2022, 2023]
    loaded.clear()
    ui.trend_inputs()
    assert loaded == []  # nothing changed: nothing reloaded

    data = load(three_editions, [2022])[2022]
    submit_sheet(
        three_editions,
        actor=Actor("panitia", "organizer"),
        reason="susulan",
        entry_id=int(data.entries.set_index("code").loc["D2", "entry_id"]),
        juror_id=int(data.panel.set_index("juror").loc["Juri B", "juror_id"]),
        values={int(data.criteria.set_index("name").loc["Efektif", "criterion_id"]): 30},
    )
    results, criteria, _ = ui.trend_inputs()
    assert loaded == [2022]  # the new score recomputes its own edition only, and shows at once
    assert results.set_index("code").loc["D2", ["score", "complete"]].tolist() == [35.0, True]
    assert sorted(criteria["year"].unique()) == [2021, 2022, 2023]
    st.cache_data.clear()


def test_an_edition_still_in_scoring_is_named_never_drawn(three_editions: Engine) -> None:
    """2023 in scoring: no line, bar, winner, threshold or change comes from it; it is listed as in progress."""
    view = _overview(three_editions, in_scoring=(2023,))
    assert (view.years, view.in_progress) == ([2021, 2022], [2023])
    for table in (view.participation, view.levels, view.advancement_counts, view.winners, view.results):
        assert 2023 not in set(table["year"]), table
    assert view.levels["threshold"].tolist() == [70.0, 60.0]
    assert set(view.returning["last_year"]) <= {2021, 2022}  # Unit C's 2023 score moves no change either
    with pytest.raises(ValueError, match="2023"):
        trends.headlines(view.participation, view.levels, view.advancement_counts, 2023)
    latest = {h.key: h for h in trends.headlines(view.participation, view.levels, view.advancement_counts, 2022)}
    assert (latest["threshold"].value, latest["threshold"].delta) == (60, -10)  # against 2021, not 2023
    everything_finished = _overview(three_editions)
    assert everything_finished.in_progress == [] and everything_finished.years == [2021, 2022, 2023]
    assert _overview(three_editions, in_scoring=(2023,), years=[2023]).years == []  # only an edition in progress


def test_results_say_whether_an_edition_is_final_and_leave_out_withdrawn_entries(three_editions: Engine) -> None:
    data = queries.load_all_editions(three_editions, [2021])[2021]
    entries = data.entries.assign(entry_status=data.entries["code"].map({"A1": "withdrawn"}).fillna("competing"))
    scoring_results = trends.edition_results(2021, dataclasses.replace(data, entries=entries))
    assert scoring_results["code"].tolist() == ["B1"] and not scoring_results["final"].any()
    assert scoring_results["award"].tolist() == ["Juara 1"]  # A1 (85) withdrew: B1 (70) leads
    assert trends.edition_results(2021, dataclasses.replace(data, status="locked"))["final"].all()
