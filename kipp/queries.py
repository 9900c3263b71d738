"""Database -> tidy pandas DataFrames: one query per need, never one per row.

Every function takes an Engine (or a Session's connection) and returns plain frames
or small dicts, so pages can cache them by (edition, data version).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, case, func
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from kipp.models import (
    Advancement,
    Criterion,
    Edition,
    EditionStatus,
    Entry,
    Feedback,
    Institution,
    Juror,
    PanelMember,
    Recusal,
    Score,
)
from kipp.scoring import EditionData


class EditionNotFound(LookupError):
    """The requested edition year is not in the database."""

    def __init__(self, year: int) -> None:
        super().__init__(f"Edition {year} does not exist")
        self.year = year


def _frame(connection: Connection, statement: Any, columns: list[str]) -> pd.DataFrame:
    """Run a SELECT and return its rows as a frame with the given columns."""
    # Plain tuples: pandas reads SQLAlchemy Row objects about five times slower.
    rows = [tuple(row) for row in connection.execute(statement)]
    return pd.DataFrame.from_records(rows, columns=columns)


def editions(engine: Engine) -> pd.DataFrame:
    """All editions, newest first, with their sizes (entries, jurors, scores)."""
    entries = select(Entry.edition_id, func.count().label("n")).group_by(Entry.edition_id).subquery()
    panel = select(PanelMember.edition_id, func.count().label("n")).group_by(PanelMember.edition_id).subquery()
    statement = (
        select(
            Edition.id,
            Edition.year,
            Edition.ordinal,
            Edition.name,
            Edition.venue,
            Edition.start_date,
            Edition.end_date,
            Edition.status,
            Edition.is_demo,
            Edition.data_version,
            func.coalesce(entries.c.n, 0),
            func.coalesce(panel.c.n, 0),
        )
        .outerjoin(entries, entries.c.edition_id == Edition.id)
        .outerjoin(panel, panel.c.edition_id == Edition.id)
        .order_by(Edition.year.desc())
    )
    columns = [
        "edition_id", "year", "ordinal", "name", "venue", "start_date", "end_date",
        "status", "is_demo", "data_version", "n_entries", "n_jurors",
    ]  # fmt: skip
    with engine.connect() as connection:
        return _frame(connection, statement, columns)


def edition_record(engine: Engine, year: int) -> dict[str, Any]:
    """One edition's row as a plain dict (raises EditionNotFound)."""
    with Session(engine) as session:
        edition = session.exec(select(Edition).where(Edition.year == year)).first()
        if edition is None:
            raise EditionNotFound(year)
        return edition.model_dump()


def data_version(engine: Engine, year: int) -> tuple[Any, ...]:
    """A cheap fingerprint of an edition's results: changes whenever a score changes.

    Combines the edition's write counter with the number and latest time of its
    scores, so even a write that forgot to bump the counter is noticed.
    """
    statement = (
        select(Edition.id, Edition.data_version, func.count(Score.id), func.max(Score.updated_at))
        .outerjoin(Score, Score.edition_id == Edition.id)
        .where(Edition.year == year)
        .group_by(Edition.id, Edition.data_version)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).first()
    if row is None:
        raise EditionNotFound(year)
    return (year, row[1], row[2], str(row[3]))


def load_edition(engine: Engine, year: int) -> EditionData:
    """Everything scoring needs for one edition: five small queries, no per-row work."""
    with engine.connect() as connection:
        edition = connection.execute(select(Edition.id, Edition.award_tiers).where(Edition.year == year)).first()
        if edition is None:
            raise EditionNotFound(year)
        edition_id, tiers = edition
        entries = _frame(
            connection,
            select(
                Entry.id, Entry.code, Entry.title, Institution.name, Institution.type,
                Entry.category, Entry.day, Entry.room, Entry.slot,
            )
            .join(Institution, Institution.id == Entry.institution_id)
            .where(Entry.edition_id == edition_id)
            .order_by(Entry.code),
            ["entry_id", "code", "title", "institution", "institution_type", "category", "day", "room", "slot"],
        )  # fmt: skip
        criteria = _frame(
            connection,
            select(Criterion.id, Criterion.name, Criterion.weight, Criterion.max_score, Criterion.position)
            .where(Criterion.edition_id == edition_id)
            .order_by(Criterion.position, Criterion.id),
            ["criterion_id", "name", "weight", "max_score", "position"],
        )
        panel = _frame(
            connection,
            select(Juror.id, Juror.name, PanelMember.seat)
            .join(PanelMember, PanelMember.juror_id == Juror.id)
            .where(PanelMember.edition_id == edition_id)
            .order_by(PanelMember.seat, Juror.name),
            ["juror_id", "juror", "seat"],
        )
        scores = _numeric_frame(
            connection,
            select(Score.entry_id, Score.juror_id, Score.criterion_id, Score.value).where(
                Score.edition_id == edition_id
            ),
            {"entry_id": "int64", "juror_id": "int64", "criterion_id": "int64", "value": "float64"},
        )
        recusals = _frame(
            connection,
            select(Recusal.entry_id, Recusal.juror_id).where(Recusal.edition_id == edition_id),
            ["entry_id", "juror_id"],
        )
    return EditionData(
        entries=entries,
        criteria=criteria,
        panel=panel,
        scores=scores,
        recusals=recusals,
        tiers=tiers or [],
    )


