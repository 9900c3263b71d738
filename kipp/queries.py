"""Database -> tidy pandas DataFrames: one query per need, never one per row.

Every function takes an Engine (or a Session's connection) and returns plain frames
or small dicts, so pages can cache them by (edition, data version).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from kipp.models import (
    ENTRY_FIELDS,
    Advancement,
    Assignment,
    AuditLog,
    Criterion,
    Edition,
    EditionLogo,
    Entry,
    EntryStatus,
    Feedback,
    Institution,
    Juror,
    PanelMember,
    Recusal,
    Score,
    SessionSeat,
)
from kipp.scoring import EditionData, expected_jurors

ENTRY_COLUMNS = ["entry_id", "code", "title", "institution", "institution_type", "category", "day", "room", "slot"]


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
        "edition_id",
        "year",
        "ordinal",
        "name",
        "venue",
        "start_date",
        "end_date",
        "status",
        "is_demo",
        "data_version",
        "n_entries",
        "n_jurors",
    ]
    with engine.connect() as connection:
        return _frame(connection, statement, columns)


def edition_record(engine: Engine, year: int) -> dict[str, Any]:
    """One edition's row as a plain dict (raises EditionNotFound)."""
    with Session(engine) as session:
        edition = session.exec(select(Edition).where(Edition.year == year)).first()
        if edition is None:
            raise EditionNotFound(year)
        return edition.model_dump()


def edition_logo(engine: Engine, year: int) -> tuple[str, bytes] | None:
    """The edition's stored logo as (media type, bytes), or None when it has none (raises EditionNotFound)."""
    statement = (
        select(Edition.id, EditionLogo.media_type, EditionLogo.content)
        .outerjoin(EditionLogo, EditionLogo.edition_id == Edition.id)
        .where(Edition.year == year)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).first()
    if row is None:
        raise EditionNotFound(year)
    return None if row.content is None else (row.media_type, bytes(row.content))


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
    """Everything scoring needs for one edition: seven small queries, no per-row work."""
    with engine.connect() as connection:
        edition = connection.execute(
            select(Edition.id, Edition.award_tiers, Edition.official_method, Edition.status).where(Edition.year == year)
        ).first()
        if edition is None:
            raise EditionNotFound(year)
        edition_id, tiers, official_method, status = edition
        entries = _frame(
            connection,
            select(*ENTRY_FIELDS, Entry.status)
            .join(Institution, Institution.id == Entry.institution_id)
            .where(Entry.edition_id == edition_id)
            .order_by(Entry.code),
            [*ENTRY_COLUMNS, "entry_status"],
        )
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
        assignments = _frame(
            connection,
            select(Assignment.entry_id, Assignment.juror_id).where(Assignment.edition_id == edition_id),
            ["entry_id", "juror_id"],
        )
        panels = _frame(
            connection,
            select(SessionSeat.day, SessionSeat.room, SessionSeat.juror_id)
            .where(SessionSeat.edition_id == edition_id)
            .order_by(SessionSeat.day, SessionSeat.room),
            ["day", "room", "juror_id"],
        )
    return EditionData(
        entries=entries,
        criteria=criteria,
        panel=panel,
        scores=scores,
        recusals=recusals,
        tiers=tiers or [],
        assignments=assignments,
        panels=panels,
        official_method=official_method,
        status=status,
    )


def edition_summary(engine: Engine, year: int) -> dict[str, Any]:
    """Headline figures of an edition for the home page, straight from the database."""
    edition = edition_record(engine, year)
    edition_id = edition["id"]
    with engine.connect() as connection:
        n_entries, n_units, n_types = connection.execute(
            select(
                func.count(Entry.id),
                func.count(func.distinct(Entry.institution_id)),
                func.count(func.distinct(Entry.institution_type)),
            ).where(Entry.edition_id == edition_id)
        ).one()
        n_jurors = connection.execute(
            select(func.count()).select_from(PanelMember).where(PanelMember.edition_id == edition_id)
        ).scalar_one()
        n_criteria = connection.execute(
            select(func.count()).select_from(Criterion).where(Criterion.edition_id == edition_id)
        ).scalar_one()
        n_scores = connection.execute(
            select(func.count()).select_from(Score).where(Score.edition_id == edition_id)
        ).scalar_one()
    # Sheets expected follow the panels (sessions, assignments, recusals, withdrawn entries).
    n_expected_sheets = len(expected_jurors(load_edition(engine, year)))
    return {
        **{key: edition[key] for key in ("year", "ordinal", "name", "venue", "start_date", "end_date")},
        **{key: edition[key] for key in ("status", "is_demo")},
        "n_entries": int(n_entries),
        "n_units": int(n_units),
        "n_unit_types": int(n_types),
        "n_jurors": int(n_jurors),
        "n_criteria": int(n_criteria),
        "n_scores": int(n_scores),
        "n_expected_scores": n_expected_sheets * int(n_criteria),
    }


