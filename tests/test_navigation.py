"""Sign-in and navigation by role: each role sees only its pages; anonymous visitors only sign in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from kipp import auth, db
from kipp.audit import Actor
from kipp.models import SignInThrottle
from tests.factories import make_edition

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
ALL_PAGES = ["home", "live", "score_entry", "my_results", "jurors", "trends", "entries", "admin", "audit"]
ROLE_PAGES = {
    "juror": ["score_entry", "my_results"],
    "viewer": ["live", "trends", "entries"],
    "organizer": ALL_PAGES,
}


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the cheapest parameters: same algorithm and format, test-friendly speed."""
    monkeypatch.setattr(auth.passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def accounts_url(app_url: str) -> str:
    """A writable demo database with its demo accounts (panitia, pimpinan, juri1–juri4)."""
    auth.ensure_demo_accounts(db.get_engine(app_url))
    return app_url


def start() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120).run()


def field(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(widget for widget in at.text_input if widget.label == label)


def sign_in(at: AppTest, username: str, password: str = auth.DEMO_PASSWORD) -> AppTest:
    """Fill in and submit the sign-in form, as a person would."""
    field(at, "Nama pengguna").input(username)
    field(at, "Kata sandi").input(password)
    return next(b for b in at.button if b.label == "Masuk").click().run()


def opens(at: AppTest, page: str) -> bool:
    """Whether the navigation built for this session offers the page (AppTest refuses unregistered pages).

    Only the registration is checked, without running the page: AppTest starts every run in
    a fresh page registry, where a page whose URL equals its file name would run on its own.
    """
    try:
        at.switch_page(f"app_pages/{page}.py")
    except ValueError:
        return False
    return True


def shows_sign_in(at: AppTest) -> bool:
    """Whether the run showed the sign-in form and nothing of the page behind it."""
    return [t.value for t in at.title] == ["Masuk"] and not at.metric and not at.tabs and len(at.dataframe) <= 1


def test_an_anonymous_visitor_only_sees_the_sign_in_screen_whatever_address_they_open(accounts_url: str) -> None:
    at = start()
    assert not at.exception
    assert shows_sign_in(at)
    assert not at.selectbox  # no figures, no edition picker
    for page in ALL_PAGES:  # a typed or bookmarked address opens (no "Page not found") but shows only sign-in
        assert opens(at, page), page
        at.run()
        assert not at.exception, page
        assert shows_sign_in(at), page


@pytest.mark.parametrize("how", ["env", "secrets"])
def test_public_live_is_a_deployment_setting(accounts_url: str, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    if how == "env":
        monkeypatch.setenv("KIPP_PUBLIC_LIVE", "1")
    else:
        at.secrets["KIPP_PUBLIC_LIVE"] = "1"
    at.run()
    assert [t.value for t in at.title] == ["Masuk"]
    at.switch_page("app_pages/live.py").run()
    assert not at.exception and "Papan peringkat" in at.title[0].value
    at.switch_page("app_pages/trends.py").run()
    assert shows_sign_in(at)


def test_without_public_live_the_live_address_asks_to_sign_in(accounts_url: str) -> None:
    at = start()
    at.switch_page("app_pages/live.py").run()
    assert not at.exception and shows_sign_in(at)


@pytest.mark.parametrize(("username", "role"), [("juri1", "juror"), ("pimpinan", "viewer"), ("panitia", "organizer")])
def test_each_role_sees_only_its_pages(accounts_url: str, username: str, role: str) -> None:
    at = sign_in(start(), username)
    assert not at.exception and not at.error
    assert any(role_label in c.value for c in at.sidebar.caption for role_label in ("Juri", "Pimpinan", "Panitia"))
    assert [page for page in ALL_PAGES if opens(at, page)] == ROLE_PAGES[role]


def test_a_juror_lands_on_score_entry(accounts_url: str) -> None:
    at = sign_in(start(), "juri1")
    assert at.title[0].value == "Input nilai"
    assert "Ratna Kusumawardani" in " ".join(c.value for c in at.sidebar.caption)


def test_a_wrong_password_is_refused_and_the_sixth_locks_the_account(accounts_url: str) -> None:
    at = sign_in(start(), "juri1", "bukan-kata-sandinya")
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    assert at.title[0].value == "Masuk"
    with db.write_session(db.get_engine(accounts_url)) as session:  # five failures already, no wait pending
        session.execute(
            update(SignInThrottle)
            .where(SignInThrottle.username == "juri1")
            .values(failures=auth.LOCK_AFTER - 1, blocked_until=None)
        )
    at = sign_in(at, "juri1", "masih-salah-juga")
    assert "dikunci" in at.error[0].value and "WIB" in at.error[0].value
    at = sign_in(at, "juri1")  # the right password, but locked
    assert "dikunci" in at.error[0].value and at.title[0].value == "Masuk"


def test_sign_out_forgets_the_account_and_everything_typed(accounts_url: str) -> None:
    at = sign_in(start(), "juri1")
    at.session_state["score.cell.2023.1.1.1"] = 55.0
    at = next(b for b in at.sidebar.button if b.label == "Keluar").click().run()
    assert at.title[0].value == "Masuk"
    assert "user" not in at.session_state and "score.cell.2023.1.1.1" not in at.session_state
    at.switch_page("app_pages/score_entry.py").run()
    assert shows_sign_in(at)


def test_a_deactivated_account_is_signed_out_on_its_next_click(accounts_url: str) -> None:
    at = sign_in(start(), "juri1")
    auth.set_active(db.get_engine(accounts_url), actor=Actor("panitia", "organizer"), username="juri1", active=False)
    at.run()
    assert at.title[0].value == "Masuk"
    assert any("dinonaktifkan" in toast.value for toast in at.toast)


def test_the_sign_in_screen_lists_demo_accounts_only_on_demo_data(accounts_url: str) -> None:
    at = start()
    listed = at.dataframe[0].value
    assert sorted(listed["Nama pengguna"]) == ["juri1", "juri2", "juri3", "juri4", "panitia", "pimpinan"]
    assert set(listed["Kata sandi"]) == {auth.DEMO_PASSWORD}

    engine = db.get_engine(accounts_url)
    make_edition(engine, year=2025, status="draft")  # real data arrives
    auth.create_user(
        engine, actor=Actor("cli", "organizer"), username="kabag", role="organizer", password="kata-sandi-kantor"
    )
    at = start()
    assert not at.dataframe
    assert "kata sandi demo" in sign_in(at, "panitia").error[0].value
    at = sign_in(start(), "kabag", "kata-sandi-kantor")
    assert any("juri1, juri2, juri3, juri4, panitia, pimpinan" in e.value for e in at.error)


def test_english_sign_in(accounts_url: str) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Sign in"
    assert {w.label for w in at.text_input} == {"Username", "Password"}


def test_sign_in_times_are_recorded(accounts_url: str) -> None:
    before = dt.datetime.now(dt.UTC)
    sign_in(start(), "pimpinan")
    users = auth.list_users(db.get_engine(accounts_url)).set_index("username")
    assert users.loc["pimpinan", "last_login_at"] >= before.astimezone(auth.LOCAL_TIME).replace(tzinfo=None)
    assert users.loc["pimpinan", "failed_attempts"] == 0


def test_a_new_password_signs_open_sessions_out(accounts_url: str) -> None:
    at = sign_in(start(), "juri1")
    assert at.title[0].value == "Input nilai"
    auth.set_password(
        db.get_engine(accounts_url),
        actor=Actor("cli:kabag", "organizer"),
        username="juri1",
        password="kata-sandi-baru-juri",
    )
    at.run()
    assert at.title[0].value == "Masuk"
    assert any("diganti" in toast.value for toast in at.toast)
    assert sign_in(at, "juri1", "kata-sandi-baru-juri").title[0].value == "Input nilai"


def test_demo_sessions_and_the_accounts_they_made_stop_when_real_data_arrives(accounts_url: str) -> None:
    at = sign_in(start(), "juri1")
    engine = db.get_engine(accounts_url)
    made = auth.create_user(  # by the demo organizer
        engine,
        actor=Actor("panitia", "organizer"),
        username="kabag.demo",
        role="organizer",
        password="dibuat-di-sesi-demo",
    )
    assert auth.authenticate(engine, "kabag.demo", "dibuat-di-sesi-demo") == made  # fine on demo data

    make_edition(engine, year=2025, status="draft")  # real data arrives
    at.run()
    assert at.title[0].value == "Masuk"
    assert any("data sungguhan" in toast.value for toast in at.toast)
    assert "sesi akun demo" in sign_in(start(), "kabag.demo", "dibuat-di-sesi-demo").error[0].value
    assert "kabag.demo" in auth.demo_password_warning(engine)


def with_cookie(monkeypatch: pytest.MonkeyPatch, token: str | None) -> AppTest:
    """A new tab (a reload) whose browser sends the session cookie ``token``."""
    from kipp.ui import access as ui_access

    monkeypatch.setattr(ui_access, "_session_cookie", lambda: token)
    return start()


def test_a_reload_keeps_the_sign_in_and_signing_out_ends_it_on_every_tab(
    accounts_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sign_in(start(), "juri1")
    token = first.session_state["sign_in_token"]
    assert token and token not in str(auth.list_users(db.get_engine(accounts_url)).to_dict())
    reloaded = with_cookie(monkeypatch, token)
    assert not reloaded.exception and reloaded.title[0].value == "Input nilai"
    other_tab = with_cookie(monkeypatch, token)
    next(b for b in reloaded.sidebar.button if b.label == "Keluar").click().run()
    assert reloaded.title[0].value == "Masuk"
    other_tab.run()  # the next click on the other tab finds the session gone
    assert other_tab.title[0].value == "Masuk"
    assert any("keluar" in toast.value for toast in other_tab.toast)
    first.run()
    assert first.title[0].value == "Masuk"
    assert with_cookie(monkeypatch, token).title[0].value == "Masuk"  # the old cookie no longer signs in


def test_a_forged_or_expired_cookie_signs_nobody_in(accounts_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = with_cookie(monkeypatch, "bukan-token-yang-pernah-dibuat-sama-sekali")
    assert not at.exception and shows_sign_in(at)
    engine = db.get_engine(accounts_url)
    token = auth.start_session(
        engine, auth.account(engine, "pimpinan"), now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=13)
    )
    at = with_cookie(monkeypatch, token)
    assert shows_sign_in(at) and any("habis" in toast.value for toast in at.toast)


def display_tab(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["screen"] = "big"
    at.query_params["display"] = token
    return at.run()


REVOKED = "Tautan layar ini sudah dicabut atau tidak berlaku. Minta tautan baru kepada panitia."


def test_a_display_link_shows_its_edition_big_screen_without_sign_in_until_revoked(accounts_url: str) -> None:
    engine = db.get_engine(accounts_url)
    organizer = Actor("panitia", "organizer")
    token = auth.create_display_link(engine, actor=organizer, year=2023, label="Proyektor aula")
    at = display_tab(token)
    assert not at.exception and not at.error
    assert not at.text_input and not at.sidebar.selectbox and not at.sidebar.button  # no sign-in, no menu
    assert "2023" in " ".join(str(element.value) for element in at.main if hasattr(element, "value"))
    link_id = int(auth.display_links(engine, 2023)["id"].iloc[0])
    auth.revoke_display_link(engine, actor=organizer, link_id=link_id)
    at.run()
    assert [e.value for e in at.error] == [REVOKED]
    assert not at.text_input and not at.dataframe
    assert [e.value for e in display_tab("tebakan-token-acak").error] == [REVOKED]


def test_a_viewer_picks_only_published_editions_and_is_told_when_asking_for_another(accounts_url: str) -> None:
    engine = db.get_engine(accounts_url)
    make_edition(engine, year=2025, status="scoring")
    auth.create_user(
        engine, actor=Actor("cli", "organizer"), username="kabag", role="viewer", password="teropong-pimpinan-25"
    )
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["edition"] = "2025"
    at = sign_in(at.run(), "kabag", "teropong-pimpinan-25")
    assert not at.exception
    picker = at.sidebar.selectbox[0]
    assert 2025 not in picker.options and "2025" not in " ".join(picker.options)
    assert picker.value == 2023
    assert [w.value for w in at.warning] == [
        "Edisi 2025 belum diumumkan, jadi hasilnya belum bisa Anda lihat. Ditampilkan edisi 2023."
    ]


def test_an_organizer_creates_a_display_link_sees_its_address_once_and_revokes_it(accounts_url: str) -> None:
    at = sign_in(start(), "panitia")
    at.switch_page("app_pages/admin.py").run()
    next(w for w in at.text_input if w.label == "Label (mis. Proyektor aula)").input("Proyektor <b>aula</b>")
    at = next(b for b in at.button if b.label == "Buat tautan layar").click().run()
    assert not at.exception
    address = at.code[0].value
    assert "/live?screen=big&display=" in address
    token = address.rsplit("=", 1)[1]
    engine = db.get_engine(accounts_url)
    assert auth.display_year(engine, token) == 2023  # the edition picked in the sidebar
    assert "Proyektor <b>aula</b>" in [text.value for text in at.text]  # the label as plain text
    at.run()
    assert not at.code  # the address is shown once
    at = next(b for b in at.button if b.label == "Cabut").click().run()
    assert auth.display_year(engine, token) is None
    assert any(text.value.startswith("dicabut") for text in at.text)
