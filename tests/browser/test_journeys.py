"""Every role's journey through the dashboard in a real browser, checked on what people see.

The server's database holds the four demo editions and a live edition (``LIVE_YEAR``)
part-way through scoring; the demo accounts sign in with their public demo passwords.
Each journey saves screenshots (test-artifacts/screens/<journey>-<step>.png).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable

import openpyxl
from pypdf import PdfReader
from sqlalchemy import select

from kipp import auth, db, queries, scoring
from kipp.audit import Actor
from kipp.i18n import format_number, translate
from kipp.models import Criterion, Edition
from kipp.services import submit_sheet
from tests.browser.conftest import LIVE_YEAR, PUBLISHED_YEAR, AppPage, Server

DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 1024, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
REFRESH_MS = 15_000  # Live refreshes every 5 s; allow for a slow machine


def tr(key: str, **values: object) -> str:
    """The Bahasa Indonesia text of a catalogue key (the language a new session starts in)."""
    return translate(key, "id", **values)


def sign_in(app: AppPage, username: str) -> None:
    """Sign in with one of the server's accounts (``server.accounts``) and wait for the role's first page."""
    app.open()
    page = app.page
    page.get_by_label(tr("auth.username")).fill(username)
    page.get_by_label(tr("auth.password")).fill(app.server.accounts[username].password)
    app.rerun_after(lambda: page.get_by_role("button", name=tr("auth.sign_in.button")).click())
    page.get_by_test_id("stSidebar").get_by_text(tr("auth.sign_out")).wait_for(state="attached")
    app.wait_idle()


def go(app: AppPage, nav_key: str) -> None:
    """Open a page from the sidebar menu (a reload would start a new, signed-out session).

    On a narrow screen the sidebar starts closed: open it first.
    """
    link = app.page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr(nav_key))
    if link.get_attribute("aria-current") == "page":
        return
    if app.page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true":
        app.page.get_by_test_id("stExpandSidebarButton").click()
        app.page.locator('[data-testid="stSidebar"][data-collapsed="false"]').wait_for()
    app.rerun_after(link.click)
    app.page.get_by_test_id("stSidebarNav").locator('[aria-current="page"]', has_text=tr(nav_key)).wait_for(
        state="attached"
    )
    app.wait_idle()


def pick_edition(app: AppPage, year: int) -> None:
    """Choose an edition in the sidebar's edition picker."""
    sidebar = app.page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").filter(has_text=tr("app.edition")).click()
    app.rerun_after(lambda: app.page.get_by_role("option", name=re.compile(rf"^{year} ·")).click())


def grid_text(app: AppPage, *expected: str, timeout: float = 30.0) -> str:
    """The text of the data frames' visible cells, as their accessibility tables expose them.

    A data frame fills its cells a moment after it is painted (later on a loaded machine), so
    this waits up to ``timeout`` seconds until every ``expected`` text is there.
    """
    deadline = time.monotonic() + timeout
    while True:
        tables = app.page.locator('[data-testid="stDataFrame"] table').all_text_contents()
        text = "\n".join(t or "" for t in tables)
        if all(part in text for part in expected) or time.monotonic() > deadline:
            return text
        app.page.wait_for_timeout(250)


def test_viewer_opens_live_and_trends(open_app: Callable[..., AppPage]) -> None:
    app = open_app("viewer", **DESKTOP)
    sign_in(app, "pimpinan")
    app.wait_painted()
    # Leadership sees published results only: the newest published edition, not the one being scored.
    assert tr("live.title", year=PUBLISHED_YEAR) in app.text()
    assert tr("live.viewer_note") in app.text()
    data = queries.load_edition(db.get_engine(app.server.db_url), PUBLISHED_YEAR)
    leader = scoring.leaderboard(data, data.official_method).iloc[0]
    score = format_number(leader["score"], "id")
    shown = grid_text(app, leader["title"], score)
    assert leader["title"] in shown and score in shown
    app.shot("1-live")

    go(app, "nav.trends")
    app.wait_painted()
    text = app.text()
    assert tr("trends.title") in text
    for section in ("participation", "scores", "winners", "returning", "advancement"):
        assert tr(f"trends.section.{section}") in text
    assert tr("trends.headline", year=2023) in text, "viewers see the latest published edition"
    assert re.search(r"\b\d{2},\d{2}\b", text), "scores are written the Indonesian way (85,25)"
    assert app.page.get_by_test_id("stPlotlyChart").count() >= 5
    app.shot("2-trends")


