"""The write path: validated score sheets, recusals, the edition lifecycle, and the audit trail.

Every score that enters the database through the dashboard or the simulator goes
through :func:`submit_sheet`: it checks the values (numbers within 0..max, criteria of
the edition, the entry in the edition), who is writing (a juror only their own sheet;
an organizer only with a written reason) and the edition's state (scores only while it
is in scoring), then writes the whole sheet in one transaction with an audit record of
every change (old -> new) and bumps the edition's data version so live pages refresh.

Recusals (:func:`add_recusal`, :func:`remove_recusal`) and the lifecycle
draft -> scoring -> locked -> published (:func:`advance_status`) follow the same rules:
organizers only, a written reason where the result changes, audited, and nothing
written once the edition is locked.  Each write locks its edition's row first, so a
lock and a save racing each other are serialised: no score lands after a lock.

Who writes and why a write is refused live in :mod:`kipp.audit`; the score sheet's pure
helpers in :mod:`kipp.sheets`; reads (recusals, feedback, the audit trail) in :mod:`kipp.queries`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kipp import db, queries
from kipp.audit import Actor, Problem, WriteRefused, audit, bump_data_version
from kipp.i18n import NotANumber, parse_number, translate
from kipp.models import (
    Criterion,
    Edition,
    EditionStatus,
    Entry,
    Feedback,
    Juror,
    PanelMember,
    Recusal,
    Role,
    Score,
    utcnow,
)
from kipp.rules import OPEN_STATUSES, SCORING_STATUSES, edition_refusal, juror_refusal, score_refusal
from kipp.sheets import provisional_entries
from kipp.text import FEEDBACK_LIMIT, REASON_LIMIT, TextRefused, clean_text, normalise

MAX_FEEDBACK_CHARS = FEEDBACK_LIMIT  # the one feedback limit: typed on the score sheet or imported
MAX_REASON_CHARS = REASON_LIMIT

# The only moves of the lifecycle: one step forward, never back.
NEXT_STATUS: dict[str, str] = {
    EditionStatus.draft.value: EditionStatus.scoring.value,
    EditionStatus.scoring.value: EditionStatus.locked.value,
    EditionStatus.locked.value: EditionStatus.published.value,
}


@dataclass(frozen=True)
class SheetResult:
    """What a submission changed."""

    created: int
    updated: int
    unchanged: int
    complete: bool
    feedback_changed: bool


def parse_score(raw: Any) -> float | None:
    """A score as a finite float, accepting Indonesian decimal commas ("85,5"); None if not a number."""
    try:
        return parse_number(raw)
    except NotANumber:
        return None


# --- checks shared by every write ---------------------------------------------------------


def _clean_reason(reason: str | None) -> str | None:
    text = normalise(reason or "")
    return text or None


def _text_problems(text: str, limit: int, too_long: str) -> list[Problem]:
    """The one text check of every write path (:func:`kipp.text.clean_text`) as problems.

    ``too_long`` is the catalogue key that names the field when the text is over ``limit``.
    """
    try:
        clean_text(text, limit=limit)
    except TextRefused as refused:
        key = too_long if refused.key == "text.too_long" else refused.key
        return [Problem(key, translate(key, "en", **refused.values), refused.values)]
    return []


def _reason_problems(reason: str | None, *, required: bool) -> list[Problem]:
    """A written reason: required for corrections and result-changing actions, and not a novel."""
    text = _clean_reason(reason)
    if required and text is None:
        return [Problem("services.reason_required", "Give a written reason for this change (it goes in the audit log)")]
    return [] if text is None else _text_problems(text, MAX_REASON_CHARS, "services.reason_too_long")


def _organizer_problems(actor: Actor) -> list[Problem]:
    if actor.role == Role.organizer.value:
        return []
    return [Problem("services.organizer_only", "Only an organizer can do this", {"role": actor.role})]


def _sheet_permission(actor: Actor, juror_id: int, reason: str | None) -> list[Problem]:
    """A juror writes only their own sheet; an organizer any sheet, with a reason; nobody else."""
    if actor.role == Role.juror.value:
        if actor.juror_id is None or actor.juror_id != juror_id:
            return [Problem("services.not_your_sheet", "A juror can only write their own score sheet")]
        return _reason_problems(reason, required=False)
    if actor.role == Role.organizer.value:
        return _reason_problems(reason, required=True)
    return [Problem("services.not_allowed", f"The role {actor.role!r} cannot write scores", {"role": actor.role})]


def _locked_edition(session: Session, edition_id: int) -> Edition:
    """The edition row, locked for this transaction so lifecycle changes and writes serialise."""
    statement = select(Edition).where(Edition.id == edition_id).with_for_update(key_share=True)
    return session.execute(statement).scalar_one()


def _status_problems(edition: Edition, *, allowed: Collection[str]) -> list[Problem]:
    """Refuse writes in a status that does not allow them (locked/published never do: kipp.rules)."""
    refusal = edition_refusal(edition.status, allowed)
    if refusal is None:
        return []
    message = {
        "edition_frozen": f"Edition {edition.year} is {edition.status}: its scores can no longer be changed",
        "edition_not_scoring": (
            f"Edition {edition.year} is {edition.status}: scores can only be written while it is in scoring"
        ),
    }[refusal]
    return [Problem(f"services.{refusal}", message, {"year": edition.year, "status": edition.status})]


def _juror_problems(
    session: Session, edition: Edition, entry: Entry, juror_id: int, *, scoring: bool = True
) -> list[Problem]:
    """A juror scores or is recused only on the edition's panel; when ``scoring``, a recused juror is refused."""
    on_panel = session.get(PanelMember, (edition.id, juror_id)) is not None
    recused = scoring and on_panel and session.get(Recusal, (entry.id, juror_id)) is not None
    refusal = juror_refusal(on_panel=on_panel, recused=recused)
    if refusal == "not_on_panel":
        message = f"Juror {juror_id} is not on the {edition.year} panel"
        return [Problem("services.not_on_panel", message, {"year": edition.year})]
    if refusal == "recused":
        message = f"The juror is recused from {entry.code} and cannot score it"
        return [Problem("services.recused", message, {"code": entry.code})]
    return []


