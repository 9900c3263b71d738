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
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from kipp import db, queries, scoring, sheets
from kipp.audit import Actor, Problem, WriteRefused, audit, bump_data_version
from kipp.choices import METHODS
from kipp.i18n import NotANumber, parse_number, translate
from kipp.models import (
    Assignment,
    Criterion,
    Edition,
    EditionLogo,
    EditionStatus,
    Entry,
    EntryStatus,
    Feedback,
    Juror,
    PanelMember,
    Recusal,
    Role,
    Score,
    SessionSeat,
    utcnow,
)
from kipp.rules import (
    OPEN_STATUSES,
    SCORING_STATUSES,
    edition_refusal,
    entry_refusal,
    juror_refusal,
    score_refusal,
)
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


def _edition_of_year(session: Session, year: int) -> Edition:
    """The edition of ``year``, locked for this transaction (see :func:`_locked_edition`); refused when unknown."""
    edition_id = session.execute(select(Edition.id).where(Edition.year == year)).scalar_one_or_none()
    if edition_id is None:
        raise WriteRefused([Problem("services.unknown_edition", f"Edition {year} does not exist", {"year": year})])
    return _locked_edition(session, edition_id)


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


def _entry_panel(session: Session, entry: Entry) -> set[int] | None:
    """The jurors who sit on an entry before recusals, as :func:`kipp.scoring.expected_jurors` resolves them.

    Its own jurors (Assignment) if it has any, else the seats of its session (day and
    room) if that session has any; None when neither: the whole edition panel.
    """
    own = set(session.scalars(select(Assignment.juror_id).where(Assignment.entry_id == entry.id)))
    if own or entry.day is None or entry.room is None:
        return own or None
    seats = select(SessionSeat.juror_id).where(
        SessionSeat.edition_id == entry.edition_id, SessionSeat.day == entry.day, SessionSeat.room == entry.room
    )
    return set(session.scalars(seats)) or None


def _juror_problems(
    session: Session, edition: Edition, entry: Entry, juror_id: int, *, scoring: bool = True
) -> list[Problem]:
    """A juror scores or is recused only on the edition's panel; when ``scoring``, only on an entry whose
    panel they sit on (its own jurors or its session's), not recused, and only while it competes."""
    on_panel = session.get(PanelMember, (edition.id, juror_id)) is not None
    panel = _entry_panel(session, entry) if scoring and on_panel else None
    assigned = panel is None or juror_id in panel
    recused = scoring and on_panel and session.get(Recusal, (entry.id, juror_id)) is not None
    refusal = juror_refusal(on_panel=on_panel, recused=recused, assigned=assigned)
    if refusal == "not_on_panel":
        message = f"Juror {juror_id} is not on the {edition.year} panel"
        return [Problem("services.not_on_panel", message, {"year": edition.year})]
    if refusal == "not_assigned":
        message = f"The juror is not on the panel of {entry.code}: only its assigned jurors score it"
        return [Problem("services.not_assigned", message, {"code": entry.code})]
    if refusal == "recused":
        message = f"The juror is recused from {entry.code} and cannot score it"
        return [Problem("services.recused", message, {"code": entry.code})]
    gone = entry_refusal(entry.status) if scoring else None
    if gone is not None:
        message = f"{entry.code} is {entry.status}: it is not scored"
        return [Problem(f"services.{gone}", message, {"code": entry.code})]
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
    pending = sheets.provisional_entries(queries.load_edition(engine, year)) if to == EditionStatus.locked.value else []
    with db.write_session(engine) as session:
        edition = _edition_of_year(session, year)
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


# --- panels: who scores which entry ------------------------------------------------------

STRANDED_LISTED = 8  # entry codes named per juror when a panel change would strand their sheets


def _names(panel: Mapping[int, str], jurors: Collection[int]) -> list[str] | None:
    """Juror names for the audit trail, sorted; None for nobody."""
    return sorted(panel.get(j, f"#{j}") for j in jurors) or None


def _off_panel_problems(jurors: Collection[int], panel: Mapping[int, str], year: int) -> list[Problem]:
    off = sorted(set(jurors) - set(panel))
    if not off:
        return []
    listed = ", ".join(f"#{j}" for j in off)
    message = f"Jurors {listed} are not on the {year} panel: add them to the edition panel first"
    return [Problem("services.jurors_off_panel", message, {"year": year, "jurors": listed})]


