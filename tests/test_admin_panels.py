"""Admin › Panel & penugasan and the Edition tab's official method, as the organizer uses them (AppTest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, update
from streamlit.testing.v1 import AppTest

from kipp import adjustment, auth, db, queries, scoring, services, ui
from kipp.audit import Actor
from kipp.i18n import translate
from kipp.models import Entry
from kipp.views import admin_panels
from tests.factories import make_edition

YEAR = 2030
ORGANIZER = Actor("panitia", "organizer")
JURORS = ("Juri A", "Juri B", "Juri C")
ENTRIES = tuple((f"E{n}", f"Inovasi {n}", f"Unit {n}") for n in range(1, 5))
ROOMS = {"E1": "Eboni", "E2": "Eboni", "E3": "Jati", "E4": "Jati"}
# Juri A is lenient and sits in Eboni; Juri C is strict and sits in Jati; Juri B sits in both.
SHEETS = {
    ("E1", "Juri A"): 95,
    ("E1", "Juri B"): 60,
    ("E2", "Juri A"): 70,
    ("E2", "Juri B"): 40,
    ("E3", "Juri B"): 80,
    ("E3", "Juri C"): 70,
    ("E4", "Juri B"): 50,
    ("E4", "Juri C"): 40,
}


def _panels_tab() -> None:
    from kipp.views import admin_panels

    admin_panels.render(2030)


def _edition_tab() -> None:
    from kipp.views import admin_edition

    admin_edition.render(2030)


def _edition(engine: Engine, scores: bool) -> dict:
    criteria = ("Kebaruan", "Efektif")
    made = make_edition(
        engine,
        jurors=JURORS,
        entries=ENTRIES,
        scores={(code, juror, c): value for (code, juror), value in SHEETS.items() for c in criteria}
        if scores
        else None,
    )
    with db.write_session(engine) as session:
        for code, room in ROOMS.items():
            session.execute(update(Entry).where(Entry.id == made["entries"][code]).values(room=room))
    return made


def _app(db_url: str, monkeypatch: pytest.MonkeyPatch, script) -> AppTest:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", db_url)
    organizer = auth.create_user(
        db.get_engine(db_url), actor=auth.SYSTEM, username="panitia", role="organizer", password="kata-sandi-panjang-1"
    )
    at = AppTest.from_function(script, default_timeout=60)
    at.session_state[ui.USER_KEY] = organizer
    return at


@pytest.fixture
def panels(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppTest, dict]]:
    made = _edition(engine, scores=False)
    at = _app(db_url, monkeypatch, _panels_tab)
    yield at.run(), made
    db.dispose_engine(db_url)


def _entry_table(at: AppTest):  # type: ignore[no-untyped-def]
    """The table of every entry with its jurors (the grid is a dataframe too)."""
    return next(d.value for d in at.dataframe if "source" in d.value.columns).set_index("code")


def _errors(at: AppTest) -> list[str]:
    """The error messages as read (they are shown as plain text: Markdown escapes removed)."""
    return [e.value.replace("\\", "") for e in at.error]


def _click(at: AppTest, key: str) -> AppTest:
    return next(b for b in at.button if b.label == translate(key, "id")).click().run()


def _tick(at: AppTest, row: int, *juror_ids: int) -> AppTest:
    """Tick jurors on a row of the session grid, as the organizer does in the table, then save."""
    edits = {row: {admin_panels.juror_column(j): True for j in juror_ids}}
    at.session_state[admin_panels.GRID_KEY] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return _click(at, "panels.save_sessions")


def test_the_grid_seats_jurors_per_session_and_shows_who_scores_what(panels: tuple[AppTest, dict], engine) -> None:
    at, made = panels
    assert not at.exception
    grid = at.data_editor[0].value
    assert grid[["day", "room", "entries"]].values.tolist() == [[1, "Eboni", 2], [1, "Jati", 2]]
    assert grid["panel"].tolist() == ["Semua juri", "Semua juri"]  # no seats: everyone scores everything

    at = _tick(at, 0, made["jurors"]["Juri A"], made["jurors"]["Juri B"])
    assert not at.exception and not at.error
    assert at.success[0].value == "Panel sesi disimpan."
    assert at.data_editor[0].value["panel"].tolist() == ["Juri A, Juri B", "Semua juri"]
    seats = queries.load_edition(engine, YEAR).panels
    assert sorted(seats["juror_id"].tolist()) == sorted([made["jurors"]["Juri A"], made["jurors"]["Juri B"]])
    # The per-entry table says who scores each entry and why.
    table = _entry_table(at)
    assert table.loc["E1", "jurors"] == "Juri A, Juri B" and table.loc["E1", "source"] == "Panel sesi"
    assert table.loc["E3", "jurors"] == "Juri A, Juri B, Juri C" and table.loc["E3", "source"] == "Seluruh dewan juri"


def test_a_seat_change_that_strands_scores_is_refused_on_the_page(panels: tuple[AppTest, dict], engine) -> None:
    at, made = panels
    values = {c: 70 for c, _ in made["criteria"].values()}
    services.submit_sheet(
        engine,
        actor=ORGANIZER,
        entry_id=made["entries"]["E2"],
        juror_id=made["jurors"]["Juri C"],
        values=values,
        reason="Input dari kertas",
    )
    at = _tick(at.run(), 0, made["jurors"]["Juri A"])
    assert _errors(at) == [
        "Juri berikut sudah menilai inovasi yang tidak lagi menjadi bagiannya: Juri C (E2). Tetap tugaskan mereka, "
        "atau nyatakan mereka mundur dari inovasi itu dulu (nilainya akan dihapus)."
    ]
    assert queries.load_edition(engine, YEAR).panels.empty


def test_an_entry_gets_its_own_jurors(panels: tuple[AppTest, dict], engine) -> None:
    at, made = panels
    at.selectbox(key="panels.own.e").set_value(made["entries"]["E4"]).run()
    at.multiselect(key=f"panels.own.j.{made['entries']['E4']}").set_value([made["jurors"]["Juri C"]]).run()
    at = _click(at, "panels.save_own")
    assert not at.error
    assert at.success[0].value.startswith("Juri untuk E4")
    table = _entry_table(at)
    assert (table.loc["E4", "jurors"], table.loc["E4", "source"]) == ("Juri C", "Juri khusus inovasi")


def test_withdrawing_an_entry_needs_a_reason(panels: tuple[AppTest, dict], engine) -> None:
    at, made = panels
    at.selectbox(key="panels.st.e").set_value(made["entries"]["E3"]).run()
    status = at.radio(key=f"panels.st.status.{made['entries']['E3']}")
    assert status.value == "competing"  # the entry's current status
    status.set_value("withdrawn").run()
    at = _click(at, "panels.save_status")
    assert _errors(at) == [translate("services.reason_required", "id")]
    at.text_input(key="panels.st.reason").input("Surat pengunduran diri 3 Juni").run()
    at = _click(at, "panels.save_status")
    assert not at.error
    assert _entry_table(at).loc["E3", "status"] == "Mengundurkan diri"
    data = queries.load_edition(engine, YEAR)
    assert data.entries.set_index("code").loc["E3", "entry_status"] == "withdrawn"


def test_the_edition_tab_shows_where_adjusted_changes_an_award_and_switches_method(
    db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _edition(engine, scores=True)
    j = made["jurors"]
    services.set_session_panels(
        engine,
        actor=ORGANIZER,
        year=YEAR,
        seats={(1, "Eboni"): {j["Juri A"], j["Juri B"]}, (1, "Jati"): {j["Juri B"], j["Juri C"]}},
    )
    data = queries.load_edition(engine, YEAR)
    expected = adjustment.award_changes(scoring.leaderboard(data, "mean"), scoring.leaderboard(data, "adjusted"))
    ranks = expected.set_index("code")[["rank_before", "rank_after"]]
    assert ranks.loc["E1"].tolist() == [1, 2] and ranks.loc["E3"].tolist() == [2, 1]  # the lenient room's E1 drops

    at = _app(db_url, monkeypatch, _edition_tab).run()
    assert not at.exception
    assert any(w.value.startswith("Inovasi di edisi ini tidak dinilai oleh dewan juri yang sama") for w in at.warning)
    shown = next(d.value for d in at.dataframe if "award_before" in d.value.columns)
    assert shown["code"].tolist() == expected["code"].tolist()

    save = next(b for b in at.button if b.label == "Simpan metode resmi")
    at.selectbox(key="official.method").set_value("adjusted")
    at = save.click().run()  # a form: its fields are sent with the button
    assert _errors(at) == [translate("services.reason_required", "id")]
    at.selectbox(key="official.method").set_value("adjusted")
    at.text_input(key="official.reason").input("Ruang paralel dengan dewan juri berbeda")
    at = next(b for b in at.button if b.label == "Simpan metode resmi").click().run()
    assert not at.error, _errors(at)
    assert at.success[0].value == "Metode resmi kini Nilai terkoreksi."
    assert queries.load_edition(engine, YEAR).official_method == "adjusted"
    assert not any(w.value.startswith("Inovasi di edisi ini") for w in at.warning)  # the notice is for the mean only


def test_a_logo_that_is_not_png_or_jpeg_is_refused_on_the_page(
    db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edition(engine, scores=False)
    at = _app(db_url, monkeypatch, _edition_tab).run()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    at.file_uploader(key=f"event.logo.{YEAR}").set_value([("logo.png", svg, "image/png")]).run()
    at = next(b for b in at.button if b.label == "Simpan logo").click().run()
    assert _errors(at) == ["Logo harus berupa gambar PNG atau JPEG."]


def _png() -> bytes:
    """A real 2×2 PNG, as an organizer would upload."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _images(at: AppTest) -> list[str]:
    """The captions of the images on the page (st.image)."""
    return [caption for element in at.get("image") for caption in element.captions]


