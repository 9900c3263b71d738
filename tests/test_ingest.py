"""Import and export of the organizers' workbook: realistic files in, the same content out,
and every malformed file refused with a message that points at the cell — nothing written."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from kipp import audit, db, ingest, queries, scoring, services
from kipp.cli import main
from kipp.models import AuditLog, Criterion, Edition, Feedback, Role, Score
from tests.conftest import BACKENDS, drop_database, make_database

# ------------------------------------------------------------------ helpers shared by the ingest tests

Rows = list[list[Any]]


def xlsx(sheets: dict[str, Rows], text_cells: Sequence[tuple[str, int, int]] = ()) -> bytes:
    """A workbook as a person would make it: strings starting with '=' become formulas, as in Excel.

    ``text_cells`` lists (sheet, row, column) cells (1-based) to store as text even if they start with '='.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for name, row, column in text_cells:
        book[name].cell(row, column).data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Rows, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue()


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: compared before and after a refused import."""
    result = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            result[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return result


def organizer_sheets() -> dict[str, Rows]:
    """A realistic organizers' workbook: a "No" column, headers in their own spelling, decimal commas
    typed as text, codes typed as numbers, feedback on a score row."""
    return {
        "Criteria": [
            ["No", " Criterion ", "Weight", "Max Score", "Description"],
            [1, "Kebaruan", 20, 100, "Inovasi baru atau modifikasi"],
            [2, "Efektif", 20, 100, None],
            [3, "Bermanfaat", "30,5", 50, "Manfaat nyata bagi pengguna layanan"],
        ],
        "JURORS": [["Juror", "Affiliation"], ["Dr. Juri Satu", "Universitas Brawijaya"], ["Juri Dua", None]],
        "entries": [
            ["code", "title", "institution", "institution_type", "category", "day", "room", "slot", "summary"],
            [
                "K30-001",
                "Si Kawan Duduk",
                "SMPN 5 Malang",
                "Sekolah",
                "Pendidikan",
                1,
                "Ruang 1",
                1,
                "Baris satu\nbaris dua",
            ],
            ["K30-002", "Laskar Perencana", "Bappeda", "badan", "Tata kelola", 1, "Ruang 1", 2, None],
            [303, "KOPI TUBRUK", "Puskesmas Kedungkandang", "puskesmas", "Kesehatan", 2, "Ruang 2", 1, None],
        ],
        "scores": [
            ["code", "juror", "criterion", "score", "comment"],
            ["K30-001", "dr. juri  satu", "kebaruan", 90, "Paparan jelas; perkuat data dampak."],
            ["K30-001", "Dr. Juri Satu", "Efektif", "85,5", None],
            ["K30-001", "Dr. Juri Satu", "Bermanfaat", 45, None],
            ["K30-001", "Juri Dua", "Kebaruan", 80, None],
            ["K30-001", "Juri Dua", "Efektif", 75.25, None],
            ["K30-001", "Juri Dua", "Bermanfaat", 40, None],
            [" k30-002 ", "Juri Dua", "Kebaruan", 70, None],
            [303, "Juri Dua", "Efektif", 60, "Replikasi ke puskesmas lain."],
        ],
        # Both jurors sit in room 1 on day 1 (room names as people type them); 303 has its own evaluator.
        "Panels": [["Day", "Room", "Juror"], [1, "ruang 1", "Dr. Juri Satu"], [1, "RUANG 1", "juri dua"]],
        "assignments": [["code", "juror"], [303, "Juri Dua"]],
    }


def organizer_workbook() -> bytes:
    return xlsx(organizer_sheets())


def base_import(engine: Engine, year: int = 2030) -> ingest.ImportSummary:
    return ingest.import_dataset(engine, ingest.load_files([("rekap.xlsx", organizer_workbook())]), year)


# ------------------------------------------------------------------ realistic imports


def test_realistic_workbook_lands_with_every_value(engine: Engine) -> None:
    summary = base_import(engine)
    assert summary.edition_created
    assert (summary.change("criteria").new, summary.change("entries").new, summary.change("scores").new) == (3, 3, 8)
    assert summary.change("feedback").new == 2
    data = queries.load_edition(engine, 2030)
    assert data.criteria["name"].tolist() == ["Kebaruan", "Efektif", "Bermanfaat"]
    assert data.criteria["weight"].tolist() == [20.0, 20.0, 30.5]
    assert data.panel["juror"].tolist() == ["Dr. Juri Satu", "Juri Dua"]
    assert sorted(data.entries["code"]) == ["303", "K30-001", "K30-002"]
    assert set(data.entries["institution_type"]) == {"sekolah", "badan", "puskesmas"}
    assert data.scores["value"].sum() == pytest.approx(90 + 85.5 + 45 + 80 + 75.25 + 40 + 70 + 60)
    tables = ingest.export_tables(engine, 2030)
    assert tables["entries"][1]["summary"] == "Baris satu\nbaris dua"
    comments = {(r["code"], r["juror"]): r["comment"] for r in tables["scores"] if r["comment"]}
    assert comments == {
        ("K30-001", "Dr. Juri Satu"): "Paparan jelas; perkuat data dampak.",
        ("303", "Juri Dua"): "Replikasi ke puskesmas lain.",
    }
    # Both jurors completed K30-001, so it has a (non-provisional) score on the leaderboard.
    board = scoring.leaderboard(data, "mean")
    assert bool(board.set_index("code").loc["K30-001", "complete"])
    with engine.connect() as connection:
        edition = connection.execute(select(Edition.status, Edition.data_version).where(Edition.year == 2030)).one()
        actors = set(connection.execute(select(AuditLog.actor).distinct()).scalars())
    assert edition.status == "draft" and edition.data_version == 1
    assert actors == {"import:rekap.xlsx"}


def test_csv_folder_from_indonesian_excel_is_read(engine: Engine, tmp_path: Path) -> None:
    """Indonesian Excel saves CSV with semicolons, decimal commas and (for CSV UTF-8) a BOM."""
    folder = tmp_path / "rekap"
    folder.mkdir()
    for name, rows in organizer_sheets().items():
        text = csv_text(rows, ";" if name == "scores" else ",")
        (folder / f"{name.upper()}.csv").write_bytes(text.encode("utf-8-sig"))
    (folder / "catatan.txt").write_text("not part of the import")
    summary = ingest.import_dataset(engine, ingest.load_path(folder), 2030)
    assert summary.change("scores").new == 8
    values = {(r["code"], r["juror"], r["criterion"]): r["score"] for r in ingest.export_tables(engine, 2030)["scores"]}
    assert values[("K30-001", "Dr. Juri Satu", "Efektif")] == 85.5
    assert values[("K30-001", "Juri Dua", "Efektif")] == 75.25


def test_second_import_updates_adds_and_deletes_nothing(engine: Engine) -> None:
    base_import(engine)
    sheets = organizer_sheets()
    sheets["scores"] = [
        ["code", "juror", "criterion", "score", "comment"],
        ["K30-001", "Juri Dua", "Kebaruan", 82, "Sudah diperbaiki."],  # updated score, new feedback
        ["K30-002", "Juri Dua", "Efektif", 66, None],  # new score
        ["K30-001", "Juri Dua", "Efektif", 75.25, None],  # unchanged
    ]
    sheets["entries"] = [sheets["entries"][0], ["K30-004", "IBUKOTA", "SDN Kotalama 1", "sekolah"] + [None] * 5]
    data = ingest.load_files([("susulan.xlsx", xlsx(sheets))])
    preview = ingest.preview(engine, data, 2030)
    summary = ingest.import_dataset(engine, data, 2030, actor="panitia")
    assert preview == summary
    scores = summary.change("scores")
    assert (scores.new, scores.updated, scores.unchanged) == (1, 1, 1)
    assert (summary.change("entries").new, summary.change("criteria").unchanged) == (1, 3)
    assert summary.change("feedback").new == 1
    tables = ingest.export_tables(engine, 2030)
    assert len(tables["entries"]) == 4 and len([r for r in tables["scores"] if r["score"] is not None]) == 9
    with engine.connect() as connection:
        updates = connection.execute(
            select(AuditLog.old_value, AuditLog.new_value).where(
                AuditLog.action == "score.import", AuditLog.actor == "panitia"
            )
        ).all()
        version = connection.execute(select(Edition.data_version).where(Edition.year == 2030)).scalar_one()
    assert sorted(updates, key=repr) == [('{"Kebaruan": 80.0}', '{"Kebaruan": 82.0}'), (None, '{"Efektif": 66.0}')]
    assert version == 2


def test_raising_a_maximum_carries_into_stored_scores(engine: Engine) -> None:
    base_import(engine)
    sheets = organizer_sheets()
    sheets["Criteria"][3] = [3, "Bermanfaat", "30,5", 60, "Manfaat nyata bagi pengguna layanan"]
    sheets["scores"] = [sheets["scores"][0], ["K30-002", "Juri Dua", "Bermanfaat", 58, None]]
    summary = ingest.import_dataset(engine, ingest.load_files([("max.xlsx", xlsx(sheets))]), 2030)
    assert summary.change("criteria").updated == 1
    with engine.connect() as connection:
        maxima = connection.execute(
            select(Score.value, Score.max_score).join(Criterion).where(Criterion.name == "Bermanfaat")
        ).all()
    assert sorted(maxima) == [(40.0, 60.0), (45.0, 60.0), (58.0, 60.0)]


def test_feedback_without_a_score_round_trips_on_the_first_criterion(engine: Engine) -> None:
    sheets = organizer_sheets()
    sheets["scores"].append(["K30-002", "Dr. Juri Satu", "Efektif", None, "Belum dinilai: data kurang."])
    ingest.import_dataset(engine, ingest.load_files([("f.xlsx", xlsx(sheets))]), 2030)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Feedback)).scalar_one() == 3
    rows = [r for r in ingest.export_tables(engine, 2030)["scores"] if r["comment"] == "Belum dinilai: data kurang."]
    assert rows == [
        {
            "code": "K30-002",
            "juror": "Dr. Juri Satu",
            "criterion": "Kebaruan",
            "score": None,
            "comment": "Belum dinilai: data kurang.",
        }
    ]


# ------------------------------------------------------------------ export round trip


def test_demo_edition_round_trips_through_workbook_and_csv(demo_engine: Engine, engine: Engine) -> None:
    first = ingest.export_tables(demo_engine, 2023)
    sheets = len(scoring.expected_jurors(queries.load_edition(demo_engine, 2023)))  # day 2: two jurors a room
    assert len(first["entries"]) == 50 and len(first["scores"]) == 5 * sheets
    assert any(r["comment"] for r in first["scores"])
    workbook = ingest.xlsx_bytes(first)
    ingest.import_dataset(engine, ingest.load_files([("kipp-2023.xlsx", workbook)]), 2023)
    second = ingest.export_tables(engine, 2023)
    assert second == first
    assert _read(ingest.xlsx_bytes(second)) == _read(workbook)
    # The CSV zip of the re-imported edition brings back the same content into another year.
    ingest.import_dataset(engine, ingest.load_files([("kipp-2023.zip", ingest.zip_bytes(second))]), 2024)
    assert ingest.export_tables(engine, 2024) == first
    # And the ranking is the same on both databases: nothing was lost that scoring uses.
    original = scoring.leaderboard(queries.load_edition(demo_engine, 2023))
    copied = scoring.leaderboard(queries.load_edition(engine, 2023))
    assert copied[["code", "score", "rank"]].equals(original[["code", "score", "rank"]])


def _read(workbook: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    return {sheet.title: [tuple(c.value for c in row) for row in sheet.iter_rows()] for sheet in book.worksheets}


DANGEROUS = ['=HYPERLINK("http://x","klik")', "+62 341 551 234", "-10% antrean", "@SUM(A1)", "'Sapa Warga'", "''"]


@pytest.mark.parametrize("kind", ["xlsx", "zip"])
def test_text_that_looks_like_a_formula_is_written_as_text_and_round_trips(engine: Engine, kind: str) -> None:
    sheets = organizer_sheets()
    for offset, title in enumerate(DANGEROUS):
        sheets["entries"].append([f"X{offset}", title, "Bapenda", "badan", None, None, None, None, title])
    text_cells = [("entries", 5 + offset, 2) for offset in range(len(DANGEROUS))]
    text_cells += [("entries", 5 + offset, 9) for offset in range(len(DANGEROUS))]
    ingest.import_dataset(engine, ingest.load_files([("t.xlsx", xlsx(sheets, text_cells))]), 2030)
    tables = ingest.export_tables(engine, 2030)
    titles = {r["code"]: r["title"] for r in tables["entries"]}
    assert [titles[f"X{i}"] for i in range(len(DANGEROUS))] == DANGEROUS
    exported = ingest.xlsx_bytes(tables) if kind == "xlsx" else ingest.zip_bytes(tables)
    if kind == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(exported))
        cells = [c for c in book["entries"]["B"] if c.value in DANGEROUS]
        assert len(cells) == len(DANGEROUS)
        assert all(c.data_type == "s" for c in cells)  # text, never a formula
        assert all(c.quotePrefix for c in cells if c.value[0] in "=+-@")  # Excel shows it as text
    else:
        entries_csv = zipfile.ZipFile(io.BytesIO(exported)).read("entries.csv").decode("utf-8-sig")
        cells = [row[1] for row in csv.reader(io.StringIO(entries_csv)) if row[0].startswith("X")]
        assert len(cells) == len(DANGEROUS)
        assert all(cell.startswith("'") for cell in cells)  # no cell a spreadsheet would run
    ingest.import_dataset(engine, ingest.load_files([(f"back.{kind}", exported)]), 2031)
    assert ingest.export_tables(engine, 2031) == tables


def test_sql_looking_titles_are_stored_as_plain_text(engine: Engine) -> None:
    sheets = organizer_sheets()
    title = "Robert'); DROP TABLE entry; --"
    sheets["entries"][1][1] = title
    base = ingest.load_files([("sql.xlsx", xlsx(sheets))])
    ingest.import_dataset(engine, base, 2030)
    assert ingest.export_tables(engine, 2030)["entries"][1]["title"] == title
    assert len(queries.load_edition(engine, 2030).entries) == 3


# ------------------------------------------------------------------ values that belong to an edition

# The organizers' units reorganised, and their jurors come from elsewhere, a year later.
NEW_TYPES = {"sekolah": "upt", "badan": "dinas", "puskesmas": "other"}
NEW_AFFILIATIONS = {"Dr. Juri Satu": "Universitas Negeri Malang", "Juri Dua": "Bappenas"}


def reorganised_sheets() -> dict[str, Rows]:
    """The organizers' workbook with every unit given another type and every juror another affiliation."""
    sheets = organizer_sheets()
    sheets["JURORS"] = [sheets["JURORS"][0]] + [[name, NEW_AFFILIATIONS[name]] for name, _ in sheets["JURORS"][1:]]
    sheets["entries"] = [sheets["entries"][0]] + [
        [*row[:3], NEW_TYPES[row[3].lower()], *row[4:]] for row in sheets["entries"][1:]
    ]
    return sheets


