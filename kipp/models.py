"""SQLModel tables: the only schema of the KIPP database.

Integrity lives in the schema itself, not only in the code that writes: every score
carries its edition and its criterion's maximum, so composite foreign keys guarantee
that the entry, juror (through the panel) and criterion all belong to the same edition,
and a CHECK guarantees 0 <= score <= max_score.  Changing a criterion's maximum cascades
into its scores and is refused if a stored score would exceed the new maximum.

Every change to these classes needs an Alembic revision in ``kipp/migrations/versions``
(``tests/test_migrations.py`` fails when the two disagree).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from kipp.choices import METHODS, Role


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC, the only clock the database stores."""
    return dt.datetime.now(dt.UTC)


def _timestamp(nullable: bool = False, default: bool = True) -> Any:
    """A timezone-aware timestamp column (UTC)."""
    return Field(
        default_factory=utcnow if default else None,
        sa_type=DateTime(timezone=True),
        nullable=nullable,
    )


class EditionStatus(StrEnum):
    """Lifecycle of an edition: draft -> scoring -> locked -> published."""

    draft = "draft"
    scoring = "scoring"
    locked = "locked"
    published = "published"


class InstitutionType(StrEnum):
    """Kinds of Kota Malang government units that may enter KIPP."""

    dinas = "dinas"
    badan = "badan"
    upt = "upt"
    puskesmas = "puskesmas"
    sekolah = "sekolah"
    kecamatan = "kecamatan"
    kelurahan = "kelurahan"
    bumd = "bumd"
    other = "other"


class EntryStatus(StrEnum):
    """Whether an entry is still in the competition: withdrawn and absent entries leave the ranking."""

    competing = "competing"
    withdrawn = "withdrawn"  # the unit withdrew its innovation
    absent = "absent"  # the unit did not present on its day


class Round(StrEnum):
    """Later competition rounds an entry can advance to."""

    kovablik = "KOVABLIK"
    sinovik = "SINOVIK"


def default_award_tiers() -> list[dict[str, Any]]:
    """A new edition's award tiers: a copy of kipp.scoring.DEFAULT_TIERS, the one default.

    Imported on call: scoring brings pandas, which the models alone do not need.
    """
    from kipp.scoring import DEFAULT_TIERS

    return [dict(tier) for tier in DEFAULT_TIERS]


def _in(column: str, enum: type[StrEnum]) -> str:
    """SQL for `column IN (...)` over an enum's values (portable CHECK)."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"


class Edition(SQLModel, table=True):
    """One yearly KIPP competition."""

    __table_args__ = (
        CheckConstraint(_in("status", EditionStatus), name="ck_edition_status"),
        CheckConstraint("ordinal IS NULL OR ordinal > 0", name="ck_edition_ordinal"),
        CheckConstraint(
            "official_method IN (" + ", ".join(f"'{method}'" for method in METHODS) + ")",
            name="ck_edition_official_method",
        ),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="ck_edition_dates",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True, index=True)
    ordinal: int | None = None
    name: str
    venue: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    award_date: dt.date | None = None
    status: str = Field(default=EditionStatus.draft.value, max_length=16)
    award_tiers: list[dict[str, Any]] = Field(
        default_factory=default_award_tiers,
        sa_column=Column(JSON, nullable=False),
    )
    is_demo: bool = False
    # The scoring method of the published ranking: the default of every page, document and command.
    official_method: str = Field(default="mean", max_length=16)
    # Shown large on the big screen and the ceremony reveal (e.g. "Malang Innovation Award 2024").
    event_title: str | None = None
    # Bumped by every write that changes results; pages cache by (edition, data_version).
    data_version: int = 0
    # Freeze/reveal: while frozen_at is set, public screens show frozen_leaderboard.
    frozen_at: dt.datetime | None = _timestamp(nullable=True, default=False)
    frozen_leaderboard: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The ceremony reveal: how many steps of the frozen board every big screen shows (None: no ceremony running).
    reveal_step: int | None = None
    created_at: dt.datetime = _timestamp()


class Institution(SQLModel, table=True):
    """A city unit (perangkat daerah, school, puskesmas, kelurahan, BUMD …), one name across editions.

    What kind of unit it was is kept per edition, on its entries, so a later edition never changes an earlier one.
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)


