"""work order sign-offs: the customer's signature on site (or why nobody signed), with the
fingerprint of the summary they were shown; earlier sign-offs stay on record

Revision ID: c5e7a9b1d3f4
Revises: b8d2f4a6c1e3
Create Date: 2026-12-06 05:15:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c5e7a9b1d3f4"
down_revision = "b8d2f4a6c1e3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "work_order_sign_offs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column(
            "method",
            sa.Enum(
                "drawn",
                "typed",
                "not_present",
                name="signoffmethod",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("signer_name", sa.String(length=120), nullable=False),
        sa.Column("signature_key", sa.String(length=255), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_work_order_sign_offs_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["staff_users.id"],
            name=op.f("fk_work_order_sign_offs_taken_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_work_order_sign_offs_visit_id_visits")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_sign_offs_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_sign_offs")),
    )
    with op.batch_alter_table("work_order_sign_offs", schema=None) as batch_op:
        for column in ("created_at", "document_id", "taken_by_id", "visit_id", "work_order_id"):
            batch_op.create_index(batch_op.f(f"ix_work_order_sign_offs_{column}"), [column])


def downgrade():
    op.drop_table("work_order_sign_offs")
