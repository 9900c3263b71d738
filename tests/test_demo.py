"""The demo data reproduce the published results and give analytics something to find."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from kipp import db, queries, scoring
from kipp.demo import TOP6_2020, TOP10_2023, malang_frames


def test_four_editions_of_realistic_size(demo_engine: Engine) -> None:
    table = queries.editions(demo_engine).set_index("year")
    assert sorted(table.index) == [2020, 2021, 2022, 2023]
    assert table["n_entries"].between(40, 60).all()
    assert (table["n_jurors"] == 4).all()
    assert table.loc[2022, "n_entries"] == 49 and table.loc[2021, "n_entries"] == 46


def test_2023_published_top_ten(demo_engine: Engine) -> None:
    board = scoring.leaderboard(queries.load_edition(demo_engine, 2023), "mean")
    assert board["title"].head(3).tolist() == ["Si Kawan Duduk", "Mas Kadin Bersinar", "Laskar Perencana"]
    assert set(board["title"].head(10)) == set(TOP10_2023)
    assert board["award"].head(3).tolist() == ["Juara 1", "Juara 2", "Juara 3"]
    assert board["complete"].all()


def test_2020_best_six(demo_engine: Engine) -> None:
    board = scoring.leaderboard(queries.load_edition(demo_engine, 2020), "mean")
    assert board["title"].head(6).tolist() == TOP6_2020


def test_units_return_across_editions(demo_engine: Engine) -> None:
    units = {y: set(queries.load_edition(demo_engine, y).entries["institution"]) for y in (2020, 2021, 2022, 2023)}
    assert len(units[2021] & units[2020]) >= 10
    assert len(units[2023] & units[2022]) >= 10


def test_every_panel_has_a_lenient_and_a_strict_juror(demo_engine: Engine) -> None:
    for year in (2020, 2021, 2022, 2023):
        data = queries.load_edition(demo_engine, year)
        totals = scoring.juror_totals(data)
        severity = totals.groupby("juror_id")["total"].mean() - totals["total"].mean()
        assert severity.max() > 3, year
        assert severity.min() < -3, year


def test_generation_is_deterministic() -> None:
    first, second = malang_frames(), malang_frames()
    pd.testing.assert_frame_equal(first.scores, second.scores)
    assert first.entries == second.entries


def test_demo_command_builds_the_same_editions(tmp_path: Path, demo_engine: Engine) -> None:
    url = f"sqlite:///{tmp_path / 'somewhere.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "kipp", "demo", "--db", url], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "4 editions" in result.stdout
    built = db.get_engine(url)
    for year in (2020, 2023):
        ours = scoring.leaderboard(queries.load_edition(built, year))
        reference = scoring.leaderboard(queries.load_edition(demo_engine, year))
        assert ours[["code", "title", "score", "award"]].equals(reference[["code", "title", "score", "award"]])
    again = subprocess.run(
        [sys.executable, "-m", "kipp", "demo", "--db", url], capture_output=True, text=True, check=False
    )
    assert again.returncode == 1
    assert "already exist" in again.stderr
