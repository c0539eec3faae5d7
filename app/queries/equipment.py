"""Reads of the customer's equipment: the portal's unit list and what one unit's page shows
beside its history."""

from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import Document, Property, ServiceRequest, Unit
from app.models.enums import RequestStatus
from app.queries.paging import paginate
from app.scoping import ANY_CUSTOMER, CustomerScope

UNITS_PER_PAGE = 50


@cache
def _units(by_property: bool) -> Select:
    """The list's statement, built once (ANY_CUSTOMER) with a property or without."""
    statement = (
        ANY_CUSTOMER.select(Unit)
        .join(Unit.property)
        .order_by(Property.name, Property.id, Unit.name, Unit.id)
        .options(contains_eager(Unit.property))
    )
    if by_property:
        statement = statement.where(Unit.property_id == bindparam("property_id"))
    return statement


def unit_list(customer: CustomerScope, prop: Property | None, page: str | None) -> Pagination:
    """A page of the customer's units (of `prop`, if given) in property order."""
    parameters = {**customer.bound(), "property_id": prop.id if prop else None}
    return paginate(_units(prop is not None), page, UNITS_PER_PAGE, parameters=parameters)


def open_request_for(customer: CustomerScope, unit: Unit) -> ServiceRequest | None:
    """The newest request for `unit` the office has not acted on yet."""
    return db.session.scalar(
        customer.select(ServiceRequest)
        .where(ServiceRequest.unit_id == unit.id, ServiceRequest.status == RequestStatus.NEW)
        .order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc())
        .limit(1)
    )


def unit_document_count(customer: CustomerScope, unit: Unit) -> int:
    """How many documents the customer may see for `unit`."""
    return db.session.scalar(
        select(func.count(Document.id)).where(customer.where(Document), Document.unit_id == unit.id)
    )
