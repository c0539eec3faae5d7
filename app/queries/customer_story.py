"""What the office reads on a customer's, a property's and a unit's page: everything about them
on one page, each list the newest few with a count for "see all".

Reads only. Every list is bounded and eager-loaded, so a page makes the same number of queries
for a customer with three invoices as for one with three thousand. Sections the signed-in staff
member may not see (billing for technicians) are not queried at all: the caller passes the
areas it may show (app.auth.roles).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    ComplianceObligation,
    Customer,
    Document,
    Invoice,
    Message,
    Payment,
    PortalUser,
    Property,
    Quote,
    RefrigerantEvent,
    RepairEpisode,
    ServiceRequest,
    Unit,
    WorkOrder,
)
from app.models.enums import CustomerKind, EpisodeStatus, InvoiceStatus, RequestStatus
from app.models.work import OPEN_WORK_ORDER_STATUSES
from app.queries.sections import Section, section
from app.services.equipment import ServiceStatus, service_statuses

RECENT = 5  # finished work, payments, messages, quotes, documents
OPEN = 10  # open work orders, requests, invoices, obligations
UNITS = 25  # equipment listed on a customer's or property's page
AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


@dataclass
class Receivables:
    """What the customer owes: the balance of open invoices, by days past due."""

    balance_cents: int = 0
    aging: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AGING_BUCKETS, 0))


@dataclass
class Compliance:
    """A commercial customer's refrigerant compliance at a glance."""

    open_episodes: int = 0
    open_obligations: int = 0
    overdue_obligations: int = 0
    next_obligations: list = field(default_factory=list)

    @property
    def in_order(self) -> bool:
        return not (self.open_episodes or self.overdue_obligations)


@dataclass
class Story:
    """Everything a record's page shows; sections left as None were not asked for."""

    properties: Section | None = None  # rows: (property, how many units it has)
    open_work: Section | None = None
    recent_work: Section | None = None
    open_requests: Section | None = None
    units: Section | None = None
    services: dict[int, ServiceStatus] = field(default_factory=dict)
    quotes: Section | None = None
    invoices: Section | None = None
    receivables: Receivables | None = None
    payments: Section | None = None
    messages: Section | None = None
    documents: Section | None = None
    portal_users: Section | None = None
    compliance: Compliance | None = None
    refrigerant_events: Section | None = None
    leak_rate: RefrigerantEvent | None = None
    # What the unit's QR code holds (None: no active sticker); set by the admin view, since the
    # sticker URL is qr/'s business.
    sticker_url: str | None = None


def _newest(model, customer_id: int, *load) -> Section:
    """The customer's latest RECENT `model` records (quotes, messages, documents), newest first."""
    return section(
        select(model)
        .where(model.customer_id == customer_id)
        .options(*load)
        .order_by(model.created_at.desc(), model.id.desc()),
        RECENT,
    )


def _work(where: ColumnElement[bool], staff_filter, story: Story) -> None:
    """Open work (soonest visit first) and finished work (latest first) matching `where`."""
    base = select(WorkOrder).where(where, staff_filter)
    options = (
        joinedload(WorkOrder.property),
        joinedload(WorkOrder.unit),
        joinedload(WorkOrder.technician),
    )
    story.open_work = section(
        base.where(WorkOrder.status.in_(OPEN_WORK_ORDER_STATUSES))
        .options(*options)
        .order_by(WorkOrder.first_arrival.asc().nulls_last(), WorkOrder.id),
        OPEN,
    )
    story.recent_work = section(
        base.where(WorkOrder.status.not_in(OPEN_WORK_ORDER_STATUSES))
        .options(*options)
        .order_by(
            WorkOrder.completed_at.desc().nulls_last(),
            WorkOrder.first_arrival.desc().nulls_last(),
            WorkOrder.id.desc(),
        ),
        RECENT,
    )


def _open_requests(where: ColumnElement[bool]) -> Section:
    return section(
        select(ServiceRequest)
        .where(where, ServiceRequest.status == RequestStatus.NEW)
        .options(joinedload(ServiceRequest.property), joinedload(ServiceRequest.unit))
        .order_by(ServiceRequest.created_at.desc()),
        OPEN,
    )


def _units(where: ColumnElement[bool], today: date, story: Story) -> None:
    story.units = section(
        select(Unit)
        .join(Unit.property)
        .where(where)
        .options(joinedload(Unit.property))
        .order_by(Property.name, Unit.name, Unit.id),
        UNITS,
    )
    story.services = service_statuses(story.units.rows, today)


def _properties(customer: Customer) -> Section:
    unit_count = (
        select(func.count(Unit.id))
        .where(Unit.property_id == Property.id)
        .correlate(Property)
        .scalar_subquery()
    )
    where = Property.customer_id == customer.id
    count = db.session.scalar(select(func.count()).select_from(Property).where(where))
    rows = db.session.execute(
        select(Property, unit_count).where(where).order_by(Property.name, Property.id).limit(UNITS)
    ).all()
    return Section([tuple(row) for row in rows], count)


def receivables(customer_id: int, today: date) -> Receivables:
    """A customer's open balance by age."""
    return receivables_where(today, Invoice.customer_id == customer_id)


