"""The Entries page under AppTest on the demo data: search, the entry's card, the unit's history."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kipp import theme
from kipp.auth import Account
from tests.factories import make_edition, seat_sessions

# The module-scoped demo database with accounts is shared with the Trends page tests.
from tests.test_trends_page import open_page, pages_db_fixture  # noqa: F401  (registers the pages_db fixture)

PAGES = Path(__file__).resolve().parent.parent / "app_pages"
ORGANIZER = Account(username="panitia", role="organizer", juror_id=None, display_name="Panitia")


@pytest.mark.parametrize(
    ("lang", "heading"), [("id", "Riwayat SMPN 10 Malang di KIPP"), ("en", "SMPN 10 Malang at KIPP")]
)
def test_search_opens_the_card_and_the_units_history(
    pages_db: str,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    heading: str,
) -> None:
    at = open_page(pages_db, monkeypatch, "entries", "organizer", lang)
    at.text_input(key="entries_search").input("mas kadin").run()
    assert not at.exception
    assert at.header[0].value == "Mas Kadin Bersinar"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Peringkat" if lang == "id" else "Rank"] == "2"
    assert metrics["Penghargaan" if lang == "id" else "Award"] == "Juara 2"
    sheets = at.dataframe[1].value
    assert len(sheets) == 4  # four jurors, each sheet complete, totals in the language's number format
    assert sheets["total"].str.fullmatch(r"\d{2},\d{2}" if lang == "id" else r"\d{2}\.\d{2}").all()
    history = next(frame for frame in at.dataframe if "award" in frame.value.columns)
    assert "Juara 2" in history.value["award"].tolist()
    assert theme.tier_color(1) in history.proto.arrow_data.styler.styles  # the award in its tier colour
    assert any("KOVABLIK" in m.value for m in at.markdown)
    assert at.header[1].value.startswith(heading)
    history = at.dataframe[2].value
    # SMPN 10 Malang: SEGAR KAGEMI (2020), Jarik Ma'Siti (2022), Mas Kadin Bersinar (2023) among others.
    assert {"SEGAR KAGEMI", "Jarik Ma'Siti", "Mas Kadin Bersinar"} <= set(history["title"])
    assert history["year"].is_monotonic_decreasing


def test_a_viewer_sees_criterion_means_without_juror_names(
    pages_db: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = open_page(pages_db, monkeypatch, "entries", "viewer", "id")
    at.text_input(key="entries_search").input("IBUKOTA").run()
    assert not at.exception
    assert at.header[0].value == "IBUKOTA – Inovasi Bulu Kotoran Ayam"
    means = at.dataframe[1].value
    assert list(means["criterion"]) == ["Kebaruan", "Efektif", "Bermanfaat", "Dapat direplikasi", "Berkelanjutan"]
    assert "juror" not in means.columns
    assert not any("Dr. " in m.value for m in at.markdown)  # feedback without juror names


def test_a_search_without_match_says_what_to_try(pages_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(pages_db, monkeypatch, "entries", "organizer", "en")
    at.text_input(key="entries_search").input("zzz-nothing").run()
    assert not at.exception
    assert "Try part of a title" in at.info[0].value


def test_the_card_and_history_rank_by_the_editions_official_method(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # E1: 90, 90 and one very low 20 (mean 66,67, median 90); E2: 70 from everyone. The official median puts E1 first.
    totals = {"E1": (90, 90, 20), "E2": (70, 70, 70)}
    jurors = ("Juri A", "Juri B", "Juri C")
    scores = {
        (code, juror, criterion): value
        for code, values in totals.items()
        for juror, value in zip(jurors, values, strict=True)
        for criterion in ("Kebaruan", "Efektif")
    }
    entries = [("E1", "Dua Wajah", "SMPN 1 Malang"), ("E2", "Rata Semua", "SMPN 2 Malang")]
    ids = make_edition(engine, year=2038, jurors=jurors, entries=entries, scores=scores)
    seat_sessions(engine, ids, sessions={}, panels={}, official_method="median")
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    at = AppTest.from_file(str(PAGES / "entries.py"), default_timeout=90)
    at.session_state["user"] = ORGANIZER
    at.session_state["lang"] = "id"
    at.run()
    at.text_input(key="entries_search").input("Dua Wajah").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Peringkat"] == "1" and metrics["Nilai"] == "90,00"
    assert any("metode resmi edisi ini: Median" in c.value for c in at.caption)
    history = next(frame.value for frame in at.dataframe if "award" in frame.value.columns)
    assert history.set_index("code").loc["E1", ["score", "rank"]].tolist() == ["90,00", "1"]
