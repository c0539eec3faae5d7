"""staff photo: the portrait customers see when their technician is on the way

Revision ID: b8d2f4a6c1e3
Revises: a7c9e1b3d5f2
Create Date: 2026-12-06 03:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b8d2f4a6c1e3"
down_revision = "a7c9e1b3d5f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff_users") as batch_op:
        batch_op.add_column(sa.Column("photo_key", sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table("staff_users") as batch_op:
        batch_op.drop_column("photo_key")