def _demo_password_problems(session: Session, edition: Edition) -> list[Problem]:
    """A real (non-demo) edition does not run while any account still has a public demo password."""
    if edition.is_demo:
        return []
    from kipp.auth import demo_password_usernames

    names = demo_password_usernames(session)
    if not names:
        return []
    listed = ", ".join(names)
    return [
        Problem(
            "services.demo_passwords",
            f"Edition {edition.year} holds real data, but the accounts {listed} still have their public demo "
            "passwords: change them (python -m kipp user passwd NAME) or deactivate them first",
            {"year": edition.year, "accounts": listed},
        )
    ]


def _juror_name(session: Session, juror_id: int) -> str:
    name = session.execute(select(Juror.name).where(Juror.id == juror_id)).scalar_one_or_none()
    return name if name is not None else f"#{juror_id}"


def _entry_key(edition: Edition, entry: Entry, juror: str) -> str:
    return f"{edition.year}/{entry.code}/{juror}"


# --- score sheets -----------------------------------------------------------------------


def _value_problems(criteria: Mapping[int, Criterion], values: Mapping[Any, Any], year: int) -> list[Problem]:
    """Every problem with the submitted values; empty when all parse and lie within 0..max."""
    problems = []
    for criterion_id, raw in values.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            problems.append(
                Problem(
                    "services.unknown_criterion",
                    f"Criterion {criterion_id} is not a criterion of edition {year}",
                    {"criterion": str(criterion_id), "year": year},
                )
            )
            continue
        value = parse_score(raw)
        refusal = score_refusal(value, criterion.max_score)
        if refusal == "not_a_number":
            problems.append(
                Problem(
                    "services.not_a_number",
                    f"{criterion.name}: {raw!r} is not a number; type a score from 0 to {criterion.max_score:g}",
                    {"criterion": criterion.name, "value": "" if raw is None else str(raw), "max": criterion.max_score},
                    criterion_id,
                )
            )
        elif refusal == "out_of_range":
            problems.append(
                Problem(
                    "services.out_of_range",
                    f"{criterion.name}: {value:g} is outside 0–{criterion.max_score:g}",
                    {"criterion": criterion.name, "value": value, "max": criterion.max_score},
                    criterion_id,
                )
            )
    return problems


