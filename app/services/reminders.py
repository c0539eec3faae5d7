"""Reminding customers of their visits the day before.

`send_reminders()` is safe to run every few minutes (`flask send-reminders` from cron, or the
RQ job in app.reminder_jobs): a visit is reminded once its arrival window starts within the
company's `reminder_hours_before`, once per arrival time (a VisitReminder row, unique per visit
and time, so a moved visit is reminded of its new time), never when it is cancelled, under way,
done or past, and never during the company's quiet hours: a reminder due then waits until they
end. A visit booked after its reminder was due needs none (its booking e-mail just went out).
Each reminder commits on its own, like mail delivery, so one failure does not hold back the
rest.
"""

from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Visit, VisitReminder
from app.models.base import utcnow
from app.models.scheduling import MOVABLE_STATUSES
from app.services.company import current_company
from app.services.notifications import notify_visit


def in_quiet_hours(moment: datetime) -> bool:
    """Whether `moment` falls in the company's quiet hours (which may span midnight)."""
    company = current_company()
    start, end = company.quiet_hours_start, company.quiet_hours_end
    wall = moment.astimezone(company.zone).time()
    if start == end:
        return False
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end


def _due(now: datetime, lead: timedelta) -> list[Visit]:
    reminded = exists().where(
        VisitReminder.visit_id == Visit.id, VisitReminder.arrival_start == Visit.arrival_start
    )
    found = db.session.scalars(
        select(Visit)
        .where(
            Visit.status.in_(MOVABLE_STATUSES),
            Visit.arrival_start > now,
            Visit.arrival_start <= now + lead,
            ~reminded,
        )
        .order_by(Visit.arrival_start, Visit.id)
    ).all()
    return [visit for visit in found if visit.created_at <= visit.arrival_start - lead]


def send_reminders(now: datetime | None = None) -> int:
    """Send the reminders due at `now` (tests pass a fixed moment); returns how many visits
    were reminded. Commits."""
    now = now or utcnow()
    if in_quiet_hours(now):
        return 0
    sent = 0
    for visit in _due(now, timedelta(hours=current_company().reminder_hours_before)):
        db.session.add(VisitReminder(visit=visit, arrival_start=visit.arrival_start, sent_at=now))
        try:
            db.session.flush()
        except IntegrityError:  # another run reminded it a moment ago
            db.session.rollback()
            continue
        notify_visit(visit, "reminder")
        db.session.commit()
        sent += 1
    return sent
