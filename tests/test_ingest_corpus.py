"""A corpus of malformed uploads: broken and oversized zips, workbooks with absurd dimensions, missing
columns, numbers typed loosely, invisible and look-alike characters, duplicate files and keys.

Every case must be refused as a whole, with a message that says where (sheet, column) or what to do,
in both languages, and leave every table of the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, select

from kipp import db, ingest
from kipp.models import Edition
from tests.conftest import BACKENDS, drop_database, make_database
from tests.test_ingest import Rows, base_import, csv_text, dump, organizer_sheets, xlsx

LOCKED_YEAR, SCORING_YEAR = 2031, 2033
SCORE_HEAD = ["code", "juror", "criterion", "score", "comment"]
MB = 1024 * 1024

Files = list[tuple[str, bytes]]


# ------------------------------------------------------------------ building bad files


def sheets_with(**changes: Rows | None) -> dict[str, Rows]:
    """The organizers' sheets with some replaced (None removes a sheet)."""
    sheets = organizer_sheets()
    for name, rows in changes.items():
        key = next(k for k in sheets if k.lower() == name)
        if rows is None:
            del sheets[key]
        else:
            sheets[key] = rows
    return sheets


def rows_of(sheet: str) -> Rows:
    return [list(row) for row in next(v for k, v in organizer_sheets().items() if k.lower() == sheet)]


def cell(sheet: str, index: int, column: str, value: Any) -> Callable[[], Files]:
    """The workbook with one cell changed (index 1 = first row under the header)."""

    def build() -> Files:
        rows = rows_of(sheet)
        header = [str(h).strip().lower().replace(" ", "_") for h in rows[0]]
        rows[index][header.index(column)] = value
        return [("rekap.xlsx", xlsx(sheets_with(**{sheet: rows})))]

    return build


def appended(sheet: str, *extra: list[Any]) -> Callable[[], Files]:
    return lambda: [("rekap.xlsx", xlsx(sheets_with(**{sheet: rows_of(sheet) + [list(r) for r in extra]})))]


def without_column(sheet: str, column: str) -> Callable[[], Files]:
    """The workbook with one column of one sheet removed, header and cells."""

    def build() -> Files:
        rows = rows_of(sheet)
        header = [str(h).strip().lower().replace(" ", "_") for h in rows[0]]
        index = header.index(column)
        return [("rekap.xlsx", xlsx(sheets_with(**{sheet: [r[:index] + r[index + 1 :] for r in rows]})))]

    return build


def csv_files(**replaced: bytes | None) -> dict[str, bytes]:
    files = {name.lower(): csv_text(rows).encode("utf-8-sig") for name, rows in organizer_sheets().items()}
    for name, content in replaced.items():
        if content is None:
            del files[name]
        else:
            files[name] = content
    return files


def uploaded_csv(**replaced: bytes | None) -> Callable[[], Files]:
    return lambda: [(f"{name}.csv", content) for name, content in csv_files(**replaced).items()]


