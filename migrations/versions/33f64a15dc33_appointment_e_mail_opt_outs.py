"""appointment e-mail opt-outs: a portal user turns off visit e-mails about one property

Revision ID: 33f64a15dc33
Revises: db18898956a5
Create Date: 2026-12-06 02:37:35.900975

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "33f64a15dc33"
down_revision = "db18898956a5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "appointment_email_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("portal_user_id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["portal_user_id"],
            ["portal_users.id"],
            name=op.f("fk_appointment_email_opt_outs_portal_user_id_portal_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_appointment_email_opt_outs_property_id_properties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_email_opt_outs")),
        sa.UniqueConstraint(
            "portal_user_id",
            "property_id",
            name=op.f("uq_appointment_email_opt_outs_portal_user_id"),
        ),
    )
    with op.batch_alter_table("appointment_email_opt_outs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_email_opt_outs_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_appointment_email_opt_outs_property_id"), ["property_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("appointment_email_opt_outs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_email_opt_outs_property_id"))
        batch_op.drop_index(batch_op.f("ix_appointment_email_opt_outs_created_at"))

    op.drop_table("appointment_email_opt_outs")
