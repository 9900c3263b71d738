"""Small hand-made editions for tests: a few rows, written straight through the models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine
from sqlmodel import select

from kipp import db
from kipp.models import Criterion, Edition, Entry, Institution, Juror, PanelMember, Recusal, Score


def make_edition(
    engine: Engine,
    *,
    year: int = 2030,
    criteria: Sequence[tuple[str, float, float]] = (("Kebaruan", 1.0, 100.0), ("Efektif", 1.0, 100.0)),
    jurors: Sequence[str] = ("Juri A", "Juri B"),
    entries: Sequence[tuple[str, str, str]] = (("E1", "Inovasi Satu", "SMPN 1 Malang"),),
    unit_types: Mapping[str, str] | None = None,
    scores: Mapping[tuple[str, str, str], float] | None = None,
    recusals: Sequence[tuple[str, str]] = (),
    status: str = "scoring",
    tiers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Create an edition with criteria (name, weight, max), jurors, entries (code, title, unit), the units'
    types in this edition {unit: type} (sekolah unless given), scores {(code, juror, criterion): value} and
    recusals [(code, juror)]; returns the ids."""
    with db.write_session(engine) as session:
        edition = Edition(year=year, name=f"KIPP {year}", status=status)
        if tiers is not None:
            edition.award_tiers = tiers
        session.add(edition)
        session.flush()
        ids: dict[str, Any] = {"edition": edition.id, "criteria": {}, "jurors": {}, "entries": {}}
        for position, (name, weight, max_score) in enumerate(criteria):
            criterion = Criterion(
                edition_id=edition.id, name=name, weight=weight, max_score=max_score, position=position
            )
            session.add(criterion)
            session.flush()
            ids["criteria"][name] = (criterion.id, max_score)
        for seat, name in enumerate(jurors, start=1):
            juror = session.exec(select(Juror).where(Juror.name == name)).first() or Juror(name=name)
            session.add(juror)
            session.flush()
            session.add(PanelMember(edition_id=edition.id, juror_id=juror.id, seat=seat))
            ids["jurors"][name] = juror.id
        for slot, (code, title, unit) in enumerate(entries, start=1):
            institution = session.exec(select(Institution).where(Institution.name == unit)).first() or Institution(
                name=unit
            )
            session.add(institution)
            session.flush()
            entry = Entry(
                edition_id=edition.id,
                code=code,
                title=title,
                institution_id=institution.id,
                institution_type=(unit_types or {}).get(unit, "sekolah"),
                day=1,
                slot=slot,
            )
            session.add(entry)
            session.flush()
            ids["entries"][code] = entry.id
        session.flush()
        for (code, juror, criterion), value in (scores or {}).items():
            criterion_id, max_score = ids["criteria"][criterion]
            session.add(
                Score(
                    edition_id=edition.id,
                    entry_id=ids["entries"][code],
                    juror_id=ids["jurors"][juror],
                    criterion_id=criterion_id,
                    max_score=max_score,
                    value=value,
                )
            )
        for code, juror in recusals:
            session.add(Recusal(edition_id=edition.id, entry_id=ids["entries"][code], juror_id=ids["jurors"][juror]))
    return ids


def seat_sessions(
    engine: Engine,
    ids: Mapping[str, Any],
    *,
    sessions: Mapping[str, tuple[int, str]],
    panels: Mapping[tuple[int, str], Sequence[str]],
    entry_status: Mapping[str, str] | None = None,
    official_method: str | None = None,
) -> None:
    """Split an edition made by :func:`make_edition` into sessions: each entry's (day, room)
    {code: (day, room)}, the jurors sitting in each session {(day, room): juror names}, entries
    withdrawn or absent {code: status}, and the edition's official method."""
    from kipp.models import SessionSeat

    with db.write_session(engine) as session:
        for code, (day, room) in sessions.items():
            entry = session.get(Entry, ids["entries"][code])
            entry.day, entry.room = day, room
            session.add(entry)
        for code, status in (entry_status or {}).items():
            entry = session.get(Entry, ids["entries"][code])
            entry.status = status
            session.add(entry)
        for (day, room), names in panels.items():
            for name in names:
                session.add(SessionSeat(edition_id=ids["edition"], day=day, room=room, juror_id=ids["jurors"][name]))
        if official_method is not None:
            edition = session.get(Edition, ids["edition"])
            edition.official_method = official_method
            session.add(edition)
