"""The figures behind the dashboard's charts, one grouped query each.

Every function returns plain (label, value) pairs in the order they are drawn, and makes the
same single query however many invoices, payments, work orders or requests there are.
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.models import Payment, ServiceRequest, StaffUser, Visit
from app.models.enums import PaymentStatus, RequestSource, StaffRole, VisitStatus
from app.queries.customer_story import AGING_BUCKETS, receivables_where
from app.queries.dashboard import Week
from app.services.company import current_company

REVENUE_MONTHS = 6
REQUEST_DAYS = 30


def receivables_aging(today: date) -> list[tuple[str, int]]:
    """Every customer's open balance by days past due (current, 1-30, ... 90+), in cents."""
    aging = receivables_where(today).aging
    return [(bucket, aging[bucket]) for bucket in AGING_BUCKETS]


def month_starts(today: date, months: int = REVENUE_MONTHS) -> list[date]:
    """The first days of the last `months` months, oldest first, this month last."""
    starts = [today.replace(day=1)]
    for _ in range(months - 1):
        starts.insert(0, (starts[0] - timedelta(days=1)).replace(day=1))
    return starts


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, current_company().zone).astimezone(UTC)


def revenue_by_month(today: date, months: int = REVENUE_MONTHS) -> list[tuple[date, int]]:
    """Payments received (less what was refunded of them) per calendar month in the company's
    time zone, for the last `months` months, in cents."""
    starts = month_starts(today, months)
    edges = [_local_midnight_utc(start) for start in starts]
    month = case(
        *((Payment.received_at >= edge, index) for index, edge in reversed(list(enumerate(edges)))),
    ).label("month")
    rows = db.session.execute(
        select(month, func.sum(Payment.amount_cents - Payment.refunded_cents))
        .where(Payment.status == PaymentStatus.SUCCEEDED, Payment.received_at >= edges[0])
        .group_by(month)
    ).all()
    totals = {index: int(cents) for index, cents in rows}
    return [(start, totals.get(index, 0)) for index, start in enumerate(starts)]


def jobs_per_technician(week: Week) -> list[tuple[str, int]]:
    """Visits arriving this week (cancelled ones aside) led by each active technician, busiest
    first; technicians with none are listed too, so the free ones show."""
    start, end = week.bounds_utc()
    this_week = and_(
        Visit.lead_technician_id == StaffUser.id,
        Visit.arrival_start >= start,
        Visit.arrival_start < end,
        Visit.status != VisitStatus.CANCELLED,
    )
    jobs = func.count(Visit.id)
    rows = db.session.execute(
        select(StaffUser.name, jobs)
        .outerjoin(Visit, this_week)
        .where(StaffUser.role == StaffRole.TECHNICIAN, StaffUser.active)
        .group_by(StaffUser.id, StaffUser.name)
        .order_by(jobs.desc(), StaffUser.name)
    ).all()
    return [(name, count) for name, count in rows]


def requests_by_source(today: date, days: int = REQUEST_DAYS) -> list[tuple[RequestSource, int]]:
    """Service requests received in the last `days` days by where they came from."""
    since = _local_midnight_utc(today - timedelta(days=days - 1))
    counts = dict(
        db.session.execute(
            select(ServiceRequest.source, func.count())
            .where(ServiceRequest.created_at >= since)
            .group_by(ServiceRequest.source)
        ).all()
    )
    return [(source, counts.get(source, 0)) for source in RequestSource]
