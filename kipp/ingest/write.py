"""Writing an import: one transaction of bulk upserts and audit records, all or nothing.

On SQLite the write session holds the write lock from the start (BEGIN IMMEDIATE); on PostgreSQL an
import first takes a transaction-scoped advisory lock.  So several imports into one edition at the
same time queue up and all land, with exact counts and audit records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, delete, insert, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from kipp import audit, db
from kipp.ingest.check import DataSet
from kipp.ingest.format import ImportRefused, fold
from kipp.ingest.plan import ImportSummary, Plan, Write, by_fold, make_plan
from kipp.models import (
    Assignment,
    Criterion,
    Edition,
    Entry,
    Feedback,
    Institution,
    Juror,
    PanelMember,
    Role,
    Score,
    SessionSeat,
    utcnow,
)

INGEST_LOCK = "import"  # the lock (kipp.db.serialise) every import takes


def _insert(connection: Connection) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _upsert(
    connection: Connection,
    model: type,
    rows: list[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE (every other column, or ``update``), for many rows at once."""
    if not rows:
        return
    statement = _insert(connection)(model)
    columns = [c for c in rows[0] if c not in keys] if update is None else list(update)
    if columns:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={c: statement.excluded[c] for c in columns}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    connection.execute(statement, rows)


def _ensure_edition(connection: Connection, year: int, name: str | None) -> bool:
    """Create the edition if it does not exist (race-free); True when it was created."""
    values = Edition(year=year, name=name or f"KIPP Kota Malang {year}").model_dump(exclude={"id"})
    statement = _insert(connection)(Edition).values(**values).on_conflict_do_nothing(index_elements=["year"])
    return connection.execute(statement.returning(Edition.id)).first() is not None


def _ids(connection: Connection, statement: Any) -> dict[str, Any]:
    """Folded name -> row, the first (lowest id) winning, as in planning."""
    return by_fold(connection.execute(statement))


def _audit_writes(
    actor: audit.Actor, edition_id: int, entity: str, writes: list[Write], action: str | None = None
) -> list[dict[str, Any]]:
    """Audit rows for created or updated rows of one kind (actions ``<action>.create`` and ``.update``)."""
    action = action or entity
    return [
        audit.audit_record(
            actor=actor,
            action=f"{action}.create" if w.old is None else f"{action}.update",
            entity=entity,
            entity_key=w.key,
            edition_id=edition_id,
            old=w.old,
            new=w.new,
        )
        for w in writes
    ]


def _apply(session: Session, plan: Plan, edition_id: int, actor: audit.Actor) -> None:
    """Write a checked plan with bulk upserts, then its audit records."""
    _write_rows(session.connection(), plan, edition_id, actor)
    audit.write_audit(session, _audit_records(plan, edition_id, actor))


def _write_rows(connection: Connection, plan: Plan, edition_id: int, actor: audit.Actor) -> None:
    """The plan's rows, kind by kind, each kind's ids read back for the rows that refer to them."""
    now = utcnow()
    writes = plan.writes
    _upsert(connection, Institution, [w.values for w in writes["institutions"]], ["name"])
    units = _ids(connection, select(Institution.name, Institution.id).order_by(Institution.id))
    _upsert(connection, Juror, [w.values for w in writes["jurors"]], ["name"])
    jurors = _ids(connection, select(Juror.name, Juror.id).order_by(Juror.id))
    panel_rows = [
        {
            **{c: v for c, v in w.values.items() if c != "juror"},
            "edition_id": edition_id,
            "juror_id": jurors[w.values["juror"]].id,
        }
        for w in writes["panel"]
    ]
    _upsert(connection, PanelMember, panel_rows, ["edition_id", "juror_id"])
    _upsert(
        connection,
        Criterion,
        [{**w.values, "edition_id": edition_id} for w in writes["criteria"]],
        ["edition_id", "name"],
    )
    criteria = _ids(
        connection,
        select(Criterion.name, Criterion.id, Criterion.max_score)
        .where(Criterion.edition_id == edition_id)
        .order_by(Criterion.id),
    )
    entry_rows = [
        {
            **{c: v for c, v in w.values.items() if c != "institution"},
            "edition_id": edition_id,
            "institution_id": units[fold(w.values["institution"])].id,
        }
        for w in writes["entries"]
    ]
    _upsert(connection, Entry, entry_rows, ["edition_id", "code"])
    entries = _ids(connection, select(Entry.code, Entry.id).where(Entry.edition_id == edition_id).order_by(Entry.id))
    _write_seating(connection, plan, edition_id, jurors, entries)
    score_rows = [
        {
            "edition_id": edition_id,
            "entry_id": entries[w.values["code"]].id,
            "juror_id": jurors[w.values["juror"]].id,
            "criterion_id": criteria[w.values["criterion"]].id,
            "max_score": criteria[w.values["criterion"]].max_score,
            "value": w.values["value"],
            "entered_by": actor.username,
            "created_at": now,
            "updated_at": now,
        }
        for w in writes["scores"]
    ]
    _upsert(
        connection,
        Score,
        score_rows,
        ["entry_id", "juror_id", "criterion_id"],
        update=("value", "max_score", "entered_by", "updated_at"),
    )
    feedback_rows = [
        {
            "edition_id": edition_id,
            "entry_id": entries[w.values["code"]].id,
            "juror_id": jurors[w.values["juror"]].id,
            "text": w.values["text"],
            "updated_at": now,
        }
        for w in writes["feedback"]
    ]
    _upsert(connection, Feedback, feedback_rows, ["entry_id", "juror_id"], update=("text", "updated_at"))


