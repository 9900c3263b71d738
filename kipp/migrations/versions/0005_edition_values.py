"""A unit's type and a juror's affiliation are kept per edition: on the entry and on the panel seat.

Both used to be stored once (``institution.type``, ``juror.affiliation``) and shared by every
edition, so an import into a new edition rewrote what published editions show.  Every entry
takes its unit's current type and every panel seat its juror's affiliation before the old
columns go; the downgrade puts them back from the latest edition that has them.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UNIT_TYPES = "'dinas', 'badan', 'upt', 'puskesmas', 'sekolah', 'kecamatan', 'kelurahan', 'bumd', 'other'"


def upgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("institution_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.execute(
        "UPDATE entry SET institution_type = (SELECT type FROM institution WHERE institution.id = entry.institution_id)"
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.alter_column(
            "institution_type", existing_type=sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        )
        batch_op.create_check_constraint("ck_entry_institution_type", f"institution_type IN ({UNIT_TYPES})")

    with op.batch_alter_table("panel_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("affiliation", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.execute(
        "UPDATE panel_member SET affiliation = (SELECT affiliation FROM juror WHERE juror.id = panel_member.juror_id)"
    )

    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_constraint("ck_institution_type", type_="check")
        batch_op.drop_column("type")
    with op.batch_alter_table("juror", schema=None) as batch_op:
        batch_op.drop_column("affiliation")


def downgrade() -> None:
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.execute(
        "UPDATE institution SET type = COALESCE((SELECT entry.institution_type FROM entry "
        "WHERE entry.institution_id = institution.id ORDER BY entry.edition_id DESC LIMIT 1), 'other')"
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.alter_column("type", existing_type=sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False)
        batch_op.create_check_constraint("ck_institution_type", f"type IN ({UNIT_TYPES})")

    with op.batch_alter_table("juror", schema=None) as batch_op:
        batch_op.add_column(sa.Column("affiliation", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.execute(
        "UPDATE juror SET affiliation = (SELECT panel_member.affiliation FROM panel_member "
        "WHERE panel_member.juror_id = juror.id AND panel_member.affiliation IS NOT NULL "
        "ORDER BY panel_member.edition_id DESC LIMIT 1)"
    )

    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_constraint("ck_entry_institution_type", type_="check")
        batch_op.drop_column("institution_type")
    with op.batch_alter_table("panel_member", schema=None) as batch_op:
        batch_op.drop_column("affiliation")
