"""The technician's job page at /admin/job-page/<work order>: phone first, the work order, its
unit and history, and what was done there (lines, notes, photos, refrigerant, time on site).

Every form posts as a plain form (the answer: the page again). The page's script sends notes,
lines and photos from its outbox with `Accept: application/json` and a `sent_key`, and gets
{"ok": true, "message": ...} or {"ok": false, "errors": [...]} (400) instead; a key saved
before is answered "saved already" and adds nothing."""

from functools import wraps

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from admin.base import LinkedStaffView
from admin.views.job_close_out import pay_link_form
from admin.views.job_forms import LineForm, NoteForm, PhotoForm, RemoveForm, TimeForm
from admin.views.job_step import job_or_404
from app.auth.roles import current_staff
from app.errors import UserError
from app.extensions import db
from app.ids import record_id
from app.models.enums import LineKind, PhotoStage, StaffRole, VisitStatus
from app.queries.close_out import close_out_panel
from app.queries.job import job_page
from app.queries.price_book import active_item, offered_items
from app.refrigerant_form import RefrigerantWorkForm
from app.services import job as job_service
from app.services import job_visit
from app.services.company import current_company
from app.services.price_book import NOT_OFFERED, staff_may_price
from app.services.refrigerant import record_event
from app.services.sign_off import sign_off_state


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _first_send(work_order) -> bool:
    """Whether this send is new: the key the page's outbox gave it (none from a plain form) is
    kept with what it saves; False when it was saved before (its answer was lost on the way
    back, and the phone sent it again)."""
    try:
        return job_service.claim_send(work_order, request.form.get("sent_key", ""))
    except IntegrityError:
        db.session.rollback()
        return False


def sent_from_outbox(anchor: str):
    """For the posts the page's outbox sends (lines, notes, photos): the view gets the work
    order, unless this send was saved before; then the answer is "saved already" (at
    `anchor`) and nothing is added."""

    def decorate(view):
        @wraps(view)
        def send(self, work_order_id: str):
            work_order = self._work_order(work_order_id)
            if not _first_send(work_order):
                return self._said(work_order, _("Saved already."), anchor)
            return view(self, work_order)

        return send

    return decorate


def _errors(form) -> list[str]:
    return [f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items()]


def _wrote(field, service, *args, **kwargs) -> bool:
    """Call the job service; when it refuses, its reason becomes `field`'s error (False)."""
    try:
        service(*args, **kwargs)
    except UserError as error:
        field.errors = [str(error)]
        return False
    return True


