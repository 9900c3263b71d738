"""The simulator drips realistic sheets in, in schedule order, through the juror write path."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import Engine, select, update

from kipp import cli, queries, scoring, simulate
from kipp.models import AuditLog, Edition, EditionStatus, Entry
from tests.factories import make_edition
from tests.test_scoring import make_data

CRITERIA = (("Kebaruan", 1, 10), ("Efektif", 2, 20), ("Bermanfaat", 1, 100))


def schedule_data() -> scoring.EditionData:
    """Four entries over two days and two rooms; A has finished E2, B saved E2 half-way, C is recused from E3."""
    data = make_data(
        CRITERIA,
        ["A", "B", "C"],
        ["E1", "E2", "E3", "E4"],
        {
            ("E2", "A", "Kebaruan"): 8,
            ("E2", "A", "Efektif"): 15,
            ("E2", "A", "Bermanfaat"): 70,
            ("E2", "B", "Kebaruan"): 7,
        },
        recusals=[("E3", "C")],
    )
    schedule = pd.DataFrame(
        {"day": [2, 1, 1, 1], "room": ["Ruang 1", "Ruang 2", "Ruang 1", "Ruang 1"], "slot": [1, 1, 1, 2]}
    )
    entries = pd.concat([data.entries.drop(columns=["day", "room", "slot"]), schedule], axis=1)
    return scoring.EditionData(entries, data.criteria, data.panel, data.scores, data.recusals, data.tiers)


def test_plan_follows_the_schedule_and_only_fills_what_is_missing() -> None:
    data = schedule_data()
    plan = simulate.plan(data, seed=1)
    entries = dict(zip(data.entries["entry_id"], data.entries["code"], strict=True))
    order = list(dict.fromkeys(entries[s.entry_id] for s in plan))
    assert order == ["E3", "E2", "E4", "E1"]  # day 1 slot 1 (rooms 1, 2), day 1 slot 2, then day 2
    completed = Counter((entries[s.entry_id], s.juror_id) for s in plan if s.completes)
    expected = {(code, f"j-{j}") for code in ("E1", "E3", "E4") for j in "ABC"} - {("E3", "j-C")}
    assert set(completed) == expected | {("E2", "j-B"), ("E2", "j-C")}
    assert all(count == 1 for count in completed.values())
    finishing_b = [s.values for s in plan if (entries[s.entry_id], s.juror_id) == ("E2", "j-B")]
    assert set().union(*finishing_b) == {"c-Efektif", "c-Bermanfaat"}  # Kebaruan is kept as saved
    maxima = dict(zip(data.criteria["criterion_id"], data.criteria["max_score"], strict=True))
    assert all(0 <= v <= maxima[c] and v == int(v) for s in plan for c, v in s.values.items())
    assert all(s.delay >= 0 for s in plan)
    assert simulate.plan(data, seed=1) == plan and simulate.plan(data, seed=2) != plan


def test_plan_fills_only_the_sheets_of_each_entrys_own_jurors() -> None:
    base = schedule_data()
    panels = pd.DataFrame(
        [(1, "Ruang 1", j) for j in ("j-A", "j-B", "j-C")]
        + [(1, "Ruang 2", "j-A"), (1, "Ruang 2", "j-B")]
        + [(2, "Ruang 1", "j-C")],
        columns=["day", "room", "juror_id"],
    )
    assignments = pd.DataFrame({"entry_id": ["id-E4"], "juror_id": ["j-A"]})  # E4's own juror overrides its room
    data = replace(base, panels=panels, assignments=assignments)
    plan = simulate.plan(data, seed=3)
    entries = dict(zip(data.entries["entry_id"], data.entries["code"], strict=True))
    planned = {(entries[s.entry_id], s.juror_id) for s in plan}
    completed = Counter((entries[s.entry_id], s.juror_id) for s in plan if s.completes)
    # E1 day 2 (C alone), E2 Ruang 2 (A done already, B half-way), E3 Ruang 1 (C recused), E4 its assignment.
    assert set(completed) == {("E1", "j-C"), ("E2", "j-B"), ("E3", "j-A"), ("E3", "j-B"), ("E4", "j-A")}
    assert all(count == 1 for count in completed.values()) and planned == set(completed)
    expected = scoring.expected_jurors(data).merge(scoring.sheet_status(data), on=["entry_id", "juror_id"])
    awaited = expected.loc[expected["status"] != scoring.SHEET_DONE]
    assert {(entries[e], j) for e, j in zip(awaited["entry_id"], awaited["juror_id"], strict=True)} == planned


def test_seat_sessions_splits_parallel_rooms_and_keeps_a_single_room_whole() -> None:
    panel = pd.DataFrame({"juror_id": [11, 12, 13, 14], "seat": [1, 2, 3, 4]})
    entries = pd.DataFrame(
        {"day": [1, 1, 2, 2, 2], "room": ["Ruang Pinus", "Ruang Pinus", "Ruang Meranti", "Ruang Eboni", None]}
    )
    seats = simulate.seat_sessions(entries, panel)
    by_room = seats.groupby(["day", "room"])["juror_id"].apply(list).to_dict()
    assert by_room == {
        (1, "Ruang Pinus"): [11, 12, 13, 14],
        (2, "Ruang Eboni"): [11, 12],
        (2, "Ruang Meranti"): [13, 14],
    }
    one_room_a_day = entries.assign(room="Ruang Pinus")
    assert simulate.seat_sessions(one_room_a_day, panel).empty  # nothing to split: the whole panel everywhere


def test_some_sheets_are_saved_in_part_before_they_are_completed() -> None:
    plan = simulate.plan(make_data(CRITERIA, ["A", "B", "C"], [f"E{i}" for i in range(40)], {}), seed=7)
    partial = [s for s in plan if not s.completes]
    assert partial, "a realistic day has jurors saving half a sheet"
    for first in partial:
        rest = next(
            s for s in plan[plan.index(first) + 1 :] if (s.entry_id, s.juror_id) == (first.entry_id, first.juror_id)
        )
        assert rest.completes and set(first.values).isdisjoint(rest.values)


def test_simulate_creates_an_edition_and_writes_sheets_as_jurors(engine: Engine) -> None:
    waits: list[float] = []
    lines: list[str] = []
    done = simulate.simulate(engine, 2031, speed=60, limit=6, sleep=waits.append, report=lines.append)
    assert done == 6
    data = queries.load_edition(engine, 2031)
    assert (len(data.entries), len(data.panel), len(data.criteria)) == (50, 4, 5)
    status = scoring.sheet_status(data)
    assert (status["status"] == scoring.SHEET_DONE).sum() == 6
    first_slot = data.entries.sort_values(["day", "slot", "room"]).iloc[0]["entry_id"]
    assert set(status.loc[status["status"] == scoring.SHEET_DONE, "entry_id"]) >= {first_slot}
    with engine.connect() as connection:
        edition = connection.execute(select(Edition.status, Edition.is_demo, Edition.data_version)).one()
        actors = set(connection.execute(select(AuditLog.actor).where(AuditLog.action == "score.create")).scalars())
    assert edition.status == EditionStatus.scoring.value and edition.is_demo and edition.data_version >= 6
    assert actors == {"simulate"}
    assert lines[0].startswith("Created edition 2031") and lines[-1] == "Done: 6 sheets completed in edition 2031."
    assert re.match(r"\[[01]/6\] day 1 · Ruang Pinus · slot 1 · K31-001 .+ — .+: ", lines[2])
    real_time: list[float] = []  # the same day at speed 1 waits 60 times longer
    simulate.simulate(engine, 2033, speed=1, limit=6, sleep=real_time.append, report=lambda _: None)
    assert real_time == pytest.approx([60 * wait for wait in waits])
    assert 0 < sum(real_time) < 6 * simulate.SLOT_SECONDS

    again = simulate.simulate(engine, 2031, speed=1e9, limit=4, sleep=lambda _: None, report=lambda _: None)
    assert again == 4
    status = scoring.sheet_status(queries.load_edition(engine, 2031))
    assert (status["status"] == scoring.SHEET_DONE).sum() == 10  # resumed, nothing overwritten


def test_a_simulated_day_has_split_panels_and_only_seated_jurors_score(engine: Engine) -> None:
    done = simulate.simulate(engine, 2034, speed=1e9, sleep=lambda _: None, report=lambda _: None)
    data = queries.load_edition(engine, 2034)
    seats = data.panels.groupby(["day", "room"])["juror_id"].apply(frozenset)
    assert [len(jurors) for jurors in seats] == [4, 2, 2]  # day 1 the whole panel, day 2 two rooms of two
    assert sorted(seats.index.get_level_values("room")) == ["Ruang Eboni", "Ruang Meranti", "Ruang Pinus"]
    expected = scoring.expected_jurors(data)
    sheets = data.scores[["entry_id", "juror_id"]].drop_duplicates()
    pairs = sheets.merge(expected, on=["entry_id", "juror_id"], how="outer", indicator=True)
    assert (pairs["_merge"] == "both").all()  # no sheet from an unassigned juror, none missing
    assert done == len(expected) < 4 * len(data.entries)
    board = scoring.leaderboard(data, "adjusted")  # the shared day-1 room connects the two day-2 rooms
    assert board["complete"].all() and board["rank"].notna().all()


def test_an_unseated_edition_with_parallel_rooms_is_seated_before_scoring(engine: Engine) -> None:
    ids = make_edition(
        engine,
        year=2035,
        jurors=("Juri A", "Juri B", "Juri C", "Juri D"),
        entries=[(f"E{i}", f"Inovasi {i}", "SMPN 1 Malang") for i in range(1, 5)],
    )
    rooms = {"E1": (1, "Ruang Pinus"), "E2": (1, "Ruang Pinus"), "E3": (2, "Ruang Eboni"), "E4": (2, "Ruang Meranti")}
    with engine.begin() as connection:
        for code, (day, room) in rooms.items():
            connection.execute(update(Entry).where(Entry.id == ids["entries"][code]).values(day=day, room=room))
    lines: list[str] = []
    assert simulate.simulate(engine, 2035, speed=1e9, sleep=lambda _: None, report=lines.append) == 4 + 4 + 2 + 2
    assert "Seated the jurors in 3 sessions" in lines[0]
    data = queries.load_edition(engine, 2035)
    names = dict(zip(data.panel["juror_id"], data.panel["juror"], strict=True))
    jurors_by_code = (
        data.scores.merge(data.entries[["entry_id", "code"]])
        .groupby("code")["juror_id"]
        .apply(lambda ids: sorted({names[i] for i in ids}))
        .to_dict()
    )
    assert jurors_by_code == {
        "E1": ["Juri A", "Juri B", "Juri C", "Juri D"],
        "E2": ["Juri A", "Juri B", "Juri C", "Juri D"],
        "E3": ["Juri A", "Juri B"],
        "E4": ["Juri C", "Juri D"],
    }
    with engine.connect() as connection:
        seated = connection.execute(select(AuditLog.actor, AuditLog.reason).where(AuditLog.action == "panel.session"))
        assert seated.all() == [("simulate", "simulation")] * 3  # day 1's room, then day 2's two rooms


def test_simulate_runs_a_small_edition_to_the_end(engine: Engine) -> None:
    make_edition(
        engine,
        year=2032,
        status=EditionStatus.draft.value,
        entries=[("E1", "Satu", "SMPN 1 Malang"), ("E2", "Dua", "Bappeda")],
    )
    lines: list[str] = []
    assert simulate.simulate(engine, 2032, speed=1e9, sleep=lambda _: None, report=lines.append) == 4
    assert lines[0] == "Edition 2032 was a draft: opened for scoring."
    board = scoring.leaderboard(queries.load_edition(engine, 2032))
    assert board["complete"].all() and board["score"].between(0, 100).all()
    assert simulate.simulate(engine, 2032, sleep=lambda _: None, report=lines.append) == 0
    assert "nothing to do" in lines[-1]


def test_a_published_edition_is_refused_with_what_to_do(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    make_edition(engine, year=2023, status=EditionStatus.published.value)
    url = engine.url.render_as_string(hide_password=False)
    assert cli.main(["simulate", "--edition", "2023", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "Edition 2023 is published" in err and "Simulate another year" in err
    assert cli.main(["simulate", "--edition", "2023", "--speed", "0", "--db", url]) == 1
    assert "--speed must be a positive number" in capsys.readouterr().err
