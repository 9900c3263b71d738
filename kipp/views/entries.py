"""Entries sections: the search results, an entry's card, its feedback and advancement, and its
unit's history across editions.  Organizers see each juror's sheet and name; viewers the
panel's mean per criterion, and only for published editions.  Awards of an edition still in
scoring read "(sementara)"; withdrawn and absent entries are shown with their status.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from kipp import db, i18n, queries, scoring, trends, ui
from kipp.auth import Account
from kipp.models import EditionStatus
from kipp.progress import Explanation, explain
from kipp.views.official import official_method_note


def results(found: pd.DataFrame, type_labels: dict[str, str]) -> int:
    """The matching entries as a table and a picker; returns the picked entry's id."""
    st.caption(ui.t("entries.found", n=len(found)))
    st.dataframe(
        found[["year", "code", "title", "institution", "institution_type", "category"]].assign(
            institution_type=found["institution_type"].map(type_labels)
        ),
        hide_index=True,
        width="stretch",
        height=min(35 * len(found) + 40, 300),
        column_config={
            "year": st.column_config.NumberColumn(ui.t("trends.column.year"), format="%d"),
            "code": ui.t("column.code"),
            "title": ui.t("column.title"),
            "institution": ui.t("column.institution"),
            "institution_type": ui.t("trends.column.institution_type"),
            "category": ui.t("trends.filter.category"),
        },
    )
    options = {
        int(row.entry_id): ui.t("entries.option", year=row.year, code=row.code, title=row.title, unit=row.institution)
        for row in found.itertuples()
    }
    return st.selectbox(ui.t("entries.open"), options=list(options), format_func=options.__getitem__, key="entry")


def _figures(explanation: Explanation) -> None:
    """Rank, score, award and jurors done, as four metrics."""
    result = explanation.row
    rank_column, score_column, award_column, jurors_column = st.columns(4)
    award = scoring.shown_awards(pd.DataFrame([result]), ui.t("award.provisional_mark")).iloc[0]
    rank_column.metric(ui.t("column.rank"), "–" if pd.isna(result["rank"]) else str(result["rank"]), border=True)
    score_column.metric(ui.t("column.score"), i18n.format_number(result["score"], ui.lang()), border=True)
    award_column.metric(ui.t("column.award"), "–" if pd.isna(award) else str(award), border=True)
    jurors_column.metric(ui.t("entries.jurors_done"), f"{result['jurors']} / {result['panel']}", border=True)
    status = result.get("entry_status", scoring.COMPETING)
    if status != scoring.COMPETING:
        st.info(ui.t(f"entries.left.{status}"), icon=":material/do_not_disturb_on:")
    elif result["provisional"]:
        st.warning(ui.t("entries.provisional"), icon=":material/hourglass_top:")


def _sheets(explanation: Explanation) -> None:
    """Organizers: each juror's sheet by name, and how a tie on score was broken."""
    sheets = explanation.sheets
    criteria = [name for name in sheets.columns if name not in ("juror_id", "juror", "seat", "status", "total")]
    sheets = sheets.assign(status=sheets["status"].map(lambda status: ui.t(f"entries.sheet_status.{status}")))
    st.dataframe(
        ui.localised(sheets[["juror", *criteria, "total", "status"]], [*criteria, "total"]),
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("entries.column.juror"),
            **{name: ui.number_text(name) for name in criteria},
            "total": ui.number_text(ui.t("entries.column.total")),
            "status": ui.t("entries.column.status"),
        },
    )
    if explanation.tiebreak_criterion and explanation.tied_on_score:
        st.caption(
            ui.t(
                "entries.tiebreak",
                criterion=ui.plain(explanation.tiebreak_criterion),
                codes=ui.plain(", ".join(explanation.tied_on_score)),
            )
        )


def _means(year: int, entry_id: int) -> None:
    """Viewers: the panel's mean per criterion, no juror named."""
    means = trends.criterion_scores({year: ui.edition_data(year)})
    means = means[means["entry_id"] == entry_id]
    st.dataframe(
        ui.localised(ui.localised(means[["criterion", "value", "max_score"]], ["value"]), ["max_score"], 0),
        hide_index=True,
        width="stretch",
        column_config={
            "criterion": ui.t("entries.column.criterion"),
            "value": ui.number_text(ui.t("entries.column.mean")),
            "max_score": ui.number_text(ui.t("entries.column.max")),
        },
    )


