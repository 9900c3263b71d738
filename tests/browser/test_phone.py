"""On a phone (390×844) Live and Trends stay readable: nothing overflows sideways and charts fit the screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kipp.i18n import translate
from tests.browser.conftest import PUBLISHED_YEAR, AppPage
from tests.browser.test_journeys import go, sign_in

PHONE = {"width": 390, "height": 844}

# Widths of the document, of Streamlit's scrolling main area and of every chart, against the window.
WIDTHS_SCRIPT = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const rights = (selector) => [...document.querySelectorAll(selector)]
    .map((element) => Math.round(element.getBoundingClientRect().right));
  return {
    window: window.innerWidth,
    document: document.documentElement.scrollWidth,
    main: main.scrollWidth,
    mainVisible: main.clientWidth,
    chartRights: rights('[data-testid="stPlotlyChart"] .main-svg'),
    tableRights: rights('[data-testid="stDataFrame"]'),
  };
}
"""


def assert_fits(app: AppPage) -> dict[str, object]:
    """Nothing wider than the phone: the document, the main area, every chart and every table's frame."""
    widths = app.page.evaluate(WIDTHS_SCRIPT)
    assert widths["document"] <= widths["window"] + 1, f"the page scrolls sideways: {widths}"
    assert widths["main"] <= widths["mainVisible"] + 1, f"the main area scrolls sideways: {widths}"
    assert all(right <= widths["window"] + 1 for right in widths["chartRights"]), f"a chart is cut off: {widths}"
    assert all(right <= widths["window"] + 1 for right in widths["tableRights"]), f"a table is cut off: {widths}"
    return widths


@pytest.mark.parametrize(
    ("nav_key", "heading", "shows"),
    [("nav.live", "live.title", "stDataFrame"), ("nav.trends", "trends.title", "stPlotlyChart")],
)
def test_page_fits_a_phone(open_app: Callable[..., AppPage], nav_key: str, heading: str, shows: str) -> None:
    app = open_app(f"phone-{nav_key.removeprefix('nav.')}", **PHONE)
    sign_in(app, "pimpinan")
    go(app, nav_key)
    app.wait_painted()
    assert translate(heading, year=PUBLISHED_YEAR) in app.text()  # a viewer: published editions
    assert app.page.get_by_test_id(shows).count(), f"the page shows its {shows}"
    assert_fits(app)
    app.shot("390x844")


def test_charts_resize_with_the_window(open_app: Callable[..., AppPage]) -> None:
    app = open_app("phone-resize", width=1280, height=800)
    sign_in(app, "pimpinan")
    go(app, "nav.trends")
    app.wait_painted()
    wide = app.page.get_by_test_id("stPlotlyChart").first.bounding_box()
    app.page.set_viewport_size(PHONE)
    app.page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=stPlotlyChart] .main-svg');"
        " return s && s.getBoundingClientRect().width <= window.innerWidth; }"
    )
    narrow = app.page.get_by_test_id("stPlotlyChart").first.bounding_box()
    assert wide and narrow and narrow["width"] < wide["width"]
    assert_fits(app)
