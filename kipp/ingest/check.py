"""Checking every value of a read file: types, ranges, keys given twice, text that cannot be stored.

Free text goes through :func:`kipp.text.clean_text` — the check every write path uses — so a title,
a name or a piece of feedback is stored the same way as when it is typed on the score sheet, with the
same limits.  Names (juror, criterion, entry code, institution) must also not mix alphabets, nor be written
only in Cyrillic or Greek letters drawn like Latin ones: "Juri Dua" with a Cyrillic "а", or "К30-001"
with a Cyrillic "К", looks identical on screen but would be a second juror or entry.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kipp.i18n import NotANumber, parse_number
from kipp.ingest.format import (
    KEYS,
    MAX_NUMBER,
    MAX_WHOLE,
    NAME_COLUMNS,
    NEEDED_SHEETS,
    NUMBER_COLUMNS,
    SHEETS,
    WHOLE_COLUMNS,
    ImportProblem,
    ImportRefused,
    fold,
)
from kipp.ingest.read import Formula, RawBook, blank, read_files, read_path
from kipp.models import EntryStatus, InstitutionType
from kipp.rules import score_refusal
from kipp.text import CELL_LIMIT, FEEDBACK_LIMIT, TextRefused, clean_text

# What a blank optional cell means when it is not "nothing": an entry without a status competes.
BLANK_DEFAULTS = {"status": EntryStatus.competing.value}
# The most characters a cell of each text column holds: feedback as on the score sheet, the rest as in Excel.
TEXT_LIMITS = {"comment": FEEDBACK_LIMIT}
SCRIPT_LETTERS = frozenset({"Lu", "Ll", "Lt", "Lo"})  # letters that belong to an alphabet (not modifier marks)
# Cyrillic and Greek letters drawn like Latin ones: a name made only of these reads as Latin but is not ("К30-001").
LATIN_LOOKALIKES = frozenset("АВЕКМНОРСТХУЅІЈаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρυχ")


@dataclass(frozen=True)
class Record:
    """A checked row: its spreadsheet row number and its values (only the columns the sheet has)."""

    row: int
    values: dict[str, Any]


@dataclass
class DataSet:
    """A checked file, ready to import: rows per sheet, every value parsed."""

    source: str
    sheets: dict[str, list[Record]]

    def count(self, sheet: str) -> int:
        """Number of data rows in a sheet."""
        return len(self.sheets.get(sheet, []))


class _Bad:
    """Marks a cell that failed its check (a problem was recorded)."""


BAD = _Bad()


def _number(raw: Any) -> float | str:
    """A finite float from a cell (decimal comma accepted), or the catalogue key of what is wrong."""
    try:
        return parse_number(raw)
    except NotANumber as error:
        return f"ingest.{error.reason}"


def _shown(raw: Any) -> str:
    """A cell value as it appears in a message (long text shortened)."""
    shown = raw.text if isinstance(raw, Formula) else str(raw)
    shown = "".join(character if character.isprintable() else "\ufffd" for character in shown[:60])
    return shown if len(shown) < 60 else f"{shown[:57]}…"


def _as_text(raw: Any) -> str:
    """Any cell as text: whole numbers without a trailing .0 (codes typed as numbers)."""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        return raw.isoformat()
    return str(raw)


def _cell(sheet: str, column: str, raw: Any, row: int, problems: list[ImportProblem]) -> Any:
    """Parse one cell for its column, recording a problem and returning BAD if it is wrong."""

    def refuse(key: str, **values: Any) -> _Bad:
        problems.append(ImportProblem(key, sheet, row, column, {"value": _shown(raw), **values}))
        return BAD

    if isinstance(raw, Formula):
        return refuse("ingest.formula")
    if blank(raw):
        required = column in SHEETS[sheet].required and column != "score"  # a score row may carry only a comment
        return refuse("ingest.required") if required else BLANK_DEFAULTS.get(column)
    if column in NUMBER_COLUMNS or column in WHOLE_COLUMNS:
        value = _number(raw)
        if isinstance(value, str):
            return refuse(value)
        if column in WHOLE_COLUMNS:
            if not value.is_integer() or not 1 <= value <= MAX_WHOLE:
                return refuse("ingest.whole_number", max=MAX_WHOLE)
            return int(value)
        if column in ("weight", "max_score"):
            if value <= 0:
                return refuse("ingest.not_positive")
            if value > MAX_NUMBER:
                return refuse("ingest.too_large")
        return value
    try:
        value = clean_text(_as_text(raw), limit=TEXT_LIMITS.get(column, CELL_LIMIT))
    except TextRefused as refused:
        return refuse(refused.key, **refused.values)
    if column in NAME_COLUMNS:
        lookalike = name_problem(value)
        if lookalike is not None:
            return refuse(lookalike[0], scripts=lookalike[1])
        return " ".join(value.split())
    if column == "institution_type":
        kind = fold(value)
        if kind not in {member.value for member in InstitutionType}:
            return refuse("ingest.institution_type", types=", ".join(member.value for member in InstitutionType))
        return kind
    if column == "status":
        status = fold(value)
        if status not in {member.value for member in EntryStatus}:
            return refuse("ingest.entry_status", statuses=", ".join(member.value for member in EntryStatus))
        return status
    return value


def name_problem(value: str) -> tuple[str, str] | None:
    """(catalogue key, alphabets) when a name could pass for another one on screen, else None."""
    scripts = {unicodedata.name(c, "?").split()[0] for c in value if unicodedata.category(c) in SCRIPT_LETTERS}
    if len(scripts) > 1:
        return "ingest.mixed_scripts", ", ".join(sorted(scripts))
    if scripts and scripts != {"LATIN"} and all(c in LATIN_LOOKALIKES for c in value if c.isalpha()):
        return "ingest.lookalike_letters", ", ".join(scripts)
    return None


def _check_keys(sheet: str, records: list[Record], problems: list[ImportProblem]) -> None:
    """Refuse a key given twice (scores: only when the two values differ)."""
    first: dict[tuple[str, ...], Record] = {}
    for record in records:
        key = tuple(fold(str(record.values[column])) for column in KEYS[sheet])
        earlier = first.setdefault(key, record)
        if earlier is record:
            continue
        if sheet != "scores":
            shown = ", ".join(str(record.values[column]) for column in KEYS[sheet])
            problems.append(
                ImportProblem(
                    "ingest.duplicate_key",
                    sheet,
                    record.row,
                    KEYS[sheet][-1],
                    {"value": shown, "first": earlier.row},
                )
            )
        elif None not in (earlier.values["score"], record.values["score"]) and (
            earlier.values["score"] != record.values["score"]
        ):
            problems.append(
                ImportProblem(
                    "ingest.score_conflict",
                    sheet,
                    record.row,
                    "score",
                    {
                        "code": record.values["code"],
                        "juror": record.values["juror"],
                        "criterion": record.values["criterion"],
                        "value": record.values["score"],
                        "first_value": earlier.values["score"],
                        "first": earlier.row,
                    },
                )
            )


def _check_institutions(records: list[Record], problems: list[ImportProblem]) -> None:
    """One institution, one type: refuse rows that give the same unit two different types."""
    first: dict[str, Record] = {}
    for record in records:
        earlier = first.setdefault(fold(record.values["institution"]), record)
        if earlier.values["institution_type"] != record.values["institution_type"]:
            problems.append(
                ImportProblem(
                    "ingest.institution_conflict",
                    "entries",
                    record.row,
                    "institution_type",
                    {
                        "institution": record.values["institution"],
                        "value": record.values["institution_type"],
                        "other": earlier.values["institution_type"],
                        "first": earlier.row,
                    },
                )
            )


def _check_scores(sheets: dict[str, list[Record]], problems: list[ImportProblem]) -> None:
    """Every score row needs a score or a comment, and a score within the file's maximum."""
    maxima = {fold(r.values["criterion"]): r.values["max_score"] for r in sheets["criteria"]}
    for record in sheets["scores"]:
        value = record.values["score"]
        if value is None:
            if not record.values.get("comment"):
                problems.append(ImportProblem("ingest.required", "scores", record.row, "score", {"value": ""}))
            continue
        maximum = maxima.get(fold(record.values["criterion"]))  # criteria only in the database: checked later
        if maximum is not None and score_refusal(value, maximum):
            problems.append(out_of_range(record, maximum))