def test_juror_scores_an_entry_on_a_tablet_and_live_shows_it(open_app: Callable[..., AppPage], server: Server) -> None:
    organizer = open_app("organizer-live", **DESKTOP)
    sign_in(organizer, "panitia")
    go(organizer, "nav.live")
    organizer.page.get_by_role("tab", name=tr("live.tab.progress")).click()
    sheets = organizer.page.get_by_test_id("stMetric").filter(has_text=tr("live.progress.sheets_metric"))
    before = int(sheets.get_by_test_id("stMetricValue").inner_text().split("/")[0])

    juror = open_app("juror", **TABLET)
    sign_in(juror, "juri1")
    page = juror.page
    assert tr("nav.score") in juror.text()
    heading = page.get_by_test_id("stHeading").filter(has_text=" · ").last.inner_text()
    juror.shot("1-sheet")
    criteria = queries.load_edition(db.get_engine(server.db_url), LIVE_YEAR).criteria
    for value, name, maximum in zip((82, 88, 90, 76, 84), criteria["name"], criteria["max_score"], strict=False):
        label = tr("score.criterion_label", name=name, max=format_number(maximum, "id", 0))
        field = page.get_by_label(label)
        field.fill(str(value * maximum / 100))
        juror.rerun_after(lambda field=field: field.press("Tab"))
    assert tr("score.unsaved") in juror.text()
    juror.shot("2-filled")
    juror.rerun_after(lambda: page.get_by_role("button", name=tr("score.save")).click())
    code = heading.split(" · ")[0].strip()
    saved = page.get_by_test_id("stAlertContentSuccess").filter(has_text=code)
    saved.wait_for()
    assert tr("score.saved_complete").split("{")[0].strip()[:20] in juror.text() or code in saved.inner_text()
    juror.shot("3-saved")

    # The organizer's open Live page picks the new sheet up on its next automatic refresh.
    organizer.page.wait_for_function(
        "([label, n]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some((m) => m.innerText.includes(label) && m.innerText.includes(`${n} /`))",
        arg=[tr("live.progress.sheets_metric"), before + 1],
        timeout=REFRESH_MS,
    )
    organizer.shot("progress")


