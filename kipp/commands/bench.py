"""``python -m kipp bench``: run the performance benchmark and print the table (or JSON)."""

from __future__ import annotations

import argparse
import sys

from kipp.bench.scales import SCALES
from kipp.commands import CommandError

HELP = "run the performance benchmark"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--scale (repeatable), --json, --runs and --postgres."""
    parser.add_argument("--scale", choices=list(SCALES), action="append")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default=None, metavar="URL", help="also measure on this PostgreSQL server")


def _log(message: str) -> None:
    """Progress on stderr, so --json output stays clean."""
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Measure every scale asked for (all by default); exit 1 when a measurement failed."""
    import json

    from kipp.bench import benchmark
    from kipp.bench.report import format_report

    if args.runs < 1:
        raise CommandError("--runs must be at least 1")
    scales = [SCALES[name] for name in dict.fromkeys(args.scale or list(SCALES))]
    try:
        server = benchmark.postgres_server(args.postgres)
    except benchmark.PostgresUnavailable as error:
        raise CommandError(str(error)) from error
    if server is None:
        _log("PostgreSQL is not available: measuring SQLite only.")
    report = benchmark.run(scales, runs=args.runs, postgres=server, log=_log)
    print(json.dumps(report, indent=2, default=str) if args.json else format_report(report))
    failed = [f"{m['backend']} {m['scale']} {m['name']}" for m in report["measures"] if m["note"].startswith("failed")]
    if failed:
        _log(f"error: {len(failed)} measurement(s) failed: {', '.join(failed)} (see the notes)")
        return 1
    return 0