def card(row: pd.Series, account: Account, kind: str, status: str) -> None:
    """An entry's card: title, result, and its scores as the account may see them."""
    year, entry_id = int(row["year"]), int(row["entry_id"])
    st.header(ui.plain(row["title"]))
    st.caption(
        ui.t(
            "entries.card_line",
            code=ui.plain(row["code"]),
            year=year,
            unit=ui.plain(row["institution"]),
            kind=kind,
            category=ui.plain(row["category"] or "–"),
        )
    )
    explanation = explain(ui.edition_data(year), ui.leaderboard(year), entry_id)
    _figures(explanation)
    official_method_note(year)
    if status != EditionStatus.published.value:
        st.caption(ui.t("entries.not_published", status=ui.t(f"status.{status}")))
    st.subheader(ui.t("entries.scores"))
    if account.is_organizer:
        _sheets(explanation)
    else:
        _means(year, entry_id)


def feedback(year: int, entry_id: int, account: Account) -> None:
    """The jurors' written feedback: by name for organizers, by seat for everyone else."""
    st.subheader(ui.t("entries.feedback"))
    notes = ui.entry_feedback(year, entry_id)
    if notes.empty:
        st.caption(ui.t("entries.no_feedback"))
    for note in notes.itertuples():
        author = ui.plain(note.juror) if account.is_organizer else ui.t("entries.juror_seat", n=note.seat)
        st.markdown(f"> {ui.plain(note.text)}\n>\n> — *{author}*")


def advancement(sent: pd.DataFrame) -> None:
    """Where the entry went next (KOVABLIK, SINOVIK) and how it did."""
    st.subheader(ui.t("entries.advancement"))
    if sent.empty:
        st.caption(ui.t("entries.no_advancement"))
    for step in sent.itertuples():
        result = ui.plain(step.result or "–")
        st.markdown(ui.t("entries.advancement_line", round=ui.plain(step.round), year=step.round_year, result=result))


@st.cache_data(show_spinner=False, max_entries=4)
def _out_of_competition(_engine: Engine, url: str, version: tuple[Any, ...]) -> pd.DataFrame:
    """Withdrawn and absent entries of every edition, cached by the data fingerprint of all editions."""
    return queries.entries_out_of_competition(_engine)


def unit_rows(results: pd.DataFrame, left: pd.DataFrame, unit: str, years: list[int]) -> pd.DataFrame:
    """The unit's entries in ``years``, newest edition first: its ranked and provisional entries
    (``results``, in rank order) then, within each edition, its withdrawn or absent ones (``left``:
    no score, rank or award).  Columns of ``results`` plus ``entry_status``."""
    ranked = trends.unit_history(results, unit).assign(entry_status=scoring.COMPETING)
    out = left[left["institution"] == unit].assign(final=True).reindex(columns=ranked.columns)
    parts = [part for part in (ranked, out) if len(part)]
    rows = pd.concat(parts, ignore_index=True) if len(parts) == 2 else (parts[0] if parts else ranked)
    rows = rows[rows["year"].isin(years)]
    return rows.sort_values("year", ascending=False, kind="stable", ignore_index=True)


def history(all_results: pd.DataFrame, unit: str, years: list[int]) -> None:
    """The unit's entries across the editions in ``years``, with their results and status."""
    st.header(ui.t("entries.history", unit=ui.plain(unit)))
    left = _out_of_competition(ui.engine(), db.default_url(), ui.all_data_version())
    shown = unit_rows(all_results, left, unit, years)
    competed = shown.loc[shown["entry_status"] == scoring.COMPETING, "year"].nunique()
    shown = shown.assign(
        award=scoring.shown_awards(shown, ui.t("award.provisional_mark")),
        entry_status=shown["entry_status"].map(lambda status: ui.t(f"panels.entry_status.{status}")),
    )
    st.dataframe(
        ui.award_styled(
            ui.localised(
                ui.localised(shown[["year", "code", "title", "score", "rank", "award", "entry_status"]], ["score"]),
                ["rank"],
                0,
            ),
            positions=shown["tier_position"],
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "year": st.column_config.NumberColumn(ui.t("trends.column.year"), format="%d"),
            "code": ui.t("column.code"),
            "title": ui.t("column.title"),
            "score": ui.number_text(ui.t("column.score")),
            "rank": ui.number_text(ui.t("column.rank")),
            "award": ui.t("column.award"),
            "entry_status": ui.t("entries.column.entry_status"),
        },
    )
    st.caption(ui.t("entries.history_note", n=competed))