def _codes_listed(codes: list[str], most: int = STRANDED_LISTED) -> str:
    """'E1, E2, E3' with at most ``most`` codes, then '… (+N)'."""
    shown = ", ".join(sorted(codes)[:most])
    return shown if len(codes) <= most else f"{shown}, … (+{len(codes) - most})"


def _stranding_problems(
    before: scoring.EditionData, after: scoring.EditionData, panel: Mapping[int, str]
) -> list[Problem]:
    """Stored sheets the change would strand: scores of a juror who would no longer sit on the entry."""
    stranded = sheets.stranded_sheets(after).merge(
        sheets.stranded_sheets(before), on=["entry_id", "juror_id"], how="left", indicator=True
    )
    stranded = stranded[stranded["_merge"] == "left_only"]
    if stranded.empty:
        return []
    codes = dict(zip(after.entries["entry_id"], after.entries["code"], strict=True))
    listed = "; ".join(
        f"{panel.get(juror, f'#{juror}')} ({_codes_listed([codes[e] for e in group['entry_id']])})"
        for juror, group in stranded.groupby("juror_id", sort=False)
    )
    message = (
        f"These jurors already scored entries they would no longer sit on: {listed}. "
        "Keep them on those entries' panel, or recuse them from the entry first (which removes their scores)"
    )
    return [Problem("services.would_strand_sheets", message, {"sheets": listed})]


def set_session_panels(
    engine: Engine,
    *,
    actor: Actor,
    year: int,
    seats: Mapping[tuple[int, str], Collection[int]],
    reason: str | None = None,
) -> int:
    """Seat jurors in sessions (a day in a room), all or nothing: they score every entry presented there.

    ``seats`` maps (day, room) to the session's jurors; an empty set clears the session, whose
    entries go back to the whole edition panel.  Sessions not named keep their seats, and
    entries with their own jurors (:func:`set_entry_jurors`) keep them.  Refused for jurors
    off the edition panel, a session no entry uses, a frozen edition, or when a juror who
    already scored an entry would leave its panel.  Returns how many sessions changed.
    """
    problems = _organizer_problems(actor) + _reason_problems(reason, required=False)
    reason = _clean_reason(reason)
    wanted = {(int(day), normalise(room)): {int(j) for j in jurors} for (day, room), jurors in seats.items()}
    with db.write_session(engine) as session:
        edition = _edition_of_year(session, year)
        data = queries.load_edition(engine, year)  # read under the edition's lock: no sheet lands meanwhile
        panel = dict(zip(data.panel["juror_id"], data.panel["juror"], strict=True))
        problems += _status_problems(edition, allowed=OPEN_STATUSES)
        problems += _off_panel_problems(set().union(*wanted.values()), panel, year)
        schedule = sheets.sessions(data.entries)
        known = set(zip(schedule["day"], schedule["room"], strict=True))
        for day, room in sorted(set(wanted) - known):
            message = f"No entry of {year} is presented on day {day} in {room!r}: pick a session of the schedule"
            problems.append(Problem("services.unknown_session", message, {"year": year, "day": day, "room": room}))
        current = data.panels
        old = {
            key: {int(j) for j in group["juror_id"]}
            for key, group in current.groupby([current["day"].astype(int), current["room"]])
        }
        changed = {key: jurors for key, jurors in wanted.items() if old.get(key, set()) != jurors}
        if not problems and changed:
            keys = zip(current["day"].astype(int), current["room"], strict=True)
            kept = current[[key not in changed for key in keys]]
            new_seats = [(day, room, j) for (day, room), jurors in changed.items() for j in sorted(jurors)]
            after = pd.concat([kept, pd.DataFrame(new_seats, columns=["day", "room", "juror_id"])], ignore_index=True)
            problems += _stranding_problems(data, replace(data, panels=after), panel)
        if problems:
            raise WriteRefused(problems)
        for (day, room), jurors in sorted(changed.items()):
            session.execute(
                delete(SessionSeat).where(
                    SessionSeat.edition_id == edition.id, SessionSeat.day == day, SessionSeat.room == room
                )
            )
            session.add_all(SessionSeat(edition_id=edition.id, day=day, room=room, juror_id=j) for j in sorted(jurors))
            audit(
                session,
                actor=actor,
                action="panel.session",
                entity="session_seat",
                entity_key=f"{year}/{day}/{room}",
                edition_id=edition.id,
                old=_names(panel, old.get((day, room), set())),
                new=_names(panel, jurors),
                reason=reason,
            )
        if changed:
            bump_data_version(session, edition.id)
    return len(changed)


