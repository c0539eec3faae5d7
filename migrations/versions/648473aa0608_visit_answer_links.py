"""visit answer links: the confirm / reschedule / cancel links in visit e-mails (hashed tokens),
and the customer's answer when one is used

Revision ID: 648473aa0608
Revises: b7d41c9e2a10
Create Date: 2026-12-06 02:12:34.735723

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "648473aa0608"
down_revision = "b7d41c9e2a10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "visit_answer_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "confirm",
                "reschedule",
                "cancel",
                name="visitanswer",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_answer_links_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_answer_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_visit_answer_links_token_hash")),
    )
    with op.batch_alter_table("visit_answer_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visit_answer_links_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_visit_answer_links_used_at"), ["used_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_visit_answer_links_visit_id"), ["visit_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("visit_answer_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_answer_links_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visit_answer_links_used_at"))
        batch_op.drop_index(batch_op.f("ix_visit_answer_links_created_at"))

    op.drop_table("visit_answer_links")
