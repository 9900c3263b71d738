"""Reading an upload into raw tables: one workbook, a .zip of CSV files, the CSV files, or a folder.

Nothing here trusts the file.  A workbook is read with openpyxl's streaming (read-only) reader and
refused when a sheet declares or uses more than :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns
(a 12 KB workbook with one cell at XFD1048576 would otherwise be walked cell by cell).  A zip — the
CSV upload and the workbook package alike — is refused when a part unpacks to more than its size
limit or packs more than :data:`MAX_RATIO` times tighter than data does (a zip bomb); CSV members are
read in chunks and counted, so a header that lies about the size changes nothing.  Only the format's
CSV files are read from a zip (the four needed ones and the optional ``panels`` and ``assignments``);
two files for one sheet (in different folders, or differing only in case) are refused rather than one
silently winning.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kipp.cells import CSV_ESCAPE
from kipp.ingest.format import NEEDED_SHEETS, SHEETS, ImportProblem, fold

MAX_ROWS = 200_000  # rows of one sheet or CSV file, header included
MAX_COLUMNS = 100  # columns of one sheet or CSV file
MAX_CSV_BYTES = 32 * 1024 * 1024  # one CSV file, unpacked
MAX_PART_BYTES = 128 * 1024 * 1024  # one part of a workbook package, unpacked (a full 200,000-row sheet fits)
MAX_RATIO = 200  # unpacked / packed size of one zip member; data packs far less tightly
MAX_MEMBERS = 1_000  # files in one zip
CHUNK = 1024 * 1024


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


class _TooLarge(Exception):
    """A sheet or file beyond the size limits; the problem is already recorded."""


def _header(value: Any) -> str:
    """The matching form of a column header ("Max Score" -> "max_score")."""
    if value is None or isinstance(value, Formula):
        return ""
    return "_".join(str(value).split()).casefold()


def blank(value: Any) -> bool:
    """Whether a cell is empty (nothing, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _rows_of_sheet(name: str, rows: Iterable[tuple[int, Sequence[Any]]], book: RawBook) -> None:
    """Find the header (first non-empty row), map its columns, and keep the non-empty rows."""
    spec = SHEETS[name]
    positions: dict[str, int] | None = None
    data: list[RawRow] = []
    problems_before = len(book.problems)
    try:
        for number, values in rows:
            if all(blank(value) for value in values):
                continue
            if positions is None:
                positions = _positions(name, number, values, book)
                continue
            cells = {column: values[index] if index < len(values) else None for column, index in positions.items()}
            data.append(RawRow(number, cells))
    except _TooLarge:
        return
    if positions is None:
        book.problems.append(ImportProblem("ingest.no_header", name, values={"columns": ", ".join(spec.required)}))
    elif len(book.problems) == problems_before:  # a sheet whose header is wrong has no rows to check
        book.sheets[name] = data


def _positions(name: str, number: int, values: Sequence[Any], book: RawBook) -> dict[str, int]:
    """The header row's known columns by position; every duplicated or missing required column is a problem."""
    spec = SHEETS[name]
    positions: dict[str, int] = {}
    for index, value in enumerate(values):
        column = _header(value)
        if column in positions:
            book.problems.append(ImportProblem("ingest.duplicate_column", name, number, column))
        elif column in spec.columns:
            positions[column] = index
    for column in spec.required:
        if column not in positions:
            book.problems.append(ImportProblem("ingest.missing_column", name, number, column, {"column": column}))
    return positions


def _too_large(name: str, rows: int, columns: int, book: RawBook) -> _TooLarge:
    """Record that a sheet is beyond the limits, and the exception that stops reading it."""
    limits = {"rows": rows, "columns": columns, "max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS}
    book.problems.append(ImportProblem("ingest.sheet_too_large", name, values=limits))
    return _TooLarge()


def _bounded(name: str, rows: Iterable[Sequence[Any]], book: RawBook) -> Iterator[tuple[int, Sequence[Any]]]:
    """Rows numbered from 1, stopping with a problem at the first row or column beyond the limits."""
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS or len(row) > MAX_COLUMNS:
            raise _too_large(name, number, len(row), book)
        yield number, row


def _xlsx_row(row: Sequence[Any]) -> list[Any]:
    return [Formula(str(cell.value)) if cell.data_type == "f" else cell.value for cell in row]


def _package_problem(archive: zipfile.ZipFile, limit: int, source: str) -> ImportProblem | None:
    """The first member of a zip that would unpack beyond ``limit`` or too tightly packed (a zip bomb)."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return ImportProblem("ingest.too_many_members", values={"name": source, "max": MAX_MEMBERS})
    for info in members:
        if info.file_size > max(info.compress_size, 1) * MAX_RATIO:
            return ImportProblem("ingest.member_ratio", values={"file": info.filename, "max": MAX_RATIO})
        if info.file_size > limit:
            return ImportProblem("ingest.member_too_large", values={"file": info.filename, "max": limit // 2**20})
    return None


def _read_xlsx(data: bytes, book: RawBook) -> None:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = _package_problem(archive, MAX_PART_BYTES, book.source)
        if problem is not None:  # checked before openpyxl unpacks anything
            book.problems.append(problem)
            return
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error for damaged or foreign files
        book.problems.append(ImportProblem("ingest.not_a_workbook", values={"name": book.source}))
        return
    try:
        worksheets = {fold(sheet.title): sheet for sheet in workbook.worksheets}
        for name in SHEETS:
            sheet = worksheets.get(name)
            if sheet is None:
                if SHEETS[name].needed:
                    book.problems.append(ImportProblem("ingest.missing_sheet", name, values={"sheet": name}))
                continue
            if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
                _too_large(name, sheet.max_row or 0, sheet.max_column or 0, book)
                continue
            sheet.reset_dimensions()  # the declared size may lie: read what the sheet holds, row by row
            _rows_of_sheet(name, _bounded(name, map(_xlsx_row, sheet.iter_rows()), book), book)
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
    if len(data) > MAX_CSV_BYTES:
        values = {"file": f"{name}.csv", "max": MAX_CSV_BYTES // 2**20}
        book.problems.append(ImportProblem("ingest.member_too_large", name, values=values))
        return
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        book.problems.append(ImportProblem("ingest.not_utf8", name))
        return
    first_line = content.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        _rows_of_sheet(
            name, _bounded(name, ([_csv_value(value) for value in record] for record in records), book), book
        )
    except csv.Error as error:
        book.problems.append(ImportProblem("ingest.csv_unreadable", name, values={"detail": str(error)}))


def _sheet_of(file_name: str) -> str | None:
    """The sheet a CSV file holds ("Scores.CSV" in any folder -> "scores"), or None for other files."""
    path = Path(file_name)
    if path.suffix.lower() != ".csv" or path.parts[:1] == ("__MACOSX",):
        return None
    name = fold(path.stem)
    return name if name in SHEETS else None


def _read_csv_files(names: Sequence[str], load: Callable[[str, str], bytes | None], book: RawBook) -> None:
    """Read the format's CSV files among ``names`` (matched case-insensitively, in any folder) with ``load``.

    Two files for one sheet are refused, and then nothing is read: which one was meant is not ours to guess.
    """
    chosen: dict[str, str] = {}
    duplicates = []
    for file_name in names:
        sheet = _sheet_of(file_name)
        if sheet is None:
            continue
        if sheet in chosen:
            values = {"file": f"{sheet}.csv", "first": chosen[sheet], "second": file_name}
            duplicates.append(ImportProblem("ingest.duplicate_file", sheet, values=values))
        else:
            chosen[sheet] = file_name
    for sheet in NEEDED_SHEETS:
        if sheet not in chosen:
            book.problems.append(ImportProblem("ingest.missing_csv", sheet, values={"file": f"{sheet}.csv"}))
    if duplicates:
        book.problems.extend(duplicates)
        return
    for sheet, file_name in chosen.items():
        content = load(sheet, file_name)
        if content is not None:
            _read_csv(sheet, content, book)


def _member(archive: zipfile.ZipFile, sheet: str, name: str, book: RawBook) -> bytes | None:
    """One CSV member, read in chunks and counted: never more than the limit, whatever the header says."""
    parts, size = [], 0
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > MAX_CSV_BYTES:
                values = {"file": name, "max": MAX_CSV_BYTES // 2**20}
                book.problems.append(ImportProblem("ingest.member_too_large", sheet, values=values))
                return None
            parts.append(chunk)
    return b"".join(parts)


def _read_zip(data: bytes, book: RawBook) -> None:
    """Read the expected CSV members of a zip (and nothing else), refusing bombs and duplicates."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = _package_problem(archive, MAX_CSV_BYTES, book.source)
            if problem is not None:
                book.problems.append(problem)
                return
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            _read_csv_files(names, lambda sheet, name: _member(archive, sheet, name, book), book)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, ValueError):
        book.problems.append(ImportProblem("ingest.not_a_zip", values={"name": book.source}))


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
        _read_zip(files[0][1], book)
    elif suffixes == {".csv"}:
        contents = dict(files)
        _read_csv_files([name for name, _ in files], lambda _sheet, name: contents[name], book)
    elif suffixes & {".xls", ".xlsb", ".ods"}:
        book.problems.append(ImportProblem("ingest.old_format", values={"name": book.source}))
    else:
        book.problems.append(ImportProblem("ingest.file_type", values={"name": book.source}))
    return book


def read_path(path: Path) -> RawBook:
    """Read a workbook, a .zip of CSV files, or a folder holding the format's CSV files."""
    if not path.exists():
        return RawBook(str(path), problems=[ImportProblem("ingest.not_found", values={"name": str(path)})])
    if path.is_dir():
        book = RawBook(path.name)
        names = [p.name for p in sorted(path.iterdir()) if p.is_file()]
        _read_csv_files(names, lambda _sheet, name: (path / name).read_bytes(), book)
        return book
    return read_files([(path.name, path.read_bytes())])