def load_all_editions(engine: Engine, years: Iterable[int] | None = None) -> dict[int, EditionData]:
    """Every edition's scoring frames by year (or only ``years``): the same frames as :func:`load_edition`.

    Read once for many editions (trends, a unit's history): seven queries for the whole
    database, split by edition in pandas, plus two per edition for the scores, which never
    travel one row per score (:func:`_sheet_scores`).
    """
    chosen = None if years is None else sorted({int(year) for year in years})
    with engine.connect() as connection:
        statement = select(
            Edition.id, Edition.year, Edition.award_tiers, Edition.official_method, Edition.status
        ).order_by(Edition.year)
        if chosen is not None:
            statement = statement.where(Edition.year.in_(chosen))
        editions_ = _frame(connection, statement, ["edition_id", "year", "tiers", "official_method", "status"])
        ids = editions_["edition_id"].tolist()
        entries = _plain_frame(
            connection,
            select(Entry.edition_id, *ENTRY_FIELDS, Entry.status)
            .join(Institution, Institution.id == Entry.institution_id)
            .where(Entry.edition_id.in_(ids))
            .order_by(Entry.edition_id, Entry.code),
            ["edition_id", *ENTRY_COLUMNS, "entry_status"],
        )
        criteria = _plain_frame(
            connection,
            select(
                Criterion.edition_id,
                Criterion.id,
                Criterion.name,
                Criterion.weight,
                Criterion.max_score,
                Criterion.position,
            )
            .where(Criterion.edition_id.in_(ids))
            .order_by(Criterion.edition_id, Criterion.position, Criterion.id),
            ["edition_id", "criterion_id", "name", "weight", "max_score", "position"],
        )
        panel = _plain_frame(
            connection,
            select(PanelMember.edition_id, Juror.id, Juror.name, PanelMember.seat)
            .join(Juror, Juror.id == PanelMember.juror_id)
            .where(PanelMember.edition_id.in_(ids))
            .order_by(PanelMember.edition_id, PanelMember.seat, Juror.name),
            ["edition_id", "juror_id", "juror", "seat"],
        )
        recusals = _plain_frame(
            connection,
            select(Recusal.edition_id, Recusal.entry_id, Recusal.juror_id).where(Recusal.edition_id.in_(ids)),
            ["edition_id", "entry_id", "juror_id"],
        )
        assignments = _plain_frame(
            connection,
            select(Assignment.edition_id, Assignment.entry_id, Assignment.juror_id).where(
                Assignment.edition_id.in_(ids)
            ),
            ["edition_id", "entry_id", "juror_id"],
        )
        panels = _plain_frame(
            connection,
            select(SessionSeat.edition_id, SessionSeat.day, SessionSeat.room, SessionSeat.juror_id)
            .where(SessionSeat.edition_id.in_(ids))
            .order_by(SessionSeat.edition_id, SessionSeat.day, SessionSeat.room),
            ["edition_id", "day", "room", "juror_id"],
        )
        scores = {
            edition_id: _sheet_scores(
                connection,
                edition_id,
                entries.loc[entries["edition_id"] == edition_id, "entry_id"],
                panel.loc[panel["edition_id"] == edition_id, "juror_id"],
                criteria.loc[criteria["edition_id"] == edition_id, "criterion_id"],
            )
            for edition_id in ids
        }
    tables = (entries, criteria, panel, recusals, assignments, panels)
    parts = [
        {key: frame.drop(columns="edition_id") for key, frame in table.groupby("edition_id", sort=False)}
        for table in tables
    ]
    empty = [table.drop(columns="edition_id").iloc[0:0] for table in tables]
    result = {}
    for edition_id, year, tiers, official_method, status in editions_.itertuples(index=False):
        entries_, criteria_, panel_, recusals_, assignments_, panels_ = (
            part.get(edition_id, blank).reset_index(drop=True) for part, blank in zip(parts, empty, strict=True)
        )
        result[int(year)] = EditionData(
            entries_,
            criteria_,
            panel_,
            scores[edition_id],
            recusals_,
            tiers or [],
            assignments=assignments_,
            panels=panels_,
            official_method=official_method,
            status=status,
        )
    return result


