"""Scoring against hand-worked examples (docs/scoring.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kipp import progress, scoring
from kipp.scoring import EditionData

Criteria = Sequence[tuple[str, float, float]]


def make_data(
    criteria: Criteria,
    jurors: Sequence[str],
    entries: Sequence[str],
    scores: Mapping[tuple[str, str, str], float],
    recusals: Sequence[tuple[str, str]] = (),
    tiers: Sequence[dict[str, Any]] = scoring.DEFAULT_TIERS,
) -> EditionData:
    """An edition as frames: criteria (name, weight, max), juror names, entry codes, scores by names."""
    entry_frame = pd.DataFrame(
        {
            "entry_id": [f"id-{code}" for code in entries],
            "code": list(entries),
            "title": [f"Inovasi {code}" for code in entries],
            "institution": "SMPN 1 Malang",
            "institution_type": "sekolah",
            "category": None,
            "day": [1 + i % 2 for i in range(len(entries))],
            "room": "Ruang 1",
            "slot": [1 + i // 2 for i in range(len(entries))],
        }
    )
    criteria_frame = pd.DataFrame(
        {
            "criterion_id": [f"c-{name}" for name, _, _ in criteria],
            "name": [name for name, _, _ in criteria],
            "weight": [weight for _, weight, _ in criteria],
            "max_score": [maximum for _, _, maximum in criteria],
            "position": range(len(criteria)),
        }
    )
    panel = pd.DataFrame(
        {"juror_id": [f"j-{n}" for n in jurors], "juror": list(jurors), "seat": range(1, len(jurors) + 1)}
    )
    score_frame = pd.DataFrame(
        [(f"id-{e}", f"j-{j}", f"c-{c}", float(v)) for (e, j, c), v in scores.items()],
        columns=["entry_id", "juror_id", "criterion_id", "value"],
    )
    recusal_frame = pd.DataFrame([(f"id-{e}", f"j-{j}") for e, j in recusals], columns=["entry_id", "juror_id"])
    return EditionData(entry_frame, criteria_frame, panel, score_frame, recusal_frame, tiers)


ONE = (("Nilai", 1.0, 100.0),)


def totals_sheets(
    totals: Mapping[str, Sequence[float | None]], jurors: Sequence[str]
) -> dict[tuple[str, str, str], float]:
    """Single-criterion scores so that each juror total equals the given value (None = no sheet)."""
    return {
        (code, juror, "Nilai"): value
        for code, values in totals.items()
        for juror, value in zip(jurors, values, strict=True)
        if value is not None
    }


def by_code(board: pd.DataFrame, column: str) -> dict[str, Any]:
    return dict(zip(board["code"], board[column], strict=True))


def test_unequal_weights_and_maxima() -> None:
    # Kebaruan weight 3 out of 10, Efektif weight 1 out of 5.
    # A/E1: 100·(3·8/10 + 1·4/5)/4 = 80;   B/E1: 100·(3·6/10 + 1·5/5)/4 = 70   -> 75
    # A/E2: 100·(3·10/10 + 1·0/5)/4 = 75;  B/E2: 100·(3·5/10 + 1·5/5)/4 = 62.5 -> 68.75
    data = make_data(
        (("Kebaruan", 3, 10), ("Efektif", 1, 5)),
        ["A", "B"],
        ["E1", "E2"],
        {
            ("E1", "A", "Kebaruan"): 8,
            ("E1", "A", "Efektif"): 4,
            ("E1", "B", "Kebaruan"): 6,
            ("E1", "B", "Efektif"): 5,
            ("E2", "A", "Kebaruan"): 10,
            ("E2", "A", "Efektif"): 0,
            ("E2", "B", "Kebaruan"): 5,
            ("E2", "B", "Efektif"): 5,
        },
    )
    totals = scoring.juror_totals(data).set_index(["entry_id", "juror_id"])["total"]
    assert totals[("id-E1", "j-A")] == pytest.approx(80.0)
    assert totals[("id-E2", "j-B")] == pytest.approx(62.5)
    board = scoring.leaderboard(data)
    assert board["code"].tolist() == ["E1", "E2"]
    assert board["score"].tolist() == [75.0, 68.75]
    assert board["rank"].tolist() == [1, 2]
    assert board["complete"].all() and (board["jurors"] == 2).all()


def test_a_juror_missing_one_criterion_is_ignored_and_the_entry_is_provisional() -> None:
    data = make_data(
        (("Kebaruan", 1, 100), ("Efektif", 1, 100)),
        ["A", "B"],
        ["E1", "E2"],
        {
            ("E1", "A", "Kebaruan"): 80,
            ("E1", "A", "Efektif"): 90,
            ("E1", "B", "Kebaruan"): 10,  # B has not scored Efektif yet: the sheet does not count
            ("E2", "A", "Kebaruan"): 70,
            ("E2", "A", "Efektif"): 70,
            ("E2", "B", "Kebaruan"): 70,
            ("E2", "B", "Efektif"): 70,
        },
    )
    board = scoring.leaderboard(data).set_index("code")
    assert board.loc["E1", "score"] == 85.0  # A alone, not (85 + 5) / 2
    assert board.loc["E1", "jurors"] == 1
    assert board.loc["E1", "provisional"] and not board.loc["E1", "complete"]
    assert pd.isna(board.loc["E1", "rank"]) and board.loc["E2", "rank"] == 1  # provisional: not ranked
    assert board.index.tolist() == ["E2", "E1"]  # listed after the complete entry despite its higher score
    assert pd.isna(board.loc["E1", "award"])  # awards go to complete entries only
    assert board.loc["E2", "award"] == "Juara 1"
    status = scoring.sheet_status(data).set_index(["entry_id", "juror_id"])
    assert status.loc[("id-E1", "j-B"), "status"] == scoring.SHEET_PARTIAL
    assert status.loc[("id-E1", "j-B"), "cells"] == 1


def test_a_juror_missing_an_entry() -> None:
    data = make_data(
        ONE, ["A", "B", "C"], ["E1", "E2"], totals_sheets({"E1": [60, 90, None], "E2": [70, 70, 70]}, "ABC")
    )
    board = scoring.leaderboard(data).set_index("code")
    assert board.loc["E1", "score"] == 75.0
    assert board.loc["E1", "jurors"] == 2 and board.loc["E1", "panel"] == 3
    assert board.loc["E1", "provisional"]
    status = scoring.sheet_status(data).set_index(["entry_id", "juror_id"])["status"]
    assert status[("id-E1", "j-C")] == scoring.SHEET_MISSING
    assert status[("id-E2", "j-C")] == scoring.SHEET_DONE


def test_a_recused_juror_is_not_expected_and_does_not_count() -> None:
    scores = totals_sheets({"E1": [80, 80, 20], "E2": [70, 70, 70]}, "ABC")
    data = make_data(ONE, ["A", "B", "C"], ["E1", "E2"], scores, recusals=[("E1", "C")])
    board = scoring.leaderboard(data).set_index("code")
    assert board.loc["E1", "score"] == 80.0  # C's stray sheet on E1 is left out
    assert board.loc["E1", "complete"] and board.loc["E1", "panel"] == 2
    status = scoring.sheet_status(data).set_index(["entry_id", "juror_id"])["status"]
    assert status[("id-E1", "j-C")] == scoring.SHEET_RECUSED


def test_a_tie_is_broken_by_the_highest_weight_criterion() -> None:
    # Efektif (weight 2) is the top criterion.  E1: (90 + 2·70)/3 = 76.67; E2: (70 + 2·80)/3 = 76.67.
    data = make_data(
        (("Kebaruan", 1, 100), ("Efektif", 2, 100)),
        ["A"],
        ["E1", "E2"],
        {
            ("E1", "A", "Kebaruan"): 90,
            ("E1", "A", "Efektif"): 70,
            ("E2", "A", "Kebaruan"): 70,
            ("E2", "A", "Efektif"): 80,
        },
    )
    board = scoring.leaderboard(data)
    assert board["score"].tolist() == [76.67, 76.67]
    assert board["code"].tolist() == ["E2", "E1"]
    assert board["rank"].tolist() == [1, 2]
    assert board["tiebreak"].tolist() == [80.0, 70.0]
    assert board["award"].tolist() == ["Juara 1", "Juara 2"]


def test_equal_weights_break_ties_on_the_first_criterion_in_order() -> None:
    criteria = pd.DataFrame(
        {"criterion_id": [7, 3, 5], "name": ["X", "Y", "Z"], "weight": [2.0, 1.0, 2.0], "position": [0, 1, 2]}
    )
    assert scoring.top_criterion(criteria) == 7
    assert scoring.top_criterion(criteria.iloc[::-1]) == 7


def test_an_unbreakable_tie_shares_a_rank() -> None:
    sheets = totals_sheets({"E1": [90, 90], "E2": [80, 70], "E3": [70, 80], "E4": [60, 60]}, "AB")
    board = scoring.leaderboard(make_data(ONE, ["A", "B"], ["E1", "E2", "E3", "E4"], sheets))
    assert board["rank"].tolist() == [1, 2, 2, 4]
    assert board["code"].tolist() == ["E1", "E2", "E3", "E4"]
    assert board["award"].tolist() == ["Juara 1", "Juara 2", "Juara 2", "Terbaik"]


def test_tiers_at_a_tie_boundary() -> None:
    tiers = [{"name": "Juara", "size": 3, "numbered": True}, {"name": "Terbaik", "size": 2}]
    sheets = totals_sheets({"E1": [95], "E2": [90], "E3": [85], "E4": [85], "E5": [80], "E6": [75], "E7": [99]}, "A")
    sheets.pop(("E7", "A", "Nilai"))
    data = make_data(ONE, ["A"], ["E1", "E2", "E3", "E4", "E5", "E6", "E7"], sheets, tiers=tiers)
    board = scoring.leaderboard(data).set_index("code")
    # E3 and E4 share 3rd place and both are Juara 3; the next entry is 5th, the last Terbaik place.
    assert board["rank"].to_dict() == {"E1": 1, "E2": 2, "E3": 3, "E4": 3, "E5": 5, "E6": 6, "E7": None}
    assert board["award"].fillna("-").tolist()[:6] == ["Juara 1", "Juara 2", "Juara 3", "Juara 3", "Terbaik", "-"]
    assert board["tier"]["E4"] == "Juara" and pd.isna(board["tier"]["E6"])
    assert pd.isna(board.loc["E7", "score"]) and not board.loc["E7", "complete"]


def test_a_provisional_leader_does_not_take_an_award_place() -> None:
    tiers = [{"name": "Juara", "size": 2, "numbered": True}]
    sheets = totals_sheets({"E1": [99, None], "E2": [90, 90], "E3": [80, 80], "E4": [70, 70]}, "AB")
    board = scoring.leaderboard(make_data(ONE, ["A", "B"], ["E1", "E2", "E3", "E4"], sheets, tiers=tiers))
    assert board["code"].tolist() == ["E2", "E3", "E4", "E1"]
    assert board["rank"].tolist()[:3] == [1, 2, 3] and pd.isna(board["rank"].iloc[3])
    assert by_code(board.fillna({"award": "-"}), "award") == {"E1": "-", "E2": "Juara 1", "E3": "Juara 2", "E4": "-"}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("mean", {"E1": 72.0, "E2": 70.0}),  # (40 + 60 + 70 + 90 + 100)/5
        ("median", {"E1": 70.0, "E2": 70.0}),
        ("trimmed", {"E1": 73.33, "E2": 70.0}),  # drop 40 and 100: (60 + 70 + 90)/3; E2 has 3 sheets: mean
    ],
)
def test_each_method_on_a_small_panel(method: scoring.Method, expected: dict[str, float]) -> None:
    sheets = totals_sheets({"E1": [40, 60, 70, 90, 100], "E2": [60, 70, 80, None, None]}, "ABCDE")
    board = scoring.leaderboard(make_data(ONE, list("ABCDE"), ["E1", "E2"], sheets), method)
    assert by_code(board, "score") == expected


def test_zscore_on_a_small_panel() -> None:
    # A: 60 70 80 (mean 70), B: 90 70 80 (mean 80), both sd √(200/3): z_A = -√1.5, 0, √1.5 and z_B = √1.5, -√1.5, 0.
    # Entry z: 0, -√1.5/2, √1.5/2.  All totals: M = 75, S = √(550/6).
    sheets = totals_sheets({"E1": [60, 90], "E2": [70, 70], "E3": [80, 80]}, "AB")
    board = scoring.leaderboard(make_data(ONE, ["A", "B"], ["E1", "E2", "E3"], sheets), "zscore")
    shift = math.sqrt(550 / 6) * math.sqrt(1.5) / 2  # 5.863
    assert by_code(board, "score") == {"E3": round(75 + shift, 2), "E1": 75.0, "E2": round(75 - shift, 2)}
    assert board["rank"].tolist() == [1, 2, 3]


def test_zscore_with_a_juror_whose_scores_never_vary() -> None:
    # Two criteria out of 7.  A gives every entry 6 and 7: total 100·13/14 = 92.857…, the same each time
    # (its computed spread is float noise, 1e-14): z_A = 0, so B alone orders the entries.
    # B: 4+4, 5+5, 6+6 -> 57.14, 71.43, 85.71 -> z_B = -√1.5, 0, √1.5; entry z = z_B / 2.
    criteria = (("Kebaruan", 1, 7), ("Efektif", 1, 7))
    scores = {}
    for code, b in (("E1", 4), ("E2", 5), ("E3", 6)):
        scores |= {(code, "A", "Kebaruan"): 6, (code, "A", "Efektif"): 7}
        scores |= {(code, "B", "Kebaruan"): b, (code, "B", "Efektif"): b}
    board = scoring.leaderboard(make_data(criteria, ["A", "B"], ["E1", "E2", "E3"], scores), "zscore")
    all_totals = np.array([1300 / 14] * 3 + [800 / 14, 1000 / 14, 1200 / 14])
    edition_mean, shift = all_totals.mean(), all_totals.std() * math.sqrt(1.5) / 2
    assert by_code(board, "score") == {
        "E3": round(edition_mean + shift, 2),
        "E2": round(edition_mean, 2),
        "E1": round(edition_mean - shift, 2),
    }


def test_a_juror_alone_under_zscore_gets_the_edition_mean() -> None:
    sheets = totals_sheets({"E1": [80], "E2": [80]}, "A")
    board = scoring.leaderboard(make_data(ONE, ["A"], ["E1", "E2"], sheets), "zscore")
    assert board["score"].tolist() == [80.0, 80.0]
    assert board["rank"].tolist() == [1, 1]


def test_scores_are_compared_as_displayed_with_halves_rounded_up() -> None:
    assert scoring.display_round(np.array([80.125, 80.115, 80.12499999999999, 0.005, np.nan])).tolist()[:4] == [
        80.13,
        80.12,
        80.13,
        0.01,
    ]
    # 80.004 and 80.001 both display 80.00: they tie on score, and the top criterion decides.
    criteria = (("Kebaruan", 1, 100_000), ("Efektif", 1, 100_000))
    scores = {
        ("E1", "A", "Kebaruan"): 80_008,
        ("E1", "A", "Efektif"): 80_000,
        ("E2", "A", "Kebaruan"): 80_000,
        ("E2", "A", "Efektif"): 80_002,
    }
    board = scoring.leaderboard(make_data(criteria, ["A"], ["E1", "E2"], scores))
    assert board["score"].tolist() == [80.0, 80.0]
    assert board["code"].tolist() == ["E1", "E2"]  # Kebaruan is first of the equal weights: 80.008 > 80.0


def test_scores_of_unknown_jurors_entries_and_criteria_never_count() -> None:
    data = make_data(ONE, ["A"], ["E1"], totals_sheets({"E1": [50]}, "A"))
    stray = pd.DataFrame(
        [("id-E1", "j-Z", "c-Nilai", 100.0), ("id-X", "j-A", "c-Nilai", 100.0), ("id-E1", "j-A", "c-Other", 100.0)],
        columns=data.scores.columns,
    )
    polluted = EditionData(data.entries, data.criteria, data.panel, pd.concat([data.scores, stray]))
    assert scoring.leaderboard(polluted)["score"].tolist() == [50.0]
    assert scoring.sheet_status(polluted)["status"].tolist() == [scoring.SHEET_DONE]


def test_an_edition_without_scores_ranks_nobody() -> None:
    board = scoring.leaderboard(make_data(ONE, ["A", "B"], ["E1", "E2"], {}))
    assert board["rank"].isna().all() and board["score"].isna().all()
    assert board["award"].isna().all() and board["provisional"].all()
    assert scoring.leaderboard(make_data(ONE, ["A"], [], {})).empty


def test_unknown_method_is_refused_with_the_choices() -> None:
    data = make_data(ONE, ["A"], ["E1"], {})
    with pytest.raises(ValueError, match="mean, median, trimmed, zscore"):
        scoring.leaderboard(data, "average")  # type: ignore[arg-type]


def test_award_tiers_are_validated_and_winners_numbered_by_default() -> None:
    assert scoring.normalise_tiers([{"name": "Juara", "size": 3}, {"name": "Favorit", "size": 4}]) == [
        {"name": "Juara", "size": 3, "numbered": True},
        {"name": "Favorit", "size": 4, "numbered": False},
    ]
    for bad in ({"name": "", "size": 3}, {"name": "Juara", "size": 0}, {"name": "Juara", "size": 1.5}):
        with pytest.raises(ValueError, match="positive whole size"):
            scoring.normalise_tiers([bad])


def test_competition_rank_on_several_keys() -> None:
    ranks = scoring.competition_rank(np.array([5.0, 7.0, 7.0, np.nan, 7.0]), np.array([1.0, 2.0, 3.0, 1.0, 2.0]))
    assert ranks.tolist()[:3] == [4.0, 2.0, 1.0] and ranks[4] == 2.0 and np.isnan(ranks[3])


def test_compare_methods_names_entries_whose_top_membership_depends_on_the_method() -> None:
    # E2 has one very low juror: out of the top 2 by the mean, inside it by the median and trimmed mean.
    sheets = totals_sheets(
        {"E1": [90, 90, 90, 90], "E2": [88, 88, 88, 20], "E3": [80, 80, 80, 80], "E4": [60, 60, 60, 60]}, "ABCD"
    )
    comparison = scoring.compare_methods(make_data(ONE, list("ABCD"), ["E1", "E2", "E3", "E4"], sheets), top=2)
    assert set(scoring.top_sets_disagree(comparison)) == {"E2", "E3"}
    row = comparison.set_index("code").loc["E2"]
    assert (row["rank_mean"], row["rank_median"], row["rank_trimmed"]) == (3, 2, 2)


def test_progress_counts_sheets_per_juror_and_day_and_lists_who_is_awaited() -> None:
    scores = totals_sheets({"E1": [70, 80, None], "E2": [60, None, None], "E3": [None, None, None]}, "ABC")
    scores[("E1", "C", "Extra")] = 1  # an unknown criterion changes nothing
    data = make_data(ONE, ["A", "B", "C"], ["E1", "E2", "E3", "E4"], scores, recusals=[("E2", "C")])
    result = progress.progress(data)
    by_juror = result.by_juror.set_index("juror")
    assert by_juror.loc["A", ["done", "missing", "expected"]].tolist() == [2, 2, 4]
    assert by_juror.loc["C", ["done", "recused", "expected"]].tolist() == [0, 1, 3]
    waiting = result.waiting.set_index("code")
    assert waiting["waiting_for"].to_dict() == {"E1": "C", "E2": "B"}  # E3, E4 have not started
    sessions = result.by_session.set_index("day")
    assert sessions.loc[1, ["entries", "expected", "done"]].tolist() == [2, 6, 2]  # E1, E3
    assert sessions.loc[2, ["entries", "expected", "done", "complete_entries"]].tolist() == [2, 5, 1, 0]
    grid = result.grid.set_index("code")
    assert grid.loc["E2", "j-C"] == scoring.SHEET_RECUSED and grid.loc["E1", "j-A"] == scoring.SHEET_DONE


def test_explain_shows_the_sheets_and_the_tie() -> None:
    sheets = totals_sheets({"E1": [90, 90], "E2": [80, 70], "E3": [70, 80]}, "AB")
    data = make_data(ONE, ["A", "B"], ["E1", "E2", "E3"], sheets)
    board = scoring.leaderboard(data)
    why = progress.explain(data, board, "id-E2")
    assert why.row["rank"] == 2 and why.row["score"] == 75.0
    assert why.sheets.set_index("juror")["total"].to_dict() == {"A": 80.0, "B": 70.0}
    assert why.sheets["Nilai"].tolist() == [80.0, 70.0]
    assert why.tiebreak_criterion == "Nilai"
    assert why.tied_on_score == ["E3"] and why.tied_after_tiebreak == ["E3"]
    assert progress.explain(data, board, "id-E1").tied_on_score == []
