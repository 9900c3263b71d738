"""``python -m kipp template --out PATH``: write the empty import template (.xlsx, .zip or folder)."""

from __future__ import annotations

import argparse

from kipp.commands import CommandError

HELP = "write an empty import template"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--out."""
    parser.add_argument("--out", required=True, metavar="PATH")


def run(args: argparse.Namespace) -> int:
    """Write the four sheets with their header rows only."""
    from pathlib import Path

    from kipp.i18n import translate
    from kipp.ingest import write_tables

    try:
        write_tables({}, Path(args.out))
    except ValueError as error:
        raise CommandError(str(error)) from error
    print(translate("ingest.cli.template", "en", out=args.out))
    return 0