def _sheet_scores(
    connection: Connection, edition_id: int, entry_ids: pd.Series, juror_ids: pd.Series, criterion_ids: pd.Series
) -> pd.DataFrame:
    """An edition's scores (entry_id, juror_id, criterion_id, value) with as few rows through the driver as possible.

    At national scale (~875,000 scores) the driver's cost per row dominates, so the scores
    do not travel as one row per score.  The schema ties every score to an entry, a panel
    juror and a criterion of its edition, once each (foreign keys, ``uq_score_sheet_cell``):
    when the edition holds entries × jurors × criteria scores they fill the whole grid, and
    only the values are read, in grid order.  Otherwise (scoring still going on, recusals)
    the database pivots each juror sheet into one row with a column per criterion (NULL
    where not scored): five times fewer rows.  numpy turns either back into one row per score.
    """
    entries = np.sort(entry_ids.to_numpy(dtype="int64"))
    jurors = np.sort(juror_ids.to_numpy(dtype="int64"))
    criteria = criterion_ids.to_numpy(dtype="int64")
    cells = len(entries) * len(jurors) * len(criteria)
    count = connection.execute(select(func.count()).where(Score.edition_id == edition_id)).scalar_one()
    if count == cells:
        ordered = np.sort(criteria)
        statement = (
            select(Score.value)
            .where(Score.edition_id == edition_id)
            .order_by(Score.entry_id, Score.juror_id, Score.criterion_id)
        )
        return pd.DataFrame(
            {
                "entry_id": np.repeat(entries, len(jurors) * len(criteria)),
                "juror_id": np.tile(np.repeat(jurors, len(criteria)), len(entries)),
                "criterion_id": np.tile(ordered, len(entries) * len(jurors)),
                "value": _cursor_floats(connection, statement, cells),
            }
        )
    statement = (
        select(
            Score.entry_id,
            Score.juror_id,
            *(func.max(Score.value).filter(Score.criterion_id == int(criterion)) for criterion in criteria),
        )
        .where(Score.edition_id == edition_id)
        .group_by(Score.entry_id, Score.juror_id)
    )
    rows = np.array(_cursor_rows(connection, statement), dtype=float).reshape(-1, 2 + len(criteria))
    sheet, slot = np.nonzero(~np.isnan(rows[:, 2:]))
    return pd.DataFrame(
        {
            "entry_id": rows[sheet, 0].astype("int64"),
            "juror_id": rows[sheet, 1].astype("int64"),
            "criterion_id": criteria[slot],
            "value": rows[sheet, 2 + slot],
        }
    )


def _cursor_rows(connection: Connection, statement: Any) -> list[tuple[Any, ...]]:
    """Run a SELECT and return the DBAPI cursor's plain tuples, skipping SQLAlchemy's row objects.

    Only for columns SQLAlchemy does not convert (integers, floats, plain strings): at tens of
    thousands of rows, building Row objects costs more than the query.
    """
    result = connection.execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _cursor_floats(connection: Connection, statement: Any, count: int) -> np.ndarray:
    """Run a SELECT of ``count`` NOT NULL numbers and stream them off the DBAPI cursor into one array."""
    result = connection.execute(statement)
    try:
        return np.fromiter(itertools.chain.from_iterable(result.cursor), dtype=float, count=count)
    finally:
        result.close()


def _plain_frame(connection: Connection, statement: Any, columns: list[str]) -> pd.DataFrame:
    """:func:`_frame` for columns of plain types (see :func:`_cursor_rows`)."""
    return pd.DataFrame.from_records(_cursor_rows(connection, statement), columns=columns)


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


