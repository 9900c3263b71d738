"""A fresh server's first visitor cannot reach a page without signing in by typing its address.

The page files live in app_pages/, which Streamlit does not serve as an old-style multipage
app, so every address runs dashboard.py and its navigation; should a page run anyway, its first
line (ui.require_role) shows the sign-in form itself.  Several tabs open at once, as on a
presentation day, must all get the sign-in screen and no error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from kipp.bench.server import dashboard_server
from kipp.i18n import translate
from tests.browser.conftest import FIRST_RUN_TIMEOUT_MS, IDLE


@pytest.fixture
def fresh_server(tmp_path: Path) -> str:
    from kipp import db
    from kipp.auth import ensure_demo_accounts
    from kipp.demo import build_demo

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    build_demo(db.get_engine(url))
    ensure_demo_accounts(db.get_engine(url))
    db.dispose_engine(url)
    with dashboard_server(url, tmp_path / "server.log") as (base, _):
        yield base
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def test_first_visits_to_admin_get_the_sign_in_screen(browser: Browser, fresh_server: str) -> None:
    pages = [browser.new_page() for _ in range(4)]
    for page in pages:  # all at once, before any page has finished
        page.goto(f"{fresh_server}/admin", wait_until="commit")
    for page in pages:
        page.wait_for_selector(IDLE, timeout=FIRST_RUN_TIMEOUT_MS)
        page.locator('input[type="password"]').wait_for(timeout=FIRST_RUN_TIMEOUT_MS)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert translate("admin.tab.data", "id") not in main, "the Admin page must not show before sign-in"
        assert translate("app.error", "id") not in main
        page.close()
