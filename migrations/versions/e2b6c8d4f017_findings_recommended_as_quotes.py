"""findings recommended as quotes: the job a quote was found on, who recommended it, its photos

Revision ID: e2b6c8d4f017
Revises: a6d3e9f2b417
Create Date: 2026-12-06 05:35:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e2b6c8d4f017"
down_revision = "a6d3e9f2b417"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("found_on_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recommended_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_quotes_found_on_id"), ["found_on_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_quotes_recommended_by_id"), ["recommended_by_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_quotes_found_on_id_work_orders"), "work_orders", ["found_on_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_quotes_recommended_by_id_staff_users"),
            "staff_users",
            ["recommended_by_id"],
            ["id"],
        )
    with op.batch_alter_table("work_order_photos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quote_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_work_order_photos_quote_id"), ["quote_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_work_order_photos_quote_id_quotes"), "quotes", ["quote_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("work_order_photos", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_work_order_photos_quote_id_quotes"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_work_order_photos_quote_id"))
        batch_op.drop_column("quote_id")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_quotes_recommended_by_id_staff_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_quotes_found_on_id_work_orders"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_quotes_recommended_by_id"))
        batch_op.drop_index(batch_op.f("ix_quotes_found_on_id"))
        batch_op.drop_column("recommended_by_id")
        batch_op.drop_column("found_on_id")
