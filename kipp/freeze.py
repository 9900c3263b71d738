"""Freeze and reveal: the announcement-day switch for public screens.

While an edition is frozen, public screens (viewers, the projector) keep showing the
ranking as it stood at the freeze, like a contest scoreboard in its last hour, while
scoring goes on behind it; organizers still see the live ranking.  Reveal ends it.
The frozen ranking is stored on the edition (``frozen_at``, ``frozen_leaderboard``), so
every screen and server process shows the same thing; both switches are audited and
bump the data version so open screens pick them up on their next refresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select
from sqlmodel import Session

from kipp import db, queries, reports, scoring
from kipp.audit import Actor, Problem, WriteRefused, audit, bump_data_version
from kipp.models import Edition, Role, utcnow

# Scores arriving while the frozen ranking is computed: try again this many times.
ATTEMPTS = 3


@dataclass(frozen=True)
class Frozen:
    """A frozen edition: when, and the leaderboard as it stood then."""

    frozen_at: dt.datetime
    board: pd.DataFrame


def _no_edition(year: int) -> WriteRefused:
    return WriteRefused([Problem("live.freeze.no_edition", f"Edition {year} does not exist", {"year": year})])


def _edition(session: Session, year: int) -> Edition:
    edition = session.scalars(select(Edition).where(Edition.year == year).with_for_update()).first()
    if edition is None:
        raise _no_edition(year)
    return edition


def _only_organizers(actor: Actor) -> None:
    if actor.role != Role.organizer.value:
        raise WriteRefused([Problem("live.freeze.not_allowed", "Only an organizer can freeze or reveal the ranking")])


def freeze(engine: Engine, year: int, actor: Actor, method: scoring.Method = "mean") -> dt.datetime:
    """Freeze the public ranking of an edition at its current leaderboard; returns the freeze time.

    Refused (WriteRefused) for non-organizers, an edition already frozen, or one without
    any complete sheet.  The stored ranking is exactly the leaderboard of the data version
    it was computed from: if a score lands meanwhile, it is computed again.
    """
    _only_organizers(actor)
    for _ in range(ATTEMPTS):
        try:
            version = queries.data_version(engine, year)
            board = scoring.leaderboard(queries.load_edition(engine, year), method)
        except queries.EditionNotFound as error:
            raise _no_edition(year) from error
        with db.write_session(engine) as session:
            edition = _edition(session, year)
            if edition.frozen_at is not None:
                raise WriteRefused(
                    [Problem("live.freeze.already_frozen", f"Edition {year} is already frozen", {"year": year})]
                )
            if edition.data_version != version[1]:
                continue
            if board["score"].isna().all():
                raise WriteRefused(
                    [Problem("live.freeze.nothing_scored", f"Edition {year} has no complete score sheet yet")]
                )
            now = utcnow()
            edition.frozen_at = now
            edition.frozen_leaderboard = reports.records(board, reports.DETAIL_COLUMNS)
            audit(
                session,
                actor=actor,
                action="edition.freeze",
                entity="edition",
                entity_key=str(year),
                edition_id=edition.id,
                new={"frozen_at": now.isoformat(), "method": method, "entries": len(board)},
            )
            bump_data_version(session, edition.id)
            return now
    raise WriteRefused([Problem("live.freeze.busy", "Scores kept arriving while freezing; try again in a moment")])


def reveal(engine: Engine, year: int, actor: Actor) -> None:
    """End the freeze: public screens show the live ranking again (audited)."""
    _only_organizers(actor)
    with db.write_session(engine) as session:
        edition = _edition(session, year)
        if edition.frozen_at is None:
            raise WriteRefused([Problem("live.freeze.not_frozen", f"Edition {year} is not frozen", {"year": year})])
        audit(
            session,
            actor=actor,
            action="edition.reveal",
            entity="edition",
            entity_key=str(year),
            edition_id=edition.id,
            old={"frozen_at": edition.frozen_at.isoformat()},
        )
        edition.frozen_at = None
        edition.frozen_leaderboard = None
        bump_data_version(session, edition.id)


def frozen(engine: Engine, year: int) -> Frozen | None:
    """The frozen ranking of an edition, or None when it is not frozen (one query)."""
    with engine.connect() as connection:
        row = connection.execute(
            select(Edition.frozen_at, Edition.frozen_leaderboard).where(Edition.year == year)
        ).first()
    if row is None:
        raise queries.EditionNotFound(year)
    if row.frozen_at is None:
        return None
    frozen_at = row.frozen_at if row.frozen_at.tzinfo else row.frozen_at.replace(tzinfo=dt.UTC)
    return Frozen(frozen_at, reports.from_records(row.frozen_leaderboard or []))


def public_leaderboard(live: pd.DataFrame, state: Frozen | None) -> pd.DataFrame:
    """What public screens show: the frozen ranking while frozen, else the live one."""
    return live if state is None else state.board
