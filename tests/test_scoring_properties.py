"""Invariants of the scoring, checked on many generated panels (hypothesis)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from kipp import scoring
from kipp.adjustment import DisconnectedPanels
from kipp.scoring import EditionData

MAXIMA = (10.0, 20.0, 100.0)


@st.composite
def editions(draw: st.DrawFn, headroom: int = 0) -> EditionData:
    """A small edition: 1–8 entries, 1–5 jurors, 1–4 criteria, some cells missing, some recusals."""
    n_entries = draw(st.integers(1, 8))
    n_jurors = draw(st.integers(1, 5))
    n_criteria = draw(st.integers(1, 4))
    weights = draw(st.lists(st.integers(1, 5), min_size=n_criteria, max_size=n_criteria))
    maxima = draw(st.lists(st.sampled_from(MAXIMA), min_size=n_criteria, max_size=n_criteria))
    rows = []
    for e in range(n_entries):
        for j in range(n_jurors):
            for c in range(n_criteria):
                value = draw(
                    st.one_of(st.none(), st.integers(0, int(maxima[c]) - headroom))
                    if e % 3 == 2
                    else st.integers(0, int(maxima[c]) - headroom)
                )
                if value is not None:
                    rows.append((100 + e, 200 + j, 300 + c, float(value)))
    recused = draw(st.lists(st.tuples(st.integers(0, n_entries - 1), st.integers(0, n_jurors - 1)), max_size=2))
    codes = [f"E{e}" for e in range(n_entries)]
    return EditionData(
        entries=pd.DataFrame(
            {
                "entry_id": range(100, 100 + n_entries),
                "code": codes,
                "title": codes,
                "institution": "Unit",
                "institution_type": "dinas",
                "category": None,
                "day": 1,
                "room": "Ruang 1",
                "slot": range(1, n_entries + 1),
            }
        ),
        criteria=pd.DataFrame(
            {
                "criterion_id": range(300, 300 + n_criteria),
                "name": [f"K{c}" for c in range(n_criteria)],
                "weight": [float(w) for w in weights],
                "max_score": maxima,
                "position": range(n_criteria),
            }
        ),
        panel=pd.DataFrame(
            {
                "juror_id": range(200, 200 + n_jurors),
                "juror": [f"J{j}" for j in range(n_jurors)],
                "seat": range(1, n_jurors + 1),
            }
        ),
        scores=pd.DataFrame(rows, columns=["entry_id", "juror_id", "criterion_id", "value"]),
        recusals=pd.DataFrame(
            {"entry_id": [100 + e for e, _ in set(recused)], "juror_id": [200 + j for _, j in set(recused)]}
        ),
        tiers=[{"name": "Juara", "size": 2, "numbered": True}, {"name": "Favorit", "size": 2}],
    )


methods = st.sampled_from(scoring.METHODS)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ranking(data: EditionData, method: scoring.Method) -> pd.DataFrame:
    """The leaderboard; the example is rejected when its complete sheets are disconnected (no adjusted score)."""
    try:
        return scoring.leaderboard(data, method)
    except DisconnectedPanels:
        reject()


def result(board: pd.DataFrame) -> pd.DataFrame:
    """What a user sees of a leaderboard, in a comparable form."""
    return board.set_index("code")[["rank", "score", "tiebreak", "jurors", "complete", "award"]].sort_index()


@SETTINGS
@given(data=editions(), method=methods, seed=st.integers(0, 2**32 - 1))
def test_permuting_jurors_changes_nothing(data: EditionData, method: scoring.Method, seed: int) -> None:
    rng = np.random.default_rng(seed)
    relabel = dict(zip(data.panel["juror_id"], rng.permutation(len(data.panel)) + 900, strict=True))
    panel = data.panel.iloc[rng.permutation(len(data.panel))].assign(juror_id=lambda p: p["juror_id"].map(relabel))
    scores = data.scores.iloc[rng.permutation(len(data.scores))].assign(juror_id=lambda s: s["juror_id"].map(relabel))
    recusals = data.recusals.assign(juror_id=data.recusals["juror_id"].map(relabel))
    shuffled = EditionData(data.entries, data.criteria, panel, scores, recusals, data.tiers)
    pd.testing.assert_frame_equal(result(ranking(data, method)), result(ranking(shuffled, method)))


def _separated(values: pd.Series) -> bool:
    """Distinct values at least 0.02 apart, so that rounding to 2 decimals keeps their order."""
    known = np.sort(values.dropna().to_numpy())
    gaps = np.diff(known)
    return bool(((gaps < 1e-6) | (gaps > 0.02)).all())


def _unrounded(data: EditionData) -> list[pd.Series]:
    top = scoring.top_criterion(data.criteria)
    return [
        scoring.aggregate(scoring.juror_totals(data), "zscore"),
        scoring.aggregate(scoring.criterion_totals(data, top), "zscore"),
    ]


@SETTINGS
@given(data=editions(headroom=3), juror=st.integers(0, 4), constant=st.integers(1, 3))
def test_adding_a_constant_to_one_jurors_scores_keeps_the_zscore_ranking(
    data: EditionData, juror: int, constant: int
) -> None:
    juror_id = 200 + juror % len(data.panel)
    shifted_scores = data.scores.assign(value=data.scores["value"] + constant * (data.scores["juror_id"] == juror_id))
    shifted = EditionData(data.entries, data.criteria, data.panel, shifted_scores, data.recusals, data.tiers)
    # Scores are ranked as displayed (2 decimals): the invariant holds for values rounding cannot merge.
    assume(all(_separated(values) for values in _unrounded(data) + _unrounded(shifted)))
    before = scoring.leaderboard(data, "zscore").set_index("code")["rank"]
    after = scoring.leaderboard(shifted, "zscore").set_index("code")["rank"]
    pd.testing.assert_series_equal(before.sort_index(), after.sort_index())


@SETTINGS
@given(data=editions(), method=methods)
def test_ranks_are_a_competition_ranking(data: EditionData, method: scoring.Method) -> None:
    board = ranking(data, method)
    ranked = board[board["complete"]]
    score, tiebreak = ranked["score"].to_numpy(), ranked["tiebreak"].to_numpy()
    # rank = 1 + number of entries strictly ahead (higher score, or equal score and higher tie-break)
    ahead = (score[None, :] > score[:, None]) | (
        (score[None, :] == score[:, None]) & (tiebreak[None, :] > tiebreak[:, None])
    )
    assert (ranked["rank"].to_numpy() == 1 + ahead.sum(axis=1)).all()
    assert board.loc[~board["complete"], "rank"].isna().all()  # provisional entries are not ranked
    assert board["code"].tolist()[: len(ranked)] == ranked["code"].tolist()  # complete entries first
    assert ranked["rank"].is_monotonic_increasing  # sorted by rank, then the unranked ones
    running = board.loc[~board["complete"], "score"]
    assert running.dropna().is_monotonic_decreasing and running.isna().tolist() == sorted(running.isna())


@SETTINGS
@given(data=editions(), method=st.sampled_from(["mean", "median", "trimmed"]))
def test_scores_stay_within_0_and_100(data: EditionData, method: scoring.Method) -> None:
    board = scoring.leaderboard(data, method)
    scores = board["score"].dropna()
    assert ((scores >= 0) & (scores <= 100)).all()
    assert ((board["tiebreak"].dropna() >= 0) & (board["tiebreak"].dropna() <= 100)).all()
    totals = scoring.juror_totals(data)["total"]
    assert ((totals >= 0) & (totals <= 100 + 1e-9)).all()


@SETTINGS
@given(data=editions(), method=methods)
def test_awards_go_down_the_complete_entries_in_rank_order(data: EditionData, method: scoring.Method) -> None:
    board = ranking(data, method)
    awarded = board[board["award"].notna()]
    assert awarded["complete"].all()
    complete = board[board["complete"]]
    places = sum(tier["size"] for tier in data.tiers)
    assert len(awarded) >= min(places, len(complete))
    # every complete entry ranked above an awarded one is awarded too
    if len(awarded):
        worst = awarded["rank"].max()
        assert complete.loc[complete["rank"] <= worst, "award"].notna().all()
    # a complete entry is complete because every juror not recused handed in a full sheet
    assert (complete["jurors"] == complete["panel"]).all()


@st.composite
def editions_with_dropouts(draw: st.DrawFn) -> EditionData:
    """:func:`editions` where some entries withdrew or were absent (their sheets still stored)."""
    data = draw(editions())
    statuses = draw(
        st.lists(
            st.sampled_from(["competing", "competing", "withdrawn", "absent"]),
            min_size=len(data.entries),
            max_size=len(data.entries),
        )
    )
    return dataclasses.replace(data, entries=data.entries.assign(entry_status=statuses))


@SETTINGS
@given(data=editions_with_dropouts(), method=methods)
def test_only_complete_competing_entries_are_ranked_or_awarded(data: EditionData, method: scoring.Method) -> None:
    board = ranking(data, method)
    competing = board["entry_status"] == "competing"
    assert board["rank"].notna().tolist() == (board["complete"] & competing).tolist()
    assert board.loc[board["award"].notna(), "rank"].notna().all()  # no award without a rank
    assert board["provisional"].tolist() == (~board["complete"] & competing).tolist()
    out = board[~competing]
    assert out["score"].isna().all() and (out["jurors"] == 0).all() and (out["panel"] == 0).all()
    # ranked, then still being scored, then out of the ranking
    group = np.select([board["rank"].notna(), competing], [0, 1], default=2)
    assert (np.diff(group) >= 0).all()


@SETTINGS
@given(data=editions_with_dropouts(), method=methods)
def test_withdrawn_and_absent_entries_are_left_out_before_scoring(data: EditionData, method: scoring.Method) -> None:
    """Their sheets move nobody: not the z-score standardisation, not the adjusted fit, not a tie-break."""
    kept = data.entries[data.entries["entry_status"] == "competing"]
    without = dataclasses.replace(
        data,
        entries=kept.drop(columns="entry_status"),
        scores=data.scores[data.scores["entry_id"].isin(kept["entry_id"])],
    )
    board = ranking(data, method)
    expected = result(ranking(without, method))
    pd.testing.assert_frame_equal(result(board[board["entry_status"] == "competing"]), expected)
