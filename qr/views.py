"""The sticker's one URL and its three faces, plus the private status link and code look-up."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.roles import current_staff
from app.extensions import csrf, db, limiter
from app.formatting import window
from app.forms import RescheduleVisitForm
from app.models import BlankSticker, PortalUser, Property, Unit
from app.models.enums import UnitKind, VisitStatus
from app.outcomes import commit_or_flash
from app.queries.job import openable_jobs
from app.queries.sticker import bind_search, technician_view
from app.refrigerant_form import RefrigerantWorkForm
from app.services.audit import client_address
from app.services.company import current_company, local_today
from app.services.price_book import staff_may_price
from app.services.refrigerant import EventError, record_event
from app.services.scheduling import SchedulingError, move_to_open_window, set_status
from app.services.self_booking import (
    chosen_window,
    offered_windows,
    requester_may_change,
    requester_visit,
    submit_in_window,
    windows_to_move,
)
from app.services.service_requests import (
    RequestError,
    decoy_status_token,
    request_status,
    submit_sticker_request,
)
from app.storage import UploadRejected
from app.urls import public_url
from qr import bp
from qr.forms import CancelVisitForm, LabelCodeForm, StickerRequestForm
from qr.kept_pages import keep_page, kept_page
from qr.tokens import (
    StickerError,
    bind_blank_sticker,
    find_sticker,
    token_for_label_code,
)


def _per_address() -> str:
    return current_app.config["QR_RATE_LIMIT_PER_ADDRESS"]


def _per_unit() -> str:
    return current_app.config["QR_RATE_LIMIT_PER_UNIT"]


def _unit_key() -> str:
    return "sticker:" + (request.view_args or {}).get("token", "").upper()


@limiter.request_filter
def _opening_a_sticker() -> bool:
    """Opening a sticker's page skips the rate limiter's work: its limits count posted forms."""
    return request.method == "GET" and request.endpoint == "qr.sticker"


def _not_found():
    return render_template("qr/not_found.html", form=LabelCodeForm(formdata=None)), 404


@bp.route("/U/<token>", methods=["GET", "POST"])  # what the QR code holds (alphanumeric mode)
@bp.route("/u/<token>", methods=["GET", "POST"])  # registered first: the form links use it
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_unit, key_func=_unit_key, methods=["POST"])
@csrf.exempt  # the request form carries its own signed token (StickerRequestForm): no session
def sticker(token: str):
    page = kept_page()
    if page is not None:
        return page
    found = find_sticker(token)
    if found is None:
        return _not_found()
    staff = current_staff()
    if isinstance(found, BlankSticker):
        if staff is not None:
            return _bind_page(found)
        return render_template("qr/blank.html")
    if staff is not None and request.method == "GET":
        return _technician_page(found)
    if _is_owner(found) and request.method == "GET" and "form" not in request.args:
        return redirect(url_for("portal.unit", unit_id=found.id))
    return _request_form(found)


def _is_owner(unit: Unit) -> bool:
    return isinstance(current_user._get_current_object(), PortalUser) and (
        current_user.customer_id == unit.property.customer_id
    )


def _sticker_windows(unit: Unit) -> list:
    """The open windows the form offers when the company lets people book from a sticker."""
    return offered_windows(unit.property, unit) if current_company().sticker_booking else []


def _request_form(unit: Unit):
    """The public request form; with sticker booking on, picking a window also books a
    tentative visit (the office confirms it; a repeat report books nothing)."""
    form = StickerRequestForm(meta={"csrf_context": unit.qr_token})
    windows, problem = _sticker_windows(unit), ""
    if isinstance(current_user._get_current_object(), PortalUser) and request.method == "GET":
        form.contact_name.data = current_user.name
        form.contact_email.data = current_user.email
        form.contact_phone.data = current_user.phone
    if form.validate_on_submit():
        if form.is_bot:
            return redirect(url_for("qr.request_status", token=decoy_status_token(), new=1))
        picked = chosen_window(windows, form.window.data)
        try:
            submission, _visit = submit_in_window(
                lambda photos: submit_sticker_request(
                    unit, form.details(), photos, ip_address=client_address()
                ),
                form.photos.data,
                picked,
                asked=bool(form.window.data),
                actor=None,
                status=VisitStatus.TENTATIVE,
            )
        except (UploadRejected, RequestError) as error:
            db.session.rollback()
            form.photos.errors = [*form.photos.errors, str(error)]
        except SchedulingError as error:
            db.session.rollback()
            windows, problem = _sticker_windows(unit), str(error)
        else:
            db.session.commit()
            return redirect(url_for("qr.request_status", token=submission.status_token, new=1))
    page = render_template(
        "qr/request.html", form=form, unit=unit, windows=windows, problem=problem
    )
    if not windows:  # every booking changes the open windows: a page offering them is not kept
        keep_page(page)
    return page, 400 if "csrf_token" in form.errors else 200


def _technician_page(unit: Unit):
    view = technician_view(unit.id)
    return render_template(
        "qr/technician.html",
        refrigerant_form=RefrigerantWorkForm(formdata=None),
        unit=view.unit,
        open_orders=view.open_orders,
        my_jobs=openable_jobs(current_staff(), [wo.id for wo in view.open_orders]),
        history=view.history,
        events=view.events,
        today=local_today(),
        show_prices=staff_may_price(),  # technicians record lines, prices if the company lets them
    )


def _bind_page(blank: BlankSticker):
    query = request.args.get("q", "").strip()[:80]
    units, properties = bind_search(query)
    return render_template(
        "qr/bind.html",
        blank=blank,
        query=query,
        units=units,
        properties=properties,
        kinds=list(UnitKind),
    )


def _blank_or_404(token: str) -> BlankSticker:
    found = find_sticker(token)
    if current_staff() is None or not isinstance(found, BlankSticker):
        abort(404)
    return found


@bp.post("/u/<token>/bind")
def bind(token: str):
    """Put a blank sticker on an existing unit (staff only)."""
    blank = _blank_or_404(token)
    unit = db.session.get(Unit, request.form.get("unit_id", type=int) or 0)
    if unit is None:
        flash(_("Choose the unit this sticker goes on."), "error")
        return redirect(url_for("qr.sticker", token=blank.token))
    if unit.qr_token and request.form.get("confirm") != "yes":
        # The unit's own sticker stops working once this one is bound: say so first.
        return render_template("qr/bind_confirm.html", blank=blank, unit=unit)
    return _bind_and_show(blank, unit)


@bp.post("/u/<token>/new-unit")
def bind_new_unit(token: str):
    """Create a unit at a property and put the blank sticker on it (staff only)."""
    blank = _blank_or_404(token)
    prop = db.session.get(Property, request.form.get("property_id", type=int) or 0)
    name = request.form.get("name", "").strip()[:120]
    kind = request.form.get("kind", "")
    if prop is None or not name or kind not in {k.value for k in UnitKind}:
        flash(_("Choose a property, and give the unit a name and a kind."), "error")
        return redirect(url_for("qr.sticker", token=blank.token))
    unit = Unit(
        property=prop,
        name=name,
        kind=UnitKind(kind),
        manufacturer=request.form.get("manufacturer", "").strip()[:80],
        model_number=request.form.get("model_number", "").strip()[:80],
        serial_number=request.form.get("serial_number", "").strip()[:80],
    )
    db.session.add(unit)
    return _bind_and_show(blank, unit)


def _bind_and_show(blank: BlankSticker, unit: Unit):
    try:
        bind_blank_sticker(blank, unit, actor=current_staff())
    except StickerError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("qr.sticker", token=blank.token))
    db.session.commit()
    flash(_("Sticker %(code)s is now on %(unit)s.", code=unit.printed_label_code, unit=unit.name))
    return redirect(url_for("qr.sticker", token=unit.qr_token))


@bp.post("/u/<token>/refrigerant")
def record_refrigerant_work(token: str):
    """A technician records refrigerant work on the unit in front of them."""
    unit = find_sticker(token)
    staff = current_staff()
    if staff is None or not isinstance(unit, Unit):
        abort(404)
    form = RefrigerantWorkForm()
    if form.validate_on_submit():
        with commit_or_flash(EventError):
            record_event(
                unit, form.event(staff), actor=staff, confirm_large=form.confirm_large.data
            )
            flash(_("Recorded."), "info")
    else:
        problems = [f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items()]
        flash(_("Not recorded. %(problems)s", problems="; ".join(problems)), "error")
    return redirect(url_for("qr.sticker", token=unit.qr_token) + "#refrigerant")


@bp.get("/u/lookup")
@limiter.limit(lambda: current_app.config["QR_LOOKUP_RATE_LIMIT"])
def lookup():
    """Find a sticker by the code printed under it, for stickers too damaged to scan."""
    form = LabelCodeForm(request.args)
    token = token_for_label_code(form.code.data) if form.validate() else None
    if token is None:
        form.code.errors = [_("No sticker has that code. Check it and try again, or call us.")]
        return render_template("qr/not_found.html", form=form), 404
    return redirect(url_for("qr.sticker", token=token))


@bp.route("/request-status/<token>", methods=["GET", "POST"], endpoint="request_status")
@limiter.limit(_per_address, methods=["POST"])
def request_status_page(token: str):
    """Where the request stands; with a visit booked, its window and status, and (until it is
    under way) another open window to move it to, or a cancel with a reason."""
    status = request_status(token)
    if status is None:
        abort(404)
    visit = requester_visit(token)
    changeable = visit is not None and requester_may_change(visit)
    move_form, cancel_form = RescheduleVisitForm(), CancelVisitForm()
    windows = windows_to_move(visit) if changeable else []
    problem = ""
    if changeable and request.method == "POST":
        try:
            done = _change_requester_visit(visit, windows, move_form, cancel_form)
        except SchedulingError as error:
            db.session.rollback()
            problem, visit = str(error), requester_visit(token)
            windows = windows_to_move(visit) if visit is not None else []
        else:
            if done:
                db.session.commit()
                flash(done)
                return redirect(url_for("qr.request_status", token=token))
    return render_template(
        "qr/status.html",
        status=status,
        visit=visit,
        changeable=changeable,
        windows=windows,
        move_form=move_form,
        cancel_form=cancel_form,
        problem=problem,
        new=bool(request.args.get("new")),
        link=public_url("qr.request_status", token=token),
    )


def _change_requester_visit(visit, windows, move_form, cancel_form) -> str:
    """Move or cancel the requester's visit as the pressed button says; the message to show
    (nothing when the form was not filled in right)."""
    if request.form.get("action") == "cancel" and cancel_form.validate_on_submit():
        reason = cancel_form.reason.data.strip()
        set_status(visit, VisitStatus.CANCELLED, actor=None, reason=reason)
        return _("Your visit is cancelled.")
    if request.form.get("action") == "move" and move_form.validate_on_submit():
        picked = chosen_window(windows, move_form.window.data)
        if picked is None:
            raise SchedulingError(_("That window was just taken; pick another."))
        move_to_open_window(visit, picked.start, picked.end)
        return _("Your visit has moved to %(window)s.", window=window(picked.start, picked.end))
    return ""