def edition_summary(engine: Engine, year: int) -> dict[str, Any]:
    """Headline figures of an edition for the home page, straight from the database."""
    edition = edition_record(engine, year)
    edition_id = edition["id"]
    with engine.connect() as connection:
        n_entries, n_units = connection.execute(
            select(func.count(Entry.id), func.count(func.distinct(Entry.institution_id))).where(
                Entry.edition_id == edition_id
            )
        ).one()
        n_types = connection.execute(
            select(func.count(func.distinct(Institution.type)))
            .join(Entry, Entry.institution_id == Institution.id)
            .where(Entry.edition_id == edition_id)
        ).scalar_one()
        n_jurors = connection.execute(
            select(func.count()).select_from(PanelMember).where(PanelMember.edition_id == edition_id)
        ).scalar_one()
        n_criteria = connection.execute(
            select(func.count()).select_from(Criterion).where(Criterion.edition_id == edition_id)
        ).scalar_one()
        n_scores = connection.execute(
            select(func.count()).select_from(Score).where(Score.edition_id == edition_id)
        ).scalar_one()
    return {
        **{key: edition[key] for key in ("year", "ordinal", "name", "venue", "start_date", "end_date")},
        **{key: edition[key] for key in ("status", "is_demo")},
        "n_entries": int(n_entries),
        "n_units": int(n_units),
        "n_unit_types": int(n_types),
        "n_jurors": int(n_jurors),
        "n_criteria": int(n_criteria),
        "n_scores": int(n_scores),
        "n_expected_scores": int(n_entries) * int(n_jurors) * int(n_criteria),
    }


def load_all_editions(engine: Engine) -> dict[int, EditionData]:
    """Every edition's scoring frames by year, in six queries for the whole database.

    The same frames as :func:`load_edition`, read once for all editions (trends, a unit's
    history) and split by edition in pandas, so the cost does not grow with a query per edition.
    """
    with engine.connect() as connection:
        editions_ = _frame(
            connection,
            select(Edition.id, Edition.year, Edition.award_tiers).order_by(Edition.year),
            ["edition_id", "year", "tiers"],
        )
        entries = _frame(
            connection,
            select(
                Entry.edition_id, Entry.id, Entry.code, Entry.title, Institution.name, Institution.type,
                Entry.category, Entry.day, Entry.room, Entry.slot,
            )
            .join(Institution, Institution.id == Entry.institution_id)
            .order_by(Entry.edition_id, Entry.code),
            ["edition_id", "entry_id", "code", "title", "institution", "institution_type", "category", "day",
             "room", "slot"],
        )  # fmt: skip
        criteria = _frame(
            connection,
            select(
                Criterion.edition_id, Criterion.id, Criterion.name, Criterion.weight, Criterion.max_score,
                Criterion.position,
            ).order_by(Criterion.edition_id, Criterion.position, Criterion.id),
            ["edition_id", "criterion_id", "name", "weight", "max_score", "position"],
        )  # fmt: skip
        panel = _frame(
            connection,
            select(PanelMember.edition_id, Juror.id, Juror.name, PanelMember.seat)
            .join(Juror, Juror.id == PanelMember.juror_id)
            .order_by(PanelMember.edition_id, PanelMember.seat, Juror.name),
            ["edition_id", "juror_id", "juror", "seat"],
        )
        scores = _numeric_frame(
            connection,
            select(Score.entry_id, Score.juror_id, Score.criterion_id, Score.value),
            {"entry_id": "int64", "juror_id": "int64", "criterion_id": "int64", "value": "float64"},
        )
        recusals = _frame(
            connection,
            select(Recusal.edition_id, Recusal.entry_id, Recusal.juror_id),
            ["edition_id", "entry_id", "juror_id"],
        )
    edition_of_entry = pd.Series(entries["edition_id"].to_numpy(), index=entries["entry_id"].to_numpy())
    scores.insert(0, "edition_id", edition_of_entry.reindex(scores["entry_id"].to_numpy()).to_numpy())
    parts = [
        {key: frame.drop(columns="edition_id") for key, frame in table.groupby("edition_id", sort=False)}
        for table in (entries, criteria, panel, scores, recusals)
    ]
    empty = [table.drop(columns="edition_id").iloc[0:0] for table in (entries, criteria, panel, scores, recusals)]
    result = {}
    for edition_id, year, tiers in editions_.itertuples(index=False):
        frames = [part.get(edition_id, blank).reset_index(drop=True) for part, blank in zip(parts, empty, strict=True)]
        result[int(year)] = EditionData(*frames, tiers=tiers or [])
    return result