def set_entry_jurors(
    engine: Engine, *, actor: Actor, entry_id: int, juror_ids: Collection[int], reason: str | None = None
) -> bool:
    """Give an entry its own jurors: they alone score it.  An empty set goes back to its session's panel
    (or the whole edition panel).  Refused like :func:`set_session_panels`; returns whether it changed."""
    problems = _organizer_problems(actor) + _reason_problems(reason, required=False)
    reason = _clean_reason(reason)
    wanted = {int(j) for j in juror_ids}
    with db.write_session(engine) as session:
        entry = session.get(Entry, entry_id)
        if entry is None:
            raise WriteRefused([Problem("services.unknown_entry", f"Entry {entry_id} does not exist")])
        edition = _locked_edition(session, entry.edition_id)
        data = queries.load_edition(engine, edition.year)  # read under the edition's lock
        panel = dict(zip(data.panel["juror_id"], data.panel["juror"], strict=True))
        problems += _status_problems(edition, allowed=OPEN_STATUSES) + _off_panel_problems(wanted, panel, edition.year)
        current = data.assignments
        mine = current["entry_id"] == entry_id
        old = {int(j) for j in current.loc[mine, "juror_id"]}
        if not problems:
            own = pd.DataFrame({"entry_id": entry_id, "juror_id": sorted(wanted)})
            after = replace(data, assignments=pd.concat([current[~mine], own], ignore_index=True))
            problems += _stranding_problems(data, after, panel)
        if problems:
            raise WriteRefused(problems)
        if old == wanted:
            return False
        session.execute(delete(Assignment).where(Assignment.entry_id == entry_id))
        session.add_all(Assignment(edition_id=edition.id, entry_id=entry_id, juror_id=j) for j in sorted(wanted))
        audit(
            session,
            actor=actor,
            action="panel.entry",
            entity="assignment",
            entity_key=f"{edition.year}/{entry.code}",
            edition_id=edition.id,
            old=_names(panel, old),
            new=_names(panel, wanted),
            reason=reason,
        )
        bump_data_version(session, edition.id)
    return True


# --- entries leaving the competition -------------------------------------------------------


def _final_problems(edition: Edition) -> list[Problem]:
    """Refuse a change to who competes or how they rank once the results are final (locked or published)."""
    if not scoring.awards_final(edition.status):
        return []
    message = f"Edition {edition.year} is {edition.status}: its results are final and can no longer change"
    return [Problem("services.results_final", message, {"year": edition.year})]


def set_entry_status(engine: Engine, *, actor: Actor, entry_id: int, status: str, reason: str) -> bool:
    """Mark an entry withdrawn or absent (it leaves the ranking and the jurors' queues), or competing again.

    A written reason is required (kept on the entry and in the audit log); refused once the
    edition is locked, when its awards are final.  Returns whether the status changed.
    """
    problems = _organizer_problems(actor) + _reason_problems(reason, required=True)
    reason = _clean_reason(reason)
    if status not in {s.value for s in EntryStatus}:
        choices = ", ".join(s.value for s in EntryStatus)
        message = f"{status!r} is not an entry status: use one of {choices}"
        problems.append(Problem("services.unknown_entry_status", message, {"status": status, "choices": choices}))
    with db.write_session(engine) as session:
        entry = session.get(Entry, entry_id)
        if entry is None:
            raise WriteRefused([Problem("services.unknown_entry", f"Entry {entry_id} does not exist")])
        edition = _locked_edition(session, entry.edition_id)
        problems += _final_problems(edition)
        if problems:
            raise WriteRefused(problems)
        if entry.status == status:
            return False
        audit(
            session,
            actor=actor,
            action="entry.status",
            entity="entry",
            entity_key=f"{edition.year}/{entry.code}",
            edition_id=edition.id,
            old=entry.status,
            new=status,
            reason=reason,
        )
        entry.status = status
        entry.status_reason = None if status == EntryStatus.competing.value else reason
        bump_data_version(session, edition.id)
    return True


# --- edition settings: official method, event title, logo ---------------------------------

