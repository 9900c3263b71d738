"""The Trends page under AppTest on the demo data, in both languages and for both roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from kipp import auth, charts, db, theme
from kipp.demo import build_demo
from kipp.models import Edition, EditionStatus, User
from kipp.queries import load_edition

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
    """Run the dashboard signed in with ``role`` in ``lang`` and switch to ``app_pages/<page>.py``."""
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["user"] = auth.account(db.get_engine(url), ACCOUNTS[role])
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
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


def test_a_viewer_sees_published_editions_only_and_downloads_their_documents(
    pages_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_status(pages_db, 2023, EditionStatus.locked)
    try:
        at = open_page(pages_db, monkeypatch, "trends", "viewer", "id")
        assert "2022" in at.subheader[0].value  # the newest published edition
        assert "Hanya edisi yang hasilnya sudah dipublikasikan" in " ".join(c.value for c in at.caption)
        assert not [s for s in at.selectbox if s.key == "documents_method"]  # the official method, no choice
        at.button(key="documents_prepare").click().run()
        assert not at.exception
        files = [button.proto.label for button in at.get("download_button")]
        assert files == ["Unduh berita acara (PDF)", "Unduh rekap nilai (Excel)"]
        assert "2022" in " ".join(m.value for m in at.markdown)  # the documents of the published edition
        jurors = load_edition(db.get_engine(pages_db), 2022).panel["juror"].astype(str)
        shown = " ".join(str(e.value) for kind in ("markdown", "caption", "subheader", "warning") for e in at.get(kind))
        shown += " ".join(frame.value.to_csv() for frame in at.dataframe)
        assert not any(name in shown for name in jurors), "a viewer never sees juror names"
    finally:
        _set_status(pages_db, 2023, EditionStatus.published)


def test_a_viewer_gets_no_documents_when_nothing_is_published(pages_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for year in (2020, 2021, 2022, 2023):
        _set_status(pages_db, year, EditionStatus.locked)
    try:
        at = open_page(pages_db, monkeypatch, "trends", "viewer", "id")
        assert not [b for b in at.button if b.key == "documents_prepare"]
        assert not at.get("download_button")
    finally:
        for year in (2020, 2021, 2022, 2023):
            _set_status(pages_db, year, EditionStatus.published)


def test_headlines_come_in_rows_of_three_and_tables_write_numbers_in_indonesian(
    pages_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(pages_db, monkeypatch, "trends", "organizer", "id")
    assert len(at.metric) == 6
    holding = [column for column in at.columns if column.metric]
    assert len(holding) == 6 and all(column.weight == pytest.approx(1 / 3) for column in holding)  # 2 rows × 3
    entries = next(frame for frame in at.dataframe if "award" in frame.value.columns)
    score = entries.value["score"].iloc[0]
    assert re.fullmatch(r"\d{2},\d{2}", score), score
    assert theme.tier_color(1) in entries.proto.arrow_data.styler.styles
    returning = next(frame for frame in at.dataframe if "change" in frame.value.columns).value
    assert returning["change"].str.fullmatch(r"[+-]?\d+,\d{2}|–").all()


def test_trend_palettes_never_reuse_a_tier_juror_method_or_status_colour() -> None:
    palettes = {
        "tier": set(theme.TIER_COLORS),
        "juror": set(theme.JUROR_COLORS),
        "method": set(charts.METHOD_COLORS.values()),
        "status": set(charts.STATUS_COLORS.values()),
        "unit type": set(charts.UNIT_TYPE_COLORS.values()),
        "participation": set(charts.PARTICIPATION_COLORS.values()),
        "round": set(charts.ROUND_COLORS.values()),
    }
    for own in ("method", "unit type", "participation", "round"):
        for other, colours in palettes.items():
            if other != own:
                assert not palettes[own] & colours, f"{own} and {other} share {palettes[own] & colours}"
    figure = charts.participation_chart(
        pd.DataFrame({"year": [2022, 2023], "entries": [49, 50], "units": [40, 41], "first_time_units": [9, 4]}),
        lang="id",
    )
    assert not {trace.marker.color for trace in figure.data} & palettes["tier"]


def _set_status(url: str, year: int, status: EditionStatus) -> None:
    """Test set-up: put an edition in a status directly (the lifecycle itself is tested in services)."""
    with db.write_session(db.get_engine(url)) as session:
        session.execute(update(Edition).where(Edition.year == year).values(status=status.value))
    st.cache_data.clear()
