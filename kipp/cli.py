"""The command line: ``python -m kipp COMMAND`` (see README, "Command line").

Each command imports only what it needs (no Streamlit or plotly to print a
leaderboard).  Errors go to stderr with a non-zero exit status.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

# command -> (module, function) implementing it; the function takes the parsed args
# and returns an exit status.
HANDLERS: dict[str, tuple[str, str]] = {
    "demo": ("kipp.demo", "cli_demo"),
    "import": ("kipp.ingest", "cli_import"),
    "export": ("kipp.ingest", "cli_export"),
    "template": ("kipp.ingest", "cli_template"),
    "leaderboard": ("kipp.reports", "cli_leaderboard"),
    "agreement": ("kipp.analytics_cli", "cli_agreement"),
    "simulate": ("kipp.simulate", "cli_simulate"),
    "report": ("kipp.documents", "cli_report"),
    "user": ("kipp.auth", "cli_user"),
    "bench": ("kipp.bench", "cli_bench"),
}


class CommandError(Exception):
    """A failure to report to the user as one clear line on stderr (exit status 1)."""


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", default=None, help="database URL (default: $DATABASE_URL or data/kipp.db)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="python -m kipp", description="KIPP Kota Malang dashboard tools")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="build the demo database (four editions, synthetic scores)")
    _add_db(demo)
    demo.add_argument("--replace", action="store_true", help="delete existing demo editions first")

    imp = commands.add_parser("import", help="load a workbook (.xlsx) or CSV folder into an edition")
    imp.add_argument("path")
    imp.add_argument("--edition", type=int, required=True, metavar="YEAR")
    imp.add_argument("--name", default=None, help="edition name when the edition is created")
    _add_db(imp)

    exp = commands.add_parser("export", help="write an edition as a workbook (.xlsx) or CSV folder")
    exp.add_argument("--edition", type=int, required=True, metavar="YEAR")
    exp.add_argument("--out", required=True, metavar="PATH")
    _add_db(exp)

    template = commands.add_parser("template", help="write an empty import template")
    template.add_argument("--out", required=True, metavar="PATH")

    board = commands.add_parser("leaderboard", help="print the ranking of an edition")
    board.add_argument("--edition", type=int, required=True, metavar="YEAR")
    board.add_argument("--method", choices=["mean", "median", "trimmed", "zscore", "adjusted"], default="mean")
    board.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _add_db(board)

    agreement = commands.add_parser("agreement", help="print the panel's agreement (ICC, Kendall's W)")
    agreement.add_argument("--edition", type=int, required=True, metavar="YEAR")
    agreement.add_argument("--format", choices=["table", "json"], default="table")
    _add_db(agreement)

    simulate = commands.add_parser("simulate", help="drip scores into an edition as jurors would")
    simulate.add_argument("--edition", type=int, required=True, metavar="YEAR")
    simulate.add_argument("--speed", type=float, default=1.0, help="time multiplier (higher is faster)")
    simulate.add_argument("--seed", type=int, default=2024)
    simulate.add_argument("--limit", type=int, default=None, help="stop after this many sheets")
    _add_db(simulate)

    report = commands.add_parser("report", help="write the official result (PDF berita acara or Excel recap)")
    report.add_argument("--edition", type=int, required=True, metavar="YEAR")
    report.add_argument("--out", required=True, metavar="FILE.pdf|FILE.xlsx")
    report.add_argument("--method", choices=["mean", "median", "trimmed", "zscore", "adjusted"], default="mean")
    report.add_argument("--lang", choices=["id", "en"], default="id")
    _add_db(report)

    user = commands.add_parser("user", help="manage sign-in accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="create an account (password prompted or generated)")
    add.add_argument("name")
    add.add_argument("--role", choices=["organizer", "juror", "viewer"], required=True)
    add.add_argument("--juror", default=None, help="the juror this account scores for (role juror)")
    add.add_argument("--generate", action="store_true", help="generate a password and show it once")
    _add_db(add)
    listing = user_commands.add_parser("list", help="list accounts")
    _add_db(listing)
    passwd = user_commands.add_parser("passwd", help="set a new password (prompted or generated)")
    passwd.add_argument("name")
    passwd.add_argument("--generate", action="store_true", help="generate a password and show it once")
    _add_db(passwd)

    bench = commands.add_parser("bench", help="run the performance benchmark")
    bench.add_argument("--scale", choices=["malang", "province", "national"], action="append")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--runs", type=int, default=5)
    bench.add_argument("--postgres", default=None, metavar="URL", help="also measure on this PostgreSQL server")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the command, and turn expected failures into exit status 1."""
    args = build_parser().parse_args(argv)
    if getattr(args, "db", None) is None and "db" in vars(args):
        args.db = os.environ.get("DATABASE_URL")
    module_name, function_name = HANDLERS[args.command]
    handler: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module_name), function_name)
    try:
        return handler(args)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
