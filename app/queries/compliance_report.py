"""Reads behind the EPA refrigerant compliance report's form: whom it is for and their sites."""

from sqlalchemy import ColumnElement, select

from app.extensions import db
from app.models import Customer, Property, Unit
from app.models.enums import CustomerKind


def report_customers() -> ColumnElement[bool]:
    """Customers an EPA refrigerant report is for: commercial, with a unit that holds some
    (a filter for the form's customer look-up)."""
    with_refrigerant = (
        select(Property.customer_id)
        .join(Unit, Unit.property_id == Property.id)
        .where(Unit.refrigerant_type != "")
    )
    return (Customer.kind == CustomerKind.COMMERCIAL) & Customer.id.in_(with_refrigerant)


def sites_of(customer: Customer | None) -> list[Property]:
    """The customer's sites by name (none before a customer is chosen)."""
    if customer is None:
        return []
    return db.session.scalars(
        select(Property).where(Property.customer_id == customer.id).order_by(Property.name)
    ).all()
