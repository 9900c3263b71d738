"""A presentation day you can trust, in a real browser: sign-ins survive reloads, end everywhere when
they should, projector display links, and a fresh server opened by several tabs at once.

The sign-in lives in the ``kipp_session`` cookie (its token's hash in ``sign_in_session``); a new tab
or a reload is a new Streamlit session that restores the account from the cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page

from kipp import auth, db
from kipp.audit import Actor
from kipp.bench.server import dashboard_server
from kipp.i18n import translate
from tests.browser.conftest import FIRST_RUN_TIMEOUT_MS, IDLE, LIVE_YEAR, AppPage, Server

ORGANIZER = Actor("panitia", "organizer")
PROJECTOR = {"width": 1920, "height": 1080}


def tr(key: str, **values: object) -> str:
    return translate(key, "id", **values)


def sign_in(app: AppPage, username: str, path: str = "") -> None:
    """Sign in on ``path`` (the sign-in form any page shows) and wait until the page behind it has run."""
    app.open(path)
    page = app.page
    page.get_by_label(tr("auth.username")).fill(username)
    page.get_by_label(tr("auth.password")).fill(app.server.accounts[username].password)
    app.rerun_after(lambda: page.get_by_role("button", name=tr("auth.sign_in.button")).click())
    signed_in(app)


def signed_in(app: AppPage) -> None:
    app.page.get_by_test_id("stSidebar").get_by_text(tr("auth.sign_out")).wait_for(state="attached")
    app.wait_idle()


def reload(app: AppPage) -> None:
    app.page.reload(wait_until="domcontentloaded")
    app.wait_idle()


def new_tab(app: AppPage, path: str = "") -> AppPage:
    """Another tab of the same browser (same cookies)."""
    tab = AppPage(app.page.context.new_page(), app.server, app.journey)
    tab.open(path)
    return tab


def shows_sign_in(app: AppPage) -> bool:
    app.page.locator('input[type="password"]').wait_for()
    return True


def test_reloads_and_new_tabs_keep_the_sign_in(open_app: Callable[..., AppPage], server: Server) -> None:
    organizer = open_app("session-organizer")
    sign_in(organizer, "panitia")
    organizer.open("live")  # a typed address: a new session
    signed_in(organizer)
    reload(organizer)
    signed_in(organizer)
    assert tr("live.title", year=LIVE_YEAR) in organizer.text()
    organizer.open("live", screen="big")
    reload(organizer)
    assert tr("live.big.title", year=LIVE_YEAR) in organizer.text()
    assert not organizer.page.locator('input[type="password"]').count()

    juror = open_app("session-juror", width=1024, height=768)
    sign_in(juror, "juri1")
    assert tr("nav.score") in juror.text()
    reload(juror)
    signed_in(juror)
    assert tr("nav.score") in juror.text()
    other = new_tab(juror)
    signed_in(other)
    other.page.close()


def test_sign_out_ends_the_sign_in_on_every_tab(open_app: Callable[..., AppPage], server: Server) -> None:
    first = open_app("session-sign-out")
    sign_in(first, "pimpinan")
    second = new_tab(first, "trends")
    signed_in(second)
    first.rerun_after(lambda: first.page.get_by_test_id("stSidebar").get_by_text(tr("auth.sign_out")).click())
    # A viewer lands on Live, which this server shows to the public: still there, but signed out.
    first.page.get_by_test_id("stSidebar").get_by_text(tr("auth.sign_out")).wait_for(state="detached")
    # The other tab's next click finds the session gone; a reload brings no account back.
    second.rerun_after(lambda: second.page.get_by_test_id("stSidebar").get_by_text("English").click())
    assert shows_sign_in(second)
    reload(second)
    assert shows_sign_in(second)
    second.page.close()


def test_a_password_change_or_deactivation_ends_the_sign_in_on_every_tab(
    open_app: Callable[..., AppPage], server: Server
) -> None:
    engine = db.get_engine(server.db_url, migrate=False)
    for username, change in (
        ("juri2", lambda: auth.set_password(engine, actor=ORGANIZER, username="juri2", password="sandi-baru-juri-2")),
        ("juri3", lambda: auth.set_active(engine, actor=ORGANIZER, username="juri3", active=False)),
    ):
        tab = open_app(f"session-ended-{username}")
        sign_in(tab, username)
        other = new_tab(tab)
        signed_in(other)
        change()
        reload(tab)
        assert shows_sign_in(tab)
        other.rerun_after(lambda other=other: other.page.get_by_test_id("stSidebar").get_by_text("English").click())
        assert shows_sign_in(other)
        other.page.close()


def test_a_projector_link_shows_the_big_screen_without_signing_in_until_revoked(
    open_app: Callable[..., AppPage], server: Server
) -> None:
    engine = db.get_engine(server.db_url, migrate=False)
    token = auth.create_display_link(engine, actor=ORGANIZER, year=LIVE_YEAR, label="Proyektor aula")
    screen = open_app("projector-link", **PROJECTOR)
    screen.page.goto(server.url + auth.display_path(token), wait_until="domcontentloaded")
    screen.wait_idle()
    assert tr("live.big.title", year=LIVE_YEAR) in screen.text()
    assert not screen.page.locator('input[type="password"]').count()
    assert not screen.page.get_by_test_id("stSidebar").count()  # no menu to any other page
    assert tr("auth.demo.heading") not in screen.page.content()
    screen.shot("big-screen")
    reload(screen)
    assert tr("live.big.title", year=LIVE_YEAR) in screen.text()

    link_id = int(auth.display_links(engine, LIVE_YEAR)["id"].iloc[0])
    auth.revoke_display_link(engine, actor=ORGANIZER, link_id=link_id)
    reload(screen)
    assert tr("display.invalid") in screen.text()
    assert not screen.page.locator('input[type="password"]').count()
    screen.shot("revoked")


def test_a_signed_out_big_screen_address_asks_to_sign_in_without_demo_accounts(
    open_app: Callable[..., AppPage], server: Server
) -> None:
    visitor = open_app("signed-out-big-screen")
    visitor.open("trends", screen="big")
    assert shows_sign_in(visitor)
    assert not visitor.page.get_by_text("Page not found").count()
    assert not visitor.page.get_by_text(tr("auth.demo.heading")).count()


def test_four_tabs_on_a_fresh_empty_database_all_reach_sign_in(browser: Browser, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    log = tmp_path / "server.log"
    with dashboard_server(url, log) as (base, _):
        context = browser.new_context()
        pages: list[Page] = [context.new_page() for _ in range(4)]
        for page, path in zip(pages, ["", "live", "admin", "live?screen=big"], strict=True):
            page.goto(f"{base}/{path}", wait_until="commit")  # all at once, while the demo is being built
        for page in pages:
            page.wait_for_selector(IDLE, timeout=FIRST_RUN_TIMEOUT_MS)
            page.locator('input[type="password"]').wait_for(timeout=FIRST_RUN_TIMEOUT_MS)
            main = page.get_by_test_id("stMain").inner_text()
            assert tr("app.error") not in main and "already exists" not in main
            assert not page.get_by_text("Page not found").count()
        context.close()
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]
