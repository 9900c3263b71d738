"""Database -> tidy pandas DataFrames: one query per need, never one per row.

Every function takes an Engine (or a Session's connection) and returns plain frames
or small dicts, so pages can cache them by (edition, data version).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, func
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from kipp.models import (
    Criterion,
    Edition,
    Entry,
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
    rows = connection.execute(statement).all()
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
        scores = _frame(
            connection,
            select(Score.entry_id, Score.juror_id, Score.criterion_id, Score.value).where(
                Score.edition_id == edition_id
            ),
            ["entry_id", "juror_id", "criterion_id", "value"],
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
