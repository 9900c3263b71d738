"""Admin › Import & export, as the organizer uses it: a wrong workbook shows its problems in a
table and stores nothing; a good one shows what will change, and lands only when confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kipp import db, ingest, queries
from tests.test_ingest import organizer_sheets, xlsx


def _tab() -> None:
    from kipp.views import admin_data

    admin_data.render(2030)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, str]:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_function(_tab, default_timeout=60).run()
    assert not at.exception
    yield at, url
    db.dispose_engine(url)


def test_wrong_workbook_lists_its_problems_and_stores_nothing(app: tuple[AppTest, str]) -> None:
    at, url = app
    sheets = organizer_sheets()
    sheets["scores"][3][3] = "sembilan"
    at.file_uploader(key="ingest_upload_0").set_value([("salah.xlsx", xlsx(sheets), ingest.XLSX_MIME)]).run()
    assert not at.exception
    assert "1 masalah" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems.iloc[0].tolist()[:3] == ["scores", 4, "score"]
    assert problems.iloc[0, 3] == '"sembilan" bukan angka. Tulis angka seperti 85 atau 85,5.'
    assert not [b for b in at.button if b.label.startswith("Impor ke edisi")]
    assert queries.editions(db.get_engine(url)).empty


def test_good_workbook_is_previewed_then_imported_on_confirm(app: tuple[AppTest, str]) -> None:
    at, url = app
    at.file_uploader(key="ingest_upload_0").set_value([("rekap.xlsx", xlsx(organizer_sheets()), ingest.XLSX_MIME)])
    at.run()
    assert not at.exception
    # 3 criteria + 2 jurors + 3 units + 3 entries + 1 session panel + 1 assignment + 8 scores + 2 feedback
    assert at.info[0].value.startswith("Impor ini akan menambahkan 23 baris baru dan mengubah 0 baris di edisi 2030.")
    assert "Edisi 2030 belum ada dan akan dibuat." in at.info[0].value
    preview = at.dataframe[0].value.set_index("Bagian")
    assert preview.loc["Nilai", "Baru"] == 8 and preview.loc["Inovasi", "Baru"] == 3
    assert queries.editions(db.get_engine(url)).empty  # nothing before confirming

    confirm = next(b for b in at.button if b.label == "Impor ke edisi 2030")
    confirm.click().run()
    assert not at.exception
    # the uploaded file's name is the uploader's text: shown escaped, never as Markdown
    assert at.success[0].value == "rekap\\.xlsx diimpor ke edisi 2030: 23 baris baru, 0 baris diubah."
    assert queries.edition_summary(db.get_engine(url), 2030)["n_scores"] == 8
    assert at.file_uploader(key="ingest_upload_1").value in (None, [])  # the uploader is empty again


def test_english_labels_and_downloads(app: tuple[AppTest, str]) -> None:
    at, _ = app
    at.session_state["lang"] = "en"
    at.run()
    assert [s.value for s in at.subheader] == ["Export", "Import"]
    assert at.file_uploader(key="ingest_upload_0").label.startswith("Workbook (.xlsx)")
