"""Panels per session and per entry, an edition's official method, withdrawn/absent entries, sign-in sessions
that survive a reload, projector display links and an edition logo.

Existing editions keep working unchanged: no seats and no assignments mean every juror of the panel is
expected on every entry (as before), every edition's official method is the mean, every entry competes.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Written out: a migration must not change when the code's sets grow later.
METHODS = "'mean', 'median', 'trimmed', 'zscore', 'adjusted'"
ENTRY_STATUSES = "'competing', 'withdrawn', 'absent'"


def upgrade() -> None:
    op.create_table(
        "display_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("display_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_display_link_edition_id"), ["edition_id"], unique=False)

    op.create_table(
        "edition_logo",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("edition_id"),
    )
    op.create_table(
        "assignment",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            name="fk_assignment_panel",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id", "edition_id"], ["entry.id", "entry.edition_id"], name="fk_assignment_entry", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entry_id", "juror_id"),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index("ix_assignment_edition", ["edition_id"], unique=False)

    op.create_table(
        "session_seat",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("room", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("day > 0", name="ck_session_seat_day"),
        sa.CheckConstraint("length(trim(room)) > 0", name="ck_session_seat_room"),
        sa.ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            name="fk_session_seat_panel",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("edition_id", "day", "room", "juror_id"),
    )
    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_session_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "official_method", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="mean"
            )
        )
        batch_op.add_column(sa.Column("event_title", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("reveal_step", sa.Integer(), nullable=True))
        batch_op.create_check_constraint("ck_edition_official_method", f"official_method IN ({METHODS})")

    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="competing")
        )
        batch_op.add_column(sa.Column("status_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_check_constraint("ck_entry_status", f"status IN ({ENTRY_STATUSES})")


def downgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_constraint("ck_entry_status", type_="check")
        batch_op.drop_column("status_reason")
        batch_op.drop_column("status")

    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.drop_constraint("ck_edition_official_method", type_="check")
        batch_op.drop_column("reveal_step")
        batch_op.drop_column("event_title")
        batch_op.drop_column("official_method")

    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_session_user_id"))

    op.drop_table("sign_in_session")
    op.drop_table("session_seat")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_edition")

    op.drop_table("assignment")
    op.drop_table("edition_logo")
    with op.batch_alter_table("display_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_display_link_edition_id"))

    op.drop_table("display_link")
