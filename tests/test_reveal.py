"""The ceremony reveal's steps (pure): the order of the announcements and the refusal of provisional results."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kipp import reveal, scoring
from tests.test_scoring import ONE, make_data, totals_sheets

JURORS = ["A", "B"]


def board(totals: dict[str, list[float | None]]) -> pd.DataFrame:
    """The mean leaderboard of an edition whose entries got these juror totals (None: no sheet yet)."""
    data = make_data(ONE, JURORS, list(totals), totals_sheets(totals, JURORS))
    return scoring.leaderboard(data)


def twelve() -> pd.DataFrame:
    """E1 scores 99, E2 98 … E12 88: ranks in code order, every sheet in."""
    return board({f"E{i}": [100.0 - i, 100.0 - i] for i in range(1, 13)})


def test_the_awards_are_revealed_from_favorit_up_to_juara_1_then_the_top_ten() -> None:
    steps = reveal.steps(twelve(), "locked")
    singles = [step.entries.iloc[0] for step in steps[:-1]]
    assert [row["award"] for row in singles] == [
        *["Favorit"] * 4,
        *["Terbaik"] * 3,
        "Juara 3",
        "Juara 2",
        "Juara 1",
    ]
    assert [row["code"] for row in singles] == [f"E{i}" for i in range(10, 0, -1)]
    assert all(len(step.entries) == 1 and not step.whole for step in steps[:-1])
    last = steps[-1]
    assert last.whole and last.entries["code"].tolist() == [f"E{i}" for i in range(1, 11)]  # E11, E12 stay out


def test_a_published_edition_reveals_the_same_steps() -> None:
    assert len(reveal.steps(twelve(), "published")) == 11


@pytest.mark.parametrize("status", ["draft", "scoring"])
def test_provisional_awards_are_never_revealed(status: str) -> None:
    with pytest.raises(reveal.ProvisionalBoard) as refused:
        reveal.steps(twelve(), status)
    assert refused.value.reason == reveal.NOT_FINAL


def test_an_incomplete_entry_in_the_top_ten_stops_the_ceremony_and_is_named() -> None:
    totals: dict[str, list[float | None]] = {f"E{i}": [100.0 - i, 100.0 - i] for i in range(1, 10)}
    totals["P1"] = [99.5, None]  # one sheet of two: unranked, the tenth row of the board
    with pytest.raises(reveal.ProvisionalBoard) as refused:
        reveal.steps(board(totals), "locked")
    assert refused.value.reason == reveal.INCOMPLETE and refused.value.codes == ("P1",)


def test_an_incomplete_entry_outside_the_top_ten_does_not_stop_it() -> None:
    totals: dict[str, list[float | None]] = {f"E{i}": [100.0 - i, 100.0 - i] for i in range(1, 11)}
    totals["P1"] = [50.0, None]
    assert len(reveal.steps(board(totals), "locked")) == 11


def test_the_step_stays_between_the_title_card_and_the_last_step() -> None:
    assert [reveal.clamp(step, 11) for step in (-1, 0, 5, 11, 12)] == [0, 0, 5, 11, 11]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=40, max_value=100), min_size=1, max_size=16))
def test_every_award_is_revealed_once_and_never_before_a_lower_one(scores: list[int]) -> None:
    ranked = board({f"E{i:02d}": [float(score), float(score)] for i, score in enumerate(scores)})
    steps = reveal.steps(ranked, "locked")
    singles = pd.concat([step.entries for step in steps[:-1]], ignore_index=True)
    awarded = ranked[ranked["award"].notna()]
    assert sorted(singles["code"]) == sorted(awarded["code"])  # each award once
    ranks = singles["rank"].astype(int).tolist()
    assert ranks == sorted(ranks, reverse=True)  # from the lowest award up: Juara 1 last
    assert steps[-1].whole and steps[-1].entries["code"].tolist() == ranked["code"].head(10).tolist()
