"""Service requests in the portal: the customer's list, a new request, one request, its photos."""

from dataclasses import replace
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Optional, ValidationError

from app.extensions import db
from app.formatting import window
from app.forms import WINDOW_CHOICES, ServiceRequestForm
from app.ids import MAX_ID, record_id
from app.models import ServiceRequest, ServiceRequestPhoto
from app.queries.requests import (
    customer_request,
    open_requests_by_unit,
    properties_with_units,
    request_list,
    request_photos,
)
from app.scoping import CustomerScope
from app.services.audit import client_address
from app.services.company import current_company, local_today
from app.services.scheduling import SchedulingError
from app.services.self_booking import chosen_window, offered_windows, submit_in_window
from app.services.service_requests import (
    RequestDetails,
    RequestError,
    request_state,
    submit_portal_request,
)
from app.storage import UploadRejected
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope
from portal.kept_pages import kept_while_unchanged
from portal.pages import send_picture

LATEST_PREFERRED_DAYS = 365


# The days a customer may name, in the order they prefer them; the first is the sticker form's.
CHOICES = ("preferred_date", "second_preferred_date", "third_preferred_date")


class PortalRequestForm(ServiceRequestForm):
    """The sticker's request form, for a signed-in customer: no honeypot, a unit to pick, and
    up to three preferred days.

    `target` is "unit-<id>" or "property-<id>", one of `targets` (built from the scope).
    """

    website = None
    target = StringField(
        _l("What needs service?"),
        validators=[DataRequired(_l("Choose the unit or property that needs service."))],
    )
    preferred_date = DateField(_l("First choice"), validators=[Optional()])
    second_preferred_date = DateField(_l("Second choice"), validators=[Optional()])
    third_preferred_date = DateField(_l("Third choice"), validators=[Optional()])

    def __init__(self, targets: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets

    def validate_target(self, field) -> None:
        if field.data not in self.targets:
            raise ValidationError(_l("Choose one of your units or properties."))

    def validate_preferred_date(self, field) -> None:
        today = local_today()
        if field.data and field.data < today:
            raise ValidationError(_l("Choose today or a later day."))
        if field.data and field.data > today + timedelta(days=LATEST_PREFERRED_DAYS):
            raise ValidationError(_l("Choose a day within the next year."))

    validate_second_preferred_date = validate_third_preferred_date = validate_preferred_date

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = set()
        for name in CHOICES:
            field = self[name]
            if field.data in chosen:
                field.errors = [*field.errors, _l("You chose this day already.")]
                valid = False
            elif field.data:
                chosen.add(field.data)
        return valid

    def details(self) -> RequestDetails:
        """What was asked for; the days given move up, so a lone second choice is the first."""
        days = [self[name].data for name in CHOICES if self[name].data]
        padded = (*days, None, None, None)[: len(CHOICES)]
        return replace(super().details(), **dict(zip(CHOICES, padded, strict=True)))


@bp.get("/requests")
@portal_login_required
@kept_while_unchanged
def requests():
    """The customer's requests, newest first, each with where it stands."""
    page = request_list(scope(), request.args.get("page"))
    return render_template(
        "portal/requests.html",
        page=page,
        states={sr.id: request_state(sr) for sr in page.items},
    )


@bp.get(f"/requests/<int(max={MAX_ID}):request_id>", endpoint="request")
@portal_login_required
@kept_while_unchanged
def request_page(request_id: int):
    """One request: its status, what was asked for, its photos and any repeat reports."""
    customer = scope()
    found = customer_request(customer, request_id)
    if found is None:
        abort(404)
    photos = request_photos(customer, found.id)
    return render_template(
        "portal/request.html",
        sr=found,
        state=request_state(found),
        photos=photos,
        windows=dict(WINDOW_CHOICES),
    )


@bp.get(f"/request-photos/<int(max={MAX_ID}):request_photo_id>")
@portal_login_required
def request_photo(request_photo_id: int):
    """A photo sent with one of the customer's requests (`?thumb=1`: its thumbnail)."""
    return send_picture(scope().get_or_404(ServiceRequestPhoto, request_photo_id))


def _targets(customer: CustomerScope):
    """What the customer can ask about: each property with its units, and a look-up by value."""
    groups = properties_with_units(customer)
    targets = {}
    for prop, its_units in groups:
        targets[f"property-{prop.id}"] = (None, prop)
        targets.update({f"unit-{unit.id}": (unit, prop) for unit in its_units})
    return groups, targets


def _preselected(targets: dict) -> str:
    """The unit or property named in the query string; one that is not theirs is a 404."""
    for name, prefix in (("unit_id", "unit"), ("property_id", "property")):
        typed = (request.args.get(name) or "").strip()
        if typed:
            value = f"{prefix}-{record_id(typed)}"
            if value not in targets:
                abort(404)
            return value
    return ""


def _open_requests(customer: CustomerScope) -> dict[str, ServiceRequest]:
    """Open requests by target value ("unit-<id>"): a new report about the unit joins it."""
    return {f"unit-{unit_id}": row for unit_id, row in open_requests_by_unit(customer).items()}


def _windows_offered(groups) -> list:
    """The open windows the form offers when the company lets customers book themselves.
    Every technician is a candidate anywhere (the usual ones only come first), so the windows
    are the same for each of the customer's properties; booking picks the technician."""
    if not (current_company().portal_self_booking and groups):
        return []
    return offered_windows(groups[0][0])


def _thanks(submission, visit, picked) -> str:
    number = submission.request.number
    if visit is not None:
        return _(
            "Thank you. We received your request %(number)s and booked your visit: %(window)s. "
            "We sent you the details by e-mail.",
            number=number,
            window=window(visit.arrival_start, visit.arrival_end),
        )
    if submission.is_repeat:
        repeat = _(
            "This unit already had an open request, %(number)s. We added your "
            "report to it, so our office sees everything together.",
            number=number,
        )
        if picked:
            repeat += " " + _("Our office will contact you to book the visit.")
        return repeat
    return _(
        "Thank you. We received your request %(number)s. Our office will contact "
        "you to schedule a visit, usually within one business day.",
        number=number,
    )


@bp.route("/requests/new", methods=["GET", "POST"])
@portal_login_required
def new_request():
    """Ask for service on one of their units (or at a property); joins the dispatch queue, or
    with self-booking on and a window picked, becomes a work order with that visit booked."""
    customer, user = scope(), current_portal_user()
    groups, targets = _targets(customer)
    form = PortalRequestForm(targets)
    windows = _windows_offered(groups)
    if request.method == "GET":
        form.target.data = _preselected(targets)
        form.contact_name.data = user.name
        form.contact_email.data = user.email
        form.contact_phone.data = user.phone
    problem = None
    if form.validate_on_submit():
        unit, prop = targets[form.target.data]
        picked = chosen_window(windows, form.window.data)
        try:
            submission, visit = submit_in_window(
                lambda photos: submit_portal_request(
                    user, form.details(), photos, unit=unit, prop=prop, ip_address=client_address()
                ),
                form.photos.data,
                picked,
                asked=bool(form.window.data),
                actor=user,
            )
        except UploadRejected as error:
            db.session.rollback()
            form.photos.errors = [*form.photos.errors, str(error)]
        except (RequestError, SchedulingError) as error:
            db.session.rollback()
            problem = str(error)
            windows = _windows_offered(groups)
        else:
            db.session.commit()
            flash(_thanks(submission, visit, picked))
            return redirect(url_for("portal.dashboard" if visit else "portal.requests"))
    return render_template(
        "portal/request_form.html",
        form=form,
        groups=groups,
        open_requests=_open_requests(customer),
        problem=problem,
        today_iso=local_today().isoformat(),
        windows=windows,
    )