def test_organizer_freezes_the_big_screen_and_reveals(open_app: Callable[..., AppPage], server: Server) -> None:
    organizer = open_app("freeze", **DESKTOP)
    sign_in(organizer, "panitia")
    go(organizer, "nav.live")
    organizer.wait_painted()
    organizer.shot("1-live")
    organizer.rerun_after(lambda: organizer.page.get_by_role("button", name=tr("live.freeze.button")).click())
    organizer.page.get_by_role("button", name=tr("live.freeze.reveal_button")).wait_for()
    assert tr("live.freeze.frozen_organizer", time="").split("{")[0][:30] in organizer.text()
    organizer.shot("2-frozen")

    screen = open_app("big-screen", **PROJECTOR)
    screen.open_display(LIVE_YEAR)
    board = screen.page.locator(".kipp-big")
    board.wait_for()
    assert tr("live.big.title", year=LIVE_YEAR) in board.inner_text()
    assert tr("live.freeze.frozen_public", time="").split("{")[0][:25] in board.inner_text()
    frozen_rows = board.locator("tbody tr").all_inner_texts()
    screen.shot("1-frozen")

    # Every juror of an entry nobody has scored yet hands in a perfect sheet: it would top the live ranking.
    engine = db.get_engine(server.db_url)
    data = queries.load_edition(engine, LIVE_YEAR)
    unscored = data.entries.loc[~data.entries["entry_id"].isin(data.scores["entry_id"]), ["entry_id", "title"]]
    entry_id, title = int(unscored["entry_id"].iloc[-1]), str(unscored["title"].iloc[-1])
    expected = scoring.expected_jurors(data)
    juror_ids = [int(j) for j in expected.loc[expected["entry_id"] == entry_id, "juror_id"]]
    with db.read_session(engine) as session:
        maxima = dict(
            session.execute(
                select(Criterion.id, Criterion.max_score).join(Edition).where(Edition.year == LIVE_YEAR)
            ).all()
        )
    for juror_id in juror_ids:
        actor = Actor(f"juri{juror_id}", "juror", juror_id)
        submit_sheet(engine, actor=actor, entry_id=entry_id, juror_id=juror_id, values=maxima)

    ranking = organizer.page.get_by_role("tabpanel", name=tr("live.tab.ranking"))
    ranking.get_by_text(title, exact=True).wait_for(state="attached", timeout=REFRESH_MS)
    screen.page.wait_for_timeout(6_000)  # one refresh of the big screen (every 5 s) has passed
    assert board.locator("tbody tr").all_inner_texts() == frozen_rows, "the frozen big screen must not move"
    assert title not in board.inner_text()
    screen.shot("2-still-frozen")

    # The organizer's own tab (the projector laptop) goes big-screen without a second sign-in: still frozen.
    organizer.rerun_after(lambda: organizer.page.get_by_role("button", name=tr("live.big_screen_link")).click())
    own = organizer.page.locator(".kipp-big")
    own.wait_for()
    assert "screen=big" in organizer.page.url
    assert own.locator("tbody tr").all_inner_texts() == frozen_rows, "big-screen mode shows the frozen ranking"
    assert not organizer.page.get_by_test_id("stSidebar").is_visible()
    organizer.shot("3-own-big-screen")
    organizer.rerun_after(lambda: organizer.page.get_by_role("button", name=tr("live.big_screen_exit")).click())
    organizer.page.get_by_role("button", name=tr("live.freeze.reveal_button")).wait_for()

    organizer.rerun_after(lambda: organizer.page.get_by_role("button", name=tr("live.freeze.reveal_button")).click())
    organizer.page.get_by_role("button", name=tr("live.freeze.button")).wait_for()
    board.get_by_text(title).wait_for(timeout=REFRESH_MS)
    assert tr("live.freeze.frozen_public", time="").split("{")[0][:25] not in board.inner_text()
    screen.shot("3-revealed")


def workbook(*, bad_score_row: int | None = None) -> bytes:
    """A small edition in the interchange format; with ``bad_score_row``, that scores row exceeds its maximum."""
    book = openpyxl.Workbook()
    sheets = {
        "criteria": [("criterion", "weight", "max_score"), ("Kebaruan", 1, 100), ("Bermanfaat", 1, 100)],
        "jurors": [("juror",), ("Juri Uji Satu",), ("Juri Uji Dua",)],
        "entries": [
            ("code", "title", "institution", "institution_type"),
            ("U-01", "Layanan Uji Coba", "Dinas Kesehatan", "dinas"),
            ("U-02", "Antrean Pintar", "Puskesmas Dinoyo", "puskesmas"),
        ],
        "scores": [("code", "juror", "criterion", "score")]
        + [
            (code, juror, criterion, 70 + 2 * i)
            for i, (code, juror, criterion) in enumerate(
                (c, j, k)
                for c in ("U-01", "U-02")
                for j in ("Juri Uji Satu", "Juri Uji Dua")
                for k in ("Kebaruan", "Bermanfaat")
            )
        ],
    }
    if bad_score_row is not None:
        code, juror, criterion, _ = sheets["scores"][bad_score_row - 1]
        sheets["scores"][bad_score_row - 1] = (code, juror, criterion, 130)
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_YEAR = 2025
BAD_ROW = 4  # the Excel row (header is row 1) of the score that exceeds the maximum
KABAG_PASSWORD = "sandi-bagian-organisasi-2025"


