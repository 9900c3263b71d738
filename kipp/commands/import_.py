"""``python -m kipp import PATH --edition YEAR``: load a workbook or CSV folder into an edition."""

from __future__ import annotations

import argparse
import sys

from kipp.commands import add_db, add_edition, open_database

HELP = "load a workbook (.xlsx) or CSV folder into an edition"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """PATH, --edition, --name and --db."""
    parser.add_argument("path")
    add_edition(parser)
    parser.add_argument("--name", default=None, help="edition name when the edition is created")
    add_db(parser)


def run(args: argparse.Namespace) -> int:
    """Every problem on stderr (nothing imported), or a one-line summary."""
    from pathlib import Path

    from kipp.i18n import translate
    from kipp.ingest import ImportRefused, import_dataset, load_path

    path = Path(args.path)
    engine = open_database(args.db, existing=False)
    try:
        summary = import_dataset(engine, load_path(path), args.edition, name=args.name, actor=f"import:{path.name}")
    except ImportRefused as refused:
        for problem in refused.problems:
            print(f"error: {problem.line('en')}", file=sys.stderr)
        print(translate("ingest.cli.refused", "en", n=len(refused.problems)), file=sys.stderr)
        return 1
    print(summary.line("en"))
    return 0
