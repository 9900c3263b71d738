"""Covering index for reading an edition's scores (edition, entry, juror, criterion, value).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index("ix_score_edition")
        batch_op.create_index(
            "ix_score_edition", ["edition_id", "entry_id", "juror_id", "criterion_id", "value"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index("ix_score_edition")
        batch_op.create_index("ix_score_edition", ["edition_id", "entry_id"], unique=False)
