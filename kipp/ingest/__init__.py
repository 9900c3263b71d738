"""Import and export of competition data: the organizers' workbook or a folder of CSV files.

The interchange format is one ``.xlsx`` workbook with the sheets ``criteria``, ``jurors``,
``entries`` and ``scores``, and optionally ``panels`` (day, room, juror: a session's seats) and
``assignments`` (code, juror: an entry's own jurors) — or a folder (or ``.zip``) with CSV files of
those names.  The same format is read, written by the export and handed out as an empty template.

Reading
    Sheet, file and column names match case- and space-insensitively ("Max Score" is
    ``max_score``); so do juror, criterion, institution names and entry codes (" Juri  Dua "
    is "juri dua").  Columns the format does not know (a "No" column, say) are ignored.
    CSV text is UTF-8, with or without the BOM Excel writes; a header line with more
    semicolons than commas is read as the semicolon-separated CSV that Indonesian Excel saves.
    Decimal commas ("85,5") are read; a number with a space or underscore inside ("8 5",
    "8_5") is refused rather than read as 85.  Numbers keep the precision a spreadsheet gives them
    (Excel keeps 15 significant digits; the workbook is written with 16).  Nothing in a file
    is ever evaluated: a workbook cell holding a formula, and a CSV cell starting with ``=``,
    are refused with a message that says to type the value itself; NaN, infinity and
    absurdly large numbers are refused.

Writing safely
    Text starting with ``=``, ``+``, ``-`` or ``@`` is written to a workbook as a text cell
    with Excel's quote prefix, so a spreadsheet shows it as text and never runs it.  In CSV a
    text value starting with one of those characters or with an apostrophe gets one leading
    apostrophe, and the reader removes one leading apostrophe from every CSV cell: so
    "=A1", "-5 %" and "'Tis" all come back exactly as they went out.

Feedback (masukan)
    The ``comment`` of a score row is the juror's feedback on that entry (one text per entry
    and juror).  Several different comments of one entry and juror are joined with line
    breaks, in row order, at most 4,000 characters in all — the score sheet's limit; an
    empty comment leaves stored feedback as it is.  The export
    writes the feedback on the row of the edition's first criterion that the juror scored
    for the entry, or — when the juror gave feedback but no score — on a row of the first
    criterion with an empty score (such a row is read back as feedback only).

Importing
    All or nothing, in one transaction: rows whose key exists are updated, new rows added,
    nothing deleted.  Every problem is collected first (sheet, row number as Excel shows it
    with the header in row 1, column, and a message in the user's language); if there is
    any, nothing is written.  A session (day and room) named in ``panels`` and an entry named in
    ``assignments`` get exactly the file's jurors (replaced per session and per entry; others are kept).
    Who must score an entry is asked of :func:`kipp.scoring.expected_jurors` on the edition as the
    import would leave it: a score row of a juror not assigned to the entry is refused, and so is an
    import that would leave a stored score sheet with a juror no longer assigned.  A unit's type
    and a juror's affiliation are the edition's own (kept on its entries and panel seats), so an
    import never changes what another edition shows.  Locked
    and published editions refuse imports; an edition being scored refuses jurors new to its
    panel (they would change who must score every entry).  Writes use the
    database's own upsert (``INSERT … ON CONFLICT``); on SQLite the write session holds the
    write lock from the start (BEGIN IMMEDIATE) and on PostgreSQL imports take a
    transaction-scoped advisory lock, so several imports into one edition at the same time
    queue up and all land, with exact counts and audit records.

Limits
    A sheet or CSV file of more than 200,000 rows or 100 columns, a zip member that unpacks beyond
    its size limit or packs suspiciously tightly, and two files for one sheet are refused before
    anything is parsed (:mod:`kipp.ingest.read`).  Free text passes the one text check every write
    path uses (:func:`kipp.text.clean_text`).

Modules
    :mod:`~kipp.ingest.format` (sheets, columns, problems), :mod:`~kipp.ingest.read` (files to raw
    tables), :mod:`~kipp.ingest.check` (values and file-level problems), :mod:`~kipp.ingest.plan`
    (what to insert or update), :mod:`~kipp.ingest.write` (the transaction), :mod:`~kipp.ingest.export`
    (tables to workbook, CSV or zip, and the template).  Everything callers use is importable from
    ``kipp.ingest``.
"""

from kipp.i18n import translate
from kipp.ingest.check import DataSet, load_files, load_path, parse
from kipp.ingest.export import csv_bytes, export_tables, template_bytes, write_tables, xlsx_bytes, zip_bytes
from kipp.ingest.format import MAX_WHOLE, SHEETS, XLSX_MIME, ImportProblem, ImportRefused, Tables, fold
from kipp.ingest.plan import ImportSummary, SheetChange
from kipp.ingest.read import RawBook, read_files, read_path
from kipp.ingest.write import import_dataset, preview

__all__ = [
    "MAX_WHOLE",
    "SHEETS",
    "XLSX_MIME",
    "DataSet",
    "ImportProblem",
    "ImportRefused",
    "ImportSummary",
    "RawBook",
    "SheetChange",
    "Tables",
    "csv_bytes",
    "export_tables",
    "fold",
    "import_dataset",
    "load_files",
    "load_path",
    "parse",
    "preview",
    "read_files",
    "read_path",
    "template_bytes",
    "translate",
    "write_tables",
    "xlsx_bytes",
    "zip_bytes",
]
