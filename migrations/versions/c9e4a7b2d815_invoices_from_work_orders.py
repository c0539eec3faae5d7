"""invoices from work orders: each work-order line invoiced once; issue at once or review

Revision ID: c9e4a7b2d815
Revises: c5e7a9b1d3f4
Create Date: 2026-12-06 05:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c9e4a7b2d815"
down_revision = "c5e7a9b1d3f4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("work_order_line_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_invoice_lines_work_order_line_id"), ["work_order_line_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_invoice_lines_work_order_line_id_work_order_lines"),
            "work_order_lines",
            ["work_order_line_id"],
            ["id"],
        )
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("invoice_at_once", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("invoice_due_days", sa.Integer(), server_default="30", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.drop_column("invoice_due_days")
        batch_op.drop_column("invoice_at_once")
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_invoice_lines_work_order_line_id_work_order_lines"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("uq_invoice_lines_work_order_line_id"), type_="unique"
        )
        batch_op.drop_column("work_order_line_id")
