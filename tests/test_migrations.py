"""Alembic builds the schema from nothing and upgrades older databases without losing data."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from kipp import auth, db

HEAD = "0006"

# Two editions as the schema before 0005 stored them: a unit's type on the unit, a juror's affiliation on the juror.
OLD_ROWS = (
    "INSERT INTO edition (id, year, name, status, award_tiers, is_demo, data_version, created_at) VALUES "
    "(1, 2022, 'KIPP 2022', 'published', '[]', false, 4, CURRENT_TIMESTAMP), "
    "(2, 2023, 'KIPP 2023', 'scoring', '[]', false, 2, CURRENT_TIMESTAMP)",
    "INSERT INTO institution (id, name, type) VALUES (1, 'Bappeda', 'badan'), (2, 'SMPN 5 Malang', 'sekolah')",
    "INSERT INTO juror (id, name, affiliation) VALUES (1, 'Juri A', 'Universitas Brawijaya'), (2, 'Juri B', NULL)",
    "INSERT INTO panel_member (edition_id, juror_id, seat) VALUES (1, 1, 1), (1, 2, 2), (2, 1, 1)",
    "INSERT INTO criterion (id, edition_id, name, weight, max_score, position) VALUES "
    "(1, 1, 'Kebaruan', 1, 100, 0), (2, 2, 'Kebaruan', 1, 100, 0)",
    "INSERT INTO entry (id, edition_id, code, title, institution_id) VALUES "
    "(1, 1, 'E1', 'Satu', 1), (2, 1, 'E2', 'Dua', 2), (3, 2, 'E3', 'Tiga', 1)",
    "INSERT INTO score (edition_id, entry_id, juror_id, criterion_id, max_score, value, created_at, updated_at) "
    "VALUES (1, 1, 1, 1, 100, 81.5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
    "(1, 2, 2, 1, 100, 70, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
    "(2, 3, 1, 2, 100, 64, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
)


def _old_database(db_url: str, revision: str) -> None:
    """A database at ``revision`` (before 0005) holding ``OLD_ROWS``, its engine closed as a server restart would."""
    engine = db.get_engine(db_url, migrate=False)
    db.upgrade(engine, revision)
    with engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))
    db.dispose_engine(db_url)


def _rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(text(sql)))


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


def test_database_at_0002_keeps_its_scores(empty_db_url: str) -> None:
    _old_database(empty_db_url, "0002")
    engine = db.get_engine(empty_db_url)
    assert db.current_revision(engine) == HEAD
    assert _rows(engine, "SELECT value FROM score") == [(64.0,), (70.0,), (81.5,)]
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


def test_database_at_0003_keeps_each_entrys_unit_type_and_each_seats_affiliation(empty_db_url: str) -> None:
    """Types and affiliations move to the edition that shows them; no score, entry or seat is lost."""
    _old_database(empty_db_url, "0003")
    engine = db.get_engine(empty_db_url)
    assert db.current_revision(engine) == HEAD
    assert _rows(engine, "SELECT code, institution_type FROM entry") == [
        ("E1", "badan"),
        ("E2", "sekolah"),
        ("E3", "badan"),
    ]
    assert _rows(engine, "SELECT edition_id, juror_id, seat, affiliation FROM panel_member") == [
        (1, 1, 1, "Universitas Brawijaya"),
        (1, 2, 2, None),
        (2, 1, 1, "Universitas Brawijaya"),
    ]
    assert _rows(engine, "SELECT entry_id, value FROM score") == [(1, 81.5), (2, 70.0), (3, 64.0)]
    assert _rows(engine, "SELECT year, data_version FROM edition") == [(2022, 4), (2023, 2)]
    assert {c["name"] for c in inspect(engine).get_columns("institution")} == {"id", "name"}
    assert {c["name"] for c in inspect(engine).get_columns("juror")} == {"id", "name"}
    with pytest.raises(IntegrityError), engine.begin() as connection:  # the type's CHECK came along
        connection.execute(text("UPDATE entry SET institution_type = 'swasta' WHERE code = 'E1'"))


def test_downgrade_puts_types_and_affiliations_back_on_units_and_jurors(empty_db_url: str) -> None:
    _old_database(empty_db_url, "0003")
    engine = db.get_engine(empty_db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE entry SET institution_type = 'upt' WHERE code = 'E3'"))
        connection.execute(text("UPDATE panel_member SET affiliation = 'Bappenas' WHERE edition_id = 2"))
    command.downgrade(db.alembic_config(engine), "0003")
    assert db.current_revision(engine) == "0003"
    # The latest edition's value wins; nothing else is lost.
    assert _rows(engine, "SELECT name, type FROM institution") == [("Bappeda", "upt"), ("SMPN 5 Malang", "sekolah")]
    assert _rows(engine, "SELECT name, affiliation FROM juror") == [("Juri A", "Bappenas"), ("Juri B", None)]
    assert _rows(engine, "SELECT entry_id, value FROM score") == [(1, 81.5), (2, 70.0), (3, 64.0)]


def test_database_at_0005_keeps_its_editions_which_score_as_before(empty_db_url: str) -> None:
    """0006 adds panels, statuses and sessions: every edition is official by the mean, every entry competes."""
    _old_database(empty_db_url, "0003")
    engine = db.get_engine(empty_db_url, migrate=False)
    db.upgrade(engine, "0005")
    db.dispose_engine(empty_db_url)
    engine = db.get_engine(empty_db_url)
    assert db.current_revision(engine) == HEAD
    assert _rows(engine, "SELECT year, official_method, data_version FROM edition") == [
        (2022, "mean", 4),
        (2023, "mean", 2),
    ]
    assert _rows(engine, "SELECT code, status FROM entry") == [
        ("E1", "competing"),
        ("E2", "competing"),
        ("E3", "competing"),
    ]
    assert _rows(engine, "SELECT entry_id, value FROM score") == [(1, 81.5), (2, 70.0), (3, 64.0)]
    assert _rows(engine, "SELECT count(*) FROM session_seat") == [(0,)]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE edition SET official_method = 'best' WHERE year = 2022"))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE entry SET status = 'gone' WHERE code = 'E1'"))
    command.downgrade(db.alembic_config(engine), "0005")
    assert _rows(engine, "SELECT entry_id, value FROM score") == [(1, 81.5), (2, 70.0), (3, 64.0)]
