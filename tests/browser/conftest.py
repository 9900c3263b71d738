"""Browser fixtures: the dashboard served by ``streamlit run`` on a fresh demo database, driven by Chromium.

Playwright drives the system's Chromium (Debian's ``chromium`` package; Playwright cannot
download a browser of its own here).  Without Chromium or Playwright every test in this
folder is skipped with the reason, so the plain test command passes on a fresh machine.

One server per test module: a fresh demo database in a temporary folder, ``streamlit run
dashboard.py`` on a free port, ready once ``/_stcore/health`` answers and a first page has
finished running.  Every page a test opens collects browser console errors and page
errors; the test fails when any occurred, when Streamlit showed an exception or the
app's error message, or when the server logged a traceback or a warning during the test.

Screenshots go to ``test-artifacts/screens/<journey>-<step>.png``; with
``KIPP_UPDATE_SCREENS=1`` the ones taken in the run are also copied to ``docs/screens/``
for the README.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kipp import db
from kipp.auth import DemoAccount
from kipp.bench.server import browser_missing, dashboard_server, find_chromium
from kipp.i18n import LANGUAGES, translate

if importlib.util.find_spec("playwright") is not None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Locator, Page

REPO = Path(__file__).resolve().parents[2]
BROWSER_TESTS = Path(__file__).resolve().parent
SCREENS = REPO / "test-artifacts" / "screens"
DOC_SCREENS = REPO / "docs" / "screens"
FAILURES = REPO / "test-artifacts" / "failures"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
UI_TIMEOUT_MS = 30_000
FIRST_RUN_TIMEOUT_MS = 90_000
RUN_START_MS = 3_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Counts the app's script runs (stApp's data-test-script-state turning to "running"), so a test
# can wait for the rerun its click caused instead of sleeping.
RUN_COUNTER_SCRIPT = """
window.__kippRuns = 0;
new MutationObserver((mutations) => {
  for (const m of mutations) {
    if (m.target.getAttribute("data-test-script-state") === "running") window.__kippRuns += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]});
"""

# True once nothing visible is loading: no skeleton placeholders, every visible Plotly chart has drawn
# its SVG and every visible data frame its canvas (those in closed expanders or other tabs never draw);
# then two animation frames so the last paint has reached the screen.
PAINTED_SCRIPT = """
() => {
  const shown = (selector) => [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility());
  if (shown('[data-testid="stSkeleton"]').length) return false;
  if (shown('[data-testid="stPlotlyChart"]').some((chart) => !chart.querySelector(".main-svg"))) return false;
  if (shown('[data-testid="stDataFrame"]').some((frame) => !frame.querySelector("canvas"))) return false;
  return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));
}
"""
MAX_SHOT_HEIGHT = 4000

# Browser console messages that are not the app's problems. Each needs a reason.
BENIGN_CONSOLE = [
    # Opened on a page URL (/live), Streamlit's frontend finds its server's base path by probing
    # /live/_stcore/health and /live/_stcore/host-config before /_stcore/...; the first probe's 404 is
    # how it learns the app is served at the root (streamlit/frontend connection code, "possible base URIs").
    re.compile(r"status of 404 .*/[\w-]+/_stcore/(health|host-config)\)$"),
]

# Server log lines that mean something went wrong in the app during a test.
LOG_PROBLEM = re.compile(r"Traceback \(most recent call last\)|\bERROR\b|Warning|WARNING|deprecat", re.IGNORECASE)
LOG_LINES_SHOWN = 80
BENIGN_LOG = [
    # Printed by `streamlit run` at start-up, before any test runs: not a problem of the app.
    re.compile(r"You can now view your Streamlit app"),
]

SCREENS_TAKEN: list[Path] = []

LIVE_YEAR = 2024  # the edition being scored in the browser tests' database
PUBLISHED_YEAR = 2023  # the newest published edition: what viewers and the public see first
LIVE_SHEETS = 40  # of its 132 juror sheets (its rooms seated as in 2023), this many are in when the server starts


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``browser`` and skip them all when no browser can run."""
    reason = browser_missing()
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures can tell that the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With KIPP_UPDATE_SCREENS=1, copy this run's screenshots into docs/screens/ for the README."""
    if os.environ.get("KIPP_UPDATE_SCREENS") == "1" and SCREENS_TAKEN:
        DOC_SCREENS.mkdir(parents=True, exist_ok=True)
        for path in SCREENS_TAKEN:
            shutil.copy2(path, DOC_SCREENS / path.name)


