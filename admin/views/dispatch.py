"""The dispatch queue: open service requests, converted to work orders in one click or dismissed."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin.base import StaffBaseView
from app.auth.roles import current_staff
from app.extensions import db
from app.formatting import window
from app.models import ServiceRequest, StaffUser
from app.models.enums import Priority
from app.outcomes import commit_or_flash
from app.queries.dispatch import dispatch_queue, technician_choices
from app.services.company import from_local
from app.services.dispatch import SuggestedVisit, suggest_visit, suggest_visits
from app.services.service_requests import (
    RequestError,
    convert_request_to_work_order,
    dismiss_request,
)

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class ConvertForm(FlaskForm):
    technician = SelectField(_l("Technician"), coerce=int)
    window_start = DateTimeLocalField(
        _l("Arrive from"), format=LOCAL_INPUT, validators=[Optional()]
    )
    window_end = DateTimeLocalField(_l("Arrive by"), format=LOCAL_INPUT, validators=[Optional()])
    priority = SelectField(_l("Priority"), choices=[(p.value, p.value) for p in Priority])
    summary = StringField(_l("Summary"), validators=[DataRequired(), Length(max=200)])


class DismissForm(FlaskForm):
    reason = TextAreaField(_l("Why dismiss it?"), validators=[DataRequired(), Length(max=500)])


def _technician_choices() -> list[tuple[int, str]]:
    """The convert form's technician choices: nobody yet, then each active technician."""
    return [(0, _("Unassigned")), *technician_choices()]


def _suggested_fields(visit: SuggestedVisit, service_request: ServiceRequest) -> dict[str, str]:
    """The convert form's fields filled with the suggested visit, as a browser posts them: the
    queue card's one button posts them hidden, the convert page starts from them."""
    return {
        "technician": str(visit.technician.id if visit.technician else 0),
        "window_start": visit.start.strftime(LOCAL_INPUT),
        "window_end": visit.end.strftime(LOCAL_INPUT),
        "priority": Priority.NORMAL.value,
        "summary": service_request.description[:200],
    }


def _quick(visit: SuggestedVisit, service_request: ServiceRequest) -> tuple[dict[str, str], str]:
    """What the one-click button posts, and its words (no form is built per card)."""
    label = _(
        "%(window)s, %(technician)s",
        window=window(from_local(visit.start), from_local(visit.end)),
        technician=visit.technician.name if visit.technician else _("Unassigned"),
    )
    return _suggested_fields(visit, service_request), label


class DispatchView(StaffBaseView):
    area = "requests"

    @expose("/")
    def index(self):
        page = dispatch_queue(request.args.get("page"))
        requests = page.items
        visits = suggest_visits(requests)
        return self.render(
            "admin/dispatch.html",
            requests=requests,
            quick_forms={sr.id: _quick(visits[sr.id], sr) for sr in requests},
            page=page,
        )

    @expose("/<int:request_id>/convert", methods=("GET", "POST"))
    def convert(self, request_id: int):
        service_request = db.get_or_404(ServiceRequest, request_id)
        if request.method == "POST":
            posted = request.form
        else:
            posted = MultiDict(_suggested_fields(suggest_visit(service_request), service_request))
        form = ConvertForm(formdata=posted)
        form.technician.choices = _technician_choices()
        if form.validate_on_submit():
            with commit_or_flash(RequestError):
                work_order = convert_request_to_work_order(
                    request_id,
                    technician=db.session.get(StaffUser, form.technician.data) or None,
                    window_start=from_local(form.window_start.data),
                    window_end=from_local(form.window_end.data),
                    priority=Priority(form.priority.data),
                    summary=form.summary.data,
                    actor=current_staff(),
                )
                flash(_("Created %(number)s.", number=work_order.number), "success")
                if request.form.get("back") == "queue":
                    return redirect(url_for(".index"))
                return redirect(url_for("workorder.details_view", id=work_order.id))
        return self.render(
            "admin/dispatch_convert.html", service_request=service_request, form=form
        )

    @expose("/<int:request_id>/dismiss", methods=("POST",))
    def dismiss(self, request_id: int):
        db.get_or_404(ServiceRequest, request_id)
        form = DismissForm()
        if not form.validate_on_submit():
            flash(_("Say why the request is dismissed."), "error")
            return redirect(url_for(".index"))
        with commit_or_flash(RequestError):
            dismissed = dismiss_request(request_id, reason=form.reason.data, actor=current_staff())
            flash(_("Dismissed %(number)s.", number=dismissed.number), "success")
        return redirect(url_for(".index"))
