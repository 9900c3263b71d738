"""The scoring definitions every page, export and command shares (pure pandas/numpy).

See docs/scoring.md for every definition.  Nothing here touches the database or Streamlit:
:func:`leaderboard` takes an :class:`EditionData` (tidy frames) and returns the ranking.

Internally the scores are laid out once as a dense entry × juror × criterion array
(NaN = not scored), so every step is a vectorised reduction: the national scale
(3,500 entries × 5 jurors × 5 criteria) costs a few milliseconds, not a loop per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kipp.adjustment import additive_fit, components
from kipp.choices import METHODS

if TYPE_CHECKING:
    from kipp.choices import Method

DISPLAY_DECIMALS = 2
TRIM_MIN_SHEETS = 4
# A juror whose totals spread less than this (0–100 scale) never varies: z = 0 (float noise is not spread).
ZSCORE_MIN_SD = 1e-9

SHEET_DONE = "done"
SHEET_PARTIAL = "partial"
SHEET_MISSING = "missing"
SHEET_RECUSED = "recused"
SHEET_UNASSIGNED = "unassigned"  # the juror does not sit on this entry's panel: never expected, never missing
SHEET_STATUSES = (SHEET_DONE, SHEET_PARTIAL, SHEET_MISSING, SHEET_RECUSED, SHEET_UNASSIGNED)

# Where an entry's expected jurors come from (see expected_jurors).
FROM_ASSIGNMENT = "assignment"

# Awards are provisional ("sementara") while an edition is scored; they are final once it is locked.
FINAL_STATUSES = frozenset({"locked", "published"})


def awards_final(status: str) -> bool:
    """Whether an edition in ``status`` shows its awards as final (locked or published), not provisional."""
    return status in FINAL_STATUSES
FROM_SESSION = "session"
FROM_EDITION = "edition"

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
    assignments: entry_id, juror_id: an entry's own jurors (e.g. 2–3 evaluators per proposal)
    panels:   day, room, juror_id: the jurors sitting in a session (parallel rooms)
    official_method: the edition's method for its published ranking (the default everywhere)

    entries may carry an ``entry_status`` column (competing / withdrawn / absent).
    assignments and panels are empty by default: then every panel juror is expected on
    every entry.  See :func:`expected_jurors` for how they resolve.
    """

    entries: pd.DataFrame
    criteria: pd.DataFrame
    panel: pd.DataFrame
    scores: pd.DataFrame
    recusals: pd.DataFrame = field(default_factory=lambda: _frame(["entry_id", "juror_id"]))
    tiers: Sequence[dict[str, Any]] = DEFAULT_TIERS
    assignments: pd.DataFrame = field(default_factory=lambda: _frame(["entry_id", "juror_id"]))
    panels: pd.DataFrame = field(default_factory=lambda: _frame(["day", "room", "juror_id"]))
    official_method: Method = "mean"


def criteria_in_order(criteria: pd.DataFrame) -> pd.DataFrame:
    """The criteria in the edition's order (position, then id): the order of every sheet and table."""
    return criteria.sort_values(["position", "criterion_id"], kind="stable")


