"""Panels per room through the write path: who is assigned, what a change may not strand, and the
edition settings (official method, event title, logo) and entry status beside them."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select, update

from kipp import db, queries, scoring, services, sheets
from kipp.audit import Actor, WriteRefused
from kipp.models import AuditLog, Edition, EditionLogo, Entry
from tests.factories import make_edition

CRITERIA = (("Kebaruan", 1.0, 100.0), ("Efektif", 1.0, 100.0))
JURORS = ("Juri A", "Juri B", "Juri C", "Juri D")
ENTRIES = tuple((f"E{n}", f"Inovasi {n}", f"Unit {n}") for n in range(1, 6))
# E1, E2 in Eboni and E3, E4 in Jati on day 1; E5 in Eboni on day 2.
SCHEDULE = {
    "E1": (1, "Eboni", 2),
    "E2": (1, "Eboni", 1),
    "E3": (1, "Jati", 1),
    "E4": (1, "Jati", 2),
    "E5": (2, "Eboni", 1),
}
ORGANIZER = Actor("panitia", "organizer")
YEAR = 2030


@pytest.fixture
def ids(engine: Engine) -> dict:
    made = make_edition(engine, criteria=CRITERIA, jurors=JURORS, entries=ENTRIES)
    with db.write_session(engine) as session:
        for code, (day, room, slot) in SCHEDULE.items():
            session.execute(
                update(Entry).where(Entry.id == made["entries"][code]).values(day=day, room=room, slot=slot)
            )
    return made


def juror(ids: dict, name: str) -> Actor:
    return Actor(f"user-{name[-1].lower()}", "juror", ids["jurors"][name])


def jurors(ids: dict, *names: str) -> set[int]:
    return {ids["jurors"][name] for name in names}


def score(engine: Engine, ids: dict, code: str, name: str, value: float = 80) -> services.SheetResult:
    values = {criterion_id: value for criterion_id, _ in ids["criteria"].values()}
    return services.submit_sheet(
        engine, actor=juror(ids, name), entry_id=ids["entries"][code], juror_id=ids["jurors"][name], values=values
    )


def expected(engine: Engine, ids: dict) -> dict[str, set[str]]:
    """code -> names of the jurors expected on it, as every page resolves it."""
    data = queries.load_edition(engine, YEAR)
    codes = dict(zip(data.entries["entry_id"], data.entries["code"], strict=True))
    names = {v: k for k, v in ids["jurors"].items()}
    found: dict[str, set[str]] = {code: set() for code in codes.values()}
    for row in scoring.expected_jurors(data).itertuples():
        found[codes[row.entry_id]].add(names[row.juror_id])
    return found


def keys(refused: pytest.ExceptionInfo[WriteRefused]) -> set[str]:
    return keys_of(refused.value)


def keys_of(refused: WriteRefused) -> set[str]:
    return {problem.key for problem in refused.problems}


def audit_rows(engine: Engine, action: str) -> list[AuditLog]:
    with db.read_session(engine) as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_session_panel_override_default_and_recusal_resolve_as_written(engine: Engine, ids: dict) -> None:
    everyone = set(JURORS)
    assert expected(engine, ids) == {code: everyone for code, *_ in ENTRIES}  # no seats: everyone scores everything

    assert services.set_session_panels(
        engine, actor=ORGANIZER, year=YEAR, seats={(1, "Eboni"): jurors(ids, "Juri A", "Juri B")}
    )
    services.set_session_panels(
        engine, actor=ORGANIZER, year=YEAR, seats={(1, "Jati"): jurors(ids, "Juri C", "Juri D")}
    )
    services.set_entry_jurors(engine, actor=ORGANIZER, entry_id=ids["entries"]["E2"], juror_ids=jurors(ids, "Juri D"))
    services.add_recusal(
        engine, actor=ORGANIZER, entry_id=ids["entries"]["E3"], juror_id=ids["jurors"]["Juri C"], reason="Mantan atasan"
    )
    assert expected(engine, ids) == {
        "E1": {"Juri A", "Juri B"},  # the Eboni panel of day 1
        "E2": {"Juri D"},  # its own juror, whatever the room
        "E3": {"Juri D"},  # the Jati panel less the recused juror
        "E4": {"Juri C", "Juri D"},
        "E5": everyone,  # day 2 in Eboni has no seats: the whole panel
    }
    # An empty override hands E2 back to its session's panel; the data version moved with every write.
    services.set_entry_jurors(engine, actor=ORGANIZER, entry_id=ids["entries"]["E2"], juror_ids=[])
    assert expected(engine, ids)["E2"] == {"Juri A", "Juri B"}
    rows = audit_rows(engine, "panel.session")
    assert [json.loads(r.new_value) for r in rows] == [["Juri A", "Juri B"], ["Juri C", "Juri D"]]
    assert rows[0].entity_key == "2030/1/Eboni"
    with db.read_session(engine) as session:
        assert session.scalar(select(Edition.data_version)) == 5


def test_an_unassigned_juror_cannot_score_and_is_told_why(engine: Engine, ids: dict) -> None:
    services.set_session_panels(
        engine, actor=ORGANIZER, year=YEAR, seats={(1, "Eboni"): jurors(ids, "Juri A", "Juri B")}
    )
    with pytest.raises(WriteRefused) as refused:
        score(engine, ids, "E1", "Juri C")
    assert keys(refused) == {"services.not_assigned"}
    assert refused.value.problems[0].text("id") == (
        "Anda tidak termasuk panel juri inovasi E1: hanya juri yang ditugaskan untuk inovasi ini yang menilainya."
    )
    organizer = Actor("panitia", "organizer")  # an organizer's correction is refused too: the sheet would not count
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(
            engine,
            actor=organizer,
            entry_id=ids["entries"]["E1"],
            juror_id=ids["jurors"]["Juri C"],
            values={c: 50 for c, _ in ids["criteria"].values()},
            reason="Koreksi",
        )
    assert keys(refused) == {"services.not_assigned"}
    assert score(engine, ids, "E1", "Juri A").complete  # a seated juror scores
    assert score(engine, ids, "E5", "Juri C").complete  # and on a session without seats, anyone on the panel


def test_a_recused_juror_is_refused_even_when_seated(engine: Engine, ids: dict) -> None:
    services.set_entry_jurors(
        engine, actor=ORGANIZER, entry_id=ids["entries"]["E1"], juror_ids=jurors(ids, "Juri A", "Juri B")
    )
    services.add_recusal(
        engine, actor=ORGANIZER, entry_id=ids["entries"]["E1"], juror_id=ids["jurors"]["Juri A"], reason="Kerabat"
    )
    with pytest.raises(WriteRefused) as refused:
        score(engine, ids, "E1", "Juri A")
    assert keys(refused) == {"services.recused"}


def test_a_change_that_would_strand_stored_sheets_is_refused_naming_them(engine: Engine, ids: dict) -> None:
    score(engine, ids, "E1", "Juri C")
    score(engine, ids, "E2", "Juri C")
    score(engine, ids, "E3", "Juri C")
    with pytest.raises(WriteRefused) as refused:
        services.set_session_panels(
            engine, actor=ORGANIZER, year=YEAR, seats={(1, "Eboni"): jurors(ids, "Juri A", "Juri B")}
        )
    assert keys(refused) == {"services.would_strand_sheets"}
    assert refused.value.problems[0].values["sheets"] == "Juri C (E1, E2)"
    with pytest.raises(WriteRefused) as refused:
        services.set_entry_jurors(
            engine, actor=ORGANIZER, entry_id=ids["entries"]["E3"], juror_ids=jurors(ids, "Juri D")
        )
    assert "Juri C (E3)" in refused.value.problems[0].text("id")
    assert queries.load_edition(engine, YEAR).panels.empty  # nothing stored
    # Keeping the juror who scored is fine.
    assert services.set_session_panels(
        engine, actor=ORGANIZER, year=YEAR, seats={(1, "Eboni"): jurors(ids, "Juri A", "Juri C")}
    )


def test_jurors_off_the_panel_and_unknown_sessions_are_refused(engine: Engine, ids: dict) -> None:
    make_edition(engine, year=2031, jurors=("Juri Lain",), entries=())
    stranger = 10_000
    with pytest.raises(WriteRefused) as refused:
        services.set_session_panels(
            engine, actor=ORGANIZER, year=YEAR, seats={(3, "Eboni"): {stranger, ids["jurors"]["Juri A"]}}
        )
    assert keys(refused) == {"services.jurors_off_panel", "services.unknown_session"}
    with pytest.raises(WriteRefused) as refused:
        services.set_entry_jurors(engine, actor=ORGANIZER, entry_id=ids["entries"]["E1"], juror_ids={stranger})
    assert keys(refused) == {"services.jurors_off_panel"}
    with pytest.raises(WriteRefused) as refused:
        services.set_session_panels(
            engine, actor=juror(ids, "Juri A"), year=YEAR, seats={(1, "Eboni"): jurors(ids, "Juri A")}
        )
    assert keys(refused) == {"services.organizer_only"}


def test_panels_are_frozen_with_the_edition(engine: Engine, ids: dict) -> None:
    services.advance_status(engine, actor=ORGANIZER, year=YEAR, to="locked", reason="Tutup")
    with pytest.raises(WriteRefused) as refused:
        services.set_session_panels(engine, actor=ORGANIZER, year=YEAR, seats={(1, "Eboni"): jurors(ids, "Juri A")})
    assert keys(refused) == {"services.edition_frozen"}


def test_the_queue_follows_the_jurors_own_sessions_and_drops_withdrawn_entries(engine: Engine, ids: dict) -> None:
    services.set_session_panels(
        engine, actor=ORGANIZER, year=YEAR, seats={(1, "Jati"): jurors(ids, "Juri C", "Juri D")}
    )
    data = queries.load_edition(engine, YEAR)
    assert sheets.juror_queue(data, ids["jurors"]["Juri A"])["code"].tolist() == ["E2", "E1", "E5"]
    assert sheets.juror_queue(data, ids["jurors"]["Juri C"])["code"].tolist() == ["E2", "E1", "E3", "E4", "E5"]

    services.set_entry_status(
        engine, actor=ORGANIZER, entry_id=ids["entries"]["E1"], status="withdrawn", reason="Surat pengunduran diri"
    )
    data = queries.load_edition(engine, YEAR)
    assert sheets.juror_queue(data, ids["jurors"]["Juri A"])["code"].tolist() == ["E2", "E5"]
    with pytest.raises(WriteRefused) as refused:
        score(engine, ids, "E1", "Juri A")
    assert keys(refused) == {"services.entry_withdrawn"}


def test_entry_status_needs_a_reason_is_audited_and_freezes_once_published(engine: Engine, ids: dict) -> None:
    entry_id = ids["entries"]["E4"]
    with pytest.raises(WriteRefused) as refused:
        services.set_entry_status(engine, actor=ORGANIZER, entry_id=entry_id, status="absent", reason="  ")
    assert keys(refused) == {"services.reason_required"}
    with pytest.raises(WriteRefused) as refused:
        services.set_entry_status(engine, actor=ORGANIZER, entry_id=entry_id, status="pergi", reason="x")
    assert keys(refused) == {"services.unknown_entry_status"}

    assert services.set_entry_status(
        engine, actor=ORGANIZER, entry_id=entry_id, status="absent", reason="Tidak hadir saat presentasi"
    )
    with db.read_session(engine) as session:
        entry = session.get(Entry, entry_id)
        assert (entry.status, entry.status_reason) == ("absent", "Tidak hadir saat presentasi")
    (row,) = audit_rows(engine, "entry.status")
    assert (row.entity_key, json.loads(row.old_value), json.loads(row.new_value)) == ("2030/E4", "competing", "absent")
    assert row.reason == "Tidak hadir saat presentasi"

    services.set_entry_status(engine, actor=ORGANIZER, entry_id=entry_id, status="competing", reason="Jadwal ulang")
    services.advance_status(engine, actor=ORGANIZER, year=YEAR, to="locked", reason="Tutup")
    with pytest.raises(WriteRefused) as refused:  # locked: the awards are final
        services.set_entry_status(engine, actor=ORGANIZER, entry_id=entry_id, status="absent", reason="Terlambat")
    assert keys(refused) == {"services.results_final"}
    with pytest.raises(WriteRefused) as refused:
        services.set_official_method(engine, actor=ORGANIZER, year=YEAR, method="median", reason="Terlambat")
    assert keys(refused) == {"services.results_final"}


def test_official_method_is_validated_and_audited(engine: Engine, ids: dict) -> None:
    with pytest.raises(WriteRefused) as refused:
        services.set_official_method(engine, actor=ORGANIZER, year=YEAR, method="harmonic", reason="Coba")
    assert keys(refused) == {"services.unknown_method"}
    with pytest.raises(WriteRefused) as refused:
        services.set_official_method(engine, actor=ORGANIZER, year=YEAR, method="median", reason="")
    assert keys(refused) == {"services.reason_required"}
    assert services.set_official_method(
        engine, actor=ORGANIZER, year=YEAR, method="adjusted", reason="Ruang paralel, dewan juri berbeda"
    )
    assert queries.load_edition(engine, YEAR).official_method == "adjusted"
    (row,) = audit_rows(engine, "edition.official_method")
    assert (json.loads(row.old_value), json.loads(row.new_value)) == ("mean", "adjusted")


def test_adjusted_is_refused_while_the_rooms_share_no_juror(engine: Engine, ids: dict) -> None:
    services.set_session_panels(engine, actor=ORGANIZER, year=YEAR, seats={(1, "Eboni"): jurors(ids, "Juri A")})
    services.set_session_panels(engine, actor=ORGANIZER, year=YEAR, seats={(1, "Jati"): jurors(ids, "Juri C")})
    services.set_session_panels(engine, actor=ORGANIZER, year=YEAR, seats={(2, "Eboni"): jurors(ids, "Juri A")})
    for code, name in (("E1", "Juri A"), ("E2", "Juri A"), ("E3", "Juri C"), ("E4", "Juri C")):
        score(engine, ids, code, name)
    with pytest.raises(WriteRefused) as refused:
        services.set_official_method(engine, actor=ORGANIZER, year=YEAR, method="adjusted", reason="Ruang paralel")
    assert keys(refused) == {"services.method_unavailable"}


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def test_logo_accepts_png_and_jpeg_by_their_bytes_only(engine: Engine, ids: dict) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(WriteRefused) as refused:
        services.set_logo(engine, actor=ORGANIZER, year=YEAR, content=svg)
    assert keys(refused) == {"services.logo_type"}
    with pytest.raises(WriteRefused) as refused:
        services.set_logo(engine, actor=ORGANIZER, year=YEAR, content=PNG + b"\x00" * services.LOGO_LIMIT)
    assert keys(refused) == {"services.logo_too_large"}
    assert "1 MB" in refused.value.problems[0].text("id")

    assert services.set_logo(engine, actor=ORGANIZER, year=YEAR, content=PNG)
    assert services.set_logo(engine, actor=ORGANIZER, year=YEAR, content=JPEG)
    with db.read_session(engine) as session:
        logo = session.get(EditionLogo, ids["edition"])
        assert (logo.media_type, logo.content) == ("image/jpeg", JPEG)
    assert services.set_logo(engine, actor=ORGANIZER, year=YEAR, content=None)
    assert not services.set_logo(engine, actor=ORGANIZER, year=YEAR, content=None)
    rows = audit_rows(engine, "edition.logo")
    assert [json.loads(r.new_value) if r.new_value else None for r in rows] == [
        {"media_type": "image/png", "bytes": len(PNG)},
        {"media_type": "image/jpeg", "bytes": len(JPEG)},
        None,
    ]


def test_event_title_is_plain_checked_text(engine: Engine, ids: dict) -> None:
    assert services.set_event_title(engine, actor=ORGANIZER, year=YEAR, title="  Malang Innovation Award 2030 ")
    assert queries.edition_record(engine, YEAR)["event_title"] == "Malang Innovation Award 2030"
    with pytest.raises(WriteRefused) as refused:
        services.set_event_title(engine, actor=ORGANIZER, year=YEAR, title="A" * 121)
    assert keys(refused) == {"services.event_title_too_long"}
    assert services.set_event_title(engine, actor=ORGANIZER, year=YEAR, title="")
    assert queries.edition_record(engine, YEAR)["event_title"] is None


def test_several_sessions_are_saved_all_or_nothing(engine: Engine, ids: dict) -> None:
    score(engine, ids, "E3", "Juri C")
    seats = {(1, "Eboni"): jurors(ids, "Juri A", "Juri B"), (1, "Jati"): jurors(ids, "Juri D")}
    with pytest.raises(WriteRefused) as refused:
        services.set_session_panels(engine, actor=ORGANIZER, year=YEAR, seats=seats)
    assert refused.value.problems[0].values["sheets"] == "Juri C (E3)"
    assert queries.load_edition(engine, YEAR).panels.empty  # not even the Eboni seats
    seats[(1, "Jati")] = jurors(ids, "Juri C", "Juri D")
    assert services.set_session_panels(engine, actor=ORGANIZER, year=YEAR, seats=seats) == 2
    assert services.set_session_panels(engine, actor=ORGANIZER, year=YEAR, seats=seats) == 0  # nothing to change


def test_a_seat_change_racing_a_jurors_saves_never_strands_a_sheet(engine: Engine) -> None:
    """The check and the write happen under the edition's lock: whichever comes first, no sheet is stranded."""
    entries = [(f"R{i:02d}", f"Inovasi {i}", "SMPN 1 Malang") for i in range(20)]
    made = make_edition(engine, criteria=CRITERIA, jurors=JURORS, entries=entries)
    with db.write_session(engine) as session:
        session.execute(update(Entry).where(Entry.edition_id == made["edition"]).values(room="Eboni"))
    start = threading.Barrier(2)

    def juror_saves() -> int:
        start.wait()
        saved = 0
        for code, *_ in entries:
            try:
                score(engine, made, code, "Juri C")
            except WriteRefused as refused:
                assert keys_of(refused) == {"services.not_assigned"}
                break
            saved += 1
        return saved

    def organizer_seats() -> bool:
        start.wait()
        seats = {(1, "Eboni"): jurors(made, "Juri A", "Juri B")}
        try:
            return bool(services.set_session_panels(engine, actor=ORGANIZER, year=YEAR, seats=seats))
        except WriteRefused as refused:
            assert keys_of(refused) == {"services.would_strand_sheets"}
            return False

    with ThreadPoolExecutor(max_workers=2) as pool:
        saves, seated = pool.submit(juror_saves), pool.submit(organizer_seats)
        saved, changed = saves.result(), seated.result()
    data = queries.load_edition(engine, YEAR)
    assert sheets.stranded_sheets(data).empty
    assert (changed and len(data.panels) == 2) or (not changed and saved > 0)