def _publish(engine: Engine, year: int) -> None:
    organizer = audit.Actor("panitia", Role.organizer.value)
    for status in ("scoring", "locked", "published"):
        services.advance_status(engine, actor=organizer, year=year, to=status, reason="Rekap final")


def test_importing_a_new_edition_leaves_a_published_edition_byte_for_byte_as_it_was(engine: Engine) -> None:
    """The same units and jurors in a later edition, with other types and affiliations, change only that edition."""
    base_import(engine)
    _publish(engine, 2030)
    before = ingest.export_tables(engine, 2030)
    version = queries.data_version(engine, 2030)
    workbook, archive = ingest.xlsx_bytes(before), ingest.zip_bytes(before)
    later = ingest.load_files([("rekap-2031.xlsx", xlsx(reorganised_sheets()))])
    summary = ingest.import_dataset(engine, later, 2031, actor="panitia-2031")
    assert (summary.change("institutions").new, summary.change("jurors").new) == (0, 2)

    after = ingest.export_tables(engine, 2030)
    assert ingest.xlsx_bytes(after) == workbook
    assert ingest.zip_bytes(after) == archive
    assert queries.data_version(engine, 2030) == version
    with engine.connect() as connection:
        edition_ids = dict(connection.execute(select(Edition.year, Edition.id)).all())
        filed_under = set(
            connection.execute(select(AuditLog.edition_id).where(AuditLog.actor == "panitia-2031")).scalars()
        )
    assert filed_under == {edition_ids[2031]}
    # The later edition shows what its own file said.
    tables = ingest.export_tables(engine, 2031)
    assert {r["institution"]: r["institution_type"] for r in tables["entries"]} == {
        "SMPN 5 Malang": "upt",
        "Bappeda": "dinas",
        "Puskesmas Kedungkandang": "other",
    }
    assert {r["juror"]: r["affiliation"] for r in tables["jurors"]} == NEW_AFFILIATIONS


