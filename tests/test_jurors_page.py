"""The Juror analytics and My results pages under AppTest, on the demo editions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kipp import db, demo, queries, scoring, theme, ui
from kipp.auth import Account
from tests.factories import make_edition

PAGES = Path(__file__).resolve().parent.parent / "pages"
ORGANIZER = Account(username="panitia", role="organizer", juror_id=None, display_name="Panitia")


def run(page: str, year: int | None = None, user: dict[str, Any] | None = ORGANIZER, lang: str = "id") -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=120)
    if year is not None:
        at.session_state["edition"] = year
    if user is not None:
        at.session_state["user"] = user
    at.session_state["lang"] = lang
    return at.run()


def demo_styles(plan: demo.EditionPlan) -> dict[str, str]:
    """Names of the demo's lenient (bias >= +5) and strict (<= -5) jurors of a panel."""
    return {
        demo.JURORS[i][0]: ("murah hati" if demo.JURORS[i][2] > 0 else "ketat")
        for i in plan.panel
        if abs(demo.JURORS[i][2]) >= 5
    }


@pytest.mark.parametrize("plan", demo.PLANS, ids=lambda plan: str(plan.year))
def test_the_page_runs_for_every_demo_edition_and_flags_its_lenient_and_strict_jurors(
    demo_app_url: str, plan: demo.EditionPlan
) -> None:
    at = run("jurors.py", plan.year)
    assert not at.exception
    assert not at.error
    flagged = {}
    for warning in at.warning:
        for name, reading in demo_styles(plan).items():
            if f"**{ui.plain(name)}**" in warning.value:
                flagged[name] = reading if f"menilai {reading}" in warning.value else "?"
    assert flagged == demo_styles(plan)
    assert len([w for w in at.warning if "menilai" in w.value]) == 2
    metrics = {metric.label: metric for metric in at.metric}
    assert list(metrics) == ["ICC(2,1)", "ICC(2,k)", "ICC(3,1)", "ICC(3,k)", "W Kendall"]
    assert metrics["ICC(3,k)"].delta == "sangat baik"
    assert "," in metrics["ICC(3,k)"].value  # Indonesian decimal comma


def test_stability_table_reads_as_a_share_of_resamples(demo_app_url: str) -> None:
    at = run("jurors.py", 2023)
    tables = [frame.value for frame in at.dataframe if "stability" in frame.value.columns]
    assert len(tables) == 1
    winner = tables[0].set_index("title").loc["Si Kawan Duduk"]
    assert winner["rank"] == 1 and winner["p_top10"] == 100
    assert winner["stability"] == "masuk Top 10 pada 100% sampel ulang"


def test_picking_an_entry_opens_its_sheets(demo_app_url: str) -> None:
    at = run("jurors.py", 2023)
    entry = queries.load_edition(db.get_engine(demo_app_url), 2023).entries.iloc[0]
    at.selectbox(key="jurors_entry").select(entry["entry_id"]).run()
    assert not at.exception
    assert f"Lembar nilai: {ui.plain(entry['code'])} · {ui.plain(entry['title'])}" in [s.value for s in at.subheader]
    sheets = [f.value for f in at.dataframe if {"Kebaruan", "status"} <= set(f.value.columns)]
    assert len(sheets) == 1 and len(sheets[0]) == 4
    assert set(sheets[0]["status"]) == {"Lengkap"}


def test_per_criterion_distribution_on_demand_in_english(demo_app_url: str) -> None:
    at = run("jurors.py", 2022, lang="en")
    assert not at.exception
    assert "Summary per juror" in [s.value for s in at.subheader]
    at.selectbox(key="jurors_distribution_measure").select_index(1).run()
    assert not at.exception
    titles = [
        json.loads(chart.proto.spec)["layout"].get("yaxis", {}).get("title", {}).get("text")
        for chart in at.get("plotly_chart")
    ]
    assert "Kebaruan" in titles


def test_my_results_shows_a_juror_their_severity(demo_app_url: str) -> None:
    data = queries.load_edition(db.get_engine(demo_app_url), 2023)
    lenient = data.panel.set_index("juror").loc["Ratna Kusumawardani, S.Sos.", "juror_id"]
    juror = Account(username="ratna", role="juror", juror_id=int(lenient), display_name="Ratna")
    at = run("my_results.py", 2023, user=juror)
    assert not at.exception
    metrics = {metric.label: metric.value for metric in at.metric}
    seated = scoring.expected_jurors(data)["juror_id"] == lenient  # day 1 and her day-2 room
    assert metrics["Lembar lengkap"] == str(seated.sum())
    assert metrics["Kemurahan"].startswith("+")
    assert any("lebih murah hati" in m.value for m in at.markdown)
    assert not at.selectbox  # a juror sees only their own results
    entries = next(frame for frame in at.dataframe if "deviation" in frame.value.columns)
    assert entries.value["score"].str.fullmatch(r"\d{2},\d{2}").all()  # 85,25 in Bahasa Indonesia
    assert entries.value["deviation"].str.fullmatch(r"[+-]?\d+,\d{2}").all()
    assert entries.value["rank"].iloc[0] == "2"  # Ratna sits in Ruang Eboni; the winner presented in Ruang Meranti
    assert theme.tier_color(1) in entries.proto.arrow_data.styler.styles


def test_an_organizer_picks_the_juror_to_view(demo_app_url: str) -> None:
    at = run("my_results.py", 2023)
    picker = at.selectbox(key="my_results_juror")
    data = queries.load_edition(db.get_engine(demo_app_url), 2023)
    strict = data.panel.set_index("juror").loc["Dr. Yusuf Hidayatullah", "juror_id"]
    picker.select(strict).run()
    assert not at.exception
    assert any("lebih ketat" in m.value for m in at.markdown)


def test_my_results_waits_until_the_edition_is_locked(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = make_edition(engine, year=2034, status="scoring", scores={("E1", "Juri A", "Kebaruan"): 80})
    monkeypatch.setenv("DATABASE_URL", db_url)
    juror = Account(username="a", role="juror", juror_id=ids["jurors"]["Juri A"], display_name="A")
    at = run("my_results.py", 2034, user=juror)
    assert not at.exception
    assert "setelah edisi 2034 dikunci" in at.info[0].value
    assert not at.metric and not at.dataframe


def test_a_juror_off_the_panel_is_told_so(demo_app_url: str) -> None:
    data = queries.load_edition(db.get_engine(demo_app_url), 2020)
    outsider = Account(username="x", role="juror", juror_id=-1, display_name="X")
    at = run("my_results.py", 2020, user=outsider)
    assert "tidak duduk di dewan juri edisi 2020" in at.info[0].value
    assert -1 not in set(data.panel["juror_id"])
