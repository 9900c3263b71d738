"""Shared page helpers (kipp.ui) that every page relies on."""

import pandas as pd
from pandas.io.formats.style import Styler

from kipp import charts, ui


def _board(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"title": [f"Inovasi {i}" for i in range(rows)], "award": ["Juara 1"] + [None] * (rows - 1)})


def test_small_tables_carry_tier_colours_and_the_pages_own_styling() -> None:
    styled = ui.award_styled(_board(10), then=lambda s: s.map(lambda _: "font-weight: bold", subset=["title"]))
    assert isinstance(styled, Styler)
    html = styled.to_html()
    assert charts.award_css("Juara 1").split(";")[0] in html  # the Juara colour on its cell
    assert "font-weight: bold" in html  # the page's extra styling was applied


def test_national_size_tables_stay_plain_so_a_page_run_stays_fast() -> None:
    board = _board(ui.STYLED_ROWS_MAX + 1)
    shown = ui.award_styled(board, then=lambda s: s.map(lambda _: "color: red", subset=["title"]))
    assert isinstance(shown, pd.DataFrame)
    pd.testing.assert_frame_equal(shown, board)


def test_every_page_first_checks_it_runs_through_the_navigation() -> None:
    """A page typed into the address bar of a fresh server must not skip sign-in (kipp.ui.require_navigation)."""
    import ast
    from pathlib import Path

    for page in sorted((Path(__file__).resolve().parent.parent / "pages").glob("*.py")):
        body = ast.parse(page.read_text(encoding="utf-8")).body
        first = next(node for node in body if not isinstance(node, ast.Import | ast.ImportFrom | ast.Expr)
                     or (isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant)))  # fmt: skip
        assert ast.unparse(first) == "ui.require_navigation()", page.name
