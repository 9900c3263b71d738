"""The Juror analytics and My results pages under AppTest, on the demo editions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kipp import db, demo, queries, scoring, theme, ui
from kipp.auth import Account
from tests.factories import make_edition, seat_sessions

PAGES = Path(__file__).resolve().parent.parent / "app_pages"
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
    assert re.fullmatch(r"\d+,\d\d", winner["score"])  # Indonesian decimal comma, never 94.00
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
    assert all(re.fullmatch(r"\d+,\d\d", total) for total in sheets[0]["total"])


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
    assert any("efek penilaian Anda +" in c.value for c in at.caption)  # the adjusted fit agrees: lenient
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


# Two rooms on one day, entries E1–E4; quality per entry and a lenient (+6) and a strict (−6) juror.
SPLIT_YEAR = 2037
SPLIT_QUALITY = {"E1": 80.0, "E2": 70.0, "E3": 75.0, "E4": 65.0}
SPLIT_BIAS = {"Juri A": 6.0, "Juri B": 0.0, "Juri C": -6.0, "Juri D": 0.0}
SPLIT_NOISE = (1.0, -1.0, 0.5, -0.5, 0.0, 1.5, -1.5, 0.25)
EBONI, MERANTI = (1, "Ruang Eboni"), (1, "Ruang Meranti")


def chart_specs(at: AppTest) -> list[dict[str, Any]]:
    """The plotly figures on the page, as their JSON specs."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def split_panel_edition(
    engine: Engine, panels: dict[tuple[int, str], tuple[str, ...]], official: str, status: str = "scoring"
) -> dict[str, Any]:
    """E1, E2 in Ruang Eboni and E3, E4 in Ruang Meranti, every seated juror's sheet complete."""
    sessions = {"E1": EBONI, "E2": EBONI, "E3": MERANTI, "E4": MERANTI}
    scores: dict[tuple[str, str, str], float] = {}
    noise = iter(SPLIT_NOISE * 2)
    for code, room in sessions.items():
        for juror in panels[room]:
            value = SPLIT_QUALITY[code] + SPLIT_BIAS[juror] + next(noise)
            scores |= {(code, juror, criterion): value for criterion in ("Kebaruan", "Efektif")}
    jurors = sorted({juror for names in panels.values() for juror in names})
    ids = make_edition(
        engine,
        year=SPLIT_YEAR,
        jurors=jurors,
        entries=[(code, f"Inovasi {code}", f"Unit {code}") for code in sessions],
        scores=scores,
        status=status,
    )
    seat_sessions(engine, ids, sessions=sessions, panels=panels, official_method=official)
    return ids


def test_split_panels_show_each_jurors_effect_with_its_standard_error(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Juri B sits in both rooms: the rooms are linked, so lenient A and strict C can be compared.
    split_panel_edition(engine, {EBONI: ("Juri A", "Juri B"), MERANTI: ("Juri B", "Juri C")}, official="adjusted")
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    at = run("jurors.py", SPLIT_YEAR)
    assert not at.exception and not at.error

    effects = next(f.value for f in at.dataframe if "effect" in f.value.columns).set_index("juror")
    assert effects.loc["Juri A", "effect"].startswith("+") and effects.loc["Juri C", "effect"].startswith("-")
    assert effects["se"].str.fullmatch(r"\d+,\d{2}").all()  # a standard error for every juror, 0,80 style
    assert effects["sheets"].tolist() == [2, 4, 2]
    effect_chart = next(spec for spec in chart_specs(at) if "Efek juri" in str(spec["layout"].get("xaxis")))
    assert effect_chart["data"][0]["error_x"]["array"]  # whiskers: ± 2 standard errors

    panels = next(f.value for f in at.dataframe if "n_entries" in f.value.columns)
    assert panels["session"].tolist() == ["Hari 1 · Ruang Eboni", "Hari 1 · Ruang Meranti"]
    assert panels["jurors"].tolist() == ["Juri A, Juri B", "Juri B, Juri C"]
    assert any("metode resmi edisi ini: Nilai terkoreksi." in c.value for c in at.caption)
    assert not any("tidak berbagi juri" in w.value for w in at.warning)


def test_unlinked_rooms_are_named_instead_of_crashing(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No juror sits in both rooms: the adjusted score (the official method here) cannot compare them.
    split_panel_edition(engine, {EBONI: ("Juri A", "Juri B"), MERANTI: ("Juri C", "Juri D")}, official="adjusted")
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    at = run("jurors.py", SPLIT_YEAR)
    assert not at.exception and not at.error

    messages = [w.value for w in at.warning if "tidak berbagi juri maupun inovasi" in w.value]
    assert len(messages) == 2  # the juror effects and the method comparison
    assert "Ruang Eboni (Juri A, Juri B; 2 inovasi) dan Ruang Meranti (Juri C, Juri D; 2 inovasi)" in messages[0]
    assert not any("effect" in f.value.columns for f in at.dataframe)
    assert any("Nilai terkoreksi" in i.value and "Rata-rata" in i.value for i in at.info)  # falls back, says so
    names = {trace.get("name") for spec in chart_specs(at) for trace in spec["data"]}
    assert "Rata-rata" in names and "Nilai terkoreksi" not in names  # the comparison leaves adjusted out


def test_my_results_ranks_by_the_official_method_and_gives_the_jurors_effect(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    panels = {EBONI: ("Juri A", "Juri B"), MERANTI: ("Juri B", "Juri C")}
    ids = split_panel_edition(engine, panels, official="adjusted", status="locked")
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    juror = Account(username="c", role="juror", juror_id=ids["jurors"]["Juri C"], display_name="C")
    at = run("my_results.py", SPLIT_YEAR, user=juror)
    assert not at.exception and not at.error
    assert any("efek penilaian Anda -" in c.value for c in at.caption)  # C is the strict one
    entries = next(frame.value for frame in at.dataframe if "deviation" in frame.value.columns)
    # By the adjusted score C's strictness no longer sinks Meranti: E3 (quality 75) outranks E2 (70).
    assert entries.set_index("code")["rank"].to_dict() == {"E3": "2", "E4": "4"}
