"""price book: the company's priced items; whether technicians may price lines and whether
lines outside the price book are allowed

Revision ID: f1a2b3c4d5e6
Revises: d4b9f2a6c351
Create Date: 2026-12-06 02:55:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f1a2b3c4d5e6"
down_revision = "d4b9f2a6c351"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "price_book_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=240), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "labor",
                "part",
                "equipment",
                "fee",
                "discount",
                name="linekind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("taxable", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_book_items")),
        sa.UniqueConstraint("code", name=op.f("uq_price_book_items_code")),
    )
    with op.batch_alter_table("price_book_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_price_book_items_active"), ["active"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_price_book_items_created_at"), ["created_at"], unique=False
        )
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "technicians_may_price", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("free_lines_allowed", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.drop_column("free_lines_allowed")
        batch_op.drop_column("technicians_may_price")

    with op.batch_alter_table("price_book_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_book_items_created_at"))
        batch_op.drop_index(batch_op.f("ix_price_book_items_active"))

    op.drop_table("price_book_items")
