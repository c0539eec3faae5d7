"""Reads of the portal's service requests: the customer's list, one request and its photos, and
what a new request may be about (their properties and units, and the requests still open)."""

from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.models import Property, ServiceRequest, ServiceRequestPhoto, Unit, WorkOrder
from app.models.enums import RequestStatus
from app.queries.paging import paginate
from app.scoping import ANY_CUSTOMER, CustomerScope

_LOADED = (
    contains_eager(ServiceRequest.work_order),
    joinedload(ServiceRequest.property),
    joinedload(ServiceRequest.unit),
)


def request_list(customer: CustomerScope, page: str | None) -> Pagination:
    """A page of the customer's requests with their work orders, newest first."""
    return paginate(_every_customers_requests(), page, parameters=customer.bound())


def customer_request(customer: CustomerScope, request_id: int) -> ServiceRequest | None:
    """One of the customer's requests with its work order (None if it is not theirs: the
    caller's 404)."""
    return db.session.scalar(
        _requests(customer).where(ServiceRequest.id == request_id).options(*_LOADED)
    )


def request_photos(customer: CustomerScope, request_id: int) -> Sequence[ServiceRequestPhoto]:
    """The photos sent with one of the customer's requests, in the order they came."""
    return db.session.scalars(
        customer.select(ServiceRequestPhoto)
        .where(ServiceRequestPhoto.request_id == request_id)
        .order_by(ServiceRequestPhoto.id)
    ).all()


def properties_with_units(customer: CustomerScope) -> list[tuple[Property, list[Unit]]]:
    """Each of the customer's properties, by name, with its units, by name."""
    properties = db.session.scalars(
        customer.select(Property).order_by(Property.name, Property.id)
    ).all()
    units = defaultdict(list)
    for unit in db.session.scalars(customer.select(Unit).order_by(Unit.name, Unit.id)):
        units[unit.property_id].append(unit)
    return [(prop, units[prop.id]) for prop in properties]


def open_requests_by_unit(customer: CustomerScope) -> dict[int, ServiceRequest]:
    """The customer's oldest open request about each unit, by unit id: a new report about the
    unit joins it."""
    rows = db.session.scalars(
        customer.select(ServiceRequest)
        .where(ServiceRequest.status == RequestStatus.NEW, ServiceRequest.unit_id.is_not(None))
        .order_by(ServiceRequest.created_at, ServiceRequest.id)
    )
    found: dict[int, ServiceRequest] = {}
    for row in rows:
        found.setdefault(row.unit_id, row)
    return found


def _requests(customer: CustomerScope) -> Select:
    """The customer's requests joined to their work orders (for the status), newest first."""
    return (
        customer.select(ServiceRequest)
        .outerjoin(
            WorkOrder,
            and_(WorkOrder.service_request_id == ServiceRequest.id, customer.where(WorkOrder)),
        )
        .order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc())
    )


@cache
def _every_customers_requests() -> Select:
    """The list's statement, built once (ANY_CUSTOMER)."""
    return _requests(ANY_CUSTOMER).options(*_LOADED)
