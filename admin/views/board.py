"""The dispatch board at /admin/board: a day or a week, technicians as rows, visits as blocks.

One form books a waiting work order or moves a visit (board.js fills it in when a block is
dropped somewhere); a clash is refused and shown until the dispatcher ticks "Book anyway".
"""

from datetime import date, datetime, timedelta

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, TimeField
from wtforms.validators import DataRequired, NumberRange, Optional

from admin.base import StaffBaseView, posted_record
from app.auth.roles import current_staff
from app.extensions import db
from app.ids import record_id
from app.labels import LABELS, label
from app.models import Visit, WorkOrder
from app.models.enums import VisitStatus
from app.outcomes import commit_or_flash
from app.queries.board import build_board
from app.queries.dispatch import technician_choices
from app.services.company import from_local, local_day, local_today, to_local
from app.services.scheduling import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    SchedulingError,
    Slot,
    SlotConflict,
    book_visit,
    move_visit,
    set_status,
)
from app.services.self_booking import confirm_tentative, tentative_visits

VIEWS = {"day": 1, "week": 7}


class PlaceVisitForm(FlaskForm):
    """Book a waiting work order (work_order_id) or move a visit (visit_id)."""

    visit_id = HiddenField()
    work_order_id = HiddenField()
    technician = SelectField(_l("Technician"), coerce=int)
    day = DateField(_l("Day"), validators=[DataRequired()])
    starts = TimeField(_l("Arrive from"), validators=[DataRequired()])
    ends = TimeField(_l("Arrive by"), validators=[DataRequired()])
    duration = IntegerField(
        _l("Expected duration (minutes)"),
        default=60,
        validators=[DataRequired(), NumberRange(MIN_DURATION_MINUTES, MAX_DURATION_MINUTES)],
    )
    book_anyway = BooleanField(_l("Book anyway (I know it clashes)"), validators=[Optional()])


class ConfirmForm(FlaskForm):
    """One click: confirm a visit booked from a sticker."""

    visit_id = HiddenField()


class VisitStatusForm(FlaskForm):
    visit_id = HiddenField()
    status = SelectField(
        _l("Status"), choices=[(s.value, words) for s, words in LABELS[VisitStatus].items()]
    )


def _asked_day() -> date:
    try:
        return date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return local_today()


