"""Several dashboard servers on one PostgreSQL database (README, "Several dashboard servers").

Two ``streamlit run dashboard.py`` processes share one PostgreSQL database.  Scores are
written through :func:`kipp.services.submit_sheet` from a third process (this test: the
same write path a server's Score entry page runs; the juror's clicks themselves are
covered by the browser tests), and:

- with Playwright and Chromium, the Live page already open in a headless browser on EACH
  server shows the new score on its own next refresh, without reloading;
- without a browser (and always), the cache the servers use (``kipp.ui``, keyed by edition
  and data version) moves to the new score: a server can never serve the old ranking once
  the database has the new one.

What this does not prove: the load balancer's sticky sessions (a deployment setting).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kipp import db, queries
from kipp.audit import Actor
from kipp.auth import create_display_link, display_path
from kipp.bench.server import browser_missing, dashboard_server, find_chromium, healthy
from kipp.services import submit_sheet
from tests.conftest import POSTGRES, drop_database, make_database
from tests.factories import make_edition

pytestmark = pytest.mark.skipif(
    not POSTGRES, reason="PostgreSQL is not reachable (set KIPP_TEST_POSTGRES_URL or start it on 127.0.0.1:5432)"
)

YEAR = 2031
SCORE = 73.37  # one juror, one criterion: the entry's score is this value, shown as 73,37 (or 73.37)
SHOWN = re.compile(r"73[,.]37")
REFRESH_TIMEOUT_MS = 60_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory, postgres_template: str | None) -> Iterator[dict[str, Any]]:
    """A PostgreSQL database with the demo editions and an edition in scoring with no score yet."""
    from kipp.demo import build_demo

    url = make_database("postgres", tmp_path_factory.mktemp("multi"), postgres_template)
    engine = db.get_engine(url)
    build_demo(engine)
    ids = make_edition(
        engine,
        year=YEAR,
        criteria=(("Kebaruan", 1.0, 100.0),),
        jurors=("Juri Bersama",),
        entries=(("M1", "Inovasi Dua Server", "SMPN 1 Malang"), ("M2", "Inovasi Pembanding", "SMPN 2 Malang")),
    )
    organizer = Actor(username="panitia", role="organizer")
    token = create_display_link(engine, actor=organizer, year=YEAR, label="Proyektor ruang utama")
    yield {"url": url, "engine": engine, "ids": ids, "display": display_path(token)}
    drop_database(url)


@pytest.fixture(scope="module")
def servers(shared_db: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Two dashboard servers on the shared database: base URL -> server log."""
    logs = tmp_path_factory.mktemp("servers")
    with (
        dashboard_server(shared_db["url"], logs / "a.log") as (server_a, _),
        dashboard_server(shared_db["url"], logs / "b.log") as (server_b, _),
    ):
        yield {server_a: logs / "a.log", server_b: logs / "b.log"}


def _write_score(shared_db: dict[str, Any], code: str, value: float) -> None:
    ids = shared_db["ids"]
    juror = ids["jurors"]["Juri Bersama"]
    criterion, _ = ids["criteria"]["Kebaruan"]
    submit_sheet(
        shared_db["engine"],
        actor=Actor(username="juri-bersama", role="juror", juror_id=juror),
        entry_id=ids["entries"][code],
        juror_id=juror,
        values={criterion: value},
    )


def test_both_servers_live_pages_show_a_new_score_on_their_next_refresh(
    shared_db: dict[str, Any], servers: dict[str, Path]
) -> None:
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    # Its own thread: the browser tests' session-wide Playwright may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_watch_both_servers, shared_db, servers).result()


def _watch_both_servers(shared_db: dict[str, Any], servers: dict[str, Path]) -> None:
    """Open the edition's big screen (a projector display link) on both servers, write a score, wait for it on each."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox", "--headless"])
        try:
            pages = []
            for server in servers:
                page = browser.new_page()
                page.goto(f"{server}{shared_db['display']}", wait_until="domcontentloaded")
                page.wait_for_selector(IDLE, timeout=REFRESH_TIMEOUT_MS)
                main = page.locator('[data-testid="stMain"]')
                expect(main).to_contain_text(str(YEAR), timeout=REFRESH_TIMEOUT_MS)  # the edition's big screen …
                expect(page.locator('input[type="password"]')).to_have_count(0)  # … not the sign-in screen
                expect(main).not_to_contain_text(SHOWN)  # no score yet
                pages.append(main)
            _write_score(shared_db, "M1", SCORE)  # through kipp.services, outside both servers
            for (server, log), main in zip(servers.items(), pages, strict=True):
                try:  # no reload: each server's own refresh must pick it up
                    expect(main).to_contain_text(SHOWN, timeout=REFRESH_TIMEOUT_MS)
                except AssertionError as error:
                    raise AssertionError(
                        f"{server} never showed the score; its log:\n{log.read_text()[-3000:]}"
                    ) from error
        finally:
            browser.close()


def test_a_servers_cache_cannot_serve_the_ranking_from_before_a_write(
    shared_db: dict[str, Any], servers: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kipp import ui

    for server in servers:
        assert healthy(server)
    monkeypatch.setenv("DATABASE_URL", shared_db["url"])
    engine = shared_db["engine"]
    before = queries.data_version(engine, YEAR)
    assert pd.isna(ui.leaderboard(YEAR).set_index("code").loc["M2", "score"])  # cached for this version
    _write_score(shared_db, "M2", 58.25)
    assert queries.data_version(engine, YEAR) != before  # what every server's cache key reads
    assert ui.leaderboard(YEAR).set_index("code").loc["M2", "score"] == 58.25
