"""The big screen as HTML: the ranking in large type during scoring, and the ceremony reveal (pure).

Sizes are in viewport units, so a 1920×1080 projector and a 1280×720 one show the same
picture: ten rows, the title and the status line fit one screen without scrolling.  Every
text that comes from data (titles, units, awards, the event title) is escaped here; the
caller passes the interface texts already translated.  No Streamlit, no database.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from kipp.i18n import format_number
from kipp.reveal import Step
from kipp.theme import tier_color

TOP = 10
COLUMNS = ("rank", "title", "score", "award")
LOGO_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})

# The big screen takes the whole window: no sidebar, header or footer, little padding.
CHROME = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, footer { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 1.5vh 2.5vw 0 2.5vw !important; max-width: 100% !important; }
.st-key-live_big_exit button { min-height: 3.5rem; padding: .6rem 1.6rem; }
.st-key-live_big_exit button p { font-size: 1.4rem; font-weight: 700; }
"""
STYLES = """
.kipp-big h1 { font-size: 4.8vh; line-height: 1.15; margin: 0 0 .6vh 0; padding: 0; }
.kipp-big .summary { font-size: 2.6vh; margin: 0 0 1.2vh 0; opacity: .85; }
.kipp-big .summary b { font-variant-numeric: tabular-nums; }
.kipp-big table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.kipp-big th { text-align: left; font-size: 2vh; opacity: .7; border-bottom: 2px solid #ccc; padding: .3vh .8vw; }
.kipp-big th.rank { width: 9vw; }
.kipp-big th.score { width: 13vw; text-align: right; }
.kipp-big th.award { width: 19vw; }
.kipp-big td { padding: .3vh .8vw; border-bottom: 1px solid #e5e5e5; vertical-align: middle; font-size: 3.2vh; }
.kipp-big td.rank { font-weight: 700; white-space: nowrap; }
.kipp-big td.rank .up { color: #1E8449; font-size: 2.2vh; margin-left: .4vw; }
.kipp-big td.rank .down { color: #C0392B; font-size: 2.2vh; margin-left: .4vw; }
.kipp-big td.entry div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; line-height: 1.2; }
.kipp-big td.entry small { display: block; font-size: 2vh; opacity: .7; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.kipp-big td.score { text-align: right; font-variant-numeric: tabular-nums; font-weight: 700; }
.kipp-big td.award span { color: #fff; padding: .2vh .8vw; border-radius: .6vh; font-size: 2.4vh; white-space: nowrap; }
.kipp-big td.award em { font-size: 1.8vh; font-style: italic; color: #8A6D3B; margin-left: .5vw; white-space: nowrap; }
.kipp-big td.award .pending { font-size: 2vh; font-style: italic; color: #8A6D3B; }
.kipp-big tr.in-progress td { opacity: .75; }
.kipp-big p.note { font-size: 2vh; opacity: .8; margin: 1vh 0 0 0; }
.kipp-big .page { float: right; font-size: 2vh; opacity: .7; }
.kipp-reveal { text-align: center; min-height: 88vh; display: flex; flex-direction: column; justify-content: center; }
.kipp-reveal .head { display: flex; align-items: center; justify-content: center; gap: 2vw; margin-bottom: 3vh; }
.kipp-reveal .head img { max-height: 12vh; max-width: 20vw; }
.kipp-reveal .head h1 { font-size: 5vh; margin: 0; padding: 0; }
.kipp-reveal .card h2 { font-size: 10vh; line-height: 1.1; margin: 2vh 0; padding: 0; }
.kipp-reveal .r-award { display: inline-block; color: #fff; font-size: 6.5vh; font-weight: 700;
  padding: .8vh 3vw; border-radius: 1.5vh; }
.kipp-reveal .r-title { font-size: 7.5vh; font-weight: 700; line-height: 1.15; margin: 3vh 4vw 1vh 4vw; }
.kipp-reveal .r-unit { font-size: 4.5vh; opacity: .8; }
.kipp-reveal .r-score { font-size: 6vh; font-variant-numeric: tabular-nums; margin-top: 3vh; }
.kipp-reveal .step { font-size: 2vh; opacity: .6; margin-top: 3vh; }
.kipp-reveal .kipp-big { text-align: left; }
.kipp-reveal.whole .head { margin-bottom: 1vh; } .kipp-reveal.whole .head img { max-height: 7vh; }
.kipp-reveal.whole .head h1 { font-size: 4vh; } .kipp-reveal.whole .step { margin-top: 1vh; }
.kipp-reveal.whole .kipp-big td { font-size: 3vh; padding: .3vh .8vw; }
@media (max-width: 600px) {  /* a display link opened on a phone: sizes by the width, the award note below it */
  .kipp-big h1 { font-size: 7vw; } .kipp-big .summary { font-size: 3.8vw; }
  .kipp-big th { font-size: 3.2vw; padding: .3vh 1vw; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .kipp-big th.rank { width: 16vw; } .kipp-big th.score { width: 17vw; } .kipp-big th.award { width: 26vw; }
  .kipp-big td { font-size: 4.4vw; padding: .6vh 1vw; }
  .kipp-big td.entry small, .kipp-big td.award .pending, .kipp-big p.note, .kipp-big .page { font-size: 3.2vw; }
  .kipp-big td.rank .up, .kipp-big td.rank .down { font-size: 3vw; }
  .kipp-big td.award span { font-size: 3.4vw; padding: .2vh 1.2vw; }
  .kipp-big td.award em { display: block; margin: .3vh 0 0 0; font-size: 2.8vw; }
}
"""
# For the big screen; a page that shows a reveal inside its own layout takes STYLE only.
CSS = f"<style>{CHROME}{STYLES}</style>"
STYLE = f"<style>{STYLES}</style>"