def zipped(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # a duplicate name is what some cases are about
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_of(extra: list[tuple[str, bytes]] = (), **replaced: bytes | None) -> Callable[[], Files]:
    """A .zip of the four CSV files (some replaced or removed) plus ``extra`` members."""
    return lambda: [("rekap.zip", zipped([(f"{n}.csv", c) for n, c in csv_files(**replaced).items()] + list(extra)))]


def upload(name: str, data: bytes) -> Callable[[], Files]:
    return lambda: [(name, data)]


@cache
def zeros_zip(member: str, size: int, base: bytes | None = None) -> bytes:
    """A zip (or workbook, when ``base`` is one) with one more member of ``size`` zero bytes, streamed."""
    buffer = io.BytesIO(base or b"")
    with (
        zipfile.ZipFile(buffer, "a" if base else "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as stream,
    ):
        for _ in range(size // MB):
            stream.write(b"0" * MB)
    return buffer.getvalue()


def forged_size(data: bytes, member: str, size: int) -> bytes:
    """A zip whose headers (local and central) declare ``size`` bytes for ``member``: a lying header."""
    patched = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := patched.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if patched[name_at : name_at + len(name)] == name:
                patched[start + offset : start + offset + 4] = struct.pack("<I", size)
            start += 4
    return bytes(patched)


def forged_method(data: bytes) -> bytes:
    """A zip whose members claim a compression method nobody implements."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := patched.find(signature, start)) != -1:
            patched[start + offset : start + offset + 2] = struct.pack("<H", 99)
            start += 4
    return bytes(patched)


def rewritten(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """A workbook with one XML part changed (to make its declared dimension lie)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content.decode()).encode() if info.filename == part else content)
    return buffer.getvalue()


def far_cell(row: int, column: int, *, lie: bool) -> Callable[[], Files]:
    """The workbook with one more cell far out in the scores sheet; ``lie`` declares the sheet small."""

    def build() -> Files:
        book = openpyxl.load_workbook(io.BytesIO(xlsx(organizer_sheets())))
        book["scores"].cell(row, column, "x")
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        if lie:
            part = "xl/worksheets/sheet4.xml"
            data = rewritten(
                data,
                part,
                lambda text: text.replace(text[text.index("<dimension") :].split("/>")[0], '<dimension ref="A1:E9"'),
            )
        return [("rekap.xlsx", data)]

    return build


def long_comments() -> Files:
    """Two different comments of one entry and juror that together pass the feedback limit."""
    scores = rows_of("scores")
    scores[1][4] = "a" * 2500
    scores.append(["K30-001", "Dr. Juri Satu", "Efektif", "85,5", "b" * 2500])
    return [("rekap.xlsx", xlsx(sheets_with(scores=scores)))]


def many_members() -> Files:
    members = [(f"{n}.csv", c) for n, c in csv_files().items()]
    return [("rekap.zip", zipped(members + [(f"lampiran/{i}.txt", b"x") for i in range(1001)]))]


ENTRY_HEAD = b"code,title,institution,institution_type\n"
NOISE = random.Random(0).randbytes(300_000)  # packs no smaller: a header claiming 40 MB is not "too tight"

# (id, the upload, target year, expected (key, sheet, column))
Case = tuple[str, Callable[[], Files], int, tuple[str, str | None, str | None]]
CORPUS: list[Case] = [
    # zips: bombs, lying headers, duplicates, damage
    (
        "zip bomb scores.csv",
        lambda: [("rekap.zip", zeros_zip("scores.csv", 64 * MB))],
        2030,
        ("ingest.member_ratio", None, None),
    ),
    (
        "zip header claims 40 MB",
        lambda: [("rekap.zip", forged_size(zipped([("scores.csv", NOISE)]), "scores.csv", 40 * MB))],
        2030,
        ("ingest.member_too_large", None, None),
    ),
    (
        "zip header claims less than it holds",
        lambda: [("rekap.zip", forged_size(zip_of()()[0][1], "scores.csv", 10))],
        2030,
        ("ingest.not_a_zip", None, None),
    ),
    (
        "zip two scores.csv in folders",
        zip_of([("lama/scores.csv", csv_text(rows_of("scores")).encode())]),
        2030,
        ("ingest.duplicate_file", "scores", None),
    ),
    (
        "zip scores.csv and SCORES.CSV",
        zip_of([("SCORES.CSV", csv_text(rows_of("scores")).encode())]),
        2030,
        ("ingest.duplicate_file", "scores", None),
    ),
    (
        "zip same member twice",
        zip_of([("scores.csv", csv_text([SCORE_HEAD]).encode())]),
        2030,
        ("ingest.duplicate_file", "scores", None),
    ),
    (
        "zip duplicate jurors.csv",
        zip_of([("x/y/Jurors.csv", b"juror\nJuri Tiga\n")]),
        2030,
        ("ingest.duplicate_file", "jurors", None),
    ),
    ("zip with 1001 files", many_members, 2030, ("ingest.too_many_members", None, None)),
    ("zip truncated", lambda: [("rekap.zip", zip_of()()[0][1][:300])], 2030, ("ingest.not_a_zip", None, None)),
    (
        "zip unknown compression",
        lambda: [("rekap.zip", forged_method(zip_of()()[0][1]))],
        2030,
        ("ingest.not_a_zip", None, None),
    ),
    (
        "zip without csv",
        upload("rekap.zip", zipped([("baca.txt", b"hello")])),
        2030,
        ("ingest.missing_csv", "criteria", None),
    ),
    ("zip empty archive", upload("rekap.zip", zipped([])), 2030, ("ingest.missing_csv", "scores", None)),
    (
        "zip holding a zip",
        upload("rekap.zip", zipped([("data.zip", zip_of()()[0][1])])),
        2030,
        ("ingest.missing_csv", "entries", None),
    ),
    ("zip member latin-1", zip_of(jurors="juror\nJosé\n".encode("latin-1")), 2030, ("ingest.not_utf8", "jurors", None)),
    ("zip entries missing", zip_of(entries=None), 2030, ("ingest.missing_csv", "entries", None)),
    (
        "upload two scores.csv",
        lambda: [*uploaded_csv()(), ("scores.csv", csv_text([SCORE_HEAD]).encode())],
        2030,
        ("ingest.duplicate_file", "scores", None),
    ),
    (
        "upload Scores.csv and scores.csv",
        lambda: [*uploaded_csv()(), ("Scores.csv", b"code\n")],
        2030,
        ("ingest.duplicate_file", "scores", None),
    ),
    ("upload without criteria.csv", uploaded_csv(criteria=None), 2030, ("ingest.missing_csv", "criteria", None)),
    # workbooks: absurd dimensions, bombs, damage
    (
        "xlsx cell at XFD1048576",
        far_cell(1_048_576, 16_384, lie=False),
        2030,
        ("ingest.sheet_too_large", "scores", None),
    ),
    ("xlsx 101 columns", far_cell(2, 101, lie=False), 2030, ("ingest.sheet_too_large", "scores", None)),
    ("xlsx 200001 rows", far_cell(200_001, 1, lie=False), 2030, ("ingest.sheet_too_large", "scores", None)),
    (
        "xlsx lying dimension, far row",
        far_cell(1_048_576, 1, lie=True),
        2030,
        ("ingest.sheet_too_large", "scores", None),
    ),
    (
        "xlsx lying dimension, far column",
        far_cell(3, 16_384, lie=True),
        2030,
        ("ingest.sheet_too_large", "scores", None),
    ),
    (
        "xlsx bomb part",
        lambda: [("rekap.xlsx", zeros_zip("xl/media/image1.bin", 50 * MB, xlsx(organizer_sheets())))],
        2030,
        ("ingest.member_ratio", None, None),
    ),
    (
        "xlsx truncated",
        lambda: [("rekap.xlsx", xlsx(organizer_sheets())[:2000])],
        2030,
        ("ingest.not_a_workbook", None, None),
    ),
    ("zip of csv named xlsx", lambda: [("rekap.xlsx", zip_of()()[0][1])], 2030, ("ingest.not_a_workbook", None, None)),
    (
        "xlsx without criteria",
        lambda: [("rekap.xlsx", xlsx(sheets_with(criteria=None)))],
        2030,
        ("ingest.missing_sheet", "criteria", None),
    ),
    (
        "xlsx without jurors",
        lambda: [("rekap.xlsx", xlsx(sheets_with(jurors=None)))],
        2030,
        ("ingest.missing_sheet", "jurors", None),
    ),
    (
        "xlsx without entries",
        lambda: [("rekap.xlsx", xlsx(sheets_with(entries=None)))],
        2030,
        ("ingest.missing_sheet", "entries", None),
    ),
    # empty and undecodable files
    ("empty zip file", upload("rekap.zip", b""), 2030, ("ingest.file_empty", None, None)),
    ("empty csv upload", uploaded_csv(scores=b""), 2030, ("ingest.file_empty", None, None)),
    ("csv only a BOM", uploaded_csv(jurors="\ufeff".encode()), 2030, ("ingest.no_header", "jurors", None)),
    (
        "csv utf-16",
        uploaded_csv(jurors="juror\nJuri Satu\n".encode("utf-16")),
        2030,
        ("ingest.not_utf8", "jurors", None),
    ),
    (
        "csv cp1252 quotes",
        uploaded_csv(entries=ENTRY_HEAD + "K1,\u201cSi Kawan\u201d,B,badan\n".encode("cp1252")),
        2030,
        ("ingest.not_utf8", "entries", None),
    ),
    (
        "csv 101 columns",
        uploaded_csv(jurors=(",".join(["juror"] + [f"c{i}" for i in range(100)]) + "\nA\n").encode()),
        2030,
        ("ingest.sheet_too_large", "jurors", None),
    ),
    (
        "csv 200001 rows",
        uploaded_csv(jurors=b"juror\n" + b"".join(b"J%d\n" % i for i in range(200_001))),
        2030,
        ("ingest.sheet_too_large", "jurors", None),
    ),
    (
        "csv field beyond the csv limit",
        uploaded_csv(entries=ENTRY_HEAD + b'K1,"' + b"x" * 200_000 + b'",B,badan\n'),
        2030,
        ("ingest.csv_unreadable", "entries", None),
    ),
    # numbers typed loosely or of the wrong type
    ("score 8 5", cell("scores", 1, "score", "8 5"), 2030, ("ingest.not_a_number", "scores", "score")),
    ("score 8_5", cell("scores", 1, "score", "8_5"), 2030, ("ingest.not_a_number", "scores", "score")),
    ("weight 2 0", cell("criteria", 1, "weight", "2 0"), 2030, ("ingest.not_a_number", "criteria", "weight")),
    ("max 1_00", cell("criteria", 1, "max_score", "1_00"), 2030, ("ingest.not_a_number", "criteria", "max_score")),
    ("score 1.000,5", cell("scores", 1, "score", "1.000,5"), 2030, ("ingest.not_a_number", "scores", "score")),
    (
        "score arabic digits",
        cell("scores", 1, "score", "\u0668\u0665"),
        2030,
        ("ingest.not_a_number", "scores", "score"),
    ),
    (
        "score full-width digits",
        cell("scores", 1, "score", "\uff18\uff15"),
        2030,
        ("ingest.not_a_number", "scores", "score"),
    ),
    ("score with percent", cell("scores", 1, "score", "85%"), 2030, ("ingest.not_a_number", "scores", "score")),
    ("score true", cell("scores", 1, "score", True), 2030, ("ingest.not_a_number", "scores", "score")),
    (
        "score a date",
        cell("scores", 1, "score", dt.datetime(2030, 5, 1)),
        2030,
        ("ingest.not_a_number", "scores", "score"),
    ),
    ("weight nan", cell("criteria", 1, "weight", "nan"), 2030, ("ingest.not_finite", "criteria", "weight")),
    ("max -inf", cell("criteria", 1, "max_score", "-inf"), 2030, ("ingest.not_finite", "criteria", "max_score")),
    ("day 1 2", cell("entries", 1, "day", "1 2"), 2030, ("ingest.not_a_number", "entries", "day")),
    ("slot 0", cell("entries", 1, "slot", 0), 2030, ("ingest.whole_number", "entries", "slot")),
    ("day 10000", cell("entries", 1, "day", 10_000), 2030, ("ingest.whole_number", "entries", "day")),
    (
        "unit type unknown",
        cell("entries", 1, "institution_type", "kementerian"),
        2030,
        ("ingest.institution_type", "entries", "institution_type"),
    ),
    # control characters, text-direction controls, invisible characters
    (
        "NUL in title",
        uploaded_csv(entries=ENTRY_HEAD + b"K1,A\x00B,Bappeda,badan\n"),
        2030,
        ("text.control_character", "entries", "title"),
    ),
    (
        "escape in juror",
        uploaded_csv(jurors=b"juror\nJuri\x1bSatu\n"),
        2030,
        ("text.control_character", "jurors", "juror"),
    ),
    (
        "backspace in unit",
        uploaded_csv(entries=ENTRY_HEAD + b"K1,A,Bap\x08peda,badan\n"),
        2030,
        ("text.control_character", "entries", "institution"),
    ),
    (
        "C1 control in comment",
        uploaded_csv(
            scores=b"code,juror,criterion,score,comment\nK30-001,Juri Dua,Efektif,70," + "a\u0090b".encode() + b"\n"
        ),
        2030,
        ("text.control_character", "scores", "comment"),
    ),
    (
        "right-to-left override in title",
        cell("entries", 1, "title", "Si Kawan \u202eudud"),
        2030,
        ("text.bidi_control", "entries", "title"),
    ),
    (
        "left-to-right embedding in summary",
        cell("entries", 2, "summary", "\u202aRingkasan"),
        2030,
        ("text.bidi_control", "entries", "summary"),
    ),
    (
        "isolate in juror",
        cell("jurors", 2, "juror", "Juri \u2066Dua\u2069"),
        2030,
        ("text.bidi_control", "jurors", "juror"),
    ),
    (
        "right-to-left mark in code",
        cell("entries", 1, "code", "K30-001\u200f"),
        2030,
        ("text.bidi_control", "entries", "code"),
    ),
    (
        "arabic letter mark in comment",
        cell("scores", 1, "comment", "Bagus\u061c"),
        2030,
        ("text.bidi_control", "scores", "comment"),
    ),
    (
        "zero-width joiner in juror",
        cell("jurors", 2, "juror", "Juri\u200dDua"),
        2030,
        ("text.invisible", "jurors", "juror"),
    ),
    (
        "zero-width space in code",
        cell("entries", 2, "code", "K30\u200b-002"),
        2030,
        ("text.invisible", "entries", "code"),
    ),
    (
        "byte order mark in criterion",
        cell("criteria", 1, "criterion", "Keba\ufeffruan"),
        2030,
        ("text.invisible", "criteria", "criterion"),
    ),
    (
        "soft hyphen in unit",
        cell("entries", 2, "institution", "Bap\u00adpeda"),
        2030,
        ("text.invisible", "entries", "institution"),
    ),
    (
        "word joiner in title",
        cell("entries", 3, "title", "KOPI\u2060TUBRUK"),
        2030,
        ("text.invisible", "entries", "title"),
    ),
    # look-alike names
    (
        "cyrillic a in juror",
        cell("jurors", 2, "juror", "Juri Du\u0430"),
        2030,
        ("ingest.mixed_scripts", "jurors", "juror"),
    ),
    (
        "cyrillic in score juror",
        cell("scores", 4, "juror", "Juri Du\u0430"),
        2030,
        ("ingest.mixed_scripts", "scores", "juror"),
    ),
    (
        "greek o in criterion",
        cell("criteria", 2, "criterion", "Efektif \u03bfk"),
        2030,
        ("ingest.mixed_scripts", "criteria", "criterion"),
    ),
    (
        "cyrillic in unit",
        cell("entries", 2, "institution", "B\u0430ppeda"),
        2030,
        ("ingest.mixed_scripts", "entries", "institution"),
    ),
    (
        "cyrillic K code in scores",
        appended("scores", ["\u041a30-002", "Juri Dua", "Efektif", 70, None]),
        2030,
        ("ingest.lookalike_letters", "scores", "code"),
    ),
    (
        "cyrillic K code for a new entry",
        appended("entries", ["\u041a30-001", "Si Kawan Duduk", "Bappeda", "badan"]),
        2030,
        ("ingest.lookalike_letters", "entries", "code"),
    ),
    (
        "greek look-alike juror",
        appended("jurors", ["\u039a\u039f\u03a1\u0399", None]),
        2030,
        ("ingest.lookalike_letters", "jurors", "juror"),
    ),
    (
        "nbsp juror repeats a juror",
        appended("jurors", ["Juri\u00a0Dua", None]),
        2030,
        ("ingest.duplicate_key", "jurors", "juror"),
    ),
    # duplicate keys
    (
        "criterion twice",
        appended("criteria", [4, "KEBARUAN", 10, 100, None]),
        2030,
        ("ingest.duplicate_key", "criteria", "criterion"),
    ),
    (
        "code twice in other case",
        appended("entries", ["k30-002", "Lain", "Bappeda", "badan"]),
        2030,
        ("ingest.duplicate_key", "entries", "code"),
    ),
    (
        "score twice differently",
        appended("scores", ["K30-001", "Juri Dua", "Efektif", 76, None]),
        2030,
        ("ingest.score_conflict", "scores", "score"),
    ),
    # formulas
    ("formula criterion", cell("criteria", 1, "criterion", "=A1"), 2030, ("ingest.formula", "criteria", "criterion")),
    ("formula weight", cell("criteria", 1, "weight", "=10+10"), 2030, ("ingest.formula", "criteria", "weight")),
    ("formula juror", cell("jurors", 1, "juror", '=CONCAT("Juri","X")'), 2030, ("ingest.formula", "jurors", "juror")),
    (
        "formula comment",
        cell("scores", 1, "comment", '=HYPERLINK("http://x")'),
        2030,
        ("ingest.formula", "scores", "comment"),
    ),
    (
        "csv formula score",
        uploaded_csv(scores=b"code,juror,criterion,score\nK30-001,Juri Dua,Efektif,=1+1\n"),
        2030,
        ("ingest.formula", "scores", "score"),
    ),
    # text beyond the limits
    (
        "comment over the feedback limit",
        cell("scores", 1, "comment", "x" * 4_001),
        2030,
        ("text.too_long", "scores", "comment"),
    ),
    ("comments joined over the limit", long_comments, 2030, ("text.too_long", "scores", "comment")),
    (
        "title over a cell",
        uploaded_csv(entries=ENTRY_HEAD + b"K1," + b"x" * 32_768 + b",B,badan\n"),
        2030,
        ("text.too_long", "entries", "title"),
    ),
    # the database's side
    (
        "new juror while scoring",
        appended("jurors", ["Juri Tiga", None]),
        SCORING_YEAR,
        ("ingest.juror_during_scoring", "jurors", "juror"),
    ),
    (
        "locked edition",
        lambda: [("rekap.xlsx", xlsx(organizer_sheets()))],
        LOCKED_YEAR,
        ("ingest.edition_locked", None, None),
    ),
    # who scores what: panels, assignments, statuses
    (
        "score of a juror not assigned",
        appended("scores", [303, "Dr. Juri Satu", "Kebaruan", 70, None]),
        2030,
        ("ingest.unassigned", "scores", "juror"),
    ),
    (
        "seat in a session no entry uses",
        appended("panels", [9, "Ruang 1", "Juri Dua"]),
        2030,
        ("ingest.unknown_session", "panels", "room"),
    ),
    (
        "seat of an unknown juror",
        appended("panels", [1, "Ruang 1", "Juri X"]),
        2030,
        ("ingest.unknown_juror", "panels", "juror"),
    ),
    ("seat twice", appended("panels", [1, "Ruang  1", "Juri Dua"]), 2030, ("ingest.duplicate_key", "panels", "juror")),
    ("formula room", cell("panels", 1, "room", "=B1"), 2030, ("ingest.formula", "panels", "room")),
    ("seat day zero", cell("panels", 1, "day", 0), 2030, ("ingest.whole_number", "panels", "day")),
    (
        "assignment to an unknown code",
        appended("assignments", ["K30-404", "Juri Dua"]),
        2030,
        ("ingest.unknown_code", "assignments", "code"),
    ),
    (
        "assignment of an unknown juror",
        appended("assignments", [303, "Juri X"]),
        2030,
        ("ingest.unknown_juror", "assignments", "juror"),
    ),
    (
        "assignment orphaning a stored sheet",
        appended("assignments", ["K30-001", "Juri Dua"]),
        2030,
        ("ingest.orphaned_sheets", "assignments", "juror"),
    ),
    (
        "csv panels.csv latin-1",
        zip_of(panels="day,room,juror\n1,Ruang 1,Jos\u00e9\n".encode("latin-1")),
        2030,
        ("ingest.not_utf8", "panels", None),
    ),
]
REQUIRED = [(sheet, column) for sheet, spec in ingest.SHEETS.items() for column in spec.required]
CORPUS += [
    (f"missing {sheet}.{column}", without_column(sheet, column), 2030, ("ingest.missing_column", sheet, column))
    for sheet, column in REQUIRED
]


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_template: str | None
) -> Iterator[Engine]:
    """Edition 2030 imported (draft), a locked edition and one being scored: shared by the corpus."""
    url = make_database(request.param, tmp_path_factory.mktemp("corpus"), postgres_template)
    engine = db.get_engine(url)
    for year in (2030, LOCKED_YEAR, SCORING_YEAR):
        base_import(engine, year)
    with db.write_session(engine) as session:
        for year, status in ((LOCKED_YEAR, "locked"), (SCORING_YEAR, "scoring")):
            session.scalars(select(Edition).where(Edition.year == year)).one().status = status
    yield engine
    drop_database(url)