class Entry(SQLModel, table=True):
    """An innovation presented in one edition."""

    __table_args__ = (
        UniqueConstraint("edition_id", "code", name="uq_entry_edition_code"),
        # Target of composite foreign keys that keep scores inside one edition.
        UniqueConstraint("id", "edition_id", name="uq_entry_id_edition"),
        CheckConstraint("length(trim(code)) > 0", name="ck_entry_code_not_empty"),
        CheckConstraint("day IS NULL OR day > 0", name="ck_entry_day"),
        CheckConstraint("slot IS NULL OR slot > 0", name="ck_entry_slot"),
        CheckConstraint(_in("institution_type", InstitutionType), name="ck_entry_institution_type"),
        CheckConstraint(_in("status", EntryStatus), name="ck_entry_status"),
        Index("ix_entry_institution", "institution_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", ondelete="CASCADE", index=True)
    code: str
    title: str
    institution_id: int = Field(foreign_key="institution.id", ondelete="RESTRICT")
    # The unit's type in this edition (a unit may be reorganised between editions).
    institution_type: str = Field(default=InstitutionType.other.value, max_length=16)
    category: str | None = None
    day: int | None = None
    room: str | None = None
    slot: int | None = None
    summary: str | None = None
    # Withdrawn or absent entries leave the ranking; the reason is kept here and in the audit log.
    status: str = Field(default=EntryStatus.competing.value, max_length=16)
    status_reason: str | None = None


class Juror(SQLModel, table=True):
    """A person who sits on one or more panels; their affiliation is kept per edition, on the panel seat."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)


class PanelMember(SQLModel, table=True):
    """A juror's seat on an edition's panel (dewan juri)."""

    __tablename__ = "panel_member"
    __table_args__ = (CheckConstraint("seat > 0", name="ck_panel_seat"),)

    edition_id: int = Field(foreign_key="edition.id", ondelete="CASCADE", primary_key=True)
    juror_id: int = Field(foreign_key="juror.id", ondelete="RESTRICT", primary_key=True)
    seat: int = 1
    affiliation: str | None = None  # as it was in this edition


class SessionSeat(SQLModel, table=True):
    """A juror sitting in one session (a day in a room): assigned to every entry presented there.

    A session with no seats leaves its entries to the whole edition panel.
    """

    __tablename__ = "session_seat"
    __table_args__ = (
        ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            ondelete="CASCADE",
            name="fk_session_seat_panel",
        ),
        CheckConstraint("day > 0", name="ck_session_seat_day"),
        CheckConstraint("length(trim(room)) > 0", name="ck_session_seat_room"),
    )

    edition_id: int = Field(primary_key=True)
    day: int = Field(primary_key=True)
    room: str = Field(primary_key=True)
    juror_id: int = Field(primary_key=True)


class Assignment(SQLModel, table=True):
    """An entry's own juror (evaluator): when an entry has any, they alone are its panel."""

    __table_args__ = (
        ForeignKeyConstraint(
            ["entry_id", "edition_id"],
            ["entry.id", "entry.edition_id"],
            ondelete="CASCADE",
            name="fk_assignment_entry",
        ),
        ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            ondelete="CASCADE",
            name="fk_assignment_panel",
        ),
        Index("ix_assignment_edition", "edition_id"),
    )

    edition_id: int
    entry_id: int = Field(primary_key=True)
    juror_id: int = Field(primary_key=True)


class Criterion(SQLModel, table=True):
    """A scoring criterion of an edition with its weight and maximum."""

    __table_args__ = (
        UniqueConstraint("edition_id", "name", name="uq_criterion_edition_name"),
        UniqueConstraint("id", "edition_id", "max_score", name="uq_criterion_id_edition_max"),
        CheckConstraint("weight > 0", name="ck_criterion_weight_positive"),
        CheckConstraint("max_score > 0", name="ck_criterion_max_positive"),
        CheckConstraint("length(trim(name)) > 0", name="ck_criterion_name_not_empty"),
    )

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", ondelete="CASCADE", index=True)
    name: str
    weight: float
    max_score: float = 100.0
    position: int = 0
    description: str | None = None


class Score(SQLModel, table=True):
    """One juror's score of one entry on one criterion."""

    __table_args__ = (
        UniqueConstraint("entry_id", "juror_id", "criterion_id", name="uq_score_sheet_cell"),
        CheckConstraint("value >= 0", name="ck_score_not_negative"),
        CheckConstraint("value <= max_score", name="ck_score_within_max"),
        ForeignKeyConstraint(
            ["entry_id", "edition_id"],
            ["entry.id", "entry.edition_id"],
            ondelete="CASCADE",
            name="fk_score_entry",
        ),
        ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            ondelete="RESTRICT",
            name="fk_score_panel",
        ),
        ForeignKeyConstraint(
            ["criterion_id", "edition_id", "max_score"],
            ["criterion.id", "criterion.edition_id", "criterion.max_score"],
            ondelete="CASCADE",
            onupdate="CASCADE",
            name="fk_score_criterion",
        ),
        # Covering index: an edition's scores are read from the index alone (the leaderboard's query).
        Index("ix_score_edition", "edition_id", "entry_id", "juror_id", "criterion_id", "value"),
        Index("ix_score_juror", "juror_id"),
        Index("ix_score_criterion", "criterion_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int
    entry_id: int
    juror_id: int
    criterion_id: int
    max_score: float
    value: float
    entered_by: str | None = None
    created_at: dt.datetime = _timestamp()
    updated_at: dt.datetime = _timestamp()


class Feedback(SQLModel, table=True):
    """A juror's written feedback (masukan) on an entry."""

    __table_args__ = (
        ForeignKeyConstraint(
            ["entry_id", "edition_id"],
            ["entry.id", "entry.edition_id"],
            ondelete="CASCADE",
            name="fk_feedback_entry",
        ),
        ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            ondelete="RESTRICT",
            name="fk_feedback_panel",
        ),
    )

    edition_id: int
    entry_id: int = Field(primary_key=True)
    juror_id: int = Field(primary_key=True)
    text: str
    updated_at: dt.datetime = _timestamp()


