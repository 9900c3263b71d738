"""The live page's views of scoring: how far it has come, and why an entry has its rank (pure pandas/numpy).

Both read the same dense sheets as :func:`kipp.scoring.leaderboard` (:func:`kipp.lay_out`),
so a status or a total here is the one the ranking counted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from kipp.adjustment import PanelGroup, components, panel_groups
from kipp.models import EntryStatus
from kipp.scoring import (
    SHEET_DONE,
    SHEET_MISSING,
    SHEET_PARTIAL,
    SHEET_RECUSED,
    SHEET_STATUSES,
    EditionData,
    lay_out,
    status_matrix,
    top_criterion,
)

# Grid cells of an entry that left the competition: its jurors' sheets are no longer awaited.
CELL_WITHDRAWN = EntryStatus.withdrawn.value
CELL_ABSENT = EntryStatus.absent.value
CELL_STATUSES = (*SHEET_STATUSES, CELL_WITHDRAWN, CELL_ABSENT)
SESSION_ORDER = ["day", "room", "slot", "code"]


def entry_statuses(entries: pd.DataFrame) -> pd.Series:
    """Each entry's status (competing / withdrawn / absent); competing where the frame has none."""
    if "entry_status" not in entries:
        return pd.Series(EntryStatus.competing.value, index=entries.index, dtype=object)
    return entries["entry_status"].fillna(EntryStatus.competing.value).astype(str)


def cell_statuses(data: EditionData) -> np.ndarray:
    """The [entry, juror] cells as codes into CELL_STATUSES: :func:`kipp.scoring.status_matrix`, with the
    sheets of withdrawn and absent entries marked as such (never missing); recused and unassigned stay.

    Integer codes, not strings: a national edition has 200,000 cells, and every count below is
    then one vectorised reduction.
    """
    names = np.array(CELL_STATUSES)
    by_name = np.argsort(names)
    # Laid out as if every entry competed, so a withdrawn entry's own jurors are told apart from the rest.
    as_competing = replace(data, entries=data.entries.drop(columns="entry_status", errors="ignore"))
    status = status_matrix(lay_out(as_competing))
    codes = by_name[np.searchsorted(names[by_name], status)] if status.size else status.astype(int)
    left = entry_statuses(data.entries.reset_index(drop=True)).to_numpy()
    owed = [CELL_STATUSES.index(name) for name in (SHEET_DONE, SHEET_PARTIAL, SHEET_MISSING)]
    gone = (left != EntryStatus.competing.value)[:, None] & np.isin(codes, owed)
    left_codes = np.where(left == CELL_ABSENT, CELL_STATUSES.index(CELL_ABSENT), CELL_STATUSES.index(CELL_WITHDRAWN))
    return np.where(gone, left_codes[:, None], codes)


@dataclass(frozen=True)
class Progress:
    """How far scoring has come, for the live page.

    grid:       entry_id, code, title, day, room, slot, entry_status, then one cell status
                (CELL_STATUSES) column per juror_id; ordered by session (day, room), then slot
    by_juror:   juror_id, juror, seat, one count per CELL_STATUSES, expected (done + partial +
                missing: the sheets this juror owes, never unassigned, recused or withdrawn ones)
    by_session: day, room, jurors (names of the jurors expected there), entries (competing),
                left (withdrawn or absent), expected, done, complete_entries
    waiting:    entry_id, code, title, day, room, slot, waiting_for (names of the assigned,
                non-recused jurors still to finish), n_waiting: competing entries some juror has
                started but others have not finished; in session order
    """

    grid: pd.DataFrame
    by_juror: pd.DataFrame
    by_session: pd.DataFrame
    waiting: pd.DataFrame


