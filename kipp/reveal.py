"""The ceremony reveal: the steps of a frozen board, one per click (pure; no database, no Streamlit).

The awards are announced from the last up: every awarded entry on its own step, lowest award
first (with the default tiers: the Favorit entries, then Terbaik, then Juara 3, 2 and 1), and a
last step with the whole Top 10.  Step 0 is the title card before the first award.  Only final
results are revealed: the edition must be locked (``scoring.awards_final``) and every entry in
the Top 10 of the board complete and ranked, otherwise the reveal is refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kipp import scoring

TOP = 10
NOT_FINAL = "not_final"
INCOMPLETE = "incomplete"
NO_AWARDS = "no_awards"


class ProvisionalBoard(ValueError):
    """The board holds provisional results: no ceremony. ``reason`` is one of the constants above."""

    def __init__(self, reason: str, codes: tuple[str, ...] = ()) -> None:
        self.reason = reason
        self.codes = codes
        super().__init__(f"{reason}: {', '.join(codes)}" if codes else reason)


@dataclass(frozen=True)
class Step:
    """One screen of the ceremony: the entries it shows, and whether it is the closing Top 10."""

    entries: pd.DataFrame
    whole: bool


def check_final(board: pd.DataFrame, status: str, top: int = TOP) -> None:
    """Raise :class:`ProvisionalBoard` unless the board's awards are final and its Top ``top`` complete."""
    if not scoring.awards_final(status):
        raise ProvisionalBoard(NOT_FINAL)
    head = board.head(top)
    complete = head["rank"].notna() & head["complete"].fillna(False).astype(bool)
    if not complete.all():
        raise ProvisionalBoard(INCOMPLETE, tuple(head.loc[~complete, "code"].astype(str)))
    if board["award"].isna().all():
        raise ProvisionalBoard(NO_AWARDS)


def steps(board: pd.DataFrame, status: str, top: int = TOP) -> list[Step]:
    """The reveal steps after the title card: each awarded entry from the lowest award up, then the Top ``top``.

    Entries sharing a rank share a step's order by the board's order (reversed, like the ranks).
    """
    check_final(board, status, top)
    awarded = board[board["award"].notna()].iloc[::-1]
    singles = [Step(awarded.iloc[[position]].reset_index(drop=True), False) for position in range(len(awarded))]
    return [*singles, Step(board.head(top).reset_index(drop=True), True)]


def clamp(step: int, count: int) -> int:
    """A step number kept between the title card (0) and the last of ``count`` steps."""
    return max(0, min(step, count))
