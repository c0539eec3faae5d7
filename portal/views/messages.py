"""Messages: the customer's conversation with the office, and the unread badge in the menu."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import SelectField, TextAreaField

from app.extensions import db
from app.ids import optional_id, record_id
from app.models import Message, WorkOrder
from app.models.enums import MessageDirection
from app.outcomes import commit_or_mark_field
from app.queries.paging import paginate
from app.scoping import ANY_CUSTOMER
from app.services.messages import (
    MAX_BODY_LENGTH,
    MessageError,
    mark_read_by_customer,
    post_customer_message,
)
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope

WORK_ORDER_CHOICES = 20


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Your message"))
    # Checked against the customer's scope by the service, not by the list of choices.
    work_order = SelectField(_l("About a visit"), coerce=optional_id, validate_choice=False)


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


def _work_order_choices() -> list[tuple]:
    recent = db.session.execute(_RECENT_WORK_ORDERS, scope().bound()).all()
    return [
        ("", _("Not about a particular visit")),
        *((row.id, f"{row.number} · {row.summary}") for row in recent),
    ]


def _visit_asked_about(typed: str | None) -> tuple[int | None, str | None]:
    """The visit a "message us about this visit" link names, if it is theirs; else a message."""
    if not (typed or "").strip():
        return None, None
    wanted = record_id(typed)
    found = wanted and db.session.scalar(
        scope().select(WorkOrder).with_only_columns(WorkOrder.id).where(WorkOrder.id == wanted)
    )
    if not found:
        return None, _("We could not find that visit on your account.")
    return found, None


@bp.route("/messages", methods=["GET", "POST"])
@portal_login_required
def messages():
    """The thread as a conversation (pages newest first, each oldest to newest) with the form
    to write to the office below it; shown answers count as read."""
    user = current_portal_user()
    form = MessageForm()
    form.work_order.choices = _work_order_choices()
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

    page = paginate(_THREAD, request.args.get("page"), one_query=True, parameters=scope().bound())
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