def receivables_where(today: date, *where: ColumnElement[bool]) -> Receivables:
    """The open balance of the invoices matching `where` by age in one query: current (not yet
    due), then days past due."""
    bucket = case(
        (Invoice.due_on.is_(None) | (Invoice.due_on >= today), "current"),
        (Invoice.due_on >= today - timedelta(days=30), "1-30"),
        (Invoice.due_on >= today - timedelta(days=60), "31-60"),
        (Invoice.due_on >= today - timedelta(days=90), "61-90"),
        else_="90+",
    ).label("bucket")
    rows = db.session.execute(
        select(bucket, func.sum(Invoice.balance_cents))
        .where(
            *where,
            Invoice.status == InvoiceStatus.OPEN,
            Invoice.balance_cents > 0,
        )
        .group_by(bucket)
    ).all()
    result = Receivables()
    for name, cents in rows:
        result.aging[name] = int(cents)
        result.balance_cents += int(cents)
    return result


def _compliance(unit_filter: ColumnElement[bool], today: date) -> Compliance:
    units = select(Unit.id).join(Unit.property).where(unit_filter)
    open_obligation = (
        ComplianceObligation.unit_id.in_(units),
        ComplianceObligation.completed_on.is_(None),
        ComplianceObligation.suspended_on.is_(None),
    )
    open_count, overdue = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((ComplianceObligation.due_on < today, 1), else_=0)), 0),
        ).where(*open_obligation)
    ).one()
    episodes = db.session.scalar(
        select(func.count()).where(
            RepairEpisode.unit_id.in_(units), RepairEpisode.status == EpisodeStatus.OPEN
        )
    )
    upcoming = db.session.scalars(
        select(ComplianceObligation)
        .where(*open_obligation)
        .options(joinedload(ComplianceObligation.unit))
        .order_by(ComplianceObligation.due_on)
        .limit(RECENT)
    ).all()
    return Compliance(episodes, open_count, int(overdue), list(upcoming))


def _work_and_requests(
    story: Story,
    column: Literal["customer_id", "property_id", "unit_id"],
    record_id: int,
    areas: set[str],
    staff_filter,
) -> None:
    """The work orders and open requests whose `column` is `record_id`, for the areas shown."""
    if "work" in areas:
        _work(getattr(WorkOrder, column) == record_id, staff_filter, story)
    if "requests" in areas:
        story.open_requests = _open_requests(getattr(ServiceRequest, column) == record_id)


def customer_story(customer: Customer, *, areas: set[str], staff_filter, today: date) -> Story:
    """A customer's whole story. `areas` are the admin areas the reader may see;
    `staff_filter` narrows work orders to what they may open (app.scoping)."""
    story = Story(properties=_properties(customer))
    mine = Property.customer_id == customer.id
    _work_and_requests(story, "customer_id", customer.id, areas, staff_filter)
    _units(mine, today, story)
    if "billing" in areas:
        story.quotes = _newest(Quote, customer.id)
        story.invoices = section(
            select(Invoice)
            .where(
                Invoice.customer_id == customer.id,
                Invoice.status == InvoiceStatus.OPEN,
                Invoice.balance_cents > 0,
            )
            .order_by(Invoice.due_on.asc().nulls_last(), Invoice.id),
            OPEN,
        )
        story.receivables = receivables(customer.id, today)
        story.payments = section(
            select(Payment)
            .where(Payment.customer_id == customer.id)
            .options(joinedload(Payment.invoice))
            .order_by(Payment.received_at.desc().nulls_last(), Payment.id.desc()),
            RECENT,
        )
    if "messages" in areas:
        authors = joinedload(Message.staff_author), joinedload(Message.portal_author)
        story.messages = _newest(Message, customer.id, *authors)
    if "documents" in areas:
        story.documents = _newest(Document, customer.id)
    if "portal_users" in areas:
        story.portal_users = section(
            select(PortalUser)
            .where(PortalUser.customer_id == customer.id)
            .order_by(PortalUser.last_login_at.desc().nulls_last(), PortalUser.name),
            OPEN,
        )
    if customer.kind == CustomerKind.COMMERCIAL and "compliance" in areas:
        story.compliance = _compliance(mine, today)
    return story


def property_story(prop: Property, *, areas: set[str], staff_filter, today: date) -> Story:
    """A property's units and the work and requests at it."""
    story = Story()
    _work_and_requests(story, "property_id", prop.id, areas, staff_filter)
    _units(Unit.property_id == prop.id, today, story)
    return story


def unit_story(unit: Unit, *, areas: set[str], staff_filter, today: date) -> Story:
    """A unit's service history, refrigerant log and latest leak rate, open requests."""
    story = Story()
    _work_and_requests(story, "unit_id", unit.id, areas, staff_filter)
    story.services = service_statuses([unit], today)
    if "refrigerant" in areas or "compliance" in areas:
        story.refrigerant_events = section(
            select(RefrigerantEvent)
            .where(RefrigerantEvent.unit_id == unit.id)
            .options(joinedload(RefrigerantEvent.technician))
            .order_by(RefrigerantEvent.occurred_at.desc(), RefrigerantEvent.id.desc()),
            OPEN,
        )
        story.leak_rate = db.session.scalar(
            select(RefrigerantEvent)
            .where(
                RefrigerantEvent.unit_id == unit.id,
                RefrigerantEvent.leak_rate_percent.is_not(None),
            )
            .order_by(RefrigerantEvent.occurred_at.desc(), RefrigerantEvent.id.desc())
            .limit(1)
        )
    return story