def _numeric_frame(connection: Connection, statement: Any, dtypes: dict[str, str]) -> pd.DataFrame:
    """Run a SELECT of NOT NULL numeric columns, reading the rows straight off the DBAPI cursor.

    For the large reads (a national edition's 87,500 scores, ~875,000 for all editions)
    building SQLAlchemy rows and a frame from them costs several times the query itself.
    Rows stream from the cursor into one typed numpy array, never into a list of tuples
    (which would hold ~150 MB for all national scores).  SQLAlchemy still binds the parameters.
    """
    result = connection.execute(statement)
    try:
        values = np.fromiter(result.cursor, dtype=np.dtype(list(dtypes.items())))
    finally:
        result.close()
    return pd.DataFrame({name: values[name] for name in dtypes})


def all_data_version(engine: Engine) -> tuple[str, ...]:
    """A cheap fingerprint of every edition's data (one query): changes with any result, entry or status."""
    published = func.sum(case((Edition.status == EditionStatus.published.value, 1), else_=0))
    statement = select(
        select(func.count(Edition.id)).scalar_subquery(),
        select(func.coalesce(func.sum(Edition.data_version), 0)).scalar_subquery(),
        select(published).scalar_subquery(),
        select(func.count(Entry.id)).scalar_subquery(),
        select(func.count(Score.id)).scalar_subquery(),
        select(func.max(Score.updated_at)).scalar_subquery(),
        select(func.count(Advancement.id)).scalar_subquery(),
        select(func.count(Feedback.entry_id)).scalar_subquery(),
    )
    with engine.connect() as connection:
        return tuple(str(value) for value in connection.execute(statement).one())


def advancements(engine: Engine) -> pd.DataFrame:
    """Every entry sent on to KOVABLIK or SINOVIK, with its edition and unit (one query).

    Columns: year (the KIPP edition), entry_id, code, title, institution, institution_type,
    category, round, round_year, result.
    """
    statement = (
        select(
            Edition.year, Entry.id, Entry.code, Entry.title, Institution.name, Institution.type, Entry.category,
            Advancement.round, Advancement.year, Advancement.result,
        )
        .join(Entry, Entry.id == Advancement.entry_id)
        .join(Edition, Edition.id == Entry.edition_id)
        .join(Institution, Institution.id == Entry.institution_id)
        .order_by(Edition.year, Advancement.round, Entry.code)
    )  # fmt: skip
    columns = [
        "year", "entry_id", "code", "title", "institution", "institution_type", "category",
        "round", "round_year", "result",
    ]  # fmt: skip
    with engine.connect() as connection:
        return _frame(connection, statement, columns)


def entry_feedback(engine: Engine, entry_id: int) -> pd.DataFrame:
    """The jurors' written feedback on one entry, in panel order (one query).

    Columns: juror_id, juror, seat, text.
    """
    statement = (
        select(Feedback.juror_id, Juror.name, PanelMember.seat, Feedback.text)
        .join(Juror, Juror.id == Feedback.juror_id)
        .join(
            PanelMember,
            (PanelMember.juror_id == Feedback.juror_id) & (PanelMember.edition_id == Feedback.edition_id),
        )
        .where(Feedback.entry_id == entry_id)
        .order_by(PanelMember.seat)
    )
    with engine.connect() as connection:
        return _frame(connection, statement, ["juror_id", "juror", "seat", "text"])


def search_entries(engine: Engine, text: str, limit: int = 200) -> pd.DataFrame:
    """Entries of every edition whose title, code or unit contains ``text`` (case-insensitive).

    Newest edition first; at most ``limit`` rows.  Columns: year, entry_id, code, title,
    institution, institution_type, category.
    """
    pattern = f"%{_escape_like(text.strip().lower())}%"
    statement = (
        select(Edition.year, Entry.id, Entry.code, Entry.title, Institution.name, Institution.type, Entry.category)
        .join(Edition, Edition.id == Entry.edition_id)
        .join(Institution, Institution.id == Entry.institution_id)
        .where(
            func.lower(Entry.title).like(pattern, escape="\\")
            | func.lower(Entry.code).like(pattern, escape="\\")
            | func.lower(Institution.name).like(pattern, escape="\\")
        )
        .order_by(Edition.year.desc(), Entry.code)
        .limit(limit)
    )
    columns = ["year", "entry_id", "code", "title", "institution", "institution_type", "category"]
    with engine.connect() as connection:
        return _frame(connection, statement, columns)


def _escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search for "50%" or "SEPAKAT_22" matches literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
