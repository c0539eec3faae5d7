"""A customer's conversation with the office: posting, replying, read markers, unread counts.

A message has one reader, the other side: `read_at` on a customer's message says when the
office read it, on an office message when the customer did.
"""

from collections.abc import Iterable

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.errors import UserError
from app.extensions import db
from app.models import Customer, Message, PortalUser, StaffUser, WorkOrder
from app.models.base import utcnow
from app.models.enums import MessageDirection
from app.scoping import CustomerScope, conversations_for_staff
from app.services.audit import record
from app.services.company import current_company
from app.services.portal_access import mail_portal_user
from app.urls import public_url

MAX_BODY_LENGTH = 5000


class MessageError(UserError):
    """A message that cannot be sent; the text is safe to show to whoever wrote it, next to
    the form field named `field`."""

    def __init__(self, text, field: str = "body"):
        super().__init__(text)
        self.field = field


def _clean_body(body: str | None) -> str:
    # Browsers count a line break as one character but send two.
    text = (body or "").replace("\r\n", "\n").strip()
    if not text:
        raise MessageError(_("Write a message before sending it."))
    if len(text) > MAX_BODY_LENGTH:
        raise MessageError(
            _(
                "Keep your message under %(max)s characters.",
                max=format_number(MAX_BODY_LENGTH),
            )
        )
    return text


def _customers_work_order(customer_id: int, work_order_id: int | None, refusal) -> WorkOrder | None:
    """The customer's own work order, or MessageError(refusal) for anybody else's."""
    if work_order_id is None:
        return None
    found = db.session.scalar(
        CustomerScope(customer_id).select(WorkOrder).where(WorkOrder.id == work_order_id)
    )
    if found is None:
        raise MessageError(refusal, field="work_order")
    return found


def _added(customer_id: int, work_order_id: int | None, refusal, body, **fields) -> Message:
    """A message in the customer's conversation, added and flushed; MessageError (nothing
    added) for a work order that is not the customer's (`refusal` says so) or an unusable body."""
    message = Message(
        customer_id=customer_id,
        work_order=_customers_work_order(customer_id, work_order_id, refusal),
        body=_clean_body(body),
        **fields,
    )
    db.session.add(message)
    db.session.flush()
    return message


def post_customer_message(
    author: PortalUser, body: str, *, work_order_id: int | None = None
) -> Message:
    """A portal user writes to the office, optionally about one of their customer's work orders."""
    message = _added(
        author.customer_id,
        work_order_id,
        _l("Choose one of your own visits, or none."),
        body,
        direction=MessageDirection.FROM_CUSTOMER,
        portal_author=author,
    )
    record("message_posted", message, actor=author)
    return message


def post_office_reply(
    customer: Customer,
    body: str,
    *,
    staff: StaffUser,
    work_order_id: int | None = None,
    seen_up_to: int | None = None,
) -> Message:
    """Staff reply to a customer: their messages (up to `seen_up_to`) count as read, and every
    active portal user of the customer gets an e-mail with a link to the conversation."""
    message = _added(
        customer.id,
        work_order_id,
        _l("Choose one of this customer's work orders, or none."),
        body,
        direction=MessageDirection.FROM_OFFICE,
        staff_author=staff,
    )
    mark_read_by_office(customer.id, up_to=seen_up_to)
    record("message_replied", message, actor=staff, summary=f"{customer.name}: {message}")
    _tell_portal_users(customer)
    return message


def _tell_portal_users(customer: Customer) -> None:
    """A short "you have a reply" e-mail; the words themselves stay behind the portal sign-in."""
    recipients = db.session.scalars(
        select(PortalUser)
        .where(PortalUser.customer_id == customer.id, PortalUser.active.is_(True))
        .order_by(PortalUser.id)
    ).all()
    link = public_url("portal.messages") + "#newest"  # the reply, just above the composer
    subject = _l("New message from %(company)s", company=current_company().name)
    for user in recipients:
        mail_portal_user(user, subject, "message_reply", link=link)


def mark_read_by_customer(customer_id: int, message_ids: Iterable[int] | None = None) -> int:
    """The customer has seen these office messages (all of them without ids); returns how many
    were unread."""
    where = [
        Message.customer_id == customer_id,
        Message.direction == MessageDirection.FROM_OFFICE,
        Message.read_at.is_(None),
    ]
    if message_ids is not None:
        ids = list(message_ids)
        if not ids:
            return 0
        where.append(Message.id.in_(ids))
    return _mark_read(where)


def mark_read_by_office(customer_id: int, *, up_to: int | None = None) -> int:
    """The office has read the customer's messages (those up to id `up_to`, when given, so one
    that arrived after the page was shown stays unread); returns how many were unread."""
    where = [
        Message.customer_id == customer_id,
        Message.direction == MessageDirection.FROM_CUSTOMER,
        Message.read_at.is_(None),
    ]
    if up_to is not None:
        where.append(Message.id <= up_to)
    return _mark_read(where)


def _mark_read(where: list) -> int:
    result = db.session.execute(
        update(Message)
        .where(*where)
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def unread_for_office(staff: StaffUser) -> int:
    """Customer messages nobody in the office has read, among the conversations `staff` sees."""
    return db.session.scalar(
        select(func.count()).where(
            Message.direction == MessageDirection.FROM_CUSTOMER,
            Message.read_at.is_(None),
            conversations_for_staff(staff, Message.customer_id),
        )
    )


def unread_counts(customer_ids: Iterable[int]) -> dict[int, int]:
    """Unread customer messages per customer, for those of `customer_ids` that have any."""
    ids = list(customer_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Message.customer_id, func.count())
        .where(
            Message.customer_id.in_(ids),
            Message.direction == MessageDirection.FROM_CUSTOMER,
            Message.read_at.is_(None),
        )
        .group_by(Message.customer_id)
    )
    return dict(rows.all())
