"""Alembic builds the schema from nothing and upgrades older databases without losing data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from kipp import auth, db
from tests.factories import make_edition

HEAD = "0004"


def test_empty_database_is_migrated_to_head(empty_db_url: str) -> None:
    engine = db.get_engine(empty_db_url)
    assert db.current_revision(engine) == HEAD
    tables = set(inspect(engine).get_table_names())
    assert {"edition", "entry", "score", "app_user", "audit_log", "advancement"} <= tables


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []


def test_database_at_first_revision_is_upgraded_and_keeps_its_data(empty_db_url: str) -> None:
    db_url = empty_db_url
    engine = db.get_engine(db_url, migrate=False)
    db.upgrade(engine, "0001")
    assert db.current_revision(engine) == "0001"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO edition (year, name, status, award_tiers, is_demo, data_version, created_at) "
                "VALUES (2019, 'KIPP 2019', 'published', '[]', false, 0, CURRENT_TIMESTAMP)"
            )
        )
    db.dispose_engine(db_url)
    engine = db.get_engine(db_url)  # first use: upgrades to head
    assert db.current_revision(engine) == HEAD
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM edition WHERE year = 2019")).scalar() == "KIPP 2019"
    assert "app_user" in inspect(engine).get_table_names()


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    db.upgrade(engine)
    assert db.current_revision(engine) == HEAD


def test_database_at_the_previous_revision_keeps_its_scores(empty_db_url: str) -> None:
    engine = db.get_engine(empty_db_url, migrate=False)
    db.upgrade(engine, "0002")
    make_edition(engine, scores={("E1", "Juri A", "Kebaruan"): 81.5, ("E1", "Juri B", "Efektif"): 70.0})
    db.dispose_engine(empty_db_url)
    engine = db.get_engine(empty_db_url)
    assert db.current_revision(engine) == HEAD
    with engine.connect() as connection:
        assert sorted(connection.execute(text("SELECT value FROM score")).scalars()) == [70.0, 81.5]
    index = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("score")}
    assert index["ix_score_edition"] == ["edition_id", "entry_id", "juror_id", "criterion_id", "value"]


def test_accounts_keep_their_failed_sign_ins_through_the_upgrade_to_per_client_counts(empty_db_url: str) -> None:
    engine = db.get_engine(empty_db_url, migrate=False)
    db.upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO app_user (username, role, password_hash, is_demo_password, active, failed_attempts, "
                "locked_until, created_at) VALUES ('kabag', 'organizer', 'hash', false, true, 4, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    db.dispose_engine(empty_db_url)
    engine = db.get_engine(empty_db_url)
    assert db.current_revision(engine) == HEAD
    users = auth.list_users(engine).set_index("username")
    assert users.loc["kabag", "failed_attempts"] == 4
    assert not users.loc["kabag", "set_by_demo"] and users.loc["kabag", "role"] == "organizer"
    assert auth.account(engine, "kabag").session_epoch == 0
