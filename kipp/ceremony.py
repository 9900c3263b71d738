"""The ceremony reveal's write path and read: start, step, end, and what every big screen shows.

The organizer drives the ceremony from the Live page; the step is stored on the edition
(``Edition.reveal_step``, None when no ceremony is running) so every big screen, projector
display links included, follows the clicks on its next refresh.  Starting freezes the
edition's final ranking (its official method) as the board to reveal, replacing an earlier
freeze, so the ceremony never announces a ranking from before the last scores.  The steps
themselves are :mod:`kipp.reveal` (pure).  Every write is audited and bumps the data version.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlmodel import Session

from kipp import db, freeze, queries, reports, reveal, scoring
from kipp.audit import Actor, Problem, WriteRefused, audit, bump_data_version
from kipp.models import Edition, EditionLogo, utcnow


@dataclass(frozen=True)
class Logo:
    """An edition's logo: its media type (image/png …) and bytes."""

    media_type: str
    content: bytes


@dataclass(frozen=True)
class Ceremony:
    """A running ceremony: the step shown (0 = title card), its steps and the edition's title and logo."""

    year: int
    name: str
    event_title: str | None
    step: int
    steps: list[reveal.Step]
    logo: Logo | None

    @property
    def current(self) -> reveal.Step | None:
        """The step on screen, None on the title card."""
        return self.steps[self.step - 1] if self.step else None


def _provisional_problem(year: int, error: reveal.ProvisionalBoard) -> Problem:
    if error.reason == reveal.NOT_FINAL:
        return Problem(
            "live.ceremony.not_final",
            f"Edition {year} is still in scoring: its awards are provisional. Lock it, then start the ceremony",
            {"year": year},
        )
    if error.reason == reveal.INCOMPLETE:
        codes = ", ".join(error.codes)
        return Problem(
            "live.ceremony.incomplete",
            f"The Top 10 still holds entries without a complete score ({codes}): the awards are not final",
            {"codes": codes},
        )
    return Problem("live.ceremony.no_awards", "The ranking has no award to announce")


def _running(session: Session, year: int) -> Edition:
    edition = freeze.edition_for_update(session, year)
    if edition.reveal_step is None or edition.frozen_leaderboard is None:
        raise WriteRefused([Problem("live.ceremony.not_running", f"No ceremony is running for edition {year}")])
    return edition


def _log(session: Session, actor: Actor, edition: Edition, action: str, old: object, new: object) -> None:
    audit(
        session,
        actor=actor,
        action=action,
        entity="edition",
        entity_key=str(edition.year),
        edition_id=edition.id,
        old=old,
        new=new,
    )
    bump_data_version(session, edition.id)


def start(engine: Engine, year: int, actor: Actor) -> int:
    """Start the ceremony on the title card; returns the number of reveal steps after it.

    Refused for non-organizers, an edition not locked (published: already official;
    scoring: provisional awards), or a final ranking whose Top 10 is incomplete.
    """
    freeze.only_organizers(actor)
    try:
        data = queries.load_edition(engine, year)
    except queries.EditionNotFound as error:
        raise freeze.no_edition(year) from error
    board = scoring.leaderboard(data, data.official_method)
    with db.write_session(engine) as session:
        edition = freeze.edition_for_update(session, year)
        problem = freeze.status_problem(year, edition.status)
        if problem is not None:
            raise WriteRefused([problem])
        try:
            count = len(reveal.steps(board, edition.status))
        except reveal.ProvisionalBoard as error:
            raise WriteRefused([_provisional_problem(year, error)]) from error
        old = {"frozen_at": edition.frozen_at and edition.frozen_at.isoformat(), "reveal_step": edition.reveal_step}
        edition.frozen_at = utcnow()
        edition.frozen_leaderboard = reports.records(board, reports.DETAIL_COLUMNS)
        edition.reveal_step = 0
        new = {"method": data.official_method, "steps": count, "reveal_step": 0}
        _log(session, actor, edition, "edition.ceremony.start", old, new)
    return count


def move(engine: Engine, year: int, actor: Actor, by: int) -> int:
    """Go ``by`` steps forward (negative: back), kept between the title card and the Top 10; returns the step."""
    freeze.only_organizers(actor)
    with db.write_session(engine) as session:
        edition = _running(session, year)
        board = reports.from_records(edition.frozen_leaderboard or [])
        count = len(reveal.steps(board, edition.status))
        step = reveal.clamp(edition.reveal_step + by, count)
        if step != edition.reveal_step:
            _log(session, actor, edition, "edition.ceremony.step", edition.reveal_step, step)
            edition.reveal_step = step
    return step


def end(engine: Engine, year: int, actor: Actor) -> None:
    """End the ceremony: big screens show the ranking again (the board stays frozen until revealed)."""
    freeze.only_organizers(actor)
    with db.write_session(engine) as session:
        edition = _running(session, year)
        _log(session, actor, edition, "edition.ceremony.end", edition.reveal_step, None)
        edition.reveal_step = None


def ceremony(engine: Engine, year: int) -> Ceremony | None:
    """The running ceremony of an edition with its logo, or None (one query)."""
    statement = (
        select(
            Edition.name,
            Edition.event_title,
            Edition.status,
            Edition.reveal_step,
            Edition.frozen_leaderboard,
            EditionLogo.media_type,
            EditionLogo.content,
        )
        .outerjoin(EditionLogo, EditionLogo.edition_id == Edition.id)
        .where(Edition.year == year)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).first()
    if row is None:
        raise queries.EditionNotFound(year)
    if row.reveal_step is None or row.frozen_leaderboard is None:
        return None
    try:
        steps = reveal.steps(reports.from_records(row.frozen_leaderboard), row.status)
    except reveal.ProvisionalBoard:
        return None  # the edition was reopened meanwhile: nothing final to reveal
    logo = Logo(row.media_type, bytes(row.content)) if row.content is not None else None
    step = reveal.clamp(row.reveal_step, len(steps))
    return Ceremony(year, row.name, row.event_title, step, steps, logo)
