"""The Score entry page, the Admin edition and accounts sections and the audit page, driven through AppTest."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, update
from streamlit.testing.v1 import AppTest

from kipp import auth, db, queries, scoring, services
from kipp.audit import Actor, WriteRefused
from kipp.demo import CRITERIA
from kipp.models import AuditLog, Edition
from tests.factories import make_edition
from tests.test_navigation import APP, fast_hashing, sign_in, start  # noqa: F401 (fast_hashing is a fixture)

YEAR = 2024
ENTRIES = (
    ("K24-001", "SIGAP Antrean", "Puskesmas Janti"),
    ("K24-002", "Rapor Digital", "SMPN 5 Malang"),
    ("K24-003", "Pajak Daerah Online", "Bapenda"),
)
ORGANIZER = Actor("panitia", "organizer")


@pytest.fixture
def engine(app_url: str) -> Engine:
    """The writable demo database with demo accounts and a 2024 demo edition (draft) on the 2023 panel."""
    engine = db.get_engine(app_url)
    auth.ensure_demo_accounts(engine)
    panel = queries.load_edition(engine, 2023).panel.sort_values("seat")["juror"].tolist()
    make_edition(
        engine,
        year=YEAR,
        criteria=[(name, 20.0, 100.0) for name, _ in CRITERIA],
        jurors=panel,
        entries=ENTRIES,
        status="draft",
    )
    with db.write_session(engine) as session:
        session.execute(update(Edition).where(Edition.year == YEAR).values(is_demo=True))
    return engine


def ids(engine: Engine) -> dict:
    data = queries.load_edition(engine, YEAR)
    return {
        "entries": dict(zip(data.entries["code"], data.entries["entry_id"], strict=True)),
        "criteria": data.criteria.sort_values("position")["criterion_id"].tolist(),
        "jurors": data.panel.sort_values("seat")["juror_id"].tolist(),
    }


def open_scoring(engine: Engine) -> None:
    services.advance_status(engine, actor=ORGANIZER, year=YEAR, to="scoring")


def cells(at: AppTest, year: int, juror: int, entry: int, criteria: list[int]) -> list:  # type: ignore[type-arg]
    return [at.number_input(key=f"score.cell.{year}.{juror}.{entry}.{c}") for c in criteria]


def save_button(at: AppTest):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == "Simpan nilai")


def test_walk_through_juror_scores_and_the_organizers_live_ranking_moves(engine: Engine) -> None:
    # The organizer opens scoring on the Admin page.
    organizer = sign_in(start(), "panitia")
    organizer.switch_page("app_pages/admin.py").run()
    organizer.checkbox[0].check()
    organizer = next(b for b in organizer.button if b.label == "Buka penilaian").click().run()
    assert any("Penilaian berlangsung" in s.value for s in organizer.success)
    assert queries.edition_record(engine, YEAR)["status"] == "scoring"
    before = scoring.leaderboard(queries.load_edition(engine, YEAR)).set_index("code")
    assert before.loc["K24-001", "jurors"] == 0

    # A juror signs in, lands on their sheet for the first entry of the schedule, fills it and saves.
    juror = sign_in(start(), "juri1")
    known = ids(engine)
    me = known["jurors"][0]
    assert juror.title[0].value == "Input nilai"
    assert juror.selectbox(key=f"score.pick.{YEAR}.{me}").value == known["entries"]["K24-001"]
    for box, value in zip(
        cells(juror, YEAR, me, known["entries"]["K24-001"], known["criteria"]), (90, 85, 80, 75, 70), strict=True
    ):
        box.set_value(value)
    juror.run()
    assert any("belum disimpan" in w.value for w in juror.warning)
    assert juror.metric[0].value == "80,00"  # running total from kipp.scoring, in Indonesian format
    juror.text_area(key=f"score.feedback.{YEAR}.{me}.{known['entries']['K24-001']}").input("Perkuat data dampak.")
    juror = save_button(juror).click().run()
    assert not juror.exception
    assert next(s.value for s in juror.success).startswith(
        "Tersimpan: 5 nilai untuk K24\\-001."
    )  # the code as plain text
    assert juror.selectbox(key=f"score.pick.{YEAR}.{me}").value == known["entries"]["K24-002"]  # next one opens

    # The organizer's Live ranking moves.
    after = scoring.leaderboard(queries.load_edition(engine, YEAR)).set_index("code")
    assert after.loc["K24-001", "jurors"] == 1 and after.loc["K24-001", "provisional"]
    assert after["rank"].isna()["K24-001"]  # one sheet of the panel: listed, not ranked yet
    organizer.switch_page("app_pages/live.py").run()
    assert not organizer.exception
    shown = " ".join(str(frame.value.to_dict()) for frame in organizer.dataframe)
    assert "K24-001" in shown or "SIGAP Antrean" in shown


def test_unsaved_values_survive_reruns_and_a_look_at_another_entry(engine: Engine) -> None:
    open_scoring(engine)
    at = sign_in(start(), "juri2")
    known = ids(engine)
    me, first, second = known["jurors"][1], known["entries"]["K24-001"], known["entries"]["K24-002"]
    cells(at, YEAR, me, first, known["criteria"])[0].set_value(66)
    at.run()
    at.selectbox(key=f"score.pick.{YEAR}.{me}").select(second).run()
    at.selectbox(key=f"score.pick.{YEAR}.{me}").select(first).run()
    assert cells(at, YEAR, me, first, known["criteria"])[0].value == 66
    assert any("belum disimpan" in w.value for w in at.warning)
    assert queries.load_edition(engine, YEAR).scores.empty  # nothing saved until the button


def test_a_decimal_score_is_also_shown_the_indonesian_way(engine: Engine) -> None:
    open_scoring(engine)
    at = sign_in(start(), "juri2")
    known = ids(engine)
    me, first = known["jurors"][1], known["entries"]["K24-001"]
    boxes = cells(at, YEAR, me, first, known["criteria"])
    assert any("titik" in caption.value for caption in at.caption)  # the inputs take 12.5; the sheet says so
    boxes[0].set_value(85.25)
    boxes[1].set_value(80)
    at.run()
    captions = [caption.value for caption in at.caption]
    assert "Tertulis: 85,25" in captions  # next to the input that can only show 85.25
    assert not any(caption.startswith("Tertulis: 80") for caption in captions)  # whole numbers need no note
    assert at.metric[0].value == "33,05"  # (85,25 + 80) / 5 criteria of equal weight


def test_a_juror_sees_only_their_own_sheet(engine: Engine) -> None:
    open_scoring(engine)
    known = ids(engine)
    other, entry = known["jurors"][1], known["entries"]["K24-001"]
    services.submit_sheet(
        engine,
        actor=Actor("juri2", "juror", other),
        entry_id=entry,
        juror_id=other,
        values=dict.fromkeys(known["criteria"], 77),
        feedback="Rahasia juri dua",
    )
    at = sign_in(start(), "juri1")
    me = known["jurors"][0]
    assert [box.value for box in cells(at, YEAR, me, entry, known["criteria"])] == [None] * 5
    page_text = " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.text_area, *at.metric))
    assert "77" not in page_text and "Rahasia juri dua" not in page_text
    assert not any(key.startswith(f"score.cell.{YEAR}.{other}.") for key in at.session_state)


def test_values_the_page_cannot_send_are_refused_by_the_service_with_a_clear_message(engine: Engine) -> None:
    open_scoring(engine)
    at = sign_in(start(), "juri1")
    known = ids(engine)
    me, entry = known["jurors"][0], known["entries"]["K24-001"]
    cells(at, YEAR, me, entry, known["criteria"])[0].set_value(50)
    button = save_button(at.run())
    services.advance_status(engine, actor=ORGANIZER, year=YEAR, to="locked", reason="uji")  # locked behind the page
    at = button.click().run()
    assert [e.value.replace("\\", "") for e in at.error] == [
        "Edisi 2024 berstatus Dikunci: nilainya tidak dapat diubah lagi."
    ]
    assert queries.load_edition(engine, YEAR).scores.empty


def test_a_locked_sheet_is_read_only(engine: Engine) -> None:
    open_scoring(engine)
    known = ids(engine)
    me, entry = known["jurors"][0], known["entries"]["K24-001"]
    services.submit_sheet(
        engine,
        actor=Actor("juri1", "juror", me),
        entry_id=entry,
        juror_id=me,
        values=dict.fromkeys(known["criteria"], 60),
    )
    services.advance_status(engine, actor=ORGANIZER, year=YEAR, to="locked", reason="uji")
    at = sign_in(start(), "juri1")
    at.selectbox(key=f"score.pick.{YEAR}.{me}").select(entry).run()
    assert not at.number_input and not any(b.label == "Simpan nilai" for b in at.button)
    assert any("Dikunci" in i.value for i in at.info)
    assert at.metric[0].value == "60,00"


def test_an_organizer_corrects_a_jurors_score_only_with_a_reason(engine: Engine) -> None:
    open_scoring(engine)
    known = ids(engine)
    juror, entry = known["jurors"][2], known["entries"]["K24-003"]
    services.submit_sheet(
        engine,
        actor=Actor("juri3", "juror", juror),
        entry_id=entry,
        juror_id=juror,
        values=dict.fromkeys(known["criteria"], 58),
    )
    at = sign_in(start(), "panitia")
    at.switch_page("app_pages/score_entry.py").run()
    at.selectbox(key=f"score.juror.{YEAR}").select(juror).run()
    at.selectbox(key=f"score.pick.{YEAR}.{juror}").select(entry).run()
    cells(at, YEAR, juror, entry, known["criteria"])[0].set_value(85)
    at = save_button(at.run()).click().run()
    assert any("alasan" in e.value for e in at.error)
    at.text_input(key=f"score.reason.{YEAR}.{juror}.{entry}").input("Salah ketik 58, seharusnya 85")
    at = save_button(at.run()).click().run()
    assert at.success and not at.error
    with db.read_session(engine) as session:
        record = session.scalars(select(AuditLog).where(AuditLog.action == "score.correct")).one()
    assert (record.actor, record.old_value, record.new_value) == ("panitia", "58.0", "85.0")
    assert record.reason == "Salah ketik 58, seharusnya 85"


def test_a_recused_entry_is_done_for_the_juror_and_shown_as_such(engine: Engine) -> None:
    open_scoring(engine)
    known = ids(engine)
    me, entry = known["jurors"][0], known["entries"]["K24-001"]
    services.add_recusal(engine, actor=ORGANIZER, entry_id=entry, juror_id=me, reason="Kerabat kepala puskesmas")
    at = sign_in(start(), "juri1")
    assert at.selectbox(key=f"score.pick.{YEAR}.{me}").value == known["entries"]["K24-002"]
    assert "1 dari 3" in at.get("progress")[0].proto.text
    at.selectbox(key=f"score.pick.{YEAR}.{me}").select(entry).run()
    assert any("mundur" in i.value for i in at.info) and not at.number_input


def test_admin_manages_recusals_and_shows_weights(engine: Engine) -> None:
    open_scoring(engine)
    at = sign_in(start(), "panitia")
    at.switch_page("app_pages/admin.py").run()
    at.text_input(key="recuse.reason").input("Juri mantan pembina tim")
    at = next(b for b in at.button if b.label == "Catat mundur").click().run()
    assert any("tercatat mundur" in s.value for s in at.success)
    assert len(queries.recusals(engine, YEAR)) == 1
    assert any("Bobot" in frame.value.columns for frame in at.dataframe)


def test_admin_creates_an_account_and_shows_its_password_once(engine: Engine) -> None:
    at = sign_in(start(), "panitia")
    at.switch_page("app_pages/admin.py").run()
    form = {w.label: w for w in at.text_input}
    form["Nama pengguna"].input("pimpinan.sekda")
    at = next(b for b in at.button if b.label == "Buat akun").click().run()
    (password,) = [c.value for c in at.code]
    assert auth.authenticate(engine, "pimpinan.sekda", password).role == "organizer"
    at.run()
    assert not at.code  # shown once only


def test_the_audit_page_lists_changes_with_filters_and_a_csv(engine: Engine) -> None:
    open_scoring(engine)
    known = ids(engine)
    me, entry = known["jurors"][0], known["entries"]["K24-002"]
    services.submit_sheet(
        engine,
        actor=Actor("juri1", "juror", me),
        entry_id=entry,
        juror_id=me,
        values=dict.fromkeys(known["criteria"], 70),
    )
    at = sign_in(start(), "panitia")
    at.switch_page("app_pages/audit.py").run()
    trail = at.dataframe[0].value
    assert {"score.create", "edition.status", "user.create"} <= set(trail["action"])
    at.multiselect(key="audit.actors").select("juri1").run()
    trail = at.dataframe[0].value
    assert set(trail["actor"]) == {"juri1"} and len(trail) == 5
    assert set(trail["new_value"]) == {"70"}
    assert [button.label for button in at.download_button] == ["Unduh CSV"]


def test_admin_keeps_the_open_tab_and_toasts_the_import_result(engine: Engine) -> None:
    at = sign_in(start(), "panitia")
    at.switch_page("app_pages/admin.py").run()
    at.session_state["admin_tab"] = "Impor & ekspor"  # the organizer is on the Import tab
    at.session_state["ingest_done"] = "Impor selesai: kipp-2025.xlsx ke edisi 2025"  # what a finished import leaves
    at.run()
    assert not at.exception
    assert [toast.value for toast in at.toast] == ["Impor selesai: kipp-2025.xlsx ke edisi 2025"]
    assert any("kipp-2025.xlsx" in success.value for success in at.success)  # on the Import tab too
    at.run()  # a later rerun: the tab stays, the message is not repeated
    assert at.session_state["admin_tab"] == "Impor & ekspor"
    assert not at.toast


def test_a_juror_sees_only_assigned_entries_and_a_link_to_another_says_why(engine: Engine) -> None:
    open_scoring(engine)
    known = ids(engine)
    me, other = known["jurors"][0], known["jurors"][1]
    services.set_entry_jurors(engine, actor=ORGANIZER, entry_id=known["entries"]["K24-002"], juror_ids=[other])
    services.set_entry_status(
        engine, actor=ORGANIZER, entry_id=known["entries"]["K24-003"], status="withdrawn", reason="Mundur"
    )

    juror = sign_in(start(), "juri1")
    picker = juror.selectbox(key=f"score.pick.{YEAR}.{me}")
    assert picker.options == [picker.format_func(known["entries"]["K24-001"])]  # K24-002 is another's, K24-003 left

    juror.query_params["entry"] = "K24-002"
    juror.run()
    assert not juror.exception
    (warning,) = juror.warning
    assert warning.value.startswith("Anda tidak termasuk panel juri inovasi K24\\-002: hanya juri yang ditugaskan")
    juror.query_params["entry"] = "K24-003"
    juror.run()
    assert [w.value for w in juror.warning] == ["Inovasi K24\\-003 sudah mengundurkan diri: tidak dinilai lagi."]
    # Had the juror got to the sheet anyway, the write path refuses it.
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(
            engine,
            actor=Actor("juri1", "juror", me),
            entry_id=known["entries"]["K24-002"],
            juror_id=me,
            values={known["criteria"][0]: 80},
        )
    assert [p.key for p in refused.value.problems] == ["services.not_assigned"]


def test_a_link_to_an_assigned_entry_opens_its_sheet(engine: Engine) -> None:
    open_scoring(engine)
    known = ids(engine)
    me = known["jurors"][0]
    juror = sign_in(start(), "juri1")
    juror.query_params["entry"] = "K24-003"
    juror.run()
    assert not juror.warning
    assert juror.selectbox(key=f"score.pick.{YEAR}.{me}").value == known["entries"]["K24-003"]
    juror.query_params["entry"] = "K99-404"
    juror.run()
    assert [w.value for w in juror.warning] == ["Tautan ini menuju inovasi K99\\-404, yang tidak ada di edisi 2024."]
    assert juror.selectbox(key=f"score.pick.{YEAR}.{me}").value == known["entries"]["K24-003"]  # still where it was
