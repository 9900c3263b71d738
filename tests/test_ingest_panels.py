"""Panels per room and per entry in the interchange format: the optional ``panels`` and ``assignments``
sheets and the entries' ``status``.  Who must score an entry comes from kipp.scoring; an import never
lets in a score the ranking would ignore, and never orphans a sheet that is already stored."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, select

from kipp import ingest, queries, scoring
from kipp.models import AuditLog
from tests.test_ingest import Rows, base_import, dump, organizer_sheets, xlsx


def _import(
    engine: Engine, sheets: dict[str, Rows], year: int = 2030, name: str = "rekap.xlsx"
) -> ingest.ImportSummary:
    return ingest.import_dataset(engine, ingest.load_files([(name, xlsx(sheets))]), year)


def _refused(engine: Engine, sheets: dict[str, Rows], year: int = 2030) -> list[ingest.ImportProblem]:
    """The problems of a refused import, after checking that nothing was written."""
    before = dump(engine)
    with pytest.raises(ingest.ImportRefused) as refused:
        _import(engine, sheets, year)
    assert dump(engine) == before
    return refused.value.problems


def _expected(engine: Engine, year: int = 2030) -> dict[str, set[str]]:
    """Who the scoring expects on each entry (code -> juror names)."""
    data = queries.load_edition(engine, year)
    codes = data.entries.set_index("entry_id")["code"]
    names = data.panel.set_index("juror_id")["juror"]
    expected: dict[str, set[str]] = {code: set() for code in codes}
    for row in scoring.expected_jurors(data).itertuples():
        expected[codes[row.entry_id]].add(names[row.juror_id])
    return expected


def _seating(tables: ingest.Tables) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, tuple[Any, Any]]]:
    return (
        tables["panels"],
        tables["assignments"],
        {r["code"]: (r["status"], r["status_reason"]) for r in tables["entries"]},
    )


# ------------------------------------------------------------------ the sheets land, and come back


def test_panels_assignments_and_statuses_round_trip_through_workbook_and_zip(engine: Engine) -> None:
    sheets = organizer_sheets()
    sheets["entries"][0] += ["Status", "status reason"]
    sheets["entries"][1] += ["Competing", None]
    sheets["entries"][2] += [" WITHDRAWN ", "Unit menarik inovasinya."]
    sheets["entries"][3] += [None, None]  # empty: competing
    summary = _import(engine, sheets)
    assert (summary.change("panels").new, summary.change("assignments").new) == (1, 1)

    # Room 1 on day 1 seats both jurors (typed in two spellings of the entries' "Ruang 1"); 303 has Juri Dua;
    # nobody is expected on the withdrawn K30-002.
    assert _expected(engine) == {
        "K30-001": {"Dr. Juri Satu", "Juri Dua"},
        "K30-002": set(),
        "303": {"Juri Dua"},
    }
    data = queries.load_edition(engine, 2030)
    assert set(data.panels["room"]) == {"Ruang 1"}  # stored as the entries spell it, so the scoring finds it
    first = ingest.export_tables(engine, 2030)
    panels, assignments, statuses = _seating(first)
    assert panels == [
        {"day": 1, "room": "Ruang 1", "juror": "Dr. Juri Satu"},
        {"day": 1, "room": "Ruang 1", "juror": "Juri Dua"},
    ]
    assert assignments == [{"code": "303", "juror": "Juri Dua"}]
    assert statuses == {
        "303": ("competing", None),
        "K30-001": ("competing", None),
        "K30-002": ("withdrawn", "Unit menarik inovasinya."),
    }
    for year, (name, content) in enumerate(
        (("a.xlsx", ingest.xlsx_bytes(first)), ("a.zip", ingest.zip_bytes(first))), 2040
    ):
        ingest.import_dataset(engine, ingest.load_files([(name, content)]), year)
        assert ingest.export_tables(engine, year) == first, name
        assert _expected(engine, year) == _expected(engine)
    # Importing the export into the same edition changes nothing.
    again = ingest.import_dataset(engine, ingest.load_files([("b.xlsx", ingest.xlsx_bytes(first))]), 2030)
    assert not any(change.new or change.updated for change in again.changes)


def test_files_without_the_new_sheets_and_columns_work_as_before(engine: Engine) -> None:
    sheets = organizer_sheets()
    del sheets["Panels"], sheets["assignments"]
    summary = _import(engine, sheets)
    assert (summary.change("panels").new, summary.change("assignments").new) == (0, 0)
    everyone = {"Dr. Juri Satu", "Juri Dua"}
    assert _expected(engine) == {"K30-001": everyone, "K30-002": everyone, "303": everyone}
    assert {row["status"] for row in ingest.export_tables(engine, 2030)["entries"]} == {"competing"}
    # CSV files: the four needed ones are enough.
    files = []
    for name, rows in sheets.items():
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
        files.append((f"{name.lower()}.csv", buffer.getvalue().encode()))
    assert ingest.import_dataset(engine, ingest.load_files(files), 2031).change("entries").new == 3


def test_a_later_file_replaces_the_seats_of_the_sessions_and_entries_it_names_and_keeps_the_rest(
    engine: Engine,
) -> None:
    base_import(engine)
    sheets = organizer_sheets()
    sheets["JURORS"].append(["Juri Tiga", "ITN Malang"])
    sheets["Panels"] = [["day", "room", "juror"], [1, "Ruang 1", "Dr. Juri Satu"], [1, "Ruang 1", "Juri Dua"]]
    sheets["Panels"] += [[1, "Ruang 1", "Juri Tiga"], [2, "Ruang 2", "Juri Tiga"]]
    sheets["assignments"] = [["code", "juror"], [303, "Juri Dua"], [303, "Dr. Juri Satu"]]
    sheets["scores"] = [sheets["scores"][0], [303, "Dr. Juri Satu", "Efektif", 70, None]]
    summary = _import(engine, sheets)
    panels, assignments = summary.change("panels"), summary.change("assignments")
    assert (panels.new, panels.updated, assignments.updated, summary.change("scores").new) == (1, 1, 1, 1)
    # Room 2 on day 2 is seated now, but 303 keeps its own jurors.
    assert _expected(engine) == {
        "K30-001": {"Dr. Juri Satu", "Juri Dua", "Juri Tiga"},
        "K30-002": {"Dr. Juri Satu", "Juri Dua", "Juri Tiga"},
        "303": {"Dr. Juri Satu", "Juri Dua"},
    }
    with engine.connect() as connection:
        audited = connection.execute(
            select(AuditLog.action, AuditLog.entity_key, AuditLog.old_value, AuditLog.new_value)
            .where(AuditLog.action.in_(["assignments.update", "panels.update"]))
            .order_by(AuditLog.action)
        ).all()
    assert audited == [
        ("assignments.update", "303", '{"jurors": ["Juri Dua"]}', '{"jurors": ["Dr. Juri Satu", "Juri Dua"]}'),
        (
            "panels.update",
            "1 / Ruang 1",
            '{"jurors": ["Dr. Juri Satu", "Juri Dua"]}',
            '{"jurors": ["Dr. Juri Satu", "Juri Dua", "Juri Tiga"]}',
        ),
    ]
    # A file without the sheets leaves the seating as it is.
    del sheets["Panels"], sheets["assignments"]
    sheets["scores"] = [sheets["scores"][0]]
    _import(engine, sheets)
    assert len(queries.load_edition(engine, 2030).panels) == 4


def test_template_has_the_optional_sheets_with_their_headers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(ingest.template_bytes()), read_only=True)
    headers = {sheet.title: next(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    assert headers["panels"] == ("day", "room", "juror")
    assert headers["assignments"] == ("code", "juror")
    assert headers["entries"][-2:] == ("status", "status_reason")


def test_a_room_that_looks_like_a_formula_stays_text_in_the_panels_sheet(engine: Engine) -> None:
    sheets = organizer_sheets()
    for row in sheets["entries"][1:3]:
        row[6] = "-Aula @lantai 2"
    sheets["Panels"] = [["day", "room", "juror"], [1, "-aula @LANTAI 2", "Juri Dua"]]
    sheets["scores"] = [r for r in sheets["scores"] if r[1] != "Dr. Juri Satu" and r[1] != "dr. juri  satu"]
    _import(engine, sheets)
    tables = ingest.export_tables(engine, 2030)
    assert tables["panels"] == [{"day": 1, "room": "-Aula @lantai 2", "juror": "Juri Dua"}]
    book = openpyxl.load_workbook(io.BytesIO(ingest.xlsx_bytes(tables)))
    room = book["panels"]["B2"]
    assert (room.value, room.data_type, room.quotePrefix) == ("-Aula @lantai 2", "s", True)
    panels_csv = zipfile.ZipFile(io.BytesIO(ingest.zip_bytes(tables))).read("panels.csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(panels_csv)))[1] == ["1", "'-Aula @lantai 2", "Juri Dua"]


# ------------------------------------------------------------------ refusals: located, with what to do


def _one(problems: list[ingest.ImportProblem], key: str) -> ingest.ImportProblem:
    found = [problem for problem in problems if problem.key == key]
    assert len(found) == 1, [p.line("en") for p in problems]
    return found[0]


def test_a_score_from_a_juror_not_assigned_to_the_entry_is_refused(engine: Engine) -> None:
    sheets = organizer_sheets()
    sheets["scores"].append([303, "Dr. Juri Satu", "Kebaruan", 75, None])  # 303 is Juri Dua's alone
    problem = _one(_refused(engine, sheets), "ingest.unassigned")
    assert (problem.sheet, problem.row, problem.column) == ("scores", 10, "juror")
    assert problem.line("en") == (
        "sheet scores, row 10, column juror: Dr. Juri Satu is not assigned to 303, so their score would never count. "
        "Add the juror to the panels sheet (this entry's day and room) or the assignments sheet (code 303), "
        "or remove this row."
    )
    assert "hapus baris ini" in problem.line("id")


def test_the_stored_seating_decides_when_the_file_has_no_panels_sheet(engine: Engine) -> None:
    base_import(engine)
    sheets = organizer_sheets()
    del sheets["Panels"], sheets["assignments"]
    sheets["scores"] = [sheets["scores"][0], [303, "dr. juri satu", "Efektif", 50, "Bagus."]]
    problem = _one(_refused(engine, sheets), "ingest.unassigned")
    assert (problem.sheet, problem.row) == ("scores", 2)


@pytest.mark.parametrize(
    ("sheet", "row", "key", "column", "text"),
    [
        ("Panels", [1, "Ruang 1", "Juri Tiga"], "ingest.unknown_juror", "juror", 'No juror "Juri Tiga"'),
        (
            "Panels",
            [3, "Ruang 1", "Juri Dua"],
            "ingest.unknown_session",
            "room",
            'No entry is presented on day 3 in room "Ruang 1"',
        ),
        (
            "Panels",
            [1, "ruang 1", "JURI DUA"],
            "ingest.duplicate_key",
            "juror",
            '"1, ruang 1, JURI DUA" already appears in row 3',
        ),
        ("assignments", ["K30-009", "Juri Dua"], "ingest.unknown_code", "code", 'No entry with code "K30-009"'),
        ("assignments", [303, "Juri Tiga"], "ingest.unknown_juror", "juror", 'No juror "Juri Tiga"'),
        ("assignments", [303, "Juri Dua"], "ingest.duplicate_key", "juror", '"303, Juri Dua" already appears in row 2'),
    ],
)
def test_panels_and_assignments_rows_that_name_nothing_are_refused(
    engine: Engine, sheet: str, row: list[Any], key: str, column: str, text: str
) -> None:
    sheets = organizer_sheets()
    sheets[sheet].append(row)
    problem = _one(_refused(engine, sheets), key)
    assert (problem.sheet, problem.row, problem.column) == (sheet.lower(), len(sheets[sheet]), column)
    assert text in problem.line("en")


def test_an_unknown_entry_status_is_refused_with_the_known_ones(engine: Engine) -> None:
    sheets = organizer_sheets()
    sheets["entries"][0].append("status")
    sheets["entries"][1].append("mundur")
    problem = _one(_refused(engine, sheets), "ingest.entry_status")
    assert (problem.sheet, problem.row, problem.column) == ("entries", 2, "status")
    assert "competing, withdrawn, absent" in problem.line("en")


def test_a_reimport_that_would_orphan_stored_sheets_is_refused_naming_the_entries(engine: Engine) -> None:
    """Both jurors completed K30-001 in room 1; Juri Dua alone scored K30-002 there."""
    base_import(engine)
    sheets = organizer_sheets()
    sheets["Panels"] = [["day", "room", "juror"], [1, "Ruang 1", "Juri Dua"]]  # Dr. Juri Satu leaves room 1
    sheets["assignments"] = [["code", "juror"], [303, "Dr. Juri Satu"]]  # and takes over 303 from Juri Dua
    sheets["scores"] = [sheets["scores"][0]]
    problems = _refused(engine, sheets)
    orphaned = {p.values["code"]: p for p in problems if p.key == "ingest.orphaned_sheets"}
    assert set(orphaned) == {"K30-001", "303"}
    assert (orphaned["K30-001"].sheet, orphaned["K30-001"].row) == ("panels", 2)
    assert (orphaned["303"].sheet, orphaned["303"].row) == ("assignments", 2)
    assert orphaned["K30-001"].line("en") == (
        "sheet panels, row 2, column juror: K30-001 already has score sheets from Dr. Juri Satu, who would no longer "
        "be assigned to it after this import. Keep them assigned in the panels or assignments sheet, or delete their "
        "scores for K30-001 first."
    )
    # Moving an entry to another session orphans too: the entries sheet is named.
    sheets = organizer_sheets()
    del sheets["Panels"], sheets["assignments"]
    sheets["Panels"] = [["day", "room", "juror"], [2, "Ruang 2", "Juri Dua"]]
    sheets["entries"][1][5:7] = [2, "Ruang 2"]  # K30-001 to day 2, room 2, where only Juri Dua sits
    sheets["scores"] = [sheets["scores"][0]]
    problem = _one(_refused(engine, sheets), "ingest.orphaned_sheets")
    assert (problem.sheet, problem.row, problem.values["code"]) == ("panels", 2, "K30-001")
