"""Shared page helpers (kipp.ui) that every page relies on."""

import pandas as pd
from pandas.io.formats.style import Styler

from kipp import theme, ui


def _board(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"title": [f"Inovasi {i}" for i in range(rows)], "award": ["Juara 1"] + [None] * (rows - 1)})


def test_small_tables_carry_tier_colours_and_the_pages_own_styling() -> None:
    styled = ui.award_styled(_board(10), then=lambda s: s.map(lambda _: "font-weight: bold", subset=["title"]))
    assert isinstance(styled, Styler)
    html = styled.to_html()
    assert f"background-color: {theme.tier_color(1)}" in html  # the first tier's colour on its cell
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


def test_award_colours_follow_the_tier_position_not_its_name() -> None:
    frame = pd.DataFrame({"title": ["A", "B", "C"], "award": ["Emas 1", "Perak", None]})
    html = ui.award_styled(frame, positions=pd.Series([1, 2, pd.NA], dtype="Int64")).to_html()
    assert f"background-color: {theme.tier_color(1)}" in html and f"background-color: {theme.tier_color(2)}" in html
    with_column = frame.assign(tier_position=pd.array([2, 1, pd.NA], dtype="Int64"))
    assert ui.tier_positions(with_column).tolist() == [2, 1, pd.NA]
    assert ui.tier_positions(frame).isna().all()  # names it cannot place stay uncoloured, never guessed
