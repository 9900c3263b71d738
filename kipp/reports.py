"""The leaderboard as people read it: command-line output, export rows, rank movement.

Everything here formats what :func:`kipp.scoring.leaderboard` computed; nothing is
recomputed, so a screen, an export and the command line always show the same ranking.
No Streamlit or plotly: the command line and documents import this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from kipp import cells
from kipp.choices import FORMATS
from kipp.scoring import COMPETING, DISPLAY_DECIMALS, LEADERBOARD_COLUMNS, shown_awards

if TYPE_CHECKING:
    from kipp.choices import Format

# Columns kept when a leaderboard is stored or shown beyond the official eight (freeze, live page).
RIGHT_ALIGNED = ("rank", "score", "jurors")
DETAIL_COLUMNS = ["entry_id", "tier", "tier_position", "provisional", "panel", "tiebreak"]


def leaderboard_table(board: pd.DataFrame) -> pd.DataFrame:
    """The official columns of a leaderboard, typed for output.

    rank (Int64, empty for a provisional, withdrawn or absent entry), code, title,
    institution, score (2 decimals), jurors (complete sheets), complete (bool), award,
    final (bool: the edition is locked, so rank and award no longer change; None for a
    board frozen before it was recorded) and entry_status (competing, withdrawn, absent).
    """
    table = board.reindex(columns=LEADERBOARD_COLUMNS)
    table["rank"] = table["rank"].astype("Int64")
    table["score"] = table["score"].astype(float).round(DISPLAY_DECIMALS)
    table["jurors"] = table["jurors"].astype(int)
    table["complete"] = table["complete"].astype(bool)
    for column in ("award", "final"):
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    table["entry_status"] = table["entry_status"].astype(object).fillna(COMPETING)
    return table.reset_index(drop=True)


def records(board: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """Leaderboard rows as JSON-ready dicts (missing values as None), official columns by default."""
    frame = leaderboard_table(board)
    if columns:
        frame = pd.concat([frame, board[columns].reset_index(drop=True)], axis=1)
    return json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=10))


def from_records(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A leaderboard frame back from :func:`records` (e.g. a frozen leaderboard).

    Boards frozen before tiers carried their position get it back from their order: ranked
    boards list every tier's winners before the next tier's.
    """
    frame = pd.DataFrame.from_records(rows, columns=None if rows else LEADERBOARD_COLUMNS)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["score"] = frame["score"].astype(float)
    if "tier" in frame and "tier_position" not in frame:
        order = {tier: position for position, tier in enumerate(frame["tier"].dropna().unique(), 1)}
        frame["tier_position"] = frame["tier"].map(order)
    if "tier_position" in frame:
        frame["tier_position"] = frame["tier_position"].astype("Int64")
    return frame


def _score_text(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.{DISPLAY_DECIMALS}f}"


def format_leaderboard(board: pd.DataFrame, fmt: Format, *, method: str = "mean") -> str:
    """The leaderboard as text: an aligned table, CSV, or JSON (a list of rows).

    Scores always carry 2 decimals (as ranked); a provisional, withdrawn or absent entry has
    an empty rank and no award (null in JSON, an empty cell in CSV, "–" in the table), and no
    score without a complete sheet.  ``final`` (true once the edition is locked) says whether
    the awards can still change; the table marks them "(provisional)" until then, shows
    "(withdrawn)" or "(absent)" in the award column of an entry out of the ranking, and ends
    with a line on the method, the entries still being scored and those out of the ranking.
    CSV text that a spreadsheet could run as a formula is escaped (:mod:`kipp.cells`).
    """
    table = leaderboard_table(board)
    in_ranking = table["entry_status"] == COMPETING
    if fmt == "json":
        return json.dumps(records(board), ensure_ascii=False, indent=2)
    if fmt == "csv":
        flags = {column: table[column].map({True: "true", False: "false"}) for column in ("complete", "final")}
        return cells.csv_string(table.assign(**flags), float_format=f"%.{DISPLAY_DECIMALS}f")
    if fmt != "table":
        raise ValueError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    shown = table.assign(
        rank=table["rank"].astype(object).where(table["rank"].notna(), "–"),
        score=table["score"].map(_score_text),
        complete=table["complete"].map({True: "yes", False: "no"}),
        award=shown_awards(table, "provisional").where(in_ranking, "(" + table["entry_status"] + ")").fillna(""),
    ).drop(columns=["final", "entry_status"])
    out = int((~in_ranking).sum())
    provisional = int((~table["complete"]).sum()) - out
    footer = (
        f"{len(table)} entries, method {method}, {provisional} provisional (not every juror has a complete sheet)"
        + (f", {out} withdrawn or absent (not ranked)" if out else "")
    )
    return f"{_aligned(shown.astype(str))}\n\n{footer}\n"


def _aligned(frame: pd.DataFrame) -> str:
    """A plain-text table: numbers right-aligned, text left-aligned, two spaces between columns."""
    columns = []
    for name in frame.columns:
        width = max(len(name), int(frame[name].str.len().max()) if len(frame) else 0)
        cells = pd.concat([pd.Series([name]), frame[name]], ignore_index=True)
        columns.append(cells.str.rjust(width) if name in RIGHT_ALIGNED else cells.str.ljust(width))
    lines = pd.concat(columns, axis=1).agg("  ".join, axis=1).str.rstrip()
    return "\n".join(lines)


def rank_movement(current: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, int | None]:
    """Places gained (+) or lost (-) by each code since ``previous`` (code -> rank).

    None when there is nothing to compare: no previous ranking, or the entry was unranked
    before or is unranked now.
    """
    result: dict[str, int | None] = {}
    for code, rank in current.items():
        before = previous.get(code)
        known = rank is not None and before is not None and not pd.isna(rank) and not pd.isna(before)
        result[code] = int(before) - int(rank) if known else None
    return result


def movement_arrow(places: int | None) -> str:
    """▲2 for two places up, ▼1 for one down, empty when unchanged or unknown."""
    if not places:
        return ""
    return f"▲{places}" if places > 0 else f"▼{-places}"
