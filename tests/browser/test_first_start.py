"""A freshly started server on an empty database, opened at /live and /admin before anyone opens /.

The first visitor sees the Indonesian spinner while the demo is built; no tab's sidebar ever
lists the raw page file names ("dashboard", "admin", "audit" …, Streamlit's old-style multipage
menu of a pages/ folder) and no tab shows Streamlit's English "Page not found".
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page

from kipp.bench.server import dashboard_server
from kipp.i18n import translate
from tests.browser.conftest import FIRST_RUN_TIMEOUT_MS, IDLE

# What Streamlit's old-style menu would call the files: the entry point and each page file's stem.
RAW_NAMES = {"dashboard", "home", "live", "score entry", "my results", "jurors", "trends", "entries", "admin", "audit"}


def tr(key: str, **values: object) -> str:
    return translate(key, "id", **values)


def menu(page: Page) -> list[str]:
    """The entries of the sidebar's page menu, as shown (each link's last line: its title after the icon)."""
    return [text.strip().splitlines()[-1] for text in page.get_by_test_id("stSidebarNavLink").all_inner_texts()]


def test_a_fresh_server_opened_at_live_and_admin_shows_the_spinner_and_no_raw_file_names(
    browser: Browser, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'empty' / 'kipp.db'}"
    (tmp_path / "empty").mkdir()
    log = tmp_path / "server.log"
    # Public Live on, so the signed-out menu is shown and can be read: sign-in and Live, in Indonesian.
    with dashboard_server(url, log, {"KIPP_PUBLIC_LIVE": "1"}) as (base, _):
        context = browser.new_context()
        live = context.new_page()
        live.goto(f"{base}/live", wait_until="commit")
        live.get_by_text(tr("app.demo_building")).wait_for(timeout=FIRST_RUN_TIMEOUT_MS)
        admin = context.new_page()
        admin.goto(f"{base}/admin", wait_until="commit")
        home = context.new_page()
        for page in (live, admin):
            page.wait_for_selector(IDLE, timeout=FIRST_RUN_TIMEOUT_MS)
        home.goto(base, wait_until="commit")
        home.wait_for_selector(IDLE, timeout=FIRST_RUN_TIMEOUT_MS)
        admin.locator('input[type="password"]').wait_for(timeout=FIRST_RUN_TIMEOUT_MS)
        for page in (live, admin, home):
            page.get_by_test_id("stSidebarNavLink").first.wait_for(timeout=FIRST_RUN_TIMEOUT_MS)
            shown = menu(page)
            assert shown == [tr("auth.sign_in.title"), tr("nav.live")], (page.url, shown)
            sidebar = page.get_by_test_id("stSidebar").inner_text().splitlines()
            assert not RAW_NAMES & {line.strip() for line in sidebar}, (page.url, sidebar)
            assert not page.get_by_text("Page not found").count(), page.url
            assert tr("app.error") not in page.get_by_test_id("stMain").inner_text(), page.url
        assert tr("admin.tab.data") not in admin.get_by_test_id("stMain").inner_text()
        context.close()
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]
