"""Reads of the back office's conversations with customers: who wrote lately, each customer's
newest message, one customer's thread and who a reply is e-mailed to. Technicians see only
the customers they have an open work order for (app.scoping)."""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Customer, Message, PortalUser, StaffUser
from app.models.enums import MessageDirection
from app.queries.paging import paginate
from app.scoping import conversations_for_staff


def conversation_list(staff: StaffUser, unread_only: bool, page: str | None) -> Pagination:
    """A page of the customers with messages `staff` may see, latest activity first (only
    those with unread customer messages when `unread_only`)."""
    activity = (
        select(Message.customer_id, func.max(Message.created_at).label("last_at"))
        .where(conversations_for_staff(staff, Message.customer_id))
        .group_by(Message.customer_id)
    )
    if unread_only:
        activity = activity.where(
            Message.customer_id.in_(
                select(Message.customer_id).where(
                    Message.direction == MessageDirection.FROM_CUSTOMER,
                    Message.read_at.is_(None),
                )
            )
        )
    activity = activity.subquery()
    return paginate(
        select(Customer)
        .join(activity, activity.c.customer_id == Customer.id)
        .order_by(activity.c.last_at.desc(), Customer.id.desc()),
        page,
    )


def latest_messages(customer_ids: list[int]) -> dict[int, Message]:
    """Each customer's newest message (one query for the whole page)."""
    if not customer_ids:
        return {}
    ranked = (
        select(
            Message.id,
            func.row_number()
            .over(
                partition_by=Message.customer_id,
                order_by=(Message.created_at.desc(), Message.id.desc()),
            )
            .label("rank"),
        )
        .where(Message.customer_id.in_(customer_ids))
        .subquery()
    )
    latest = db.session.scalars(
        select(Message)
        .join(ranked, ranked.c.id == Message.id)
        .where(ranked.c.rank == 1)
        .options(joinedload(Message.staff_author), joinedload(Message.portal_author))
    ).all()
    return {message.customer_id: message for message in latest}


def conversation_customer(staff: StaffUser, customer_id: int) -> Customer | None:
    """The customer, if `staff` may see their conversation."""
    return db.session.scalar(
        select(Customer).where(Customer.id == customer_id, conversations_for_staff(staff))
    )


def thread_page(customer_id: int, page: str | None) -> tuple[Pagination, int | None]:
    """A page of the customer's messages, newest first, and the id of the newest of all."""
    mine = Message.customer_id == customer_id
    newest_id = db.session.scalar(select(func.max(Message.id)).where(mine))
    messages = paginate(
        select(Message)
        .where(mine)
        .options(
            joinedload(Message.staff_author),
            joinedload(Message.portal_author),
            joinedload(Message.work_order),
        )
        .order_by(Message.created_at.desc(), Message.id.desc()),
        page,
    )
    return messages, newest_id


def reply_recipients(customer_id: int) -> list[PortalUser]:
    """The customer's active portal users, who are e-mailed a reply."""
    return list(
        db.session.scalars(
            select(PortalUser)
            .where(PortalUser.customer_id == customer_id, PortalUser.active.is_(True))
            .order_by(PortalUser.name)
        )
    )
