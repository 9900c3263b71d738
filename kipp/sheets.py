"""The score sheet's pure helpers: a juror's queue, the next entry, a sheet's values and running total.

Pure functions on :class:`kipp.scoring.EditionData`, beside the scoring they rely on;
no database, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kipp import scoring
from kipp.models import EntryStatus

QUEUE_COLUMNS = ["entry_id", "code", "title", "institution", "day", "room", "slot", "status", "cells"]


def competing(entries: pd.DataFrame) -> pd.Series:
    """Which entries are still in the competition (not withdrawn, not absent); all when no status is known."""
    if "entry_status" not in entries:
        return pd.Series(True, index=entries.index)
    return entries["entry_status"].fillna(EntryStatus.competing.value) == EntryStatus.competing.value


def juror_queue(data: scoring.EditionData, juror_id: int) -> pd.DataFrame:
    """A juror's entries in the presentation order of their own sessions (day, room, slot, code),
    with the status of their sheet.

    Only the entries whose panel the juror sits on (:func:`kipp.scoring.expected_jurors`,
    recusals included) and that still compete: a withdrawn or absent entry is not scored,
    so it leaves the queue.  Columns: entry_id, code, title, institution, day, room, slot,
    status (done, partial, missing, recused), cells (criteria scored).
    """
    status = scoring.sheet_status(data)
    mine = status[(status["juror_id"] == juror_id) & (status["status"] != scoring.SHEET_UNASSIGNED)]
    mine = mine[["entry_id", "status", "cells"]]
    queue = data.entries[competing(data.entries)].merge(mine, on="entry_id", how="inner")
    queue = queue.sort_values(["day", "room", "slot", "code"], na_position="last", kind="stable")
    return queue[QUEUE_COLUMNS].reset_index(drop=True)


def next_entry(queue: pd.DataFrame) -> int | None:
    """The first entry of the queue still to score (missing or partial), or None when all are done."""
    todo = queue[queue["status"].isin([scoring.SHEET_MISSING, scoring.SHEET_PARTIAL])]
    return None if todo.empty else int(todo["entry_id"].iloc[0])


def sheet_values(data: scoring.EditionData, entry_id: int, juror_id: int) -> dict[int, float]:
    """The stored scores of one sheet: criterion_id -> value."""
    scores = data.scores
    mine = scores[(scores["entry_id"] == entry_id) & (scores["juror_id"] == juror_id)]
    return {int(c): float(v) for c, v in zip(mine["criterion_id"], mine["value"], strict=True)}


def running_total(criteria: pd.DataFrame, values: Mapping[int, float | None]) -> float:
    """The juror total (0–100) of a sheet being filled in, counting criteria not yet scored as 0.

    Computed by :func:`kipp.scoring.juror_totals` on a one-sheet edition, so it equals
    the juror total the leaderboard uses once every criterion is scored.
    """
    if criteria.empty:
        return 0.0
    ids = criteria["criterion_id"].tolist()
    filled = [0.0 if values.get(c) is None else float(values[c]) for c in ids]  # type: ignore[arg-type]
    sheet = scoring.EditionData(
        entries=pd.DataFrame({"entry_id": [0]}),
        criteria=criteria,
        panel=pd.DataFrame({"juror_id": [0], "juror": [""], "seat": [1]}),
        scores=pd.DataFrame({"entry_id": 0, "juror_id": 0, "criterion_id": ids, "value": filled}),
    )
    return float(scoring.juror_totals(sheet)["total"].iloc[0])


def provisional_entries(data: scoring.EditionData) -> list[str]:
    """Codes of entries that are not complete yet (some juror of the panel still has to score)."""
    board = scoring.leaderboard(data)
    return sorted(board.loc[~board["complete"], "code"].tolist())


def stranded_sheets(data: scoring.EditionData) -> pd.DataFrame:
    """Stored sheets whose juror is not expected on the entry (so they do not count): entry_id, juror_id.

    What a panel change must not create: a juror's scores on an entry they no longer sit on.
    """
    pairs = data.scores[["entry_id", "juror_id"]].drop_duplicates()
    expected = scoring.expected_jurors(data)[["entry_id", "juror_id"]]
    merged = pairs.merge(expected, on=["entry_id", "juror_id"], how="left", indicator=True)
    return merged.loc[merged["_merge"] == "left_only", ["entry_id", "juror_id"]].reset_index(drop=True)


def sessions(entries: pd.DataFrame) -> pd.DataFrame:
    """The edition's sessions (a day in a room) in schedule order, with how many entries each presents.

    Columns: day (int), room, entries.  Entries without a day or a room belong to no session.
    """
    placed = entries.dropna(subset=["day", "room"])
    counts = placed.groupby([placed["day"].astype(int), placed["room"]]).size()
    return counts.rename("entries").reset_index().sort_values(["day", "room"], kind="stable").reset_index(drop=True)
