"""Sign-in throttling per client and per typed name, session epochs, accounts set by demo sessions.

Failed sign-ins move from the account row to ``sign_in_throttle`` (one row per typed name
and client, and one per name for all clients); counts already on accounts are kept there.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ALL_CLIENTS = "*"


def upgrade() -> None:
    throttle = op.create_table(
        "sign_in_throttle",
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("failures >= 0", name="ck_throttle_failures"),
        sa.PrimaryKeyConstraint("username", "client"),
    )
    with op.batch_alter_table("sign_in_throttle", schema=None) as batch_op:
        batch_op.create_index("ix_throttle_updated_at", ["updated_at"], unique=False)

    users = sa.table(
        "app_user",
        sa.column("username", sa.String()),
        sa.column("failed_attempts", sa.Integer()),
        sa.column("locked_until", sa.DateTime(timezone=True)),
    )
    op.execute(
        throttle.insert().from_select(
            ["username", "client", "failures", "blocked_until", "updated_at"],
            sa.select(
                users.c.username,
                sa.literal(ALL_CLIENTS),
                users.c.failed_attempts,
                users.c.locked_until,
                sa.func.current_timestamp(),
            ).where(users.c.failed_attempts > 0),
        )
    )

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("set_by_demo", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint("ck_user_failed_attempts", type_="check")
        batch_op.drop_column("failed_attempts")
        batch_op.drop_column("locked_until")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("set_by_demo", server_default=None)
        batch_op.alter_column("session_epoch", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint("ck_user_failed_attempts", "failed_attempts >= 0")
        batch_op.drop_column("session_epoch")
        batch_op.drop_column("set_by_demo")
    op.drop_table("sign_in_throttle")