def test_a_new_type_or_affiliation_in_the_same_edition_updates_its_entry_and_seat(engine: Engine) -> None:
    base_import(engine)
    data = ingest.load_files([("koreksi.xlsx", xlsx(reorganised_sheets()))])
    summary = ingest.import_dataset(engine, data, 2030, actor="koreksi")
    assert (summary.change("entries").updated, summary.change("jurors").updated) == (3, 2)
    assert summary.change("institutions").updated == 0
    with engine.connect() as connection:
        actions = connection.execute(
            select(AuditLog.action, AuditLog.entity_key, AuditLog.old_value, AuditLog.new_value)
            .where(AuditLog.actor == "koreksi", AuditLog.action.in_(["entry.update", "panel.update"]))
            .order_by(AuditLog.action, AuditLog.entity_key)
        ).all()
    assert actions[0] == ("entry.update", "303", '{"institution_type": "puskesmas"}', '{"institution_type": "other"}')
    assert actions[-1] == ("panel.update", "Juri Dua", '{"affiliation": null}', '{"affiliation": "Bappenas"}')
    assert len(actions) == 5


def test_a_unit_keeps_one_type_within_an_edition(engine: Engine) -> None:
    """Another type for a unit of the edition is refused unless the file gives all its entries that type."""
    base_import(engine)
    sheets = organizer_sheets()
    sheets["scores"] = sheets["scores"][:1]
    sheets["entries"] = [sheets["entries"][0], ["K30-009", "Peta Rencana", "bappeda", "dinas"]]
    before = dump(engine)
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.import_dataset(engine, ingest.load_files([("susulan.xlsx", xlsx(sheets))]), 2030)
    [problem] = refused.value.problems
    assert (problem.key, problem.row, problem.values["code"], problem.values["other"]) == (
        "ingest.institution_type_in_edition",
        2,
        "K30-002",
        "badan",
    )
    assert dump(engine) == before
    sheets["entries"].append(["K30-002", "Laskar Perencana", "Bappeda", "dinas"])
    ingest.import_dataset(engine, ingest.load_files([("susulan.xlsx", xlsx(sheets))]), 2030)
    types = {r["code"]: r["institution_type"] for r in ingest.export_tables(engine, 2030)["entries"]}
    assert (types["K30-002"], types["K30-009"]) == ("dinas", "dinas")


