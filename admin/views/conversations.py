"""Conversations with customers: who wrote lately, what is unread, and a reply form per customer.

Technicians see only the customers they have an open work order for (app.scoping).
"""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound
from wtforms import HiddenField, SelectField, TextAreaField

from admin.base import StaffBaseView
from app.auth.roles import current_staff
from app.extensions import db
from app.ids import optional_id, record_id
from app.models import Customer, Message, PortalUser, WorkOrder
from app.models.enums import MessageDirection
from app.queries.paging import paginate
from app.scoping import conversations_for_staff
from app.services.messages import (
    MAX_BODY_LENGTH,
    MessageError,
    mark_read_by_office,
    post_office_reply,
    unread_counts,
)

WORK_ORDER_CHOICES = 20
UNREAD_FROM_CUSTOMER = (
    Message.direction == MessageDirection.FROM_CUSTOMER,
    Message.read_at.is_(None),
)


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Reply"))
    # Checked against the customer's records by the service, not by the list of choices.
    work_order = SelectField(_l("About a work order"), coerce=optional_id, validate_choice=False)
    # The newest message on screen: one that arrives while staff type stays unread.
    seen_up_to = HiddenField()


class MarkReadForm(FlaskForm):
    seen_up_to = HiddenField()


def _latest_messages(customer_ids: list[int]) -> dict[int, Message]:
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


class ConversationsView(StaffBaseView):
    area = "conversations"

    @expose("/")
    def index(self):
        """Customers with messages, latest activity first, with their unread counts."""
        unread_only = request.args.get("unread") == "1"
        activity = (
            select(Message.customer_id, func.max(Message.created_at).label("last_at"))
            .where(conversations_for_staff(current_staff(), Message.customer_id))
            .group_by(Message.customer_id)
        )
        if unread_only:
            activity = activity.where(
                Message.customer_id.in_(select(Message.customer_id).where(*UNREAD_FROM_CUSTOMER))
            )
        activity = activity.subquery()
        page = paginate(
            select(Customer)
            .join(activity, activity.c.customer_id == Customer.id)
            .order_by(activity.c.last_at.desc(), Customer.id.desc()),
            request.args.get("page"),
        )
        ids = [customer.id for customer in page.items]
        return self.render(
            "admin/conversations.html",
            page=page,
            latest=_latest_messages(ids),
            unread=unread_counts(ids),
            unread_only=unread_only,
        )

    def _customer(self, customer_id: int) -> Customer:
        """A customer whose conversation the signed-in staff member may see; else 404."""
        found = db.session.scalar(
            select(Customer).where(
                Customer.id == customer_id, conversations_for_staff(current_staff())
            )
        )
        if found is None:
            raise NotFound()
        return found

    @expose("/<int:customer_id>", methods=("GET", "POST"))
    def thread(self, customer_id: int):
        """One customer's messages, newest first, and the reply form."""
        customer = self._customer(customer_id)
        form = ReplyForm()
        form.work_order.choices = self._work_order_choices(customer)
        if form.validate_on_submit():
            try:
                post_office_reply(
                    customer,
                    form.body.data,
                    staff=current_staff(),
                    work_order_id=form.work_order.data,
                    seen_up_to=record_id(form.seen_up_to.data),
                )
            except MessageError as error:
                db.session.rollback()
                form[error.field].errors.append(str(error))
            else:
                db.session.commit()
                flash(_("Your reply was sent."), "success")
                return redirect(url_for(".thread", customer_id=customer_id))

        mine = Message.customer_id == customer_id
        newest_id = db.session.scalar(select(func.max(Message.id)).where(mine))
        page = paginate(
            select(Message)
            .where(mine)
            .options(
                joinedload(Message.staff_author),
                joinedload(Message.portal_author),
                joinedload(Message.work_order),
            )
            .order_by(Message.created_at.desc(), Message.id.desc()),
            request.args.get("page"),
        )
        recipients = db.session.scalars(
            select(PortalUser)
            .where(PortalUser.customer_id == customer_id, PortalUser.active.is_(True))
            .order_by(PortalUser.name)
        ).all()
        form.seen_up_to.data = newest_id or ""
        return self.render(
            "admin/conversation.html",
            customer=customer,
            page=page,
            unread_count=unread_counts([customer_id]).get(customer_id, 0),
            recipients=recipients,
            form=form,
            read_form=MarkReadForm(seen_up_to=newest_id or ""),
            max_length=MAX_BODY_LENGTH,
        )

    def _work_order_choices(self, customer: Customer) -> list[tuple]:
        recent = db.session.execute(
            select(WorkOrder.id, WorkOrder.number, WorkOrder.summary)
            .where(WorkOrder.customer_id == customer.id)
            .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
            .limit(WORK_ORDER_CHOICES)
        ).all()
        return [
            ("", _("Not about a particular work order")),
            *((row.id, f"{row.number} · {row.summary}") for row in recent),
        ]

    @expose("/<int:customer_id>/read", methods=("POST",))
    def mark_read(self, customer_id: int):
        """For messages that need no answer: the office has read them."""
        self._customer(customer_id)
        form = MarkReadForm()
        if form.validate_on_submit():
            mark_read_by_office(customer_id, up_to=record_id(form.seen_up_to.data))
            db.session.commit()
            flash(_("The customer's messages are marked as read."), "success")
        return redirect(url_for(".thread", customer_id=customer_id))
