"""What the dispatcher is offered when converting a request: a visit that fits what the
requester asked for, and the technician who knows the unit."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

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


def _technician_who_knows(request: ServiceRequest) -> StaffUser | None:
    """The active technician of the latest work order on the request's unit (or property)."""
    where = (
        WorkOrder.unit_id == request.unit_id
        if request.unit_id
        else WorkOrder.property_id == request.property_id
    )
    return db.session.scalar(
        select(StaffUser)
        .join(WorkOrder, WorkOrder.technician_id == StaffUser.id)
        .where(where, StaffUser.role == StaffRole.TECHNICIAN, StaffUser.active.is_(True))
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
        .limit(1)
    )


def suggest_visit(request: ServiceRequest) -> SuggestedVisit:
    """The visit the convert form starts from."""
    start, end = suggested_window(request.preferred_date, request.preferred_window)
    return SuggestedVisit(_technician_who_knows(request), start, end)