# ------------------------------------------------------------------ malformed files: refused, nothing written


def _upload(name: str, data: bytes) -> Callable[[Path], ingest.RawBook]:
    return lambda _tmp: ingest.read_files([(name, data)])


def _book(**changes: Any) -> Callable[[Path], ingest.RawBook]:
    """The organizers' workbook with some sheets replaced (None removes a sheet)."""
    sheets = organizer_sheets()
    for name, rows in changes.items():
        key = next(k for k in sheets if k.lower() == name)
        if rows is None:
            del sheets[key]
        else:
            sheets[key] = rows
    return _upload("rekap.xlsx", xlsx(sheets))


def _row(sheet: str, index: int, column: int, value: Any) -> Callable[[Path], ingest.RawBook]:
    """The workbook with one cell changed (index = data row, 1 = first row under the header)."""
    rows = [list(r) for r in next(v for k, v in organizer_sheets().items() if k.lower() == sheet)]
    rows[index][column] = value
    return _book(**{sheet: rows})


def _append(sheet: str, *rows: list[Any]) -> Callable[[Path], ingest.RawBook]:
    existing = next(v for k, v in organizer_sheets().items() if k.lower() == sheet)
    return _book(**{sheet: existing + list(rows)})


def _folder(**files: bytes | None) -> Callable[[Path], ingest.RawBook]:
    def build(tmp: Path) -> ingest.RawBook:
        folder = tmp / "csv"
        folder.mkdir()
        for name, rows in organizer_sheets().items():
            content = files.get(name.lower(), csv_text(rows).encode("utf-8-sig"))
            if content is not None:
                (folder / f"{name.lower()}.csv").write_bytes(content)
        return ingest.read_path(folder)

    return build


