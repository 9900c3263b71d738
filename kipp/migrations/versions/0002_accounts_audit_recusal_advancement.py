"""Accounts, audit log, recusals (conflict of interest) and advancement to KOVABLIK/SINOVIK.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("is_demo_password", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role <> 'juror' OR juror_id IS NOT NULL", name="ck_user_juror_linked"
        ),
        sa.CheckConstraint(
            "role IN ('organizer', 'juror', 'viewer')", name="ck_user_role"
        ),
        sa.CheckConstraint("failed_attempts >= 0", name="ck_user_failed_attempts"),
        sa.ForeignKeyConstraint(["juror_id"], ["juror.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_app_user_username"), ["username"], unique=True
        )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=True),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("entity_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("new_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_edition_at", ["edition_id", "at"], unique=False)

    op.create_table(
        "recusal",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            name="fk_recusal_panel",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id", "edition_id"],
            ["entry.id", "entry.edition_id"],
            name="fk_recusal_entry",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "juror_id"),
    )

    op.create_table(
        "advancement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("round", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "round IN ('KOVABLIK', 'SINOVIK')", name="ck_advancement_round"
        ),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id", "round", name="uq_advancement_entry_round"),
    )
    with op.batch_alter_table("advancement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advancement_entry_id"), ["entry_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("advancement")
    op.drop_table("recusal")
    op.drop_table("audit_log")
    op.drop_table("app_user")
