"""work-order lines from the price book: the item a line was chosen from

Revision ID: a7c9e1b3d5f2
Revises: f1a2b3c4d5e6
Create Date: 2026-12-06 03:05:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7c9e1b3d5f2"
down_revision = "f1a2b3c4d5e6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("work_order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("price_book_item_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_work_order_lines_price_book_item_id"),
            ["price_book_item_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_work_order_lines_price_book_item_id_price_book_items"),
            "price_book_items",
            ["price_book_item_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("work_order_lines", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_work_order_lines_price_book_item_id_price_book_items"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_work_order_lines_price_book_item_id"))
        batch_op.drop_column("price_book_item_id")
