"""The live page's views of scoring: how far it has come, and why an entry has its rank (pure pandas/numpy).

Both read the same dense sheets as :func:`kipp.scoring.leaderboard` (:func:`kipp.lay_out`),
so a status or a total here is the one the ranking counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kipp.scoring import (
    SHEET_DONE,
    SHEET_MISSING,
    SHEET_PARTIAL,
    SHEET_STATUSES,
    EditionData,
    lay_out,
    status_matrix,
    top_criterion,
)


@dataclass(frozen=True)
class Progress:
    """How far scoring has come, for the live page.

    grid:       entry_id, code, title, day, room, slot, then one status column per juror_id
                (schedule order)
    by_juror:   juror_id, juror, seat, done, partial, missing, recused, unassigned, expected
    by_session: day, room, entries, expected, done, complete_entries (sheets per day and room)
    waiting:    entry_id, code, title, day, room, slot, waiting_for (juror names), n_waiting:
                entries some juror has started but others have not finished
    """

    grid: pd.DataFrame
    by_juror: pd.DataFrame
    by_session: pd.DataFrame
    waiting: pd.DataFrame


def progress(data: EditionData) -> Progress:
    """Sheet counts per juror and per day/room, the entry × juror grid and who is awaited where."""
    sheets = lay_out(data)
    status = status_matrix(sheets)
    entries = data.entries.reset_index(drop=True)
    schedule = entries[["entry_id", "code", "title", "day", "room", "slot"]]
    order = schedule.sort_values(["day", "slot", "room", "code"], na_position="last", kind="stable").index

    grid = pd.concat([schedule, pd.DataFrame(status, columns=list(sheets.juror_ids))], axis=1)
    grid = grid.loc[order].reset_index(drop=True)

    counts = {s: (status == s).sum(axis=0) for s in SHEET_STATUSES}
    by_juror = data.panel[["juror_id", "juror", "seat"]].reset_index(drop=True).assign(**counts)
    by_juror["expected"] = by_juror[SHEET_DONE] + by_juror[SHEET_PARTIAL] + by_juror[SHEET_MISSING]

    done = status == SHEET_DONE
    expected = sheets.expected
    per_entry = schedule[["day", "room"]].assign(
        entries=1,
        expected=expected.sum(axis=1),
        done=done.sum(axis=1),
        complete_entries=(done.sum(axis=1) >= expected.sum(axis=1)) & (done.sum(axis=1) > 0),
    )
    by_session = (
        per_entry.groupby(["day", "room"], dropna=False, sort=True)
        .sum()
        .reset_index()
        .astype({"entries": int, "expected": int, "done": int, "complete_entries": int})
    )

    open_sheet = (status == SHEET_PARTIAL) | (status == SHEET_MISSING)
    started = ((status == SHEET_DONE) | (status == SHEET_PARTIAL)).any(axis=1)
    e, j = np.nonzero(open_sheet & started[:, None])
    names = data.panel["juror"].to_numpy()
    awaited = pd.DataFrame({"row": e, "juror": names[j]}).groupby("row", sort=False)["juror"]
    waiting = schedule.loc[order[np.isin(order, e)]].copy()
    waiting["waiting_for"] = waiting.index.map(awaited.agg(", ".join))
    waiting["n_waiting"] = waiting.index.map(awaited.size()).astype(int)
    return Progress(grid, by_juror, by_session, waiting.reset_index(drop=True))


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
