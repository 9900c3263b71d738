"""Split panels: who is expected on each entry, completeness per panel, and the adjusted score."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pytest

from kipp import adjustment, progress, scoring, sheets
from kipp.adjustment import DisconnectedPanels
from kipp.scoring import EditionData
from tests.test_scoring import ONE, make_data, totals_sheets

JURORS = ["A", "B", "C", "D"]


def with_sessions(
    data: EditionData,
    sessions: dict[str, tuple[int, str]],
    panels: Mapping[tuple[int, str], Sequence[str]] | None = None,
    assignments: Mapping[str, Sequence[str]] | None = None,
) -> EditionData:
    """The edition with each entry's (day, room), session panels {(day, room): juror names}
    and explicit assignments {code: juror names} ("AB" for jurors A and B)."""
    entries = data.entries.assign(
        day=data.entries["code"].map(lambda code: sessions[code][0]),
        room=data.entries["code"].map(lambda code: sessions[code][1]),
    )
    panel_rows = [(day, room, f"j-{j}") for (day, room), jurors in (panels or {}).items() for j in jurors]
    assignment_rows = [(f"id-{code}", f"j-{j}") for code, jurors in (assignments or {}).items() for j in jurors]
    return dataclasses.replace(
        data,
        entries=entries,
        panels=pd.DataFrame(panel_rows, columns=["day", "room", "juror_id"]),
        assignments=pd.DataFrame(assignment_rows, columns=["entry_id", "juror_id"]),
    )


SESSIONS = {
    "E1": (1, "Ruang Pinus"),
    "E2": (2, "Ruang Eboni"),
    "E3": (2, "Ruang Meranti"),
    "E4": (2, "Ruang Eboni"),
    "E5": (3, "Aula"),
}
PANELS = {(2, "Ruang Eboni"): "AB", (2, "Ruang Meranti"): "CD"}


def expected_by_code(data: EditionData) -> dict[str, tuple[str, str]]:
    expected = scoring.expected_jurors(data)
    expected["code"] = expected["entry_id"].str.removeprefix("id-")
    grouped = expected.groupby("code")
    return {
        code: ("".join(j.removeprefix("j-") for j in group["juror_id"]), group["source"].iloc[0])
        for code, group in grouped
    }


def test_expected_jurors_come_from_assignments_then_the_session_panel_then_the_edition() -> None:
    data = make_data(ONE, JURORS, list(SESSIONS), {}, recusals=[("E2", "B"), ("E5", "D")])
    data = with_sessions(data, SESSIONS, PANELS, assignments={"E4": "ACZ"})  # Z is not on the panel
    assert expected_by_code(data) == {
        "E1": ("ABCD", scoring.FROM_EDITION),  # day 1 has no session panel: the whole panel
        "E2": ("A", scoring.FROM_SESSION),  # Ruang Eboni's panel, B recused
        "E3": ("CD", scoring.FROM_SESSION),
        "E4": ("AC", scoring.FROM_ASSIGNMENT),  # its own jurors override the session
        "E5": ("ABC", scoring.FROM_EDITION),  # recused jurors are not expected
    }


def test_without_assignments_or_panels_every_juror_is_expected_on_every_entry() -> None:
    data = make_data(ONE, JURORS, ["E1", "E2"], {}, recusals=[("E1", "A")])
    assert expected_by_code(data) == {"E1": ("BCD", scoring.FROM_EDITION), "E2": ("ABCD", scoring.FROM_EDITION)}
    assert scoring.panels_differ(data)  # the recusal leaves E1 without A
    assert not scoring.panels_differ(make_data(ONE, JURORS, ["E1", "E2"], {}))


def test_an_entry_is_complete_when_its_own_jurors_have_scored() -> None:
    scores = totals_sheets(
        {"E1": [70, 80, 90, 60], "E2": [70, 99, None, None], "E3": [10, None, 60, None], "E4": [None] * 4}, JURORS
    )
    scores[("E5", "A", "Nilai")] = 50
    data = make_data(ONE, JURORS, list(SESSIONS), scores, recusals=[("E2", "B")])
    data = with_sessions(data, SESSIONS, PANELS)
    assert scoring.panels_differ(data)

    status = scoring.sheet_status(data).assign(code=lambda s: s["entry_id"].str.removeprefix("id-"))
    status = status.set_index(["code", "juror_id"])
    assert status.loc[("E2", "j-B"), "status"] == scoring.SHEET_RECUSED
    assert status.loc[("E2", "j-C"), "status"] == scoring.SHEET_UNASSIGNED  # never "missing"
    assert status.loc[("E3", "j-A"), ["status", "cells"]].tolist() == [scoring.SHEET_UNASSIGNED, 0]
    assert status.loc[("E3", "j-D"), "status"] == scoring.SHEET_MISSING
    assert status.loc[("E5", "j-B"), "status"] == scoring.SHEET_MISSING  # no session panel: everyone

    board = scoring.leaderboard(data).set_index("code")
    assert board.loc["E1", ["jurors", "panel", "complete"]].tolist() == [4, 4, True]
    assert board.loc["E2", ["jurors", "panel", "complete", "score"]].tolist() == [1, 1, True, 70.0]  # B's 99 ignored
    assert board.loc["E3", ["jurors", "panel", "complete", "score"]].tolist() == [1, 2, False, 60.0]  # A's 10 ignored
    assert board.loc["E5", ["jurors", "panel", "complete"]].tolist() == [1, 4, False]

    state = progress.progress(data)
    by_juror = state.by_juror.set_index("juror")
    assert by_juror.loc["A", ["done", "missing", "unassigned", "expected"]].tolist() == [3, 1, 1, 4]
    assert by_juror.loc["C", ["done", "missing", "unassigned", "expected"]].tolist() == [2, 1, 2, 3]
    sessions = state.by_session.set_index("room")
    assert sessions.loc["Ruang Eboni", ["entries", "expected", "done", "complete_entries"]].tolist() == [2, 3, 1, 1]
    assert state.waiting.set_index("code")["waiting_for"].to_dict() == {"E3": "D", "E5": "B, C, D"}

    queue = sheets.juror_queue(data, "j-A")
    assert queue["code"].tolist() == ["E1", "E2", "E4", "E5"]  # not E3: A does not sit in Ruang Meranti
    assert sheets.provisional_entries(data) == ["E3", "E4", "E5"]
    why = progress.explain(data, scoring.leaderboard(data), "id-E3")
    assert why.sheets.set_index("juror")["status"].to_dict() == {
        "A": scoring.SHEET_UNASSIGNED,
        "B": scoring.SHEET_UNASSIGNED,
        "C": scoring.SHEET_DONE,
        "D": scoring.SHEET_MISSING,
    }


# Two parallel rooms linked by juror B: A is 6 points lenient, C 6 points strict.
QUALITY = {"E1": 80.0, "E2": 70.0, "E3": 75.0, "E4": 65.0}
LINKED = {"E1": (2, "Ruang Eboni"), "E2": (2, "Ruang Eboni"), "E3": (2, "Ruang Meranti"), "E4": (2, "Ruang Meranti")}


def linked_rooms(tiers: list[dict[str, object]] | None = None) -> EditionData:
    bias = {"A": 6.0, "B": 0.0, "C": -6.0}
    rooms = {"Ruang Eboni": "AB", "Ruang Meranti": "BC"}
    scores = {(code, j, "Nilai"): QUALITY[code] + bias[j] for code, (_, room) in LINKED.items() for j in rooms[room]}
    data = make_data(ONE, ["A", "B", "C"], list(LINKED), scores, tiers=tiers or scoring.DEFAULT_TIERS)
    return with_sessions(data, LINKED, {(2, room): jurors for room, jurors in rooms.items()})


def test_adjusted_removes_the_lenience_of_a_room() -> None:
    data = linked_rooms()
    mean = scoring.leaderboard(data, "mean").set_index("code")
    adjusted = scoring.leaderboard(data, "adjusted").set_index("code")
    assert mean["score"].to_dict() == {"E1": 83.0, "E2": 73.0, "E3": 72.0, "E4": 62.0}
    assert adjusted["score"].to_dict() == QUALITY
    assert adjusted["rank"].to_dict() == {"E1": 1, "E3": 2, "E2": 3, "E4": 4}
    assert adjusted["complete"].all()


def test_award_changes_lists_who_gains_loses_or_changes_award() -> None:
    data = linked_rooms(tiers=[{"name": "Juara", "size": 1}, {"name": "Favorit", "size": 1}])
    changes = adjustment.award_changes(scoring.leaderboard(data, "mean"), scoring.leaderboard(data, "adjusted"))
    assert changes[["code", "award_before", "award_after", "change"]].fillna("-").values.tolist() == [
        ["E3", "-", "Favorit", adjustment.GAINED],
        ["E2", "Favorit", "-", adjustment.LOST],
    ]
    data = linked_rooms(tiers=[{"name": "Juara", "size": 1}, {"name": "Favorit", "size": 2, "numbered": True}])
    changes = adjustment.award_changes(scoring.leaderboard(data, "mean"), scoring.leaderboard(data, "adjusted"))
    assert changes[["code", "rank_before", "rank_after", "award_before", "award_after", "change"]].values.tolist() == [
        ["E3", 3, 2, "Favorit 2", "Favorit 1", adjustment.CHANGED],
        ["E2", 2, 3, "Favorit 1", "Favorit 2", adjustment.CHANGED],
    ]
    same = scoring.leaderboard(data, "mean")
    assert adjustment.award_changes(same, same).empty


def test_disconnected_rooms_are_named_with_their_jurors_and_entries() -> None:
    rooms = {"Ruang Eboni": ["Juri A", "Juri B"], "Ruang Meranti": ["Juri C", "Juri D"]}
    sessions = {"E1": (2, "Ruang Eboni"), "E2": (2, "Ruang Eboni"), "E3": (2, "Ruang Meranti")}
    scores = {(code, j, "Nilai"): 70.0 for code, (_, room) in sessions.items() for j in rooms[room]}
    data = make_data(ONE, [*rooms["Ruang Eboni"], *rooms["Ruang Meranti"]], list(sessions), scores)
    data = with_sessions(data, sessions, {(2, room): jurors for room, jurors in rooms.items()})
    with pytest.raises(DisconnectedPanels) as raised:
        scoring.leaderboard(data, "adjusted")
    message = str(raised.value)
    assert message.startswith(
        "Ruang Eboni (Juri A, Juri B; 2 entries) and Ruang Meranti (Juri C, Juri D; 1 entries) share no juror"
    )
    assert "common entry" in message
    assert [group.jurors for group in raised.value.groups] == [("Juri A", "Juri B"), ("Juri C", "Juri D")]
    assert scoring.leaderboard(data, "mean")["complete"].all()  # the other methods still rank
    assert scoring.available_methods(data) == ("mean", "median", "trimmed", "zscore")
    assert list(scoring.compare_methods(data).filter(like="rank_")) == [
        "rank_mean",
        "rank_median",
        "rank_trimmed",
        "rank_zscore",
    ]
    assert scoring.available_methods(linked_rooms()) == scoring.METHODS


@pytest.mark.parametrize("seed", range(5))
def test_adjusted_equals_the_mean_when_every_juror_scores_every_entry(seed: int) -> None:
    rng = np.random.default_rng(seed)
    criteria = (("Kebaruan", 3.0, 10.0), ("Manfaat", 2.0, 20.0), ("Replikasi", 1.0, 100.0))
    codes = [f"E{e}" for e in range(14)]
    scores = {
        (code, juror, name): float(rng.integers(0, int(maximum) + 1))
        for code in codes
        for juror in JURORS
        for name, _, maximum in criteria
    }
    data = make_data(criteria, JURORS, codes, scores)
    columns = ["code", "rank", "score", "tiebreak", "jurors", "complete", "award"]
    mean = scoring.leaderboard(data, "mean")[columns]
    adjusted = scoring.leaderboard(data, "adjusted")[columns]
    pd.testing.assert_frame_equal(mean, adjusted)
    totals = scoring.juror_totals(data)
    np.testing.assert_allclose(scoring.aggregate(totals, "adjusted"), scoring.aggregate(totals, "mean"), atol=1e-9)
