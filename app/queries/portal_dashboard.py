"""The portal home page's sections: what is coming, what is open, what is owed, what needs a
decision.

Every section goes through the customer's scope and, when a property is picked, is narrowed
to that property. Each shows at most a few rows and counts all of them.

Each section's statement is built once per process and shape (with a property or without),
through ANY_CUSTOMER, and run with this customer, property and day: building one with its
loader options, and working out its cache key, cost more than running it (0.6-0.8 ms each).
"""

from datetime import date, timedelta
from functools import cache

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.models import Invoice, Quote, ServiceRequest, Unit, Visit, WorkOrder
from app.models.base import utcnow
from app.models.enums import QuoteStatus, RequestStatus
from app.models.scheduling import ACTIVE_VISIT_STATUSES
from app.models.work import OPEN_WORK_ORDER_STATUSES
from app.queries.dashboard import day_bounds_utc
from app.queries.invoices import unpaid_invoices
from app.queries.sections import Section, counted, read_section
from app.scoping import ANY_CUSTOMER, CustomerScope
from app.services.equipment import last_completed_at, service_statuses

VISIT_LIMIT = 5
REQUEST_LIMIT = 5
INVOICE_LIMIT = 10
QUOTE_LIMIT = 5
UNIT_LIMIT = 10
# A dismissed request stays on the home page this long, so the customer sees it was closed.
DISMISSED_SHOWN_DAYS = 30


def _parameters(customer: CustomerScope, property_id: int | None, **more) -> dict:
    return {**customer.bound(), "property_id": property_id, **more}


@cache
def _upcoming_visits(by_property: bool) -> Select:
    # Scoped through the joined work order (the Visit scope's own subquery would be a second
    # join of work orders for the planner to weigh: most of this query's time).
    statement = (
        select(Visit)
        .join(Visit.work_order)
        .where(
            ANY_CUSTOMER.where(WorkOrder),
            Visit.status.in_(ACTIVE_VISIT_STATUSES),
            WorkOrder.status.in_(OPEN_WORK_ORDER_STATUSES),
            Visit.arrival_start >= bindparam("since"),
        )
    )
    if by_property:
        statement = statement.where(WorkOrder.property_id == bindparam("property_id"))
    return counted(
        statement.order_by(Visit.arrival_start, Visit.id),
        VISIT_LIMIT,
        joinedload(Visit.lead_technician),
        contains_eager(Visit.work_order).joinedload(WorkOrder.property),
        contains_eager(Visit.work_order).joinedload(WorkOrder.unit),
    )


def upcoming_visits(customer: CustomerScope, property_id: int | None, today: date) -> Section:
    """Visits still to happen (or under way) on open work orders, from the start of today on."""
    since = day_bounds_utc(today)[0]
    return read_section(
        _upcoming_visits(bool(property_id)), _parameters(customer, property_id, since=since)
    )


@cache
def _open_requests(by_property: bool) -> Select:
    statement = (
        ANY_CUSTOMER.select(ServiceRequest)
        .outerjoin(
            WorkOrder,
            and_(WorkOrder.service_request_id == ServiceRequest.id, ANY_CUSTOMER.where(WorkOrder)),
        )
        .where(
            or_(
                ServiceRequest.status == RequestStatus.NEW,
                and_(
                    ServiceRequest.status == RequestStatus.CONVERTED,
                    WorkOrder.status.in_(OPEN_WORK_ORDER_STATUSES),
                ),
                and_(
                    ServiceRequest.status == RequestStatus.DISMISSED,
                    func.coalesce(ServiceRequest.closed_at, ServiceRequest.created_at)
                    >= bindparam("dismissed_since"),
                ),
            )
        )
    )
    if by_property:
        statement = statement.where(ServiceRequest.property_id == bindparam("property_id"))
    return counted(
        statement.order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc()),
        REQUEST_LIMIT,
        contains_eager(ServiceRequest.work_order),
        joinedload(ServiceRequest.property),
        joinedload(ServiceRequest.unit),
    )


def open_requests(customer: CustomerScope, property_id: int | None) -> Section:
    """New requests, converted ones whose visit is still open, and recently dismissed ones."""
    dismissed_since = utcnow() - timedelta(days=DISMISSED_SHOWN_DAYS)
    return read_section(
        _open_requests(bool(property_id)),
        _parameters(customer, property_id, dismissed_since=dismissed_since),
    )


def open_invoices(customer: CustomerScope, property_id: int | None) -> Section:
    """Sent, unpaid invoices (the scope already leaves drafts out), the oldest due first."""
    where = [customer.where(Invoice)]
    if property_id:
        where.append(Invoice.property_id == property_id)
    return unpaid_invoices(INVOICE_LIMIT, *where)


@cache
def _quotes_to_decide(by_property: bool) -> Select:
    statement = ANY_CUSTOMER.select(Quote).where(
        Quote.status == QuoteStatus.SENT,
        or_(Quote.valid_until.is_(None), Quote.valid_until >= bindparam("today")),
    )
    if by_property:
        statement = statement.where(Quote.property_id == bindparam("property_id"))
    return counted(
        statement.order_by(Quote.valid_until.is_(None), Quote.valid_until, Quote.id),
        QUOTE_LIMIT,
        joinedload(Quote.property),
    )


def quotes_to_decide(customer: CustomerScope, property_id: int | None, today: date) -> Section:
    """Quotes sent and still valid, the soonest to expire first."""
    return read_section(
        _quotes_to_decide(bool(property_id)), _parameters(customer, property_id, today=today)
    )


@cache
def _units(by_property: bool) -> Select:
    statement = ANY_CUSTOMER.select(Unit).options(joinedload(Unit.property))
    if by_property:
        statement = statement.where(Unit.property_id == bindparam("property_id"))
    return statement.add_columns(last_completed_at()).order_by(Unit.id)


def units_due(customer: CustomerScope, property_id: int | None, today: date) -> Section:
    """Units overdue or due soon for service, the most overdue first."""
    rows = db.session.execute(_units(bool(property_id)), _parameters(customer, property_id)).all()
    units = [unit for unit, _ in rows]
    statuses = service_statuses(units, today, {unit.id: done for unit, done in rows})
    due = sorted(
        (
            (unit, statuses[unit.id])
            for unit in units
            if statuses[unit.id].state in ("overdue", "due_soon")
        ),
        key=lambda pair: (pair[1].next_due, pair[0].name),
    )
    return Section(rows=due[:UNIT_LIMIT], count=len(due))


def dashboard_sections(customer: CustomerScope, property_id: int | None, today: date) -> dict:
    """Every section of the home page, by the name the template knows it by."""
    return {
        "visits": upcoming_visits(customer, property_id, today),
        "requests": open_requests(customer, property_id),
        "invoices": open_invoices(customer, property_id),
        "quotes": quotes_to_decide(customer, property_id, today),
        "units": units_due(customer, property_id, today),
    }
