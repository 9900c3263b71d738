"""Text people typed is data in every workbook and CSV file we write: never a live formula."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from kipp import cells, queries, reports, scoring, services
from kipp.audit import Actor
from kipp.documents import recap_workbook
from tests.factories import make_edition

PAYLOADS = ('=HYPERLINK("http://x","klik")', "+1", "-2+3", "@SUM(A1)")
JURORS = ("=Juri A", "Juri B")
CRITERION = "-Kebaruan"
# One criterion out of 100: a juror's total is the score.  Juror B scores on a much smaller
# range, so the z-score method puts E1 (both jurors' lowest) below zero: a negative number.
TOTALS = {"E1": (0, 0), "E2": (100, 1), "E3": (100, 1), "E4": (100, 1)}


@pytest.fixture
def edition(engine: Engine) -> dict:
    """Four entries titled with formulas, from units named like formulas, every sheet complete."""
    entries = [(code, title, f"{title} unit") for code, title in zip(TOTALS, PAYLOADS, strict=True)]
    scores = {
        (code, juror, CRITERION): total
        for code, pair in TOTALS.items()
        for juror, total in zip(JURORS, pair, strict=True)
    }
    return make_edition(engine, criteria=((CRITERION, 1.0, 100.0),), jurors=JURORS, entries=entries, scores=scores)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_xlsx_values_that_could_run_become_quoted_text_and_numbers_stay_numbers() -> None:
    sheet = Workbook().active
    sheet.append([cells.xlsx_value(sheet, value) for value in (*PAYLOADS, "\t=1", "Inovasi", -2.5, 0)])
    book = load_workbook(io.BytesIO(_saved(sheet.parent)))
    row = book.active[1]
    for cell, typed in zip(row[:5], (*PAYLOADS, "\t=1"), strict=True):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (typed, "s", True)
    assert (row[5].value, row[5].quotePrefix) == ("Inovasi", False)
    assert [(cell.value, cell.data_type) for cell in row[6:]] == [(-2.5, "n"), (0, "n")]


def test_csv_text_uses_the_importers_apostrophe_and_leaves_numbers_alone() -> None:
    frame = pd.DataFrame({"=title": [*PAYLOADS, "'Tis", "Inovasi"], "score": [-2.5, 1, 2, 3, 4, 5]})
    rows = list(csv.reader(io.StringIO(cells.csv_bytes(frame).decode("utf-8-sig"))))
    assert rows[0] == ["'=title", "score"]
    assert [row[0] for row in rows[1:]] == [f"'{text}" for text in (*PAYLOADS, "'Tis")] + ["Inovasi"]
    assert rows[1][1] == "-2.5"


def test_the_recap_workbook_writes_titles_units_and_names_as_text(engine: Engine, edition: dict) -> None:
    content = recap_workbook(queries.edition_record(engine, 2030), queries.load_edition(engine, 2030), "zscore")
    book = load_workbook(io.BytesIO(content))
    typed = {*PAYLOADS, *(f"{title} unit" for title in PAYLOADS), JURORS[0], CRITERION}
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if cell.value in typed:
                    assert (cell.data_type, cell.quotePrefix) == ("s", True)
                    found.add(cell.value)
    assert found == typed
    board = book.worksheets[0]
    header = [cell.value for cell in board[1]]
    column = header.index("Nilai akhir") + 1
    score = next(row[column - 1] for row in board.iter_rows(min_row=2) if row[1].value == "E1")
    assert score.data_type == "n" and score.value < 0


def test_the_leaderboard_csv_escapes_text_and_keeps_a_negative_score_a_number(engine: Engine, edition: dict) -> None:
    board = scoring.leaderboard(queries.load_edition(engine, 2030), "zscore")
    rows = {row["code"]: row for row in csv_rows(reports.format_leaderboard(board, "csv"))}
    for code, title in zip(TOTALS, PAYLOADS, strict=True):
        assert rows[code]["title"] == f"'{title}"
        assert rows[code]["institution"] == f"'{title} unit"
    assert float(rows["E1"]["score"]) < 0 and rows["E1"]["score"].startswith("-")
    assert rows["E1"]["score"] == f"{board.set_index('code').loc['E1', 'score']:.2f}"


def test_the_audit_csv_escapes_feedback(engine: Engine) -> None:
    ids = make_edition(engine, criteria=(("Kebaruan", 1.0, 100.0),), jurors=("Juri A",))
    juror = Actor("user-a", "juror", ids["jurors"]["Juri A"])
    criterion = ids["criteria"]["Kebaruan"][0]
    for text in PAYLOADS:
        services.submit_sheet(
            engine,
            actor=juror,
            entry_id=ids["entries"]["E1"],
            juror_id=juror.juror_id,
            values={criterion: 80},
            feedback=text,
        )
    labels = {column: column for column in queries.AUDIT_COLUMNS}
    rows = csv_rows(cells.csv_bytes(queries.audit_trail(engine).rename(columns=labels)).decode("utf-8"))
    feedback = [row["new_value"] for row in reversed(rows) if row["action"].startswith("feedback")]
    assert feedback == [f"'{text}" for text in PAYLOADS]
    scored = next(row for row in rows if row["action"] == "score.create")
    assert (scored["new_value"], scored["year"]) == ("80", "2030")


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