def submit_sheet(
    engine: Engine,
    *,
    actor: Actor,
    entry_id: int,
    juror_id: int,
    values: Mapping[int, Any],
    feedback: str | None = None,
    reason: str | None = None,
) -> SheetResult:
    """Store a juror's sheet for an entry (criterion_id -> score), all or nothing.

    Criteria missing from ``values`` are left as they are (a sheet may be saved in
    parts); a value that is not a number (None, NaN, text) is refused.  ``feedback``
    None leaves the feedback alone, an empty text removes it.  Raises
    :class:`WriteRefused` with every problem found; nothing is written then.
    """
    problems = _sheet_permission(actor, juror_id, reason)
    reason = _clean_reason(reason)
    feedback_text = None if feedback is None else normalise(feedback)
    if feedback_text is not None:
        problems += _text_problems(feedback_text, MAX_FEEDBACK_CHARS, "services.feedback_too_long")
    with db.write_session(engine) as session:
        entry = session.get(Entry, entry_id)
        if entry is None:
            raise WriteRefused([Problem("services.unknown_entry", f"Entry {entry_id} does not exist")])
        edition = _locked_edition(session, entry.edition_id)
        problems += _status_problems(edition, allowed=SCORING_STATUSES)
        problems += _demo_password_problems(session, edition)
        problems += _juror_problems(session, edition, entry, juror_id)
        criteria = {c.id: c for c in session.scalars(select(Criterion).where(Criterion.edition_id == edition.id))}
        problems += _value_problems(criteria, values, edition.year)
        if problems:
            raise WriteRefused(problems)

        parsed = {criterion_id: parse_score(raw) for criterion_id, raw in values.items()}
        existing = {
            s.criterion_id: s
            for s in session.scalars(select(Score).where(Score.entry_id == entry_id, Score.juror_id == juror_id))
        }
        correcting = actor.role == Role.organizer.value
        key = _entry_key(edition, entry, _juror_name(session, juror_id))
        now = utcnow()
        created = updated = unchanged = 0
        for criterion_id, value in parsed.items():
            criterion = criteria[criterion_id]
            score = existing.get(criterion_id)
            if score is not None and score.value == value:
                unchanged += 1
                continue
            audit(
                session,
                actor=actor,
                edition_id=edition.id,
                entity="score",
                entity_key=f"{key}/{criterion.name}",
                action="score.correct" if correcting else ("score.create" if score is None else "score.update"),
                old=None if score is None else score.value,
                new=value,
                reason=reason,
            )
            if score is None:
                session.add(
                    Score(
                        edition_id=edition.id,
                        entry_id=entry_id,
                        juror_id=juror_id,
                        criterion_id=criterion_id,
                        max_score=criterion.max_score,
                        value=value,
                        entered_by=actor.username,
                        created_at=now,
                        updated_at=now,
                    )
                )
                created += 1
            else:
                score.value = value
                score.entered_by = actor.username
                score.updated_at = now
                updated += 1

        feedback_changed = feedback_text is not None and _write_feedback(
            session, actor, edition, entry, juror_id, key, feedback_text, reason, now
        )
        if created or updated or feedback_changed:
            bump_data_version(session, edition.id)
        complete = set(existing) | set(parsed) >= set(criteria)
    return SheetResult(created, updated, unchanged, complete, feedback_changed)


def _write_feedback(
    session: Session,
    actor: Actor,
    edition: Edition,
    entry: Entry,
    juror_id: int,
    key: str,
    text: str,
    reason: str | None,
    now: dt.datetime,
) -> bool:
    """Create, change or remove a juror's feedback on an entry, audited; True when it changed."""
    current = session.get(Feedback, (entry.id, juror_id))
    old = None if current is None else current.text
    if old == (text or None):
        return False
    action = "feedback.create" if current is None else ("feedback.update" if text else "feedback.delete")
    audit(
        session,
        actor=actor,
        action=action,
        entity="feedback",
        entity_key=key,
        edition_id=edition.id,
        old=old,
        new=text or None,
        reason=reason,
    )
    if current is None:
        session.add(Feedback(edition_id=edition.id, entry_id=entry.id, juror_id=juror_id, text=text, updated_at=now))
    elif text:
        current.text = text
        current.updated_at = now
    else:
        session.delete(current)
    return True


# --- recusals ---------------------------------------------------------------------------


def _recusal_target(session: Session, entry_id: int, juror_id: int) -> tuple[Entry, Edition, list[Problem]]:
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise WriteRefused([Problem("services.unknown_entry", f"Entry {entry_id} does not exist")])
    edition = _locked_edition(session, entry.edition_id)
    problems = _status_problems(edition, allowed=OPEN_STATUSES)
    problems += _juror_problems(session, edition, entry, juror_id, scoring=False)
    return entry, edition, problems


def add_recusal(engine: Engine, *, actor: Actor, entry_id: int, juror_id: int, reason: str) -> int:
    """Mark a juror as not scoring an entry (conflict of interest); returns how many scores were removed.

    Scores and feedback the juror already gave on that entry are removed (each removal
    audited with its old value), so the entry is complete without this juror.
    """
    problems = _organizer_problems(actor) + _reason_problems(reason, required=True)
    reason = _clean_reason(reason)
    with db.write_session(engine) as session:
        entry, edition, found = _recusal_target(session, entry_id, juror_id)
        problems += found
        if session.get(Recusal, (entry_id, juror_id)) is not None:
            problems.append(
                Problem(
                    "services.already_recused", f"The juror is already recused from {entry.code}", {"code": entry.code}
                )
            )
        if problems:
            raise WriteRefused(problems)
        key = _entry_key(edition, entry, _juror_name(session, juror_id))
        scores = session.execute(
            select(Score, Criterion.name)
            .join(Criterion, Criterion.id == Score.criterion_id)
            .where(Score.entry_id == entry_id, Score.juror_id == juror_id)
        ).all()
        for score, criterion in scores:
            audit(
                session,
                actor=actor,
                action="score.delete",
                entity="score",
                entity_key=f"{key}/{criterion}",
                edition_id=edition.id,
                old=score.value,
                reason=reason,
            )
            session.delete(score)
        current = session.get(Feedback, (entry_id, juror_id))
        if current is not None:
            _write_feedback(session, actor, edition, entry, juror_id, key, "", reason, utcnow())
        session.add(Recusal(edition_id=edition.id, entry_id=entry_id, juror_id=juror_id, reason=reason))
        audit(
            session,
            actor=actor,
            action="recusal.add",
            entity="recusal",
            entity_key=key,
            edition_id=edition.id,
            new=True,
            reason=reason,
        )
        bump_data_version(session, edition.id)
    return len(scores)


