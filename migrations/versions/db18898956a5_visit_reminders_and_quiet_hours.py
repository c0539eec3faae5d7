"""visit reminders and quiet hours: one row per visit and arrival time reminded; the company's
reminder lead time and quiet hours

Revision ID: db18898956a5
Revises: c3a8e5f1d240
Create Date: 2026-12-06 02:28:26.095704

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "db18898956a5"
down_revision = "c3a8e5f1d240"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "visit_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("arrival_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_reminders_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_reminders")),
        sa.UniqueConstraint("visit_id", "arrival_start", name=op.f("uq_visit_reminders_visit_id")),
    )
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminder_hours_before", sa.Integer(), server_default="24", nullable=False)
        )
        batch_op.add_column(
            sa.Column("quiet_hours_start", sa.Time(), server_default="21:00:00", nullable=False)
        )
        batch_op.add_column(
            sa.Column("quiet_hours_end", sa.Time(), server_default="08:00:00", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.drop_column("quiet_hours_end")
        batch_op.drop_column("quiet_hours_start")
        batch_op.drop_column("reminder_hours_before")

    op.drop_table("visit_reminders")
