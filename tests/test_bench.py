"""The benchmark: its SQL limit computes the same scores as the leaderboard, and a tiny run reports
every measure (or says it is not available yet) and every target.  No timing is asserted here:
figures depend on the machine (see README, "Performance")."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from kipp import db, queries, scoring
from kipp.bench import benchmark
from kipp.bench.measures import PAGES, Measure, sql_limit_scores, ui_modules_imported
from kipp.bench.report import METHOD_MEASURES, evaluate, format_report, machine
from kipp.bench.scales import SCALES, Scale
from kipp.bench.split import connected_assignment, split_edition
from kipp.cli import main
from kipp.demo import build_scale
from tests.factories import make_edition

TINY = Scale("tiny", entries=6, jurors=3, criteria=3, editions=2, evaluators=4)


def _mean_scores(engine: Engine, year: int) -> pd.Series:
    board = scoring.leaderboard(queries.load_edition(engine, year), "mean")
    return board.set_index("entry_id")["score"].dropna()


def test_sql_limit_gives_the_leaderboard_mean_scores(engine: Engine) -> None:
    build_scale(engine, n_entries=TINY.entries, n_jurors=TINY.jurors, n_criteria=TINY.criteria, n_editions=2)
    ours = _mean_scores(engine, TINY.year)
    sql = sql_limit_scores(engine, TINY.year)
    assert len(ours) == TINY.entries
    assert sorted(sql.index) == sorted(ours.index)
    assert (sql.reindex(ours.index) - ours).abs().max() <= 0.005 + 1e-9  # ours is shown with 2 decimals


def test_sql_limit_weighs_criteria_and_ignores_incomplete_sheets(engine: Engine) -> None:
    scores = {
        ("E1", "Juri A", "Kebaruan"): 80.0,
        ("E1", "Juri A", "Efektif"): 40.0,
        ("E1", "Juri B", "Kebaruan"): 60.0,
        ("E1", "Juri B", "Efektif"): 20.0,
        ("E2", "Juri A", "Kebaruan"): 90.0,
        ("E2", "Juri A", "Efektif"): 50.0,
        ("E2", "Juri B", "Kebaruan"): 10.0,  # Juri B's sheet for E2 is incomplete: left out
    }
    make_edition(
        engine,
        criteria=(("Kebaruan", 3.0, 100.0), ("Efektif", 1.0, 50.0)),
        entries=(("E1", "Inovasi Satu", "SMPN 1 Malang"), ("E2", "Inovasi Dua", "SMPN 2 Malang")),
        scores=scores,
    )
    ids = queries.load_edition(engine, 2030).entries.set_index("code")["entry_id"]
    sql = sql_limit_scores(engine, 2030)
    # E1: A = 100·(3·0.8 + 0.8)/4 = 80, B = 100·(3·0.6 + 0.4)/4 = 55 -> 67.5; E2: only A = 100·(2.7 + 1)/4 = 92.5
    assert sql[ids["E1"]] == pytest.approx(67.5)
    assert sql[ids["E2"]] == pytest.approx(92.5)
    assert (sql.reindex(_mean_scores(engine, 2030).index) - _mean_scores(engine, 2030)).abs().max() <= 0.005


def test_a_tiny_run_reports_every_measure_and_says_what_is_missing() -> None:
    report = benchmark.run([TINY], runs=1)
    json.dumps(report)  # --json prints it
    measures = {(m["backend"], m["name"]): m for m in report["measures"]}
    expected = [
        "build",
        *METHOD_MEASURES,
        "sql_limit_mean",
        "ratio_mean_to_sql",
        "analytics",
        "trends",
        *(f"page_{page}_{kind}" for page in PAGES for kind in ("cold", "warm")),
        "dashboard_peak_mb",
        "cli_leaderboard",
        "cli_ui_modules",
        "cli_import_workbook",
        "bench_peak_mb",
    ]
    assert report["backends"] == ["sqlite"]
    split = [measures[("memory", name)] for name in ("split_adjusted", "split_mean", "ratio_split_adjusted_to_mean")]
    assert all(len(measure["values"]) == 1 and measure["median"] > 0 for measure in split)
    assert "6 entries, 4 evaluators, 3 per entry" in split[0]["note"]
    for name in expected:
        measure = measures[("sqlite", name)]
        assert measure["values"] or measure["note"].startswith("not available yet"), name
        if measure["values"]:
            assert measure["median"] == sorted(measure["values"])[len(measure["values"]) // 2]
            assert all(value >= 0 for value in measure["values"])
    assert len(measures[("sqlite", "leaderboard_mean")]["values"]) == 1
    assert measures[("sqlite", "leaderboard_mean")]["median_cpu"] > 0  # CPU time beside wall time
    assert 0 < measures[("sqlite", "dashboard_peak_mb")]["median"] < 4096
    assert report["targets"] == []  # "tiny" is not a scale the issue sets targets for
    text = format_report(report)
    assert "leaderboard_mean" in text and "sql_limit_mean" in text and report["machine"]["cpu"] in text


def test_targets_pass_fail_and_stay_unknown_without_a_figure() -> None:
    measures = [
        Measure("sqlite", "national", "leaderboard_mean", "s", [0.3, 0.2, 0.25]),
        Measure("sqlite", "national", "ratio_mean_to_sql", "x", [2.5]),
        Measure("sqlite", "national", "trends", "s", note="not available yet (kipp.trends …)"),
    ]
    rows = {row["target"]: row for row in evaluate(measures)}
    assert rows["national leaderboard (mean) <= 250 ms"]["pass"] is True  # median 0.25
    assert rows["national leaderboard within 2x of the SQL limit"]["pass"] is False
    assert rows["national trends over 10 editions <= 1.5 s"]["pass"] is None
    assert "malang leaderboard (mean) <= 20 ms" not in rows  # malang was not run
    assert "n/a" in format_report({"machine": machine(), "runs": 3, "measures": [], "targets": list(rows.values())})


def test_bad_arguments_are_refused_with_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--runs", "0"]) == 1
    assert "--runs must be at least 1" in capsys.readouterr().err
    with pytest.raises(benchmark.PostgresUnavailable, match=r"PostgreSQL at .* does not answer"):
        benchmark.postgres_server("postgresql://nobody@127.0.0.1:1/none")


@pytest.mark.skipif(importlib.util.find_spec("kipp.reports") is None, reason="kipp.reports (leaderboard) not there yet")
def test_the_leaderboard_command_imports_neither_streamlit_nor_plotly(demo_urls: dict[str, str]) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "kipp",
            "leaderboard",
            "--edition",
            "2023",
            "--db",
            demo_urls["sqlite"],
        ],
        cwd=db.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "Si Kawan Duduk" in done.stdout
    assert "kipp.scoring" in done.stderr  # the import log is there …
    assert ui_modules_imported(done.stderr) == []  # … and names no UI library


def test_the_national_split_panel_design_is_three_evaluators_per_entry_all_connected() -> None:
    national = SCALES["national"]
    assert (national.entries, national.evaluators, national.per_entry) == (3500, 60, 3)
    chosen = connected_assignment(national.entries, national.evaluators, national.per_entry, np.random.default_rng(1))
    assert chosen.shape == (3500, 3) and all(len(set(row)) == 3 for row in chosen.tolist())
    assert np.bincount(chosen.ravel(), minlength=60).min() >= 3500 * 3 // 60 // 2  # every evaluator has work
    data = split_edition(120, 12, 3, 2)
    assert scoring.panels_differ(data) and "adjusted" in scoring.available_methods(data)  # connected
    board = scoring.leaderboard(data, "adjusted")
    assert board["complete"].all() and (board["panel"] == 3).all() and board["rank"].tolist() == sorted(board["rank"])
    with pytest.raises(ValueError, match="per_entry"):
        connected_assignment(10, 3, 4, np.random.default_rng(1))
