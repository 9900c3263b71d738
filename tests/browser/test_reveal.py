"""The ceremony reveal in a real browser: the organizer clicks (and presses →), the projector follows.

The live edition is scored to the end and locked, so its awards are final; the organizer
starts the ceremony on the Live page and a public big screen at 1920×1080 shows every step,
saved as test-artifacts/screens/reveal-<step>.png (docs/screens/ with KIPP_UPDATE_SCREENS=1).
A 1280×720 projector shows the same steps legibly (reveal-720-*.png).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update

from kipp import db, queries, reveal, scoring
from kipp.audit import Actor
from kipp.i18n import translate
from kipp.models import Edition, EditionLogo
from kipp.services import advance_status
from kipp.simulate import simulate
from tests.browser.conftest import LIVE_YEAR, AppPage, Server

PROJECTOR = {"width": 1920, "height": 1080}
SMALL_PROJECTOR = {"width": 1280, "height": 720}
DESKTOP = {"width": 1280, "height": 800}
FOLLOW_MS = 15_000  # the big screen polls every 2 s; allow for a slow machine
EVENT_TITLE = "Malang Innovation Award 2024"
LOGO = (
    b"<svg xmlns='http://www.w3.org/2000/svg' width='120' height='120' viewBox='0 0 120 120'>"
    b"<circle cx='60' cy='60' r='56' fill='#B8860B'/><text x='60' y='76' font-size='44' text-anchor='middle'"
    b" fill='white' font-family='sans-serif'>KIPP</text></svg>"
)


def tr(key: str, **values: object) -> str:
    return translate(key, "id", **values)


def test_the_big_screen_during_scoring_is_legible_and_marks_provisional_awards(
    open_app: Callable[..., AppPage], server: Server
) -> None:
    for name, size in (("1080", PROJECTOR), ("720", SMALL_PROJECTOR)):
        screen = open_app(f"big-screen-scoring-{name}", **size)
        screen.open_display(LIVE_YEAR)
        board = screen.page.locator(".kipp-big")
        board.wait_for()
        text = board.inner_text()
        assert "karya selesai dinilai" in text and "diperbarui" in text
        assert tr("live.big.provisional_award") in text  # the edition is still in scoring
        box = board.bounding_box()
        assert box is not None and box["y"] + box["height"] <= size["height"] + 1, "the Top 10 fits the screen"
        screen.shot("top")
        screen.page.goto(screen.page.url + "&page=all", wait_until="domcontentloaded")
        screen.wait_idle()
        screen.page.get_by_text(tr("live.big.in_progress")).first.wait_for()
        screen.shot("all")


@pytest.fixture
def final_results(server: Server) -> list[reveal.Step]:
    """Every remaining sheet of the live edition in, the edition locked, with an event title and a logo."""
    engine = db.get_engine(server.db_url)
    simulate(engine, LIVE_YEAR, sleep=lambda _: None, report=lambda _: None)
    advance_status(engine, actor=Actor("panitia", "organizer"), year=LIVE_YEAR, to="locked")
    with db.write_session(engine) as session:
        edition_id = session.execute(
            update(Edition).where(Edition.year == LIVE_YEAR).values(event_title=EVENT_TITLE).returning(Edition.id)
        ).scalar_one()
        session.add(EditionLogo(edition_id=edition_id, media_type="image/svg+xml", content=LOGO))
        session.execute(update(Edition).where(Edition.id == edition_id).values(data_version=Edition.data_version + 1))
    data = queries.load_edition(engine, LIVE_YEAR)
    return reveal.steps(scoring.leaderboard(data, data.official_method), "locked")


def sign_in_to_live(app: AppPage, server: Server) -> None:
    app.open()
    page = app.page
    page.get_by_label(tr("auth.username")).fill("panitia")
    page.get_by_label(tr("auth.password")).fill(server.accounts["panitia"].password)
    app.rerun_after(lambda: page.get_by_role("button", name=tr("auth.sign_in.button")).click())
    page.get_by_test_id("stSidebar").get_by_text(tr("auth.sign_out")).wait_for(state="attached")
    app.wait_idle()
    app.rerun_after(lambda: page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr("nav.live")).click())
    page.get_by_role("button", name=tr("live.ceremony.start")).wait_for()


def expect(screen: AppPage, text: str) -> None:
    """Wait until the big screen's reveal shows ``text`` (it follows the organizer on its next poll)."""
    screen.page.locator(".kipp-reveal", has_text=text).wait_for(timeout=FOLLOW_MS)