def _write_seating(
    connection: Connection, plan: Plan, edition_id: int, jurors: dict[str, Any], entries: dict[str, Any]
) -> None:
    """Replace the seats of each session, and the assignments of each entry, that the file changes."""
    panels, assignments = plan.writes["panels"], plan.writes["assignments"]
    removed = [session for write in panels for session in write.values["remove"]]
    if removed:
        connection.execute(
            delete(SessionSeat).where(
                SessionSeat.edition_id == edition_id, tuple_(SessionSeat.day, SessionSeat.room).in_(removed)
            )
        )
    seats = [
        {"edition_id": edition_id, "day": day, "room": room, "juror_id": jurors[juror].id}
        for write in panels
        for day, room, juror in write.values["seats"]
    ]
    if seats:
        connection.execute(insert(SessionSeat), seats)
    entry_ids = [entries[write.values["code"]].id for write in assignments]
    if entry_ids:
        connection.execute(
            delete(Assignment).where(Assignment.edition_id == edition_id, Assignment.entry_id.in_(entry_ids))
        )
        rows = [
            {"edition_id": edition_id, "entry_id": entries[write.values["code"]].id, "juror_id": jurors[juror].id}
            for write in assignments
            for juror in write.values["jurors"]
        ]
        connection.execute(insert(Assignment), rows)


def _audit_records(plan: Plan, edition_id: int, actor: audit.Actor) -> list[dict[str, Any]]:
    """One audit record per created or updated row, panel seat, and imported score sheet."""
    writes = plan.writes
    records: list[dict[str, Any]] = []
    for entity, table in (
        ("institution", "institutions"),
        ("juror", "jurors"),
        ("criterion", "criteria"),
        ("entry", "entries"),
        ("feedback", "feedback"),
    ):
        records += _audit_writes(actor, edition_id, entity, writes[table])
    records += _audit_writes(actor, edition_id, "panel_member", writes["panel"], action="panel")
    records += _audit_writes(actor, edition_id, "session_seat", writes["panels"], action="panels")
    records += _audit_writes(actor, edition_id, "assignment", writes["assignments"], action="assignments")
    sheets: dict[tuple[str, str], list[Write]] = {}
    for write in writes["scores"]:
        sheets.setdefault((write.values["code"], write.values["juror"]), []).append(write)
    for group in sheets.values():
        old = {w.values["criterion_name"]: w.old["value"] for w in group if w.old is not None}
        records.append(
            audit.audit_record(
                actor=actor,
                action="score.import",
                entity="score_sheet",
                entity_key=group[0].key,
                edition_id=edition_id,
                old=old or None,
                new={w.values["criterion_name"]: w.values["value"] for w in group},
            )
        )
    return records


def _summary(data: DataSet, year: int, created: bool, plan: Plan) -> ImportSummary:
    return ImportSummary(data.source, year, created, tuple(plan.changes))


def preview(engine: Engine, data: DataSet, year: int) -> ImportSummary:
    """What importing ``data`` into edition ``year`` would change; raises ImportRefused as the import would."""
    with db.read_session(engine) as session:
        plan, problems = make_plan(session.connection(), data, year, for_update=False)
    if problems:
        raise ImportRefused(problems)
    return _summary(data, year, plan.edition_id is None, plan)


def import_dataset(
    engine: Engine, data: DataSet, year: int, *, name: str | None = None, actor: str | None = None
) -> ImportSummary:
    """Import a checked file into edition ``year`` (created if missing), all or nothing.

    Raises ImportRefused with every problem found against the database (locked edition,
    unknown references, scores above a maximum …); nothing is written then.
    """
    who = audit.Actor(actor or f"import:{data.source}", Role.organizer.value)
    with db.write_session(engine) as session:
        db.serialise(session, INGEST_LOCK)  # imports queue up, on PostgreSQL as on SQLite: exact counts and audit
        connection = session.connection()
        created = _ensure_edition(connection, year, name)
        plan, problems = make_plan(connection, data, year, for_update=True)
        if problems:
            raise ImportRefused(problems)
        edition_id = connection.execute(select(Edition.id).where(Edition.year == year)).scalar_one()
        _apply(session, plan, edition_id, who)
        summary = _summary(data, year, created, plan)
        if created or any(change.new or change.updated for change in summary.changes):
            audit.audit(
                session,
                actor=who,
                action="import",
                entity="edition",
                entity_key=str(year),
                edition_id=edition_id,
                reason=data.source,
                new={c.sheet: {"new": c.new, "updated": c.updated} for c in summary.changes},
            )
            audit.bump_data_version(session, edition_id)
    return summary
