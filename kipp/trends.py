"""Trends across editions, and an entry's or a unit's history (pure pandas).

Leadership asks whether the competition does its job: more entries and units, better
scores, more winners going on to KOVABLIK and SINOVIK.  Everything here is computed from
frames already loaded (``queries.load_all_editions`` and ``queries.advancements``): no
database, no Streamlit.  Results of each edition come from :func:`kipp.scoring.leaderboard`,
the one ranking function, so a trend never disagrees with the leaderboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from kipp import scoring
from kipp.scoring import EditionData

if TYPE_CHECKING:
    from kipp.choices import Method

ROUNDS: tuple[str, ...] = ("KOVABLIK", "SINOVIK")
RESULT_COLUMNS = [
    "year",
    "entry_id",
    "code",
    "title",
    "institution",
    "institution_type",
    "category",
    "score",
    "rank",
    "jurors",
    "complete",
    "tier",
    "tier_position",
    "award",
    "final",
    "first_time",
]
HEADLINES: tuple[str, ...] = ("entries", "units", "first_time_units", "mean_score", "threshold", "advanced")


def edition_results(year: int, edition: EditionData, method: Method = "mean") -> pd.DataFrame:
    """One edition's entries with their result (:func:`kipp.scoring.leaderboard`): ``RESULT_COLUMNS`` but first_time.

    ``final`` is True once the edition is locked: only such editions make the trend figures.
    Withdrawn and absent entries are left out: they did not take part in the competition.

    The part of :func:`results` that depends on this edition alone, so a cache can keep it per
    edition: a new score recomputes its own edition, not all of them.
    """
    board = scoring.leaderboard(edition, method).assign(year=year)
    board = board[board["entry_status"] == scoring.COMPETING]
    return board[[column for column in RESULT_COLUMNS if column != "first_time"]]


def join_results(boards: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """:func:`edition_results` of several editions as one frame (``RESULT_COLUMNS``), with ``first_time``.

    ``first_time`` is True when the entry's unit takes part for the first time among these
    editions (computed over all of them, before any filter).
    """
    boards = [board for board in boards if not board.empty]
    if not boards:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in RESULT_COLUMNS})
    frame = pd.concat(boards, ignore_index=True)
    first_year = frame.groupby("institution")["year"].transform("min")
    frame["first_time"] = frame["year"] == first_year
    frame["year"] = frame["year"].astype(int)
    frame["score"] = frame["score"].astype(float)
    frame["final"] = frame["final"].astype(bool)
    return frame[RESULT_COLUMNS]


def results(data: Mapping[int, EditionData], method: Method = "mean") -> pd.DataFrame:
    """Every entry of every edition with its result, oldest edition first.

    Columns: see ``RESULT_COLUMNS``.  ``first_time`` is True when the entry's unit takes
    part for the first time in the database (computed over all editions, before any filter).
    """
    return join_results(edition_results(year, edition, method) for year, edition in sorted(data.items()))


def filter_results(
    frame: pd.DataFrame, unit_types: Iterable[str] | None = None, categories: Iterable[str] | None = None
) -> pd.DataFrame:
    """Rows of the given unit types and categories (an empty or None filter keeps everything)."""
    mask = pd.Series(True, index=frame.index)
    unit_types = list(unit_types or [])
    categories = list(categories or [])
    if unit_types:
        mask &= frame["institution_type"].isin(unit_types)
    if categories:
        mask &= frame["category"].isin(categories)
    return frame[mask]


def participation(frame: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Per edition: entries, participating units, first-time units and returning units.

    ``years`` lists every edition to show, so an edition without matching entries shows 0.
    """
    grouped = frame.groupby("year")
    table = pd.DataFrame(
        {
            "entries": grouped.size(),
            "units": grouped["institution"].nunique(),
            "first_time_units": frame[frame["first_time"]].groupby("year")["institution"].nunique(),
        }
    )
    table = table.reindex(sorted(years)).fillna(0).astype(int)
    table["returning_units"] = table["units"] - table["first_time_units"]
    return table.rename_axis("year").reset_index()


