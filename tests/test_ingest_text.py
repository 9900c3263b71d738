"""One text check for every write path (kipp.text.clean_text): the score sheet and the importer store
feedback the same way, with the same limit, and refuse what a workbook or PostgreSQL cannot hold.
Also the number reader shared by both, and how fast oversized uploads are refused."""

from __future__ import annotations

import io
import time
import tracemalloc

import openpyxl
import pytest
from sqlalchemy import Engine, select

from kipp import db, ingest, services
from kipp.audit import Actor, WriteRefused
from kipp.i18n import NotANumber, parse_number
from kipp.models import Edition, Feedback
from kipp.text import FEEDBACK_LIMIT, TextRefused, clean_text
from tests.factories import make_edition
from tests.test_ingest import base_import, csv_text, organizer_sheets, xlsx
from tests.test_ingest_corpus import MB, far_cell, zeros_zip

ORGANIZER = Actor("panitia", "organizer")


# ------------------------------------------------------------------ the check itself


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("satu\r\ndua", "satu\ndua"),
        ("satu\rdua", "satu\ndua"),
        ("satu\x0bdua", "satu\ndua"),  # Word's Shift+Enter
        ("satu\u2028dua\u2029tiga", "satu\ndua\ntiga"),
        ("  Cafe\u0301  ", "Café"),  # composed (NFC) and stripped
        ("tab\tstays", "tab\tstays"),
    ],
)
def test_line_breaks_are_normalised_and_text_composed(raw: str, stored: str) -> None:
    assert clean_text(raw, limit=100) == stored


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("a\x00b", "text.control_character"),
        ("a\x1bb", "text.control_character"),
        ("a\x7fb", "text.control_character"),
        ("a\u0090b", "text.control_character"),
        ("abc\u202edcba", "text.bidi_control"),
        ("a\u2067b", "text.bidi_control"),
        ("a\u200fb", "text.bidi_control"),
        ("Juri\u200dDua", "text.invisible"),
        ("a\u200bb", "text.invisible"),
        ("a\ufeffb", "text.invisible"),
        ("x" * 11, "text.too_long"),
    ],
)
def test_text_that_cannot_be_stored_is_refused_with_its_reason(raw: str, key: str) -> None:
    with pytest.raises(TextRefused) as refused:
        clean_text(raw, limit=10)
    assert refused.value.key == key


@pytest.mark.parametrize(("raw", "value"), [("85", 85.0), ("85,5", 85.5), ("85.5", 85.5), (" 85 ", 85.0), (7, 7.0)])
def test_numbers_as_people_type_them_are_read(raw: object, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["8 5", "8_5", "1_000", "8\u00a05", "1.000,5", "\u0668\u0665", "85 %"])
def test_numbers_with_inner_spaces_underscores_or_foreign_digits_are_refused(raw: str) -> None:
    with pytest.raises(NotANumber):
        parse_number(raw)


# ------------------------------------------------------------------ the score sheet


@pytest.fixture
def sheet_ids(engine: Engine) -> dict:
    return make_edition(engine, criteria=(("Kebaruan", 1.0, 100.0),), jurors=("Juri A",), status="scoring")


def _submit(engine: Engine, ids: dict, feedback: str, reason: str | None = None, actor: Actor | None = None) -> None:
    services.submit_sheet(
        engine,
        actor=actor or Actor("juri-a", "juror", ids["jurors"]["Juri A"]),
        entry_id=ids["entries"]["E1"],
        juror_id=ids["jurors"]["Juri A"],
        values={ids["criteria"]["Kebaruan"][0]: 80},
        feedback=feedback,
        reason=reason,
    )


def _feedback(engine: Engine) -> list[str]:
    with db.read_session(engine) as session:
        return list(session.scalars(select(Feedback.text)))


def test_word_line_break_in_feedback_is_stored_as_a_line_break_and_exports(engine: Engine, sheet_ids: dict) -> None:
    _submit(engine, sheet_ids, "Paparan jelas.\x0bPerkuat data dampak.")
    assert _feedback(engine) == ["Paparan jelas.\nPerkuat data dampak."]
    workbook = ingest.xlsx_bytes(ingest.export_tables(engine, 2030))  # a stored \x0b made this raise
    assert openpyxl.load_workbook(io.BytesIO(workbook))["scores"]["E2"].value == "Paparan jelas.\nPerkuat data dampak."


