"""job page sends: the keys of the notes, lines and photos the job page's outbox sent and the
office saved, so one sent again after its answer was lost is not saved twice

Revision ID: b7e4c2a9d153
Revises: e2b6c8d4f017
Create Date: 2026-12-06 20:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7e4c2a9d153"
down_revision = "e2b6c8d4f017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_page_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_job_page_sends_work_order_id_work_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_page_sends")),
        sa.UniqueConstraint("work_order_id", "key", name=op.f("uq_job_page_sends_work_order_id")),
    )
    with op.batch_alter_table("job_page_sends", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_page_sends_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_job_page_sends_work_order_id"), ["work_order_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("job_page_sends", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_page_sends_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_job_page_sends_created_at"))
    op.drop_table("job_page_sends")
