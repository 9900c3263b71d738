"""The screens of panels per room, the adjusted method and the projector, as their users see them, at four sizes.

Each size (a laptop, a tablet, a phone, a projector) walks the organizer's Admin tabs (Panel &
penugasan, Layar), Live on 2024 (split rooms, part-way through scoring: the progress grid with its
unassigned cells), 2022 (official method adjusted) and 2023 (official mean with split rooms: the
"different panels" notice), Juror analytics with the juror effects chart, the juror's score sheet,
the organizer's own big screen during scoring and a projector display link (the public sees
published editions only: a projector shows the edition being scored through one of these two).  Screenshots are saved as
test-artifacts/screens/<screen>-<width>x<height>.png (docs/screens/ with KIPP_UPDATE_SCREENS=1).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from kipp import auth, db
from kipp.audit import Actor
from kipp.i18n import translate
from tests.browser.conftest import LIVE_YEAR, AppPage, Server
from tests.browser.test_journeys import go, grid_text, sign_in
from tests.browser.test_phone import assert_fits

SIZES = [(1280, 800), (1024, 768), (390, 844), (1920, 1080)]
SLIDE_MS = 600  # the sidebar's slide-in
PHONE_WIDTH = 500  # narrower windows are phones: the sidebar opens over the page
ADJUSTED_YEAR = 2022  # the demo edition whose official method is adjusted
SPLIT_MEAN_YEAR = 2023  # an official mean with day-2 rooms of their own panels
# What must never reach an Indonesian screen: Python's missing values, English table words.
LEAKS = re.compile(r"\b(None|nan|NaN|NaT|True|False)\b")


def tr(key: str, **values: object) -> str:
    return translate(key, "id", **values)


@pytest.fixture(scope="module")
def display_token(server: Server) -> str:
    """A projector display link of the live edition (the Admin › Layar tab lists it)."""
    engine = db.get_engine(server.db_url, migrate=False)
    return auth.create_display_link(engine, actor=Actor("panitia", "organizer"), year=LIVE_YEAR, label="Proyektor aula")


def snap(app: AppPage, screen: str) -> str:
    """Screenshot ``screen`` at this window's size; returns the main area's text, checked for leaked values."""
    size = app.page.viewport_size or {}
    app.journey = screen
    app.shot(f"{size['width']}x{size['height']}")
    text = app.text()
    assert not LEAKS.search(text), f"{screen} shows {LEAKS.search(text).group()!r}"
    if size.get("width", 0) < PHONE_WIDTH:
        assert_fits(app)
    return text


def sidebar_open(app: AppPage) -> None:
    """Open the sidebar when a narrow window started it closed."""
    if app.page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true":
        app.page.get_by_test_id("stExpandSidebarButton").click()
        app.page.locator('[data-testid="stSidebar"][data-collapsed="false"]').wait_for()
        app.page.wait_for_timeout(SLIDE_MS)  # a click while it slides in misses the picker's menu


def pick(app: AppPage, year: int) -> None:
    """Choose an edition in the sidebar's picker (opening the sidebar on a phone)."""
    sidebar_open(app)
    picker = app.page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=tr("app.edition"))
    if f"{year} ·" not in picker.inner_text():
        picker.click()
        app.rerun_after(lambda: app.page.get_by_role("option", name=re.compile(rf"^{year} ·")).click())
    sidebar_closed(app)


def visit(app: AppPage, nav_key: str) -> None:
    """Open a page from the sidebar menu, as a phone user would: the sidebar closed again afterwards."""
    go(app, nav_key)
    sidebar_closed(app)


def sidebar_closed(app: AppPage) -> None:
    """On a phone the open sidebar covers the page: close it (then wait for the page to be drawn)."""
    sidebar = app.page.get_by_test_id("stSidebar")
    phone = (app.page.viewport_size or {}).get("width", 0) < PHONE_WIDTH
    if phone and sidebar.get_attribute("data-collapsed") != "true":
        app.page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        app.page.locator('[data-testid="stSidebar"][data-collapsed="true"]').wait_for()
    app.wait_painted()