@pytest.mark.parametrize(
    ("feedback", "key"),
    [
        ("Bagus\x00", "text.control_character"),  # PostgreSQL refused this with a DataError
        ("Bagus\x1b[31m", "text.control_character"),
        ("\u202eBagus", "text.bidi_control"),
        ("Bag\u200bus", "text.invisible"),
        ("x" * (FEEDBACK_LIMIT + 1), "services.feedback_too_long"),
    ],
)
def test_score_sheet_refuses_feedback_that_cannot_be_stored(
    engine: Engine, sheet_ids: dict, feedback: str, key: str
) -> None:
    with pytest.raises(WriteRefused) as refused:
        _submit(engine, sheet_ids, feedback)
    assert [p.key for p in refused.value.problems] == [key]
    assert refused.value.problems[0].text("id") and refused.value.problems[0].text("en")
    assert _feedback(engine) == []


def test_a_correction_reason_gets_the_same_check(engine: Engine, sheet_ids: dict) -> None:
    with pytest.raises(WriteRefused) as refused:
        _submit(engine, sheet_ids, "Bagus", reason="salah \u202eketik", actor=ORGANIZER)
    assert [p.key for p in refused.value.problems] == ["text.bidi_control"]


# ------------------------------------------------------------------ the importer, with the same limit


def _scores_csv(comment: str) -> list[tuple[str, bytes]]:
    files = {name.lower(): csv_text(rows).encode("utf-8") for name, rows in organizer_sheets().items()}
    files["scores"] = csv_text(
        [["code", "juror", "criterion", "score", "comment"], ["K30-002", "Juri Dua", "Kebaruan", 70, comment]]
    ).encode()
    return [(f"{name}.csv", content) for name, content in files.items()]


def test_imported_feedback_is_normalised_like_typed_feedback_and_exports(engine: Engine) -> None:
    ingest.import_dataset(engine, ingest.load_files(_scores_csv("Satu\x0bdua\r\ntiga")), 2030)
    assert _feedback(engine) == ["Satu\ndua\ntiga"]
    ingest.xlsx_bytes(ingest.export_tables(engine, 2030))


def test_imported_feedback_with_a_nul_is_refused(engine: Engine) -> None:
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.load_files(_scores_csv("Bagus\x00"))
    assert [(p.key, p.sheet, p.column) for p in refused.value.problems] == [
        ("text.control_character", "scores", "comment")
    ]


def test_feedback_limit_of_the_score_sheet_holds_for_imports(engine: Engine) -> None:
    """One limit for every path: 4,000 characters import whole (nothing is cut later), one more is refused."""
    text = "x" * FEEDBACK_LIMIT
    ingest.import_dataset(engine, ingest.load_files(_scores_csv(text)), 2030)
    with pytest.raises(ingest.ImportRefused):
        ingest.load_files(_scores_csv(text + "y"))
    assert _feedback(engine) == [text]


def test_known_jurors_may_still_be_imported_while_scoring(engine: Engine) -> None:
    """Only a juror new to the panel is refused during scoring; updates of the panel's jurors land."""
    base_import(engine)
    with db.write_session(engine) as session:
        session.scalars(select(Edition)).one().status = "scoring"
    sheets = organizer_sheets()
    sheets["JURORS"][2][1] = "Universitas Negeri Malang"
    summary = ingest.import_dataset(engine, ingest.load_files([("rekap.xlsx", xlsx(sheets))]), 2030)
    assert summary.change("jurors").updated == 1


# ------------------------------------------------------------------ oversized uploads are refused fast


def _refusal(files: list[tuple[str, bytes]]) -> tuple[float, float, list[str]]:
    """Seconds to refuse an upload, peak megabytes allocated doing it (a second, traced run), the problem keys."""
    started = time.perf_counter()
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.load_files(files)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    with pytest.raises(ingest.ImportRefused):
        ingest.load_files(files)
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return seconds, peak, [p.key for p in refused.value.problems]


def test_a_zip_bomb_is_refused_in_a_moment_without_unpacking_it() -> None:
    bomb = zeros_zip("scores.csv", 64 * MB)
    seconds, peak, keys = _refusal([("rekap.zip", bomb)])
    print(f"zip bomb ({len(bomb) // 1024} KB packed, 64 MB unpacked): refused in {seconds:.3f} s, peak {peak:.1f} MB")
    assert keys == ["ingest.member_ratio"] and seconds < 2 and peak < 16


@pytest.mark.parametrize("lie", [False, True], ids=["declared", "dimension lies"])
def test_a_workbook_with_a_cell_at_xfd1048576_is_refused_within_seconds(lie: bool) -> None:
    files = far_cell(1_048_576, 16_384 if not lie else 1, lie=lie)()
    seconds, peak, keys = _refusal(files)
    print(f"far cell ({len(files[0][1]) // 1024} KB, {lie=}): refused in {seconds:.3f} s, peak {peak:.1f} MB")
    assert "ingest.sheet_too_large" in keys and seconds < 5 and peak < 64
