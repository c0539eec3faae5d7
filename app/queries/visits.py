"""Visits as the dispatch board and a technician's day read them: by the company's calendar
days, cancelled ones left out, with what their cards show loaded in the same query."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Visit, WorkOrder
from app.models.enums import VisitStatus
from app.services.company import current_company


def day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """From the company's midnight starting `first` to the one ending `last` (or `first`),
    in UTC."""
    zone = current_company().zone
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine((last or first) + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def visits_where(*conditions) -> list[Visit]:
    """The visits that are not cancelled and meet `conditions`, in order of their window, each
    with its work order's property, customer and unit and its technicians."""
    return db.session.scalars(
        select(Visit)
        .where(Visit.status != VisitStatus.CANCELLED, *conditions)
        .options(
            joinedload(Visit.work_order).joinedload(WorkOrder.property),
            joinedload(Visit.work_order).joinedload(WorkOrder.customer),
            joinedload(Visit.work_order).joinedload(WorkOrder.unit),
            joinedload(Visit.lead_technician),
            selectinload(Visit.helpers),
        )
        .order_by(Visit.arrival_start, Visit.id)
    ).all()
