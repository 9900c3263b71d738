"""Juror analytics: how each juror scores, where the panel disagrees, how stable the ranking is.

Pure functions on :class:`kipp.scoring.EditionData` and DataFrames (no database, no
Streamlit).  Every score here is on the 0–100 scale: a juror's total, or one criterion
as 100·s/m, always from complete sheets (as in :mod:`kipp.scoring`), so a threshold in
points means the same for every criterion.  ``criterion_id=None`` means the total.

- severity: a juror's mean minus the panel mean on the same entries (lenient > 0, strict < 0);
- deviation: a juror minus the mean of the *other* jurors on one entry, flagged when it is
  beyond a threshold in points and in panel standard deviations;
- agreement on complete entries: ICC(2,1), ICC(2,k), ICC(3,1), ICC(3,k) (Shrout & Fleiss
  1979) from the ANOVA mean squares (checked against pingouin in the tests), and Kendall's
  W corrected for ties (checked against scipy's Friedman test); with split panels the same
  figures per group of entries sharing their jurors, and Krippendorff's alpha (interval),
  which accepts missing cells, over every complete sheet;
- juror effects: each juror's leniency estimated by the adjusted score's additive fit;
- rank sensitivity: leave-one-juror-out rankings and a bootstrap over jurors.

scipy is imported inside the function that needs it: it is heavy and the dashboard only
pays for it when agreement figures are asked for.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from kipp import scoring
from kipp.adjustment import additive_fit
from kipp.scoring import EditionData

SEVERITY_POINTS = 3.0  # a juror is lenient/strict when their mean is this far from the panel …
SEVERITY_STANDARD_ERRORS = 2.0  # … and the difference is this many standard errors from zero
DEVIATION_POINTS = 10.0  # a cell stands apart when the juror is this far from the others' mean …
DEVIATION_SDS = 2.0  # … and this many panel standard deviations (of all deviations) away
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 2021
TOPS = (3, 10)

LENIENT = "lenient"
STRICT = "strict"

# Koo & Li (2016): ICC < 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, > 0.9 excellent.
ICC_BANDS: tuple[tuple[float, str], ...] = ((0.5, "poor"), (0.75, "moderate"), (0.9, "good"), (math.inf, "excellent"))
# Schmidt (1997) reads W = .1/.3/.5/.7/.9 as very weak/weak/moderate/strong/very strong; the
# bands here are the midpoints between those anchors.
W_BANDS: tuple[tuple[float, str], ...] = (
    (0.2, "very_weak"),
    (0.4, "weak"),
    (0.6, "moderate"),
    (0.8, "strong"),
    (math.inf, "very_strong"),
)
ICC_KEYS = ("icc2_1", "icc2_k", "icc3_1", "icc3_k")
AGREEMENT_KEYS = (*ICC_KEYS, "kendall_w", "krippendorff_alpha", "n_entries", "n_jurors")
PANEL_AGREEMENT_COLUMNS = [
    "day",
    "room",
    "jurors",
    "juror_names",
    "entries",
    "n_entries",
    "n_jurors",
    *ICC_KEYS,
    "kendall_w",
]


def juror_scores(data: EditionData, criterion_id: Any | None = None) -> pd.DataFrame:
    """Every complete sheet's score on one measure (the total, or one criterion on 0–100).

    Columns: entry_id, code, title, juror_id, juror, seat, score.
    """
    if criterion_id is None:
        measure = scoring.juror_totals(data)
    elif len(data.criteria) and (data.criteria["criterion_id"] == criterion_id).any():
        measure = scoring.criterion_totals(data, criterion_id)
    else:
        raise ValueError(f"Criterion {criterion_id!r} is not a criterion of this edition")
    frame = measure.rename(columns={"total": "score"}).astype({"score": float})
    frame = frame.merge(data.entries[["entry_id", "code", "title"]], on="entry_id")
    frame = frame.merge(data.panel[["juror_id", "juror", "seat"]], on="juror_id")
    columns = ["entry_id", "code", "title", "juror_id", "juror", "seat", "score"]
    return frame[columns].sort_values(["seat", "code"], kind="stable").reset_index(drop=True)


def _with_panel_means(scores: pd.DataFrame) -> pd.DataFrame:
    """Add each entry's panel size, panel mean and the mean of the other jurors."""
    grouped = scores.groupby("entry_id", sort=False)["score"]
    count = grouped.transform("size")
    total = grouped.transform("sum")
    others = count - 1
    return scores.assign(
        sheets=count,
        panel_mean=total / count,
        others=others,
        others_mean=((total - scores["score"]) / others).where(others > 0),
    )


def _severity(scores: pd.DataFrame, points: float) -> pd.DataFrame:
    """Per juror: mean of (score − entry's panel mean) over entries shared with another juror."""
    shared = _with_panel_means(scores)
    shared = shared[shared["others"] > 0]
    difference = shared["score"] - shared["panel_mean"]
    grouped = difference.groupby(shared["juror_id"], sort=False)
    result = pd.DataFrame(
        {"severity": grouped.mean(), "shared": grouped.size(), "se": grouped.std(ddof=1) / np.sqrt(grouped.size())}
    )
    result.index.name = "juror_id"
    result = result.reset_index()
    clear = (result["severity"].abs() >= points) & (
        result["severity"].abs() >= SEVERITY_STANDARD_ERRORS * result["se"].fillna(math.inf)
    )
    result["flag"] = np.where(clear, np.where(result["severity"] > 0, LENIENT, STRICT), "")
    return result


def juror_summary(data: EditionData, points: float = SEVERITY_POINTS) -> pd.DataFrame:
    """One row per panel juror: sheets by status, mean and spread of totals, severity and flag.

    Columns: juror_id, juror, seat, done, partial, missing, recused, mean, sd, median, min, max,
    severity, se, shared, flag ("lenient", "strict" or "").  severity is the juror's mean total
    minus the panel mean on the same entries (only entries another juror also completed);
    flag is set when |severity| >= ``points`` and is at least two standard errors from zero.
    """
    status = scoring.sheet_status(data)
    counts = pd.crosstab(status["juror_id"], status["status"]).reindex(
        columns=[scoring.SHEET_DONE, scoring.SHEET_PARTIAL, scoring.SHEET_MISSING, scoring.SHEET_RECUSED], fill_value=0
    )
    scores = juror_scores(data)
    stats = scores.groupby("juror_id")["score"].agg(
        mean="mean", sd=lambda s: s.std(ddof=1), median="median", min="min", max="max"
    )
    summary = data.panel[["juror_id", "juror", "seat"]].merge(
        counts.rename_axis(columns=None), left_on="juror_id", right_index=True, how="left"
    )
    summary = summary.merge(stats, left_on="juror_id", right_index=True, how="left")
    summary = summary.merge(_severity(scores, points), on="juror_id", how="left")
    summary["flag"] = summary["flag"].fillna("")
    summary["shared"] = summary["shared"].fillna(0).astype(int)
    for column in counts.columns:
        summary[column] = summary[column].fillna(0).astype(int)
    return summary.sort_values(["seat", "juror"], kind="stable").reset_index(drop=True)


def severity_by_criterion(data: EditionData, points: float = SEVERITY_POINTS) -> pd.DataFrame:
    """Severity of each juror on each criterion (0–100 scale of that criterion).

    Columns: juror_id, juror, seat, criterion_id, criterion, severity, se, shared, flag.
    """
    rows = []
    for criterion in scoring.criteria_in_order(data.criteria).itertuples():
        severity = _severity(juror_scores(data, criterion.criterion_id), points)
        rows.append(severity.assign(criterion_id=criterion.criterion_id, criterion=criterion.name))
    columns = ["juror_id", "juror", "seat", "criterion_id", "criterion", "severity", "se", "shared", "flag"]
    if not rows:
        return pd.DataFrame(columns=columns)
    result = data.panel[["juror_id", "juror", "seat"]].merge(pd.concat(rows, ignore_index=True), on="juror_id")
    return result[columns].sort_values(["seat", "juror_id"], kind="stable").reset_index(drop=True)


