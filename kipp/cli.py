"""The command line: ``python -m kipp COMMAND`` (see README, "Command line").

The commands live in :mod:`kipp.commands`, one module each; this module builds the
parser from them and runs the one asked for.  Errors go to stderr as one line with a
non-zero exit status: a command's own :class:`~kipp.commands.CommandError`, and a
database that cannot be reached or written (server down, read-only file).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from kipp.commands import CommandError

# Command -> its module in kipp.commands, in the order ``--help`` lists them.  A run imports
# only its own command's module: importing all ten would add milliseconds to every command.
COMMANDS: dict[str, str] = {
    "demo": "demo",
    "import": "import_",
    "export": "export",
    "template": "template",
    "leaderboard": "leaderboard",
    "agreement": "agreement",
    "simulate": "simulate",
    "report": "report",
    "user": "user",
    "bench": "bench",
}


def command_module(name: str) -> ModuleType:
    """The module implementing command ``name``."""
    return importlib.import_module(f"kipp.commands.{COMMANDS[name]}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command, or only command ``only`` when it is one."""
    parser = argparse.ArgumentParser(prog="python -m kipp", description="KIPP Kota Malang dashboard tools")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in [only] if only in COMMANDS else COMMANDS:
        module = command_module(name)
        module.add_arguments(subparsers.add_parser(name, help=module.HELP))
    return parser


def database_fault(error: Exception, url: str | None) -> str | None:
    """One line on a database that cannot be reached or written, naming what to check; None for other errors."""
    from sqlalchemy.exc import DatabaseError

    from kipp import db

    if not isinstance(error, DatabaseError):
        return None
    url = db.normalise_url(url or db.default_url())
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    path = db.sqlite_file(url)
    if path is not None:
        return f"cannot use the SQLite database {path} ({reason}): is the file writable, and a KIPP database?"
    return f"cannot use the database {db.safe_url(url)} ({reason}): is the server running, and the URL right?"


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the command, and turn expected failures into exit status 1."""
    argv = sys.argv[1:] if argv is None else list(argv)
    named = next((arg for arg in argv if not arg.startswith("-")), None)  # the command comes first
    args = build_parser(named).parse_args(argv)
    if "db" in vars(args) and args.db is None:
        args.db = os.environ.get("DATABASE_URL")
    try:
        return command_module(args.command).run(args)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        message = database_fault(error, getattr(args, "db", None))
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return 1