@dataclass(frozen=True)
class Server:
    """A running dashboard: its address, database and log file."""

    url: str
    db_url: str
    log: Path
    accounts: dict[str, DemoAccount]

    @staticmethod
    def problems_in(log: Path, since: int) -> list[str]:
        """What a server log got after byte ``since`` (its last lines) when any line reports an error or a warning."""
        with log.open("rb") as handle:
            handle.seek(since)
            lines = handle.read().decode("utf-8", "replace").splitlines()
        if not any(LOG_PROBLEM.search(line) and not any(p.search(line) for p in BENIGN_LOG) for line in lines):
            return []
        return lines[-LOG_LINES_SHOWN:]


def prepare_demo_database(url: str) -> dict[str, DemoAccount]:
    """The demo editions, a live edition part-way through scoring, and the demo accounts; returns these.

    The live edition (LIVE_YEAR, modelled on 2023 by kipp.simulate) has its first
    LIVE_SHEETS sheets in, so Live shows provisional entries and a juror has entries to score.
    """
    from kipp.auth import ensure_demo_accounts
    from kipp.demo import build_demo
    from kipp.simulate import simulate

    engine = db.get_engine(url)
    build_demo(engine)
    simulate(engine, LIVE_YEAR, limit=LIVE_SHEETS, sleep=lambda _: None, report=lambda _: None)
    accounts = {account.username: account for account in ensure_demo_accounts(engine)}
    db.dispose_engine(url)
    return accounts


@contextlib.contextmanager
def serve(folder: Path, browser: Browser) -> Iterator[Server]:
    """Run ``streamlit run dashboard.py`` on a fresh demo database in ``folder`` until the block ends."""
    db_url = f"sqlite:///{folder / 'kipp.db'}"
    accounts = prepare_demo_database(db_url)
    log = folder / "streamlit.log"
    # The projector opens Live's big screen in a tab of its own, without signing in.
    with dashboard_server(db_url, log, {"KIPP_PUBLIC_LIVE": "1"}) as (url, _):
        running = Server(url=url, db_url=db_url, log=log, accounts=accounts)
        # The first run imports pandas/plotly and fills the caches; pay for it once, here.
        context = browser.new_context()
        page = context.new_page()
        page.goto(running.url, wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=FIRST_RUN_TIMEOUT_MS)
        context.close()
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The system Chromium, headless, shared by the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    """The dashboard on a fresh demo database, started once per test module."""
    with serve(tmp_path_factory.mktemp("browser-app"), browser) as running:
        yield running


@pytest.fixture
def own_server(tmp_path: Path, browser: Browser) -> Iterator[Server]:
    """A dashboard of this test's own, for a journey that changes what other tests rely on."""
    with serve(tmp_path, browser) as running:
        yield running


