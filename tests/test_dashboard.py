"""The dashboard starts under AppTest and its home page shows real figures (to a signed-in organizer)."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kipp import auth, cli, db, queries, theme
from kipp.audit import Actor

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def organizer_db(demo_urls: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the SQLite demo database with one organizer account (the shared demo stays untouched)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'kipp.db'}"
    with sqlite3.connect(db.sqlite_file(demo_urls["sqlite"])) as source, sqlite3.connect(db.sqlite_file(url)) as copy:
        source.backup(copy)
    auth.create_user(
        db.get_engine(url),
        actor=Actor("test", "organizer"),
        username="panitia",
        role="organizer",
        password="sandi-kantor-bagor",
    )
    yield url
    db.dispose_engine(url)


@pytest.fixture
def demo_app_url(organizer_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the dashboard at the organizer's copy of the demo database."""
    monkeypatch.setenv("DATABASE_URL", organizer_db)
    return organizer_db


def run() -> AppTest:
    """Start the dashboard signed in as the organizer (the session holds the small account dict)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user"] = auth.account(db.get_engine(db.default_url()), "panitia")
    return at.run()


def test_an_anonymous_visitor_gets_the_sign_in_screen_and_no_figures(demo_app_url: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert [t.value for t in at.title] == ["Masuk"]
    assert not at.metric


def test_home_shows_the_latest_edition_from_the_database(demo_app_url: str) -> None:
    at = run()
    assert not at.exception
    summary = queries.edition_summary(db.get_engine(demo_app_url), 2023)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Inovasi"] == str(summary["n_entries"]) == "50"
    assert metrics["Juri"] == "4"
    scored = next(m for m in at.metric if m.label == "Nilai masuk")
    # Sheets follow the rooms: 16 day-1 entries × 4 jurors + 34 day-2 entries × 2, × 5 criteria.
    assert scored.value == "100%" and scored.proto.delta == "660 / 660"
    assert "KIPP 2023" in at.title[0].value
    table = at.dataframe[0].value
    assert table["title"].iloc[0] == "Si Kawan Duduk"
    assert table["score"].iloc[0].count(",") == 1 and "." not in table["score"].iloc[0]  # 85,25, not 85.25
    assert list(table.columns[:4]) == ["rank", "title", "score", "award"]  # visible at 1280 px, unit last
    styles = at.dataframe[0].proto.arrow_data.styler.styles
    assert theme.tier_color(1) in styles, "the award column carries the tier colour"


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
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert len(queries.editions(db.get_engine(url))) == 4
    assert any("demo" in toast.value for toast in at.toast)
    assert at.title[0].value == "Masuk"
    assert "panitia" in at.dataframe[0].value["Nama pengguna"].tolist()  # the demo accounts, demo-only


def test_a_database_with_an_account_never_gets_demo_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'deployed.db'}"
    assert cli.main(["user", "add", "kabag", "--role", "organizer", "--generate", "--db", url]) == 0
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert queries.editions(db.get_engine(url)).empty
    assert not at.dataframe and not at.toast  # no demo accounts listed, nothing built
    assert auth.list_users(db.get_engine(url))["username"].tolist() == ["kabag"]


@pytest.mark.parametrize("page", ["live", "score_entry", "my_results", "jurors", "trends", "entries", "admin", "audit"])
def test_every_page_opens(demo_app_url: str, page: str) -> None:
    at = run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception
