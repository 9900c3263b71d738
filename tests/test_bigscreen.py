"""The big screen's HTML (pure): what the projector shows during scoring and during the ceremony."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from kipp import bigscreen, reveal, scoring
from tests.test_scoring import ONE, make_data, totals_sheets

HEADERS = {name: name.upper() for name in bigscreen.COLUMNS}


def scoring_day() -> pd.DataFrame:
    """Twelve complete entries (E01 best) and two still being scored (P1 with the best running score)."""
    totals: dict[str, list[float | None]] = {f"E{i:02d}": [100.0 - i, 100.0 - i] for i in range(1, 13)}
    totals |= {"P1": [99.9, None], "P2": [None, None]}
    return scoring.leaderboard(make_data(ONE, ["A", "B"], list(totals), totals_sheets(totals, ["A", "B"])))


def page(board: pd.DataFrame, **options: Any) -> str:
    return bigscreen.big_screen_html(board, title="KIPP 2030", notes=[], headers=HEADERS, lang="id", **options)


def rows(html: str) -> list[str]:
    return re.findall(r"<tr class='(?:ranked|in-progress)'>.*?</tr>", html)


def test_the_top_ten_shows_complete_entries_only_with_the_count_and_last_update() -> None:
    board = scoring_day()
    assert bigscreen.scored(board) == (12, 14)
    html = page(board, summary="12 dari 14 karya selesai dinilai · diperbarui 30 November 2030 pukul 10:05 WIB")
    assert "12 dari 14 karya selesai dinilai" in html and "pukul 10:05 WIB" in html
    shown = rows(html)
    assert len(shown) == 10 and all("Inovasi P" not in row for row in shown)  # P1's 99,90 is not a rank
    assert "<p class='note'>" not in html  # no footnote when none applies


def test_provisional_awards_are_marked_sementara_and_final_ones_are_not() -> None:
    board = scoring_day()
    scoring_page = page(board, award_note="sementara")
    assert scoring_page.count("<em>sementara</em>") == 10  # every award of the Top 10
    assert "sementara" not in page(board)  # locked: the awards are final


def test_the_whole_board_pages_on_and_never_gives_an_entry_in_progress_a_rank_or_award() -> None:
    board = scoring_day()
    assert bigscreen.page_count(bigscreen.shown_rows(board, whole=True)) == 2
    assert bigscreen.page_count(bigscreen.shown_rows(board, whole=False)) == 2  # 12 ranked
    second = page(board, whole=True, page=1, in_progress="sedang dinilai", page_label="Halaman 2 dari 2")
    shown = rows(second)
    assert [re.search(r"Inovasi (\w+)", row).group(1) for row in shown] == ["E11", "E12", "P1", "P2"]  # type: ignore[union-attr]
    in_progress = [row for row in shown if "in-progress" in row]
    assert len(in_progress) == 2
    for row in in_progress:
        assert "<td class='rank'>–</td>" in row and "sedang dinilai" in row
        assert "background:" not in row and "99,90" not in row  # no award colour, no running score
    assert "Halaman 2 dari 2" in second


def test_movement_arrows_sit_by_the_rank() -> None:
    html = page(scoring_day(), arrows={"E02": "▲3", "E05": "▼1"})
    assert "2<span class='up'>▲3</span>" in html and "5<span class='down'>▼1</span>" in html


def test_text_from_the_data_is_escaped() -> None:
    board = scoring_day()
    board.loc[0, "title"] = "<script>alert(1)</script> & Co"
    html = page(board, summary="<b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_the_reveal_shows_one_award_very_large_then_the_top_ten() -> None:
    steps = reveal.steps(scoring_day().head(12), "locked")
    options: dict[str, Any] = {"heading": "Malang Innovation Award", "card": "Pengumuman"}
    options |= {"headers": HEADERS, "lang": "id"}
    card = bigscreen.reveal_html(None, step_label="langkah 0 dari 11", **options)
    assert "<h2>Pengumuman</h2>" in card and "Malang Innovation Award" in card
    juara = bigscreen.reveal_html(steps[-2], step_label="langkah 10 dari 11", **options)
    assert ">Juara 1<" in juara and "Inovasi E01" in juara and "99,00" in juara and "<table>" not in juara
    top = bigscreen.reveal_html(steps[-1], step_label="langkah 11 dari 11", **options)
    assert len(rows(top)) == 10


def test_only_image_logos_are_inlined() -> None:
    assert bigscreen.logo_html("image/png", b"\x89PNG").startswith("<img alt='' src='data:image/png;base64,")
    assert bigscreen.logo_html("text/html", b"<script>") == ""
    assert bigscreen.logo_html("image/png", b"") == ""
