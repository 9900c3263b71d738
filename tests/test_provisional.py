"""Provisional entries: listed after every complete entry, without a rank or an award."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from sqlalchemy import Engine

from kipp import bigscreen, cli, documents, progress, reports, scoring
from tests.factories import make_edition
from tests.test_scoring import ONE, by_code, make_data, totals_sheets

JURORS = ["A", "B", "C", "D"]


def presentation_day() -> scoring.EditionData:
    """P1 has 1 of 4 sheets and the highest running score; P2 2 of 4; P3 none; E1–E5 complete.

    Every complete entry shares jurors A–D, so the adjusted method is connected.
    """
    sheets = totals_sheets(
        {
            "P1": [99, None, None, None],
            "E1": [80, 82, 84, 86],
            "E2": [78, 80, 76, 74],
            "P2": [95, 97, None, None],
            "E3": [70, 72, 74, 76],
            "E4": [70, 72, 74, 76],
            "E5": [60, 65, 62, 61],
            "P3": [None, None, None, None],
        },
        JURORS,
    )
    return make_data(ONE, JURORS, ["P1", "E1", "E2", "P2", "E3", "E4", "E5", "P3"], sheets)


@pytest.mark.parametrize("method", scoring.METHODS)
def test_provisional_entries_are_unranked_and_listed_after_every_complete_entry(method: str) -> None:
    data = presentation_day()
    assert method in scoring.available_methods(data)
    board = scoring.leaderboard(data, method)
    complete = board[board["complete"]]
    provisional = board[~board["complete"]]
    assert board["code"].tolist()[: len(complete)] == complete["code"].tolist()  # complete entries first
    assert set(provisional["code"]) == {"P1", "P2", "P3"}
    assert provisional["rank"].isna().all() and provisional["award"].isna().all()
    assert provisional["tier"].isna().all() and provisional["tier_position"].isna().all()
    assert provisional["code"].tolist()[-1] == "P3" and pd.isna(provisional["score"].iloc[-1])  # no score last
    running = provisional["score"].dropna()
    assert running.is_monotonic_decreasing and len(running) == 2
    ranks = complete["rank"].tolist()
    assert ranks[0] == 1 and complete["rank"].notna().all()
    assert ranks == sorted(ranks) and max(ranks) <= len(complete)  # 1..k, no gap left by provisional ones
    assert complete["award"].notna().all()  # five complete entries, all within the Top 10
    assert by_code(board, "jurors")["P1"] == 1 and by_code(board, "panel")["P1"] == 4
    assert by_code(board, "provisional")["P2"] and by_code(board, "jurors")["P2"] == 2


def test_the_mean_ranking_of_presentation_day() -> None:
    board = scoring.leaderboard(presentation_day())
    assert board["code"].tolist() == ["E1", "E2", "E3", "E4", "E5", "P1", "P2", "P3"]
    assert board["rank"].tolist()[:5] == [1, 2, 3, 3, 5]
    assert board["award"].tolist()[:5] == ["Juara 1", "Juara 2", "Juara 3", "Juara 3", "Terbaik"]
    assert by_code(board, "score")["P1"] == 99.0 and by_code(board, "score")["P2"] == 96.0


def test_awards_go_only_to_complete_entries_even_with_few_of_them() -> None:
    sheets = totals_sheets({f"P{i}": [90 + i, None] for i in range(1, 12)} | {"E1": [50, 52]}, "AB")
    codes = [f"P{i}" for i in range(1, 12)] + ["E1"]
    board = scoring.leaderboard(make_data(ONE, ["A", "B"], codes, sheets))
    assert board["code"].iloc[0] == "E1" and board["rank"].iloc[0] == 1 and board["award"].iloc[0] == "Juara 1"
    assert board["award"].notna().sum() == 1 and board["rank"].notna().sum() == 1
    assert board["code"].iloc[1] == "P11"  # highest running score first among the provisional ones


def test_a_provisional_entry_has_no_rank_to_explain() -> None:
    data = presentation_day()
    board = scoring.leaderboard(data)
    why = progress.explain(data, board, "id-P1")
    assert pd.isna(why.row["rank"]) and why.row["provisional"]
    assert why.tied_on_score == [] and why.tied_after_tiebreak == []


def test_rank_movement_of_an_entry_that_lost_its_rank_is_unknown() -> None:
    board = scoring.leaderboard(presentation_day())
    ranks = zip(board["code"], board["rank"], strict=True)
    current = {code: (None if pd.isna(rank) else int(rank)) for code, rank in ranks}
    moves = reports.rank_movement(current, {"P1": 1, "E1": 2})
    assert moves["P1"] is None and moves["E1"] == 1


def test_the_big_screen_shows_complete_entries_only() -> None:
    board = scoring.leaderboard(presentation_day())
    headers = {name: name for name in ("rank", "title", "score", "award")}
    page = bigscreen.big_screen_html(board, title="KIPP", notes=["3 masih dinilai"], headers=headers, lang="id")
    assert page.count("<tr") == 6  # header + five complete entries
    assert "Inovasi P1" not in page and "*" not in page and "3 masih dinilai" in page


def test_the_command_gives_a_provisional_entry_an_empty_rank_and_no_award(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = {
        ("E1", "Juri A", "Kebaruan"): 70,
        ("E1", "Juri A", "Efektif"): 72,
        ("E1", "Juri B", "Kebaruan"): 74,
        ("E1", "Juri B", "Efektif"): 76,
        ("E2", "Juri A", "Kebaruan"): 99,
        ("E2", "Juri A", "Efektif"): 99,
    }
    make_edition(engine, entries=[("E1", "Satu", "SMPN 1 Malang"), ("E2", "Dua", "Bappeda")], scores=scores)

    def run(fmt: str) -> str:
        status = cli.main(["leaderboard", "--edition", "2030", "--format", fmt, "--db", db_url])
        captured = capsys.readouterr()
        assert status == 0, captured.err
        return captured.out

    rows = json.loads(run("json"))
    assert [(row["code"], row["rank"], row["award"], row["complete"]) for row in rows] == [
        ("E1", 1, "Juara 1", True),
        ("E2", None, None, False),
    ]
    assert rows[1]["score"] == 99.0 and rows[1]["jurors"] == 1
    table = list(csv.DictReader(io.StringIO(run("csv"))))
    assert [(row["code"], row["rank"], row["award"], row["score"]) for row in table] == [
        ("E1", "1", "Juara 1", "73.00"),
        ("E2", "", "", "99.00"),
    ]
    lines = run("table").splitlines()
    assert lines[2].split()[:2] == ["–", "E2"]


def test_the_recap_lists_provisional_entries_after_the_ranked_ones_without_a_rank() -> None:
    recap = documents.recap_tables(presentation_day())["leaderboard"]
    assert recap["code"].tolist() == ["E1", "E2", "E3", "E4", "E5", "P1", "P2", "P3"]
    assert recap["rank"].notna().tolist() == [True] * 5 + [False] * 3
    assert recap.loc[recap["rank"].isna(), "award"].isna().all()
