"""void invoices free their job lines: the lines of an invoice already void stop naming the
work-order lines they billed, so those can be invoiced again

Revision ID: c3f8a1d6e240
Revises: b7e4c2a9d513
Create Date: 2026-12-06 20:06:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "c3f8a1d6e240"
down_revision = "b7e4c2a9d513"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE invoice_lines SET work_order_line_id = NULL"
        " WHERE invoice_id IN (SELECT id FROM invoices WHERE status = 'void')"
    )


def downgrade():
    """The links a void invoice let go of are not kept (the audit log names them)."""
