"""The leaderboard as printed and exported: same ranking everywhere, 2 decimals, clear errors."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, update

from kipp import bigscreen, cli, db, queries, reports, scoring
from kipp.models import Edition, Entry
from tests.factories import make_edition
from tests.test_scoring import ONE, make_data, totals_sheets

COLUMNS = ["rank", "code", "title", "institution", "score", "jurors", "complete", "award", "final", "entry_status"]
TABLE_COLUMNS = COLUMNS[:-2]


def small_board(status: str = "locked", withdrawn: str | None = None) -> pd.DataFrame:
    """E1 82.5 complete, E2 75 complete, E3 provisional 99, E4 without a sheet (a locked edition by default).

    ``withdrawn`` names an entry that withdrew (its sheets stay stored but leave the ranking).
    """
    sheets = totals_sheets({"E1": [80, 85], "E2": [75, 75], "E3": [99, None], "E4": [None, None]}, "AB")
    data = make_data(ONE, ["A", "B"], ["E1", "E2", "E3", "E4"], sheets)
    entries = data.entries.assign(
        entry_status=data.entries["code"].map(lambda code: "withdrawn" if code == withdrawn else "competing")
    )
    return scoring.leaderboard(dataclasses.replace(data, entries=entries, status=status))


def test_csv_has_the_official_columns_and_two_decimals() -> None:
    rows = list(csv.DictReader(io.StringIO(reports.format_leaderboard(small_board(), "csv"))))
    assert list(rows[0]) == COLUMNS
    assert [(r["rank"], r["code"], r["score"], r["jurors"], r["complete"], r["award"], r["final"]) for r in rows] == [
        ("1", "E1", "82.50", "2", "true", "Juara 1", "true"),
        ("2", "E2", "75.00", "2", "true", "Juara 2", "true"),
        ("", "E3", "99.00", "1", "false", "", "true"),
        ("", "E4", "", "0", "false", "", "true"),
    ]


def test_csv_while_scoring_says_the_awards_are_not_final_and_ranks_only_complete_entries() -> None:
    rows = list(csv.DictReader(io.StringIO(reports.format_leaderboard(small_board("scoring"), "csv"))))
    assert [(r["rank"], r["code"], r["award"], r["final"]) for r in rows] == [
        ("1", "E1", "Juara 1", "false"),
        ("2", "E2", "Juara 2", "false"),
        ("", "E3", "", "false"),  # provisional 99 outscores both, yet has no rank and no award
        ("", "E4", "", "false"),
    ]


def test_a_withdrawn_entry_leaves_the_ranking_in_every_format() -> None:
    board = small_board(withdrawn="E1")  # E1 had the best complete score
    rows = json.loads(reports.format_leaderboard(board, "json"))
    assert [(r["code"], r["rank"], r["award"], r["score"], r["entry_status"]) for r in rows] == [
        ("E2", 1, "Juara 1", 75.0, "competing"),
        ("E3", None, None, 99.0, "competing"),
        ("E4", None, None, None, "competing"),
        ("E1", None, None, None, "withdrawn"),  # listed last; its sheets no longer count
    ]
    csv_rows = list(csv.DictReader(io.StringIO(reports.format_leaderboard(board, "csv"))))
    assert (csv_rows[-1]["code"], csv_rows[-1]["rank"], csv_rows[-1]["entry_status"]) == ("E1", "", "withdrawn")
    table = reports.format_leaderboard(board, "table").splitlines()
    assert table[4].split()[:2] == ["–", "E1"] and table[4].endswith("(withdrawn)")
    assert table[-1] == (
        "4 entries, method mean, 2 provisional (not every juror has a complete sheet), "
        "1 withdrawn or absent (not ranked)"
    )


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
        "final": True,
        "entry_status": "competing",
    }
    assert rows[2]["rank"] is None and rows[2]["score"] == 99.0 and rows[2]["award"] is None
    assert rows[3]["rank"] is None and rows[3]["score"] is None and rows[3]["award"] is None


def test_table_is_aligned_and_says_how_many_are_provisional() -> None:
    text = reports.format_leaderboard(small_board(), "table", method="median")
    lines = text.splitlines()
    assert lines[0].split() == TABLE_COLUMNS
    assert lines[1].split()[:2] == ["1", "E1"] and "82.50" in lines[1] and lines[1].endswith("Juara 1")
    assert lines[3].split()[:2] == ["–", "E3"] and "99.00" in lines[3]
    assert len({line.index("E") for line in lines[1:5]}) == 1  # codes start in one column
    assert lines[-1] == "4 entries, method median, 2 provisional (not every juror has a complete sheet)"


def test_table_marks_awards_provisional_until_the_edition_is_locked() -> None:
    scoring_lines = reports.format_leaderboard(small_board("scoring"), "table").splitlines()
    assert scoring_lines[1].endswith("Juara 1 (provisional)") and scoring_lines[2].endswith("Juara 2 (provisional)")
    assert scoring_lines[3].split()[0] == "–" and "(provisional)" not in scoring_lines[3]  # no award to mark
    for status in ("locked", "published"):
        assert reports.format_leaderboard(small_board(status), "table").splitlines()[1].endswith("Juara 1")


def test_a_board_frozen_before_final_was_recorded_still_reads() -> None:
    rows = [
        {k: v for k, v in row.items() if k not in ("final", "entry_status")} for row in reports.records(small_board())
    ]
    table = reports.leaderboard_table(reports.from_records(rows))
    assert table["final"].tolist() == [None] * 4 and set(table["entry_status"]) == {"competing"}
    assert reports.format_leaderboard(reports.from_records(rows), "table").splitlines()[1].endswith("Juara 1")


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


def test_command_gives_final_awards_only_after_lock_and_leaves_out_an_absent_entry(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = {
        (code, juror, criterion): value
        for code, value in (("E1", 90), ("E2", 80), ("E3", 70))
        for juror in ("Juri A", "Juri B")
        for criterion in ("Kebaruan", "Efektif")
    }
    entries = [("E1", "Satu", "SMPN 1 Malang"), ("E2", "Dua", "Bappeda"), ("E3", "Tiga", "Dinkes")]
    make_edition(engine, entries=entries, scores=scores)
    with db.write_session(engine) as session:
        session.execute(update(Entry).where(Entry.code == "E1").values(status="absent"))

    def printed(fmt: str) -> str:
        status, out, err = run_cli("leaderboard", "--edition", "2030", "--format", fmt, "--db", db_url, capsys=capsys)
        assert status == 0, err
        return out

    rows = json.loads(printed("json"))
    assert [(r["code"], r["rank"], r["award"], r["final"]) for r in rows] == [
        ("E2", 1, "Juara 1", False),
        ("E3", 2, "Juara 2", False),
        ("E1", None, None, False),
    ]
    assert rows[-1]["entry_status"] == "absent" and rows[-1]["score"] is None
    assert "Juara 1 (provisional)" in printed("table")
    with db.write_session(engine) as session:
        session.execute(update(Edition).where(Edition.year == 2030).values(status="locked"))
    assert [r["final"] for r in json.loads(printed("json"))] == [True, True, True]
    assert "(provisional)" not in printed("table")


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
