"""The scoring definitions every page, export and command shares (pure pandas).

See "Scoring" in shared/design.md.  Nothing here touches the database or Streamlit:
:func:`leaderboard` takes an :class:`EditionData` (tidy frames) and returns the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

Method = Literal["mean", "median", "trimmed", "zscore"]
METHODS: tuple[Method, ...] = ("mean", "median", "trimmed", "zscore")
DISPLAY_DECIMALS = 2
TRIM_MIN_SHEETS = 4

SHEET_DONE = "done"
SHEET_PARTIAL = "partial"
SHEET_MISSING = "missing"
SHEET_RECUSED = "recused"

LEADERBOARD_COLUMNS = ["rank", "code", "title", "institution", "score", "jurors", "complete", "award"]

DEFAULT_TIERS: tuple[dict[str, Any], ...] = (
    {"name": "Juara", "size": 3, "numbered": True},
    {"name": "Terbaik", "size": 3},
    {"name": "Favorit", "size": 4},
)


def _frame(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


@dataclass(frozen=True)
class EditionData:
    """Everything the scoring needs about one edition, as tidy frames.

    entries:  entry_id, code, title, institution, institution_type, category, day, room, slot
    criteria: criterion_id, name, weight, max_score, position
    panel:    juror_id, juror, seat
    scores:   entry_id, juror_id, criterion_id, value
    recusals: entry_id, juror_id
    tiers:    ordered award tiers [{"name", "size", "numbered"?}]
    """

    entries: pd.DataFrame
    criteria: pd.DataFrame
    panel: pd.DataFrame
    scores: pd.DataFrame
    recusals: pd.DataFrame = field(default_factory=lambda: _frame(["entry_id", "juror_id"]))
    tiers: Sequence[dict[str, Any]] = DEFAULT_TIERS


def _criteria_in_order(criteria: pd.DataFrame) -> pd.DataFrame:
    return criteria.sort_values(["position", "criterion_id"], kind="stable")


def sheet_cells(data: EditionData) -> pd.DataFrame:
    """Scores of panel jurors on the edition's criteria, with each cell's share of the total.

    Columns: entry_id, juror_id, criterion_id, value, part (= w_c * s_c / m_c).
    """
    criteria = data.criteria[["criterion_id", "weight", "max_score"]]
    cells = data.scores[["entry_id", "juror_id", "criterion_id", "value"]].merge(
        criteria, on="criterion_id", how="inner"
    )
    cells = cells[cells["juror_id"].isin(data.panel["juror_id"])]
    cells = cells[cells["entry_id"].isin(data.entries["entry_id"])]
    cells["value"] = cells["value"].astype(float)
    cells["part"] = cells["weight"].astype(float) * cells["value"] / cells["max_score"].astype(float)
    return cells[["entry_id", "juror_id", "criterion_id", "value", "part"]]


def juror_totals(data: EditionData) -> pd.DataFrame:
    """Juror totals T = 100·Σ w·s/m / Σ w (0–100) over complete sheets only.

    Columns: entry_id, juror_id, total.  A sheet is complete when it has a score for
    every criterion of the edition; incomplete sheets are left out entirely.
    """
    n_criteria = len(data.criteria)
    if n_criteria == 0:
        return pd.DataFrame({"entry_id": [], "juror_id": [], "total": []})
    weight_sum = float(data.criteria["weight"].astype(float).sum())
    sheets = (
        sheet_cells(data)
        .groupby(["entry_id", "juror_id"], sort=False)
        .agg(part=("part", "sum"), cells=("part", "size"))
        .reset_index()
    )
    complete = sheets[sheets["cells"] == n_criteria]
    totals = complete.assign(total=100.0 * complete["part"] / weight_sum)
    return totals[["entry_id", "juror_id", "total"]].reset_index(drop=True)


def criterion_totals(data: EditionData, criterion_id: Any) -> pd.DataFrame:
    """One criterion alone on the 0–100 scale (100·s/m), over complete sheets (for tie-breaks)."""
    cells = sheet_cells(data)
    complete = juror_totals(data)[["entry_id", "juror_id"]]
    one = cells[cells["criterion_id"] == criterion_id].merge(complete, on=["entry_id", "juror_id"])
    max_score = float(data.criteria.loc[data.criteria["criterion_id"] == criterion_id, "max_score"].iloc[0])
    return one.assign(total=100.0 * one["value"] / max_score)[["entry_id", "juror_id", "total"]]


def aggregate(totals: pd.DataFrame, method: Method = "mean") -> pd.Series:
    """Entry score from juror totals by method; a Series indexed by entry_id."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if totals.empty:
        return pd.Series(dtype=float, name="score")
    grouped = totals.groupby("entry_id", sort=False)["total"]
    if method == "mean":
        result = grouped.mean()
    elif method == "median":
        result = grouped.median()
    elif method == "trimmed":
        result = _trimmed_mean(totals)
    else:
        result = _zscore(totals)
    return result.rename("score").astype(float)


