"""Shared fixtures: fresh databases on SQLite and (when reachable) PostgreSQL, demo data.

Every data-layer test that takes ``engine`` runs once per backend.  PostgreSQL is used
when ``KIPP_TEST_POSTGRES_URL`` is set or a server answers on 127.0.0.1:5432 (database
``test``); each test gets its own database cloned from a migrated template.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from kipp import db

# Page errors propagate in tests (kipp.ui.guard) so AppTest's `at.exception` sees every failure.
os.environ.setdefault("KIPP_RAISE_PAGE_ERRORS", "1")

POSTGRES_URL = os.environ.get("KIPP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEMPLATE = f"kipp_template_{os.getpid()}"


def _postgres_available() -> bool:
    try:
        engine = create_engine(db.normalise_url(POSTGRES_URL), connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


POSTGRES = _postgres_available()
if os.environ.get("KIPP_REQUIRE_POSTGRES") and not POSTGRES:
    raise RuntimeError(f"KIPP_REQUIRE_POSTGRES is set but PostgreSQL is not reachable at {POSTGRES_URL}")
BACKENDS = ["sqlite", "postgres"] if POSTGRES else ["sqlite"]


def _admin() -> Engine:
    return create_engine(db.normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")


def _database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(db.normalise_url(POSTGRES_URL)).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A migrated, empty PostgreSQL database that per-test databases are cloned from."""
    if not POSTGRES:
        yield None
        return
    admin = _admin()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}"'))
        connection.execute(text(f'CREATE DATABASE "{TEMPLATE}"'))
    url = _database_url(TEMPLATE)
    db.get_engine(url)
    db.dispose_engine(url)
    yield TEMPLATE
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)'))
    admin.dispose()


def make_database(backend: str, tmp_path: Path, template: str | None) -> str:
    """A new empty KIPP database URL on the backend (migrated on first use)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'kipp-{uuid.uuid4().hex[:8]}.db'}"
    name = f"kipp_t_{uuid.uuid4().hex[:12]}"
    clone = f' TEMPLATE "{template}"' if template else ""
    with _admin().connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{clone}'))
    return _database_url(name)


def drop_database(url: str) -> None:
    """Dispose the engine and drop a PostgreSQL test database (SQLite files go with tmp_path)."""
    db.dispose_engine(url)
    if url.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        with _admin().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this test run: sqlite, or postgres when available."""
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path, postgres_template: str | None) -> Iterator[str]:
    """URL of a fresh, empty KIPP database on the backend."""
    url = make_database(backend, tmp_path, postgres_template)
    yield url
    drop_database(url)


@pytest.fixture
def empty_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """URL of a database with no schema at all (for migration tests)."""
    url = make_database(backend, tmp_path, None)
    yield url
    drop_database(url)


@pytest.fixture
def engine(db_url: str) -> Engine:
    """A fresh, migrated, empty KIPP database on each backend."""
    return db.get_engine(db_url)


@pytest.fixture(scope="session")
def demo_urls(tmp_path_factory: pytest.TempPathFactory, postgres_template: str | None) -> Iterator[dict[str, str]]:
    """The demo database built once per backend for the session (tests must not modify it)."""
    from kipp.demo import build_demo

    urls = {}
    for name in BACKENDS:
        url = make_database(name, tmp_path_factory.mktemp("demo"), postgres_template)
        build_demo(db.get_engine(url))
        urls[name] = url
    yield urls
    for url in urls.values():
        drop_database(url)


@pytest.fixture
def demo_engine(demo_urls: dict[str, str], backend: str) -> Engine:
    """The read-only demo database on each backend."""
    return db.get_engine(demo_urls[backend])


@pytest.fixture
def demo_app_url(demo_urls: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the dashboard (AppTest) at the read-only SQLite demo database."""
    monkeypatch.setenv("DATABASE_URL", demo_urls["sqlite"])
    return demo_urls["sqlite"]


@pytest.fixture
def app_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the dashboard (AppTest) at a fresh SQLite demo database it may change."""
    from kipp.demo import build_demo

    url = f"sqlite:///{tmp_path / 'app.db'}"
    build_demo(db.get_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    db.dispose_engine(url)