def participation_by_type(frame: pd.DataFrame) -> pd.DataFrame:
    """Entries and units per edition and unit type (long). Columns: year, institution_type, entries, units."""
    table = (
        frame.groupby(["year", "institution_type"])
        .agg(entries=("entry_id", "size"), units=("institution", "nunique"))
        .reset_index()
    )
    return table.sort_values(["year", "institution_type"], ignore_index=True)


def award_thresholds(frame: pd.DataFrame) -> pd.Series:
    """Per edition, the score needed for an award: the score of the last awarded rank (the Top 10 cut)."""
    awarded = frame[frame["tier"].notna()]
    return awarded.groupby("year")["score"].min().rename("threshold")


def score_levels(frame: pd.DataFrame, thresholds: pd.Series, years: Sequence[int]) -> pd.DataFrame:
    """Per edition: mean and median score of scored entries, and the award threshold.

    Columns: year, scored, mean_score, median_score, threshold, awarded.
    """
    scored = frame[frame["score"].notna()]
    grouped = scored.groupby("year")["score"]
    table = pd.DataFrame(
        {
            "scored": grouped.size(),
            "mean_score": grouped.mean(),
            "median_score": grouped.median(),
            "awarded": frame[frame["tier"].notna()].groupby("year").size(),
        }
    ).reindex(sorted(years))
    table["scored"] = table["scored"].fillna(0).astype(int)
    table["awarded"] = table["awarded"].fillna(0).astype(int)
    table["threshold"] = thresholds.reindex(table.index).astype(float)
    return table.rename_axis("year").reset_index()[
        ["year", "scored", "mean_score", "median_score", "threshold", "awarded"]
    ]


CRITERION_COLUMNS = ["year", "entry_id", "criterion_id", "criterion", "position", "max_score", "value", "score"]


def edition_criterion_scores(year: int, edition: EditionData) -> pd.DataFrame:
    """One edition's part of :func:`criterion_scores` (kept per edition by the trends cache)."""
    totals = scoring.criteria_totals(edition)
    if totals.empty:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in CRITERION_COLUMNS})
    means = totals.groupby(["criterion_id", "entry_id"], sort=False)["total"].mean().reset_index()
    criteria = edition.criteria.set_index("criterion_id")
    max_score = means["criterion_id"].map(criteria["max_score"]).astype(float).to_numpy()
    score = means["total"].to_numpy()
    return pd.DataFrame(
        {
            "year": year,
            "entry_id": means["entry_id"],
            "criterion_id": means["criterion_id"],
            "criterion": means["criterion_id"].map(criteria["name"]),
            "position": means["criterion_id"].map(criteria["position"]),
            "max_score": max_score,
            "value": score * max_score / 100.0,
            "score": score,
        }
    )


def join_criterion_scores(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """:func:`edition_criterion_scores` of several editions as one frame."""
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in CRITERION_COLUMNS})
    return pd.concat(parts, ignore_index=True)[CRITERION_COLUMNS]


def criterion_scores(data: Mapping[int, EditionData]) -> pd.DataFrame:
    """Each entry's mean score per criterion over complete sheets, raw and on the 0–100 scale.

    Columns: year, entry_id, criterion_id, criterion, position, max_score, value (mean raw
    score), score (mean of 100·s/m).  Criteria are matched across editions by name.
    """
    return join_criterion_scores(edition_criterion_scores(year, edition) for year, edition in sorted(data.items()))


