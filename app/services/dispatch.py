"""What the dispatcher is offered when converting a request: a visit that fits what the
requester asked for, and the technician who knows the unit."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import ServiceRequest, StaffUser, WorkOrder
from app.models.enums import StaffRole, TimeWindow
from app.services.company import local_now

# Arrival windows in local hours, as the request form words them ("Morning (8-12)", ...);
# "any time" gets the usual first slot of the day.
WINDOW_HOURS = {
    TimeWindow.MORNING: (8, 12),
    TimeWindow.AFTERNOON: (12, 17),
    TimeWindow.EVENING: (17, 20),
    TimeWindow.ANY: (8, 10),
}


@dataclass(frozen=True)
class SuggestedVisit:
    technician: StaffUser | None
    start: datetime  # wall time in the company's time zone
    end: datetime


def _next_business_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def suggested_window(preferred_date: date | None, window: TimeWindow) -> tuple[datetime, datetime]:
    """The requested window on the requested day; a day that is missing or already gone (or a
    window already under way) moves to the next business day, morning when any time suits."""
    now = local_now().replace(tzinfo=None)
    start_hour, end_hour = WINDOW_HOURS[window]
    day = preferred_date
    if day is None or datetime.combine(day, time(start_hour)) <= now:
        day = _next_business_day(now.date())
    return datetime.combine(day, time(start_hour)), datetime.combine(day, time(end_hour))


def suggest_visit(request: ServiceRequest) -> SuggestedVisit:
    """The visit the convert form starts from: the requested window (see suggested_window)
    with the active technician of the latest work order on the unit (or the property)."""
    return suggest_visits([request])[request.id]


def _latest_technicians(column, ids: set[int]) -> dict[int, StaffUser]:
    """For each unit (or property) id, the active technician of its latest work order."""
    if not ids:
        return {}
    latest = (
        select(
            column.label("owner_id"),
            WorkOrder.technician_id,
            func.row_number()
            .over(partition_by=column, order_by=(WorkOrder.created_at.desc(), WorkOrder.id.desc()))
            .label("rank"),
        )
        .join(StaffUser, WorkOrder.technician_id == StaffUser.id)
        .where(column.in_(ids), StaffUser.role == StaffRole.TECHNICIAN, StaffUser.active.is_(True))
        .subquery()
    )
    rows = db.session.execute(
        select(latest.c.owner_id, StaffUser)
        .join(StaffUser, StaffUser.id == latest.c.technician_id)
        .where(latest.c.rank == 1)
    ).all()
    return {owner_id: technician for owner_id, technician in rows}


def suggest_visits(requests: list[ServiceRequest]) -> dict[int, SuggestedVisit]:
    """`suggest_visit` for a page of requests, in two queries however many there are."""
    by_unit = _latest_technicians(WorkOrder.unit_id, {r.unit_id for r in requests if r.unit_id})
    by_property = _latest_technicians(
        WorkOrder.property_id, {r.property_id for r in requests if not r.unit_id and r.property_id}
    )
    visits = {}
    for request in requests:
        start, end = suggested_window(request.preferred_date, request.preferred_window)
        if request.unit_id:
            technician = by_unit.get(request.unit_id)
        else:
            technician = by_property.get(request.property_id)
        visits[request.id] = SuggestedVisit(technician, start, end)
    return visits
