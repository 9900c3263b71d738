"""Juror analytics: published worked examples, hand-computed panels, the demo's jurors, stability."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import krippendorff
import numpy as np
import pandas as pd
import pytest
from scipy.stats import friedmanchisquare, rankdata
from sqlalchemy import Engine

from kipp import analytics, demo, queries, scoring
from kipp.scoring import EditionData

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges, and the ICCs they publish.
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
SHROUT_FLEISS_ICC = {"icc2_1": 0.29, "icc3_1": 0.71, "icc2_k": 0.62, "icc3_k": 0.91}


def edition(
    scores: Mapping[tuple[str, str], float],
    jurors: Sequence[str] = ("A", "B", "C"),
    recusals: Sequence[tuple[str, str]] = (),
    tiers: Sequence[dict] = scoring.DEFAULT_TIERS,
    criteria: Sequence[str] = ("Kebaruan",),
) -> EditionData:
    """An in-memory edition: one row per (entry, juror) with the same score on every criterion."""
    codes = sorted({code for code, _ in scores})
    return EditionData(
        entries=pd.DataFrame(
            {
                "entry_id": codes,
                "code": codes,
                "title": [f"Inovasi {c}" for c in codes],
                "institution": "Unit",
                "institution_type": "sekolah",
                "category": None,
                "day": 1,
                "room": None,
                "slot": None,
            }
        ),
        criteria=pd.DataFrame(
            {
                "criterion_id": list(criteria),
                "name": list(criteria),
                "weight": 1.0,
                "max_score": 100.0,
                "position": range(len(criteria)),
            }
        ),
        panel=pd.DataFrame(
            {"juror_id": list(jurors), "juror": [f"Juri {j}" for j in jurors], "seat": range(1, len(jurors) + 1)}
        ),
        scores=pd.DataFrame(
            [
                {"entry_id": code, "juror_id": juror, "criterion_id": c, "value": value}
                for (code, juror), value in scores.items()
                for c in criteria
            ]
        ),
        recusals=pd.DataFrame(recusals, columns=["entry_id", "juror_id"]),
        tiers=tiers,
    )


def shrout_fleiss_matrix() -> pd.DataFrame:
    return pd.DataFrame(SHROUT_FLEISS, columns=["J1", "J2", "J3", "J4"])


def test_icc_matches_shrout_and_fleiss_table_2() -> None:
    result = analytics.icc(shrout_fleiss_matrix())
    for key, published in SHROUT_FLEISS_ICC.items():
        assert round(result[key], 2) == published, key


@pytest.mark.parametrize("seed", range(5))
def test_icc_equals_pingouin_on_random_panels(seed: int) -> None:
    import pingouin

    rng = np.random.default_rng(seed)
    n_targets, n_raters = int(rng.integers(3, 40)), int(rng.integers(2, 7))
    values = (
        rng.normal(70, 8, (n_targets, 1)) + rng.normal(0, 4, (1, n_raters)) + rng.normal(0, 5, (n_targets, n_raters))
    )
    long = pd.DataFrame(
        {
            "target": np.repeat(np.arange(n_targets), n_raters),
            "rater": np.tile(np.arange(n_raters), n_targets),
            "rating": values.ravel(),
        }
    )
    table = pingouin.intraclass_corr(long, targets="target", raters="rater", ratings="rating").set_index("Type")
    ours = analytics.icc(pd.DataFrame(values))
    for key, pingouin_type in {
        "icc2_1": "ICC(A,1)",
        "icc2_k": "ICC(A,k)",
        "icc3_1": "ICC(C,1)",
        "icc3_k": "ICC(C,k)",
    }.items():
        assert ours[key] == pytest.approx(float(table.loc[pingouin_type, "ICC"]), abs=1e-9), key


def test_agreement_of_an_edition_reproduces_shrout_and_fleiss() -> None:
    data = edition(
        {(f"T{i}", f"J{j}"): value for i, row in enumerate(SHROUT_FLEISS) for j, value in enumerate(row)},
        jurors=("J0", "J1", "J2", "J3"),
        criteria=("Kebaruan", "Efektif"),
    )
    result = analytics.agreement(data)
    assert (result["n_entries"], result["n_jurors"]) == (6, 4)
    for key, published in SHROUT_FLEISS_ICC.items():
        assert round(result[key], 2) == published
    table = analytics.agreement_table(data)
    assert pd.isna(table["criterion"].iloc[0]) and table["criterion"].tolist()[1:] == ["Kebaruan", "Efektif"]
    assert table["icc3_k"].round(2).tolist() == [0.91, 0.91, 0.91]


def test_kendall_w_with_ties_matches_the_textbook_formula_and_friedman() -> None:
    # Objects (rows) ranked by three raters; raters 2 and 3 give tied marks.
    table = pd.DataFrame({"r1": [10, 20, 30, 40], "r2": [15, 15, 30, 30], "r3": [10, 30, 20, 20]})
    # By hand: ranks r1 = 1,2,3,4; r2 = 1.5,1.5,3.5,3.5 (T = 2·(2³−2) = 12); r3 = 1,4,2.5,2.5 (T = 6).
    # Rank sums R = 3.5, 7.5, 9, 10 (mean 7.5); S = 16 + 0 + 2.25 + 6.25 = 24.5.
    # W = 12S / (m²(n³−n) − mΣT) = 294 / (9·60 − 3·18) = 294 / 486.
    m, n = 3, 4
    ranks = np.column_stack([rankdata(table[c]) for c in table])
    sums = ranks.sum(axis=1)
    s = float(((sums - sums.mean()) ** 2).sum())
    ties = sum(float((counts**3 - counts).sum()) for counts in (table[c].value_counts().to_numpy() for c in table))
    textbook = 12 * s / (m**2 * (n**3 - n) - m * ties)
    assert s == 24.5 and ties == 18 and textbook == pytest.approx(294 / 486)

    friedman = friedmanchisquare(*table.to_numpy()).statistic / (m * (n - 1))
    assert friedman == pytest.approx(textbook)
    assert analytics.kendall_w(table) == pytest.approx(294 / 486)


def test_kendall_w_is_one_for_identical_orders_and_nan_when_it_cannot_be_computed() -> None:
    assert analytics.kendall_w(pd.DataFrame({"a": [1, 2, 3], "b": [10, 20, 30]})) == pytest.approx(1.0)
    assert np.isnan(analytics.kendall_w(pd.DataFrame({"a": [5, 5, 5], "b": [7, 7, 7]})))
    assert np.isnan(analytics.kendall_w(pd.DataFrame({"a": [1, 2], "b": [1, 2]})))
    assert np.isnan(analytics.icc(pd.DataFrame({"a": [1.0]}))["icc2_1"])


@pytest.mark.parametrize(
    ("value", "reading"),
    [
        (0.2, "poor"),
        (0.49, "poor"),
        (0.5, "moderate"),
        (0.74, "moderate"),
        (0.75, "good"),
        (0.9, "excellent"),
        (float("nan"), None),
    ],
)
def test_icc_readings_follow_koo_and_li(value: float, reading: str | None) -> None:
    assert analytics.icc_reading(value) == reading


def test_w_readings() -> None:
    assert [analytics.w_reading(v) for v in (0.1, 0.3, 0.5, 0.7, 0.95)] == [
        "very_weak",
        "weak",
        "moderate",
        "strong",
        "very_strong",
    ]


# A small panel, computed by hand (one criterion, so a juror's total is their score):
#   E1: A 80, B 70, C 60   panel mean 70
#   E2: A 90, B 80, C 85   panel mean 85
#   E3: A 70, B 60, C recused   panel mean 65
SMALL = {
    ("E1", "A"): 80,
    ("E1", "B"): 70,
    ("E1", "C"): 60,
    ("E2", "A"): 90,
    ("E2", "B"): 80,
    ("E2", "C"): 85,
    ("E3", "A"): 70,
    ("E3", "B"): 60,
}


def small() -> EditionData:
    return edition(SMALL, recusals=[("E3", "C")])


def test_severity_by_hand() -> None:
    summary = analytics.juror_summary(small(), points=4.0).set_index("juror_id")
    # A: 80 − 73.33 (mean of 70, 85, 65); B: 70 − 73.33; C: 72.5 − 77.5 (only E1 and E2).
    assert summary.loc["A", "severity"] == pytest.approx(20 / 3)
    assert summary.loc["B", "severity"] == pytest.approx(-10 / 3)
    assert summary.loc["C", "severity"] == pytest.approx(-5.0)
    assert summary.loc["A", "mean"] == pytest.approx(80.0)
    assert summary.loc["C", "sd"] == pytest.approx(np.std([60, 85], ddof=1))
    assert summary.loc["C", ["done", "recused", "shared"]].tolist() == [2, 1, 2]
    # A is clearly lenient; B is under the 4-point threshold; C's −5 rests on two entries that
    # disagree (standard error 5), so it is not flagged.
    assert summary["flag"].to_dict() == {"A": "lenient", "B": "", "C": ""}


def test_severity_per_criterion_uses_each_criterion_on_its_own() -> None:
    data = edition(SMALL, recusals=[("E3", "C")], criteria=("Kebaruan", "Efektif"))
    table = analytics.severity_by_criterion(data)
    assert len(table) == 6
    assert table.loc[table["juror_id"] == "A", "severity"].tolist() == pytest.approx([20 / 3, 20 / 3])


def test_deviation_from_the_other_jurors_by_hand() -> None:
    cells = analytics.deviations(small(), points=10.0, sds=1.4)
    by_cell = cells.set_index(["entry_id", "juror_id"])
    expected = {
        ("E1", "A"): 15.0,
        ("E1", "B"): 0.0,
        ("E1", "C"): -15.0,
        ("E2", "A"): 7.5,
        ("E2", "B"): -7.5,
        ("E2", "C"): 0.0,
        ("E3", "A"): 10.0,
        ("E3", "B"): -10.0,
    }
    assert by_cell["deviation"].to_dict() == pytest.approx(expected)
    assert by_cell.loc[("E2", "A"), "others_mean"] == pytest.approx(82.5)
    spread = np.std(list(expected.values()), ddof=1)  # sqrt(762.5 / 7)
    assert by_cell.loc[("E1", "A"), "z"] == pytest.approx(15 / spread)
    # |15| is beyond 10 points and 1.44 SDs; |10| reaches 10 points but only 0.96 SD.
    assert set(cells.loc[cells["flagged"], ["entry_id", "juror_id"]].itertuples(index=False)) == {
        ("E1", "A"),
        ("E1", "C"),
    }


def test_entry_sheets_show_every_juror_with_status() -> None:
    data = edition(SMALL, recusals=[("E3", "C")], criteria=("Kebaruan", "Efektif"))
    sheet = analytics.entry_sheets(data, "E3")
    assert sheet["juror_id"].tolist() == ["A", "B", "C"]
    assert sheet["status"].tolist() == ["done", "done", "recused"]
    assert sheet["Kebaruan"].tolist()[:2] == [70, 60] and np.isnan(sheet["total"].iloc[2])
    assert sheet["total"].tolist()[:2] == pytest.approx([70.0, 60.0])


def test_picked_entry_reads_customdata_or_the_entry_code() -> None:
    entries = small().entries
    assert analytics.picked_entry([{"customdata": ["E2", "E2", "Inovasi E2"]}], entries) == "E2"
    assert analytics.picked_entry([{"x": "Juri A", "y": "E3", "z": 1.0}], entries) == "E3"
    assert analytics.picked_entry([{"x": 1, "y": 2}], entries) is None
    assert analytics.picked_entry([], entries) is None


def test_agreement_uses_only_entries_every_juror_completed() -> None:
    result = analytics.agreement(small())
    assert (result["n_entries"], result["n_jurors"]) == (2, 3)


def test_leave_one_out_finds_the_juror_who_decides_the_winner() -> None:
    # With A, E1 wins (63.33 vs 60); without A, E2 wins (60 vs 50).
    scores = {("E1", "A"): 90, ("E1", "B"): 50, ("E1", "C"): 50, ("E2", "A"): 60, ("E2", "B"): 60, ("E2", "C"): 60}
    data = edition(scores, tiers=[{"name": "Juara", "size": 1, "numbered": True}])
    loo = analytics.leave_one_out(data)
    changed = loo[loo["tier_changed"]]
    assert set(changed["juror_id"]) == {"A"}
    assert set(changed["code"]) == {"E1", "E2"}
    row = changed.set_index("code").loc["E2"]
    assert pd.isna(row["award"]) and row["award_without"] == "Juara 1" and row["rank_without"] == 1
    assert loo.equals(analytics.leave_one_out(data))


def test_bootstrap_probabilities_match_the_resampling_by_hand() -> None:
    # Draws AA (1/4): E1 90 vs 75; BB (1/4): E2 80 vs 70; AB or BA (1/2): E1 80 vs 77.5.
    scores = {("E1", "A"): 90, ("E1", "B"): 70, ("E2", "A"): 75, ("E2", "B"): 80, ("E3", "A"): 40, ("E3", "B"): 40}
    data = edition(scores, jurors=("A", "B"))
    result = analytics.bootstrap_top(data, resamples=4000, seed=7, tops=(1, 2)).set_index("code")
    assert result.loc["E1", "p_top1"] == pytest.approx(0.75, abs=0.03)
    assert result.loc["E2", "p_top1"] == pytest.approx(0.25, abs=0.03)
    assert result["p_top2"].to_dict() == {"E1": 1.0, "E2": 1.0, "E3": 0.0}


def test_bootstrap_is_reproducible_with_a_seed() -> None:
    data = edition(SMALL | {("E3", "C"): 66}, recusals=())
    first = analytics.bootstrap_top(data, resamples=200, seed=11, tops=(1,))
    assert first.equals(analytics.bootstrap_top(data, resamples=200, seed=11, tops=(1,)))


def national_edition(n_entries: int = 3500, n_jurors: int = 5, n_criteria: int = 5) -> EditionData:
    """A national-scale edition in memory (synthetic, like the benchmark's)."""
    rng = np.random.default_rng(3)
    quality = rng.normal(70, 8, n_entries)
    values = np.clip(np.rint(quality[:, None, None] + rng.normal(0, 4, (n_entries, n_jurors, n_criteria))), 0, 100)
    e, j, c = np.meshgrid(np.arange(n_entries), np.arange(n_jurors), np.arange(n_criteria), indexing="ij")
    codes = np.array([f"N{i:05d}" for i in range(n_entries)])
    return EditionData(
        entries=pd.DataFrame(
            {
                "entry_id": np.arange(n_entries),
                "code": codes,
                "title": codes,
                "institution": "U",
                "institution_type": "dinas",
                "category": None,
                "day": 1,
                "room": None,
                "slot": None,
            }
        ),
        criteria=pd.DataFrame(
            {
                "criterion_id": np.arange(n_criteria),
                "name": [f"K{i}" for i in range(n_criteria)],
                "weight": 1.0,
                "max_score": 100.0,
                "position": np.arange(n_criteria),
            }
        ),
        panel=pd.DataFrame(
            {
                "juror_id": np.arange(n_jurors),
                "juror": [f"J{i}" for i in range(n_jurors)],
                "seat": np.arange(1, n_jurors + 1),
            }
        ),
        scores=pd.DataFrame(
            {"entry_id": e.ravel(), "juror_id": j.ravel(), "criterion_id": c.ravel(), "value": values.ravel()}
        ),
    )


def test_bootstrap_of_a_national_edition_is_consistent() -> None:
    """Its speed is measured by `python -m kipp bench`, not asserted here."""
    data = national_edition()
    result = analytics.bootstrap_top(data, resamples=1000)
    assert len(result) == 3500
    # Every resample fills the Top 3 and Top 10 (more only when scores tie exactly).
    assert result["p_top3"].sum() >= 3 - 1e-9 and result["p_top10"].sum() >= 10 - 1e-9
    assert result["p_top10"].sum() < 10.5
    assert (result["p_top3"] <= result["p_top10"]).all()


@pytest.fixture
def demo_data(demo_engine: Engine) -> dict[int, EditionData]:
    return {plan.year: queries.load_edition(demo_engine, plan.year) for plan in demo.PLANS}


def demo_styles(plan: demo.EditionPlan) -> dict[str, str]:
    """The demo's lenient and strict jurors of a panel (bias of 5 points or more)."""
    styles = {}
    for index in plan.panel:
        name, _, bias, _ = demo.JURORS[index]
        if abs(bias) >= 5:
            styles[name] = analytics.LENIENT if bias > 0 else analytics.STRICT
    return styles


@pytest.mark.parametrize("plan", demo.PLANS, ids=lambda plan: str(plan.year))
def test_the_demo_lenient_and_strict_jurors_are_the_ones_flagged(
    demo_data: dict[int, EditionData], plan: demo.EditionPlan
) -> None:
    summary = analytics.juror_summary(demo_data[plan.year])
    marked = summary[summary["flag"] != ""]
    flagged = dict(zip(marked["juror"], marked["flag"], strict=True))
    assert flagged == demo_styles(plan)
    assert len(flagged) == 2


def test_demo_agreement_is_high_on_the_order_and_lower_in_absolute_terms(demo_data: dict[int, EditionData]) -> None:
    for data in demo_data.values():
        result = analytics.agreement(data)
        scored_by_all = (scoring.expected_jurors(data).groupby("entry_id").size() == 4).sum()  # day 1 when split
        assert result["n_jurors"] == 4 and result["n_entries"] == scored_by_all
        assert analytics.icc_reading(result["icc3_k"]) == "excellent"
        # A lenient and a strict juror pull absolute agreement of one juror well below consistency.
        assert result["icc3_1"] - result["icc2_1"] > 0.1
        assert 0.9 < result["kendall_w"] <= 1


def test_demo_stability_is_reproducible_and_keeps_the_published_winner(demo_data: dict[int, EditionData]) -> None:
    data = demo_data[2023]
    first = analytics.bootstrap_top(data)
    assert first.equals(analytics.bootstrap_top(data))
    winner = first.set_index("title").loc["Si Kawan Duduk"]
    assert winner["rank"] == 1 and winner["p_top3"] == 1.0 and winner["p_top10"] == 1.0
    loo = analytics.leave_one_out(data)
    assert loo.equals(analytics.leave_one_out(data))
    assert len(loo) == 4 * len(data.entries)


def test_bootstrap_agrees_with_ranking_every_resample_one_by_one() -> None:
    """The vectorised, pruned bootstrap gives what ranking each resample with competition_rank gives."""
    full = national_edition(n_entries=300)
    recused = pd.DataFrame({"entry_id": np.arange(0, 300, 15), "juror_id": 0})
    keep = ~full.scores.set_index(["entry_id", "juror_id"]).index.isin(
        recused.set_index(["entry_id", "juror_id"]).index
    )
    data = EditionData(full.entries, full.criteria, full.panel, full.scores[keep], recused)
    result = analytics.bootstrap_top(data, resamples=150, seed=5)

    entries = result["entry_id"].to_numpy()

    def wide(frame: pd.DataFrame) -> np.ndarray:
        table = frame.pivot_table(index="entry_id", columns="juror_id", values="total")
        return table.reindex(index=entries, columns=data.panel["juror_id"]).to_numpy()

    totals = wide(scoring.juror_totals(data))
    tiebreak = wide(scoring.criterion_totals(data, scoring.top_criterion(data.criteria)))
    draws = np.random.default_rng(5).integers(0, 5, size=(150, 5))
    hits = {3: np.zeros(len(entries)), 10: np.zeros(len(entries))}
    for drawn in draws:
        score = np.nanmean(totals[:, drawn], axis=1)
        ties = np.nanmean(tiebreak[:, drawn], axis=1)
        rank = scoring.competition_rank(scoring.display_round(score), scoring.display_round(ties))
        for n in hits:
            hits[n] += rank <= n
    assert result["p_top3"].to_numpy() == pytest.approx(hits[3] / 150)
    assert result["p_top10"].to_numpy() == pytest.approx(hits[10] / 150)


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units, gaps.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def alpha_by_definition(wide: pd.DataFrame) -> float:
    """Interval alpha = 1 − D_o / D_e straight from the definition, pair by pair."""
    units = [row.dropna().tolist() for _, row in wide.iterrows()]
    units = [values for values in units if len(values) >= 2]
    pooled = [value for values in units for value in values]
    n = len(pooled)
    observed = sum(
        (a - b) ** 2 / (len(values) - 1)
        for values in units
        for i, a in enumerate(values)
        for j, b in enumerate(values)
        if i != j
    )
    expected = sum((a - b) ** 2 for i, a in enumerate(pooled) for j, b in enumerate(pooled) if i != j)
    return 1.0 - (observed / n) / (expected / (n * (n - 1)))


def test_krippendorff_alpha_matches_the_published_example_the_definition_and_the_package() -> None:
    wide = pd.DataFrame(KRIPPENDORFF_2011, dtype=float).T  # units × observers
    assert analytics.krippendorff_alpha(wide) == pytest.approx(0.849, abs=5e-4)
    assert analytics.krippendorff_alpha(wide) == pytest.approx(alpha_by_definition(wide), abs=1e-12)
    rng = np.random.default_rng(7)
    for _ in range(5):
        noisy = pd.DataFrame(rng.uniform(50, 90, size=(9, 4)).round(1)).mask(rng.random((9, 4)) < 0.3)
        alpha = analytics.krippendorff_alpha(noisy)
        assert alpha == pytest.approx(alpha_by_definition(noisy), abs=1e-12)
        reference = krippendorff.alpha(reliability_data=noisy.to_numpy().T, level_of_measurement="interval")
        assert alpha == pytest.approx(reference, abs=1e-9)
    assert np.isnan(analytics.krippendorff_alpha(pd.DataFrame([[70.0, np.nan], [np.nan, 80.0]])))
    assert np.isnan(analytics.krippendorff_alpha(pd.DataFrame([[70.0, 70.0], [70.0, 70.0]])))


def test_agreement_reports_krippendorff_alpha_over_every_complete_sheet() -> None:
    scores = {("E1", "A"): 80, ("E1", "B"): 84, ("E2", "A"): 60, ("E2", "B"): 62, ("E2", "C"): 58, ("E3", "C"): 75}
    scores |= {("E3", "B"): 71}
    data = edition(scores)
    result = analytics.agreement(data)
    assert list(result) == list(analytics.AGREEMENT_KEYS)
    assert result["n_entries"] == 1  # only E2 has every juror: ICC and W cannot say much …
    wide = pd.DataFrame({"A": [80, 60, None], "B": [84, 62, 71], "C": [None, 58, 75]}, dtype=float)
    assert result["krippendorff_alpha"] == pytest.approx(alpha_by_definition(wide), abs=1e-12)  # … alpha can


def split_rooms() -> EditionData:
    """Ruang Eboni (jurors A, B) and Ruang Meranti (B, C) on day 2, each with three entries; one recusal."""
    rooms = {"Ruang Eboni": "AB", "Ruang Meranti": "BC"}
    room_of = {f"E{e}": "Ruang Eboni" if e <= 3 else "Ruang Meranti" for e in range(1, 7)}
    rng = np.random.default_rng(5)
    scores = {(code, j): float(rng.integers(50, 95)) for code, room in room_of.items() for j in rooms[room]}
    data = edition(scores, recusals=[("E6", "C")])
    seats = [(2, room, juror) for room, jurors in rooms.items() for juror in jurors]
    panels = pd.DataFrame(seats, columns=["day", "room", "juror_id"])
    entries = data.entries.assign(day=2, room=data.entries["code"].map(room_of))
    return dataclasses.replace(data, entries=entries, panels=panels)


def test_agreement_by_panel_reports_each_room_over_the_entries_it_fully_scored() -> None:
    data = split_rooms()
    table = analytics.agreement_by_panel(data)
    assert table[["day", "room", "jurors", "entries", "n_entries", "n_jurors"]].values.tolist() == [
        [2, "Ruang Eboni", "Juri A, Juri B", 3, 3, 2],
        [2, "Ruang Meranti", "Juri B, Juri C", 2, 2, 2],
        [2, "Ruang Meranti", "Juri B", 1, 1, 1],  # E6 without C, recused
    ]
    eboni = analytics.juror_scores(data).query("code in ['E1', 'E2', 'E3']")
    expected = analytics.icc(analytics.complete_matrix(eboni))
    assert table.loc[0, list(expected)].tolist() == pytest.approx(list(expected.values()))
    assert table.loc[0, "kendall_w"] == pytest.approx(analytics.kendall_w(analytics.complete_matrix(eboni)))
    assert np.isnan(table.loc[2, "icc2_1"])
    assert analytics.agreement(data)["n_entries"] == 0  # no entry has all three jurors


def test_juror_effects_recover_the_lenience_of_jurors_who_never_sat_together() -> None:
    from tests.test_scoring_panels import linked_rooms

    effects = analytics.juror_effects(linked_rooms()).set_index("juror")
    assert effects["effect"].to_numpy() == pytest.approx([6.0, 0.0, -6.0])
    assert effects["sheets"].tolist() == [2, 4, 2]
    assert effects["se"].to_numpy() == pytest.approx([0.0, 0.0, 0.0], abs=1e-6)  # the totals fit exactly
    with pytest.raises(ValueError, match="not a criterion"):
        analytics.juror_effects(linked_rooms(), "nope")


def test_leave_one_out_keeps_the_split_panels() -> None:
    from tests.test_scoring_panels import linked_rooms

    without = analytics.leave_one_out(linked_rooms())
    assert without["award_without"].notna().all()  # each entry stays complete with its remaining jurors
    without_b = without[without["juror"] == "B"].set_index("code")["rank_without"]
    assert without_b.to_dict() == {"E1": 1, "E2": 2, "E3": 3, "E4": 4}  # A alone in Eboni, C alone in Meranti