def deviations(
    data: EditionData,
    criterion_id: Any | None = None,
    points: float = DEVIATION_POINTS,
    sds: float = DEVIATION_SDS,
) -> pd.DataFrame:
    """Each juror against the rest of the panel on each entry, with outliers flagged.

    Columns: entry_id, code, title, juror_id, juror, seat, score, others (number of other
    jurors), others_mean, deviation (score − others_mean), z (deviation in panel SDs: the
    standard deviation of all deviations of the edition on this measure), flagged
    (|deviation| >= points and |z| >= sds).  Rows only where another juror scored the entry.
    """
    scores = _with_panel_means(juror_scores(data, criterion_id))
    scores = scores[scores["others"] > 0].copy()
    scores["deviation"] = scores["score"] - scores["others_mean"]
    spread = float(scores["deviation"].std(ddof=1)) if len(scores) > 1 else math.nan
    scores["z"] = scores["deviation"] / spread if spread > 0 else math.nan
    scores["flagged"] = (scores["deviation"].abs() >= points) & (scores["z"].abs() >= sds)
    columns = ["entry_id", "code", "title", "juror_id", "juror", "seat", "score", "others", "others_mean"]
    return scores[[*columns, "deviation", "z", "flagged"]].reset_index(drop=True)


def heatmap_rows(deviation: pd.DataFrame, order: Sequence[Any], limit: int | None = None) -> pd.DataFrame:
    """The deviation cells of the entries to draw, in ``order`` (entry ids, e.g. by rank).

    With ``limit``, keeps the entries with flagged cells first, then the largest |deviation|.
    """
    if limit is not None and deviation["entry_id"].nunique() > limit:
        by_entry = deviation.assign(size=deviation["deviation"].abs()).groupby("entry_id")
        keep = (
            pd.DataFrame({"flagged": by_entry["flagged"].any(), "size": by_entry["size"].max()})
            .sort_values(["flagged", "size"], ascending=False)
            .head(limit)
            .index
        )
        order = [entry for entry in order if entry in set(keep)]
    position = {entry: i for i, entry in enumerate(order)}
    chosen = deviation[deviation["entry_id"].isin(position)]
    return chosen.assign(_at=chosen["entry_id"].map(position)).sort_values(["_at", "seat"]).drop(columns="_at")


def complete_matrix(scores: pd.DataFrame) -> pd.DataFrame:
    """Entries × jurors of the entries every scoring juror completed (ICC needs a full table).

    Jurors with no complete sheet are left out; entries missing any other juror are dropped.
    """
    return _wide(scores).dropna(axis=0, how="any")


def _wide(scores: pd.DataFrame) -> pd.DataFrame:
    """Entries × jurors table of :func:`juror_scores` (NaN where a juror has no complete sheet)."""
    return scores.pivot_table(index="entry_id", columns="juror_id", values="score", aggfunc="first")


def icc(matrix: pd.DataFrame) -> dict[str, float]:
    """ICC(2,1), ICC(2,k), ICC(3,1), ICC(3,k) of a complete targets × raters table.

    Shrout & Fleiss (1979) cases 2 (absolute agreement, raters random) and 3 (consistency,
    raters fixed), from the two-way ANOVA mean squares (rows MSR, raters MSC, error MSE).
    The tests check these against Shrout & Fleiss's published table and against
    pingouin.intraclass_corr; computing them here keeps pingouin (and its matplotlib and
    statsmodels) out of the dashboard process.  NaN when the table has fewer than two
    targets or raters, or no variance at all.
    """
    n, k = matrix.shape
    values = matrix.to_numpy(dtype=float)
    if n < 2 or k < 2 or np.ptp(values) == 0:
        return dict.fromkeys(ICC_KEYS, math.nan)
    grand = values.mean()
    row_means = values.mean(axis=1, keepdims=True)
    column_means = values.mean(axis=0, keepdims=True)
    msr = k * float(((row_means - grand) ** 2).sum()) / (n - 1)
    msc = n * float(((column_means - grand) ** 2).sum()) / (k - 1)
    mse = float(((values - row_means - column_means + grand) ** 2).sum()) / ((n - 1) * (k - 1))
    with np.errstate(all="ignore"):
        return {
            "icc2_1": _ratio(msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n),
            "icc2_k": _ratio(msr - mse, msr + (msc - mse) / n),
            "icc3_1": _ratio(msr - mse, msr + (k - 1) * mse),
            "icc3_k": _ratio(msr - mse, msr),
        }


