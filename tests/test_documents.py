"""The official result documents: the recap workbook and the PDF berita acara, and `kipp report`."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine

from kipp import queries, scoring
from kipp.cli import main
from kipp.demo import TOP10_2023
from kipp.documents import berita_acara_pdf, file_name, recap_workbook
from kipp.i18n import translate
from tests.split_editions import ADJUSTED, APART, make_rooms_edition


def _recap(engine: Engine, year: int, lang: str = "id") -> tuple[object, object]:
    edition = queries.edition_record(engine, year)
    data = queries.load_edition(engine, year)
    return load_workbook(io.BytesIO(recap_workbook(edition, data, "mean", lang))), data


def _pdf_text(engine: Engine, year: int, lang: str = "id") -> str:
    edition = queries.edition_record(engine, year)
    content = berita_acara_pdf(edition, queries.load_edition(engine, year), "mean", lang, dt.date(2023, 7, 10))
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_recap_workbook_holds_the_leaderboard_formatted(demo_engine: Engine) -> None:
    workbook, data = _recap(demo_engine, 2023)
    names = [translate(f"documents.sheet.{key}", "id") for key in ("leaderboard", "juror_totals", "criterion_scores")]
    assert workbook.sheetnames == [*names, translate("documents.sheet_notes", "id")]
    sheet = workbook[names[0]]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Peringkat", "Kode", "Inovasi"]
    expected = scoring.leaderboard(data)
    codes = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == expected["code"].tolist()
    scores = [row[header.index("Nilai akhir")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert scores == pytest.approx(expected["score"].tolist())
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=header.index("Nilai akhir") + 1).number_format == "0.00"
    assert sheet.column_dimensions["C"].width >= len("IBUKOTA – Inovasi Bulu Kotoran Ayam")


def test_recap_juror_totals_and_criteria_agree_with_scoring(demo_engine: Engine) -> None:
    workbook, data = _recap(demo_engine, 2022, "en")
    assert workbook.sheetnames == ["Leaderboard", "Juror totals", "Criterion scores", "Notes"]
    totals = workbook["Juror totals"]
    header = [cell.value for cell in totals[1]]
    panel = data.panel.sort_values("seat")["juror"].tolist()
    assert header == ["Rank", "Code", "Innovation", "Unit", *panel, "Final score"]
    first = next(totals.iter_rows(min_row=2, values_only=True))
    jurors = scoring.juror_totals(data)
    entry = data.entries.set_index("code").loc[first[1], "entry_id"]
    mine = jurors[jurors["entry_id"] == entry].set_index("juror_id")["total"]
    expected = [mine.get(j) for j in data.panel.sort_values("seat")["juror_id"]]  # None: not in its room
    assert list(first[4:-1]) == pytest.approx(expected)
    criteria = [cell.value for cell in workbook["Criterion scores"][1]][4:-1]
    assert criteria == data.criteria.sort_values("position")["name"].tolist()


def test_recap_has_the_same_ranking_as_the_leaderboard_command(
    demo_urls: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rekap.xlsx"
    assert main(["report", "--edition", "2023", "--out", str(out), "--db", demo_urls["sqlite"]]) == 0
    capsys.readouterr()
    assert main(["leaderboard", "--edition", "2023", "--format", "csv", "--db", demo_urls["sqlite"]]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    header = lines[0].split(",")
    command = [line.split(",")[header.index("code")] for line in lines[1:]]
    workbook = load_workbook(out)
    sheet = workbook[workbook.sheetnames[0]]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == command
    assert command[:10] and len(command) == 50


def test_berita_acara_lists_the_top_10_in_order_with_tiers(demo_engine: Engine) -> None:
    text = _pdf_text(demo_engine, 2023)
    assert "BERITA ACARA HASIL PENILAIAN KIPP KOTA MALANG 2023" in text
    assert "10 Juli 2023" in text and "Rata-rata" in text
    top = text[text.index("III. Penerima penghargaan") : text.index("IV. Peringkat lengkap")]
    board = scoring.leaderboard(queries.load_edition(demo_engine, 2023)).head(10)
    assert set(board["title"]) == set(TOP10_2023)
    flat = re.sub(r"\s+", " ", top)
    positions = [flat.index(title) for title in board["title"]]
    assert positions == sorted(positions)
    assert "IBUKOTA – Inovasi Bulu Kotoran Ayam" in flat  # the en dash survives (Unicode font)
    for award in ("Juara 1", "Juara 2", "Juara 3", "Terbaik", "Favorit"):
        assert award in flat
    assert all(name in text for name in queries.load_edition(demo_engine, 2023).panel["juror"])
    assert "DATA DEMO" in text  # synthetic scores say so


def test_berita_acara_in_english(demo_engine: Engine) -> None:
    text = _pdf_text(demo_engine, 2020, "en")
    assert "MINUTES OF THE RESULT OF KIPP KOTA MALANG 2020" in text
    assert "10 July 2023" in text and "Panel of jurors" in text
    assert "SEGAR KAGEMI" in text and "DEMO DATA" in text


def test_report_command_writes_a_pdf(demo_urls: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / file_name(2023, "pdf", "id")
    assert out.name == "berita-acara-kipp-2023.pdf"
    assert main(["report", "--edition", "2023", "--out", str(out), "--lang", "en", "--db", demo_urls["sqlite"]]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "MINUTES" in PdfReader(out).pages[0].extract_text()


@pytest.mark.parametrize(
    ("name", "edition", "message"),
    [("hasil.docx", "2023", "must end in .pdf"), ("hasil.pdf", "2001", "Edition 2001 does not exist")],
)
def test_report_command_refuses_clearly_and_writes_nothing(
    demo_urls: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, edition: str, message: str
) -> None:
    out = tmp_path / name
    assert main(["report", "--edition", edition, "--out", str(out), "--db", demo_urls["sqlite"]]) == 1
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_leadership_recap_leaves_out_individual_jurors(demo_engine: Engine) -> None:
    edition = queries.edition_record(demo_engine, 2023)
    data = queries.load_edition(demo_engine, 2023)
    content = recap_workbook(edition, data, "mean", "id", with_juror_scores=False)
    workbook = load_workbook(io.BytesIO(content))
    assert translate("documents.sheet.juror_totals", "id") not in workbook.sheetnames
    cells = " ".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row)
    assert not any(name in cells for name in data.panel["juror"]), "no juror name in leadership's copy"
    assert workbook[workbook.sheetnames[0]]["C2"].value == "Si Kawan Duduk"


def _notes(workbook: object, lang: str) -> dict[str, str]:
    sheet = workbook[translate("documents.sheet_notes", lang)]  # type: ignore[index]
    return {label: text for label, text in sheet.iter_rows(values_only=True)}


def test_documents_name_the_official_method_and_say_the_panels_were_the_same(demo_engine: Engine) -> None:
    edition = queries.edition_record(demo_engine, 2020)  # 2020: one panel in one room, no split
    data = queries.load_edition(demo_engine, 2020)
    notes = _notes(load_workbook(io.BytesIO(recap_workbook(edition, data, lang="en"))), "en")
    assert notes["Ranking method"] == "Mean (the edition's official method)"
    assert notes["Panels of jurors"] == "Every entry was scored by the same panel of jurors."
    text = _pdf_text(demo_engine, 2020)
    assert "Rata-rata (metode resmi edisi ini)" in re.sub(r"\s+", " ", text)
    assert "panel juri yang berbeda" not in text


def test_documents_of_split_rooms_rank_by_the_official_adjusted_method_and_say_so(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rooms_edition(engine, official_method="adjusted")
    out = tmp_path / "rekap.xlsx"
    url = engine.url.render_as_string(hide_password=False)
    assert main(["report", "--edition", "2030", "--out", str(out), "--lang", "en", "--db", url]) == 0
    assert "method adjusted" in capsys.readouterr().out
    workbook = load_workbook(out)
    ranking = [(row[1], row[5]) for row in workbook["Leaderboard"].iter_rows(min_row=2, values_only=True)]
    assert ranking == [(code, ADJUSTED[code]) for code in ("E1", "E3", "E2", "E4")]
    notes = _notes(workbook, "en")
    assert notes["Ranking method"] == "Adjusted score (the edition's official method)"
    assert notes["Panels of jurors"].startswith(
        "The rooms or sessions had different panels of jurors. This ranking uses"
    )
    pdf = tmp_path / "berita-acara.pdf"
    assert main(["report", "--edition", "2030", "--out", str(pdf), "--method", "mean", "--db", url]) == 0
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert "Rata-rata (bukan metode resmi; metode resmi edisi ini: Nilai terkoreksi)" in text
    assert "memiliki panel juri yang berbeda. Peringkat ini memakai metode Rata-rata tanpa koreksi juri" in text


def test_report_of_rooms_sharing_no_juror_by_the_adjusted_method_is_refused(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rooms_edition(engine, rooms=APART, official_method="adjusted")
    url = engine.url.render_as_string(hide_password=False)
    out = tmp_path / "hasil"
    out.mkdir()
    assert main(["report", "--edition", "2030", "--out", str(out / "hasil.pdf"), "--db", url]) == 1
    error = capsys.readouterr().err
    assert "the adjusted method cannot rank edition 2030" in error and "share no juror and no entry" in error
    assert list(out.iterdir()) == []
