"""Messages: the customer's conversation with the office, and the unread badge in the menu."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField

from app.extensions import db
from app.ids import optional_id, record_id
from app.models.enums import MessageDirection
from app.outcomes import commit_or_mark_field
from app.queries.messages import thread, work_order_choices, work_order_id
from app.services.messages import (
    MAX_BODY_LENGTH,
    MessageError,
    mark_read_by_customer,
    post_customer_message,
)
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope
from portal.kept_pages import kept_while_unchanged


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Your message"))
    # Checked against the customer's scope by the service, not by the list of choices.
    work_order = SelectField(_l("About a visit"), coerce=optional_id, validate_choice=False)


def _visit_asked_about(typed: str | None) -> tuple[int | None, str | None]:
    """The visit a "message us about this visit" link names, if it is theirs; else a message."""
    if not (typed or "").strip():
        return None, None
    wanted = record_id(typed)
    found = wanted and work_order_id(scope(), wanted)
    if not found:
        return None, _("We could not find that visit on your account.")
    return found, None


@bp.route("/messages", methods=["GET", "POST"])
@portal_login_required
@kept_while_unchanged
def messages():
    """The thread as a conversation (pages newest first, each oldest to newest) with the form
    to write to the office below it; shown answers count as read."""
    user = current_portal_user()
    form = MessageForm()
    form.work_order.choices = work_order_choices(scope(), _("Not about a particular visit"))
    problem = None
    if form.validate_on_submit():
        if commit_or_mark_field(
            form,
            MessageError,
            post_customer_message,
            user,
            form.body.data,
            work_order_id=form.work_order.data,
        ):
            flash(_("Your message was sent. The office will answer here."), "success")
            return redirect(url_for("portal.messages", _anchor="newest"))
    elif request.method == "GET":
        form.work_order.data, problem = _visit_asked_about(request.args.get("work_order"))

    page = thread(scope(), request.args.get("page"))
    shown = page.items
    unread = {
        m.id for m in shown if m.direction == MessageDirection.FROM_OFFICE and m.read_at is None
    }
    if unread:
        # Seeing an answer is what reading it means here; only this customer's own markers move.
        mark_read_by_customer(user.customer_id, unread)
        db.session.commit()
    return render_template(
        "portal/messages.html",
        form=form,
        problem=problem,
        customer_name=user.customer.name,
        messages=shown[::-1],
        unread=unread,
        page=page.page,
        pages=page.pages,
        max_length=MAX_BODY_LENGTH,
    )


@bp.context_processor
def unread_messages_badge():
    """How many office messages the signed-in customer has not seen (next to "Messages")."""
    user = current_portal_user()
    return {"portal_unread_messages": user.customer.unread_from_office if user else 0}
