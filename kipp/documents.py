"""The official result of an edition: an Excel recap and a printable PDF "berita acara".

Both are built from :func:`kipp.scoring.leaderboard` (the one ranking) and are in Bahasa
Indonesia by default, English on request.  They are pure functions of the edition's
record and frames, so the dashboard (download buttons) and the command line
(``python -m kipp report``) produce the same bytes.  PDF text uses the DejaVu Sans
TrueType font, because fpdf2's core fonts are latin-1 only and titles such as
"IBUKOTA – Inovasi Bulu Kotoran Ayam" must print as written.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine

from kipp import cells, queries, scoring, theme, trends
from kipp.adjustment import DisconnectedPanels
from kipp.i18n import format_date, format_number, translate
from kipp.scoring import EditionData

if TYPE_CHECKING:
    from kipp.choices import Method

Kind = Literal["pdf", "xlsx"]
KINDS: dict[str, Kind] = {".pdf": "pdf", ".xlsx": "xlsx"}
MIME: dict[Kind, str] = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _matplotlib_fonts() -> Path:
    """The DejaVu fonts matplotlib ships (a pinned dependency), found without importing it."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return Path("/nonexistent")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


FONT_DIRS = (Path(__file__).resolve().parent / "fonts", _matplotlib_fonts(), Path("/usr/share/fonts"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


class DocumentError(Exception):
    """A document cannot be produced; the message says what to do."""


def file_name(year: int, kind: Kind, lang: str) -> str:
    """The download name: berita-acara-kipp-2023.pdf / rekap-nilai-kipp-2023.xlsx (English names in en)."""
    return f"{translate(f'documents.file.{kind}', lang)}-{year}.{kind}"


# --- Excel recap -------------------------------------------------------------------------------


def recap_tables(data: EditionData, method: Method | None = None) -> dict[str, pd.DataFrame]:
    """The three recap tables with raw column keys: leaderboard, juror_totals, criterion_scores.

    Ranked by ``method``, the edition's official method when None.  juror_totals has a
    column per panel juror (seat order) holding that juror's total;
    criterion_scores a column per criterion with the mean raw score over complete sheets.
    """
    board = scoring.leaderboard(data, method or data.official_method)
    keys = board[["rank", "code", "title", "institution"]]
    leaderboard = board[
        ["rank", "code", "title", "institution", "institution_type", "score", "jurors", "panel", "complete", "award"]
    ]

    totals = scoring.juror_totals(data)
    panel = data.panel.sort_values(["seat", "juror"])
    wide = totals.pivot_table(index="entry_id", columns="juror_id", values="total", aggfunc="first")
    wide = wide.reindex(columns=panel["juror_id"])
    wide.columns = panel["juror"].astype(str).tolist()
    juror_table = pd.concat([keys, board[["entry_id"]]], axis=1).merge(
        wide, left_on="entry_id", right_index=True, how="left"
    )
    juror_table["score"] = board["score"]

    criteria = data.criteria.sort_values(["position", "criterion_id"])
    means = trends.criterion_scores({0: data})
    by_criterion = means.pivot_table(index="entry_id", columns="criterion_id", values="value", aggfunc="first")
    by_criterion = by_criterion.reindex(columns=criteria["criterion_id"])
    by_criterion.columns = criteria["name"].astype(str).tolist()
    criterion_table = pd.concat([keys, board[["entry_id"]]], axis=1).merge(
        by_criterion, left_on="entry_id", right_index=True, how="left"
    )
    criterion_table["score"] = board["score"]
    return {
        "leaderboard": leaderboard.reset_index(drop=True),
        "juror_totals": juror_table.drop(columns="entry_id"),
        "criterion_scores": criterion_table.drop(columns="entry_id"),
    }


def method_label(data: EditionData, method: Method, lang: str) -> str:
    """'Nilai terkoreksi (metode resmi edisi ini)', or the method and which one is official."""
    name = translate(f"method.{method}", lang)
    if method == data.official_method:
        return translate("documents.method.official", lang, method=name)
    official = translate(f"method.{data.official_method}", lang)
    return translate("documents.method.other", lang, method=name, official=official)


def panels_note(data: EditionData, method: Method, lang: str) -> str | None:
    """When the entries had different panels: that the ranking is the adjusted one, or that it is not."""
    if not scoring.panels_differ(data):
        return None
    if method == "adjusted":
        return translate("documents.panels.adjusted", lang)
    return translate("documents.panels.plain", lang, method=translate(f"method.{method}", lang))


def recap_workbook(
    edition: Mapping[str, Any],
    data: EditionData,
    method: Method | None = None,
    lang: str = "id",
    *,
    with_juror_scores: bool = True,
) -> bytes:
    """The recap as an .xlsx: one formatted sheet each for the leaderboard, juror totals and criterion scores,
    and a notes sheet saying which method ranked the entries and whether the panels differed.

    ``method`` None is the edition's official method.  Without ``with_juror_scores`` the
    per-juror sheet is left out: individual jurors' scores
    are never published, so leadership's copy carries the panel's results only.
    """
    method = method or data.official_method
    tables = recap_tables(data, method)
    if not with_juror_scores:
        del tables["juror_totals"]
    labels = {key: translate(f"documents.column.{key}", lang) for key in COLUMN_KEYS}
    yes, no = translate("documents.yes", lang), translate("documents.no", lang)
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = translate("documents.recap_title", lang, year=edition["year"], name=edition["name"])
    workbook.properties.creator = "KIPP Dashboard"
    for key, table in tables.items():
        sheet = workbook.create_sheet(translate(f"documents.sheet.{key}", lang))
        frame = table.copy()
        if "complete" in frame:
            frame["complete"] = frame["complete"].map({True: yes, False: no})
        if "institution_type" in frame:
            frame["institution_type"] = frame["institution_type"].map(lambda kind: translate(f"unit_type.{kind}", lang))
        headers = [labels.get(column, column) for column in frame.columns]
        sheet.append([cells.xlsx_value(sheet, header) for header in headers])
        for row in frame.itertuples(index=False):
            sheet.append([cells.xlsx_value(sheet, _cell(value)) for value in row])
        numeric = [i for i, column in enumerate(frame.columns, start=1) if column not in _TEXT_COLUMNS]
        for index, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(index)
            if index in numeric and column not in _INTEGER_COLUMNS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "0.00"
            values = [headers[index - 1], *(str(_cell(v)) for v in frame[column] if _cell(v) is not None)]
            sheet.column_dimensions[letter].width = min(60, max(8, *(len(text) + 2 for text in values)))
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=theme.PRIMARY.lstrip("#"))
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    notes = workbook.create_sheet(translate("documents.sheet_notes", lang))
    facts = [
        ("edition", f"{edition['name']} ({edition['year']})"),
        ("method", method_label(data, method, lang)),
        ("panels", panels_note(data, method, lang) or translate("documents.note.same_panel", lang)),
    ]
    for key, text in facts:
        notes.append([translate(f"documents.note.{key}", lang), cells.xlsx_value(notes, text)])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 100
    for label, text in notes.iter_rows():
        label.font = Font(bold=True)
        text.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


COLUMN_KEYS = (
    "rank",
    "code",
    "title",
    "institution",
    "institution_type",
    "score",
    "jurors",
    "panel",
    "complete",
    "award",
)
_TEXT_COLUMNS = {"code", "title", "institution", "institution_type", "complete", "award"}
_INTEGER_COLUMNS = {"rank", "jurors", "panel"}


def _cell(value: Any) -> Any:
    """A value openpyxl can store: missing values as empty cells, numpy scalars as Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


# --- PDF berita acara --------------------------------------------------------------------------


@cache
def font_files() -> dict[str, Path]:
    """DejaVu Sans regular and bold: kipp/fonts, then matplotlib's copy, then the system's fonts."""
    found: dict[str, Path] = {}
    for style, name in FONT_FILES.items():
        for folder in FONT_DIRS:
            match = next(iter(sorted(folder.rglob(name))), None) if folder.is_dir() else None
            if match is not None:
                found[style] = match
                break
        else:
            raise DocumentError(
                f"The font {name} was not found (matplotlib's fonts, kipp/fonts, /usr/share/fonts): reinstall "
                "requirements.txt, install Debian's fonts-dejavu-core, or copy the DejaVu TTFs into kipp/fonts"
            )
    return found


class _Minutes(FPDF):
    """A4 pages with a footer naming the document and the page (page N of M)."""

    def __init__(self, footer: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def berita_acara_pdf(
    edition: Mapping[str, Any],
    data: EditionData,
    method: Method | None = None,
    lang: str = "id",
    today: dt.date | None = None,
) -> bytes:
    """The printable minutes of the result: edition, jurors, method, Top awards with tiers, the full
    ranking, the date and space for the jurors' signatures.

    ``method`` None is the edition's official method; the minutes name the method that ranked
    the entries and, when the rooms had different panels, whether that ranking corrects for it.
    """
    method = method or data.official_method
    board = scoring.leaderboard(data, method)
    today = today or dt.date.today()
    year = edition["year"]
    pdf = _Minutes(translate("documents.pdf.footer", lang, year=year))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    for style, path in font_files().items():
        pdf.add_font("DejaVu", style, str(path))
    pdf.set_title(translate("documents.pdf.title", lang, year=year))
    pdf.set_creator("KIPP Dashboard")
    pdf.alias_nb_pages()
    pdf.add_page()

    def heading(text: str, size: float = 12) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")

    def paragraph(text: str, size: float = 10, style: str = "") -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    heading(translate("documents.pdf.title", lang, year=year), 15)
    heading(translate("documents.pdf.subtitle", lang, name=edition["name"]), 11)
    pdf.ln(4)
    complete = int(board["complete"].sum())
    paragraph(
        translate(
            "documents.pdf.opening", lang, date=format_date(today, lang), n=len(board), complete=complete, year=year
        )
    )
    if edition.get("is_demo"):
        pdf.set_text_color(*theme.rgb(theme.PRIMARY))
        paragraph(translate("documents.pdf.demo", lang), 9, "B")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(2)

    heading(translate("documents.pdf.section.edition", lang), 11)
    dates = " – ".join(format_date(d, lang) for d in (edition.get("start_date"), edition.get("end_date")) if d)
    criteria = data.criteria.sort_values(["position", "criterion_id"])
    ordinal = translate("documents.pdf.ordinal", lang, n=edition.get("ordinal") or "–")
    weights = "; ".join(
        translate(
            "documents.pdf.criterion",
            lang,
            name=c.name,
            weight=format_number(c.weight, lang, 0),
            max=format_number(c.max_score, lang, 0),
        )
        for c in criteria.itertuples()
    )
    facts = [
        (translate("documents.pdf.fact.edition", lang), f"{edition['name']} ({ordinal})"),
        (translate("documents.pdf.fact.venue", lang), edition.get("venue") or "–"),
        (translate("documents.pdf.fact.dates", lang), dates or "–"),
        (translate("documents.pdf.fact.method", lang), method_label(data, method, lang)),
        (translate("documents.pdf.fact.criteria", lang), weights),
        (
            translate("documents.pdf.fact.entries", lang),
            translate("documents.pdf.entries_value", lang, n=len(board), complete=complete),
        ),
    ]
    _table(pdf, [(label, value) for label, value in facts], (45, 135), header=False)
    note = panels_note(data, method, lang)
    if note:
        pdf.ln(1)
        paragraph(note, 9)
    pdf.ln(3)

    heading(translate("documents.pdf.section.jurors", lang), 11)
    panel = data.panel.sort_values(["seat", "juror"])
    _table(
        pdf,
        [(translate("documents.pdf.column.number", lang), translate("documents.pdf.column.juror", lang))]
        + [(str(i), str(name)) for i, name in enumerate(panel["juror"], start=1)],
        (15, 165),
    )
    pdf.ln(3)

    awarded = board[board["tier"].notna()]
    heading(translate("documents.pdf.section.top", lang, n=len(awarded)), 11)
    if awarded.empty:
        paragraph(translate("documents.pdf.no_awards", lang))
    else:
        rows = [
            tuple(
                translate(f"documents.pdf.column.{c}", lang) for c in ("rank", "award", "title", "institution", "score")
            )
        ]
        rows += [
            (str(r.rank), str(r.award), str(r.title), str(r.institution), format_number(r.score, lang))
            for r in awarded.itertuples()
        ]
        tints = [theme.tier_tint(position) for position in awarded["tier_position"]]
        fills = [None] + [theme.rgb(tint) if tint else None for tint in tints]
        _table(pdf, rows, (18, 26, 70, 48, 18), fills=fills)
    pdf.ln(3)

    heading(translate("documents.pdf.section.ranking", lang), 11)
    rows = [
        tuple(
            translate(f"documents.pdf.column.{c}", lang)
            for c in ("rank", "code", "title", "institution", "score", "status")
        )
    ]
    for r in board.itertuples():
        status = (
            translate("documents.pdf.status.complete", lang)
            if r.complete
            else translate("documents.pdf.status.provisional", lang)
        )
        rank = "–" if pd.isna(r.rank) else str(r.rank)
        rows.append((rank, str(r.code), str(r.title), str(r.institution), format_number(r.score, lang), status))
    _table(pdf, rows, (18, 20, 64, 44, 16, 18), size=8)
    if (~board["complete"]).any():
        paragraph(translate("documents.pdf.provisional_note", lang, n=int((~board["complete"]).sum())), 8)
    pdf.ln(4)

    paragraph(translate("documents.pdf.closing", lang))
    pdf.ln(2)
    paragraph(translate("documents.pdf.place_date", lang, date=format_date(today, lang)), 10)
    paragraph(translate("documents.pdf.signatures", lang), 10, "B")
    _signatures(pdf, [str(name) for name in panel["juror"]], lang)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


def _table(
    pdf: FPDF,
    rows: Sequence[tuple[str, ...]],
    widths: tuple[float, ...],
    *,
    header: bool = True,
    size: float = 9,
    fills: Sequence[tuple[int, int, int] | None] | None = None,
) -> None:
    """A bordered table; the heading row (if any) in white on the KIPP red."""
    pdf.set_font("DejaVu", "", size)
    headings = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=theme.rgb(theme.PRIMARY))
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        first_row_as_headings=header,
        headings_style=headings,
        text_align="LEFT",
        line_height=size * 0.55,
        padding=1,
        align="LEFT",
    ) as table:
        for index, values in enumerate(rows):
            fill = fills[index] if fills is not None else None
            style = FontFace(fill_color=fill) if fill else None
            row = table.row(style=style)
            for value in values:
                row.cell(value)


def _signatures(pdf: FPDF, names: Sequence[str], lang: str) -> None:
    """Two signature blocks per line: the role, room to sign, the printed name."""
    column = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for start in range(0, len(names), 2):
        if pdf.get_y() > pdf.h - 50:
            pdf.add_page()
        top = pdf.get_y() + 4
        for offset, name in enumerate(names[start : start + 2]):
            x = pdf.l_margin + offset * column
            pdf.set_xy(x, top)
            pdf.set_font("DejaVu", "", 9)
            pdf.cell(column - 10, 5, translate("documents.pdf.juror_role", lang, n=start + offset + 1))
            pdf.set_xy(x, top + 22)
            pdf.cell(column - 10, 0, "", border="T")
            pdf.set_xy(x, top + 23)
            pdf.set_font("DejaVu", "B", 9)
            pdf.cell(column - 10, 5, name)
        pdf.set_xy(pdf.l_margin, top + 32)


# --- Loading and the command line ----------------------------------------------------------------


def render(
    engine: Engine,
    year: int,
    kind: Kind,
    *,
    method: Method | None = None,
    lang: str = "id",
    with_juror_scores: bool = True,
) -> bytes:
    """An edition's document of the given kind, read from the database (raises EditionNotFound).

    ``method`` None ranks by the edition's official method.  The adjusted method on panels
    that share no juror and no entry raises :class:`DocumentError` naming the groups, so the
    page and the command show it as any other document failure.
    """
    edition = queries.edition_record(engine, year)
    data = queries.load_edition(engine, year)
    method = method or data.official_method
    try:
        if kind == "pdf":
            return berita_acara_pdf(edition, data, method, lang)
        return recap_workbook(edition, data, method, lang, with_juror_scores=with_juror_scores)
    except DisconnectedPanels as error:
        raise DocumentError(f"the {method} method cannot rank edition {year}: {error}") from error
