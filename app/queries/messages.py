"""Reads of the portal's messages page: the customer's thread with the office, and the work
orders a message may be about (the office's reply form offers the same)."""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Message, WorkOrder
from app.queries.paging import paginate
from app.scoping import ANY_CUSTOMER, CustomerScope

WORK_ORDER_CHOICES = 20

# The page's reads are built once for every customer (ANY_CUSTOMER): building a select with its
# loader options costs about as much as running it.
_RECENT_WORK_ORDERS = (
    ANY_CUSTOMER.select(WorkOrder)
    .with_only_columns(WorkOrder.id, WorkOrder.number, WorkOrder.summary)
    .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
    .limit(WORK_ORDER_CHOICES)
)
_THREAD = (
    ANY_CUSTOMER.select(Message)
    .order_by(Message.created_at.desc(), Message.id.desc())
    .options(
        joinedload(Message.staff_author),
        joinedload(Message.portal_author),
        joinedload(Message.work_order),
    )
)


def work_order_choices(customer: CustomerScope, not_about: str) -> list[tuple]:
    """The choices of a message's "about" select: `not_about`, then the customer's latest work
    orders as "WO-1042 · No cooling"."""
    recent = db.session.execute(_RECENT_WORK_ORDERS, customer.bound()).all()
    return [("", not_about), *((row.id, f"{row.number} · {row.summary}") for row in recent)]


def work_order_id(customer: CustomerScope, wanted: int) -> int | None:
    """`wanted` if it is one of the customer's work orders, else None."""
    return db.session.scalar(
        customer.select(WorkOrder).with_only_columns(WorkOrder.id).where(WorkOrder.id == wanted)
    )


def thread(customer: CustomerScope, page: str | None) -> Pagination:
    """A page of the customer's messages, newest first."""
    return paginate(_THREAD, page, parameters=customer.bound())
