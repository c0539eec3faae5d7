"""visits: a work order's scheduled start and end become its first visit; technicians'
working hours and time off; the company's arrival windows and booking limits

Revision ID: 9ecaa478b78b
Revises: 5c1f0a7e2d13
Create Date: 2026-12-05 18:58:46.642137

"""

import uuid
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9ecaa478b78b"
down_revision = "5c1f0a7e2d13"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "time_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["staff_users.id"],
            name=op.f("fk_time_off_technician_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_off")),
    )
    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_time_off_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_time_off_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_time_off_technician_id"), ["technician_id"], unique=False
        )

    op.create_table(
        "working_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["staff_users.id"],
            name=op.f("fk_working_hours_technician_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_hours")),
        sa.UniqueConstraint(
            "technician_id", "weekday", name=op.f("uq_working_hours_technician_id")
        ),
    )
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_working_hours_technician_id"), ["technician_id"], unique=False
        )

    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("lead_technician_id", sa.Integer(), nullable=True),
        sa.Column("arrival_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arrival_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "confirmed",
                "en_route",
                "on_site",
                "done",
                "cancelled",
                "no_access",
                name="visitstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("calendar_uid", sa.String(length=80), nullable=False),
        sa.Column("calendar_sequence", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_technician_id"],
            ["staff_users.id"],
            name=op.f("fk_visits_lead_technician_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"], ["work_orders.id"], name=op.f("fk_visits_work_order_id_work_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
        sa.UniqueConstraint("calendar_uid", name=op.f("uq_visits_calendar_uid")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visits_arrival_start"), ["arrival_start"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visits_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_visits_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_visits_technician_arrival", ["lead_technician_id", "arrival_start"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_visits_work_order_id"), ["work_order_id"], unique=False
        )

    op.create_table(
        "visit_helpers",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_users.id"],
            name=op.f("fk_visit_helpers_staff_user_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_helpers_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", "staff_user_id", name=op.f("pk_visit_helpers")),
    )
    with op.batch_alter_table("visit_helpers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visit_helpers_staff_user_id"), ["staff_user_id"], unique=False
        )

    op.create_table(
        "visit_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "confirmed",
                "en_route",
                "on_site",
                "done",
                "cancelled",
                "no_access",
                name="visitstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["staff_users.id"],
            name=op.f("fk_visit_status_changes_changed_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_status_changes_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_status_changes")),
    )
    with op.batch_alter_table("visit_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visit_status_changes_changed_by_id"), ["changed_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_visit_status_changes_visit_id"), ["visit_id"], unique=False
        )

    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "arrival_windows",
                sa.String(length=200),
                server_default="08:00-10:00,10:00-12:00,12:00-14:00,14:00-16:00",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("booking_days_ahead", sa.Integer(), server_default="14", nullable=False)
        )
        batch_op.add_column(
            sa.Column("booking_notice_hours", sa.Integer(), server_default="24", nullable=False)
        )

    _visits_from_scheduled_work_orders()

    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_orders_scheduled_start"))
        batch_op.drop_index(batch_op.f("ix_work_orders_technician_schedule"))
        batch_op.drop_column("scheduled_end")
        batch_op.drop_column("scheduled_start")


# What a work order's status says about the visit it had.
VISIT_STATUS_OF = {"completed": "done", "cancelled": "cancelled", "in_progress": "on_site"}
# A work order with a start and no end gets the usual two-hour window.
DEFAULT_WINDOW = timedelta(hours=2)


