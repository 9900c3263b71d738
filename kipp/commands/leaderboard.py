"""``python -m kipp leaderboard``: print an edition's ranking as a table, CSV or JSON.

No Streamlit or plotly: the benchmark checks this command imports neither.
"""

from __future__ import annotations

import argparse

from kipp.choices import FORMATS
from kipp.commands import CommandError, add_db, add_edition, add_method, load_edition

HELP = "print the ranking of an edition"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--edition, --method (default: the edition's official method), --format and --db."""
    add_edition(parser)
    add_method(parser)
    parser.add_argument("--format", choices=FORMATS, default="table")
    add_db(parser)


def run(args: argparse.Namespace) -> int:
    """Load the edition, rank it with the chosen (or official) method and print it.

    The adjusted method on panels that share no juror and no entry is an error naming the
    groups and what would connect them.
    """
    from kipp import scoring
    from kipp.adjustment import DisconnectedPanels
    from kipp.reports import format_leaderboard

    data = load_edition(args)
    method = args.method or data.official_method
    try:
        board = scoring.leaderboard(data, method)
    except DisconnectedPanels as error:
        raise CommandError(f"the {method} method cannot rank edition {args.edition}: {error}") from error
    print(format_leaderboard(board, args.format, method=method), end="")
    return 0