def test_corpus_is_large_and_covers_every_required_column() -> None:
    assert len(CORPUS) >= 70
    assert len({name for name, *_ in CORPUS}) == len(CORPUS)
    assert {(s, c) for _, _, _, (k, s, c) in CORPUS if k == "ingest.missing_column"} == set(REQUIRED)


@pytest.mark.parametrize(("build", "year", "expected"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_malformed_upload_is_refused_with_a_clear_message_and_nothing_changes(
    corpus_db: Engine, build: Callable[[], Files], year: int, expected: tuple[str, str | None, str | None]
) -> None:
    before = dump(corpus_db)
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.import_dataset(corpus_db, ingest.load_files(build()), year)
    found = [(p.key, p.sheet, p.column) for p in refused.value.problems]
    assert expected in found, found
    problem = refused.value.problems[found.index(expected)]
    for lang in ("id", "en"):
        line = problem.line(lang)
        assert "{" not in line and len(line) > 30
        assert (problem.sheet or "") in line and (problem.column or "") in line
    assert dump(corpus_db) == before


def test_missing_columns_of_every_sheet_are_all_listed_at_once(engine: Engine) -> None:
    """Every required column missing from every sheet is a problem of its own, never a crash."""
    sheets = {name: [[f"note {name}"], ["x"]] for name in ingest.SHEETS}
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.load_files([("rekap.xlsx", xlsx(sheets))])
    listed = {(p.sheet, p.column) for p in refused.value.problems if p.key == "ingest.missing_column"}
    assert listed == set(REQUIRED)


def test_a_csv_folder_with_a_duplicate_sheet_file_is_refused(tmp_path: Path) -> None:
    for name, content in csv_files().items():
        (tmp_path / f"{name}.csv").write_bytes(content)
    (tmp_path / "SCORES.CSV").write_bytes(csv_text([SCORE_HEAD]).encode())
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.load_path(tmp_path)
    assert [p.key for p in refused.value.problems] == ["ingest.duplicate_file"]


def test_zip_extras_are_not_read_and_a_nbsp_name_is_the_same_juror(engine: Engine) -> None:
    """Only the four CSV files are read (other members, __MACOSX copies are ignored); an NBSP in a name
    from a pasted cell is a plain space, so it matches the juror instead of creating a look-alike."""
    base_import(engine)
    scores = [SCORE_HEAD, ["K30-002", "Juri\u00a0Dua", "Efektif", 65, None]]
    members = [(f"{n}.csv", c) for n, c in csv_files(scores=csv_text(scores).encode()).items()]
    members += [("__MACOSX/._scores.csv", b"\x00\x05\x16\x07"), ("foto.jpg", b"\xff\xd8" * 1000)]
    summary = ingest.import_dataset(engine, ingest.load_files([("rekap.zip", zipped(members))]), 2030)
    assert (summary.change("jurors").new, summary.change("scores").new) == (0, 1)