def _ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, NaN where the denominator is zero."""
    return numerator / denominator if denominator else math.nan


def kendall_w(matrix: pd.DataFrame) -> float:
    """Kendall's W of a complete objects × raters table, corrected for ties.

    W = 12S / (m²(n³ − n) − mΣT) for n objects and m raters, S the sum of squared
    deviations of the objects' rank sums and T = Σ(t³ − t) over each rater's tie groups;
    it equals scipy's tie-corrected Friedman χ² / (m(n − 1)) (the tests check this).
    Vectorised with scipy's rankdata, so thousands of entries take milliseconds.  NaN
    with fewer than 3 objects or 2 raters, or when every rater ties every object.
    """
    n_objects, n_raters = matrix.shape
    values = matrix.to_numpy(dtype=float)
    if n_objects < 3 or n_raters < 2 or all(np.ptp(values[:, j]) == 0 for j in range(n_raters)):
        return math.nan
    from scipy.stats import rankdata

    rank_sums = rankdata(values, axis=0).sum(axis=1)
    spread = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    for column in values.T:
        counts = np.unique(column, return_counts=True)[1].astype(float)
        ties += float((counts**3 - counts).sum())
    denominator = n_raters**2 * (n_objects**3 - n_objects) - n_raters * ties
    return 12.0 * spread / denominator


def krippendorff_alpha(wide: pd.DataFrame) -> float:
    """Krippendorff's alpha, interval level, of a units × raters table with missing cells (NaN).

    Unlike ICC and W it needs no full table, so it covers split panels: every entry scored
    by two or more jurors counts.  With the squared difference as metric the coincidence
    sums reduce to sums of squares: D_o = (1/n)·Σ_u 2·m_u·SS_u / (m_u − 1) and
    D_e = 2·SS / (n − 1), alpha = 1 − D_o / D_e (m_u values of unit u, SS_u their squared
    deviations from the unit's mean, n and SS over all pairable values).  One pass over the
    cells: the ``krippendorff`` package builds a values × values coincidence matrix per
    unit, 47 GiB for a national edition's continuous totals, so the tests use it as the
    reference instead.  NaN when no entry has two sheets or the values never differ.
    """
    values = wide.to_numpy(dtype=float)
    present = ~np.isnan(values)
    pairable = present.sum(axis=1) >= 2
    values, present = values[pairable], present[pairable]
    count = present.sum(axis=1)
    n = int(count.sum())
    pooled = values[present]
    if n < 2 or np.ptp(pooled) == 0:
        return math.nan
    unit_mean = np.where(present, values, 0.0).sum(axis=1) / count
    unit_squares = np.where(present, (values - unit_mean[:, None]) ** 2, 0.0).sum(axis=1)
    observed = (2.0 * count * unit_squares / (count - 1)).sum() / n
    expected = 2.0 * ((pooled - pooled.mean()) ** 2).sum() / (n - 1)
    return float(1.0 - observed / expected)


def agreement(data: EditionData, criterion_id: Any | None = None) -> dict[str, float | int]:
    """The panel's agreement on one measure over the entries every juror completed.

    Keys: icc2_1, icc2_k, icc3_1, icc3_k, kendall_w (NaN when not computable), krippendorff_alpha
    (over every complete sheet, missing cells allowed), n_entries, n_jurors (of the full table).
    """
    wide = _wide(juror_scores(data, criterion_id))
    matrix = wide.dropna(axis=0, how="any")
    return {
        **icc(matrix),
        "kendall_w": kendall_w(matrix),
        "krippendorff_alpha": krippendorff_alpha(wide),
        "n_entries": int(matrix.shape[0]),
        "n_jurors": int(matrix.shape[1]),
    }


def agreement_table(data: EditionData) -> pd.DataFrame:
    """Agreement on the total and on each criterion.

    Columns: criterion_id, criterion (both missing on the first row, the total) and AGREEMENT_KEYS.
    """
    rows = [{"criterion_id": None, "criterion": None, **agreement(data)}]
    for criterion in scoring.criteria_in_order(data.criteria).itertuples():
        rows.append(
            {
                "criterion_id": criterion.criterion_id,
                "criterion": criterion.name,
                **agreement(data, criterion.criterion_id),
            }
        )
    return pd.DataFrame(rows, columns=["criterion_id", "criterion", *AGREEMENT_KEYS])


def _measure(data: EditionData, criterion_id: Any | None) -> tuple[scoring.Sheets, np.ndarray]:
    """The sheets and their [entry, juror] scores on one measure (total, or one criterion on 0–100)."""
    sheets = scoring.lay_out(data)
    if criterion_id is None:
        return sheets, sheets.totals()
    ids = pd.Index(sheets.criteria["criterion_id"])
    if criterion_id not in ids:
        raise ValueError(f"Criterion {criterion_id!r} is not a criterion of this edition")
    return sheets, sheets.criterion_totals(int(ids.get_loc(criterion_id)))


def agreement_by_panel(data: EditionData, criterion_id: Any | None = None) -> pd.DataFrame:
    """ICC and Kendall's W per group of entries with the same expected jurors (split panels).

    ICC and W need every juror on every entry; with parallel rooms or per-proposal
    evaluators each group of entries sharing one set of expected jurors
    (:func:`kipp.scoring.expected_jurors`) is such a table.  Grouping by expected jurors
    rather than by day and room also covers per-entry assignments and recusals, and keeps
    two sessions with the same jurors together.  Columns: day, room (the group's, where all
    its entries share it, else missing), jurors (names joined by ", "), juror_names (a tuple,
    in panel order), entries (in the
    group), n_entries (fully scored by the group: the figures use these), n_jurors, icc2_1,
    icc2_k, icc3_1, icc3_k, kendall_w.  Groups in the order of their first entry.
    """
    sheets, measure = _measure(data, criterion_id)
    entries = data.entries.reset_index(drop=True)
    seated = sheets.expected.any(axis=1)
    patterns, group = np.unique(sheets.expected[seated], axis=0, return_inverse=True)
    rows = entries.loc[seated, ["day", "room"]].assign(group=group, scored=(~np.isnan(measure[seated])).sum(axis=1))
    by_group = rows.groupby("group", sort=False)
    table = pd.DataFrame(
        {
            "day": by_group["day"].first().where(by_group["day"].nunique(dropna=False) == 1),
            "room": by_group["room"].first().where(by_group["room"].nunique(dropna=False) == 1),
            "entries": by_group.size(),
            "n_entries": (rows["scored"] == patterns.sum(axis=1)[group]).groupby(rows["group"], sort=False).sum(),
            "n_jurors": pd.Series(patterns.sum(axis=1)).reindex(by_group.size().index),
        }
    )
    names = data.panel["juror"].astype(str).to_numpy()
    table["juror_names"] = [tuple(names[patterns[g]]) for g in table.index]
    table["jurors"] = table["juror_names"].map(", ".join)
    order = np.argsort(group, kind="stable")
    blocks = np.split(measure[seated][order], np.cumsum(np.bincount(group))[:-1])  # one block per group
    figures = pd.DataFrame(math.nan, index=table.index, columns=[*ICC_KEYS, "kendall_w"])
    for g in table.index[table["n_entries"] >= 2]:  # one entry has no agreement to measure
        block = blocks[g][:, patterns[g]]
        matrix = pd.DataFrame(block[~np.isnan(block).any(axis=1)])
        figures.loc[g] = pd.Series({**icc(matrix), "kendall_w": kendall_w(matrix)})
    table = pd.concat([table, figures], axis=1).reset_index(drop=True)
    return table[PANEL_AGREEMENT_COLUMNS].astype({"entries": int, "n_entries": int, "n_jurors": int})


def juror_effects(data: EditionData, criterion_id: Any | None = None) -> pd.DataFrame:
    """Each juror's leniency as the adjusted score estimates it, with a standard error.

    effect is b(j) of the fit T(e, j) = a(e) + b(j) over all complete sheets
    (:func:`kipp.adjustment.additive_fit`), in points on 0–100, mean 0 over the jurors with
    a complete sheet: positive = lenient.  Unlike severity it compares jurors who never sat
    together, through the jurors and entries linking their panels.  se = s·√L⁺(j, j), s² the
    residual variance of the fit and L⁺ the pseudo-inverse of its jurors' normal matrix.
    Columns: juror_id, juror, seat, sheets (complete), effect, se.  Raises
    :class:`kipp.adjustment.DisconnectedPanels` when the panels share no juror and no entry.
    """
    measure = _measure(data, criterion_id)[1]
    rooms = data.entries["room"].tolist() if "room" in data.entries else None
    fit = additive_fit(measure, data.panel["juror"].astype(str).tolist(), rooms)
    result = data.panel[["juror_id", "juror", "seat"]].reset_index(drop=True)
    result = result.assign(sheets=(~np.isnan(measure)).sum(axis=0).astype(int), effect=fit.effects, se=fit.se)
    return result.sort_values(["seat", "juror"], kind="stable").reset_index(drop=True)


def _band(value: float | None, bands: Iterable[tuple[float, str]]) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return next(label for upper, label in bands if value < upper)


def icc_reading(value: float | None) -> Literal["poor", "moderate", "good", "excellent"] | None:
    """Koo & Li (2016) reading of an ICC: poor < .5 <= moderate < .75 <= good < .9 <= excellent."""
    return _band(value, ICC_BANDS)  # type: ignore[return-value]


def w_reading(value: float | None) -> str | None:
    """Reading of Kendall's W after Schmidt (1997): very_weak, weak, moderate, strong, very_strong."""
    return _band(value, W_BANDS)


def _without(data: EditionData, juror_id: Any) -> EditionData:
    """The edition as if one juror had not sat on the panel (assignments and session panels kept)."""
    return dataclasses.replace(
        data,
        panel=data.panel[data.panel["juror_id"] != juror_id],
        recusals=data.recusals[data.recusals["juror_id"] != juror_id],
    )


def leave_one_out(data: EditionData) -> pd.DataFrame:
    """The mean ranking recomputed without each juror in turn, against the full panel's.

    Columns: juror_id, juror, seat, entry_id, code, title, rank, award, rank_without,
    award_without, rank_change (positive = moved up without that juror), tier_changed.
    """
    base = scoring.leaderboard(data)[["entry_id", "code", "title", "rank", "award"]]
    parts = []
    for juror in data.panel.sort_values("seat", kind="stable").itertuples():
        without = scoring.leaderboard(_without(data, juror.juror_id))[["entry_id", "rank", "award"]]
        part = base.merge(without, on="entry_id", suffixes=("", "_without"))
        part.insert(0, "seat", juror.seat)
        part.insert(0, "juror", juror.juror)
        part.insert(0, "juror_id", juror.juror_id)
        parts.append(part)
    columns = [
        "juror_id",
        "juror",
        "seat",
        "entry_id",
        "code",
        "title",
        "rank",
        "award",
        "rank_without",
        "award_without",
    ]
    if not parts:
        return pd.DataFrame(columns=[*columns, "rank_change", "tier_changed"])
    result = pd.concat(parts, ignore_index=True)[columns]
    result["rank_change"] = (result["rank"] - result["rank_without"]).astype("Int64")
    result["tier_changed"] = result["award"].fillna("") != result["award_without"].fillna("")
    return result


def _top_keys(scores: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Integer ranking keys: score as displayed (2 decimals), then the tie-break; -1 = no score."""
    scale = 10**scoring.DISPLAY_DECIMALS
    score_key = np.rint(scoring.display_round(np.nan_to_num(scores, nan=0.0)) * scale).astype(np.int64)
    tie_key = np.rint(scoring.display_round(np.nan_to_num(tiebreak, nan=0.0)) * scale).astype(np.int64)
    keys = score_key * (100 * scale + 1) + tie_key
    return np.where(np.isnan(scores), -1, keys)


def bootstrap_top(
    data: EditionData,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    tops: Sequence[int] = TOPS,
) -> pd.DataFrame:
    """How often each complete entry lands in the Top N when the panel's jurors are resampled.

    Each resample draws, for every panel (the entries sharing one set of jurors with a
    complete sheet: the whole panel, or a room's own jurors when rooms split it), as many
    jurors as that panel has, with replacement, and ranks the complete entries by the mean
    of the drawn jurors' totals (a juror drawn twice counts twice; ties broken by the
    top-weight criterion, as in the leaderboard).  Drawing within each panel keeps every
    entry scored in every resample (unless only a juror recused from it is drawn); in a
    fully crossed design there is one panel.
    Vectorised: one matrix product per panel and measure, over the entries that can reach
    the Top N at all.  Columns: entry_id, code, title, rank, score, and p_top{N} for each
    N in ``tops`` (share of resamples, 0..1).
    """
    board = scoring.leaderboard(data)
    board = board[board["complete"]]
    columns = ["entry_id", "code", "title", "rank", "score", *(f"p_top{n}" for n in tops)]
    jurors = data.panel["juror_id"].tolist()
    if board.empty or not jurors:
        return pd.DataFrame(columns=columns)
    entries = board["entry_id"].tolist()

    def matrix(totals: pd.DataFrame) -> np.ndarray:
        wide = totals.pivot_table(index="entry_id", columns="juror_id", values="total", aggfunc="first")
        return wide.reindex(index=entries, columns=jurors).to_numpy(dtype=float)

    totals = matrix(scoring.juror_totals(data))
    tiebreak = matrix(scoring.criterion_totals(data, scoring.top_criterion(data.criteria)))
    rng = np.random.default_rng(seed)

    result = board[["entry_id", "code", "title", "rank", "score"]].reset_index(drop=True)
    for n in tops:
        result[f"p_top{n}"] = 0.0
    # A resampled mean stays between the entry's lowest and highest total.  Entries whose
    # highest total is below the N-th best lowest total can never reach the Top N: leave
    # them out of the resampling (they keep 0).
    scored = ~np.isnan(totals)
    low = np.nanmin(np.where(scored, totals, np.inf), axis=1)
    high = np.nanmax(np.where(scored, totals, -np.inf), axis=1)
    widest = max(tops)
    floor = np.sort(low)[-widest] if len(low) > widest else -np.inf
    candidates = np.flatnonzero(high >= floor)
    # An entry's panel: the jurors with a complete sheet plus those recused from it (a
    # recused juror drawn simply does not count for that entry, as in the leaderboard).
    recused = pd.Series(True, index=pd.MultiIndex.from_frame(data.recusals[["entry_id", "juror_id"]]))
    recused = recused[~recused.index.duplicated()].unstack(fill_value=False)
    recused = recused.reindex(index=entries, columns=jurors, fill_value=False).to_numpy(dtype=bool)
    scores = np.empty((resamples, len(candidates)))
    ties = np.empty_like(scores)
    patterns, panel_of = np.unique((scored | recused)[candidates], axis=0, return_inverse=True)
    for number, pattern in enumerate(patterns):
        members = np.flatnonzero(pattern)
        draws = members[rng.integers(0, len(members), size=(resamples, len(members)))]
        counts = np.zeros((resamples, len(jurors)))
        np.add.at(counts, (np.arange(resamples)[:, None], draws), 1.0)
        in_panel = panel_of.ravel() == number
        rows = candidates[in_panel]
        weight = counts @ scored[rows].T.astype(float)  # resamples × the panel's entries
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[:, in_panel] = counts @ np.nan_to_num(totals[rows]).T / weight
            ties[:, in_panel] = counts @ np.nan_to_num(tiebreak[rows]).T / weight
    keys = _top_keys(scores, ties)
    for n in tops:
        if len(candidates) <= n:
            inside = keys >= 0
        else:
            cutoff = np.partition(keys, len(candidates) - n, axis=1)[:, len(candidates) - n]
            inside = (keys >= cutoff[:, None]) & (keys >= 0)
        result.loc[candidates, f"p_top{n}"] = inside.mean(axis=0)
    return result


def entry_sheets(data: EditionData, entry_id: Any) -> pd.DataFrame:
    """One entry's sheets: a row per panel juror, a column per criterion, the total and status.

    Columns: juror_id, juror, seat, status, <criterion names…>, total.
    """
    criteria = scoring.criteria_in_order(data.criteria)
    status = scoring.sheet_status(data)
    status = status[status["entry_id"] == entry_id][["juror_id", "status"]]
    cells = data.scores[data.scores["entry_id"] == entry_id].astype({"value": float})
    cells = cells[cells["juror_id"].isin(status.loc[status["status"] != scoring.SHEET_RECUSED, "juror_id"])]
    wide = cells.pivot_table(index="juror_id", columns="criterion_id", values="value", aggfunc="first")
    wide = wide.reindex(columns=criteria["criterion_id"].tolist())
    wide.columns = criteria["name"].tolist()
    totals = scoring.juror_totals(data)
    totals = totals[totals["entry_id"] == entry_id][["juror_id", "total"]]
    sheet = data.panel[["juror_id", "juror", "seat"]].merge(status, on="juror_id", how="left")
    sheet = sheet.merge(wide, left_on="juror_id", right_index=True, how="left")
    sheet = sheet.merge(totals, on="juror_id", how="left")
    return sheet.sort_values(["seat", "juror"], kind="stable").reset_index(drop=True)


def juror_entries(
    data: EditionData, juror_id: Any, points: float = DEVIATION_POINTS, method: scoring.Method = "mean"
) -> pd.DataFrame:
    """One juror's totals against the rest of the panel on every entry they and another juror completed.

    Columns: entry_id, code, title, rank (final, under ``method``), award, tier_position, score,
    others_mean, deviation, z, flagged; sorted by rank.
    """
    deviation = deviations(data, points=points)
    mine = deviation[deviation["juror_id"] == juror_id].drop(columns=["code", "title"])
    board = scoring.leaderboard(data, method)[["entry_id", "code", "title", "rank", "award", "tier_position"]]
    columns = [
        "entry_id",
        "code",
        "title",
        "rank",
        "award",
        "tier_position",
        "score",
        "others_mean",
        "deviation",
        "z",
        "flagged",
    ]
    return board.merge(mine, on="entry_id")[columns].reset_index(drop=True)


def picked_entry(points: Sequence[Mapping[str, Any]], entries: pd.DataFrame) -> Any | None:
    """The entry a chart selection points at: customdata[0] as entry id, else a y/x entry code.

    ``points`` is Streamlit's plotly selection (``event.selection.points``).
    """
    ids = set(entries["entry_id"])
    by_code = dict(zip(entries["code"], entries["entry_id"], strict=True))
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list | tuple) and custom and custom[0] in ids:
            return custom[0]
        if custom in ids:
            return custom
        for axis in ("y", "x"):
            if point.get(axis) in by_code:
                return by_code[point[axis]]
    return None
