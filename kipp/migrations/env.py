"""Alembic environment: migrations run on the engine handed over by ``kipp.db``."""

from alembic import context
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

import kipp.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """Switch SQLite's foreign-key enforcement, outside any transaction (the only place the pragma works).

    A batch migration rebuilds a table by dropping it; with enforcement on, that drop would cascade
    into (or be refused by) the tables that refer to it, so migrations run with it off.
    """
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def run_migrations_online() -> None:
    """Run migrations on the engine in the config (batch mode on SQLite), then check no reference dangles."""
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and connection.execute(text("PRAGMA foreign_key_check")).first() is not None:
                    raise RuntimeError("A migration left rows that refer to missing rows; nothing was changed")
            connection.commit()
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


run_migrations_online()