@dataclass(frozen=True)
class Sheets:
    """The scores as a dense array: values[entry, juror, criterion], NaN where not scored.

    Entries follow ``data.entries``, jurors ``data.panel``, criteria the edition's order.
    Scores of jurors not expected on the entry (recused, or not on its panel), of jurors
    off the edition's panel, of unknown entries or criteria are left out: they never count.
    recused[entry, juror] marks recusals from the entry's own panel, expected[entry, juror]
    the jurors who must score it (:func:`expected_jurors`).
    """

    entry_ids: np.ndarray
    juror_ids: np.ndarray
    criteria: pd.DataFrame
    values: np.ndarray
    recused: np.ndarray
    expected: np.ndarray

    @property
    def weights(self) -> np.ndarray:
        return self.criteria["weight"].to_numpy(dtype=float)

    @property
    def maxima(self) -> np.ndarray:
        return self.criteria["max_score"].to_numpy(dtype=float)

    @property
    def cells(self) -> np.ndarray:
        """Number of criteria scored on each sheet [entry, juror]."""
        return (~np.isnan(self.values)).sum(axis=2)

    @property
    def complete(self) -> np.ndarray:
        """Whether each sheet [entry, juror] scores every criterion of the edition."""
        n_criteria = self.values.shape[2]
        return (self.cells == n_criteria) & (n_criteria > 0)

    def totals(self) -> np.ndarray:
        """Juror totals [entry, juror] on 0–100; NaN for incomplete sheets."""
        weights = self.weights
        parts = self.values * (weights / self.maxima)[None, None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            return 100.0 * parts.sum(axis=2) / weights.sum()

    def criteria_totals(self) -> np.ndarray:
        """Each criterion alone on 0–100 (100·s/m) [entry, juror, criterion], over complete sheets only."""
        return np.where(self.complete[:, :, None], 100.0 * self.values / self.maxima, np.nan)

    def criterion_totals(self, position: int) -> np.ndarray:
        """One criterion alone on 0–100 (100·s/m) [entry, juror], over complete sheets only."""
        return self.criteria_totals()[:, :, position]


def _positions(index: pd.Index, keys: pd.Series) -> np.ndarray:
    """Position of each key in a unique index (-1 when absent)."""
    return index.get_indexer(pd.Index(keys)) if len(keys) else np.empty(0, dtype=int)


def _assigned(data: EditionData, entries: pd.Index, jurors: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Who sits on each entry's panel [entry, juror] before recusals, and the source of each row.

    An entry's explicit assignments if it has any, else the panel of its session (day and
    room) if that session has one, else the whole edition panel.  Vectorised: one
    grouping of the sessions, one scatter per source.
    """
    assigned = np.ones((len(entries), len(jurors)), dtype=bool)
    source = np.full(len(entries), FROM_EDITION, dtype=object)
    if len(data.panels):
        keys = pd.concat([data.entries[["day", "room"]], data.panels[["day", "room"]]], ignore_index=True)
        session = keys.groupby(["day", "room"], dropna=False, sort=False).ngroup().to_numpy()
        entry_session, panel_session = session[: len(entries)], session[len(entries) :]
        j = _positions(jurors, data.panels["juror_id"])
        members = np.zeros((session.max() + 1, len(jurors)), dtype=bool)
        members[panel_session[j >= 0], j[j >= 0]] = True
        seated = np.isin(entry_session, panel_session)
        assigned[seated] = members[entry_session[seated]]
        source[seated] = FROM_SESSION
    if len(data.assignments):
        e, j = _positions(entries, data.assignments["entry_id"]), _positions(jurors, data.assignments["juror_id"])
        own = np.zeros(len(entries), dtype=bool)
        own[e[e >= 0]] = True
        assigned[own] = False
        inside = (e >= 0) & (j >= 0)
        assigned[e[inside], j[inside]] = True
        source[own] = FROM_ASSIGNMENT
    return assigned, source


def _expected(data: EditionData, entries: pd.Index, jurors: pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """expected [entry, juror], recused from the entry's own panel [entry, juror], and each entry's source."""
    assigned, source = _assigned(data, entries, jurors)
    recused = np.zeros_like(assigned)
    if len(data.recusals):
        e, j = _positions(entries, data.recusals["entry_id"]), _positions(jurors, data.recusals["juror_id"])
        inside = (e >= 0) & (j >= 0)
        recused[e[inside], j[inside]] = True
    recused &= assigned
    return assigned & ~recused, recused, source


def _entries_and_jurors(data: EditionData) -> tuple[pd.Index, pd.Index]:
    """The entry ids and panel juror ids as indexes: the rows and columns of every [entry, juror] array."""
    return pd.Index(data.entries["entry_id"]), pd.Index(data.panel["juror_id"])


def expected_jurors(data: EditionData) -> pd.DataFrame:
    """Who is expected to score each entry: entry_id, juror_id, source, one row per expected pair.

    The entry's explicit assignments if it has any (source "assignment"), else the panel
    of its session, day and room, if that session has one ("session"), else the whole
    edition panel ("edition").  Recused jurors are not expected; neither are jurors off
    the edition panel.  Rows follow the entries' order, then the panel's.
    """
    entries, jurors = _entries_and_jurors(data)
    expected, _, source = _expected(data, entries, jurors)
    e, j = np.nonzero(expected)
    return pd.DataFrame({"entry_id": entries.to_numpy()[e], "juror_id": jurors.to_numpy()[j], "source": source[e]})


def panels_differ(data: EditionData) -> bool:
    """Whether some entries have other expected jurors than the rest (split panels or recusals).

    Then the plain mean compares entries scored by different jurors, and the adjusted
    method is worth a look.
    """
    expected = _expected(data, *_entries_and_jurors(data))[0]
    return bool(len(expected) and (expected != expected[0]).any())


def lay_out(data: EditionData) -> Sheets:
    """Lay out an edition's scores as a dense entry × juror × criterion array (vectorised)."""
    criteria = criteria_in_order(data.criteria).reset_index(drop=True)
    entries, jurors = _entries_and_jurors(data)
    criterion_ids = pd.Index(criteria["criterion_id"])
    values = np.full((len(entries), len(jurors), len(criterion_ids)), np.nan)

    scores = data.scores
    e, j, c = (
        _positions(index, scores[column])
        for index, column in ((entries, "entry_id"), (jurors, "juror_id"), (criterion_ids, "criterion_id"))
    )
    raw = pd.to_numeric(scores["value"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    keep = (e >= 0) & (j >= 0) & (c >= 0) & ~np.isnan(raw)
    values[e[keep], j[keep], c[keep]] = raw[keep]

    expected, recused, _ = _expected(data, entries, jurors)
    values[~expected] = np.nan
    return Sheets(entries.to_numpy(), jurors.to_numpy(), criteria, values, recused, expected)


def _long(sheets: Sheets, matrix: np.ndarray) -> pd.DataFrame:
    """entry_id, juror_id, total for the non-missing cells of an [entry, juror] matrix."""
    e, j = np.nonzero(~np.isnan(matrix))
    return pd.DataFrame({"entry_id": sheets.entry_ids[e], "juror_id": sheets.juror_ids[j], "total": matrix[e, j]})


def juror_totals(data: EditionData) -> pd.DataFrame:
    """Juror totals T = 100·Σ w·s/m / Σ w (0–100) over complete sheets only.

    Columns: entry_id, juror_id, total.  A sheet is complete when it has a score for
    every criterion of the edition; incomplete sheets are left out entirely.
    """
    sheets = lay_out(data)
    return _long(sheets, sheets.totals())


def criterion_totals(data: EditionData, criterion_id: Any) -> pd.DataFrame:
    """One criterion alone on the 0–100 scale (100·s/m), over complete sheets (for tie-breaks)."""
    sheets = lay_out(data)
    position = int(pd.Index(sheets.criteria["criterion_id"]).get_loc(criterion_id))
    return _long(sheets, sheets.criterion_totals(position))


def criteria_totals(data: EditionData) -> pd.DataFrame:
    """:func:`criterion_totals` for every criterion at once, the sheets laid out only once.

    Columns: criterion_id, entry_id, juror_id, total; criteria in the edition's order, then
    entries and jurors in the edition's order (per-criterion levels across many editions).
    """
    sheets = lay_out(data)
    totals = sheets.criteria_totals().transpose(2, 0, 1)  # [criterion, entry, juror]: criterion-major rows
    c, e, j = np.nonzero(~np.isnan(totals))
    return pd.DataFrame(
        {
            "criterion_id": sheets.criteria["criterion_id"].to_numpy()[c],
            "entry_id": sheets.entry_ids[e],
            "juror_id": sheets.juror_ids[j],
            "total": totals[c, e, j],
        }
    )


def _aggregate_matrix(
    totals: np.ndarray,
    method: Method,
    juror_names: Sequence[str] | None = None,
    rooms: Sequence[Any] | None = None,
) -> np.ndarray:
    """Entry scores from a [entry, juror] matrix of totals (NaN = no complete sheet).

    ``juror_names`` (per column) and ``rooms`` (per row) only name the groups when the
    adjusted method finds panels that share no juror and no entry.
    """
    present = ~np.isnan(totals)
    count = present.sum(axis=1)
    filled = np.where(present, totals, 0.0)
    result = np.full(totals.shape[0], np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "mean":
            result = filled.sum(axis=1) / count
        elif method == "median":
            rows = count > 0
            result[rows] = np.nanmedian(totals[rows], axis=1)
        elif method == "trimmed":
            total = filled.sum(axis=1)
            highest = np.where(present, totals, -np.inf).max(axis=1, initial=-np.inf)
            lowest = np.where(present, totals, np.inf).min(axis=1, initial=np.inf)
            result = np.where(count >= TRIM_MIN_SHEETS, (total - highest - lowest) / (count - 2), total / count)
        elif method == "adjusted":
            result = additive_fit(totals, juror_names, rooms).scores
        else:
            per_juror = present.sum(axis=0)
            mean_j = filled.sum(axis=0) / per_juror
            deviation = np.where(present, totals - mean_j, 0.0)
            sd_j = np.sqrt((deviation**2).sum(axis=0) / per_juror)
            z = np.where(sd_j > ZSCORE_MIN_SD, deviation / sd_j, 0.0)
            entry_z = z.sum(axis=1) / count
            values = totals[present]
            edition_mean = values.mean() if values.size else np.nan
            edition_sd = values.std() if values.size else np.nan
            result = np.where(count > 0, edition_mean + edition_sd * entry_z, np.nan)
    return result


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}")


def aggregate(totals: pd.DataFrame, method: Method = "mean") -> pd.Series:
    """Entry score from juror totals (entry_id, juror_id, total) by method; a Series by entry_id.

    mean, median; trimmed drops one highest and one lowest total with 4 or more sheets;
    zscore standardises each juror over the entries they completed (population sd, z = 0
    when a juror never varies), averages the z of each entry and reports M + S·z with M, S
    the mean and population sd of all the totals; adjusted removes each juror's effect
    fitted over all the totals (:func:`kipp.adjustment.additive_fit`, groups named by juror_id).
    """
    _check_method(method)
    if totals.empty:
        return pd.Series(dtype=float, name="score")
    entry_codes, entries = pd.factorize(totals["entry_id"])
    juror_codes, jurors = pd.factorize(totals["juror_id"])
    matrix = np.full((len(entries), len(jurors)), np.nan)
    matrix[entry_codes, juror_codes] = totals["total"].to_numpy(dtype=float)
    scores = _aggregate_matrix(matrix, method, [str(juror) for juror in jurors])
    return pd.Series(scores, index=pd.Index(entries, name="entry_id"), name="score")


def display_round(values: np.ndarray | pd.Series) -> np.ndarray:
    """Scores as displayed: 2 decimals, halves rounded up (80.125 -> 80.13).

    Float noise from summing in another order (80.12499999…) is absorbed first, so the
    same sheets always give the same displayed score, whatever the order of the rows.
    """
    scaled = np.round(np.asarray(values, dtype=float) * 10**DISPLAY_DECIMALS, 6)
    return np.floor(scaled + 0.5) / 10**DISPLAY_DECIMALS


def status_matrix(sheets: Sheets) -> np.ndarray:
    """done / partial / missing / recused / unassigned for every [entry, juror] sheet."""
    cells = sheets.cells
    return np.select(
        [sheets.recused, ~sheets.expected, sheets.complete, cells > 0],
        [SHEET_RECUSED, SHEET_UNASSIGNED, SHEET_DONE, SHEET_PARTIAL],
        default=SHEET_MISSING,
    )


def sheet_status(data: EditionData) -> pd.DataFrame:
    """Status of every entry × panel juror sheet: done, partial, missing, recused or unassigned.

    unassigned: the juror is not on the entry's panel (:func:`expected_jurors`), so the
    sheet is never awaited.  Columns: entry_id, juror_id, status, cells (number of criteria
    scored, counting only expected jurors).  Rows follow the entries' order, then the panel's order.
    """
    sheets = lay_out(data)
    n_entries, n_jurors = sheets.recused.shape
    return pd.DataFrame(
        {
            "entry_id": np.repeat(sheets.entry_ids, n_jurors),
            "juror_id": np.tile(sheets.juror_ids, n_entries),
            "status": status_matrix(sheets).reshape(-1),
            "cells": sheets.cells.reshape(-1).astype(int),
        }
    )


def top_criterion(criteria: pd.DataFrame) -> Any:
    """The tie-break criterion: the highest weight, first in the edition's order."""
    ordered = criteria_in_order(criteria).reset_index(drop=True)
    return ordered.loc[ordered["weight"].astype(float).idxmax(), "criterion_id"]


def competition_rank(*keys: np.ndarray | pd.Series) -> np.ndarray:
    """Competition ranking (1, 2, 2, 4): higher first on the first key, then the next ones.

    Rows equal on every key share a rank; rows without a first key (NaN) get no rank (NaN).
    """
    arrays = [np.asarray(key, dtype=float) for key in keys]
    n = len(arrays[0])
    if n == 0:
        return np.empty(0)
    # lexsort sorts ascending on the last key first: negate, and send NaN to the end.
    order = np.lexsort([np.where(np.isnan(a), np.inf, -a) for a in reversed(arrays)])
    same = np.ones(n - 1, dtype=bool)
    for array in arrays:
        ordered = array[order]
        same &= (ordered[1:] == ordered[:-1]) | (np.isnan(ordered[1:]) & np.isnan(ordered[:-1]))
    positions = np.arange(1, n + 1)
    first = np.maximum.accumulate(np.where(np.r_[True, ~same], positions, 0))
    ranks = np.empty(n)
    ranks[order] = first
    ranks[np.isnan(arrays[0])] = np.nan
    return ranks


def normalise_tiers(tiers: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Validated award tiers: names non-empty, sizes positive integers.

    ``numbered`` (Juara 1, Juara 2 …) defaults to true for the first tier only, so an
    edition stored with plain {"name", "size"} tiers still names its winners 1st–3rd.
    """
    result = []
    for position, spec in enumerate(tiers or DEFAULT_TIERS):
        name = str(spec.get("name", "")).strip()
        size = spec.get("size", 0)
        if not name or isinstance(size, bool) or not isinstance(size, int | float) or size <= 0 or size % 1:
            raise ValueError(f"Award tier needs a name and a positive whole size, got {spec!r}")
        numbered = bool(spec.get("numbered", position == 0))
        result.append({"name": name, "size": int(size), "numbered": numbered})
    return result


def award_labels(award_rank: pd.Series, tiers: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Award tier of each award rank; shared ranks share the tier of that rank.

    Returns columns tier (tier name or NA), tier_position (1 for the first tier, Int64, NA
    without award: what colours follow, whatever the tiers are called) and award (e.g.
    "Juara 1", "Terbaik").
    """
    rank = award_rank.to_numpy(dtype=float, na_value=np.nan)
    upper = np.cumsum([int(spec["size"]) for spec in tiers])
    which = np.searchsorted(upper, rank, side="left")  # first tier whose upper bound >= rank
    awarded = ~np.isnan(rank) & (which < len(tiers))
    names = np.array([spec["name"] for spec in tiers] + [None], dtype=object)
    numbered = np.array([bool(spec.get("numbered")) for spec in tiers] + [False])
    lower = np.r_[0, upper][np.minimum(which, len(tiers))]
    slot = np.where(awarded, which, len(tiers))
    tier = pd.Series(names[slot], index=award_rank.index, dtype="object")
    place = pd.Series(np.where(awarded, rank - lower, 0), index=award_rank.index).astype(int).astype(str).astype(object)
    award = tier.where(~numbered[slot], tier + " " + place)
    position = pd.Series(pd.array(slot + 1, dtype="Int64"), index=award_rank.index)
    labels = pd.DataFrame({"tier": tier, "tier_position": position, "award": award})
    return labels.where(pd.Series(awarded, index=award_rank.index), pd.NA)


def leaderboard(data: EditionData, method: Method = "mean") -> pd.DataFrame:
    """The ranking of an edition: the one function every page, export and command uses.

    Columns: rank, code, title, institution, score, jurors, complete, award, plus the
    entries' other columns, tier, tier_position (1-based), tiebreak (score on the top
    criterion), panel (jurors expected after recusals, :func:`expected_jurors`) and
    provisional.  An entry is complete when every expected juror has a complete sheet.
    Scores are rounded as displayed (2 decimals) before ranking.  Only complete entries get
    a rank (and an award); provisional entries follow them unranked (NA), by running score,
    those without a score last.  The adjusted method raises
    :class:`kipp.adjustment.DisconnectedPanels` when the complete sheets form groups that
    share no juror and no entry.
    """
    _check_method(method)
    sheets = lay_out(data)
    board = data.entries.reset_index(drop=True).copy()
    names = data.panel["juror"].astype(str).tolist()
    rooms = board["room"].tolist() if "room" in board else None
    board["score"] = display_round(_aggregate_matrix(sheets.totals(), method, names, rooms))
    if len(sheets.criteria):
        position = int(pd.Index(sheets.criteria["criterion_id"]).get_loc(top_criterion(sheets.criteria)))
        board["tiebreak"] = display_round(_aggregate_matrix(sheets.criterion_totals(position), method, names, rooms))
    else:
        board["tiebreak"] = np.nan

    board["jurors"] = sheets.complete.sum(axis=1).astype(int)
    board["panel"] = sheets.expected.sum(axis=1).astype(int)
    board["complete"] = (board["jurors"] >= board["panel"]) & (board["jurors"] > 0)
    board["provisional"] = ~board["complete"]

    score, tiebreak = board["score"].to_numpy(), board["tiebreak"].to_numpy()
    complete = board["complete"].to_numpy()
    rank = competition_rank(np.where(complete, score, np.nan), tiebreak)
    board["rank"] = pd.array(rank, dtype="Int64")
    board = pd.concat([board, award_labels(pd.Series(rank, index=board.index), normalise_tiers(data.tiers))], axis=1)

    # Ranked entries by rank; then provisional ones by running score (none last), tie-break, code.
    order = pd.DataFrame(
        {"ranked": ~np.isnan(rank), "rank": rank, "score": score, "tiebreak": tiebreak, "code": board["code"]}
    )
    order = order.sort_values(
        ["ranked", "rank", "score", "tiebreak", "code"],
        ascending=[False, True, False, False, True],
        na_position="last",
        kind="stable",
    )
    board = board.loc[order.index].reset_index(drop=True)
    extra = [c for c in board.columns if c not in LEADERBOARD_COLUMNS]
    return board[LEADERBOARD_COLUMNS + extra]


def compare_rankings(boards: Mapping[str, pd.DataFrame], top: int = 10) -> pd.DataFrame:
    """Rank of every entry under each method's leaderboard side by side, and top-N membership.

    Columns: entry_id, code, title, rank_<method> for each board, in_top_all, in_top_any.
    """
    methods = list(boards)
    base = boards[methods[0]][["entry_id", "code", "title"]]
    for method in methods:
        ranks = boards[method][["entry_id", "rank"]].rename(columns={"rank": f"rank_{method}"})
        base = base.merge(ranks, on="entry_id")
    in_top = pd.concat([(base[f"rank_{m}"] <= top).fillna(False).astype(bool) for m in methods], axis=1)
    return base.assign(in_top_all=in_top.all(axis=1), in_top_any=in_top.any(axis=1))


def available_methods(data: EditionData) -> tuple[Method, ...]:
    """The methods that can rank the edition now: adjusted only when its complete sheets are connected.

    Early in scoring, or with rooms that share no juror, the adjusted score has no fair
    comparison (its leaderboard raises :class:`kipp.adjustment.DisconnectedPanels`).
    """
    if components(~np.isnan(lay_out(data).totals())).max(initial=-1) > 0:
        return tuple(method for method in METHODS if method != "adjusted")
    return METHODS


def compare_methods(data: EditionData, top: int = 10) -> pd.DataFrame:
    """:func:`compare_rankings` over every method that can rank the edition (:func:`available_methods`)."""
    return compare_rankings({method: leaderboard(data, method) for method in available_methods(data)}, top)


def top_sets_disagree(comparison: pd.DataFrame) -> list[str]:
    """Codes of entries that are in the top N under some methods but not all."""
    mask = comparison["in_top_any"] & ~comparison["in_top_all"]
    return comparison.loc[mask, "code"].tolist()
