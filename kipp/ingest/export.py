"""Export: an edition as the sheets of the format, written as a workbook, CSV files or a zip.

Text starting with ``=``, ``+``, ``-`` or ``@`` is written to a workbook as a text cell with Excel's
quote prefix, so a spreadsheet shows it as text and never runs it.  In CSV such a text (or one starting
with an apostrophe) gets one leading apostrophe, which the reader removes again.

Exports carry no clock: the same edition always gives the same bytes, so a published edition's file
can be compared (or checksummed) with an earlier download of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from kipp import cells
from kipp.i18n import translate
from kipp.ingest.format import SHEETS, Tables
from kipp.models import (
    ENTRY_FIELDS,
    Assignment,
    Criterion,
    Edition,
    Entry,
    Feedback,
    Institution,
    Juror,
    PanelMember,
    Score,
    SessionSeat,
)


def export_tables(engine: Engine, year: int) -> Tables:
    """An edition as the sheets of the format (rows in a stable order)."""
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
            select(Juror.id, Juror.name, PanelMember.affiliation)
            .join(PanelMember, PanelMember.juror_id == Juror.id)
            .where(PanelMember.edition_id == edition_id)
            .order_by(PanelMember.seat, Juror.name)
        ).all()
        entries = connection.execute(
            select(*ENTRY_FIELDS, Entry.summary, Entry.status, Entry.status_reason)
            .join(Institution, Institution.id == Entry.institution_id)
            .where(Entry.edition_id == edition_id)
        ).all()
        scores = connection.execute(
            select(Score.entry_id, Score.juror_id, Score.criterion_id, Score.value).where(
                Score.edition_id == edition_id
            )
        ).all()
        seats = connection.execute(
            select(SessionSeat.day, SessionSeat.room, Juror.name)
            .select_from(SessionSeat)
            .join(Juror, Juror.id == SessionSeat.juror_id)
            .where(SessionSeat.edition_id == edition_id)
        ).all()
        assignments = connection.execute(
            select(Entry.code, Juror.name)
            .select_from(Assignment)
            .join(Entry, Entry.id == Assignment.entry_id)
            .join(Juror, Juror.id == Assignment.juror_id)
            .where(Assignment.edition_id == edition_id)
        ).all()
        feedback = {
            (row.entry_id, row.juror_id): row.text
            for row in connection.execute(
                select(Feedback.entry_id, Feedback.juror_id, Feedback.text).where(Feedback.edition_id == edition_id)
            )
        }
    entries = sorted(entries, key=lambda row: row.code)
    seat_of = {row.name: index for index, row in enumerate(panel)}  # seats and assignments: panel order
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
                "institution_type": r.institution_type,
                "category": r.category,
                "day": r.day,
                "room": r.room,
                "slot": r.slot,
                "summary": r.summary,
                "status": r.status,
                "status_reason": r.status_reason,
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
        "panels": [
            {"day": r.day, "room": r.room, "juror": r.name}
            for r in sorted(seats, key=lambda r: (r.day, r.room, seat_of[r.name], r.name))
        ],
        "assignments": [
            {"code": r.code, "juror": r.name}
            for r in sorted(assignments, key=lambda r: (r.code, seat_of[r.name], r.name))
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
        return cells.csv_text(value)
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


# The date every exported file carries (zip members, workbook properties) instead of the time of export.
EXPORT_DATE = dt.datetime(1980, 1, 1)


def _member(name: str) -> zipfile.ZipInfo:
    """A compressed zip member dated ``EXPORT_DATE``."""
    info = zipfile.ZipInfo(name, EXPORT_DATE.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def zip_bytes(tables: Tables) -> bytes:
    """The format's CSV files in one .zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for sheet in SHEETS:
            archive.writestr(_member(f"{sheet}.csv"), csv_bytes(sheet, tables.get(sheet, [])))
    return buffer.getvalue()


COLUMN_WIDTHS = {"title": 40, "institution": 28, "summary": 50, "description": 50, "comment": 50, "juror": 24}


def xlsx_bytes(tables: Tables) -> bytes:
    """The workbook: every sheet of the format, a bold frozen header row, text that can never run as a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

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
            sheet.append([cells.xlsx_value(sheet, row.get(column)) for column in spec.columns])
    workbook.properties.created = workbook.properties.modified = EXPORT_DATE
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()  # not workbook.save(), which stamps the time of saving
    buffer = io.BytesIO()
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():  # openpyxl dates each part by the clock: dated EXPORT_DATE instead
            target.writestr(_member(info.filename), source.read(info))
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
    """The empty template: every sheet of the format (the optional ones too) with its header row."""
    return xlsx_bytes({})