class BoardView(StaffBaseView):
    area = "requests"

    def _place_form(self, formdata=None) -> PlaceVisitForm:
        form = PlaceVisitForm(formdata=formdata)
        form.technician.choices = [(0, _("Unassigned")), *technician_choices()]
        return form

    @staticmethod
    def _chosen(form: PlaceVisitForm) -> tuple[Visit | None, WorkOrder | None]:
        """The visit being moved or the work order being booked, as the form names them."""
        visit_id, work_order_id = record_id(form.visit_id.data), record_id(form.work_order_id.data)
        if visit_id:
            visit = db.session.get(Visit, visit_id)
            return visit, visit.work_order if visit else None
        return None, db.session.get(WorkOrder, work_order_id) if work_order_id else None

    def _fill_from_query(self, form: PlaceVisitForm, day: date) -> None:
        """Start the form from the visit or work order picked on the board (?visit= or
        ?work_order=), else empty on the day shown."""
        form.day.data = day
        visit = db.session.get(Visit, record_id(request.args.get("visit")) or 0)
        if visit is not None:
            start, end = to_local(visit.arrival_start), to_local(visit.arrival_end)
            form.visit_id.data = str(visit.id)
            form.technician.data = visit.lead_technician_id or 0
            form.day.data, form.starts.data, form.ends.data = start.date(), start.time(), end.time()
            form.duration.data = visit.duration_minutes
            return
        work_order = db.session.get(WorkOrder, record_id(request.args.get("work_order")) or 0)
        if work_order is not None:
            form.work_order_id.data = str(work_order.id)
            form.technician.data = work_order.technician_id or 0

    def _render(self, day: date, view: str, form: PlaceVisitForm, conflicts=(), status=200):
        first = day - timedelta(days=day.weekday()) if view == "week" else day
        board = build_board(first, VIEWS[view])
        visit, work_order = self._chosen(form)
        status_form = None
        if visit is not None:
            status_form = VisitStatusForm(formdata=None, visit_id=str(visit.id))
            status_form.status.data = visit.status.value
        step = timedelta(days=VIEWS[view])
        return (
            self.render(
                "admin/board.html",
                board=board,
                view=view,
                day=day,
                today=local_today(),
                previous_day=first - step,
                next_day=first + step,
                form=form,
                chosen_visit=visit,
                chosen_work_order=work_order,
                status_form=status_form,
                conflicts=conflicts,
                tentative=[(v, local_day(v.arrival_start)) for v in tentative_visits()],
                confirm_form=ConfirmForm(formdata=None),
            ),
            status,
        )

    @expose("/")
    def index(self):
        view = request.args.get("view") if request.args.get("view") in VIEWS else "day"
        day = _asked_day()
        form = self._place_form()
        self._fill_from_query(form, day)
        return self._render(day, view, form)

    @expose("/place", methods=("POST",))
    def place(self):
        view = request.form.get("view") if request.form.get("view") in VIEWS else "day"
        form = self._place_form(request.form)
        if not form.validate_on_submit():
            return self._render(form.day.data or local_today(), view, form, status=400)
        visit, work_order = self._chosen(form)
        if work_order is None:
            flash(_("Pick a visit or a work order waiting for one first."), "error")
            return self._render(form.day.data, view, form, status=400)
        slot = Slot(
            from_local(datetime.combine(form.day.data, form.starts.data)),
            from_local(datetime.combine(form.day.data, form.ends.data)),
            form.duration.data,
            form.technician.data or None,
            tuple(person.id for person in visit.helpers) if visit else (),
        )
        anyway = form.book_anyway.data
        try:
            if visit is not None:
                move_visit(visit, slot, actor=current_staff(), book_anyway=anyway)
                done = _("Moved the visit for %(number)s.", number=work_order.number)
            else:
                book_visit(work_order, slot, actor=current_staff(), book_anyway=anyway)
                done = _("Booked a visit for %(number)s.", number=work_order.number)
        except SlotConflict as clash:
            db.session.rollback()
            form.book_anyway.data = False
            return self._render(form.day.data, view, form, clash.conflicts, status=409)
        except SchedulingError as error:
            db.session.rollback()
            flash(str(error), "error")
            return self._render(form.day.data, view, form, status=400)
        db.session.commit()
        flash(done, "success")
        return redirect(url_for(".index", day=form.day.data.isoformat(), view=view))

    @expose("/confirm", methods=("POST",))
    def confirm(self):
        form = ConfirmForm(request.form)
        visit = db.session.get(Visit, record_id(form.visit_id.data) or 0)
        if visit is None or not form.validate_on_submit():
            flash(_("That visit is no longer waiting for confirmation."), "error")
            return redirect(url_for(".index"))
        with commit_or_flash(SchedulingError):
            confirm_tentative(visit, actor=current_staff())
            flash(
                _("Confirmed %(number)s; the requester is told.", number=visit.work_order.number),
                "success",
            )
        day = to_local(visit.arrival_start).date()
        return redirect(url_for(".index", day=day.isoformat()))

    @expose("/status", methods=("POST",))
    def status(self):
        form = VisitStatusForm(request.form)
        visit = posted_record(
            Visit, form.visit_id.data, _("Pick a visit or a work order waiting for one first.")
        )
        day = to_local(visit.arrival_start).date()
        if form.validate_on_submit():
            with commit_or_flash(SchedulingError):
                set_status(visit, VisitStatus(form.status.data), actor=current_staff())
                flash(_("The visit is now %(status)s.", status=label(visit.status)))
        return redirect(url_for(".index", day=day.isoformat(), visit=visit.id))
