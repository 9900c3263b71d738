"""``python -m kipp demo``: build the demo database and say what is in it."""

from __future__ import annotations

import argparse

from kipp.commands import CommandError, add_db, open_database

HELP = "build the demo database (four editions, synthetic scores)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--db and --replace."""
    add_db(parser)
    parser.add_argument("--replace", action="store_true", help="delete existing demo editions first")


def run(args: argparse.Namespace) -> int:
    """Write the demo editions, then the demo accounts, and print both."""
    from kipp.auth import describe_demo_accounts, ensure_demo_accounts
    from kipp.demo import build_demo

    engine = open_database(args.db, existing=False)
    try:
        frames = build_demo(engine, replace=args.replace)
        accounts = ensure_demo_accounts(engine)
    except ValueError as error:  # DemoRefused: the database holds real data
        raise CommandError(str(error)) from error
    print(
        f"Demo database ready: {len(frames.editions)} editions "
        f"({', '.join(str(e['year']) for e in frames.editions)}), {len(frames.entries)} entries, "
        f"{len(frames.scores)} synthetic scores. Juror names and scores are invented."
    )
    if accounts:
        print(describe_demo_accounts(accounts))
    return 0
