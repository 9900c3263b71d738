"""Import and export of competition data: the organizers' workbook or a folder of CSV files.

The interchange format (shared/design.md, "Interchange format") is one ``.xlsx`` workbook with
the sheets ``criteria``, ``jurors``, ``entries`` and ``scores`` — or a folder (or ``.zip``)
with the four CSV files of those names.  The same format is read, written by the export and
handed out as an empty template.

Reading
    Sheet, file and column names match case- and space-insensitively ("Max Score" is
    ``max_score``); so do juror, criterion, institution names and entry codes (" Juri  Dua "
    is "juri dua").  Columns the format does not know (a "No" column, say) are ignored.
    CSV text is UTF-8, with or without the BOM Excel writes; a header line with more
    semicolons than commas is read as the semicolon-separated CSV that Indonesian Excel saves.
    Decimal commas ("85,5") are read.  Numbers keep the precision a spreadsheet gives them
    (Excel keeps 15 significant digits; the workbook is written with 16).  Nothing in a file
    is ever evaluated: a workbook cell holding a formula, and a CSV cell starting with ``=``,
    are refused with a message that says to type the value itself; NaN, infinity and
    absurdly large numbers are refused.

Writing safely
    Text starting with ``=``, ``+``, ``-`` or ``@`` is written to a workbook as a text cell
    with Excel's quote prefix, so a spreadsheet shows it as text and never runs it.  In CSV a
    text value starting with one of those characters or with an apostrophe gets one leading
    apostrophe, and the reader removes one leading apostrophe from every CSV cell: so
    "=A1", "-5 %" and "'Tis" all come back exactly as they went out.

Feedback (masukan)
    The ``comment`` of a score row is the juror's feedback on that entry (one text per entry
    and juror).  Several different comments of one entry and juror are joined with line
    breaks, in row order; an empty comment leaves stored feedback as it is.  The export
    writes the feedback on the row of the edition's first criterion that the juror scored
    for the entry, or — when the juror gave feedback but no score — on a row of the first
    criterion with an empty score (such a row is read back as feedback only).

Importing
    All or nothing, in one transaction: rows whose key exists are updated, new rows added,
    nothing deleted.  Every problem is collected first (sheet, row number as Excel shows it
    with the header in row 1, column, and a message in the user's language); if there is
    any, nothing is written.  Locked and published editions refuse imports.  Writes use the
    database's own upsert (``INSERT … ON CONFLICT``); on SQLite the write session holds the
    write lock from the start (BEGIN IMMEDIATE) and on PostgreSQL imports take a
    transaction-scoped advisory lock, so several imports into one edition at the same time
    queue up and all land, with exact counts and audit records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.engine import Connection

from kipp import audit, db
from kipp.i18n import DEFAULT_LANGUAGE, NotANumber, format_number, parse_number, translate
from kipp.models import (
    Criterion,
    Edition,
    EditionStatus,
    Entry,
    Feedback,
    Institution,
    InstitutionType,
    Juror,
    PanelMember,
    Recusal,
    Role,
    Score,
    utcnow,
)


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the format: its required columns, then its optional ones."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """All columns, in the order the export writes them."""
        return self.required + self.optional


SHEETS: dict[str, SheetSpec] = {
    spec.name: spec
    for spec in (
        SheetSpec("criteria", ("criterion", "weight", "max_score"), ("description",)),
        SheetSpec("jurors", ("juror",), ("affiliation",)),
        SheetSpec(
            "entries",
            ("code", "title", "institution", "institution_type"),
            ("category", "day", "room", "slot", "summary"),
        ),
        SheetSpec("scores", ("code", "juror", "criterion", "score"), ("comment",)),
    )
}
# The key of each sheet's rows.
KEYS: dict[str, tuple[str, ...]] = {
    "criteria": ("criterion",),
    "jurors": ("juror",),
    "entries": ("code",),
    "scores": ("code", "juror", "criterion"),
}
NAME_COLUMNS = frozenset({"criterion", "juror", "code", "institution"})
NUMBER_COLUMNS = frozenset({"weight", "max_score", "score"})
WHOLE_COLUMNS = frozenset({"day", "slot"})
MAX_NUMBER = 1_000_000.0  # a weight or maximum above this is a typing error, not a rule
MAX_WHOLE = 9_999  # presentation day and slot numbers
MAX_TEXT = 32_767  # the most characters an Excel cell holds
FORMULA_PREFIXES = ("=", "+", "-", "@")
CSV_ESCAPE = "'"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INGEST_LOCK_KEY = 0x4B495050  # "KIPP": the PostgreSQL advisory lock every import takes
LOCKED_STATUSES = {EditionStatus.locked.value, EditionStatus.published.value}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Tables = dict[str, list[dict[str, Any]]]


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file was refused: where (sheet, Excel row number, column) and what (catalogue key)."""

    key: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """What is wrong and what to do, in the user's language."""
        return translate(self.key, lang, **{k: _format(v, lang) for k, v in self.values.items()})

    def line(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The problem as one line: "sheet scores, row 7, column score: …"."""
        where = []
        if self.sheet:
            where.append(translate("ingest.at.sheet", lang, sheet=self.sheet))
        if self.row:
            where.append(translate("ingest.at.row", lang, row=self.row))
        if self.column:
            where.append(translate("ingest.at.column", lang, column=self.column))
        return f"{', '.join(where)}: {self.message(lang)}" if where else self.message(lang)


def _format(value: Any, lang: str) -> Any:
    """Numbers in a message as the language writes them (85,5 in Bahasa Indonesia), with the decimals they need."""
    if isinstance(value, float):
        return format_number(value, lang, next((d for d in range(4) if round(value, d) == value), 4))
    return value


class ImportRefused(Exception):
    """A file that was refused as a whole; nothing was written. Carries every problem found."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        super().__init__("\n".join(problem.line("en") for problem in problems))
        self.problems = list(problems)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula: never evaluated, always refused."""

    text: str


@dataclass(frozen=True)
class RawRow:
    """A data row as read: its row number as a spreadsheet shows it, and its cells by column."""

    number: int
    cells: dict[str, Any]


@dataclass
class RawBook:
    """What was read from a workbook or CSV files, before the values are checked."""

    source: str
    sheets: dict[str, list[RawRow]] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)


def fold(value: str) -> str:
    """The matching form of a name or code: spaces collapsed, case ignored."""
    return " ".join(value.split()).casefold()


def _header(value: Any) -> str:
    """The matching form of a column header ("Max Score" -> "max_score")."""
    if value is None or isinstance(value, Formula):
        return ""
    return "_".join(str(value).split()).casefold()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows_of_sheet(name: str, rows: Iterable[tuple[int, Sequence[Any]]], book: RawBook) -> None:
    """Find the header (first non-empty row), map its columns, and keep the non-empty rows."""
    spec = SHEETS[name]
    positions: dict[str, int] | None = None
    data: list[RawRow] = []
    for number, values in rows:
        if all(_blank(value) for value in values):
            continue
        if positions is None:
            positions = {}
            for index, value in enumerate(values):
                column = _header(value)
                if column in positions:
                    book.problems.append(ImportProblem("ingest.duplicate_column", name, number, column))
                elif column in spec.columns:
                    positions[column] = index
            for column in spec.required:
                if column not in positions:
                    book.problems.append(
                        ImportProblem("ingest.missing_column", name, number, column, {"column": column})
                    )
            continue
        cells = {column: values[index] if index < len(values) else None for column, index in positions.items()}
        data.append(RawRow(number, cells))
    if positions is None:
        book.problems.append(ImportProblem("ingest.no_header", name, values={"columns": ", ".join(spec.required)}))
    book.sheets[name] = data


def _xlsx_value(cell: Any) -> Any:
    return Formula(str(cell.value)) if cell.data_type == "f" else cell.value


def _read_xlsx(data: bytes, book: RawBook) -> None:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error for damaged or foreign files
        book.problems.append(ImportProblem("ingest.not_a_workbook", values={"name": book.source}))
        return
    try:
        worksheets = {fold(sheet.title): sheet for sheet in workbook.worksheets}
        for name in SHEETS:
            sheet = worksheets.get(name)
            if sheet is None:
                book.problems.append(ImportProblem("ingest.missing_sheet", name, values={"sheet": name}))
                continue
            rows = (
                (number, [_xlsx_value(cell) for cell in row])
                for number, row in enumerate(sheet.iter_rows(min_row=1), start=1)
            )
            _rows_of_sheet(name, rows, book)
    except Exception:  # a damaged sheet inside a readable package
        book.problems.append(ImportProblem("ingest.not_a_workbook", values={"name": book.source}))
    finally:
        workbook.close()


def _csv_value(value: str) -> Any:
    if value == "":
        return None
    if value.startswith(CSV_ESCAPE):
        return value[1:]
    if value.lstrip().startswith("="):
        return Formula(value)
    return value


def _read_csv(name: str, data: bytes, book: RawBook) -> None:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        book.problems.append(ImportProblem("ingest.not_utf8", name))
        return
    first_line = content.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    except csv.Error as error:
        book.problems.append(ImportProblem("ingest.csv_unreadable", name, values={"detail": str(error)}))
        return
    rows = ((number, [_csv_value(value) for value in record]) for number, record in enumerate(records, start=1))
    _rows_of_sheet(name, rows, book)


def _read_csv_files(files: Mapping[str, bytes], book: RawBook) -> None:
    """Read the four CSV files from {file name: content}; names match case-insensitively."""
    by_sheet = {fold(Path(name).stem): data for name, data in files.items() if name.lower().endswith(".csv")}
    for name in SHEETS:
        if name in by_sheet:
            _read_csv(name, by_sheet[name], book)
        else:
            book.problems.append(ImportProblem("ingest.missing_csv", name, values={"file": f"{name}.csv"}))


def read_files(files: Sequence[tuple[str, bytes]]) -> RawBook:
    """Read an upload: one .xlsx workbook, one .zip of CSV files, or the CSV files themselves."""
    book = RawBook(source=", ".join(name for name, _ in files) or "-")
    if not files or any(len(data) == 0 for _, data in files):
        book.problems.append(ImportProblem("ingest.file_empty", values={"name": book.source}))
        return book
    suffixes = {Path(name).suffix.lower() for name, _ in files}
    if len(files) == 1 and suffixes == {".xlsx"}:
        _read_xlsx(files[0][1], book)
    elif len(files) == 1 and suffixes == {".zip"}:
        try:
            with zipfile.ZipFile(io.BytesIO(files[0][1])) as archive:
                members = {
                    Path(info.filename).name: archive.read(info)
                    for info in archive.infolist()
                    if not info.is_dir() and not info.filename.startswith("__MACOSX")
                }
        except zipfile.BadZipFile:
            book.problems.append(ImportProblem("ingest.not_a_zip", values={"name": book.source}))
            return book
        _read_csv_files(members, book)
    elif suffixes == {".csv"}:
        _read_csv_files(dict(files), book)
    elif suffixes & {".xls", ".xlsb", ".ods"}:
        book.problems.append(ImportProblem("ingest.old_format", values={"name": book.source}))
    else:
        book.problems.append(ImportProblem("ingest.file_type", values={"name": book.source}))
    return book


def read_path(path: Path) -> RawBook:
    """Read a workbook, a .zip of CSV files, or a folder holding the four CSV files."""
    if not path.exists():
        return RawBook(str(path), problems=[ImportProblem("ingest.not_found", values={"name": str(path)})])
    if path.is_dir():
        book = RawBook(path.name)
        _read_csv_files({p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}, book)
        return book
    return read_files([(path.name, path.read_bytes())])


# --------------------------------------------------------------------------- checking values


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
    return shown if len(shown) <= 60 else f"{shown[:57]}…"


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
    if _blank(raw):
        required = column in SHEETS[sheet].required and column != "score"  # a score row may carry only a comment
        return refuse("ingest.required") if required else None
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
    value = _as_text(raw)
    if CONTROL_CHARACTERS.search(value):
        return refuse("ingest.control_characters")
    if len(value) > MAX_TEXT:
        return refuse("ingest.too_long", max=MAX_TEXT)
    if column in NAME_COLUMNS:
        return " ".join(value.split())
    if column == "institution_type":
        kind = fold(value)
        if kind not in {member.value for member in InstitutionType}:
            return refuse("ingest.institution_type", types=", ".join(member.value for member in InstitutionType))
        return kind
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _check_keys(sheet: str, records: list[Record], problems: list[ImportProblem]) -> None:
    """Refuse a key given twice (scores: only when the two values differ)."""
    first: dict[tuple[str, ...], Record] = {}
    for record in records:
        key = tuple(fold(record.values[column]) for column in KEYS[sheet])
        earlier = first.setdefault(key, record)
        if earlier is record:
            continue
        if sheet != "scores":
            column = KEYS[sheet][0]
            problems.append(
                ImportProblem(
                    "ingest.duplicate_key", sheet, record.row, column,
                    {"value": record.values[column], "first": earlier.row},
                )
            )  # fmt: skip
        elif None not in (earlier.values["score"], record.values["score"]) and (
            earlier.values["score"] != record.values["score"]
        ):
            problems.append(
                ImportProblem(
                    "ingest.score_conflict", sheet, record.row, "score",
                    {"code": record.values["code"], "juror": record.values["juror"],
                     "criterion": record.values["criterion"], "value": record.values["score"],
                     "first_value": earlier.values["score"], "first": earlier.row},
                )
            )  # fmt: skip


def _check_institutions(records: list[Record], problems: list[ImportProblem]) -> None:
    """One institution, one type: refuse rows that give the same unit two different types."""
    first: dict[str, Record] = {}
    for record in records:
        earlier = first.setdefault(fold(record.values["institution"]), record)
        if earlier.values["institution_type"] != record.values["institution_type"]:
            problems.append(
                ImportProblem(
                    "ingest.institution_conflict", "entries", record.row, "institution_type",
                    {"institution": record.values["institution"], "value": record.values["institution_type"],
                     "other": earlier.values["institution_type"], "first": earlier.row},
                )
            )  # fmt: skip


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
        if maximum is not None and not 0 <= value <= maximum:
            problems.append(_out_of_range(record, maximum))


def _out_of_range(record: Record, maximum: float) -> ImportProblem:
    return ImportProblem(
        "ingest.score_range", "scores", record.row, "score",
        {"value": record.values["score"], "max": maximum,
         "criterion": record.values["criterion"]},
    )  # fmt: skip


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
    if set(sheets) == set(SHEETS):
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


# --------------------------------------------------------------------------- planning an import


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
class _Write:
    """One row to insert or update: its natural key, the full row, and the audit's old/new."""

    key: str
    values: dict[str, Any]
    old: dict[str, Any] | None
    new: dict[str, Any]


@dataclass
class _Plan:
    edition_id: int | None
    writes: dict[str, list[_Write]]
    changes: list[SheetChange]
    panel_seats: dict[str, int]  # folded juror name -> seat, for jurors new to the panel


def _by_fold(rows: Iterable[Any], column: int = 0) -> dict[str, Any]:
    """Rows keyed by the folded text of one column (the first row wins)."""
    result: dict[str, Any] = {}
    for row in rows:
        result.setdefault(fold(row[column]), row)
    return result


def _diff(key: str, values: dict[str, Any], stored: Mapping[str, Any] | None, compare: Iterable[str]) -> _Write | None:
    """A write for a row: new when nothing is stored, an update when a compared field differs, else None."""
    if stored is None:
        return _Write(key, values, None, {c: values[c] for c in compare})
    changed = [c for c in compare if stored[c] != values[c]]
    if not changed:
        return None
    return _Write(key, values, {c: stored[c] for c in changed}, {c: values[c] for c in changed})


def _count(sheet: str, writes: list[_Write], total: int) -> SheetChange:
    new = sum(1 for write in writes if write.old is None)
    return SheetChange(sheet, new, len(writes) - new, total - len(writes))


def _plan(connection: Connection, data: DataSet, year: int, *, for_update: bool) -> tuple[_Plan, list[ImportProblem]]:
    """Compare the file with what the database holds: the rows to write, the counts, the problems."""
    problems: list[ImportProblem] = []
    statement = select(Edition.id, Edition.status).where(Edition.year == year)
    edition = connection.execute(statement.with_for_update() if for_update else statement).first()
    if edition is not None and edition.status in LOCKED_STATUSES:
        problems.append(ImportProblem(f"ingest.edition_{edition.status}", values={"year": year}))
    edition_id = edition.id if edition is not None else -1

    unit_rows = connection.execute(
        select(Institution.name, Institution.id, Institution.type).order_by(Institution.id)
    ).all()
    institutions = _by_fold(unit_rows)
    institution_names = {row.id: row.name for row in unit_rows}
    jurors = _by_fold(connection.execute(select(Juror.name, Juror.id, Juror.affiliation).order_by(Juror.id)))
    panel = {
        juror_id: seat
        for juror_id, seat in connection.execute(
            select(PanelMember.juror_id, PanelMember.seat).where(PanelMember.edition_id == edition_id)
        )
    }
    criteria = _by_fold(
        connection.execute(
            select(
                Criterion.name, Criterion.id, Criterion.weight, Criterion.max_score, Criterion.position,
                Criterion.description,
            ).where(Criterion.edition_id == edition_id).order_by(Criterion.id)
        )
    )  # fmt: skip
    entries = _by_fold(
        connection.execute(
            select(
                Entry.code, Entry.id, Entry.title, Entry.institution_id, Entry.category, Entry.day, Entry.room,
                Entry.slot, Entry.summary,
            ).where(Entry.edition_id == edition_id).order_by(Entry.id)
        )
    )  # fmt: skip
    scores = {
        (row.entry_id, row.juror_id, row.criterion_id): row.value
        for row in connection.execute(
            select(Score.entry_id, Score.juror_id, Score.criterion_id, Score.value).where(
                Score.edition_id == edition_id
            )
        )
    }
    feedback = dict(
        ((row.entry_id, row.juror_id), row.text)
        for row in connection.execute(
            select(Feedback.entry_id, Feedback.juror_id, Feedback.text).where(Feedback.edition_id == edition_id)
        )
    )
    recusals = set(
        connection.execute(select(Recusal.entry_id, Recusal.juror_id).where(Recusal.edition_id == edition_id)).all()
    )
    writes: dict[str, list[_Write]] = {}
    changes: list[SheetChange] = []

    # criteria (position = row order)
    highest: dict[int, float] = {}
    for (_, _, criterion_id), value in scores.items():
        highest[criterion_id] = max(value, highest.get(criterion_id, 0.0))
    criterion_writes = []
    for position, record in enumerate(data.sheets["criteria"]):
        stored = criteria.get(fold(record.values["criterion"]))
        name = stored.name if stored is not None else record.values["criterion"]
        values = {"name": name, "position": position, **{c: v for c, v in record.values.items() if c != "criterion"}}
        compare = [c for c in values if c != "name"]
        old = stored._asdict() if stored is not None else None
        if stored is not None and highest.get(stored.id, 0.0) > values["max_score"]:
            problems.append(
                ImportProblem(
                    "ingest.max_below_scores", "criteria", record.row, "max_score",
                    {"value": values["max_score"], "highest": highest[stored.id]},
                )
            )  # fmt: skip
        write = _diff(name, values, old, compare)
        if write is not None:
            criterion_writes.append(write)
    writes["criteria"] = criterion_writes
    changes.append(_count("criteria", criterion_writes, data.count("criteria")))

    # jurors: "new" means new to this edition's panel; the juror record itself may exist already
    juror_writes, panel_seats, updated = [], {}, 0
    next_seat = max(panel.values(), default=0) + 1
    for record in data.sheets["jurors"]:
        key = fold(record.values["juror"])
        stored = jurors.get(key)
        name = stored.name if stored is not None else record.values["juror"]
        values = {"name": name, **{c: v for c, v in record.values.items() if c != "juror"}}
        write = _diff(
            name, values, stored._asdict() if stored is not None else None, [c for c in values if c != "name"]
        )
        if write is not None:
            juror_writes.append(write)
        if stored is None or stored.id not in panel:
            panel_seats[key] = next_seat
            next_seat += 1
        elif write is not None:
            updated += 1
    writes["jurors"] = juror_writes
    new = len(panel_seats)
    changes.append(SheetChange("jurors", new, updated, data.count("jurors") - new - updated))

    # institutions (named in entries) and entries
    institution_writes: dict[str, _Write] = {}
    entry_writes = []
    for record in data.sheets["entries"]:
        unit_key = fold(record.values["institution"])
        unit = institutions.get(unit_key)
        unit_name = unit.name if unit is not None else record.values["institution"]
        if unit_key not in institution_writes:
            unit_values = {"name": unit_name, "type": record.values["institution_type"]}
            write = _diff(unit_name, unit_values, unit._asdict() if unit is not None else None, ["type"])
            if write is not None:
                institution_writes[unit_key] = write
        stored = entries.get(fold(record.values["code"]))
        code = stored.code if stored is not None else record.values["code"]
        values = {
            "code": code,
            "institution": unit_name,
            **{c: v for c, v in record.values.items() if c not in ("code", "institution", "institution_type")},
        }
        old = None
        if stored is not None:
            old = {**stored._asdict(), "institution": institution_names.get(stored.institution_id)}
        write = _diff(code, values, old, [c for c in values if c != "code"])
        if write is not None:
            entry_writes.append(write)
    writes["institutions"] = list(institution_writes.values())
    n_units = len({fold(r.values["institution"]) for r in data.sheets["entries"]})
    changes.append(_count("institutions", writes["institutions"], n_units))
    writes["entries"] = entry_writes
    changes.append(_count("entries", entry_writes, data.count("entries")))

    # scores and feedback: references resolved against the file and the edition
    entry_keys = {fold(r.values["code"]) for r in data.sheets["entries"]} | set(entries)
    panel_names = {fold(row.name) for row in jurors.values() if row.id in panel}
    juror_keys = {fold(r.values["juror"]) for r in data.sheets["jurors"]} | panel_names
    maxima = {key: row.max_score for key, row in criteria.items()}
    maxima.update({fold(r.values["criterion"]): r.values["max_score"] for r in data.sheets["criteria"]})
    score_writes, comments, seen = [], {}, set()
    for record in data.sheets["scores"]:
        code, juror, criterion = (fold(record.values[c]) for c in ("code", "juror", "criterion"))
        known = True
        for column, key, keys, sheet in (
            ("code", code, entry_keys, "entries"),
            ("juror", juror, juror_keys, "jurors"),
            ("criterion", criterion, maxima, "criteria"),
        ):
            if key not in keys:
                known = False
                problems.append(
                    ImportProblem(
                        f"ingest.unknown_{column}", "scores", record.row, column,
                        {"value": record.values[column], "sheet": sheet, "year": year},
                    )
                )  # fmt: skip
        if not known:
            continue
        entry, juror_row, stored_criterion = entries.get(code), jurors.get(juror), criteria.get(criterion)
        entry_id = entry.id if entry is not None else None
        juror_id = juror_row.id if juror_row is not None else None
        if (entry_id, juror_id) in recusals:
            problems.append(
                ImportProblem(
                    "ingest.recused", "scores", record.row, "juror",
                    {"juror": record.values["juror"], "code": record.values["code"]},
                )
            )  # fmt: skip
            continue
        if record.values.get("comment"):
            texts = comments.setdefault((code, juror), [])
            if record.values["comment"] not in texts:
                texts.append(record.values["comment"])
        value = record.values["score"]
        if value is None:
            continue
        if not 0 <= value <= maxima[criterion]:
            problems.append(_out_of_range(record, maxima[criterion]))
            continue
        if (code, juror, criterion) in seen:
            continue  # the same score twice with the same value (different values were refused)
        seen.add((code, juror, criterion))
        criterion_id = stored_criterion.id if stored_criterion is not None else None
        old_value = scores.get((entry_id, juror_id, criterion_id))
        if old_value == value:
            continue
        score_writes.append(
            _Write(
                f"{record.values['code']}/{record.values['juror']}",
                {
                    "code": code,
                    "juror": juror,
                    "criterion": criterion,
                    "value": value,
                    "criterion_name": record.values["criterion"],
                },
                None if old_value is None else {"value": old_value},
                {"value": value},
            )
        )
    writes["scores"] = score_writes
    changes.append(_count("scores", score_writes, len(seen)))

    feedback_writes = []
    for (code, juror), texts in comments.items():
        entry, juror_row = entries.get(code), jurors.get(juror)
        stored_text = feedback.get((entry.id if entry else None, juror_row.id if juror_row else None))
        joined = "\n".join(texts)
        write = _diff(f"{code}/{juror}", {"code": code, "juror": juror, "text": joined},
                      None if stored_text is None else {"text": stored_text}, ["text"])  # fmt: skip
        if write is not None:
            feedback_writes.append(write)
    writes["feedback"] = feedback_writes
    changes.append(_count("feedback", feedback_writes, len(comments)))
    return _Plan(None if edition is None else edition.id, writes, changes, panel_seats), problems


# --------------------------------------------------------------------------- writing an import


def _insert(connection: Connection) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _upsert(
    connection: Connection,
    model: type,
    rows: list[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE (every other column, or ``update``), for many rows at once."""
    if not rows:
        return
    statement = _insert(connection)(model)
    columns = [c for c in rows[0] if c not in keys] if update is None else list(update)
    if columns:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={c: statement.excluded[c] for c in columns}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    connection.execute(statement, rows)


def _ensure_edition(connection: Connection, year: int, name: str | None) -> bool:
    """Create the edition if it does not exist (race-free); True when it was created."""
    values = Edition(year=year, name=name or f"KIPP Kota Malang {year}").model_dump(exclude={"id"})
    statement = _insert(connection)(Edition).values(**values).on_conflict_do_nothing(index_elements=["year"])
    return connection.execute(statement.returning(Edition.id)).first() is not None


def _ids(connection: Connection, statement: Any) -> dict[str, Any]:
    """Folded name -> row, the first (lowest id) winning, as in planning."""
    return _by_fold(connection.execute(statement))


def _audit_writes(actor: audit.Actor, edition_id: int, entity: str, writes: list[_Write]) -> list[dict[str, Any]]:
    """Audit rows for created or updated rows of one kind."""
    return [
        audit.audit_record(actor=actor, action=f"{entity}.create" if w.old is None else f"{entity}.update",
                              entity=entity, entity_key=w.key, edition_id=edition_id, old=w.old, new=w.new)
        for w in writes
    ]  # fmt: skip


def _apply(session: Any, plan: _Plan, edition_id: int, actor: audit.Actor) -> None:
    """Write a checked plan with bulk upserts, then its audit records."""
    connection = session.connection()
    now = utcnow()
    writes = plan.writes
    _upsert(connection, Institution, [w.values for w in writes["institutions"]], ["name"])
    units = _ids(connection, select(Institution.name, Institution.id).order_by(Institution.id))
    _upsert(connection, Juror, [w.values for w in writes["jurors"]], ["name"])
    jurors = _ids(connection, select(Juror.name, Juror.id).order_by(Juror.id))
    panel_rows = [
        {"edition_id": edition_id, "juror_id": jurors[key].id, "seat": seat} for key, seat in plan.panel_seats.items()
    ]
    _upsert(connection, PanelMember, panel_rows, ["edition_id", "juror_id"], update=())
    _upsert(connection, Criterion, [{**w.values, "edition_id": edition_id} for w in writes["criteria"]],
            ["edition_id", "name"])  # fmt: skip
    criteria = _ids(
        connection,
        select(Criterion.name, Criterion.id, Criterion.max_score)
        .where(Criterion.edition_id == edition_id)
        .order_by(Criterion.id),
    )
    entry_rows = [
        {**{c: v for c, v in w.values.items() if c != "institution"}, "edition_id": edition_id,
         "institution_id": units[fold(w.values["institution"])].id}
        for w in writes["entries"]
    ]  # fmt: skip
    _upsert(connection, Entry, entry_rows, ["edition_id", "code"])
    entries = _ids(connection, select(Entry.code, Entry.id).where(Entry.edition_id == edition_id).order_by(Entry.id))
    score_rows = [
        {"edition_id": edition_id, "entry_id": entries[w.values["code"]].id, "juror_id": jurors[w.values["juror"]].id,
         "criterion_id": criteria[w.values["criterion"]].id, "max_score": criteria[w.values["criterion"]].max_score,
         "value": w.values["value"], "entered_by": actor.username, "created_at": now, "updated_at": now}
        for w in writes["scores"]
    ]  # fmt: skip
    _upsert(connection, Score, score_rows, ["entry_id", "juror_id", "criterion_id"],
            update=("value", "max_score", "entered_by", "updated_at"))  # fmt: skip
    feedback_rows = [
        {"edition_id": edition_id, "entry_id": entries[w.values["code"]].id, "juror_id": jurors[w.values["juror"]].id,
         "text": w.values["text"], "updated_at": now}
        for w in writes["feedback"]
    ]  # fmt: skip
    _upsert(connection, Feedback, feedback_rows, ["entry_id", "juror_id"], update=("text", "updated_at"))

    records: list[dict[str, Any]] = []
    for entity, table in (("institution", "institutions"), ("juror", "jurors"), ("criterion", "criteria"),
                          ("entry", "entries"), ("feedback", "feedback")):  # fmt: skip
        records += _audit_writes(actor, edition_id, entity, writes[table])
    for key, seat in plan.panel_seats.items():
        records.append(audit.audit_record(actor=actor, action="panel.add", entity="panel_member", entity_key=key,
                                             edition_id=edition_id, new={"seat": seat}))  # fmt: skip
    sheets: dict[tuple[str, str], list[_Write]] = {}
    for write in writes["scores"]:
        sheets.setdefault((write.values["code"], write.values["juror"]), []).append(write)
    for group in sheets.values():
        old = {w.values["criterion_name"]: w.old["value"] for w in group if w.old is not None}
        records.append(audit.audit_record(
            actor=actor, action="score.import", entity="score_sheet", entity_key=group[0].key,
            edition_id=edition_id, old=old or None, new={w.values["criterion_name"]: w.values["value"] for w in group},
        ))  # fmt: skip
    audit.write_audit(session, records)


def _summary(data: DataSet, year: int, created: bool, plan: _Plan) -> ImportSummary:
    return ImportSummary(data.source, year, created, tuple(plan.changes))


def preview(engine: Engine, data: DataSet, year: int) -> ImportSummary:
    """What importing ``data`` into edition ``year`` would change; raises ImportRefused as the import would."""
    with db.read_session(engine) as session:
        plan, problems = _plan(session.connection(), data, year, for_update=False)
    if problems:
        raise ImportRefused(problems)
    return _summary(data, year, plan.edition_id is None, plan)


def import_dataset(
    engine: Engine, data: DataSet, year: int, *, name: str | None = None, actor: str | None = None
) -> ImportSummary:
    """Import a checked file into edition ``year`` (created if missing), all or nothing.

    Raises ImportRefused with every problem found against the database (locked edition,
    unknown references, scores above a maximum …); nothing is written then.
    """
    who = audit.Actor(actor or f"import:{data.source}", Role.organizer.value)
    with db.write_session(engine) as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            # Imports queue up on PostgreSQL as they do on SQLite (BEGIN IMMEDIATE): exact counts and audit.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK_KEY})
        created = _ensure_edition(connection, year, name)
        plan, problems = _plan(connection, data, year, for_update=True)
        if problems:
            raise ImportRefused(problems)
        edition_id = connection.execute(select(Edition.id).where(Edition.year == year)).scalar_one()
        _apply(session, plan, edition_id, who)
        summary = _summary(data, year, created, plan)
        if created or any(change.new or change.updated for change in summary.changes):
            audit.audit(session, actor=who, action="import", entity="edition", entity_key=str(year),
                           edition_id=edition_id, reason=data.source,
                           new={c.sheet: {"new": c.new, "updated": c.updated} for c in summary.changes})  # fmt: skip
            audit.bump_data_version(session, edition_id)
    return summary


# --------------------------------------------------------------------------- export


def export_tables(engine: Engine, year: int) -> Tables:
    """An edition as the four sheets of the format (rows in a stable order)."""
    with engine.connect() as connection:
        edition_id = connection.execute(select(Edition.id).where(Edition.year == year)).scalar()
        if edition_id is None:
            from kipp.queries import EditionNotFound  # imported here: it brings pandas, which exports do not need

            raise EditionNotFound(year)
        criteria = connection.execute(
            select(Criterion.id, Criterion.name, Criterion.weight, Criterion.max_score, Criterion.description)
            .where(Criterion.edition_id == edition_id)
            .order_by(Criterion.position, Criterion.id)
        ).all()
        panel = connection.execute(
            select(Juror.id, Juror.name, Juror.affiliation)
            .join(PanelMember, PanelMember.juror_id == Juror.id)
            .where(PanelMember.edition_id == edition_id)
            .order_by(PanelMember.seat, Juror.name)
        ).all()
        entries = connection.execute(
            select(
                Entry.id, Entry.code, Entry.title, Institution.name, Institution.type, Entry.category, Entry.day,
                Entry.room, Entry.slot, Entry.summary,
            )
            .join(Institution, Institution.id == Entry.institution_id)
            .where(Entry.edition_id == edition_id)
        ).all()  # fmt: skip
        scores = connection.execute(
            select(Score.entry_id, Score.juror_id, Score.criterion_id, Score.value).where(
                Score.edition_id == edition_id
            )
        ).all()
        feedback = {
            (row.entry_id, row.juror_id): row.text
            for row in connection.execute(
                select(Feedback.entry_id, Feedback.juror_id, Feedback.text).where(Feedback.edition_id == edition_id)
            )
        }
    entries = sorted(entries, key=lambda row: row.code)
    criterion_order = {row.id: (index, row.name) for index, row in enumerate(criteria)}
    juror_order = {row.id: (index, row.name) for index, row in enumerate(panel)}
    entry_order = {row.id: (index, row.code) for index, row in enumerate(entries)}
    cells = sorted(
        ((entry_order[s.entry_id][0], juror_order[s.juror_id][0], criterion_order[s.criterion_id][0]), s.value)
        for s in scores
    )
    score_rows: list[tuple[tuple[int, int, int], float | None, str | None]] = []
    for index, (position, value) in enumerate(cells):
        first_of_sheet = index == 0 or cells[index - 1][0][:2] != position[:2]
        pair = (entries[position[0]].id, panel[position[1]].id)
        score_rows.append((position, value, feedback.pop(pair, None) if first_of_sheet else None))
    if criteria:  # feedback of a juror who gave no score for the entry: on a row of the first criterion
        for (entry_id, juror_id), comment in feedback.items():
            score_rows.append(((entry_order[entry_id][0], juror_order[juror_id][0], 0), None, comment))
    score_rows.sort(key=lambda row: row[0])
    return {
        "criteria": [
            {"criterion": r.name, "weight": r.weight, "max_score": r.max_score, "description": r.description}
            for r in criteria
        ],
        "jurors": [{"juror": r.name, "affiliation": r.affiliation} for r in panel],
        "entries": [
            {
                "code": r.code,
                "title": r.title,
                "institution": r.name,
                "institution_type": r.type,
                "category": r.category,
                "day": r.day,
                "room": r.room,
                "slot": r.slot,
                "summary": r.summary,
            }
            for r in entries
        ],
        "scores": [
            {
                "code": entries[e].code,
                "juror": panel[j].name,
                "criterion": criteria[c].name,
                "score": value,
                "comment": comment,
            }
            for (e, j, c), value, comment in score_rows
        ],
    }


def _plain_number(value: float | int) -> str:
    """A number as plain text that reads back exactly: 85, 85.5, 0.1."""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return CSV_ESCAPE + value if value.startswith((*FORMULA_PREFIXES, CSV_ESCAPE)) else value
    if isinstance(value, float):
        return _plain_number(value)
    return str(value)


def csv_bytes(sheet: str, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """One sheet as a CSV file (UTF-8 with BOM, so Excel opens it with the right characters)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = SHEETS[sheet].columns
    writer.writerow(columns)
    writer.writerows([_csv_text(row.get(column)) for column in columns] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def zip_bytes(tables: Tables) -> bytes:
    """The four CSV files in one .zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEETS:
            archive.writestr(f"{sheet}.csv", csv_bytes(sheet, tables.get(sheet, [])))
    return buffer.getvalue()


COLUMN_WIDTHS = {"title": 40, "institution": 28, "summary": 50, "description": 50, "comment": 50, "juror": 24}


def xlsx_bytes(tables: Tables) -> bytes:
    """The workbook: four sheets, a bold frozen header row, text that can never run as a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for name, spec in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS.get(column, 14)
        header = []
        for column in spec.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in tables.get(name, []):
            values: list[Any] = []
            for column in spec.columns:
                value = row.get(column)
                if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # text, never a formula
                    cell.quotePrefix = True  # and Excel shows and keeps it as text
                    value = cell
                values.append(value)
            sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_tables(tables: Tables, path: Path) -> str:
    """Write to ``path``: .xlsx workbook, .zip of CSV files, or a folder of CSV files. Returns the kind."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(xlsx_bytes(tables))
        return "xlsx"
    if suffix == ".zip":
        path.write_bytes(zip_bytes(tables))
        return "zip"
    if suffix and not path.is_dir():
        raise ValueError(translate("ingest.out_type", "en", name=str(path)))
    path.mkdir(parents=True, exist_ok=True)
    for sheet in SHEETS:
        (path / f"{sheet}.csv").write_bytes(csv_bytes(sheet, tables.get(sheet, [])))
    return "csv"


def template_bytes() -> bytes:
    """The empty template: the four sheets with their header rows."""
    return xlsx_bytes({})
