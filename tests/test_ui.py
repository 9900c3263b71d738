"""Shared page helpers (kipp.ui) that every page relies on."""

import ast
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from kipp import access, theme, ui
from kipp.models import Role

ROOT = Path(__file__).resolve().parent.parent


def _board(rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": [f"Inovasi {i}" for i in range(rows)],
            "award": ["Juara 1"] + [None] * (rows - 1),
            "tier_position": pd.array([1] + [pd.NA] * (rows - 1), dtype="Int64"),
        }
    )


def test_small_tables_carry_tier_colours_and_the_pages_own_styling() -> None:
    styled = ui.award_styled(
        board := _board(10),
        board["tier_position"],
        then=lambda s: s.map(lambda _: "font-weight: bold", subset=["title"]),
    )
    assert isinstance(styled, Styler)
    html = styled.to_html()
    assert f"background-color: {theme.tier_color(1)}" in html  # the first tier's colour on its cell
    assert "font-weight: bold" in html  # the page's extra styling was applied


def test_national_size_tables_stay_plain_so_a_page_run_stays_fast() -> None:
    board = _board(ui.STYLED_ROWS_MAX + 1)
    shown = ui.award_styled(
        board, board["tier_position"], then=lambda s: s.map(lambda _: "color: red", subset=["title"])
    )
    assert isinstance(shown, pd.DataFrame)
    pd.testing.assert_frame_equal(shown, board)


def _preamble(node: ast.stmt) -> bool:
    """Imports and the docstring."""
    return isinstance(node, ast.Import | ast.ImportFrom) or (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    )


def _dashboard_pages() -> dict[str, tuple[str, ...]]:
    """dashboard.py's PAGES table (page -> file, title key, icon, url path), read without running the app."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    assignment = next(
        node for node in tree.body if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PAGES"
    )
    return ast.literal_eval(assignment.value)


def _page_checks() -> dict[str, str]:
    """Each page file's first statement after its imports and docstring, by file name."""
    checks = {}
    for page in sorted(ROOT.glob("app_pages/*.py")):
        body = ast.parse(page.read_text(encoding="utf-8")).body
        first = next(node for node in body if not _preamble(node))
        checks[page.name] = ast.unparse(first)
    return checks


def test_every_page_first_checks_who_may_open_it_against_the_shared_table() -> None:
    """However a page is reached (menu, typed address, a fresh server's first visit), it decides its own access."""
    pages = _dashboard_pages()
    checks = _page_checks()
    assert set(pages) == set(access.PAGE_ROLES) and len(checks) == len(pages)
    for name, (path, *_) in pages.items():
        helper = "require_role_or_public" if name in access.PUBLIC_PAGES else "require_role"
        assert checks[Path(path).name].endswith(f"ui.{helper}('{name}')"), path


def test_no_page_file_sits_where_streamlit_would_list_it_by_file_name() -> None:
    """A pages/ folder beside dashboard.py makes a fresh server list raw file names ("admin", "audit")."""
    assert not (ROOT / "pages").exists()
    for path, *_ in _dashboard_pages().values():
        assert Path(path).parent.name == "app_pages" and (ROOT / path).is_file(), path


def test_no_private_streamlit_machinery() -> None:
    for path in [ROOT / "dashboard.py", *ROOT.glob("app_pages/*.py"), *ROOT.glob("kipp/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "_getframe" not in text and "streamlit.runtime" not in text, path


def test_the_navigation_offers_each_role_the_pages_the_pages_allow_it() -> None:
    assert access.pages_for(Role.juror.value) == ("score", "my_results")
    assert access.pages_for(Role.viewer.value) == ("live", "trends", "entries")
    assert access.pages_for(Role.organizer.value) == tuple(access.PAGE_ROLES)


def test_award_colours_follow_the_tier_position_not_its_name() -> None:
    frame = pd.DataFrame({"title": ["A", "B", "C"], "award": ["Emas 1", "Perak", None]})
    html = ui.award_styled(frame, positions=pd.Series([1, 2, pd.NA], dtype="Int64")).to_html()
    assert f"background-color: {theme.tier_color(1)}" in html and f"background-color: {theme.tier_color(2)}" in html
    assert "Emas" in html and "Perak" in html
