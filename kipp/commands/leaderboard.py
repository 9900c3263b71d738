"""``python -m kipp leaderboard``: print an edition's ranking as a table, CSV or JSON.

No Streamlit or plotly: the benchmark checks this command imports neither.
"""

from __future__ import annotations

import argparse

from kipp.choices import FORMATS, METHODS
from kipp.commands import add_db, add_edition, load_edition

HELP = "print the ranking of an edition"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--edition, --method, --format and --db."""
    add_edition(parser)
    parser.add_argument("--method", choices=METHODS, default="mean")
    parser.add_argument("--format", choices=FORMATS, default="table")
    add_db(parser)


def run(args: argparse.Namespace) -> int:
    """Load the edition, rank it with the chosen method and print it."""
    from kipp import scoring
    from kipp.reports import format_leaderboard

    data = load_edition(args)
    board = scoring.leaderboard(data, args.method)
    print(format_leaderboard(board, args.format, method=args.method), end="")
    return 0
