"""Competition core: editions, units, entries, jurors and panels, criteria, scores, feedback.

Revision ID: 0001
Revises: (none)
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("award_date", sa.Date(), nullable=True),
        sa.Column(
            "status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column("award_tiers", sa.JSON(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("frozen_leaderboard", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'scoring', 'locked', 'published')",
            name="ck_edition_status",
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="ck_edition_dates",
        ),
        sa.CheckConstraint("ordinal IS NULL OR ordinal > 0", name="ck_edition_ordinal"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_edition_year"), ["year"], unique=True)

    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.CheckConstraint(
            "type IN ('dinas', 'badan', 'upt', 'puskesmas', 'sekolah', 'kecamatan', 'kelurahan', 'bumd', 'other')",
            name="ck_institution_type",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_name"), ["name"], unique=True)

    op.create_table(
        "juror",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("affiliation", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("juror", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_juror_name"), ["name"], unique=True)

    op.create_table(
        "entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("room", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint("day IS NULL OR day > 0", name="ck_entry_day"),
        sa.CheckConstraint("length(trim(code)) > 0", name="ck_entry_code_not_empty"),
        sa.CheckConstraint("slot IS NULL OR slot > 0", name="ck_entry_slot"),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institution.id"], ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("edition_id", "code", name="uq_entry_edition_code"),
        sa.UniqueConstraint("id", "edition_id", name="uq_entry_id_edition"),
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entry_edition_id"), ["edition_id"], unique=False
        )
        batch_op.create_index("ix_entry_institution", ["institution_id"], unique=False)

    op.create_table(
        "panel_member",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.CheckConstraint("seat > 0", name="ck_panel_seat"),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["juror_id"], ["juror.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("edition_id", "juror_id"),
    )

    op.create_table(
        "criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "length(trim(name)) > 0", name="ck_criterion_name_not_empty"
        ),
        sa.CheckConstraint("max_score > 0", name="ck_criterion_max_positive"),
        sa.CheckConstraint("weight > 0", name="ck_criterion_weight_positive"),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("edition_id", "name", name="uq_criterion_edition_name"),
        sa.UniqueConstraint(
            "id", "edition_id", "max_score", name="uq_criterion_id_edition_max"
        ),
    )
    with op.batch_alter_table("criterion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criterion_edition_id"), ["edition_id"], unique=False
        )

    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("entered_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value <= max_score", name="ck_score_within_max"),
        sa.CheckConstraint("value >= 0", name="ck_score_not_negative"),
        sa.ForeignKeyConstraint(
            ["criterion_id", "edition_id", "max_score"],
            ["criterion.id", "criterion.edition_id", "criterion.max_score"],
            name="fk_score_criterion",
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            name="fk_score_panel",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id", "edition_id"],
            ["entry.id", "entry.edition_id"],
            name="fk_score_entry",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "entry_id", "juror_id", "criterion_id", name="uq_score_sheet_cell"
        ),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index("ix_score_criterion", ["criterion_id"], unique=False)
        batch_op.create_index(
            "ix_score_edition", ["edition_id", "entry_id"], unique=False
        )
        batch_op.create_index("ix_score_juror", ["juror_id"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id", "juror_id"],
            ["panel_member.edition_id", "panel_member.juror_id"],
            name="fk_feedback_panel",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id", "edition_id"],
            ["entry.id", "entry.edition_id"],
            name="fk_feedback_entry",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "juror_id"),
    )


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("score")
    op.drop_table("criterion")
    op.drop_table("panel_member")
    op.drop_table("entry")
    op.drop_table("juror")
    op.drop_table("institution")
    op.drop_table("edition")