def test_the_stored_logo_is_previewed_and_only_then_can_be_removed(
    db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edition(engine, scores=False)
    at = _app(db_url, monkeypatch, _edition_tab).run()
    remove = translate("event.remove_logo", "id")
    assert not any(b.label == remove for b in at.button)  # nothing to remove yet
    assert translate("event.no_logo", "id") in [c.value for c in at.caption]
    assert _images(at) == []

    at.file_uploader(key=f"event.logo.{YEAR}").set_value([("logo.png", _png(), "image/png")]).run()
    assert _images(at) == [translate("event.logo_new", "id")]  # the upload's preview, not saved yet
    at = _click(at, "event.save_logo")
    assert not at.error, _errors(at)
    assert queries.edition_logo(engine, YEAR) == ("image/png", _png())
    assert translate("event.logo_stored", "id") in _images(at)

    at.file_uploader(key=f"event.logo.{YEAR}").set_value([]).run()
    assert _images(at) == [translate("event.logo_stored", "id")]
    at = _click(at, "event.remove_logo")
    assert at.success[0].value == translate("event.logo_removed", "id")
    assert queries.edition_logo(engine, YEAR) is None
    assert _images(at) == [] and not any(b.label == remove for b in at.button)


def test_a_damaged_stored_logo_is_named_and_can_still_be_removed(
    db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edition(engine, scores=False)
    services.set_logo(engine, actor=ORGANIZER, year=YEAR, content=_png()[:40])  # a PNG cut short
    at = _app(db_url, monkeypatch, _edition_tab).run()
    assert not at.exception
    assert translate("event.logo_unreadable", "id") in [w.value for w in at.warning]
    at = _click(at, "event.remove_logo")
    assert queries.edition_logo(engine, YEAR) is None
