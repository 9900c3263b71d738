"""The dashboard starts under AppTest and its home page shows real figures."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kipp import db, queries

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def run() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def test_home_shows_the_latest_edition_from_the_database(demo_app_url: str) -> None:
    at = run()
    assert not at.exception
    summary = queries.edition_summary(db.get_engine(demo_app_url), 2023)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Inovasi"] == str(summary["n_entries"]) == "50"
    assert metrics["Juri"] == "4"
    assert metrics["Nilai masuk"] == "1000 / 1000"
    assert "KIPP 2023" in at.title[0].value
    table = at.dataframe[0].value
    assert table["title"].iloc[0] == "Si Kawan Duduk"


def test_picking_another_edition_changes_the_figures(demo_app_url: str) -> None:
    at = run()
    at.selectbox(key="edition").select(2022).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Inovasi"] == "49"


def test_english_interface(demo_app_url: str) -> None:
    at = run()
    at.session_state["lang"] = "en"
    at.run()
    assert "Entries" in {m.label for m in at.metric}


def test_first_start_builds_the_demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    at = run()
    assert not at.exception
    assert len(queries.editions(db.get_engine(url))) == 4
    assert any("demo" in toast.value for toast in at.toast)


@pytest.mark.parametrize("page", ["live", "score_entry", "my_results", "jurors", "trends", "entries", "admin", "audit"])
def test_every_page_opens(demo_app_url: str, page: str) -> None:
    at = run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