def test_the_organizer_reveals_the_winners_step_by_step_on_the_big_screen(
    open_app: Callable[..., AppPage], server: Server, final_results: list[reveal.Step]
) -> None:
    organizer = open_app("reveal-organizer", **DESKTOP)
    sign_in_to_live(organizer, server)
    screen = open_app("reveal", **PROJECTOR)
    screen.open_display(LIVE_YEAR)
    small = open_app("reveal-720", **SMALL_PROJECTOR)
    small.open_display(LIVE_YEAR, label="Proyektor ruang kecil")

    organizer.rerun_after(lambda: organizer.page.get_by_role("button", name=tr("live.ceremony.start")).click())
    card = tr("live.ceremony.card", year=LIVE_YEAR)
    expect(screen, card)
    assert EVENT_TITLE in screen.page.locator(".kipp-reveal").inner_text()
    assert screen.page.locator(".kipp-reveal .head img").count() == 1  # the edition's logo
    screen.shot("0")
    organizer.shot("controls")

    for number, step in enumerate(final_results, start=1):
        if number % 2:  # every other step by the → key, as with a presenter's clicker
            organizer.rerun_after(lambda: organizer.page.keyboard.press("ArrowRight"))
        else:
            organizer.rerun_after(lambda: organizer.page.get_by_role("button", name=tr("live.ceremony.next")).click())
        label = tr("live.ceremony.step", step=number, total=len(final_results), what="")
        expect(screen, label)
        shown = screen.page.locator(".kipp-reveal").inner_text()
        if step.whole:
            rows = screen.page.locator(".kipp-reveal tbody tr").all_inner_texts()
            assert len(rows) == 10 and step.entries.iloc[0]["title"] in rows[0]
        else:
            entry = step.entries.iloc[0]
            assert entry["award"] in shown and entry["title"] in shown and entry["institution"] in shown
            others = [other.entries.iloc[0]["title"] for other in final_results[:-1] if other is not step]
            assert not any(title in shown for title in others if title != entry["title"])
        box = screen.page.locator(".kipp-reveal").bounding_box()
        assert box is not None and box["y"] + box["height"] <= PROJECTOR["height"] + 1, "the step fits the screen"
        screen.shot(str(number))
        if step.whole or entry["award"] == "Juara 1":
            expect(small, label)
            small_box = small.page.locator(".kipp-reveal").bounding_box()
            assert small_box is not None and small_box["y"] + small_box["height"] <= SMALL_PROJECTOR["height"] + 1
            small.shot("top" if step.whole else "juara-1")

    organizer.rerun_after(lambda: organizer.page.get_by_role("button", name=tr("live.ceremony.end")).click())
    screen.page.locator(".kipp-big h1").wait_for(timeout=FOLLOW_MS)
    assert screen.page.locator(".kipp-reveal").count() == 0
    assert len(screen.page.locator(".kipp-big tbody tr").all()) == 10  # back to the (final) Top 10
    screen.shot("after")
    small.page.locator(".kipp-big h1").wait_for(timeout=FOLLOW_MS)
    board = small.page.locator(".kipp-big").bounding_box()
    assert board is not None and board["y"] + board["height"] <= SMALL_PROJECTOR["height"] + 1, "the Top 10 fits 720p"
    small.shot("after")
