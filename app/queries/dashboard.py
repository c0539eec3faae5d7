"""What the office needs to see first thing: new requests, today's visits, what is due this
week and what is already overdue."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.jobs import customer_job_kinds
from app.models import (
    ComplianceObligation,
    Invoice,
    Job,
    OutboxMessage,
    ServiceRequest,
    StripeEvent,
    Visit,
    VisitAnswerLink,
    WorkOrder,
)
from app.models.base import utcnow
from app.models.card_payments import StripeEventStatus
from app.models.enums import JobStatus, RequestStatus, VisitStatus
from app.models.outbox import OutboxStatus
from app.queries.invoices import unpaid_invoices
from app.queries.sections import Section, section
from app.scoping import work_orders_for_staff
from app.services.company import current_company

LIST_LIMIT = 10
# How far back the dashboard lists customers' answers to visit e-mails.
ANSWERS_DAYS = 7


def day_bounds_utc(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where the company's calendar day starts and ends."""
    zone = current_company().zone
    start = datetime.combine(day, time.min, zone)
    end = datetime.combine(day + timedelta(days=1), time.min, zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _listed(entity, where: tuple, *, order_by: tuple, load: tuple = ()) -> Section:
    """The first LIST_LIMIT rows of `entity` matching `where`, and how many match in all."""
    return section(select(entity).where(*where).order_by(*order_by), LIST_LIMIT, *load)


def new_requests() -> Section:
    return _listed(
        ServiceRequest,
        (ServiceRequest.status == RequestStatus.NEW,),
        order_by=(ServiceRequest.created_at.desc(),),
        load=(joinedload(ServiceRequest.property), joinedload(ServiceRequest.customer)),
    )


def todays_visits(staff, today: date) -> Section:
    """Visits arriving today (local time) that were not cancelled; technicians see only
    those on their own work orders."""
    start, end = day_bounds_utc(today)
    where = (
        Visit.arrival_start >= start,
        Visit.arrival_start < end,
        Visit.status != VisitStatus.CANCELLED,
        work_orders_for_staff(staff),
    )
    rows = db.session.scalars(
        select(Visit)
        .join(Visit.work_order)
        .where(*where)
        .options(
            joinedload(Visit.work_order).joinedload(WorkOrder.property),
            joinedload(Visit.work_order).joinedload(WorkOrder.customer),
            joinedload(Visit.lead_technician),
        )
        .order_by(Visit.arrival_start, Visit.id)
        .limit(50)
    ).all()
    count = db.session.scalar(
        select(func.count()).select_from(Visit).join(Visit.work_order).where(*where)
    )
    return Section(rows=list(rows), count=count)


def customer_answers() -> Section:
    """What customers answered from visit e-mails' links in the last ANSWERS_DAYS days, newest
    first: confirmed, rescheduled, or cancelled with their reason."""
    return _listed(
        VisitAnswerLink,
        (VisitAnswerLink.used_at >= utcnow() - timedelta(days=ANSWERS_DAYS),),
        order_by=(VisitAnswerLink.used_at.desc(), VisitAnswerLink.id.desc()),
        load=(
            joinedload(VisitAnswerLink.visit)
            .joinedload(Visit.work_order)
            .joinedload(WorkOrder.customer),
        ),
    )


@dataclass(frozen=True)
class Week:
    """The company's calendar week (Monday to Sunday, in its time zone) holding `today`."""

    today: date

    @property
    def monday(self) -> date:
        return self.today - timedelta(days=self.today.weekday())

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def bounds_utc(self) -> tuple[datetime, datetime]:
        """The UTC instants where the week starts (Monday 00:00) and the next one starts."""
        return day_bounds_utc(self.monday)[0], day_bounds_utc(self.sunday)[1]


def week_of(moment: datetime) -> Week:
    """The week an instant falls in, on the company's clock (Sunday 23:59 in Chicago is
    Monday in UTC, and still this week)."""
    return Week(moment.astimezone(current_company().zone).date())


def _unpaid_invoices(*where) -> Section:
    return unpaid_invoices(LIST_LIMIT, *where, options=[joinedload(Invoice.customer)])


def overdue_invoices(week: Week) -> Section:
    """Open invoices with a balance whose due date has passed."""
    return _unpaid_invoices(Invoice.due_on < week.today)


def _open_obligations(*where) -> Section:
    return _listed(
        ComplianceObligation,
        (
            ComplianceObligation.completed_on.is_(None),
            ComplianceObligation.suspended_on.is_(None),
            *where,
        ),
        order_by=(ComplianceObligation.due_on, ComplianceObligation.id),
        load=(joinedload(ComplianceObligation.unit),),
    )


def compliance_due_this_week(week: Week) -> Section:
    """Open compliance obligations due from today to Sunday (earlier ones are overdue)."""
    return _open_obligations(
        ComplianceObligation.due_on >= week.today, ComplianceObligation.due_on <= week.sunday
    )


def compliance_overdue(week: Week) -> Section:
    """Open compliance obligations whose deadline has passed."""
    return _open_obligations(ComplianceObligation.due_on < week.today)


def invoices_due_this_week(week: Week) -> Section:
    """Open invoices with a balance that fall due from today to Sunday."""
    return _unpaid_invoices(Invoice.due_on >= week.today, Invoice.due_on <= week.sunday)


def card_payments_needing_attention() -> int:
    """Stripe events that could not be applied, or still wait for their payment."""
    return db.session.scalar(
        select(func.count()).where(
            StripeEvent.status.in_((StripeEventStatus.NEEDS_ATTENTION, StripeEventStatus.WAITING))
        )
    )


@dataclass(frozen=True)
class FailedDelivery:
    job: Job
    what: str  # what the customer is still waiting for


def failed_customer_jobs() -> Section:
    """Failed jobs that should have given a customer something (a receipt, a signed quote):
    nobody watches the Jobs page for those, so the dashboard lists them until retried."""
    kinds = customer_job_kinds()
    failed = _listed(
        Job,
        (Job.status == JobStatus.FAILED, Job.kind.in_(kinds)),
        order_by=(Job.finished_at.desc(), Job.id.desc()),
    )
    failed.rows = [FailedDelivery(job, str(kinds[job.kind])) for job in failed.rows]
    return failed


def undelivered_mail() -> int:
    """E-mails given up on (refused for good, or too many attempts): someone did not get one."""
    return db.session.scalar(
        select(func.count()).where(OutboxMessage.status == OutboxStatus.FAILED)
    )