def edition_versions(engine: Engine) -> dict[int, tuple[Any, ...]]:
    """A cheap fingerprint of each edition's data by year, oldest first (one query).

    (write counter, status, entries, scores): every write path bumps the counter
    (:func:`kipp.audit.bump_data_version`), and the counts notice rows added or removed
    by a write that forgot to.  Counting is cheap on the indexes; unlike
    :func:`data_version` it leaves out the latest score time, a scan of every score row
    (over 100 ms for ten national editions, on every page run).
    """
    n_entries = select(func.count()).where(Entry.edition_id == Edition.id).scalar_subquery()
    n_scores = select(func.count()).where(Score.edition_id == Edition.id).scalar_subquery()
    statement = select(Edition.year, Edition.data_version, Edition.status, n_entries, n_scores).order_by(Edition.year)
    with engine.connect() as connection:
        return {
            int(year): (int(version), str(status), int(entries), int(scores))
            for year, version, status, entries, scores in connection.execute(statement)
        }


def all_data_version(engine: Engine) -> tuple[Any, ...]:
    """A cheap fingerprint of every edition's data: changes with any result, entry, status or advancement.

    ``(((year, edition version), …) oldest first, advancements, feedback)`` with each edition's
    :func:`edition_versions`, so a cache can key each edition's part on its own version.
    """
    links = select(
        select(func.count(Advancement.id)).scalar_subquery(), select(func.count(Feedback.entry_id)).scalar_subquery()
    )
    with engine.connect() as connection:
        n_advancements, n_feedback = connection.execute(links).one()
    return (tuple(edition_versions(engine).items()), int(n_advancements), int(n_feedback))


def advancements(engine: Engine) -> pd.DataFrame:
    """Every entry sent on to KOVABLIK or SINOVIK, with its edition and unit (one query).

    Columns: year (the KIPP edition), entry_id, code, title, institution, institution_type,
    category, round, round_year, result.
    """
    statement = (
        select(
            Edition.year,
            Entry.id,
            Entry.code,
            Entry.title,
            Institution.name,
            Entry.institution_type,
            Entry.category,
            Advancement.round,
            Advancement.year,
            Advancement.result,
        )
        .join(Entry, Entry.id == Advancement.entry_id)
        .join(Edition, Edition.id == Entry.edition_id)
        .join(Institution, Institution.id == Entry.institution_id)
        .order_by(Edition.year, Advancement.round, Entry.code)
    )
    columns = [
        "year",
        "entry_id",
        "code",
        "title",
        "institution",
        "institution_type",
        "category",
        "round",
        "round_year",
        "result",
    ]
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
        select(
            Edition.year, Entry.id, Entry.code, Entry.title, Institution.name, Entry.institution_type, Entry.category
        )
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


def entries_out_of_competition(engine: Engine) -> pd.DataFrame:
    """Withdrawn and absent entries of every edition (rankings leave them out; a unit's history still lists them).

    Newest edition first.  Columns: year, entry_id, code, title, institution, entry_status.
    """
    statement = (
        select(Edition.year, Entry.id, Entry.code, Entry.title, Institution.name, Entry.status)
        .join(Edition, Edition.id == Entry.edition_id)
        .join(Institution, Institution.id == Entry.institution_id)
        .where(Entry.status != EntryStatus.competing.value)
        .order_by(Edition.year.desc(), Entry.code)
    )
    columns = ["year", "entry_id", "code", "title", "institution", "entry_status"]
    with engine.connect() as connection:
        return _frame(connection, statement, columns)


def _escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search for "50%" or "SEPAKAT_22" matches literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- score sheet reads and the audit trail, read back -------------------------------------


AUDIT_COLUMNS = ["at", "actor", "action", "year", "entity", "entity_key", "old_value", "new_value", "reason"]


