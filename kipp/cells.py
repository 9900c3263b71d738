"""Spreadsheet and CSV cells that are always data, never a formula.

Titles, unit names, juror names and feedback are typed by people; a spreadsheet must show
them as typed and never run them.  Every workbook and CSV file the project writes passes
its values through here.

Workbook (.xlsx)
    Text starting with ``=``, ``+``, ``-`` or ``@`` (or with a tab or carriage return) is
    written as a text cell with Excel's quote prefix: the cell holds exactly the text, and
    Excel shows and keeps it as text.  Other values are written as they are, so numbers —
    negative ones too — stay numbers.

CSV
    Text starting with ``=``, ``+``, ``-``, ``@`` or an apostrophe gets one leading
    apostrophe; the importer removes one leading apostrophe from every CSV cell, so
    ``=A1``, ``-5 %`` and ``'Tis`` come back exactly as they went out.  Numbers are not
    text and are written plainly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@")
CSV_ESCAPE = "'"
# A tab or carriage return in front can also make a spreadsheet read what follows as a formula.
XLSX_QUOTED = (*FORMULA_PREFIXES, "\t", "\r")


def xlsx_value(sheet: Worksheet, value: Any) -> Any:
    """``value`` as appended to ``sheet``: text a spreadsheet could run becomes a quoted text cell."""
    if not (isinstance(value, str) and value.startswith(XLSX_QUOTED)):
        return value
    from openpyxl.cell import WriteOnlyCell  # only workbook writers pay for openpyxl

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text, never a formula
    cell.quotePrefix = True  # and Excel shows and keeps it as text
    return cell


def csv_text(value: Any) -> Any:
    """``value`` for a CSV cell: text a spreadsheet could run gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, CSV_ESCAPE)):
        return CSV_ESCAPE + value
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through :func:`csv_text`."""
    import pandas as pd  # only the DataFrame writers need pandas

    safe = frame.rename(columns=csv_text)
    for column in range(safe.shape[1]):
        values = safe.iloc[:, column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            safe.isetitem(column, values.map(csv_text, na_action="ignore"))
    return safe


def csv_string(frame: pd.DataFrame, **options: Any) -> str:
    """``frame`` as formula-safe CSV text without the index; ``options`` go to ``DataFrame.to_csv``."""
    return csv_frame(frame).to_csv(index=False, **options)


def csv_bytes(frame: pd.DataFrame, **options: Any) -> bytes:
    """``frame`` as formula-safe CSV in UTF-8 with a BOM, so Excel opens it with the right characters."""
    return csv_string(frame, **options).encode("utf-8-sig")
