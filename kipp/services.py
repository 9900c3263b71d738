"""The write path for scores: validated sheet submission, edition rules, audit trail.

Every score that enters the database through the dashboard or the simulator goes
through :func:`submit_sheet`: it checks the values (numbers within 0..max, criteria of
the edition, the entry in the edition), who is writing (a juror only their own sheet;
an organizer only with a written reason) and the edition's state (scores only while it
is in scoring), then writes the whole sheet in one transaction with an audit record of
every change (old -> new) and bumps the edition's data version so live pages refresh.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select, update

from kipp import db
from kipp.models import (
    AuditLog,
    Criterion,
    Edition,
    EditionStatus,
    Entry,
    Feedback,
    PanelMember,
    Recusal,
    Role,
    Score,
    utcnow,
)


@dataclass(frozen=True)
class Actor:
    """Who is writing: a signed-in account (or a named tool such as the simulator)."""

    username: str
    role: str
    juror_id: int | None = None


@dataclass(frozen=True)
class Problem:
    """One reason a write was refused: a catalogue key, its values, and an English message."""

    key: str
    message: str
    values: dict[str, Any] = field(default_factory=dict)
    criterion_id: int | None = None


class WriteRefused(Exception):
    """A write that was refused as a whole; nothing was stored. Carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


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
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def bump_data_version(session: Any, edition_id: int) -> None:
    """Mark an edition's results as changed (live pages and caches key on this)."""
    session.execute(update(Edition).where(Edition.id == edition_id).values(data_version=Edition.data_version + 1))


def audit(
    session: Any,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_key: str,
    edition_id: int | None,
    old: Any = None,
    new: Any = None,
    reason: str | None = None,
) -> None:
    """Append one audit record (values stored as JSON text)."""
    session.add(
        AuditLog(
            actor=actor.username,
            action=action,
            edition_id=edition_id,
            entity=entity,
            entity_key=entity_key,
            old_value=None if old is None else json.dumps(old, ensure_ascii=False, default=str),
            new_value=None if new is None else json.dumps(new, ensure_ascii=False, default=str),
            reason=reason,
        )
    )


def _check_permission(actor: Actor, juror_id: int, reason: str | None) -> list[Problem]:
    if actor.role == Role.juror.value:
        if actor.juror_id != juror_id:
            return [Problem("services.not_your_sheet", "A juror can only write their own score sheet")]
        return []
    if actor.role == Role.organizer.value:
        if not (reason and reason.strip()):
            return [Problem("services.reason_required", "An organizer correcting a score must give a written reason")]
        return []
    return [Problem("services.not_allowed", f"The role {actor.role!r} cannot write scores")]


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
    parts); a value of None for a criterion is refused.  Raises :class:`WriteRefused`
    with every problem found; nothing is written then.
    """
    problems = _check_permission(actor, juror_id, reason)
    with db.write_session(engine) as session:
        entry = session.get(Entry, entry_id)
        if entry is None:
            raise WriteRefused([Problem("services.unknown_entry", f"Entry {entry_id} does not exist")])
        edition = session.get(Edition, entry.edition_id)
        if edition.status != EditionStatus.scoring.value:
            problems.append(
                Problem(
                    "services.edition_not_scoring",
                    f"Edition {edition.year} is {edition.status}: scores can only be written while it is in scoring",
                    {"year": edition.year, "status": edition.status},
                )
            )
        on_panel = session.get(PanelMember, (edition.id, juror_id))
        if on_panel is None:
            problems.append(Problem("services.not_on_panel", f"Juror {juror_id} is not on the {edition.year} panel"))
        if session.get(Recusal, (entry_id, juror_id)) is not None:
            problems.append(Problem("services.recused", "This juror is recused from this entry and cannot score it"))
        criteria = {c.id: c for c in session.scalars(select(Criterion).where(Criterion.edition_id == edition.id)).all()}
        parsed: dict[int, float] = {}
        for criterion_id, raw in values.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                problems.append(
                    Problem(
                        "services.unknown_criterion",
                        f"Criterion {criterion_id} is not a criterion of edition {edition.year}",
                    )
                )
                continue
            value = parse_score(raw)
            if value is None:
                problems.append(
                    Problem(
                        "services.not_a_number",
                        f"{criterion.name}: {raw!r} is not a number",
                        {"criterion": criterion.name, "value": str(raw)},
                        criterion_id,
                    )
                )
            elif not 0 <= value <= criterion.max_score:
                problems.append(
                    Problem(
                        "services.out_of_range",
                        f"{criterion.name}: {value:g} is outside 0–{criterion.max_score:g}",
                        {"criterion": criterion.name, "value": value, "max": criterion.max_score},
                        criterion_id,
                    )
                )
            else:
                parsed[criterion_id] = value
        if problems:
            raise WriteRefused(problems)

        existing = {
            s.criterion_id: s
            for s in session.scalars(select(Score).where(Score.entry_id == entry_id, Score.juror_id == juror_id))
        }
        created = updated = unchanged = 0
        now = utcnow()
        key = f"{entry.code}/{juror_id}"
        for criterion_id, value in parsed.items():
            score = existing.get(criterion_id)
            if score is None:
                session.add(
                    Score(
                        edition_id=edition.id,
                        entry_id=entry_id,
                        juror_id=juror_id,
                        criterion_id=criterion_id,
                        max_score=criteria[criterion_id].max_score,
                        value=value,
                        entered_by=actor.username,
                        created_at=now,
                        updated_at=now,
                    )
                )
                created += 1
                audit(session, actor=actor, action="score.create", entity="score",
                      entity_key=f"{key}/{criteria[criterion_id].name}", edition_id=edition.id,
                      new=value, reason=reason)  # fmt: skip
            elif score.value != value:
                audit(session, actor=actor, action="score.update", entity="score",
                      entity_key=f"{key}/{criteria[criterion_id].name}", edition_id=edition.id,
                      old=score.value, new=value, reason=reason)  # fmt: skip
                score.value = value
                score.entered_by = actor.username
                score.updated_at = now
                updated += 1
            else:
                unchanged += 1

        feedback_changed = False
        if feedback is not None:
            text = feedback.strip()
            current = session.get(Feedback, (entry_id, juror_id))
            if current is None and text:
                session.add(Feedback(edition_id=edition.id, entry_id=entry_id, juror_id=juror_id, text=text))
                feedback_changed = True
            elif current is not None and current.text != text:
                audit(session, actor=actor, action="feedback.update", entity="feedback", entity_key=key,
                      edition_id=edition.id, old=current.text, new=text, reason=reason)  # fmt: skip
                current.text = text
                current.updated_at = now
                feedback_changed = True
        if created or updated:
            bump_data_version(session, edition.id)
        complete = set(existing) | set(parsed) >= set(criteria)
    return SheetResult(created, updated, unchanged, complete, feedback_changed)
