"""``python -m kipp simulate``: drip scores into an edition as jurors would."""

from __future__ import annotations

import argparse

from kipp.commands import CommandError, add_db, add_edition, open_database

HELP = "drip scores into an edition as jurors would"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--edition, --speed, --seed, --limit and --db."""
    add_edition(parser)
    parser.add_argument("--speed", type=float, default=1.0, help="time multiplier (higher is faster)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--limit", type=int, default=None, help="stop after this many sheets")
    add_db(parser)


def run(args: argparse.Namespace) -> int:
    """Check the pace, then simulate, printing each save as it happens."""
    from kipp.audit import WriteRefused
    from kipp.simulate import SimulationRefused, simulate

    if args.speed <= 0:
        raise CommandError("--speed must be a positive number (2 runs twice as fast as real time)")
    if args.limit is not None and args.limit <= 0:
        raise CommandError("--limit must be a positive number of sheets")
    engine = open_database(args.db, existing=False)
    try:
        simulate(
            engine,
            args.edition,
            speed=args.speed,
            seed=args.seed,
            limit=args.limit,
            report=lambda line: print(line, flush=True),
        )
    except (SimulationRefused, WriteRefused) as error:
        raise CommandError(str(error)) from error
    return 0
