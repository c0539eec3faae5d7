"""A technician's day on their phone: their visits in order, and the steps they take
(On my way with an arrival estimate, Arrived, Done) through scheduling.set_status; On my way
(each time, so a new estimate is told too) and Arrived tell the customer (notify_visit)."""

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.extensions import db
from app.models import StaffUser, Visit
from app.models.base import utcnow
from app.models.enums import VisitStatus
from app.models.scheduling import visit_helpers
from app.queries.visits import day_bounds, visits_where
from app.services.company import from_local, local_day, local_today
from app.services.notifications import notify_visit
from app.services.scheduling import SchedulingError, set_status

ETA_MINUTES = (15, 30, 45, 60)
# The steps a technician takes from My day, in the order they come.
STEPS = (VisitStatus.EN_ROUTE, VisitStatus.ON_SITE, VisitStatus.DONE)
# An arrival "at 10:40" typed a little after 10:40 still means today, not tomorrow.
LATE_TYPING = timedelta(minutes=10)
NO_ETA = _l("Say when you will arrive: pick minutes or type a time.")


def visits_on_my_day(technician: StaffUser, day=None) -> list[Visit]:
    """The technician's visits (as lead or helper) arriving on the company's `day` (today),
    in order of their window; cancelled ones are left out."""
    start, end = day_bounds(day or local_today())
    helping = select(visit_helpers.c.visit_id).where(visit_helpers.c.staff_user_id == technician.id)
    return visits_where(
        or_(Visit.lead_technician_id == technician.id, Visit.id.in_(helping)),
        Visit.arrival_start >= start,
        Visit.arrival_start < end,
    )


def expected_arrival(minutes: int | None, at: time | None, now: datetime | None = None):
    """When the technician will arrive: in `minutes` (one of ETA_MINUTES), or at a time of day
    today (company time). Neither, or a time already past, is a message."""
    now = now or utcnow()
    if minutes in ETA_MINUTES:
        return now + timedelta(minutes=minutes)
    if at is not None:
        moment = from_local(datetime.combine(local_day(now), at))
        if moment < now - LATE_TYPING:
            raise SchedulingError(_("That time has passed; pick how long you will take."))
        return max(moment, now)
    raise SchedulingError(str(NO_ETA))


def take_step(visit: Visit, technician: StaffUser, step: VisitStatus, *, eta=None) -> Visit:
    """The technician's next step on one of their visits; On my way stores the estimate."""
    if technician not in visit.technicians:
        raise SchedulingError(_("This visit is not on your day."))
    if step not in STEPS:
        raise SchedulingError(_("Pick On my way, Arrived or Done."))
    visit = set_status(visit, step, actor=technician)
    if step == VisitStatus.EN_ROUTE:
        visit.expected_arrival_at = eta
        db.session.flush()
        notify_visit(visit, "en_route", eta=eta)
    elif step == VisitStatus.ON_SITE:
        notify_visit(visit, "arrived")
    return visit
