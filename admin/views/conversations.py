"""Conversations with customers: who wrote lately, what is unread, and a reply form per customer.

Technicians see only the customers they have an open work order for (app.scoping).
"""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound
from wtforms import HiddenField, SelectField, TextAreaField

from admin.base import StaffBaseView
from app.auth.roles import current_staff
from app.extensions import db
from app.ids import optional_id, record_id
from app.models import Customer
from app.outcomes import commit_or_mark_field
from app.queries.conversations import (
    conversation_customer,
    conversation_list,
    latest_messages,
    reply_recipients,
    thread_page,
)
from app.queries.messages import work_order_choices
from app.scoping import CustomerScope
from app.services.messages import (
    MAX_BODY_LENGTH,
    MessageError,
    mark_read_by_office,
    post_office_reply,
    unread_counts,
)


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Reply"))
    # Checked against the customer's records by the service, not by the list of choices.
    work_order = SelectField(_l("About a work order"), coerce=optional_id, validate_choice=False)
    # The newest message on screen: one that arrives while staff type stays unread.
    seen_up_to = HiddenField()


class MarkReadForm(FlaskForm):
    seen_up_to = HiddenField()


class ConversationsView(StaffBaseView):
    area = "conversations"

    @expose("/")
    def index(self):
        """Customers with messages, latest activity first, with their unread counts."""
        unread_only = request.args.get("unread") == "1"
        page = conversation_list(current_staff(), unread_only, request.args.get("page"))
        ids = [customer.id for customer in page.items]
        return self.render(
            "admin/conversations.html",
            page=page,
            latest=latest_messages(ids),
            unread=unread_counts(ids),
            unread_only=unread_only,
        )

    def _customer(self, customer_id: int) -> Customer:
        """A customer whose conversation the signed-in staff member may see; else 404."""
        found = conversation_customer(current_staff(), customer_id)
        if found is None:
            raise NotFound()
        return found

    @expose("/<int:customer_id>", methods=("GET", "POST"))
    def thread(self, customer_id: int):
        """One customer's messages, newest first, and the reply form."""
        customer = self._customer(customer_id)
        form = ReplyForm()
        form.work_order.choices = work_order_choices(
            CustomerScope(customer.id), _("Not about a particular work order")
        )
        if form.validate_on_submit() and commit_or_mark_field(
            form,
            MessageError,
            post_office_reply,
            customer,
            form.body.data,
            staff=current_staff(),
            work_order_id=form.work_order.data,
            seen_up_to=record_id(form.seen_up_to.data),
        ):
            flash(_("Your reply was sent."), "success")
            return redirect(url_for(".thread", customer_id=customer_id))

        page, newest_id = thread_page(customer_id, request.args.get("page"))
        form.seen_up_to.data = newest_id or ""
        return self.render(
            "admin/conversation.html",
            customer=customer,
            page=page,
            unread_count=unread_counts([customer_id]).get(customer_id, 0),
            recipients=reply_recipients(customer_id),
            form=form,
            read_form=MarkReadForm(seen_up_to=newest_id or ""),
            max_length=MAX_BODY_LENGTH,
        )

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
