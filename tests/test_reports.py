"""The leaderboard as printed and exported: same ranking everywhere, 2 decimals, clear errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from kipp import bigscreen, cli, queries, reports, scoring
from tests.factories import make_edition
from tests.test_scoring import ONE, make_data, totals_sheets

COLUMNS = ["rank", "code", "title", "institution", "score", "jurors", "complete", "award"]


def small_board() -> pd.DataFrame:
    """E1 82.5 complete, E2 75 complete, E3 provisional 99, E4 without a sheet."""
    sheets = totals_sheets({"E1": [80, 85], "E2": [75, 75], "E3": [99, None], "E4": [None, None]}, "AB")
    return scoring.leaderboard(make_data(ONE, ["A", "B"], ["E1", "E2", "E3", "E4"], sheets))


def test_csv_has_the_official_columns_and_two_decimals() -> None:
    rows = list(csv.DictReader(io.StringIO(reports.format_leaderboard(small_board(), "csv"))))
    assert list(rows[0]) == COLUMNS
    assert [(r["rank"], r["code"], r["score"], r["jurors"], r["complete"], r["award"]) for r in rows] == [
        ("1", "E1", "82.50", "2", "true", "Juara 1"),
        ("2", "E2", "75.00", "2", "true", "Juara 2"),
        ("", "E3", "99.00", "1", "false", ""),
        ("", "E4", "", "0", "false", ""),
    ]


def test_json_is_a_list_of_rows_with_real_types() -> None:
    rows = json.loads(reports.format_leaderboard(small_board(), "json"))
    assert rows[0] == {
        "rank": 1,
        "code": "E1",
        "title": "Inovasi E1",
        "institution": "SMPN 1 Malang",
        "score": 82.5,
        "jurors": 2,
        "complete": True,
        "award": "Juara 1",
    }
    assert rows[2]["rank"] is None and rows[2]["score"] == 99.0 and rows[2]["award"] is None
    assert rows[3]["rank"] is None and rows[3]["score"] is None and rows[3]["award"] is None


def test_table_is_aligned_and_says_how_many_are_provisional() -> None:
    text = reports.format_leaderboard(small_board(), "table", method="median")
    lines = text.splitlines()
    assert lines[0].split() == COLUMNS
    assert lines[1].split()[:2] == ["1", "E1"] and "82.50" in lines[1] and lines[1].endswith("Juara 1")
    assert lines[3].split()[:2] == ["–", "E3"] and "99.00" in lines[3]
    assert len({line.index("E") for line in lines[1:5]}) == 1  # codes start in one column
    assert lines[-1] == "4 entries, method median, 2 provisional (not every juror has a complete sheet)"


def test_records_round_trip_keeps_the_ranking() -> None:
    board = small_board()
    back = reports.from_records(reports.records(board, reports.DETAIL_COLUMNS))
    pd.testing.assert_frame_equal(reports.leaderboard_table(back), reports.leaderboard_table(board))
    assert back["provisional"].tolist() == [False, False, True, True]
    assert back["tier"].fillna("-").tolist() == ["Juara", "Juara", "-", "-"]


def test_rank_movement_and_arrows() -> None:
    moves = reports.rank_movement({"E1": 1, "E2": 2, "E3": 3, "E4": None}, {"E1": 3, "E2": 2, "E3": 1, "E4": 4})
    assert moves == {"E1": 2, "E2": 0, "E3": -2, "E4": None}
    assert [reports.movement_arrow(m) for m in moves.values()] == ["▲2", "", "▼2", ""]
    assert reports.rank_movement({"E1": 1}, {}) == {"E1": None}


def test_big_screen_shows_the_top_ranked_only_and_escapes_text() -> None:
    sheets = totals_sheets({f"E{i}": [50 + i] for i in range(1, 13)}, "A")
    data = make_data(ONE, ["A"], [f"E{i}" for i in range(1, 13)], sheets)
    board = scoring.leaderboard(data).assign(title=lambda b: b["title"].where(b["code"] != "E12", "<b>SIGAP & Co</b>"))
    headers = {c: c.upper() for c in COLUMNS}
    page = bigscreen.big_screen_html(board, title="KIPP", notes=["catatan"], headers=headers, lang="id")
    assert page.count("<tr") == 11  # header + top 10
    assert "&lt;b&gt;SIGAP &amp; Co&lt;/b&gt;" in page and "<b>SIGAP" not in page
    assert "62,00" in page and "Inovasi E2<" not in page  # Indonesian decimals; 11th and 12th left out
    assert "background:#B8860B'>Juara 1<" in page


def run_cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_command_prints_exactly_the_shared_leaderboard(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = {
        ("E1", "Juri A", "Kebaruan"): 70,
        ("E1", "Juri A", "Efektif"): 90,
        ("E2", "Juri A", "Kebaruan"): 90,
        ("E2", "Juri A", "Efektif"): 70,
        ("E1", "Juri B", "Kebaruan"): 80,
    }
    make_edition(engine, entries=[("E1", "Satu", "SMPN 1 Malang"), ("E2", "Dua", "Bappeda")], scores=scores)
    for method in scoring.METHODS:
        status, out, err = run_cli(
            "leaderboard", "--edition", "2030", "--method", method, "--format", "json", "--db", db_url, capsys=capsys
        )
        assert status == 0, err
        expected = reports.records(scoring.leaderboard(queries.load_edition(engine, 2030), method))
        assert json.loads(out) == expected
    assert [row["complete"] for row in expected] == [False, False]  # Juri B's sheet on E1 is incomplete


def test_command_refuses_an_unknown_edition_and_names_the_existing_ones(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make_edition(engine, year=2029)
    status, out, err = run_cli("leaderboard", "--edition", "2019", "--db", db_url, capsys=capsys)
    assert status == 1 and out == ""
    assert err.strip() == "error: Edition 2019 does not exist (editions in this database: 2029)"


def test_command_does_not_create_a_database_that_is_not_there(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = subprocess.run(
        [sys.executable, "-m", "kipp", "leaderboard", "--edition", "2023", "--db", f"sqlite:///{missing}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "No KIPP database at" in result.stderr and "python -m kipp demo" in result.stderr
    assert not missing.exists()


def test_reports_do_not_import_streamlit_or_plotly() -> None:
    code = "import sys, kipp.reports; print(sorted(m for m in ('streamlit', 'plotly') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