def shown_rows(board: pd.DataFrame, *, whole: bool) -> pd.DataFrame:
    """What the big screen lists: the ranked entries, and with ``whole`` the entries still being scored after them."""
    return board if whole else board[board["rank"].notna()]


def page_count(rows: pd.DataFrame, size: int = TOP) -> int:
    """How many screens of ``size`` rows the rows fill (at least one)."""
    return max(1, math.ceil(len(rows) / size))


def scored(board: pd.DataFrame) -> tuple[int, int]:
    """(entries with every sheet in, entries on the board): the "n of N scored" of the big screen."""
    return int(board["complete"].astype(bool).sum()), len(board)


def _rank_cell(row: Any, arrows: Mapping[str, str]) -> str:
    if pd.isna(row.rank):
        return "<td class='rank'>–</td>"
    arrow = arrows.get(str(row.code), "")
    moved = f"<span class='{'up' if arrow.startswith('▲') else 'down'}'>{html.escape(arrow)}</span>" if arrow else ""
    return f"<td class='rank'>{int(row.rank)}{moved}</td>"


def _award_cell(row: Any, award_note: str | None, in_progress: str) -> str:
    if pd.isna(row.rank):  # never an award (nor a rank) before every sheet is in
        return f"<td class='award'><span class='pending'>{html.escape(in_progress)}</span></td>"
    if pd.isna(row.award):
        return "<td class='award'></td>"
    note = f"<em>{html.escape(award_note)}</em>" if award_note else ""
    color = tier_color(row.tier_position)
    return f"<td class='award'><span style='background:{color}'>{html.escape(str(row.award))}</span>{note}</td>"