class AppPage:
    """One browser tab on the dashboard, recording every console error and page error it sees."""

    def __init__(self, page: Page, server: Server, journey: str) -> None:
        self.page = page
        self.server = server
        self.journey = journey
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = f"{message.text} ({message.location.get('url', '')})"
        if not any(pattern.search(text) for pattern in BENIGN_CONSOLE):
            self.errors.append(f"console error: {text}")

    def _on_page_error(self, error: Error) -> None:
        self.errors.append(f"page error: {error}")

    def open(self, path: str = "", **query: str) -> None:
        """Load a page of the app (``live``, ``trends`` …) and wait until its script has finished."""
        params = "&".join(f"{key}={value}" for key, value in query.items())
        self.page.goto(f"{self.server.url}/{path}" + (f"?{params}" if params else ""), wait_until="domcontentloaded")
        self.wait_idle()

    def wait_idle(self, timeout: int = UI_TIMEOUT_MS) -> None:
        """Wait until the app's script is not running."""
        self.page.wait_for_selector(IDLE, timeout=timeout, state="attached")

    def runs(self) -> int:
        """How many script runs this tab has seen start."""
        return int(self.page.evaluate("window.__kippRuns || 0"))

    def rerun_after(self, action: Callable[[], Any], timeout: int = UI_TIMEOUT_MS) -> None:
        """Do ``action`` (a click, a key press …) and wait for the rerun it causes to finish.

        A very quick rerun can start and end within one frame, unseen by the run counter;
        so the wait for its start is short and the caller then checks what the page shows.
        """
        before = self.runs()
        action()
        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_function("n => (window.__kippRuns || 0) > n", arg=before, timeout=RUN_START_MS)
        self.wait_idle(timeout)

    def main(self) -> Locator:
        """The page's main area (without the sidebar)."""
        return self.page.get_by_test_id("stMain")

    def text(self) -> str:
        """Everything the main area shows, as text."""
        return self.main().inner_text()

    def wait_painted(self, timeout: int = UI_TIMEOUT_MS) -> None:
        """Wait until the app is idle and its lazily loaded elements (charts, tables) have drawn."""
        self.wait_idle(timeout)
        self.page.wait_for_function(PAINTED_SCRIPT, timeout=timeout)

    def shot(self, step: str) -> Path:
        """Save a screenshot of the whole main area as test-artifacts/screens/<journey>-<step>.png.

        Streamlit scrolls its main area, not the document, so the window is made as tall
        as the content for the picture (bounded) and given back its size afterwards.
        """
        self.page.mouse.move(0, 0)  # no tooltip of whatever was clicked last
        self.wait_painted()
        size = self.page.viewport_size or {"width": 1280, "height": 800}
        content = int(self.page.evaluate("document.querySelector('[data-testid=stMain]')?.scrollHeight || 0"))
        tall = min(max(content, size["height"]), MAX_SHOT_HEIGHT)
        if tall > size["height"]:
            self.page.set_viewport_size({"width": size["width"], "height": tall})
            self.wait_painted()
        SCREENS.mkdir(parents=True, exist_ok=True)
        path = SCREENS / f"{self.journey}-{step}.png"
        self.page.screenshot(path=path, animations="disabled", caret="initial")
        if tall > size["height"]:
            self.page.set_viewport_size(size)
        SCREENS_TAKEN.append(path)
        return path

    def open_display(self, year: int = LIVE_YEAR, label: str = "Proyektor aula") -> None:
        """Open a new projector display link of edition ``year``: its big screen, without signing in.

        The public's own /live?screen=big shows published editions only; a projector shows the
        edition being scored through a display link (or an organizer's own tab).
        """
        from kipp import auth
        from kipp.audit import Actor

        engine = db.get_engine(self.server.db_url, migrate=False)
        token = auth.create_display_link(engine, actor=Actor("panitia", "organizer"), year=year, label=label)
        self.page.goto(self.server.url + auth.display_path(token), wait_until="domcontentloaded")
        self.wait_idle()

    def problems(self) -> list[str]:
        """Console/page errors, Streamlit exceptions and the app's error message seen in this tab."""
        found = list(self.errors)
        if self.page.is_closed():
            return found
        if self.page.get_by_test_id("stException").count():
            found.append("Streamlit showed an exception: " + self.page.get_by_test_id("stException").first.inner_text())
        for lang in LANGUAGES:
            message = translate("app.error", lang)
            if self.page.get_by_text(message).count():
                found.append(f"the app showed its error message ({lang}): {message}")
        return found


@pytest.fixture
def open_app(browser: Browser, server: Server, request: pytest.FixtureRequest) -> Iterator[Callable[..., AppPage]]:
    """Open the dashboard in a new browser window: ``open_app(journey, width=…, height=…, on=server)``.

    When the test failed, each window's last state is saved in test-artifacts/failures/.
    At the end of the test, fails it when any window saw a console error, a page error,
    an exception or the app's error message, or the server logged a problem meanwhile.
    """
    opened: list[AppPage] = []

    log_starts = {server.log: server.log.stat().st_size}

    def _open(journey: str, width: int = 1280, height: int = 800, on: Server | None = None) -> AppPage:
        target = on or server
        log_starts.setdefault(target.log, target.log.stat().st_size)
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        context.set_default_timeout(UI_TIMEOUT_MS)
        context.add_init_script(RUN_COUNTER_SCRIPT)
        app = AppPage(context.new_page(), target, journey)
        opened.append(app)
        return app

    yield _open
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        FAILURES.mkdir(parents=True, exist_ok=True)
        for number, app in enumerate(opened, 1):
            with contextlib.suppress(Exception):
                app.page.screenshot(path=FAILURES / f"{request.node.name}-{number}-{app.journey}.png")
    problems = [problem for app in opened for problem in app.problems()]
    for app in opened:
        with contextlib.suppress(Exception):
            app.page.context.close()
    for log, start in log_starts.items():
        problems += [f"server log | {line}" for line in Server.problems_in(log, start)]
    if problems:
        pytest.fail("problems seen during the journey:\n" + "\n".join(problems), pytrace=False)
