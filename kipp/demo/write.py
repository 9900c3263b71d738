"""Writing demo rows to the database: in bulk, in one transaction, all or nothing.

:func:`write_frames` inserts any :class:`~kipp.demo.frames.DemoFrames`;
:func:`build_demo` and :func:`build_first_demo` write the Kota Malang demo editions (the
latter with the demo accounts, on a dashboard's first start), :func:`build_scale` the
benchmark's synthetic editions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, exists, insert, select

from kipp import auth, db
from kipp.demo.data import SEED
from kipp.demo.frames import DemoFrames, malang_frames, scale_frames
from kipp.models import (
    Advancement,
    Criterion,
    Edition,
    Entry,
    Feedback,
    Institution,
    Juror,
    PanelMember,
    Score,
    SessionSeat,
)


def _ids(connection: Any, statement: Any) -> dict[Any, int]:
    """Map natural keys to ids from a two-or-more column SELECT (key columns first, id last)."""
    result: dict[Any, int] = {}
    for row in connection.execute(statement):
        *key, identifier = row
        result[key[0] if len(key) == 1 else tuple(key)] = identifier
    return result


def write_frames(engine: Engine, frames: DemoFrames, *, replace: bool = False) -> None:
    """Insert demo rows in one transaction (all or nothing), in bulk, without per-row queries."""
    with db.write_session(engine) as session:
        _write_frames(session.connection(), frames, replace=replace)


def _write_frames(connection: Any, frames: DemoFrames, *, replace: bool = False) -> None:
    """Insert demo rows in the caller's transaction; refuses editions that exist unless ``replace``."""
    years = [e["year"] for e in frames.editions]
    existing = connection.execute(select(Edition.year, Edition.is_demo).where(Edition.year.in_(years))).all()
    if existing and not replace:
        raise ValueError(
            f"Editions {', '.join(str(y) for y, _ in existing)} already exist; use --replace to rebuild demo data"
        )
    if any(not is_demo for _, is_demo in existing):
        raise ValueError("Refusing to replace editions that are not demo data")
    if existing:
        connection.execute(delete(Edition).where(Edition.year.in_(years)))
    connection.execute(insert(Edition), frames.editions)
    edition_ids = _ids(connection, select(Edition.year, Edition.id).where(Edition.year.in_(years)))

    known_units = _ids(connection, select(Institution.name, Institution.id))
    new_units = [{"name": u["name"]} for u in frames.institutions if u["name"] not in known_units]
    if new_units:
        connection.execute(insert(Institution), new_units)
    unit_ids = _ids(connection, select(Institution.name, Institution.id))

    known_jurors = _ids(connection, select(Juror.name, Juror.id))
    new_jurors = [{"name": j["name"]} for j in frames.jurors if j["name"] not in known_jurors]
    if new_jurors:
        connection.execute(insert(Juror), new_jurors)
    juror_ids = _ids(connection, select(Juror.name, Juror.id))
    affiliations = {j["name"]: j["affiliation"] for j in frames.jurors}
    unit_types = {u["name"]: u["type"] for u in frames.institutions}

    connection.execute(
        insert(PanelMember),
        [
            {
                "edition_id": edition_ids[p["year"]],
                "juror_id": juror_ids[p["juror"]],
                "seat": p["seat"],
                "affiliation": affiliations[p["juror"]],
            }
            for p in frames.panel
        ],
    )
    if frames.seats:
        connection.execute(
            insert(SessionSeat),
            [
                {
                    "edition_id": edition_ids[s["year"]],
                    "day": s["day"],
                    "room": s["room"],
                    "juror_id": juror_ids[s["juror"]],
                }
                for s in frames.seats
            ],
        )
    connection.execute(
        insert(Criterion),
        [
            {**{k: v for k, v in c.items() if k != "year"}, "edition_id": edition_ids[c["year"]]}
            for c in frames.criteria
        ],
    )
    connection.execute(
        insert(Entry),
        [
            {
                **{k: v for k, v in e.items() if k not in ("year", "unit")},
                "edition_id": edition_ids[e["year"]],
                "institution_id": unit_ids[e["unit"]],
                "institution_type": unit_types[e["unit"]],
            }
            for e in frames.entries
        ],
    )
    ids = list(edition_ids.values())
    entry_ids = _ids(
        connection, select(Edition.year, Entry.code, Entry.id).join(Edition).where(Entry.edition_id.in_(ids))
    )
    criteria = {
        (year, name): (cid, max_score)
        for year, name, cid, max_score in connection.execute(
            select(Edition.year, Criterion.name, Criterion.id, Criterion.max_score)
            .join(Edition)
            .where(Criterion.edition_id.in_(ids))
        )
    }
    _insert_scores(connection, frames.scores, edition_ids, entry_ids, juror_ids, criteria)
    if frames.feedback:
        connection.execute(
            insert(Feedback),
            [
                {
                    "edition_id": edition_ids[f["year"]],
                    "entry_id": entry_ids[(f["year"], f["code"])],
                    "juror_id": juror_ids[f["juror"]],
                    "text": f["text"],
                }
                for f in frames.feedback
            ],
        )
    if frames.advancement:
        connection.execute(
            insert(Advancement),
            [
                {
                    "entry_id": entry_ids[(a["year"], a["code"])],
                    "round": a["round"],
                    "year": a["year"],
                    "result": a["result"],
                }
                for a in frames.advancement
            ],
        )