def _visits_from_scheduled_work_orders():
    """Each work order with a scheduled start gets one visit over the same window, with its
    technician as the lead and a first status change; the visit takes the work order's id
    (the table is new), so its status change can name it without reading ids back."""
    work_orders = sa.table(
        "work_orders",
        sa.column("id", sa.Integer),
        sa.column("technician_id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("scheduled_start", sa.DateTime(timezone=True)),
        sa.column("scheduled_end", sa.DateTime(timezone=True)),
        sa.column("completed_at", sa.DateTime(timezone=True)),
    )
    visits = sa.table(
        "visits",
        *(sa.column(name, sa.Integer) for name in ("id", "work_order_id", "lead_technician_id")),
        *(sa.column(name, sa.DateTime(timezone=True)) for name in ("arrival_start", "arrival_end")),
        sa.column("duration_minutes", sa.Integer),
        sa.column("status", sa.String),
        sa.column("status_changed_at", sa.DateTime(timezone=True)),
        sa.column("calendar_uid", sa.String),
        sa.column("calendar_sequence", sa.Integer),
        sa.column("notes", sa.Text),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    changes = sa.table(
        "visit_status_changes",
        sa.column("visit_id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("changed_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    scheduled = bind.execute(
        sa.select(work_orders).where(work_orders.c.scheduled_start.is_not(None))
    ).all()
    now = datetime.now(timezone.utc)
    if bind.dialect.name == "sqlite":  # SQLite keeps UTC without an offset
        now = now.replace(tzinfo=None)
    rows = []
    for order in scheduled:
        start = order.scheduled_start
        end = (
            order.scheduled_end
            if order.scheduled_end and order.scheduled_end > start
            else start + DEFAULT_WINDOW
        )
        status = VISIT_STATUS_OF.get(order.status, "scheduled")
        rows.append(
            {
                "id": order.id,
                "work_order_id": order.id,
                "lead_technician_id": order.technician_id,
                "arrival_start": start,
                "arrival_end": end,
                "duration_minutes": max(30, min(int((end - start).total_seconds() // 60), 120)),
                "status": status,
                "status_changed_at": order.completed_at or now,
                "calendar_uid": f"{uuid.uuid4()}@tuffops",
                "calendar_sequence": 0,
                "notes": "",
                "created_at": now,
            }
        )
    if not rows:
        return
    op.bulk_insert(visits, rows)
    op.bulk_insert(
        changes,
        [
            {"visit_id": row["id"], "status": row["status"], "changed_at": row["status_changed_at"]}
            for row in rows
        ],
    )
    if bind.dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('visits', 'id'), (SELECT max(id) FROM visits))"
        )


def downgrade():
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheduled_start", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("scheduled_end", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_work_orders_technician_schedule"),
            ["technician_id", "scheduled_start"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_work_orders_scheduled_start"), ["scheduled_start"], unique=False
        )

    # The first visit that was not cancelled goes back onto its work order.
    first_visit = (
        "(SELECT {column} FROM visits WHERE visits.work_order_id = work_orders.id"
        " AND visits.status != 'cancelled' ORDER BY arrival_start LIMIT 1)"
    )
    op.execute(
        "UPDATE work_orders SET scheduled_start = "
        + first_visit.format(column="arrival_start")
        + ", scheduled_end = "
        + first_visit.format(column="arrival_end")
    )

    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.drop_column("booking_notice_hours")
        batch_op.drop_column("booking_days_ahead")
        batch_op.drop_column("arrival_windows")

    with op.batch_alter_table("visit_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_status_changes_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visit_status_changes_changed_by_id"))

    op.drop_table("visit_status_changes")
    with op.batch_alter_table("visit_helpers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_helpers_staff_user_id"))

    op.drop_table("visit_helpers")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visits_work_order_id"))
        batch_op.drop_index("ix_visits_technician_arrival")
        batch_op.drop_index(batch_op.f("ix_visits_status"))
        batch_op.drop_index(batch_op.f("ix_visits_created_at"))
        batch_op.drop_index(batch_op.f("ix_visits_arrival_start"))

    op.drop_table("visits")
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_working_hours_technician_id"))

    op.drop_table("working_hours")
    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_time_off_technician_id"))
        batch_op.drop_index(batch_op.f("ix_time_off_starts_at"))
        batch_op.drop_index(batch_op.f("ix_time_off_created_at"))

    op.drop_table("time_off")
