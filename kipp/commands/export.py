"""``python -m kipp export --edition YEAR --out PATH``: write an edition in the interchange format."""

from __future__ import annotations

import argparse

from kipp.commands import CommandError, add_db, add_edition, open_database

HELP = "write an edition as a workbook (.xlsx) or CSV folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--edition, --out and --db."""
    add_edition(parser)
    parser.add_argument("--out", required=True, metavar="PATH")
    add_db(parser)


def run(args: argparse.Namespace) -> int:
    """Write the edition's four sheets and say how many rows each has."""
    from pathlib import Path

    from kipp.i18n import translate
    from kipp.ingest import export_tables, write_tables
    from kipp.queries import EditionNotFound

    engine = open_database(args.db)
    try:
        tables = export_tables(engine, args.edition)
        write_tables(tables, Path(args.out))
    except (EditionNotFound, ValueError) as error:
        raise CommandError(str(error)) from error
    counts = {sheet: len(rows) for sheet, rows in tables.items()}
    print(translate("ingest.cli.exported", "en", year=args.edition, out=args.out, **counts))
    return 0