def test_organizer_imports_a_workbook_with_an_error_then_a_good_one(
    own_server: Server, open_app: Callable[..., AppPage]
) -> None:
    # Its own server: real data goes in, and only a real account may do that (a demo session would end
    # with the import). The real organizer's account is real data already: demo passwords stop here.
    # (own_server comes first so that it stops after the windows have closed.)
    auth.create_user(
        db.get_engine(own_server.db_url),
        actor=Actor("cli:test", "organizer"),
        username="kabag",
        role="organizer",
        password=KABAG_PASSWORD,
    )
    own_server.accounts["kabag"] = auth.DemoAccount("kabag", "organizer", KABAG_PASSWORD)
    app = open_app("import", on=own_server, **DESKTOP)
    sign_in(app, "kabag")
    go(app, "nav.admin")
    page = app.page
    page.get_by_role("tab", name=tr("admin.tab.data")).click()
    data_tab = page.get_by_role("tabpanel", name=tr("admin.tab.data"))  # the Edition tab has a logo uploader
    year_field = page.get_by_label(tr("ingest.ui.target_year"))
    year_field.fill(str(IMPORT_YEAR))
    app.rerun_after(lambda: year_field.press("Enter"))
    uploader = data_tab.get_by_test_id("stFileUploaderDropzoneInput")

    bad = {
        "name": "kipp-2025-salah.xlsx",
        "mimeType": "application/octet-stream",
        "buffer": workbook(bad_score_row=BAD_ROW),
    }
    app.rerun_after(lambda: uploader.set_input_files(bad))
    page.get_by_text(tr("ingest.ui.refused", n=1)).wait_for()
    problems = grid_text(app, "scores", str(BAD_ROW))
    assert "scores" in problems and str(BAD_ROW) in problems
    assert tr("ingest.score_range", value=130, max=100, criterion="Kebaruan") in problems
    app.shot("1-refused")

    app.rerun_after(lambda: page.get_by_role("button", name=f"Remove {bad['name']}").click())
    good = {"name": "kipp-2025.xlsx", "mimeType": XLSX, "buffer": workbook()}
    app.rerun_after(lambda: data_tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(good))
    page.get_by_text(tr("ingest.ui.preview_creates", year=IMPORT_YEAR)).wait_for()
    app.shot("2-preview")
    app.rerun_after(lambda: page.get_by_role("button", name=tr("ingest.ui.confirm", year=IMPORT_YEAR)).click())
    # The demo-password banner is above the page; the Import tab stays open and shows the result,
    # which also pops up as a toast.
    assert page.get_by_role("tab", name=tr("admin.tab.data")).get_attribute("aria-selected") == "true"
    done = page.get_by_test_id("stAlertContentSuccess")
    done.wait_for()
    assert "kipp-2025.xlsx" in done.inner_text() and str(IMPORT_YEAR) in done.inner_text()
    assert "kipp-2025.xlsx" in page.get_by_test_id("stToast").first.inner_text()
    app.shot("3-imported")
    assert len(queries.load_edition(db.get_engine(own_server.db_url), IMPORT_YEAR).scores) == 8


def test_leadership_downloads_the_pdf_result(open_app: Callable[..., AppPage]) -> None:
    app = open_app("documents", **DESKTOP)
    sign_in(app, "panitia")
    go(app, "nav.trends")
    pick_edition(app, 2023)
    page = app.page
    app.rerun_after(lambda: page.get_by_role("button", name=tr("documents.prepare")).click())
    button = page.get_by_role("button", name=tr("documents.download_pdf"))
    button.wait_for()
    app.shot("1-ready")
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert "Si Kawan Duduk" in text and "2023" in text
    assert re.search(r"\b\d{2},\d{2}\b", text), "scores in the Indonesian minutes use decimal commas"
