"""visits may be tentative (booked from a sticker, holding the slot until the office confirms);
the company turns sticker booking on and says how long a tentative visit is held

Revision ID: d4b9f2a6c351
Revises: 33f64a15dc33
Create Date: 2026-12-06 02:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d4b9f2a6c351"
down_revision = "33f64a15dc33"
branch_labels = None
depends_on = None

BEFORE = ("scheduled", "confirmed", "en_route", "on_site", "done", "cancelled", "no_access")
AFTER = ("tentative", *BEFORE)
TABLES = ("visits", "visit_status_changes")


def _statuses(values):
    return sa.Enum(
        *values, name="visitstatus", native_enum=False, create_constraint=True, length=32
    )


def _allow(values, was):
    """Rebuild each table's status CHECK for these values: SQLite copies the table (batch),
    PostgreSQL swaps the constraint."""
    for table in TABLES:
        if op.get_bind().dialect.name == "sqlite":
            with op.batch_alter_table(table, recreate="always") as batch_op:
                batch_op.alter_column(
                    "status",
                    existing_type=_statuses(was),
                    type_=_statuses(values),
                    existing_nullable=False,
                )
        else:
            name = op.f(f"ck_{table}_visitstatus")
            op.drop_constraint(name, table, type_="check")
            allowed = ", ".join(f"'{value}'" for value in values)
            op.create_check_constraint(name, table, f"status IN ({allowed})")


def upgrade():
    _allow(AFTER, BEFORE)
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sticker_booking", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("tentative_hold_minutes", sa.Integer(), server_default="120", nullable=False)
        )


def downgrade():
    # Tentative visits were never confirmed: they go as released holds.
    for table in TABLES:
        op.execute(f"UPDATE {table} SET status = 'cancelled' WHERE status = 'tentative'")
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.drop_column("tentative_hold_minutes")
        batch_op.drop_column("sticker_booking")
    _allow(BEFORE, AFTER)