EVENT_TITLE_LIMIT = 120
LOGO_LIMIT = 1_000_000  # bytes
# Only raster images, recognised by their first bytes (an SVG can carry script).
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def logo_media_type(content: bytes) -> str | None:
    """image/png or image/jpeg when ``content`` starts like one, else None (whatever its file name says)."""
    return next((media for magic, media in LOGO_TYPES.items() if content.startswith(magic)), None)


def set_official_method(engine: Engine, *, actor: Actor, year: int, method: str, reason: str) -> bool:
    """Choose the scoring method of the edition's published ranking (the default of every page and document).

    A written reason is required; refused for an unknown method, for the adjusted score
    while the panels share no juror (no fair comparison), and once locked (final).  Returns
    whether it changed.
    """
    problems = _organizer_problems(actor) + _reason_problems(reason, required=True)
    reason = _clean_reason(reason)
    if method not in METHODS:
        choices = ", ".join(METHODS)
        message = f"{method!r} is not a scoring method: use one of {choices}"
        problems.append(Problem("services.unknown_method", message, {"method": method, "choices": choices}))
    with db.write_session(engine) as session:
        edition = _edition_of_year(session, year)
        problems += _final_problems(edition)
        if method == "adjusted" and method not in scoring.available_methods(queries.load_edition(engine, year)):
            message = "The rooms' panels share no juror, so the adjusted score cannot compare them"
            problems.append(Problem("services.method_unavailable", message, {"year": year}))
        if problems:
            raise WriteRefused(problems)
        if edition.official_method == method:
            return False
        audit(
            session,
            actor=actor,
            action="edition.official_method",
            entity="edition",
            entity_key=str(year),
            edition_id=edition.id,
            old=edition.official_method,
            new=method,
            reason=reason,
        )
        edition.official_method = method
        bump_data_version(session, edition.id)
    return True


def set_event_title(engine: Engine, *, actor: Actor, year: int, title: str) -> bool:
    """Set the title shown large on the big screen and at the reveal; empty removes it.  Returns whether it changed."""
    text = normalise(title) or None
    problems = _organizer_problems(actor)
    if text is not None:
        problems += _text_problems(text, EVENT_TITLE_LIMIT, "services.event_title_too_long")
    with db.write_session(engine) as session:
        edition = _edition_of_year(session, year)
        if problems:
            raise WriteRefused(problems)
        if edition.event_title == text:
            return False
        audit(
            session,
            actor=actor,
            action="edition.event_title",
            entity="edition",
            entity_key=str(year),
            edition_id=edition.id,
            old=edition.event_title,
            new=text,
        )
        edition.event_title = text
        bump_data_version(session, edition.id)
    return True


def set_logo(engine: Engine, *, actor: Actor, year: int, content: bytes | None) -> bool:
    """Store the edition's logo (PNG or JPEG, at most 1 MB, checked by its bytes), or remove it with None.

    Returns whether anything changed.
    """
    problems = _organizer_problems(actor)
    media_type = None if content is None else logo_media_type(content)
    if content is not None and media_type is None:
        problems.append(Problem("services.logo_type", "The logo must be a PNG or JPEG image"))
    if content is not None and len(content) > LOGO_LIMIT:
        values = {"size": round(len(content) / 1e6, 1), "max": LOGO_LIMIT // 1_000_000}
        message = f"The logo is {values['size']} MB: at most {values['max']} MB"
        problems.append(Problem("services.logo_too_large", message, values))
    with db.write_session(engine) as session:
        edition = _edition_of_year(session, year)
        if problems:
            raise WriteRefused(problems)
        current = session.get(EditionLogo, edition.id)
        if current is None and content is None:
            return False
        if current is not None and content is not None and current.content == content:
            return False
        audit(
            session,
            actor=actor,
            action="edition.logo",
            entity="edition",
            entity_key=str(year),
            edition_id=edition.id,
            old=None if current is None else {"media_type": current.media_type, "bytes": len(current.content)},
            new=None if content is None else {"media_type": media_type, "bytes": len(content)},
        )
        if content is None:
            session.delete(current)
        elif current is None:
            session.add(EditionLogo(edition_id=edition.id, media_type=media_type, content=content))
        else:
            current.media_type, current.content = media_type, content
        bump_data_version(session, edition.id)
    return True
