"""Planning an import: what the file would insert or update, compared with what the database holds.

One function per sheet (criteria, jurors, entries with their institutions, panels, assignments, scores,
feedback), each adding its writes, its counts and its problems to the plan.  Nothing is written here; the
plan is shown as a preview or handed to :mod:`kipp.ingest.write` inside the import's transaction.

Who must score an entry is not decided here: the seating the import would leave (the edition's session
seats and assignments with the file's over them) is handed to :func:`kipp.scoring.expected_jurors`, the
one rule every page uses, and a score row of a juror it does not expect is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from kipp.i18n import DEFAULT_LANGUAGE, translate
from kipp.ingest.check import DataSet, Record, out_of_range
from kipp.ingest.format import ImportProblem, fold
from kipp.models import (
    Assignment,
    Criterion,
    Edition,
    EditionStatus,
    Entry,
    Feedback,
    Institution,
    Juror,
    PanelMember,
    Recusal,
    Score,
    SessionSeat,
)
from kipp.rules import OPEN_STATUSES, edition_refusal, juror_refusal, score_refusal
from kipp.text import FEEDBACK_LIMIT


@dataclass(frozen=True)
class SheetChange:
    """What an import does to one kind of row."""

    sheet: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed (or, as a preview, would change)."""

    source: str
    year: int
    edition_created: bool
    changes: tuple[SheetChange, ...]

    def change(self, sheet: str) -> SheetChange:
        """The change for one sheet (criteria, jurors, institutions, entries, scores, feedback)."""
        return next(change for change in self.changes if change.sheet == sheet)

    def line(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """A one-line summary for the command line."""
        parts = ", ".join(
            translate("ingest.summary.part", lang, sheet=c.sheet, new=c.new, updated=c.updated, unchanged=c.unchanged)
            for c in self.changes
        )
        key = "ingest.summary.created" if self.edition_created else "ingest.summary.existing"
        return translate(key, lang, source=self.source, year=self.year, parts=parts)


@dataclass
class Write:
    """One row to insert or update: its natural key, the full row, and the audit's old/new."""

    key: str
    values: dict[str, Any]
    old: dict[str, Any] | None
    new: dict[str, Any]


@dataclass
class Plan:
    """What an import writes: rows per kind (new units and jurors, this edition's seats, entries …) and the counts."""

    edition_id: int | None
    year: int
    writes: dict[str, list[Write]]
    changes: list[SheetChange]


def by_fold(rows: Iterable[Any], column: int = 0) -> dict[str, Any]:
    """Rows keyed by the folded text of one column (the first row wins)."""
    result: dict[str, Any] = {}
    for row in rows:
        result.setdefault(fold(row[column]), row)
    return result


def _diff(key: str, values: dict[str, Any], stored: Mapping[str, Any] | None, compare: Iterable[str]) -> Write | None:
    """A write for a row: new when nothing is stored, an update when a compared field differs, else None."""
    if stored is None:
        return Write(key, values, None, {c: values[c] for c in compare})
    changed = [c for c in compare if stored[c] != values[c]]
    if not changed:
        return None
    return Write(key, values, {c: stored[c] for c in changed}, {c: values[c] for c in changed})


def _count(sheet: str, writes: list[Write], total: int) -> SheetChange:
    new = sum(1 for write in writes if write.old is None)
    return SheetChange(sheet, new, len(writes) - new, total - len(writes))


@dataclass
class _Stored:
    """What the database holds for the edition being imported into, each kind keyed by its folded name.

    Units and jurors are shared by every edition and only known by name here; what a unit was and where a
    juror came from in this edition is read from this edition's entries and panel seats alone.
    """

    edition: Any  # (id, status) row, or None for a new edition
    institutions: dict[str, Any]
    institution_names: dict[int, str]
    jurors: dict[str, Any]
    juror_names: dict[int, str]
    panel: dict[int, Any]  # juror id -> (seat, affiliation) row
    criteria: dict[str, Any]
    entries: dict[str, Any]
    scores: dict[tuple[int, int, int], float]
    feedback: dict[tuple[int, int], str]
    recusals: set[tuple[int, int]]
    seats: list[Any]  # (day, room, juror_id) rows
    assignments: list[Any]  # (entry_id, juror_id) rows


def _load(connection: Connection, year: int, *, for_update: bool) -> _Stored:
    """Read what an import compares with; ``for_update`` locks the edition row for the transaction."""
    statement = select(Edition.id, Edition.status).where(Edition.year == year)
    edition = connection.execute(statement.with_for_update() if for_update else statement).first()
    edition_id = edition.id if edition is not None else -1
    unit_rows = connection.execute(select(Institution.name, Institution.id).order_by(Institution.id)).all()
    juror_rows = connection.execute(select(Juror.name, Juror.id).order_by(Juror.id)).all()
    return _Stored(
        edition=edition,
        institutions=by_fold(unit_rows),
        institution_names={row.id: row.name for row in unit_rows},
        jurors=by_fold(juror_rows),
        juror_names={row.id: row.name for row in juror_rows},
        panel={
            row.juror_id: row
            for row in connection.execute(
                select(PanelMember.juror_id, PanelMember.seat, PanelMember.affiliation).where(
                    PanelMember.edition_id == edition_id
                )
            )
        },
        criteria=by_fold(
            connection.execute(
                select(
                    Criterion.name,
                    Criterion.id,
                    Criterion.weight,
                    Criterion.max_score,
                    Criterion.position,
                    Criterion.description,
                )
                .where(Criterion.edition_id == edition_id)
                .order_by(Criterion.id)
            )
        ),
        entries=by_fold(
            connection.execute(
                select(
                    Entry.code,
                    Entry.id,
                    Entry.title,
                    Entry.institution_id,
                    Entry.institution_type,
                    Entry.category,
                    Entry.day,
                    Entry.room,
                    Entry.slot,
                    Entry.summary,
                    Entry.status,
                    Entry.status_reason,
                )
                .where(Entry.edition_id == edition_id)
                .order_by(Entry.id)
            )
        ),
        scores={
            (row.entry_id, row.juror_id, row.criterion_id): row.value
            for row in connection.execute(
                select(Score.entry_id, Score.juror_id, Score.criterion_id, Score.value).where(
                    Score.edition_id == edition_id
                )
            )
        },
        feedback={
            (row.entry_id, row.juror_id): row.text
            for row in connection.execute(
                select(Feedback.entry_id, Feedback.juror_id, Feedback.text).where(Feedback.edition_id == edition_id)
            )
        },
        recusals=set(
            connection.execute(select(Recusal.entry_id, Recusal.juror_id).where(Recusal.edition_id == edition_id)).all()
        ),
        seats=connection.execute(
            select(SessionSeat.day, SessionSeat.room, SessionSeat.juror_id).where(SessionSeat.edition_id == edition_id)
        ).all(),
        assignments=connection.execute(
            select(Assignment.entry_id, Assignment.juror_id).where(Assignment.edition_id == edition_id)
        ).all(),
    )


def _plan_criteria(data: DataSet, stored: _Stored, plan: Plan, problems: list[ImportProblem]) -> None:
    """Criteria in row order (position = row); a maximum below a stored score is refused."""
    highest: dict[int, float] = {}
    for (_, _, criterion_id), value in stored.scores.items():
        highest[criterion_id] = max(value, highest.get(criterion_id, 0.0))
    writes = []
    for position, record in enumerate(data.sheets["criteria"]):
        row = stored.criteria.get(fold(record.values["criterion"]))
        name = row.name if row is not None else record.values["criterion"]
        values = {"name": name, "position": position, **{c: v for c, v in record.values.items() if c != "criterion"}}
        if row is not None and highest.get(row.id, 0.0) > values["max_score"]:
            found = {"value": values["max_score"], "highest": highest[row.id]}
            problems.append(ImportProblem("ingest.max_below_scores", "criteria", record.row, "max_score", found))
        write = _diff(name, values, row._asdict() if row is not None else None, [c for c in values if c != "name"])
        if write is not None:
            writes.append(write)
    plan.writes["criteria"] = writes
    plan.changes.append(_count("criteria", writes, data.count("criteria")))


def _plan_jurors(data: DataSet, stored: _Stored, plan: Plan, problems: list[ImportProblem]) -> None:
    """Jurors: "new" means new to this edition's panel; the juror record itself may exist already.

    The affiliation goes on this edition's panel seat, never on the juror, so other editions keep theirs.
    While an edition is being scored its panel is fixed: a new panel member would change who is
    expected to score every entry, so such an import is refused.
    """
    scoring = stored.edition is not None and stored.edition.status == EditionStatus.scoring.value
    juror_writes, seat_writes = [], []
    next_seat = max((seat.seat for seat in stored.panel.values()), default=0) + 1
    for record in data.sheets["jurors"]:
        key = fold(record.values["juror"])
        row = stored.jurors.get(key)
        name = row.name if row is not None else record.values["juror"]
        if row is None:
            juror_writes.append(Write(name, {"name": name}, None, {"name": name}))
        seat = stored.panel.get(row.id) if row is not None else None
        if seat is None:
            if scoring:
                found = {"juror": name, "year": plan.year}
                problems.append(ImportProblem("ingest.juror_during_scoring", "jurors", record.row, "juror", found))
            number, next_seat = next_seat, next_seat + 1
        else:
            number = seat.seat
        values = {"juror": key, "seat": number, **{c: v for c, v in record.values.items() if c != "juror"}}
        write = _diff(name, values, seat._asdict() if seat is not None else None, [c for c in values if c != "juror"])
        if write is not None:
            seat_writes.append(write)
    plan.writes["jurors"] = juror_writes
    plan.writes["panel"] = seat_writes
    plan.changes.append(_count("jurors", seat_writes, data.count("jurors")))


def _plan_entries(data: DataSet, stored: _Stored, plan: Plan, problems: list[ImportProblem]) -> None:
    """Entries, each with its unit's type in this edition, and the units new to the database.

    A unit has one type in an edition: a row giving it another type than an entry of the edition that
    the file leaves as it is would split it, and is refused.
    """
    in_file = {fold(record.values["code"]) for record in data.sheets["entries"]}
    kept: dict[int, Any] = {}  # unit id -> an entry of this edition the file does not change
    for key, row in stored.entries.items():
        if key not in in_file:
            kept.setdefault(row.institution_id, row)
    institution_writes: dict[str, Write] = {}
    entry_writes = []
    for record in data.sheets["entries"]:
        unit_key = fold(record.values["institution"])
        unit = stored.institutions.get(unit_key)
        unit_name = unit.name if unit is not None else record.values["institution"]
        if unit is None:
            institution_writes[unit_key] = Write(unit_name, {"name": unit_name}, None, {"name": unit_name})
        other = kept.get(unit.id) if unit is not None else None
        if other is not None and other.institution_type != record.values["institution_type"]:
            found = {
                "institution": unit_name,
                "value": record.values["institution_type"],
                "other": other.institution_type,
                "code": other.code,
                "year": plan.year,
            }
            problems.append(
                ImportProblem("ingest.institution_type_in_edition", "entries", record.row, "institution_type", found)
            )
        row = stored.entries.get(fold(record.values["code"]))
        code = row.code if row is not None else record.values["code"]
        values = {
            "code": code,
            "institution": unit_name,
            **{c: v for c, v in record.values.items() if c not in ("code", "institution")},
        }
        old = (
            None if row is None else {**row._asdict(), "institution": stored.institution_names.get(row.institution_id)}
        )
        write = _diff(code, values, old, [c for c in values if c != "code"])
        if write is not None:
            entry_writes.append(write)
    plan.writes["institutions"] = list(institution_writes.values())
    n_units = len({fold(r.values["institution"]) for r in data.sheets["entries"]})
    plan.changes.append(_count("institutions", plan.writes["institutions"], n_units))
    plan.writes["entries"] = entry_writes
    plan.changes.append(_count("entries", entry_writes, data.count("entries")))


@dataclass
class _Seating:
    """Who may score what, in folded names: each entry's session, the panel, session seats and assignments."""

    entries: dict[str, tuple[Any, Any]]  # code -> (day, room)
    jurors: set[str]
    seats: dict[tuple[int, str], set[str]] = field(default_factory=dict)  # (day, room as spelled) -> jurors
    assignments: dict[str, set[str]] = field(default_factory=dict)  # code -> jurors
    recusals: set[tuple[str, str]] = field(default_factory=set)

    def expected(self) -> set[tuple[str, str]]:
        """The (code, juror) pairs :func:`kipp.scoring.expected_jurors` expects a sheet from."""
        import pandas as pd  # imported here: only planning an import needs the scoring rule

        from kipp.scoring import EditionData, expected_jurors

        codes = list(self.entries)

        def frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
            return pd.DataFrame(rows, columns=columns, dtype=object)

        data = EditionData(
            entries=frame([(code, *self.entries[code]) for code in codes], ["entry_id", "day", "room"]),
            criteria=frame([], ["criterion_id"]),
            panel=frame([(juror,) for juror in sorted(self.jurors)], ["juror_id"]),
            scores=frame([], ["entry_id", "juror_id", "criterion_id", "value"]),
            recusals=frame(sorted(self.recusals), ["entry_id", "juror_id"]),
            assignments=frame([(c, j) for c, js in self.assignments.items() for j in js], ["entry_id", "juror_id"]),
            panels=frame([(*key, j) for key, js in self.seats.items() for j in js], ["day", "room", "juror_id"]),
        )
        expected = expected_jurors(data)
        return set(zip(expected["entry_id"], expected["juror_id"], strict=True))


def _stored_seating(stored: _Stored) -> _Seating:
    """The edition's seating as the database holds it."""
    jurors = {juror_id: fold(name) for juror_id, name in stored.juror_names.items()}
    codes = {row.id: key for key, row in stored.entries.items()}
    seating = _Seating(
        entries={key: (row.day, row.room) for key, row in stored.entries.items()},
        jurors={jurors[juror_id] for juror_id in stored.panel},
        recusals={(codes[e], jurors[j]) for e, j in stored.recusals if e in codes},
    )
    for row in stored.seats:
        seating.seats.setdefault((row.day, row.room), set()).add(jurors[row.juror_id])
    for row in stored.assignments:
        if row.entry_id in codes:
            seating.assignments.setdefault(codes[row.entry_id], set()).add(jurors[row.juror_id])
    return seating


def _seating_after(data: DataSet, before: _Seating) -> _Seating:
    """The seating once the file's entries and jurors are in (panels and assignments are planned on it)."""
    entries = dict(before.entries)
    for record in data.sheets["entries"]:
        key = fold(record.values["code"])
        day, room = entries.get(key, (None, None))
        entries[key] = (record.values.get("day", day), record.values.get("room", room))
    return _Seating(
        entries=entries,
        jurors=before.jurors | {fold(record.values["juror"]) for record in data.sheets["jurors"]},
        seats=dict(before.seats),
        assignments=dict(before.assignments),
        recusals=before.recusals,
    )


def _unknown_juror(sheet: str, record: Record, after: _Seating, year: int) -> ImportProblem | None:
    """A juror of a panels or assignments row who is neither in the jurors sheet nor on the edition's panel."""
    if fold(record.values["juror"]) in after.jurors:
        return None
    found = {"value": record.values["juror"], "sheet": "jurors", "year": year}
    return ImportProblem("ingest.unknown_juror", sheet, record.row, "juror", found)


def _names(jurors: Iterable[str], shown: Mapping[str, str]) -> list[str]:
    """Folded juror names as people wrote them, sorted (for audit records and messages)."""
    return sorted(shown.get(juror, juror) for juror in jurors)


def _plan_panels(
    data: DataSet, plan: Plan, after: _Seating, shown: Mapping[str, str], problems: list[ImportProblem]
) -> dict[tuple[int, str], Record]:
    """Session seats: each session (day and room) of the sheet gets exactly the sheet's jurors.

    Rooms match the entries' rooms case- and space-insensitively; the seats are stored under every spelling
    the entries of that day use, so the scoring (which matches rooms exactly) finds them.  Returns the first
    row of each session the file seats.
    """
    spellings: dict[tuple[int, str], set[str]] = {}
    for day, room in after.entries.values():
        if day is not None and room is not None:
            spellings.setdefault((day, fold(room)), set()).add(room)
    sessions: dict[tuple[int, str], set[str]] = {}
    first: dict[tuple[int, str], Record] = {}
    for record in data.sheets.get("panels", []):
        session = (record.values["day"], fold(record.values["room"]))
        refused = [problem for problem in [_unknown_juror("panels", record, after, plan.year)] if problem]
        if session not in spellings:
            found = {"day": record.values["day"], "room": record.values["room"], "year": plan.year}
            refused.append(ImportProblem("ingest.unknown_session", "panels", record.row, "room", found))
        problems.extend(refused)
        if not refused:
            sessions.setdefault(session, set()).add(fold(record.values["juror"]))
            first.setdefault(session, record)
    stored_keys: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for key in after.seats:
        stored_keys.setdefault((key[0], fold(key[1])), []).append(key)
    writes = []
    for session, jurors in sessions.items():
        old = {key: after.seats[key] for key in stored_keys.get(session, [])}
        new = {(session[0], room): jurors for room in sorted(spellings[session])}
        if old == new:
            continue
        for key in old:
            del after.seats[key]
        after.seats.update(new)
        values = {"remove": sorted(old), "seats": [(*key, juror) for key, js in new.items() for juror in sorted(js)]}
        label = f"{session[0]} / {first[session].values['room']}"
        before = {"jurors": _names(set().union(*old.values()), shown)} if old else None
        writes.append(Write(label, values, before, {"jurors": _names(jurors, shown)}))
    plan.writes["panels"] = writes
    plan.changes.append(_count("panels", writes, len(sessions)))
    return first


def _plan_assignments(
    data: DataSet, plan: Plan, after: _Seating, shown: Mapping[str, str], problems: list[ImportProblem]
) -> dict[str, Record]:
    """Assignments: each entry of the sheet gets exactly the sheet's jurors as its own panel.

    Returns the first row of each entry the file assigns.
    """
    assigned: dict[str, set[str]] = {}
    first: dict[str, Record] = {}
    for record in data.sheets.get("assignments", []):
        code = fold(record.values["code"])
        refused = [problem for problem in [_unknown_juror("assignments", record, after, plan.year)] if problem]
        if code not in after.entries:
            found = {"value": record.values["code"], "sheet": "entries", "year": plan.year}
            refused.append(ImportProblem("ingest.unknown_code", "assignments", record.row, "code", found))
        problems.extend(refused)
        if not refused:
            assigned.setdefault(code, set()).add(fold(record.values["juror"]))
            first.setdefault(code, record)
    writes = []
    for code, jurors in assigned.items():
        old = after.assignments.get(code)
        if old == jurors:
            continue
        after.assignments[code] = jurors
        before = {"jurors": _names(old, shown)} if old else None
        values = {"code": code, "jurors": sorted(jurors)}
        writes.append(Write(first[code].values["code"], values, before, {"jurors": _names(jurors, shown)}))
    plan.writes["assignments"] = writes
    plan.changes.append(_count("assignments", writes, len(assigned)))
    return first


def _plan_seating(data: DataSet, stored: _Stored, plan: Plan, problems: list[ImportProblem]) -> set[tuple[str, str]]:
    """Panels and assignments; returns the (code, juror) pairs expected once the import is done.

    A stored score sheet (complete or partial) whose juror was expected before the import and would not be
    after it is refused, naming the entry: the import would orphan it.
    """
    shown = {fold(name): name for name in stored.juror_names.values()}
    shown.update({fold(record.values["juror"]): record.values["juror"] for record in data.sheets["jurors"]})
    before = _stored_seating(stored)
    after = _seating_after(data, before)
    sessions = _plan_panels(data, plan, after, shown, problems)
    assigned = _plan_assignments(data, plan, after, shown, problems)
    expected = after.expected()
    jurors = {juror_id: fold(name) for juror_id, name in stored.juror_names.items()}
    codes = {row.id: key for key, row in stored.entries.items()}
    sheets = {(codes[e], jurors[j]) for e, j, _ in stored.scores if e in codes}
    orphaned: dict[str, list[str]] = {}
    for code, juror in sorted((sheets - expected) & before.expected()):
        orphaned.setdefault(code, []).append(juror)
    entry_rows = {fold(record.values["code"]): record for record in data.sheets["entries"]}
    for code, lost in orphaned.items():
        day, room = after.entries[code]
        places = (
            ("assignments", assigned.get(code), "juror"),
            ("panels", sessions.get((day, fold(room))) if room is not None else None, "juror"),
            ("entries", entry_rows.get(code), "room"),
        )
        sheet, record, column = next((place for place in places if place[1] is not None), (None, None, None))
        found = {"code": stored.entries[code].code, "jurors": ", ".join(_names(lost, shown))}
        problems.append(ImportProblem("ingest.orphaned_sheets", sheet, record.row if record else None, column, found))
    return expected


def _reference_problems(record: Record, known: dict[str, Any], recused: bool, year: int) -> list[ImportProblem]:
    """A score row's entry, juror and criterion that neither the file nor the edition has, or a recused juror.

    The juror answers to :func:`kipp.rules.juror_refusal`, like a typed sheet: a juror not on
    the panel (once the import seats the file's jurors) is unknown, a recused juror scores nothing.
    """
    juror = juror_refusal(on_panel=fold(record.values["juror"]) in known["juror"], recused=recused)
    unknown = {
        "code": fold(record.values["code"]) not in known["code"],
        "juror": juror == "not_on_panel",
        "criterion": fold(record.values["criterion"]) not in known["criterion"],
    }
    problems = [
        ImportProblem(
            f"ingest.unknown_{column}",
            "scores",
            record.row,
            column,
            {"value": record.values[column], "sheet": sheet, "year": year},
        )
        for column, sheet in (("code", "entries"), ("juror", "jurors"), ("criterion", "criteria"))
        if unknown[column]
    ]
    if not problems and juror == "recused":
        found = {"juror": record.values["juror"], "code": record.values["code"]}
        problems.append(ImportProblem("ingest.recused", "scores", record.row, "juror", found))
    return problems


def _plan_scores(
    data: DataSet, stored: _Stored, plan: Plan, problems: list[ImportProblem], expected: set[tuple[str, str]]
) -> dict[tuple[str, str], list[Record]]:
    """Scores, with references resolved against the file and the edition; returns the comments per sheet.

    A row of a juror who is not on the entry's panel once the import is done (``expected``) is refused.
    """
    year = plan.year
    panel_names = {fold(row.name) for row in stored.jurors.values() if row.id in stored.panel}
    maxima = {key: row.max_score for key, row in stored.criteria.items()}
    maxima.update({fold(r.values["criterion"]): r.values["max_score"] for r in data.sheets["criteria"]})
    known = {
        "code": {fold(r.values["code"]) for r in data.sheets["entries"]} | set(stored.entries),
        "juror": {fold(r.values["juror"]) for r in data.sheets["jurors"]} | panel_names,
        "criterion": maxima,
    }
    writes, comments, seen = [], {}, set()
    for record in data.sheets["scores"]:
        code, juror, criterion = (fold(record.values[c]) for c in ("code", "juror", "criterion"))
        entry, juror_row, criterion_row = (
            stored.entries.get(code),
            stored.jurors.get(juror),
            stored.criteria.get(criterion),
        )
        entry_id = entry.id if entry is not None else None
        juror_id = juror_row.id if juror_row is not None else None
        refused = _reference_problems(record, known, (entry_id, juror_id) in stored.recusals, year)
        if not refused and (code, juror) not in expected:
            found = {"juror": record.values["juror"], "code": record.values["code"]}
            refused = [ImportProblem("ingest.unassigned", "scores", record.row, "juror", found)]
        if refused:
            problems.extend(refused)
            continue
        if record.values.get("comment"):
            comments.setdefault((code, juror), []).append(record)
        value = record.values["score"]
        if value is None:
            continue
        if score_refusal(value, maxima[criterion]):
            problems.append(out_of_range(record, maxima[criterion]))
            continue
        if (code, juror, criterion) in seen:
            continue  # the same score twice with the same value (different values were refused)
        seen.add((code, juror, criterion))
        old_value = stored.scores.get((entry_id, juror_id, criterion_row.id if criterion_row is not None else None))
        if old_value == value:
            continue
        values = {"code": code, "juror": juror, "criterion": criterion, "value": value}
        write_key = f"{record.values['code']}/{record.values['juror']}"
        old = None if old_value is None else {"value": old_value}
        writes.append(Write(write_key, {**values, "criterion_name": record.values["criterion"]}, old, {"value": value}))
    plan.writes["scores"] = writes
    plan.changes.append(_count("scores", writes, len(seen)))
    return comments


def _plan_feedback(
    stored: _Stored, plan: Plan, comments: dict[tuple[str, str], list[Record]], problems: list[ImportProblem]
) -> None:
    """Feedback: the different comments of one entry and juror joined with line breaks, within the one limit."""
    writes = []
    for (code, juror), records in comments.items():
        texts = list(dict.fromkeys(record.values["comment"] for record in records))
        joined = "\n".join(texts)
        if len(joined) > FEEDBACK_LIMIT:
            found = {"max": FEEDBACK_LIMIT, "length": len(joined)}
            problems.append(ImportProblem("text.too_long", "scores", records[-1].row, "comment", found))
            continue
        entry, juror_row = stored.entries.get(code), stored.jurors.get(juror)
        stored_text = stored.feedback.get((entry.id if entry else None, juror_row.id if juror_row else None))
        old = None if stored_text is None else {"text": stored_text}
        write = _diff(f"{code}/{juror}", {"code": code, "juror": juror, "text": joined}, old, ["text"])
        if write is not None:
            writes.append(write)
    plan.writes["feedback"] = writes
    plan.changes.append(_count("feedback", writes, len(comments)))


def make_plan(
    connection: Connection, data: DataSet, year: int, *, for_update: bool
) -> tuple[Plan, list[ImportProblem]]:
    """Compare the file with what the database holds: the rows to write, the counts, the problems."""
    stored = _load(connection, year, for_update=for_update)
    problems: list[ImportProblem] = []
    if stored.edition is not None and edition_refusal(stored.edition.status, OPEN_STATUSES):
        problems.append(ImportProblem(f"ingest.edition_{stored.edition.status}", values={"year": year}))
    plan = Plan(None if stored.edition is None else stored.edition.id, year, {}, [])
    _plan_criteria(data, stored, plan, problems)
    _plan_jurors(data, stored, plan, problems)
    _plan_entries(data, stored, plan, problems)
    expected = _plan_seating(data, stored, plan, problems)
    comments = _plan_scores(data, stored, plan, problems, expected)
    _plan_feedback(stored, plan, comments, problems)
    return plan, problems