def open_tab(app: AppPage, name: str) -> None:
    app.rerun_after(lambda: app.page.get_by_role("tab", name=name).click())
    app.wait_painted()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_new_screens_at_every_size(
    open_app: Callable[..., AppPage], server: Server, display_token: str, width: int, height: int
) -> None:
    organizer = open_app("organizer", width=width, height=height)
    sign_in(organizer, "panitia")
    visit(organizer, "nav.admin")
    pick(organizer, LIVE_YEAR)
    open_tab(organizer, tr("admin.tab.panels"))
    text = snap(organizer, "admin-panels")
    assert tr("panels.sessions") in text and tr("panels.save_sessions") in text, "the edition in scoring is editable"
    assert "Ruang Eboni" in grid_text(organizer, "Ruang Eboni")
    open_tab(organizer, tr("display.tab"))
    text = snap(organizer, "admin-display")
    assert tr("display.title") in text and "Proyektor aula" in text

    visit(organizer, "nav.live")
    open_tab(organizer, tr("live.tab.progress"))
    snap(organizer, f"live-progress-{LIVE_YEAR}")
    # Day 2's parallel rooms at the grid's end: each juror has cells of entries they do not score.
    progress = organizer.page.get_by_role("tabpanel", name=tr("live.tab.progress"))
    progress.get_by_test_id("stDataFrame").first.hover()
    organizer.page.mouse.wheel(0, 5000)
    snap(organizer, f"live-progress-{LIVE_YEAR}-rooms")
    assert "Ruang Meranti" in grid_text(organizer, "Ruang Meranti")

    pick(organizer, ADJUSTED_YEAR)
    text = snap(organizer, f"live-{ADJUSTED_YEAR}-adjusted")
    assert tr("live.title", year=ADJUSTED_YEAR) in text
    assert tr("method.help.adjusted") in text, "Live starts on the edition's official method"
    pick(organizer, SPLIT_MEAN_YEAR)
    text = snap(organizer, f"live-{SPLIT_MEAN_YEAR}-panels-differ")
    assert tr("live.panels.differ") in text

    pick(organizer, ADJUSTED_YEAR)
    visit(organizer, "nav.jurors")
    text = snap(organizer, f"juror-effects-{ADJUSTED_YEAR}")
    assert tr("jurors.effects.heading") in text

    # The projector laptop: the organizer's own tab in big-screen mode, on the edition being scored.
    pick(organizer, LIVE_YEAR)
    visit(organizer, "nav.live")
    organizer.rerun_after(lambda: organizer.page.get_by_role("button", name=tr("live.big_screen_link")).click())
    organizer.page.locator(".kipp-big").wait_for()
    text = snap(organizer, "big-screen-scoring")
    assert tr("live.big.title", year=LIVE_YEAR) in text and tr("live.big.provisional_award") in text

    juror = open_app("juror", width=width, height=height)
    sign_in(juror, "juri1")
    text = snap(juror, "juror-queue")
    assert tr("nav.score") in text
    if width >= PHONE_WIDTH:  # (a phone's picker opens no list a test can read)
        juror.page.get_by_test_id("stSelectbox").filter(has_text=tr("score.entry_pick")).click()
        juror.page.get_by_role("option").first.wait_for()
        queue = juror.page.get_by_role("option").all_inner_texts()
        assert queue and all("Ruang Pinus" in e or "Ruang Eboni" in e for e in queue), "juri1's rooms only"
        snap(juror, "juror-queue-open")

    screen = open_app("projector", width=width, height=height)
    screen.page.goto(server.url + auth.display_path(display_token), wait_until="domcontentloaded")
    screen.wait_idle()
    screen.page.locator(".kipp-big").wait_for()
    text = snap(screen, "projector-link")
    assert tr("live.big.title", year=LIVE_YEAR) in text and tr("live.big.provisional_award") in text
