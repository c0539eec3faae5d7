"""job page: before/after on work-order photos, the confirmed time on site on visits

Revision ID: a6d3e9f2b417
Revises: c9e4a7b2d815
Create Date: 2026-12-06 05:25:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a6d3e9f2b417"
down_revision = "c9e4a7b2d815"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("work_order_photos", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stage",
                sa.Enum(
                    "before",
                    "after",
                    name="photostage",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_site_from", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("on_site_until", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("on_site_until")
        batch_op.drop_column("on_site_from")
    with op.batch_alter_table("work_order_photos", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_work_order_photos_photostage"), type_="check")
        batch_op.drop_column("stage")