class JobPageView(LinkedStaffView):
    """Reached from My day, a work order or a sticker, not from the menu."""

    area = "work"

    @expose("/")
    def index(self):
        """No job named: the technician's day, or the office's work orders."""
        if current_staff().role == StaffRole.TECHNICIAN:
            return redirect(url_for("my_day.index"))
        return redirect(url_for("workorder.index_view"))

    _work_order = staticmethod(job_or_404)

    def _page(self, work_order, *, status: int = 200, **forms):
        forms.setdefault("line_form", LineForm(formdata=None))
        forms.setdefault("note_form", NoteForm(formdata=None))
        forms.setdefault("photo_form", PhotoForm(formdata=None))
        forms.setdefault("refrigerant_form", RefrigerantWorkForm(formdata=None))
        forms.setdefault("time_form", TimeForm(formdata=None))
        items = offered_items()
        staff = current_staff()
        visits = [v for v in work_order.visits if v.status != VisitStatus.CANCELLED]
        panel = close_out_panel(work_order)
        free_lines = current_company().free_lines_allowed
        forms["line_form"].item.choices = [
            *([("", _("Not from the price book"))] if free_lines else []),
            *((str(item.id), str(item)) for item in items),
        ]
        return (
            self.render(
                "admin/job/page.html",
                wo=work_order,
                job=job_page(work_order),
                times=[job_visit.time_on_site(v) for v in visits],
                may_confirm={v.id for v in visits if job_visit.may_confirm_time(v, staff)},
                may_price=staff_may_price(),
                free_lines=free_lines,
                remove_form=RemoveForm(formdata=None),
                close_out=panel,
                sign_off=sign_off_state(work_order),
                pay_link_form=pay_link_form(panel, formdata=None),
                **forms,
            ),
            status,
        )

    def _saved(self, work_order, message: str, anchor: str):
        """Commit, and say so: to the page's script, or as the page again (at `anchor`)."""
        db.session.commit()
        return self._said(work_order, message, anchor)

    def _said(self, work_order, message: str, anchor: str):
        if _wants_json():
            return jsonify(ok=True, message=message)
        flash(message, "success")
        return redirect(url_for(".page", work_order_id=work_order.id) + anchor)

    def _refused(self, work_order, form, form_name: str):
        """Nothing saved: the page again with what was typed and why, or the reasons in JSON."""
        work_order_id = work_order.id
        db.session.rollback()
        if _wants_json():
            return jsonify(ok=False, errors=_errors(form)), 400
        return self._page(self._work_order(work_order_id), status=400, **{form_name: form})

    @expose("/<work_order_id>")
    def page(self, work_order_id: str):
        return self._page(self._work_order(work_order_id))

    @expose("/<work_order_id>/lines", methods=("POST",))
    @sent_from_outbox("#lines")
    def add_line(self, work_order):
        form = LineForm()
        item = active_item(record_id(form.item.data))
        if form.item.data and item is None:
            form.item.errors = [str(NOT_OFFERED)]
        elif form.validate_on_submit() and _wrote(
            form.item,
            job_service.add_line,
            work_order,
            item=item,
            quantity=form.quantity.data,
            description=form.description.data or "",
            kind=LineKind(form.kind.data),
            price_cents=form.price.data,
            may_price=staff_may_price(),
            actor=current_staff(),
        ):
            return self._saved(work_order, _("Line added."), "#lines")
        return self._refused(work_order, form, "line_form")

    @expose("/<work_order_id>/lines/remove", methods=("POST",))
    def remove_line(self, work_order_id: str):
        work_order = self._work_order(work_order_id)
        form = RemoveForm()
        if not form.validate_on_submit():
            abort(400)
        try:
            line = job_service.remove_line(
                work_order, record_id(form.line_id.data) or 0, actor=current_staff()
            )
        except UserError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for(".page", work_order_id=work_order.id) + "#lines")
        return self._saved(work_order, _("Removed: %(line)s.", line=line.description), "#lines")

    @expose("/<work_order_id>/notes", methods=("POST",))
    @sent_from_outbox("#notes")
    def add_note(self, work_order):
        form = NoteForm()
        if form.validate_on_submit() and _wrote(
            form.body,
            job_service.add_note,
            work_order,
            form.body.data,
            visible_to_customer=form.visible_to_customer.data,
            actor=current_staff(),
        ):
            return self._saved(work_order, _("Note saved."), "#notes")
        return self._refused(work_order, form, "note_form")

    @expose("/<work_order_id>/photos", methods=("POST",))
    @sent_from_outbox("#photos")
    def add_photo(self, work_order):
        form = PhotoForm()
        if form.validate_on_submit() and _wrote(
            form.photo,
            job_visit.add_photo,
            work_order,
            form.photo.data,
            stage=PhotoStage(form.stage.data),
            caption=form.caption.data or "",
            actor=current_staff(),
        ):
            return self._saved(work_order, _("Photo added."), "#photos")
        return self._refused(work_order, form, "photo_form")

    @expose("/<work_order_id>/refrigerant", methods=("POST",))
    def record_refrigerant(self, work_order_id: str):
        work_order = self._work_order(work_order_id)
        if work_order.unit is None:
            abort(404)
        form = RefrigerantWorkForm()
        staff = current_staff()
        if form.validate_on_submit() and _wrote(
            form.kind,
            record_event,
            work_order.unit,
            form.event(staff, work_order),
            actor=staff,
            confirm_large=form.confirm_large.data,
        ):
            return self._saved(work_order, _("Refrigerant work recorded."), "#refrigerant")
        return self._refused(work_order, form, "refrigerant_form")

    @expose("/<work_order_id>/time", methods=("POST",))
    def confirm_time(self, work_order_id: str):
        work_order = self._work_order(work_order_id)
        form = TimeForm()
        visit_id = record_id(form.visit_id.data)
        visit = next((v for v in work_order.visits if v.id == visit_id), None)
        if visit is None:
            form.visit_id.errors = [_("That visit is no longer on this job.")]
        elif form.validate_on_submit() and _wrote(
            form.end,
            job_visit.confirm_time_on_site,
            visit,
            form.start.data,
            form.end.data,
            actor=current_staff(),
        ):
            return self._saved(work_order, _("Time on site confirmed."), "#time")
        return self._refused(work_order, form, "time_form")