SCORE_HEAD = ["code", "juror", "criterion", "score", "comment"]
LOCKED_YEAR, PUBLISHED_YEAR = 2031, 2032

# (id, how to build the file, target year, expected (key, sheet, row, column))
CORPUS: list[tuple[str, Callable[[Path], ingest.RawBook], int, tuple[str, str | None, int | None, str | None]]] = [
    ("text file", _upload("nilai.txt", b"code,juror\n"), 2030, ("ingest.file_type", None, None, None)),
    (
        "pdf renamed xlsx",
        _upload("rekap.xlsx", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"),
        2030,
        ("ingest.not_a_workbook", None, None, None),
    ),
    ("empty file", _upload("rekap.xlsx", b""), 2030, ("ingest.file_empty", None, None, None)),
    (
        "old xls",
        _upload("rekap.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
        2030,
        ("ingest.old_format", None, None, None),
    ),
    ("broken zip", _upload("rekap.zip", b"PK\x03\x04broken"), 2030, ("ingest.not_a_zip", None, None, None)),
    ("missing sheet", _book(scores=None), 2030, ("ingest.missing_sheet", "scores", None, None)),
    (
        "missing column",
        _book(entries=[["code", "institution", "institution_type"], ["K1", "Bappeda", "badan"]]),
        2030,
        ("ingest.missing_column", "entries", 1, "title"),
    ),
    (
        "duplicate column",
        _book(jurors=[["juror", "Juror"], ["A", "B"]]),
        2030,
        ("ingest.duplicate_column", "jurors", 1, "juror"),
    ),
    ("empty sheet", _book(jurors=[]), 2030, ("ingest.no_header", "jurors", None, None)),
    ("csv file missing", _folder(entries=None), 2030, ("ingest.missing_csv", "entries", None, None)),
    (
        "csv not utf-8",
        _folder(jurors="juror\nJosé Café\n".encode("latin-1")),
        2030,
        ("ingest.not_utf8", "jurors", None, None),
    ),
    ("empty key", _row("criteria", 2, 1, "  "), 2030, ("ingest.required", "criteria", 3, "criterion")),
    (
        "duplicate code",
        _append("entries", ["k30-001 ", "Lain", "Bappeda", "badan"]),
        2030,
        ("ingest.duplicate_key", "entries", 5, "code"),
    ),
    ("duplicate juror", _append("jurors", ["juri   dua", None]), 2030, ("ingest.duplicate_key", "jurors", 4, "juror")),
    (
        "unknown juror",
        _append("scores", ["K30-002", "Juri Tiga", "Efektif", 70, None]),
        2030,
        ("ingest.unknown_juror", "scores", 10, "juror"),
    ),
    (
        "unknown criterion",
        _append("scores", ["K30-002", "Juri Dua", "Inovatif", 70, None]),
        2030,
        ("ingest.unknown_criterion", "scores", 10, "criterion"),
    ),
    (
        "unknown entry",
        _append("scores", ["K30-999", "Juri Dua", "Efektif", 70, None]),
        2030,
        ("ingest.unknown_code", "scores", 10, "code"),
    ),
    ("non-numeric score", _row("scores", 2, 3, "delapan puluh"), 2030, ("ingest.not_a_number", "scores", 3, "score")),
    ("score above max", _row("scores", 3, 3, 50.5), 2030, ("ingest.score_range", "scores", 4, "score")),
    ("negative score", _row("scores", 1, 3, -1), 2030, ("ingest.score_range", "scores", 2, "score")),
    ("weight zero", _row("criteria", 1, 2, 0), 2030, ("ingest.not_positive", "criteria", 2, "weight")),
    ("weight negative", _row("criteria", 2, 2, "-5"), 2030, ("ingest.not_positive", "criteria", 3, "weight")),
    (
        "score twice",
        _append("scores", ["K30-001", "Juri Dua", "Kebaruan", 81, None]),
        2030,
        ("ingest.score_conflict", "scores", 10, "score"),
    ),
    ("huge weight", _row("criteria", 1, 2, 1e300), 2030, ("ingest.too_large", "criteria", 2, "weight")),
    ("huge score", _row("scores", 1, 3, "1e308"), 2030, ("ingest.score_range", "scores", 2, "score")),
    ("overflowing score", _row("scores", 1, 3, "1e999"), 2030, ("ingest.not_finite", "scores", 2, "score")),
    ("nan score", _row("scores", 1, 3, "NaN"), 2030, ("ingest.not_finite", "scores", 2, "score")),
    ("inf weight", _row("criteria", 1, 2, "inf"), 2030, ("ingest.not_finite", "criteria", 2, "weight")),
    (
        "formula in title",
        _row("entries", 1, 1, '=HYPERLINK("http://evil.example","Si Kawan Duduk")'),
        2030,
        ("ingest.formula", "entries", 2, "title"),
    ),
    ("formula in score", _row("scores", 1, 3, "=100*1"), 2030, ("ingest.formula", "scores", 2, "score")),
    (
        "formula in csv",
        _folder(jurors=b"juror\n\"=cmd|' /C calc'!A0\"\n"),
        2030,
        ("ingest.formula", "jurors", 2, "juror"),
    ),
    (
        "sql in score",
        _row("scores", 1, 3, "90; DROP TABLE score; --"),
        2030,
        ("ingest.not_a_number", "scores", 2, "score"),
    ),
    (
        "sql in code",
        _append("scores", ["'); DELETE FROM entry; --", "Juri Dua", "Efektif", 70, None]),
        2030,
        ("ingest.unknown_code", "scores", 10, "code"),
    ),
    (
        "control characters",
        _folder(entries=b"code,title,institution,institution_type\nK1,A\x01B,Bappeda,badan\n"),
        2030,
        ("text.control_character", "entries", 2, "title"),
    ),
    (
        "control characters xlsx",
        _row("entries", 2, 8, "Laskar\x7fPerencana"),
        2030,
        ("text.control_character", "entries", 3, "summary"),
    ),
    (
        "text too long",
        _folder(entries=b"code,title,institution,institution_type\nK1," + b"x" * 40_000 + b",B,badan"),
        2030,
        ("text.too_long", "entries", 2, "title"),
    ),
    ("unit type", _row("entries", 2, 3, "swasta"), 2030, ("ingest.institution_type", "entries", 3, "institution_type")),
    (
        "unit two types",
        _append("entries", ["K30-009", "Lain", "bappeda", "dinas"]),
        2030,
        ("ingest.institution_conflict", "entries", 5, "institution_type"),
    ),
    ("day not whole", _row("entries", 1, 5, "1,5"), 2030, ("ingest.whole_number", "entries", 2, "day")),
    ("score missing", _row("scores", 2, 3, None), 2030, ("ingest.required", "scores", 3, "score")),
    (
        "empty template",
        _upload("kipp-template.xlsx", ingest.template_bytes()),
        2030,
        ("ingest.no_data", None, None, None),
    ),
    ("locked edition", _book(), LOCKED_YEAR, ("ingest.edition_locked", None, None, None)),
    ("published edition", _book(), PUBLISHED_YEAR, ("ingest.edition_published", None, None, None)),
    (
        "max below stored",
        _book(criteria=[["criterion", "weight", "max_score"], ["Kebaruan", 20, 50]], scores=[SCORE_HEAD]),
        2030,
        ("ingest.max_below_scores", "criteria", 2, "max_score"),
    ),
    (
        "recused juror",
        _book(scores=[SCORE_HEAD, [303, "Dr. Juri Satu", "Efektif", 70, None]]),
        2030,
        ("ingest.recused", "scores", 2, "juror"),
    ),
]


@pytest.fixture(scope="module", params=BACKENDS)
def populated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_template: str | None
) -> Iterator[Engine]:
    """An edition 2030 already imported (scores up to 90), a locked and a published edition, a recusal.

    Shared by the whole corpus: every case checks that the database is left exactly as it was.
    """
    from kipp.models import Entry, Juror, Recusal

    url = make_database(request.param, tmp_path_factory.mktemp("corpus"), postgres_template)
    engine = db.get_engine(url)
    base_import(engine)
    base_import(engine, LOCKED_YEAR)
    base_import(engine, PUBLISHED_YEAR)
    with db.write_session(engine) as session:
        for year, status in ((LOCKED_YEAR, "locked"), (PUBLISHED_YEAR, "published")):
            session.scalars(select(Edition).where(Edition.year == year)).one().status = status
        edition_id = session.scalars(select(Edition.id).where(Edition.year == 2030)).one()
        entry = session.scalars(select(Entry.id).where(Entry.edition_id == edition_id, Entry.code == "303")).one()
        juror = session.scalars(select(Juror.id).where(Juror.name == "Dr. Juri Satu")).one()
        session.add(Recusal(edition_id=edition_id, entry_id=entry, juror_id=juror, reason="unit sendiri"))
    yield engine
    drop_database(url)


def test_corpus_has_every_required_kind_of_bad_file() -> None:
    keys = {expected[0] for _, _, _, expected in CORPUS}
    assert len(CORPUS) >= 25
    assert {
        "ingest.file_type",
        "ingest.file_empty",
        "ingest.missing_sheet",
        "ingest.missing_column",
        "ingest.required",
        "ingest.duplicate_key",
        "ingest.unknown_juror",
        "ingest.unknown_criterion",
        "ingest.unknown_code",
        "ingest.not_a_number",
        "ingest.score_range",
        "ingest.not_positive",
        "ingest.score_conflict",
        "ingest.edition_locked",
        "ingest.formula",
        "ingest.not_finite",
        "ingest.too_large",
    } <= keys


@pytest.mark.parametrize(("build", "year", "expected"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_malformed_file_is_refused_with_its_message_and_nothing_changes(
    populated: Engine, tmp_path: Path, build: Callable[[Path], ingest.RawBook], year: int, expected: tuple
) -> None:
    before = dump(populated)
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.import_dataset(populated, ingest.parse(build(tmp_path)), year)
    found = [(p.key, p.sheet, p.row, p.column) for p in refused.value.problems]
    assert expected in found
    problem = refused.value.problems[found.index(expected)]
    for lang in ("id", "en"):
        message = problem.line(lang)
        assert "{" not in message and len(message) > 20
    assert dump(populated) == before


def test_every_problem_is_reported_at_once_with_excel_row_numbers(engine: Engine) -> None:
    sheets = organizer_sheets()
    sheets["Criteria"][2][2] = "nol"
    sheets["entries"][3][3] = "swasta"
    sheets["scores"][4][3] = 101
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.load_files([("rekap.xlsx", xlsx(sheets))])
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [
        ("criteria", 3, "weight"),
        ("entries", 4, "institution_type"),
        ("scores", 5, "score"),
    ]
    assert refused.value.problems[2].line("id") == (
        "sheet scores, baris 5, kolom score: Nilai 101 di luar rentang 0–100 untuk kriteria Kebaruan."
    )
    assert refused.value.problems[0].line("en") == (
        'sheet criteria, row 3, column weight: "nol" is not a number. Write a number such as 85 or 85,5.'
    )


# ------------------------------------------------------------------ command line


def test_cli_import_export_and_template(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "rekap.xlsx"
    source.write_bytes(organizer_workbook())
    assert main(["import", str(source), "--edition", "2030", "--name", "KIPP Uji", "--db", db_url]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("Imported rekap.xlsx into new edition 2030") and "scores 8 new" in out
    assert out.count("\n") == 0
    assert queries.edition_record(db.get_engine(db_url), 2030)["name"] == "KIPP Uji"

    for target in ("out.xlsx", "out.zip", "folder"):
        assert main(["export", "--edition", "2030", "--out", str(tmp_path / target), "--db", db_url]) == 0
        assert "3 entries, 8 score rows" in capsys.readouterr().out
        back = ingest.load_path(tmp_path / target)
        assert back.count("scores") == 8 and back.count("entries") == 3
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == [
        "assignments.csv",
        "criteria.csv",
        "entries.csv",
        "jurors.csv",
        "panels.csv",
        "scores.csv",
    ]

    assert main(["template", "--out", str(tmp_path / "template.xlsx")]) == 0
    assert _read((tmp_path / "template.xlsx").read_bytes())["scores"] == [
        ("code", "juror", "criterion", "score", "comment")
    ]


def test_cli_reports_every_problem_on_stderr(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = organizer_sheets()
    sheets["scores"][1][3] = "sembilan puluh"
    source = tmp_path / "salah.xlsx"
    source.write_bytes(xlsx(sheets))
    assert main(["import", str(source), "--edition", "2030", "--db", db_url]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert lines[0].startswith("error: sheet scores, row 2, column score:")
    assert lines[-1] == "1 problem(s) found; nothing was imported."
    assert main(["export", "--edition", "2099", "--out", str(tmp_path / "x.xlsx"), "--db", db_url]) == 1
    assert "Edition 2099 does not exist" in capsys.readouterr().err
    assert main(["template", "--out", str(tmp_path / "template.pdf")]) == 1
    assert ".xlsx" in capsys.readouterr().err
