"""Freeze and reveal: the announcement-day switch for public screens.

While an edition is frozen, public screens (viewers, the projector) keep showing the
ranking as it stood at the freeze, like a contest scoreboard in its last hour, while
scoring goes on behind it; organizers still see the live ranking.  Reveal ends it.
The frozen ranking is stored on the edition (``frozen_at``, ``frozen_leaderboard``), so
every screen and server process shows the same thing; both switches are audited and
bump the data version so open screens pick them up on their next refresh.

Freezing belongs to presentation days: an edition can be frozen while it is in scoring or
locked, never once it is published (its ranking is then official and public) or before
scoring opens.  The frozen ranking is the edition's official method unless asked otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select
from sqlmodel import Session

from kipp import db, queries, reports, scoring
from kipp.audit import Actor, Problem, WriteRefused, audit, bump_data_version
from kipp.models import Edition, EditionStatus, Role, utcnow

# Scores arriving while the frozen ranking is computed: try again this many times.
ATTEMPTS = 3
# The statuses in which an edition can be frozen (and its ceremony held).
PRESENTATION_STATUSES = frozenset({EditionStatus.scoring.value, EditionStatus.locked.value})


@dataclass(frozen=True)
class Frozen:
    """A frozen edition: when, and the leaderboard as it stood then."""

    frozen_at: dt.datetime
    board: pd.DataFrame


def no_edition(year: int) -> WriteRefused:
    """The refusal for a year without an edition."""
    return WriteRefused([Problem("live.freeze.no_edition", f"Edition {year} does not exist", {"year": year})])


def edition_for_update(session: Session, year: int) -> Edition:
    """The edition row, locked for this transaction (refused when there is no such edition)."""
    edition = session.scalars(select(Edition).where(Edition.year == year).with_for_update()).first()
    if edition is None:
        raise no_edition(year)
    return edition


def only_organizers(actor: Actor) -> None:
    """Refuse anyone but an organizer."""
    if actor.role != Role.organizer.value:
        raise WriteRefused([Problem("live.freeze.not_allowed", "Only an organizer can freeze or reveal the ranking")])


def status_problem(year: int, status: str) -> Problem | None:
    """Why an edition in ``status`` cannot be frozen or hold its ceremony (None when it can)."""
    if status in PRESENTATION_STATUSES:
        return None
    if status == EditionStatus.published.value:
        return Problem(
            "live.freeze.published",
            f"Edition {year} is published: its ranking is official and public, there is nothing to freeze or reveal",
            {"year": year},
        )
    return Problem(
        "live.freeze.not_scoring",
        f"Edition {year} is {status}: freezing and the ceremony start once scoring has opened",
        {"year": year, "status": status},
    )


def freeze(engine: Engine, year: int, actor: Actor, method: scoring.Method | None = None) -> dt.datetime:
    """Freeze the public ranking of an edition at its current leaderboard; returns the freeze time.

    ``method`` defaults to the edition's official method.  Refused (WriteRefused) for
    non-organizers, an edition not in scoring or locked (published: the ranking is already
    official), an edition already frozen, or one without any complete sheet.  The stored
    ranking is exactly the leaderboard of the data version it was computed from: if a
    score lands meanwhile, it is computed again.
    """
    only_organizers(actor)
    for _ in range(ATTEMPTS):
        try:
            version = queries.data_version(engine, year)
            data = queries.load_edition(engine, year)
        except queries.EditionNotFound as error:
            raise no_edition(year) from error
        chosen = method or data.official_method
        board = scoring.leaderboard(data, chosen)
        with db.write_session(engine) as session:
            edition = edition_for_update(session, year)
            problem = status_problem(year, edition.status)
            if problem is not None:
                raise WriteRefused([problem])
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
                new={"frozen_at": now.isoformat(), "method": chosen, "entries": len(board)},
            )
            bump_data_version(session, edition.id)
            return now
    raise WriteRefused([Problem("live.freeze.busy", "Scores kept arriving while freezing; try again in a moment")])


def reveal(engine: Engine, year: int, actor: Actor) -> None:
    """End the freeze: public screens show the live ranking again, and a ceremony under way ends (audited).

    Allowed in any status, so a freeze left over when an edition was published can still end.
    """
    only_organizers(actor)
    with db.write_session(engine) as session:
        edition = edition_for_update(session, year)
        if edition.frozen_at is None:
            raise WriteRefused([Problem("live.freeze.not_frozen", f"Edition {year} is not frozen", {"year": year})])
        audit(
            session,
            actor=actor,
            action="edition.reveal",
            entity="edition",
            entity_key=str(year),
            edition_id=edition.id,
            old={"frozen_at": edition.frozen_at.isoformat(), "reveal_step": edition.reveal_step},
        )
        edition.reveal_step = None
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
