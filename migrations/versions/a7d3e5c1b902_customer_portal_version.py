"""customers.portal_version: counts the changes to what a customer's portal shows, so a page
kept rendered for them is known to be current

Revision ID: a7d3e5c1b902
Revises: c3f8a1d6e240
Create Date: 2026-12-07 17:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7d3e5c1b902"
down_revision = "c3f8a1d6e240"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("portal_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("portal_version")