def _insert_scores(
    connection: Any,
    scores: pd.DataFrame,
    edition_ids: dict[int, int],
    entry_ids: dict[tuple[int, str], int],
    juror_ids: dict[str, int],
    criteria: dict[tuple[int, str], tuple[int, float]],
    chunk: int = 50_000,
) -> None:
    """Bulk insert of scores, mapped from natural keys to ids with vectorised lookups."""
    keys = pd.MultiIndex.from_frame(scores[["year", "code"]])
    crit = pd.MultiIndex.from_frame(scores[["year", "criterion"]])
    criterion_lookup = pd.Series(criteria)
    rows = pd.DataFrame(
        {
            "edition_id": scores["year"].map(edition_ids).to_numpy(),
            "entry_id": pd.Series(entry_ids).reindex(keys).to_numpy(),
            "juror_id": scores["juror"].map(juror_ids).to_numpy(),
            "criterion_id": [c[0] for c in criterion_lookup.reindex(crit)],
            "max_score": [c[1] for c in criterion_lookup.reindex(crit)],
            "value": scores["value"].astype(float).to_numpy(),
        }
    )
    now = dt.datetime.now(dt.UTC)
    rows["entered_by"] = "demo"
    rows["created_at"] = now
    rows["updated_at"] = now
    records = rows.astype(object).to_dict("records")
    for start in range(0, len(records), chunk):
        connection.execute(insert(Score), records[start : start + chunk])


def build_demo(engine: Engine, *, replace: bool = False, seed: int = SEED) -> DemoFrames:
    """Write the four Kota Malang demo editions into a database that holds no real data.

    Idempotent: demo editions already there are left alone (of several processes building
    at once, one builds and the others find it built); ``replace`` rebuilds them.  Raises
    :class:`kipp.auth.DemoRefused` (a ValueError) on a database holding real data.
    """
    frames = malang_frames(seed)
    years = [edition["year"] for edition in frames.editions]
    with db.write_session(engine) as session:
        db.serialise(session, auth.DEMO_LOCK)
        if auth.holds_real_data(session):
            raise auth.DemoRefused()
        built = session.execute(select(exists().where(Edition.year.in_(years)))).scalar()
        if replace or not built:
            _write_frames(session.connection(), frames, replace=replace)
    return frames


def build_first_demo(engine: Engine) -> bool:
    """Build the demo editions and demo accounts into a completely empty database, all or nothing.

    The dashboard's first start on a new database.  True when this call built them; False
    when the database holds anything at all (an account made with ``kipp user add``, an
    import, or the demo another tab or process has just built).
    """
    with db.read_session(engine) as session:
        if not auth.holds_nothing(session):
            return False
    frames = malang_frames()
    password_hash = auth.hash_password(auth.DEMO_PASSWORD)
    with db.write_session(engine) as session:
        db.serialise(session, auth.DEMO_LOCK)
        if not auth.holds_nothing(session):
            return False
        _write_frames(session.connection(), frames)
        auth.add_demo_accounts(session, password_hash)
    return True


def build_scale(engine: Engine, *, n_entries: int, n_jurors: int, n_criteria: int, n_editions: int) -> None:
    """Write synthetic editions of the given size (the benchmark's databases)."""
    frames = scale_frames(n_entries=n_entries, n_jurors=n_jurors, n_criteria=n_criteria, n_editions=n_editions)
    write_frames(engine, frames)