def progress(data: EditionData) -> Progress:
    """Sheet counts per juror and per session (day, room), the entry × juror grid and who is awaited where."""
    codes = cell_statuses(data)
    code = {name: CELL_STATUSES.index(name) for name in CELL_STATUSES}
    entries = data.entries.reset_index(drop=True)
    schedule = entries[["entry_id", "code", "title", "day", "room", "slot"]].assign(
        entry_status=entry_statuses(entries)
    )
    order = schedule.sort_values(SESSION_ORDER, na_position="last", kind="stable").index.to_numpy()
    juror_ids = data.panel["juror_id"].tolist()

    kind = pd.CategoricalDtype(CELL_STATUSES)
    cells = {
        juror_id: pd.Categorical.from_codes(codes[order, column], dtype=kind, validate=False)
        for column, juror_id in enumerate(juror_ids)
    }
    grid = pd.concat([schedule.loc[order].reset_index(drop=True), pd.DataFrame(cells)], axis=1)

    counts = np.stack([(codes == code[name]).sum(axis=0) for name in CELL_STATUSES], axis=1)
    by_juror = data.panel[["juror_id", "juror", "seat"]].reset_index(drop=True)
    by_juror = by_juror.assign(**{name: counts[:, i] for i, name in enumerate(CELL_STATUSES)})
    by_juror["expected"] = by_juror[SHEET_DONE] + by_juror[SHEET_PARTIAL] + by_juror[SHEET_MISSING]

    done, partial = codes == code[SHEET_DONE], codes == code[SHEET_PARTIAL]
    open_sheet = partial | (codes == code[SHEET_MISSING])
    owed = done | open_sheet
    competing = schedule["entry_status"].to_numpy() == EntryStatus.competing.value
    per_entry = schedule[["day", "room"]].assign(
        entries=competing.astype(int),
        left=(~competing).astype(int),
        expected=owed.sum(axis=1),
        done=done.sum(axis=1),
        complete_entries=competing & (done.sum(axis=1) >= owed.sum(axis=1)) & (done.sum(axis=1) > 0),
    )
    sessions = per_entry.groupby(["day", "room"], dropna=False, sort=True)
    by_session = sessions.sum().astype(
        {"entries": int, "left": int, "expected": int, "done": int, "complete_entries": int}
    )
    names = data.panel["juror"].astype(str).to_numpy()
    seated = pd.DataFrame(owed | (codes == code[SHEET_RECUSED])).groupby(
        [per_entry["day"], per_entry["room"]], dropna=False, sort=True
    )
    by_session.insert(0, "jurors", [", ".join(names[row]) for row in seated.any().to_numpy(dtype=bool)])
    by_session = by_session.reset_index()

    started = (done | partial).any(axis=1)
    e, j = np.nonzero(open_sheet & started[:, None])  # row-major: each entry's awaited jurors together
    rows, first = np.unique(e, return_index=True)
    awaited = np.split(names[j], first[1:]) if len(e) else []
    waiting = schedule.loc[order[np.isin(order, rows)]].drop(columns="entry_status")
    waiting["waiting_for"] = waiting.index.map(dict(zip(rows, map(", ".join, awaited), strict=True)))
    waiting["n_waiting"] = waiting.index.map(dict(zip(rows, map(len, awaited), strict=True))).astype(int)
    return Progress(grid, by_juror, by_session, waiting.reset_index(drop=True))


def unlinked_panels(data: EditionData) -> tuple[PanelGroup, ...]:
    """The groups of complete sheets that share no juror and no entry (empty when they form one design).

    What keeps the adjusted score from ranking the edition (:func:`kipp.scoring.available_methods`),
    named by jurors and rooms so the page can say which sessions to link.
    """
    labels = components(~np.isnan(lay_out(data).totals()))
    if labels.max(initial=-1) <= 0:
        return ()
    rooms = data.entries["room"].tolist() if "room" in data.entries else None
    return tuple(panel_groups(labels, data.panel["juror"].astype(str).tolist(), rooms))


@dataclass(frozen=True)
class Explanation:
    """Why an entry has its rank: its sheets, and how the tie-break played.

    sheets: juror_id, juror, seat, status, total, then one column per criterion name
    tiebreak_criterion: name of the highest-weight criterion used to break ties
    tied_on_score: codes of other entries with the same displayed score
    tied_after_tiebreak: codes of other entries still equal after the tie-break (shared rank)
    """

    row: dict[str, Any]
    sheets: pd.DataFrame
    tiebreak_criterion: str | None
    tied_on_score: list[str]
    tied_after_tiebreak: list[str]


def explain(data: EditionData, board: pd.DataFrame, entry_id: Any) -> Explanation:
    """The drill-down behind one entry's rank on ``board`` (a :func:`leaderboard` of ``data``)."""
    sheets = lay_out(data)
    position = int(pd.Index(sheets.entry_ids).get_loc(entry_id))
    criterion_names = sheets.criteria["name"].tolist()
    table = (
        data.panel[["juror_id", "juror", "seat"]]
        .reset_index(drop=True)
        .assign(status=status_matrix(sheets)[position], total=sheets.totals()[position])
    )
    table = pd.concat([table, pd.DataFrame(sheets.values[position], columns=criterion_names)], axis=1)

    row = board.loc[board["entry_id"] == entry_id].iloc[0].to_dict()
    others = board[board["entry_id"] != entry_id]
    if pd.isna(row["score"]) or pd.isna(row["rank"]):  # provisional: not ranked, so no tie to explain
        tied_score, tied_rank = [], []
    else:
        tied_score = others.loc[others["score"] == row["score"], "code"].tolist()
        tied_rank = others.loc[others["rank"] == row["rank"], "code"].tolist()
    tiebreak_name = None
    if len(sheets.criteria):
        top = top_criterion(sheets.criteria)
        tiebreak_name = str(sheets.criteria.loc[sheets.criteria["criterion_id"] == top, "name"].iloc[0])
    return Explanation(row, table, tiebreak_name, tied_score, tied_rank)
