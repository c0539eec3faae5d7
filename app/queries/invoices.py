"""Reads of invoices: what is unpaid (the office's and the customer's dashboards) and the
portal's invoice list."""

from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Invoice, Payment, Property
from app.models.enums import InvoiceStatus, PaymentStatus
from app.queries.paging import paginate
from app.queries.sections import Section
from app.scoping import ANY_CUSTOMER, CustomerScope

# The portal list's status filter: the value in the URL and the status it shows.
SHOWN_FILTERS = {"open": InvoiceStatus.OPEN, "paid": InvoiceStatus.PAID}


def unpaid_invoices(limit: int, *where, options=()) -> Section:
    """Open invoices with a balance that match `where`, the soonest due first (no due date
    last): the first `limit`, and the count and balance of all of them."""
    where = (Invoice.status == InvoiceStatus.OPEN, Invoice.balance_cents > 0, *where)
    # One query: the count and balance of all ride on each row as windows over the result.
    found = db.session.execute(
        select(Invoice, func.count().over(), func.sum(Invoice.balance_cents).over())
        .where(*where)
        .options(*options)
        .order_by(Invoice.due_on.is_(None), Invoice.due_on, Invoice.id)
        .limit(limit)
    ).all()
    if not found:
        return Section()
    return Section(rows=[row[0] for row in found], count=found[0][1], total_cents=found[0][2])


def amount_due(customer: CustomerScope, prop: Property | None) -> tuple[int, int]:
    """What the customer still owes on open invoices (of `prop`, if given), and on how many."""
    statement = _amount_due(prop is not None)
    cents, count = db.session.execute(statement, _parameters(customer, prop)).one()
    return cents, count


def invoice_payments(customer: CustomerScope, invoice: Invoice) -> list[Payment]:
    """What was paid on the customer's `invoice` (refunded payments too), oldest first."""
    return db.session.scalars(
        customer.select(Payment)
        .where(
            Payment.invoice_id == invoice.id,
            Payment.status.in_((PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)),
        )
        .order_by(Payment.received_at, Payment.id)
    ).all()


def invoice_list(
    customer: CustomerScope, prop: Property | None, shown: str, page: str | None
) -> Pagination:
    """A page of the customer's invoices (of `prop`; only open or paid ones if `shown` says
    so), open ones first, then the newest."""
    statement = _invoice_list(prop is not None, SHOWN_FILTERS.get(shown))
    return paginate(statement, page, parameters=_parameters(customer, prop))


# The portal's statements are built once for every customer (ANY_CUSTOMER) and shape: building
# a select costs about as much as running it.
@cache
def _amount_due(by_property: bool) -> Select:
    return (
        _issued(by_property)
        .with_only_columns(func.coalesce(func.sum(Invoice.balance_cents), 0), func.count())
        .where(Invoice.status == InvoiceStatus.OPEN)
    )


@cache
def _invoice_list(by_property: bool, status: InvoiceStatus | None) -> Select:
    statement = _issued(by_property)
    if status is not None:
        statement = statement.where(Invoice.status == status)
    open_first = case((Invoice.status == InvoiceStatus.OPEN, 0), else_=1)
    return statement.order_by(open_first, Invoice.issued_on.desc(), Invoice.id.desc()).options(
        joinedload(Invoice.property)
    )


def _issued(by_property: bool) -> Select:
    """The customer's invoices (the scope leaves drafts out), of a property if asked."""
    statement = ANY_CUSTOMER.select(Invoice)
    if by_property:
        statement = statement.where(Invoice.property_id == bindparam("property_id"))
    return statement


def _parameters(customer: CustomerScope, prop: Property | None) -> dict:
    return {**customer.bound(), "property_id": prop.id if prop else None}