def out_of_range(record: Record, maximum: float) -> ImportProblem:
    """The problem of a score outside 0..maximum."""
    return ImportProblem(
        "ingest.score_range",
        "scores",
        record.row,
        "score",
        {"value": record.values["score"], "max": maximum, "criterion": record.values["criterion"]},
    )


def parse(book: RawBook) -> DataSet:
    """Check every value of a read file; raises ImportRefused with all problems found."""
    problems = list(book.problems)
    sheets: dict[str, list[Record]] = {}
    for name, rows in book.sheets.items():
        records = []
        for raw in rows:
            before = len(problems)
            values = {column: _cell(name, column, value, raw.number, problems) for column, value in raw.cells.items()}
            if len(problems) == before:
                records.append(Record(raw.number, values))
        sheets[name] = records
        _check_keys(name, records, problems)
    if set(NEEDED_SHEETS) <= set(sheets):
        _check_institutions(sheets["entries"], problems)
        _check_scores(sheets, problems)
        if not problems and not any(book.sheets.values()):
            problems.append(ImportProblem("ingest.no_data", values={"name": book.source}))
    if problems:
        raise ImportRefused(problems)
    return DataSet(book.source, sheets)


def load_path(path: Path) -> DataSet:
    """Read and check a workbook, .zip or CSV folder (raises ImportRefused)."""
    return parse(read_path(path))


def load_files(files: Sequence[tuple[str, bytes]]) -> DataSet:
    """Read and check uploaded files (raises ImportRefused)."""
    return parse(read_files(files))
