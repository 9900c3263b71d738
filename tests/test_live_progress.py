"""The live progress grid with panels per room: unassigned is not missing, rooms read as blocks,
withdrawn entries are not awaited, and only a sheet's own jurors are waited for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kipp import progress, queries, scoring
from kipp.auth import Account
from kipp.views import live_progress
from tests.factories import make_edition, seat_sessions
from tests.test_scoring import ONE, make_data

LIVE = str(Path(__file__).resolve().parent.parent / "app_pages" / "live.py")
YEAR = 2036
CRITERIA = (("Kebaruan", 1.0, 100.0), ("Efektif", 1.0, 100.0))
JURORS = ("Juri A", "Juri B", "Juri C", "Juri D")
EBONI, MERANTI = (1, "Ruang Eboni"), (1, "Ruang Meranti")
# Schedule order interleaves the rooms (slots 1–5); the grid groups them by room.
ROOMS = {"E1": EBONI, "E3": MERANTI, "E2": EBONI, "E4": MERANTI, "E5": MERANTI}
ORGANIZER = Account(username="panitia", role="organizer", juror_id=None, display_name="Panitia")


def sheet(code: str, juror: str, *criteria: str) -> dict[tuple[str, str, str], float]:
    return {(code, juror, name): 80.0 for name in criteria or [c for c, _, _ in CRITERIA]}


def split_edition(engine: Engine) -> dict[str, Any]:
    """Ruang Eboni (A, B) and Ruang Meranti (C, D): E1 scored by A only, E3 half-scored by C,
    E2 complete, E4 not started, E5 withdrawn (C had scored it)."""
    scores = sheet("E1", "Juri A") | sheet("E3", "Juri C", "Kebaruan") | sheet("E2", "Juri A") | sheet("E2", "Juri B")
    scores |= sheet("E5", "Juri C")
    ids = make_edition(
        engine,
        year=YEAR,
        criteria=CRITERIA,
        jurors=JURORS,
        entries=[(code, f"Inovasi {code}", f"Unit {code}") for code in ROOMS],
        scores=scores,
    )
    seat_sessions(
        engine,
        ids,
        sessions=ROOMS,
        panels={EBONI: ("Juri A", "Juri B"), MERANTI: ("Juri C", "Juri D")},
        entry_status={"E5": "withdrawn"},
    )
    return ids


def test_progress_groups_rooms_and_waits_only_for_each_sheets_own_jurors(engine: Engine) -> None:
    ids = split_edition(engine)
    state = progress.progress(queries.load_edition(engine, YEAR))
    by_name = {juror_id: name for name, juror_id in ids["jurors"].items()}
    grid = state.grid.rename(columns=by_name).set_index("code")

    assert grid.index.tolist() == ["E1", "E2", "E3", "E4", "E5"]  # Eboni's block, then Meranti's
    assert grid.loc["E1", "Juri C"] == scoring.SHEET_UNASSIGNED  # C sits in the other room
    assert grid.loc["E1", "Juri B"] == scoring.SHEET_MISSING
    assert grid.loc["E4", "Juri A"] == scoring.SHEET_UNASSIGNED and grid.loc["E4", "Juri D"] == scoring.SHEET_MISSING
    assert grid.loc["E5", ["Juri C", "Juri D", "Juri A"]].tolist() == ["withdrawn", "withdrawn", "unassigned"]

    waiting = state.waiting.set_index("code")["waiting_for"].to_dict()
    assert waiting == {"E1": "Juri B", "E3": "Juri C, Juri D"}  # never A/B on Meranti's entries, never E5

    by_juror = state.by_juror.set_index("juror")
    assert by_juror.loc["Juri C", ["expected", "done", "partial", "missing", "unassigned"]].tolist() == [2, 0, 1, 1, 2]
    assert by_juror.loc["Juri A", ["expected", "done", "missing"]].tolist() == [2, 2, 0]

    sessions = state.by_session.set_index("room")
    assert sessions.loc[
        "Ruang Eboni", ["jurors", "entries", "left", "expected", "done", "complete_entries"]
    ].tolist() == [
        "Juri A, Juri B",
        2,
        0,
        4,
        3,
        1,
    ]
    assert sessions.loc["Ruang Meranti", ["jurors", "entries", "left", "expected", "done"]].tolist() == [
        "Juri C, Juri D",
        2,
        1,
        4,
        0,
    ]


def test_every_cell_status_has_its_own_symbol() -> None:
    symbols = live_progress.GRID_SYMBOLS
    assert set(symbols) == set(progress.CELL_STATUSES)
    assert len(set(symbols.values())) == len(symbols)  # "·" unassigned is never read as "–" missing


@pytest.fixture
def live_split(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    ids = split_edition(engine)
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    return ids


def test_the_live_grid_shows_not_assigned_apart_from_missing_per_room(live_split: dict[str, Any]) -> None:
    at = AppTest.from_file(LIVE, default_timeout=60)
    at.session_state["edition"] = YEAR
    at.session_state["lang"] = "id"
    at.session_state["user"] = ORGANIZER
    at.run()
    assert not at.exception, at.exception
    grid = next(frame.value for frame in at.dataframe if "Juri C" in frame.value.columns).set_index("code")
    assert grid.loc["E1", "Juri C"] == "·" and grid.loc["E1", "Juri B"] == "–" and grid.loc["E1", "Juri A"] == "✓"
    assert grid.loc["E5", "Juri C"] == "✕" and grid.loc["E5", "entry_status"] == "Mengundurkan diri"
    assert grid["session"].tolist() == ["Hari 1 · Ruang Eboni"] * 2 + ["Hari 1 · Ruang Meranti"] * 3
    assert any("· tidak ditugaskan" in caption.value for caption in at.caption)

    waiting = next(frame.value for frame in at.dataframe if "waiting_for" in frame.value.columns)
    assert waiting.set_index("code")["waiting_for"].to_dict() == {"E1": "Juri B", "E3": "Juri C, Juri D"}
    sessions = next(frame.value for frame in at.dataframe if "left" in frame.value.columns).set_index("session")
    assert sessions.loc["Hari 1 · Ruang Meranti", ["jurors", "sheets", "left"]].tolist() == [
        "Juri C, Juri D",
        "0 / 4",
        1,
    ]
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Lembar nilai lengkap"] == "3 / 8"  # only the sheets the rooms' own jurors owe
    assert metrics["Inovasi lengkap"] == "1 / 4"  # the withdrawn E5 is not counted as an entry to finish


@pytest.mark.parametrize(("entries", "jurors"), [(["E1"], []), ([], ["A"]), ([], [])])
def test_an_edition_without_entries_or_jurors_yet_has_nothing_to_wait_for(
    entries: list[str], jurors: list[str]
) -> None:
    state = progress.progress(make_data(ONE, jurors, entries, {}))
    assert state.waiting.empty
    assert int(state.by_juror["expected"].sum()) == 0
    assert len(state.grid) == len(entries)


def test_sessions_are_named_by_day_and_room_even_when_the_schedule_is_incomplete() -> None:
    assert live_progress.session_label(2.0, "Ruang Eboni") == "Hari 2 · Ruang Eboni"  # a day column with gaps is float
    assert live_progress.session_label(2.0, None) == "Hari 2"
    assert live_progress.session_label(float("nan"), None) == "Belum dijadwalkan"