def _trimmed_mean(totals: pd.DataFrame) -> pd.Series:
    """Mean after dropping one highest and one lowest total where there are >= 4 sheets."""
    grouped = totals.groupby("entry_id", sort=False)["total"]
    count = grouped.count()
    total = grouped.sum()
    trimmed = (total - grouped.max() - grouped.min()) / (count - 2)
    return trimmed.where(count >= TRIM_MIN_SHEETS, total / count)


def _zscore(totals: pd.DataFrame) -> pd.Series:
    """Mean of per-juror standardised totals, mapped back to the edition's 0–100 scale."""
    by_juror = totals.groupby("juror_id", sort=False)["total"]
    mean_j = by_juror.transform("mean")
    sd_j = by_juror.transform("std", ddof=0)
    z = ((totals["total"] - mean_j) / sd_j).where(sd_j > 0, 0.0)
    entry_z = z.groupby(totals["entry_id"], sort=False).mean()
    edition_mean = totals["total"].mean()
    edition_sd = totals["total"].std(ddof=0)
    return edition_mean + edition_sd * entry_z


def sheet_status(data: EditionData) -> pd.DataFrame:
    """Status of every entry × panel juror sheet: done, partial, missing or recused.

    Columns: entry_id, juror_id, status, cells (number of criteria scored).
    """
    grid = data.entries[["entry_id"]].merge(data.panel[["juror_id"]], how="cross")
    counts = sheet_cells(data).groupby(["entry_id", "juror_id"], sort=False).size().rename("cells").reset_index()
    grid = grid.merge(counts, on=["entry_id", "juror_id"], how="left")
    grid["cells"] = grid["cells"].fillna(0).astype(int)
    n_criteria = len(data.criteria)
    status = np.where(
        (grid["cells"] >= n_criteria) & (n_criteria > 0),
        SHEET_DONE,
        np.where(grid["cells"] > 0, SHEET_PARTIAL, SHEET_MISSING),
    )
    grid["status"] = status
    if not data.recusals.empty:
        recused = grid.set_index(["entry_id", "juror_id"]).index.isin(
            data.recusals.set_index(["entry_id", "juror_id"]).index
        )
        grid.loc[recused, "status"] = SHEET_RECUSED
    return grid[["entry_id", "juror_id", "status", "cells"]]


def top_criterion(criteria: pd.DataFrame) -> Any:
    """The tie-break criterion: the highest weight, first in the edition's order."""
    ordered = _criteria_in_order(criteria)
    return ordered.loc[ordered["weight"].astype(float).idxmax(), "criterion_id"]


def shared_rank(keys: pd.DataFrame) -> pd.Series:
    """Competition ranking (1, 2, 2, 4) over key columns, all descending, NaN last."""
    if keys.empty:
        return pd.Series(dtype="Int64")
    ordered = keys.sort_values(list(keys.columns), ascending=False, na_position="last", kind="stable")
    changed = ordered.ne(ordered.shift()).any(axis=1) & ~ordered.isna().all(axis=1)
    positions = pd.Series(np.arange(1, len(ordered) + 1), index=ordered.index)
    first_position = positions.where(changed).ffill()
    ranks = first_position.where(~ordered.iloc[:, 0].isna())
    return ranks.reindex(keys.index).astype("Int64")


