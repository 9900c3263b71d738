"""Projector display links: a read-only address that opens one edition's big screen without an account.

An organizer creates a link for an edition with a label ("Proyektor aula"); the address
carries a random token (``/live?screen=big&display=<token>``), the database keeps only its
SHA-256 (``display_link``), so the full address is shown once, at creation.  Whoever opens
it sees that edition's big screen and nothing else; a revoked link opens nothing.  Creating
and revoking are organizer-only and audited.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from kipp import db
from kipp.audit import Actor, Problem, WriteRefused, audit
from kipp.auth.sessions import new_token, token_hash
from kipp.auth.signin import LOCAL_TIME, aware
from kipp.models import DisplayLink, Edition, Role, utcnow

DISPLAY_PARAM = "display"  # the query parameter that carries a display token
MAX_LABEL = 80


def display_path(token: str) -> str:
    """The address (path and query) a display link opens."""
    return f"/live?screen=big&{DISPLAY_PARAM}={token}"


def _organizer_only(actor: Actor) -> list[Problem]:
    if actor.role == Role.organizer.value:
        return []
    return [Problem("services.organizer_only", "Only an organizer can do this", {"role": actor.role})]


def create_display_link(engine: Engine, *, actor: Actor, year: int, label: str, now: dt.datetime | None = None) -> str:
    """Create a display link for edition ``year``; returns its token (shown once, never stored).

    Raises WriteRefused when ``actor`` is not an organizer, the label is empty or too long,
    or the edition does not exist.
    """
    label = " ".join(label.split())
    problems = _organizer_only(actor)
    if not label:
        problems.append(Problem("display.label_missing", "Give the display link a label (where the screen is)"))
    elif len(label) > MAX_LABEL:
        problems.append(
            Problem("display.label_long", f"Keep the label under {MAX_LABEL} characters", {"limit": MAX_LABEL})
        )
    token = new_token()
    with db.write_session(engine) as session:
        edition_id = session.execute(select(Edition.id).where(Edition.year == year)).scalar_one_or_none()
        if edition_id is None:
            problems.append(Problem("display.no_edition", f"There is no edition {year}", {"year": year}))
        if problems:
            raise WriteRefused(problems)
        link = DisplayLink(
            edition_id=edition_id,
            token_hash=token_hash(token),
            label=label,
            created_by=actor.username,
            created_at=now or utcnow(),
        )
        session.add(link)
        session.flush()
        audit(
            session,
            actor=actor,
            action="display_link.create",
            entity="display_link",
            entity_key=str(link.id),
            edition_id=edition_id,
            new={"label": label},
        )
    return token


def revoke_display_link(engine: Engine, *, actor: Actor, link_id: int, now: dt.datetime | None = None) -> None:
    """Revoke a display link: the screens that show it get the "not valid" message at their next refresh."""
    problems = _organizer_only(actor)
    with db.write_session(engine) as session:
        link = session.get(DisplayLink, link_id, with_for_update=True)
        if link is None:
            problems.append(Problem("display.unknown", "This display link does not exist"))
        elif link.revoked_at is not None:
            problems.append(Problem("display.already_revoked", "This display link is already revoked"))
        if problems:
            raise WriteRefused(problems)
        link.revoked_at = now or utcnow()
        audit(
            session,
            actor=actor,
            action="display_link.revoke",
            entity="display_link",
            entity_key=str(link.id),
            edition_id=link.edition_id,
            old={"label": link.label},
        )


def display_links(engine: Engine, year: int) -> pd.DataFrame:
    """The display links of edition ``year``, newest first: id, label, created_by, created_at, revoked_at (WIB)."""
    columns = ["id", "label", "created_by", "created_at", "revoked_at"]
    with db.read_session(engine) as session:
        rows = session.execute(
            select(*(getattr(DisplayLink, column) for column in columns))
            .join(Edition, Edition.id == DisplayLink.edition_id)
            .where(Edition.year == year)
            .order_by(DisplayLink.created_at.desc(), DisplayLink.id.desc())
        ).all()
    table = pd.DataFrame(rows, columns=columns)
    for column in ("created_at", "revoked_at"):
        table[column] = pd.to_datetime(table[column].map(aware), utc=True).dt.tz_convert(LOCAL_TIME)
    return table


def display_year(engine: Engine, token: str) -> int | None:
    """The edition year a display token opens, or None when it is unknown or revoked (one indexed query)."""
    with db.read_session(engine) as session:
        return session.execute(
            select(Edition.year)
            .join(DisplayLink, DisplayLink.edition_id == Edition.id)
            .where(DisplayLink.token_hash == token_hash(token), DisplayLink.revoked_at.is_(None))
        ).scalar_one_or_none()
