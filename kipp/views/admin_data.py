"""Admin › Import & export: download an edition or the empty template; upload a workbook, see what
it would change (N new, M updated per sheet) or every problem in a table, then confirm.

All reading, checking and writing is kipp.ingest; this module only draws it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kipp import ingest, ui
from kipp.i18n import format_number

UPLOAD_COUNTER_KEY = "ingest_upload_counter"  # a new key empties the uploader after an import
DONE_KEY = "ingest_done"
CHANGE_SHEETS = ("criteria", "jurors", "institutions", "entries", "panels", "assignments", "scores", "feedback")


def _problems_table(problems: list[ingest.ImportProblem]) -> None:
    """Every problem of a refused file, one row each: sheet, row, column, what to do."""
    st.error(ui.t("ingest.ui.refused", n=len(problems)), icon=":material/error:")
    lang = ui.lang()
    table = pd.DataFrame(
        {
            ui.t("ingest.ui.col.sheet"): [p.sheet or "–" for p in problems],
            ui.t("ingest.ui.col.row"): pd.array([p.row for p in problems], dtype="Int64"),
            ui.t("ingest.ui.col.column"): [p.column or "–" for p in problems],
            ui.t("ingest.ui.col.message"): [p.message(lang) for p in problems],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _preview_table(summary: ingest.ImportSummary) -> None:
    """What the import will do, per sheet."""
    lang = ui.lang()
    new = sum(summary.change(sheet).new for sheet in CHANGE_SHEETS)
    updated = sum(summary.change(sheet).updated for sheet in CHANGE_SHEETS)
    headline = ui.t(
        "ingest.ui.preview_headline",
        new=format_number(new, lang, 0),
        updated=format_number(updated, lang, 0),
        year=summary.year,
    )
    if summary.edition_created:
        headline = f"{headline} {ui.t('ingest.ui.preview_creates', year=summary.year)}"
    st.info(headline, icon=":material/preview:")
    table = pd.DataFrame(
        {
            ui.t("ingest.ui.col.part"): [ui.t(f"ingest.ui.sheet.{sheet}") for sheet in CHANGE_SHEETS],
            ui.t("ingest.ui.col.new"): [summary.change(sheet).new for sheet in CHANGE_SHEETS],
            ui.t("ingest.ui.col.updated"): [summary.change(sheet).updated for sheet in CHANGE_SHEETS],
            ui.t("ingest.ui.col.unchanged"): [summary.change(sheet).unchanged for sheet in CHANGE_SHEETS],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _export_section(year: int | None) -> None:
    st.subheader(ui.t("ingest.ui.export_title"))
    st.caption(ui.t("ingest.ui.export_help"))
    engine = ui.engine()
    left, middle, right = st.columns(3)
    if year is not None:
        # Files are built only when clicked (deferred download), so the page stays quick.
        left.download_button(
            ui.t("ingest.ui.export_xlsx", year=year),
            data=lambda: ingest.xlsx_bytes(ingest.export_tables(engine, year)),
            file_name=f"kipp-{year}.xlsx",
            mime=ingest.XLSX_MIME,
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )
        middle.download_button(
            ui.t("ingest.ui.export_csv", year=year),
            data=lambda: ingest.zip_bytes(ingest.export_tables(engine, year)),
            file_name=f"kipp-{year}-csv.zip",
            mime="application/zip",
            icon=":material/folder_zip:",
            on_click="ignore",
            width="stretch",
        )
    right.download_button(
        ui.t("ingest.ui.template"),
        data=ingest.template_bytes,
        file_name="kipp-template.xlsx",
        mime=ingest.XLSX_MIME,
        icon=":material/description:",
        on_click="ignore",
        width="stretch",
    )


def _import_section(year: int | None) -> None:
    st.subheader(ui.t("ingest.ui.import_title"))
    st.caption(ui.t("ingest.ui.import_help"))
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(done, icon=":material/check_circle:")
    left, right = st.columns(2)
    target = int(
        left.number_input(
            ui.t("ingest.ui.target_year"),
            min_value=2000,
            max_value=2100,
            value=year or dt.date.today().year,
            step=1,
            key="ingest_year",
        )
    )
    name = right.text_input(ui.t("ingest.ui.edition_name"), help=ui.t("ingest.ui.edition_name_help"), key="ingest_name")
    counter = st.session_state.setdefault(UPLOAD_COUNTER_KEY, 0)
    files = st.file_uploader(
        ui.t("ingest.ui.upload"),
        type=["xlsx", "zip", "csv", "xls"],  # .xls is let through so ingest can say how to convert it
        accept_multiple_files=True,
        key=f"ingest_upload_{counter}",
        help=ui.t("ingest.ui.upload_help"),
    )
    if not files:
        return
    uploads = tuple((file.name, file.getvalue()) for file in files)
    try:
        with st.spinner(ui.t("ingest.ui.checking")):
            data = ui.uploaded_data(uploads)
            summary = ui.import_preview(uploads, target)
    except ingest.ImportRefused as refused:
        _problems_table(refused.problems)
        return
    _preview_table(summary)
    if not st.button(ui.t("ingest.ui.confirm", year=target), type="primary", icon=":material/upload:"):
        return
    user = ui.current_account()
    actor = user.username if user else f"import:{data.source}"
    try:
        with st.spinner(ui.t("ingest.ui.importing")):
            result = ingest.import_dataset(ui.engine(), data, target, name=name.strip() or None, actor=actor)
    except ingest.ImportRefused as refused:  # the database changed since the preview
        _problems_table(refused.problems)
        return
    lang = ui.lang()
    st.session_state[DONE_KEY] = ui.t(
        "ingest.ui.done",
        source=ui.plain(result.source),
        year=result.year,
        new=format_number(sum(result.change(sheet).new for sheet in CHANGE_SHEETS), lang, 0),
        updated=format_number(sum(result.change(sheet).updated for sheet in CHANGE_SHEETS), lang, 0),
    )
    st.session_state[UPLOAD_COUNTER_KEY] = counter + 1
    ui.editions_table.clear()
    st.rerun()


def render(year: int | None) -> None:
    """Draw the Import & export tab for the selected edition."""
    _export_section(year)
    st.divider()
    _import_section(year)