def award_labels(award_rank: pd.Series, tiers: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Award tier of each award rank; shared ranks share the tier of that rank.

    Returns columns tier (tier name or NA) and award (e.g. "Juara 1", "Terbaik").
    """
    tier = pd.Series(pd.NA, index=award_rank.index, dtype="object")
    award = pd.Series(pd.NA, index=award_rank.index, dtype="object")
    upper = 0
    for spec in tiers:
        lower, upper = upper, upper + int(spec["size"])
        inside = award_rank.notna() & (award_rank > lower) & (award_rank <= upper)
        tier[inside] = spec["name"]
        if spec.get("numbered"):
            award[inside] = spec["name"] + " " + (award_rank[inside] - lower).astype(int).astype(str)
        else:
            award[inside] = spec["name"]
    return pd.DataFrame({"tier": tier, "award": award})


def normalise_tiers(tiers: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Validated award tiers: names non-empty, sizes positive integers."""
    result = []
    for spec in tiers or DEFAULT_TIERS:
        name = str(spec.get("name", "")).strip()
        size = int(spec.get("size", 0))
        if not name or size <= 0:
            raise ValueError(f"Award tier needs a name and a positive size, got {spec!r}")
        result.append({"name": name, "size": size, "numbered": bool(spec.get("numbered", False))})
    return result


def leaderboard(data: EditionData, method: Method = "mean") -> pd.DataFrame:
    """The ranking of an edition: the one function every page, export and command uses.

    Columns: rank, code, title, institution, score, jurors, complete, award, plus
    entry_id, institution_type, tier, tiebreak, panel (jurors expected after recusals),
    provisional.  Sorted by rank; entries without any complete sheet come last.
    """
    totals = juror_totals(data)
    scores = aggregate(totals, method)
    board = data.entries.copy()
    board["score"] = board["entry_id"].map(scores).astype(float).round(DISPLAY_DECIMALS)

    if len(data.criteria):
        tiebreak_totals = criterion_totals(data, top_criterion(data.criteria))
        tiebreak = aggregate(tiebreak_totals, method)
        board["tiebreak"] = board["entry_id"].map(tiebreak).astype(float).round(DISPLAY_DECIMALS)
    else:
        board["tiebreak"] = np.nan

    status = sheet_status(data)
    done = (status["status"] == SHEET_DONE).groupby(status["entry_id"]).sum()
    expected = (status["status"] != SHEET_RECUSED).groupby(status["entry_id"]).sum()
    board["jurors"] = board["entry_id"].map(done).fillna(0).astype(int)
    board["panel"] = board["entry_id"].map(expected).fillna(0).astype(int)
    board["complete"] = (board["jurors"] >= board["panel"]) & (board["jurors"] > 0)
    board["provisional"] = ~board["complete"]

    keys = board[["score", "tiebreak"]]
    board["rank"] = shared_rank(keys)
    complete_keys = keys.where(board["complete"])
    award_rank = shared_rank(complete_keys).where(board["complete"])
    board = pd.concat([board, award_labels(award_rank, normalise_tiers(data.tiers))], axis=1)

    board = board.sort_values(["rank", "code"], na_position="last", kind="stable").reset_index(drop=True)
    extra = [c for c in board.columns if c not in LEADERBOARD_COLUMNS]
    return board[LEADERBOARD_COLUMNS + extra]


def compare_methods(data: EditionData, top: int = 10) -> pd.DataFrame:
    """Rank of every entry under each method side by side, and whether the top-N sets differ.

    Columns: entry_id, code, title, rank_<method> for each method, in_top_all (bool).
    """
    boards = {method: leaderboard(data, method) for method in METHODS}
    base = boards["mean"][["entry_id", "code", "title"]]
    for method, board in boards.items():
        base = base.merge(board[["entry_id", "rank"]].rename(columns={"rank": f"rank_{method}"}), on="entry_id")
    in_top = pd.concat([base[f"rank_{m}"] <= top for m in METHODS], axis=1).fillna(False)
    base["in_top_all"] = in_top.all(axis=1)
    base["in_top_any"] = in_top.any(axis=1)
    return base


def top_sets_disagree(comparison: pd.DataFrame) -> list[str]:
    """Codes of entries that are in the top N under some methods but not all."""
    mask = comparison["in_top_any"] & ~comparison["in_top_all"]
    return comparison.loc[mask, "code"].tolist()