def _table(
    rows: pd.DataFrame,
    headers: Mapping[str, str],
    lang: str,
    *,
    arrows: Mapping[str, str] | None = None,
    award_note: str | None = None,
    in_progress: str = "",
) -> str:
    body = []
    for row in rows.itertuples(index=False):
        ranked = not pd.isna(row.rank)
        score = format_number(row.score, lang) if ranked else ""
        body.append(
            f"<tr class='{'ranked' if ranked else 'in-progress'}'>{_rank_cell(row, arrows or {})}"
            f"<td class='entry'><div>{html.escape(str(row.title))}</div>"
            f"<small>{html.escape(str(row.institution))}</small></td>"
            f"<td class='score'>{score}</td>{_award_cell(row, award_note, in_progress)}</tr>"
        )
    head = "".join(f"<th class='{name}'>{html.escape(headers[name])}</th>" for name in COLUMNS)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def big_screen_html(
    board: pd.DataFrame,
    *,
    title: str,
    notes: list[str],
    headers: Mapping[str, str],
    lang: str,
    top: int = TOP,
    summary: str = "",
    page: int = 0,
    whole: bool = False,
    page_label: str = "",
    arrows: Mapping[str, str] | None = None,
    award_note: str | None = None,
    in_progress: str = "",
) -> str:
    """The ranking as a large-type HTML table for the projector.

    Shows ``top`` rows: the Top 10 of the ranked (complete) entries, or with ``whole`` the
    ``page``-th screen of the whole board, where entries still being scored come after the
    ranked ones with neither rank, score nor award (``in_progress`` says why).  ``headers``
    names the rank, title, score and award columns; award cells take their tier's colour
    (kipp.theme) and, while awards are provisional, ``award_note`` under them.  ``arrows``
    maps codes to ▲/▼ movement.  ``summary`` (n of N scored, last update) sits under the
    title, ``notes`` under the table: pass only those that apply.  All text is escaped.
    """
    rows = shown_rows(board, whole=whole).iloc[page * top : (page + 1) * top]
    table = _table(rows, headers, lang, arrows=arrows, award_note=award_note, in_progress=in_progress)
    pager = f"<span class='page'>{html.escape(page_label)}</span>" if page_label else ""
    summary_html = f"<p class='summary'>{pager}{html.escape(summary)}</p>" if summary or pager else ""
    notes_html = "".join(f"<p class='note'>{html.escape(note)}</p>" for note in notes)
    return f"<div class='kipp-big'><h1>{html.escape(title)}</h1>{summary_html}{table}{notes_html}</div>"


def logo_html(media_type: str, content: bytes) -> str:
    """The logo as an inline image, or nothing for a type a browser should not be handed."""
    if media_type not in LOGO_TYPES or not content:
        return ""
    data = base64.b64encode(content).decode("ascii")
    return f"<img alt='' src='data:{media_type};base64,{data}'>"


def reveal_html(
    step: Step | None,
    *,
    heading: str,
    card: str,
    step_label: str,
    headers: Mapping[str, str],
    lang: str,
    logo: str = "",
) -> str:
    """One screen of the ceremony: the title card (``step`` None: ``card`` very large), one entry's
    award, title, unit and score very large, or the closing Top 10 table; under the event
    ``heading`` and the logo (:func:`logo_html`).  All text is escaped.
    """
    header = f"<div class='head'>{logo}<h1>{html.escape(heading)}</h1></div>"
    if step is None:
        body = f"<div class='card'><h2>{html.escape(card)}</h2></div>"
    elif step.whole:
        body = f"<div class='kipp-big'>{_table(step.entries, headers, lang)}</div>"
    else:
        row = step.entries.iloc[0]
        color = tier_color(row["tier_position"])
        body = (
            f"<div class='r-entry'><div class='r-award' style='background:{color}'>"
            f"{html.escape(str(row['award']))}</div>"
            f"<div class='r-title'>{html.escape(str(row['title']))}</div>"
            f"<div class='r-unit'>{html.escape(str(row['institution']))}</div>"
            f"<div class='r-score'>{format_number(row['score'], lang)}</div></div>"
        )
    kind = "kipp-reveal whole" if step is not None and step.whole else "kipp-reveal"
    return f"<div class='{kind}'>{header}{body}<div class='step'>{html.escape(step_label)}</div></div>"