def remove_recusal(engine: Engine, *, actor: Actor, entry_id: int, juror_id: int, reason: str) -> None:
    """Let a recused juror score an entry again (with a written reason, audited)."""
    problems = _organizer_problems(actor) + _reason_problems(reason, required=True)
    reason = _clean_reason(reason)
    with db.write_session(engine) as session:
        entry, edition, found = _recusal_target(session, entry_id, juror_id)
        problems += found
        recusal = session.get(Recusal, (entry_id, juror_id))
        if recusal is None:
            problems.append(
                Problem("services.not_recused", f"The juror is not recused from {entry.code}", {"code": entry.code})
            )
        if problems:
            raise WriteRefused(problems)
        key = _entry_key(edition, entry, _juror_name(session, juror_id))
        audit(
            session,
            actor=actor,
            action="recusal.remove",
            entity="recusal",
            entity_key=key,
            edition_id=edition.id,
            old=recusal.reason or True,
            reason=reason,
        )
        session.delete(recusal)
        bump_data_version(session, edition.id)


# --- edition lifecycle ------------------------------------------------------------------


def advance_status(engine: Engine, *, actor: Actor, year: int, to: str, reason: str | None = None) -> str:
    """Move an edition one step along draft -> scoring -> locked -> published; returns the old status.

    Opening scoring needs criteria, a panel and entries (and no public demo password on
    a real edition).  Locking freezes every score; locking while entries are still
    provisional needs a written reason.  Publishing makes the results visible to viewers.
    """
    problems = _organizer_problems(actor) + _reason_problems(reason, required=False)
    reason = _clean_reason(reason)
    pending = provisional_entries(queries.load_edition(engine, year)) if to == EditionStatus.locked.value else []
    with db.write_session(engine) as session:
        edition_id = session.execute(select(Edition.id).where(Edition.year == year)).scalar_one_or_none()
        if edition_id is None:
            raise WriteRefused([Problem("services.unknown_edition", f"Edition {year} does not exist", {"year": year})])
        edition = _locked_edition(session, edition_id)
        old = edition.status
        if NEXT_STATUS.get(old) != to:
            problems.append(
                Problem(
                    "services.bad_transition",
                    f"Edition {year} is {old}: it cannot move to {to} (draft → scoring → locked → published)",
                    {"year": year, "status": old, "target": to},
                )
            )
        elif to == EditionStatus.scoring.value:
            problems += _opening_problems(session, edition)
        elif to == EditionStatus.locked.value and pending and reason is None:
            problems.append(
                Problem(
                    "services.lock_incomplete",
                    f"{len(pending)} entries are still provisional ({', '.join(pending[:5])}…): "
                    "give a written reason to lock anyway",
                    {"n": len(pending), "codes": ", ".join(pending[:5])},
                )
            )
        if problems:
            raise WriteRefused(problems)
        edition.status = to
        audit(
            session,
            actor=actor,
            action="edition.status",
            entity="edition",
            entity_key=str(year),
            edition_id=edition.id,
            old=old,
            new=to,
            reason=reason,
        )
        bump_data_version(session, edition.id)
    return old


def _opening_problems(session: Session, edition: Edition) -> list[Problem]:
    """What an edition needs before scoring can open."""
    counts = {
        "criteria": select(func.count()).select_from(Criterion).where(Criterion.edition_id == edition.id),
        "panel": select(func.count()).select_from(PanelMember).where(PanelMember.edition_id == edition.id),
        "entries": select(func.count()).select_from(Entry).where(Entry.edition_id == edition.id),
    }
    problems = [
        Problem(f"services.needs_{name}", f"Edition {edition.year} has no {name} yet", {"year": edition.year})
        for name, statement in counts.items()
        if not session.execute(statement).scalar_one()
    ]
    return problems + _demo_password_problems(session, edition)


# --- the score sheet's pure helpers -----------------------------------------------------


# --- the audit trail, read back -----------------------------------------------------------
