"""``python -m kipp agreement``: the panel's agreement as a table or JSON, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kipp import analytics, cli, db, queries
from tests.factories import make_edition
from tests.split_editions import make_rooms_edition

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_url(demo_urls: dict[str, str], backend: str) -> str:
    return demo_urls[backend]


def test_json_gives_the_figures_of_the_edition(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["agreement", "--edition", "2023", "--format", "json", "--db", demo_url]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == [*analytics.AGREEMENT_KEYS, "sessions"]
    sessions = printed.pop("sessions")  # day 1 in Pinus with the whole panel, day 2 in two rooms of two
    assert [(s["room"], len(s["jurors"])) for s in sessions] == [
        ("Ruang Pinus", 4),
        ("Ruang Eboni", 2),
        ("Ruang Meranti", 2),
    ]
    expected = analytics.agreement(queries.load_edition(db.get_engine(demo_url), 2023))
    assert printed == pytest.approx(expected)
    assert printed["n_entries"] == 16 and printed["n_jurors"] == 4  # day 1's entries: every juror scored them


def test_table_has_one_line_per_figure(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["agreement", "--edition", "2020", "--db", demo_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    figures = dict(line.split() for line in lines)
    assert list(figures) == list(analytics.AGREEMENT_KEYS)
    assert figures["n_entries"] == "42" and figures["n_jurors"] == "4"
    assert 0.9 < float(figures["icc3_k"]) <= 1


def test_figures_that_cannot_be_computed_are_null_not_nan(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    make_edition(engine, year=2031, scores={("E1", "Juri A", "Kebaruan"): 80})
    url = engine.url.render_as_string(hide_password=False)
    assert cli.main(["agreement", "--edition", "2031", "--format", "json", "--db", url]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["icc2_1"] is None and printed["kendall_w"] is None and printed["krippendorff_alpha"] is None
    assert printed["n_entries"] == 0
    assert cli.main(["agreement", "--edition", "2031", "--db", url]) == 0
    width = max(len(key) for key in analytics.AGREEMENT_KEYS)
    assert f"{'icc2_1':<{width}}  n/a" in capsys.readouterr().out


def test_unknown_edition_names_the_editions_there_are(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["agreement", "--edition", "2001", "--db", demo_url]) == 1
    error = capsys.readouterr().err
    assert "Edition 2001 does not exist" in error and "2023" in error


def test_missing_database_is_an_error_and_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "none.db"
    assert cli.main(["agreement", "--edition", "2023", "--db", f"sqlite:///{path}"]) == 1
    assert "No KIPP database" in capsys.readouterr().err
    assert not path.exists()


def test_the_command_does_not_load_streamlit_or_plotly(demo_urls: dict[str, str]) -> None:
    script = (
        "import sys; from kipp import cli; "
        f"status = cli.main(['agreement', '--edition', '2022', '--db', {demo_urls['sqlite']!r}]); "
        "assert status == 0; "
        "assert not {'streamlit', 'plotly'} & set(sys.modules), sorted(m for m in sys.modules if 'stream' in m)"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "kendall_w" in done.stdout


def test_json_lists_each_session_panel_with_its_own_agreement(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rooms_edition(engine)
    url = engine.url.render_as_string(hide_password=False)
    assert cli.main(["agreement", "--edition", "2030", "--format", "json", "--db", url]) == 0
    printed = json.loads(capsys.readouterr().out)
    data = queries.load_edition(engine, 2030)
    assert printed["n_entries"] == 0 and printed["icc2_1"] is None  # no entry has all three jurors …
    assert printed["krippendorff_alpha"] == pytest.approx(
        analytics.agreement(data)["krippendorff_alpha"]
    )  # … alpha can
    sessions = printed["sessions"]
    assert [(s["session"], s["jurors"], s["entries"], s["n_entries"]) for s in sessions] == [
        ("day 1, Ruang Eboni", ["Juri A", "Juri B"], 2, 2),
        ("day 1, Ruang Meranti", ["Juri B", "Juri C"], 2, 2),
    ]
    eboni = analytics.complete_matrix(analytics.juror_scores(data).query("code in ['E1', 'E2']"))
    assert sessions[0]["icc3_1"] == pytest.approx(1.0)  # A is always 6 above B: perfectly consistent …
    assert sessions[0]["icc2_1"] == pytest.approx(analytics.icc(eboni)["icc2_1"])
    assert sessions[0]["icc2_1"] < 1  # … but not in absolute agreement
    assert sessions[0]["kendall_w"] is None  # W needs three entries
    assert cli.main(["agreement", "--edition", "2030", "--db", url]) == 0
    table = capsys.readouterr().out
    assert "day 1, Ruang Eboni: Juri A, Juri B (2 of 2 entries)" in table and "day 1, Ruang Meranti" in table