class Recusal(SQLModel, table=True):
    """A juror who does not score an entry (conflict of interest)."""

    __table_args__ = (
        ForeignKeyConstraint(
            ["entry_id", "edition_id"],
            ["entry.id", "entry.edition_id"],
            ondelete="CASCADE",
            name="fk_recusal_entry",
        ),
        ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            ondelete="CASCADE",
            name="fk_recusal_panel",
        ),
    )

    edition_id: int
    entry_id: int = Field(primary_key=True)
    juror_id: int = Field(primary_key=True)
    reason: str | None = None
    created_at: dt.datetime = _timestamp()


class User(SQLModel, table=True):
    """A sign-in account; jurors are linked to their juror record."""

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(_in("role", Role), name="ck_user_role"),
        CheckConstraint("role <> 'juror' OR juror_id IS NOT NULL", name="ck_user_juror_linked"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    display_name: str | None = None
    role: str = Field(max_length=16)
    juror_id: int | None = Field(default=None, foreign_key="juror.id", ondelete="SET NULL")
    password_hash: str
    is_demo_password: bool = False
    # Created, or its password last set, by a session of a demo account: blocked like one.
    set_by_demo: bool = False
    active: bool = True
    # Bumped when the password changes or the account is deactivated: older sessions end.
    session_epoch: int = 0
    last_login_at: dt.datetime | None = _timestamp(nullable=True, default=False)
    created_at: dt.datetime = _timestamp()


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins in a row for a typed username, from one client or (client "*") from all.

    Kept for any name typed, whether or not the account exists, so that the answer does
    not tell which usernames exist.
    """

    __tablename__ = "sign_in_throttle"
    __table_args__ = (
        CheckConstraint("failures >= 0", name="ck_throttle_failures"),
        Index("ix_throttle_updated_at", "updated_at"),
    )

    username: str = Field(primary_key=True, max_length=64)
    client: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    blocked_until: dt.datetime | None = _timestamp(nullable=True, default=False)
    updated_at: dt.datetime = _timestamp()


class SignInSession(SQLModel, table=True):
    """A signed-in browser: the SHA-256 of the random token its cookie holds, never the token itself.

    It ends when it expires, on sign-out (the row is deleted), and when the account's
    ``session_epoch`` moves past the one recorded here (password change, deactivation).
    """

    __tablename__ = "sign_in_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE", index=True)
    session_epoch: int
    created_at: dt.datetime = _timestamp()
    expires_at: dt.datetime = _timestamp(default=False)
    last_seen_at: dt.datetime = _timestamp()


class DisplayLink(SQLModel, table=True):
    """A read-only link that opens one edition's big screen without an account (a projector)."""

    __tablename__ = "display_link"

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    label: str
    created_by: str
    created_at: dt.datetime = _timestamp()
    revoked_at: dt.datetime | None = _timestamp(nullable=True, default=False)


class EditionLogo(SQLModel, table=True):
    """An edition's logo for the big screen and the ceremony reveal (its own table: editions are read often)."""

    __tablename__ = "edition_logo"

    edition_id: int = Field(foreign_key="edition.id", ondelete="CASCADE", primary_key=True)
    media_type: str = Field(max_length=32)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class AuditLog(SQLModel, table=True):
    """An append-only record of every change: who, when, what, old -> new, why."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_edition_at", "edition_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _timestamp()
    actor: str
    action: str
    edition_id: int | None = Field(default=None, foreign_key="edition.id", ondelete="SET NULL")
    entity: str
    entity_key: str
    old_value: str | None = None
    new_value: str | None = None
    reason: str | None = None


class Advancement(SQLModel, table=True):
    """An entry sent on to the provincial (KOVABLIK) or national (SINOVIK) round."""

    __table_args__ = (
        UniqueConstraint("entry_id", "round", name="uq_advancement_entry_round"),
        CheckConstraint(_in("round", Round), name="ck_advancement_round"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", ondelete="CASCADE", index=True)
    round: str = Field(max_length=16)
    year: int
    result: str | None = None


# An entry as every reader reads it (queries' entries frames, the export): the entry, its unit's name and
# the unit's type in that edition.
ENTRY_FIELDS = (
    Entry.id,
    Entry.code,
    Entry.title,
    Institution.name,
    Entry.institution_type,
    Entry.category,
    Entry.day,
    Entry.room,
    Entry.slot,
)
