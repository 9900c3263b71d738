"""Planning an import: what the file would insert or update, compared with what the database holds.

One function per sheet (criteria, jurors, entries with their institutions, scores, feedback), each
adding its writes, its counts and its problems to the plan.  Nothing is written here; the plan is
shown as a preview or handed to :mod:`kipp.ingest.write` inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from kipp.i18n import DEFAULT_LANGUAGE, translate
from kipp.ingest.check import DataSet, Record, out_of_range
from kipp.ingest.format import ImportProblem, fold
from kipp.models import (
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
    panel: dict[int, Any]  # juror id -> (seat, affiliation) row
    criteria: dict[str, Any]
    entries: dict[str, Any]
    scores: dict[tuple[int, int, int], float]
    feedback: dict[tuple[int, int], str]
    recusals: set[tuple[int, int]]


def _load(connection: Connection, year: int, *, for_update: bool) -> _Stored:
    """Read what an import compares with; ``for_update`` locks the edition row for the transaction."""
    statement = select(Edition.id, Edition.status).where(Edition.year == year)
    edition = connection.execute(statement.with_for_update() if for_update else statement).first()
    edition_id = edition.id if edition is not None else -1
    unit_rows = connection.execute(select(Institution.name, Institution.id).order_by(Institution.id)).all()
    return _Stored(
        edition=edition,
        institutions=by_fold(unit_rows),
        institution_names={row.id: row.name for row in unit_rows},
        jurors=by_fold(connection.execute(select(Juror.name, Juror.id).order_by(Juror.id))),
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
    data: DataSet, stored: _Stored, plan: Plan, problems: list[ImportProblem], year: int
) -> dict[tuple[str, str], list[Record]]:
    """Scores, with references resolved against the file and the edition; returns the comments per sheet."""
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
    comments = _plan_scores(data, stored, plan, problems, year)
    _plan_feedback(stored, plan, comments, problems)
    return plan, problems
