"""The Trends page under AppTest on the demo data, in both languages and for both roles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from kipp import auth, db
from kipp.demo import build_demo
from kipp.models import Edition, EditionStatus, User

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
ACCOUNTS = {"organizer": "panitia7", "viewer": "pimpinan7"}


@pytest.fixture(scope="module", name="pages_db")
def pages_db_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo database with one organizer and one viewer account (built once for the module)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'pages.db'}"
    engine = db.get_engine(url)
    build_demo(engine)
    with db.write_session(engine) as session:
        for role, username in ACCOUNTS.items():
            session.add(User(username=username, role=role, password_hash="-", display_name=username))
    yield url
    db.dispose_engine(url)


def open_page(url: str, monkeypatch: pytest.MonkeyPatch, page: str, role: str, lang: str) -> AppTest:
    """Run the dashboard signed in with ``role`` in ``lang`` and switch to ``pages/<page>.py``."""
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["user"] = auth.account(db.get_engine(url), ACCOUNTS[role])
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("lang", "labels"),
    [("id", ["Inovasi", "Perangkat daerah", "Peserta baru"]), ("en", ["Entries", "Units", "First-time units"])],
)
def test_trends_headline_in_both_languages(
    pages_db: str, monkeypatch: pytest.MonkeyPatch, lang: str, labels: list[str]
) -> None:
    at = open_page(pages_db, monkeypatch, "trends", "organizer", lang)
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    # 2023 against 2022 in the demo: 50 entries (+1) from 49 units.
    assert metrics[labels[0]] == ("50", "+1")
    assert metrics[labels[1]][0] == "49"
    assert labels[2] in metrics
    assert len(at.get("plotly_chart")) == 6
    assert not at.error


def test_every_trend_chart_downloads_as_png(pages_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    at = open_page(pages_db, monkeypatch, "trends", "organizer", "id")
    configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
    assert all(config["toImageButtonOptions"]["format"] == "png" for config in configs)
    assert all(config["toImageButtonOptions"]["filename"].startswith("kipp-") for config in configs)


def test_the_organizer_downloads_the_documents(pages_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(pages_db, monkeypatch, "trends", "organizer", "en")
    at.button(key="documents_prepare").click().run()
    assert not at.exception
    labels = [button.label for button in at.get("download_button")]
    assert labels == ["Download the minutes (PDF)", "Download the score recap (Excel)"]


def test_a_viewer_sees_published_editions_only_and_no_documents(pages_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _set_status(pages_db, 2023, EditionStatus.locked)
    try:
        at = open_page(pages_db, monkeypatch, "trends", "viewer", "id")
        assert "2022" in at.subheader[0].value  # the newest published edition
        assert "Hanya edisi yang hasilnya sudah dipublikasikan" in " ".join(c.value for c in at.caption)
        assert not [b for b in at.button if b.key == "documents_prepare"]
    finally:
        _set_status(pages_db, 2023, EditionStatus.published)


def _set_status(url: str, year: int, status: EditionStatus) -> None:
    """Test set-up: put an edition in a status directly (the lifecycle itself is tested in services)."""
    with db.write_session(db.get_engine(url)) as session:
        session.execute(update(Edition).where(Edition.year == year).values(status=status.value))
    st.cache_data.clear()
