"""taxable lines: each work-order, quote and invoice line says whether sales tax applies

Revision ID: b7e4c2a9d513
Revises: b7e4c2a9d153
Create Date: 2026-12-06 20:05:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7e4c2a9d513"
down_revision = "b7e4c2a9d153"
branch_labels = None
depends_on = None

TABLES = ("work_order_lines", "quote_lines", "invoice_lines")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("taxable", sa.Boolean(), server_default=sa.true(), nullable=False)
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("taxable")
