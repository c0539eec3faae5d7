"""company: portal users may book an open window themselves

Revision ID: c3a8e5f1d240
Revises: 648473aa0608
Create Date: 2026-12-06 02:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c3a8e5f1d240"
down_revision = "648473aa0608"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "portal_self_booking", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.drop_column("portal_self_booking")