def recusals(engine: Engine, year: int) -> pd.DataFrame:
    """An edition's recusals: entry_id, code, title, juror_id, juror, reason, created_at."""
    statement = (
        select(
            Recusal.entry_id, Entry.code, Entry.title, Recusal.juror_id, Juror.name, Recusal.reason, Recusal.created_at
        )
        .join(Entry, Entry.id == Recusal.entry_id)
        .join(Juror, Juror.id == Recusal.juror_id)
        .join(Edition, Edition.id == Recusal.edition_id)
        .where(Edition.year == year)
        .order_by(Entry.code, Juror.name)
    )
    columns = ["entry_id", "code", "title", "juror_id", "juror", "reason", "created_at"]
    with engine.connect() as connection:
        return pd.DataFrame.from_records(connection.execute(statement).all(), columns=columns)


def criterion_descriptions(engine: Engine, year: int) -> dict[int, str]:
    """What each criterion of an edition asks for (criterion_id -> description), for the score sheet."""
    statement = (
        select(Criterion.id, Criterion.description)
        .join(Edition, Edition.id == Criterion.edition_id)
        .where(Edition.year == year, Criterion.description.is_not(None))
    )
    with engine.connect() as connection:
        return {int(criterion_id): text for criterion_id, text in connection.execute(statement)}


def sheet_feedback(engine: Engine, entry_id: int, juror_id: int) -> str:
    """A juror's stored feedback on an entry ('' when none)."""
    statement = select(Feedback.text).where(Feedback.entry_id == entry_id, Feedback.juror_id == juror_id)
    with engine.connect() as connection:
        return connection.execute(statement).scalar_one_or_none() or ""


def _decode(value: Any) -> str | None:
    """An audit value for people: JSON numbers and text shown plainly (missing stays None)."""
    if not isinstance(value, str):
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    if isinstance(decoded, float) and decoded.is_integer():
        return str(int(decoded))
    return decoded if isinstance(decoded, str) else json.dumps(decoded, ensure_ascii=False)


def audit_trail(
    engine: Engine,
    *,
    years: Iterable[int] = (),
    actors: Iterable[str] = (),
    actions: Iterable[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    timezone: str = "Asia/Jakarta",
) -> pd.DataFrame:
    """Audit records, newest first, filtered in the database (empty filters mean all).

    ``start``/``end`` are inclusive local dates in ``timezone`` (Kota Malang is WIB).
    Columns: at (local time), actor, action, year, entity, entity_key, old_value,
    new_value, reason.
    """
    statement = (
        select(
            AuditLog.at,
            AuditLog.actor,
            AuditLog.action,
            Edition.year,
            AuditLog.entity,
            AuditLog.entity_key,
            AuditLog.old_value,
            AuditLog.new_value,
            AuditLog.reason,
        )
        .outerjoin(Edition, Edition.id == AuditLog.edition_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
    if years := list(years):
        statement = statement.where(Edition.year.in_(years))
    if actors := list(actors):
        statement = statement.where(AuditLog.actor.in_(actors))
    if actions := list(actions):
        statement = statement.where(AuditLog.action.in_(actions))
    zone = pd.Timestamp(0, tz=timezone).tzinfo
    if start is not None:
        statement = statement.where(AuditLog.at >= dt.datetime.combine(start, dt.time(), zone))
    if end is not None:
        statement = statement.where(AuditLog.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone))
    with engine.connect() as connection:
        frame = pd.DataFrame.from_records(connection.execute(statement).all(), columns=AUDIT_COLUMNS)
    stamps = pd.to_datetime(frame["at"])
    stamps = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps.dt.tz_convert("UTC")
    frame["at"] = stamps.dt.tz_convert(timezone).dt.tz_localize(None)
    frame["year"] = frame["year"].astype("Int64")
    for column in ("old_value", "new_value"):
        frame[column] = frame[column].map(_decode).astype("object")
    return frame


def audit_facets(engine: Engine) -> dict[str, list[Any]]:
    """The values the audit filters offer: actors, actions and edition years present in the log."""
    with engine.connect() as connection:
        actors = connection.execute(select(AuditLog.actor).distinct().order_by(AuditLog.actor)).scalars().all()
        actions = connection.execute(select(AuditLog.action).distinct().order_by(AuditLog.action)).scalars().all()
        years = (
            connection.execute(
                select(Edition.year).join(AuditLog, AuditLog.edition_id == Edition.id).distinct().order_by(Edition.year)
            )
            .scalars()
            .all()
        )
    return {"actors": list(actors), "actions": list(actions), "years": list(years)}
