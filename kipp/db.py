"""Engines, sessions and migrations.

The database is chosen by ``DATABASE_URL`` (or an explicit URL); the default is an
SQLite file under ``data/``.  SQLite connections get WAL, foreign keys and a busy
timeout; write sessions take the write lock up front (``BEGIN IMMEDIATE``) so that
concurrent writers queue instead of failing with "database is locked".  PostgreSQL is
reached through psycopg 3 with the same code.  The schema is created and upgraded by
Alembic on first use, so a database made by an older version is upgraded, never
recreated; one process at a time (a schema lock), so processes starting together on a
new database queue up instead of failing.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "kipp.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000

_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


def default_url() -> str:
    """The configured database URL: ``DATABASE_URL`` or the SQLite file under data/."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def normalise_url(url: str) -> str:
    """Route plain ``postgresql://`` URLs to psycopg 3, the driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """The URL as it may be shown: the password masked."""
    return make_url(url).render_as_string(hide_password=True)


def is_sqlite(engine: Engine) -> bool:
    """True for the embedded SQLite backend."""
    return engine.dialect.name == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other backends and memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.database.startswith("file:"):  # an SQLite URI (``?uri=true``), e.g. file:/srv/kipp.db?mode=ro
        return Path(unquote(urlsplit(parsed.database).path))
    return Path(parsed.database)


def database_exists(url: str | None = None) -> bool:
    """Whether the database already holds a KIPP schema (used to decide on demo data)."""
    url = normalise_url(url or default_url())
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return False
    engine = get_engine(url, migrate=False)
    return inspect(engine).has_table("edition")


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every connection, and explicit BEGINs (IMMEDIATE for writers)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below decide
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        immediate = connection.get_execution_options().get("kipp_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def get_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """The shared engine for a URL, created once per process and migrated to head."""
    url = normalise_url(url or default_url())
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            path = sqlite_file(url)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(
                    url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
                )
                _configure_sqlite(engine)
            elif make_url(url).get_backend_name() == "sqlite":
                raise ValueError("In-memory SQLite is not supported: use a file, e.g. sqlite:///data/test.db")
            else:
                engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
            _engines[url] = engine
        if migrate and url not in _migrated:
            upgrade(engine)
            _migrated.add(url)
    return engine


def dispose_engine(url: str) -> None:
    """Close and forget the engine for a URL (tests, and before deleting a file)."""
    url = normalise_url(url)
    with _lock:
        engine = _engines.pop(url, None)
        _migrated.discard(url)
    if engine is not None:
        engine.dispose()


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """An Alembic config bound to our migrations folder and to this engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's schema lock: one process at a time creates or upgrades the schema.

    SQLite: an exclusive ``flock`` on a file next to the database (``kipp.db-lock``);
    PostgreSQL: a session-level advisory lock.  Other processes wait for it.
    """
    path = sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is not None:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(f"{path.name}-lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    with engine.connect() as connection:
        key = {"key": _lock_key("kipp-schema")}
        connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
            connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (the schema is never created any other way).

    A database already at the head revision is left alone without starting Alembic's
    environment, so a short command does not pay for a migration run.  Migrations run
    under :func:`schema_lock`, so processes starting on a new database at once queue up
    and the later ones find it done.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    heads = ScriptDirectory.from_config(config).get_heads()
    if revision == "head" and current_revision(engine) in heads:
        return
    with schema_lock(engine):
        if revision == "head" and current_revision(engine) in heads:
            return
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; closed on exit."""
    with Session(engine) as session:
        yield session


def _lock_key(name: str) -> int:
    """A stable signed 64-bit number for a lock name (PostgreSQL advisory locks take bigints)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def serialise(session: Session, name: str) -> None:
    """Queue this write transaction behind any other holding the lock ``name`` until it ends.

    PostgreSQL takes a transaction-scoped advisory lock; on SQLite a write session already
    holds the database's write lock (BEGIN IMMEDIATE), which serialises every writer.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(name)})


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A transaction for writing: committed on success, rolled back on any error.

    On SQLite it starts with BEGIN IMMEDIATE so concurrent writers wait for the lock
    (busy timeout) instead of failing half-way through.
    """
    bind = engine.execution_options(kipp_write=True) if is_sqlite(engine) else engine
    with Session(bind) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
