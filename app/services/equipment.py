"""When each unit was last serviced and when it is due again."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Unit, WorkOrder
from app.models.enums import WorkOrderStatus
from app.services.company import to_local

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class ServiceStatus:
    last_service: date | None
    next_due: date | None
    state: str  # "overdue", "due_soon", "ok" or "no_interval"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_completed_at():
    """When the unit's last completed work order was completed: a column to read with `Unit`
    (its value is service_statuses' `last_done`)."""
    return (
        select(func.max(WorkOrder.completed_at))
        .where(WorkOrder.unit_id == Unit.id, WorkOrder.status == WorkOrderStatus.COMPLETED)
        .correlate(Unit)
        .scalar_subquery()
    )


def service_statuses(
    units: list[Unit], today: date, last_done: dict[int, datetime | None] | None = None
) -> dict[int, ServiceStatus]:
    """Last service, next due date and state for each unit, in one query for all of them
    (none when `last_done`, unit id -> last_completed_at(), was read with the units).

    The next visit is due `service_interval_months` after the last completed work order on the
    unit (or after installation when there was none yet).
    """
    ids = [unit.id for unit in units]
    if last_done is None:
        found = select(Unit.id, last_completed_at()).where(Unit.id.in_(ids))
        last_done = dict(db.session.execute(found).all()) if ids else {}
    statuses = {}
    for unit in units:
        completed = last_done.get(unit.id)
        last = to_local(completed).date() if completed else None
        since = last or unit.install_date
        if not unit.service_interval_months or since is None:
            statuses[unit.id] = ServiceStatus(last, None, "no_interval")
            continue
        due = add_months(since, unit.service_interval_months)
        if due < today:
            state = "overdue"
        elif due <= today + timedelta(days=DUE_SOON_DAYS):
            state = "due_soon"
        else:
            state = "ok"
        statuses[unit.id] = ServiceStatus(last, due, state)
    return statuses
