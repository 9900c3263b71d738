"""The Entries page under AppTest on the demo data: search, the entry's card, the unit's history."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine, update
from streamlit.testing.v1 import AppTest

from kipp import db, theme
from kipp.auth import Account
from kipp.models import Edition, Entry
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


def _unit_over_two_editions(engine: Engine) -> None:
    """SMPN 1 Malang: 2039 published (E1 Juara 1, E2 withdrawn after two sheets), 2040 in scoring (E1 leads)."""
    jurors = ("Juri A", "Juri B")
    criteria = ("Kebaruan", "Efektif")

    def sheets(totals: dict[str, int]) -> dict[tuple[str, str, str], float]:
        return {(code, juror, c): value for code, value in totals.items() for juror in jurors for c in criteria}

    entries = [("E1", "Sekolah Hijau", "SMPN 1 Malang"), ("E2", "Kantin Jujur", "SMPN 1 Malang")]
    entries += [("E3", "Pasar Digital", "Dinas Perdagangan")]
    ids = make_edition(engine, year=2039, jurors=jurors, entries=entries, scores=sheets({"E1": 90, "E2": 95, "E3": 70}))
    with db.write_session(engine) as session:
        session.execute(
            update(Entry).where(Entry.id == ids["entries"]["E2"]).values(status="withdrawn", status_reason="Mundur")
        )
        session.execute(update(Edition).where(Edition.year == 2039).values(status="published"))
    entries = [("E1", "Sekolah Hijau Lanjutan", "SMPN 1 Malang"), ("E2", "Pasar Digital 2", "Dinas Perdagangan")]
    make_edition(engine, year=2040, jurors=jurors, entries=entries, scores=sheets({"E1": 88, "E2": 80}))


def _organizer_page(db_url: str, monkeypatch: pytest.MonkeyPatch, lang: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    at = AppTest.from_file(str(PAGES / "entries.py"), default_timeout=90)
    at.session_state["user"] = ORGANIZER
    at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize(
    ("lang", "mark", "withdrawn"), [("id", "sementara", "Mengundurkan diri"), ("en", "provisional", "Withdrawn")]
)
def test_the_units_history_marks_provisional_awards_and_lists_withdrawn_entries(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, lang: str, mark: str, withdrawn: str
) -> None:
    _unit_over_two_editions(engine)
    at = _organizer_page(db_url, monkeypatch, lang)
    at.text_input(key="entries_search").input("SMPN 1 Malang").run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Sekolah Hijau Lanjutan"  # newest first: the 2040 entry, still in scoring
    award = "Penghargaan" if lang == "id" else "Award"
    assert {m.label: m.value for m in at.metric}[award] == f"Juara 1 ({mark})"
    history = next(frame.value for frame in at.dataframe if "entry_status" in frame.value.columns)
    rows = history.set_index(["year", "code"])
    assert rows.loc[(2040, "E1"), "award"] == f"Juara 1 ({mark})"  # 2040 is in scoring: not final yet
    assert rows.loc[(2039, "E1"), "award"] == "Juara 1"  # published: final, no mark
    # E2 of 2039 withdrew: listed with its status, after the unit's ranked entry of that edition, no score or rank.
    assert rows.loc[(2039, "E2"), ["score", "rank", "entry_status"]].tolist() == ["–", "–", withdrawn]
    assert pd.isna(rows.loc[(2039, "E2"), "award"])
    assert history["code"].tolist() == ["E1", "E1", "E2"] and history["year"].tolist() == [2040, 2039, 2039]
    assert any(c.value in ("Ikut dalam 2 edisi.", "Took part in 2 editions.") for c in at.caption)


def test_a_withdrawn_entrys_card_says_it_left_the_competition(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unit_over_two_editions(engine)
    at = _organizer_page(db_url, monkeypatch, "id")
    at.text_input(key="entries_search").input("Kantin Jujur").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Peringkat"], metrics["Nilai"], metrics["Penghargaan"]) == ("–", "–", "–")
    assert at.info[0].value.startswith("Inovasi ini mengundurkan diri")
