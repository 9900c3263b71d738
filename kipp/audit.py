"""Who writes, why a write is refused, and the audit trail every write leaves.

Every write path (score sheets, imports, the lifecycle, accounts, freeze) names an
:class:`Actor`, refuses bad input with :class:`WriteRefused` carrying every
:class:`Problem` found, appends audit rows with :func:`audit` and bumps the edition's
data version so live pages and caches refresh.  This module imports nothing of the
write paths themselves, so any of them can use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from kipp import i18n
from kipp.models import AuditLog, Edition, utcnow


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

    def text(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The problem in the user's language (an edition status is translated too)."""
        values = dict(self.values)
        for name in ("status", "target"):
            if name in values and i18n.has_key(f"status.{values[name]}"):
                values[name] = i18n.translate(f"status.{values[name]}", lang)
        for name, value in values.items():
            if isinstance(value, float):
                values[name] = i18n.format_number(value, lang, decimals=2).rstrip("0").rstrip(",.")
        return i18n.translate(self.key, lang, **values)


class WriteRefused(Exception):
    """A write that was refused as a whole; nothing was stored. Carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def bump_data_version(session: Session, edition_id: int) -> None:
    """Mark an edition's results as changed (live pages and caches key on this)."""
    session.execute(update(Edition).where(Edition.id == edition_id).values(data_version=Edition.data_version + 1))


def audit_record(
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_key: str,
    edition_id: int | None,
    old: Any = None,
    new: Any = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """One audit row (values stored as JSON text), ready for :func:`write_audit`."""
    return {
        "at": utcnow(),
        "actor": actor.username,
        "action": action,
        "edition_id": edition_id,
        "entity": entity,
        "entity_key": entity_key,
        "old_value": None if old is None else json.dumps(old, ensure_ascii=False, default=str),
        "new_value": None if new is None else json.dumps(new, ensure_ascii=False, default=str),
        "reason": reason,
    }


def write_audit(session: Session, records: list[dict[str, Any]]) -> None:
    """Append audit rows in one bulk insert (an import writes thousands at once)."""
    if records:
        session.execute(insert(AuditLog), records)


def audit(session: Session, **fields: Any) -> None:
    """Append one audit record; takes the keyword arguments of :func:`audit_record`."""
    write_audit(session, [audit_record(**fields)])
