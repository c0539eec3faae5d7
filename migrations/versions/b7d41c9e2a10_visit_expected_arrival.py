"""visits: when the technician on the way expects to arrive

Revision ID: b7d41c9e2a10
Revises: 9ecaa478b78b
Create Date: 2026-12-06 02:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7d41c9e2a10"
down_revision = "9ecaa478b78b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expected_arrival_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("expected_arrival_at")
