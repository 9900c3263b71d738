"""The adjusted score ("nilai terkoreksi"): entry scores corrected for who sat on the panel.

With split panels (parallel rooms, 2–3 evaluators per proposal) the plain mean is unfair:
a room of lenient jurors lifts its entries.  The juror totals of the complete sheets are
fitted as T(e, j) = a(e) + b(j) by least squares (an additive entry effect and juror
effect); an entry's adjusted score is the mean of its T(e, j) − b(j), the juror effects
centred so that their plain mean over the jurors with a complete sheet is 0.  In a fully
crossed design (every juror on every entry) this is exactly the mean.

The comparison is only fair when the entries and jurors of the complete sheets form one
connected bipartite graph; otherwise :class:`DisconnectedPanels` names the groups.

Pure numpy on an [entry, juror] matrix of totals (NaN = no complete sheet); scipy is
imported inside the function that needs it, as in :mod:`kipp.analytics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class PanelGroup:
    """One group of the complete sheets that shares no juror and no entry with the others."""

    jurors: tuple[str, ...]
    entries: int
    rooms: tuple[str, ...]

    def describe(self, number: int) -> str:
        """'Ruang Eboni (Juri A, Juri B; 12 entries)', or 'group 2 (…)' when no room is known."""
        label = " + ".join(self.rooms) or f"group {number}"
        return f"{label} ({', '.join(self.jurors)}; {self.entries} entries)"


class DisconnectedPanels(ValueError):
    """The complete sheets fall into groups sharing no juror and no entry: no fair adjusted score."""

    def __init__(self, groups: Sequence[PanelGroup]) -> None:
        self.groups = tuple(groups)
        described = [group.describe(number) for number, group in enumerate(self.groups, start=1)]
        joined = ", ".join(described[:-1]) + " and " + described[-1]
        super().__init__(
            f"{joined} share no juror and no entry, so their scores cannot be compared. "
            "Have at least one juror sit in both sessions, or have both panels score a common entry."
        )


@dataclass(frozen=True)
class AdditiveFit:
    """The least-squares fit T(e, j) = a(e) + b(j) over the complete sheets.

    scores:  a(e), the adjusted score of every entry row (NaN without a complete sheet)
    effects: b(j), every juror column's effect in points, mean 0 over the jurors with a
             complete sheet (NaN for the others)
    se:      standard error of each b(j) (NaN without a complete sheet or residual degrees of freedom)
    """

    scores: np.ndarray
    effects: np.ndarray
    se: np.ndarray


def components(present: np.ndarray) -> np.ndarray:
    """Group label of every entry row and juror column of the bipartite graph of ``present`` cells.

    Returns labels for the rows followed by the columns; rows and columns without any
    present cell get -1 (they take no part in the comparison).
    """
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    n_entries, n_jurors = present.shape
    e, j = np.nonzero(present)
    graph = coo_array((np.ones(len(e)), (e, n_entries + j)), shape=(n_entries + n_jurors, n_entries + n_jurors)).tocsr()
    labels = connected_components(graph, directed=False)[1]
    used = np.r_[present.any(axis=1), present.any(axis=0)]
    _, compact = np.unique(labels[used], return_inverse=True)
    result = np.full(n_entries + n_jurors, -1)
    result[used] = compact
    return result


def panel_groups(
    labels: np.ndarray, juror_names: Sequence[str], rooms: Sequence[object] | None = None
) -> list[PanelGroup]:
    """The groups of :func:`components` labels, with their jurors, entry count and rooms."""
    n_jurors = len(juror_names)
    entry_labels, juror_labels = labels[: len(labels) - n_jurors], labels[len(labels) - n_jurors :]
    names = np.asarray(juror_names, dtype=object)
    room_series = pd.Series(rooms if rooms is not None else [None] * len(entry_labels), dtype=object)
    groups = []
    for label in range(int(labels.max()) + 1):
        mine = room_series[entry_labels == label].dropna()
        groups.append(
            PanelGroup(
                jurors=tuple(str(name) for name in names[juror_labels == label]),
                entries=int((entry_labels == label).sum()),
                rooms=tuple(str(room) for room in mine.unique()),
            )
        )
    return groups


def additive_fit(
    totals: np.ndarray, juror_names: Sequence[str] | None = None, rooms: Sequence[object] | None = None
) -> AdditiveFit:
    """Fit T(e, j) = a(e) + b(j) to an [entry, juror] matrix of totals (NaN = no complete sheet).

    The entry effects are eliminated from the normal equations, a(e) = mean_j(T(e, j) − b(j)),
    which leaves a jurors × jurors system L·b = r with L = diag(m) − Nᵀ·diag(1/n)·N (N the
    0/1 incidence of complete sheets, n sheets per entry, m per juror) and r = R − Nᵀ·(S/n)
    (R, S the sums of totals per juror and per entry).  L is singular along the constant
    vector, so (L + 11ᵀ/J)·b = r is solved instead: its solution has mean 0 and solves the
    normal equations exactly.  N is a sparse matrix (one cell per complete sheet) and J is
    at most the panel size (60 nationally), so this costs one sparse product and a small
    dense inverse: no iterative solver, full double precision.

    The standard errors come from the residual variance s² = RSS / (sheets − entries −
    jurors + 1) and the pseudo-inverse L⁺ = (L + 11ᵀ/J)⁻¹ − 11ᵀ/J: se(b(j)) = s·√L⁺(j, j)
    (Cov(b) = s²·L⁺ for the mean-zero effects).

    Raises :class:`DisconnectedPanels` (naming the groups by ``juror_names`` and the entries'
    ``rooms``) when the complete sheets do not form one connected design.
    """
    present = ~np.isnan(totals)
    scores = np.full(totals.shape[0], np.nan)
    effects = np.full(totals.shape[1], np.nan)
    se = np.full(totals.shape[1], np.nan)
    rows, columns = present.any(axis=1), present.any(axis=0)
    if not rows.any():
        return AdditiveFit(scores, effects, se)
    labels = components(present)
    if labels.max() > 0:
        names = juror_names if juror_names is not None else [str(j) for j in range(totals.shape[1])]
        raise DisconnectedPanels(panel_groups(labels, names, rooms))

    from scipy.sparse import csr_array

    e, j = np.nonzero(present[np.ix_(rows, columns)])  # one (entry, juror) pair per complete sheet
    values = totals[np.ix_(rows, columns)][e, j]
    n_entries, n_jurors = int(rows.sum()), int(columns.sum())
    per_entry = np.bincount(e, minlength=n_entries).astype(float)
    incidence = csr_array((np.ones(len(e)), (e, j)), shape=(n_entries, n_jurors))
    weighted = csr_array((1.0 / per_entry[e], (e, j)), shape=(n_entries, n_jurors))
    laplacian = np.diag(np.bincount(j, minlength=n_jurors).astype(float)) - (weighted.T @ incidence).toarray()
    rhs = np.bincount(j, values, minlength=n_jurors) - weighted.T @ np.bincount(e, values, minlength=n_entries)
    inverse = np.linalg.inv(laplacian + 1.0 / n_jurors)
    b = inverse @ rhs
    b -= b.mean()  # exact already up to rounding; keeps the stated centring to the last bit
    a = np.bincount(e, values - b[j], minlength=n_entries) / per_entry

    residuals = values - a[e] - b[j]
    freedom = len(values) - n_entries - n_jurors + 1
    variance = (residuals**2).sum() / freedom if freedom > 0 else np.nan
    diagonal = np.clip(np.diag(inverse) - 1.0 / n_jurors, 0.0, None)

    scores[rows] = a
    effects[columns] = b
    se[columns] = np.sqrt(variance * diagonal)
    return AdditiveFit(scores, effects, se)


GAINED = "gained"
LOST = "lost"
CHANGED = "changed"


def award_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Entries whose award differs between two leaderboards of one edition (e.g. mean, then adjusted).

    What the pages show before an organiser switches method.  Columns: entry_id, code,
    title, rank_before, award_before, rank_after, award_after, change: "gained" (no award
    before), "lost" (no award after) or "changed" (another award, e.g. Juara 2 -> Juara 1
    or Terbaik -> Juara 3).  Rows in the order of ``after``.
    """
    merged = after[["entry_id", "code", "title", "rank", "award"]].merge(
        before[["entry_id", "rank", "award"]], on="entry_id", suffixes=("_after", "_before")
    )
    award_before = merged["award_before"].astype(object).fillna("")
    award_after = merged["award_after"].astype(object).fillna("")
    change = np.select([award_before == "", award_after == ""], [GAINED, LOST], default=CHANGED)
    merged["change"] = change
    columns = ["entry_id", "code", "title", "rank_before", "award_before", "rank_after", "award_after", "change"]
    return merged.loc[award_before != award_after, columns].reset_index(drop=True)