def criterion_levels(scores: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Per edition and criterion, the mean entry score (0–100) over the entries in ``frame``.

    Shows which criteria improve and which lag.  Columns: year, criterion, position, mean_score.
    """
    chosen = scores[scores["entry_id"].isin(frame["entry_id"])]
    table = chosen.groupby(["year", "criterion"]).agg(position=("position", "min"), mean_score=("score", "mean"))
    return table.reset_index().sort_values(["position", "criterion", "year"], ignore_index=True)


def winners_profile(frame: pd.DataFrame) -> pd.DataFrame:
    """Awarded entries per edition, unit type and tier.

    Columns: year, institution_type, tier, tier_position, winners.
    """
    awarded = frame[frame["tier"].notna()]
    keys = ["year", "institution_type", "tier", "tier_position"]
    table = awarded.groupby(keys).size().rename("winners").reset_index()
    return table.sort_values(["year", "institution_type", "tier"], ignore_index=True)


def unit_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Each unit's best result per edition it entered, with its type in that edition.

    Columns: institution, institution_type, year, entries, score (best), rank (best), awards.
    A unit is its name: one row per edition even if its entries give it different types.
    """
    grouped = frame.groupby(["institution", "year"])
    table = grouped.agg(
        institution_type=("institution_type", "first"),
        entries=("entry_id", "size"),
        score=("score", "max"),
        rank=("rank", "min"),
    ).reset_index()
    awards = frame[frame["tier"].notna()].groupby(["institution", "year"]).size().rename("awards")
    table = table.merge(awards, on=["institution", "year"], how="left")
    table["awards"] = table["awards"].fillna(0).astype(int)
    return table.sort_values(["institution", "year"], ignore_index=True)


def returning_units(frame: pd.DataFrame) -> pd.DataFrame:
    """Units that entered two or more editions, and how their best score moved from first to latest.

    Columns: institution, institution_type (its type in the latest edition), editions, first_year,
    last_year, first_score, last_score, change, best_rank, awards.  Sorted by number of editions, then change.
    A unit reorganised between editions (a new type) is still one unit: units are matched by name.
    """
    per_year = unit_scores(frame)
    grouped = per_year.groupby("institution")
    table = grouped.agg(
        institution_type=("institution_type", "last"),
        editions=("year", "size"),
        first_year=("year", "first"),
        last_year=("year", "last"),
        first_score=("score", "first"),
        last_score=("score", "last"),
        best_rank=("rank", "min"),
        awards=("awards", "sum"),
    ).reset_index()
    table = table[table["editions"] >= 2].copy()
    table["change"] = table["last_score"] - table["first_score"]
    table["best_rank"] = table["best_rank"].astype("Int64")
    order = ["editions", "change", "institution"]
    return table.sort_values(order, ascending=[False, False, True], ignore_index=True)[
        [
            "institution",
            "institution_type",
            "editions",
            "first_year",
            "last_year",
            "first_score",
            "last_score",
            "change",
            "best_rank",
            "awards",
        ]
    ]


def advancement_results(advancement: pd.DataFrame) -> pd.DataFrame:
    """Entries sent on per edition, round and result. Columns: year, round, result, entries."""
    known = advancement.assign(result=advancement["result"].fillna("–"))
    table = known.groupby(["year", "round", "result"]).size().rename("entries").reset_index()
    return table.sort_values(["year", "round", "result"], ignore_index=True)


def advancement_counts(advancement: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Entries sent on per edition and round (0 where none), wide: year, KOVABLIK, SINOVIK, total."""
    counts = advancement.groupby(["year", "round"]).size().unstack("round")
    counts = counts.reindex(index=sorted(years), columns=list(ROUNDS)).fillna(0).astype(int)
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis(index="year", columns=None).reset_index()


@dataclass(frozen=True)
class Headline:
    """One headline figure of an edition and its change from the previous edition (None for the first)."""

    key: str
    value: float | None
    delta: float | None


def headlines(
    participation_table: pd.DataFrame, levels: pd.DataFrame, advanced: pd.DataFrame, year: int
) -> list[Headline]:
    """The headline figures of ``year`` with their change from the previous edition (``HEADLINES`` order)."""
    table = (
        participation_table.merge(levels, on="year", how="outer")
        .merge(advanced[["year", "total"]].rename(columns={"total": "advanced"}), on="year", how="outer")
        .sort_values("year", ignore_index=True)
        .set_index("year")
    )
    if year not in table.index:
        raise ValueError(f"Edition {year} is not among the editions of the trends")
    position = table.index.get_loc(year)
    current = table.iloc[position]
    previous = table.iloc[position - 1] if position > 0 else None
    result = []
    for key in HEADLINES:
        value = _number(current[key])
        before = _number(previous[key]) if previous is not None else None
        delta = value - before if value is not None and before is not None else None
        result.append(Headline(key, value, delta))
    return result


def _number(value: Any) -> float | None:
    """A plain float, or None for missing values."""
    return None if pd.isna(value) else float(value)


def selection_keys(points: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> pd.DataFrame:
    """The keys a chart click selected: each point's ``customdata`` read as ``fields``.

    Chart builders put the raw keys (year, unit type, tier …) in customdata so that a click
    can filter tables without parsing translated labels.
    """
    rows = []
    for point in points:
        custom = point.get("customdata")
        if custom is None:
            continue
        values = custom if isinstance(custom, list | tuple) else [custom]
        rows.append(dict(zip(fields, values, strict=False)))
    return pd.DataFrame(rows, columns=list(fields)).drop_duplicates(ignore_index=True)


def restrict(frame: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``frame`` matching any selected key row (all rows when nothing is selected).

    Key columns that ``frame`` lacks are ignored, so one selection filters several tables.
    """
    columns = [column for column in keys.columns if column in frame.columns]
    if keys.empty or not columns:
        return frame
    wanted = keys[columns].drop_duplicates()
    for column in columns:
        wanted[column] = wanted[column].astype(frame[column].dtype)
    return frame.merge(wanted, on=columns, how="inner")


@dataclass(frozen=True)
class Trends:
    """Every table the Trends page shows, for the chosen unit types and categories.

    ``years`` are the finished (locked or published) editions every figure covers;
    ``in_progress`` the editions still being scored (or prepared), which appear in no line,
    bar or change, only named as in progress.
    """

    years: list[int]
    in_progress: list[int]
    results: pd.DataFrame
    participation: pd.DataFrame
    by_type: pd.DataFrame
    levels: pd.DataFrame
    criteria: pd.DataFrame
    winners: pd.DataFrame
    returning: pd.DataFrame
    advancement: pd.DataFrame
    advancement_counts: pd.DataFrame
    advancement_results: pd.DataFrame


def overview(
    all_results: pd.DataFrame,
    scores: pd.DataFrame,
    advancement: pd.DataFrame,
    unit_types: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> Trends:
    """All trend tables from :func:`results`, :func:`criterion_scores` and the advancement list.

    ``years`` limits the editions shown (e.g. published ones for viewers; None = all).  Only
    finished editions (``final``: locked or published) are figures: an edition still in
    scoring has provisional scores and awards, so it would drag every line and change; it is
    listed in ``in_progress`` instead.  Award thresholds are the edition's own (not filtered);
    every other figure covers only the chosen unit types and categories.
    """
    if years is not None:
        all_results = all_results[all_results["year"].isin(list(years))]
    in_progress = sorted(int(year) for year in all_results.loc[~all_results["final"].astype(bool), "year"].unique())
    all_results = all_results[~all_results["year"].isin(in_progress)]
    editions = sorted(int(year) for year in all_results["year"].unique())
    advancement = advancement[advancement["year"].isin(editions)]
    chosen = filter_results(all_results, unit_types, categories)
    sent = filter_results(advancement, unit_types, categories)
    return Trends(
        years=editions,
        in_progress=in_progress,
        results=chosen,
        participation=participation(chosen, editions),
        by_type=participation_by_type(chosen),
        levels=score_levels(chosen, award_thresholds(all_results), editions),
        criteria=criterion_levels(scores, chosen),
        winners=winners_profile(chosen),
        returning=returning_units(chosen),
        advancement=sent,
        advancement_counts=advancement_counts(sent, editions),
        advancement_results=advancement_results(sent),
    )


def unit_history(frame: pd.DataFrame, institution: str) -> pd.DataFrame:
    """Every entry of one unit across editions, newest first, with its result."""
    rows = frame[frame["institution"] == institution]
    return rows.sort_values(["year", "rank"], ascending=[False, True], ignore_index=True)
