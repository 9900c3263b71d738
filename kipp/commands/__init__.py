"""The commands of ``python -m kipp``: one module per command, gathered by :mod:`kipp.cli`.

Each command module has ``HELP`` (its line in ``--help``), ``add_arguments(parser)``
and ``run(args) -> int``; :data:`kipp.cli.COMMANDS` names them.  Module level stays
light (argparse and :mod:`kipp.choices` only): pandas, SQLAlchemy and the domain
modules are imported inside ``run``, so building the parser and ``--help`` cost
milliseconds.  Domain modules raise their own errors; commands turn them into
:class:`CommandError`, one line on stderr.
"""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs the parser milliseconds
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kipp.scoring import EditionData

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the edition years a command accepts


class CommandError(Exception):
    """A failure to report to the user as one clear line on stderr (exit status 1)."""


def edition_year(text: str) -> int:
    """The argparse type of ``--edition``: a whole year between FIRST_YEAR and LAST_YEAR."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"{year} is not an edition year ({FIRST_YEAR}–{LAST_YEAR})")
    return year


def add_edition(parser: argparse.ArgumentParser) -> None:
    """The required ``--edition YEAR`` argument."""
    parser.add_argument("--edition", type=edition_year, required=True, metavar="YEAR")


def add_method(parser: argparse.ArgumentParser) -> None:
    """The ``--method`` argument; absent, a command uses the edition's official method."""
    from kipp.choices import METHODS

    parser.add_argument(
        "--method", choices=METHODS, default=None, help="scoring method (default: the edition's official method)"
    )


def add_db(parser: argparse.ArgumentParser) -> None:
    """The ``--db URL`` argument (:func:`kipp.cli.main` fills in $DATABASE_URL when it is absent)."""
    parser.add_argument(
        "--db", metavar="URL", default=None, help="database URL (default: $DATABASE_URL or data/kipp.db)"
    )


def open_database(url: str | None, *, existing: bool = True) -> Engine:
    """The engine of ``--db``; refuses a missing SQLite folder, and (``existing``) a database not made yet.

    Commands that only read pass ``existing`` so a mistyped path is an error, not a new
    empty database.
    """
    from kipp import db

    url = db.normalise_url(url or db.default_url())
    path = db.sqlite_file(url)
    if path is not None and not path.parent.is_dir():
        raise CommandError(f"The folder {path.parent} does not exist: check the --db path")
    if existing and not db.database_exists(url):
        where = path or db.safe_url(url)
        raise CommandError(f"No KIPP database at {where}: build one with `python -m kipp demo` or import an edition")
    return db.get_engine(url)


def load_edition(args: argparse.Namespace) -> EditionData:
    """The scoring data of ``--edition`` in ``--db``; an unknown year names the editions the database has."""
    from kipp import queries

    engine = open_database(args.db)
    try:
        return queries.load_edition(engine, args.edition)
    except queries.EditionNotFound as error:
        years = ", ".join(str(year) for year in sorted(queries.editions(engine)["year"])) or "none"
        raise CommandError(f"{error} (editions in this database: {years})") from error
