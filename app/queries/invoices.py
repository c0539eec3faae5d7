"""Reads of invoices: what is unpaid (the office's and the customer's dashboards) and the
portal's invoice list."""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Invoice, Property
from app.models.enums import InvoiceStatus
from app.queries.paging import paginate
from app.queries.sections import Section
from app.scoping import CustomerScope

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
    statement = _issued(customer, prop).with_only_columns(
        func.coalesce(func.sum(Invoice.balance_cents), 0), func.count()
    )
    cents, count = db.session.execute(statement.where(Invoice.status == InvoiceStatus.OPEN)).one()
    return cents, count


def invoice_list(
    customer: CustomerScope, prop: Property | None, shown: str, page: str | None
) -> Pagination:
    """A page of the customer's invoices (of `prop`; only open or paid ones if `shown` says
    so), open ones first, then the newest."""
    statement = _issued(customer, prop)
    if shown in SHOWN_FILTERS:
        statement = statement.where(Invoice.status == SHOWN_FILTERS[shown])
    open_first = case((Invoice.status == InvoiceStatus.OPEN, 0), else_=1)
    return paginate(
        statement.order_by(open_first, Invoice.issued_on.desc(), Invoice.id.desc()).options(
            joinedload(Invoice.property)
        ),
        page,
        one_query=True,
    )


def _issued(customer: CustomerScope, prop: Property | None):
    """The customer's invoices (the scope leaves drafts out), of `prop` if given."""
    statement = customer.select(Invoice)
    return statement.where(Invoice.property_id == prop.id) if prop else statement
