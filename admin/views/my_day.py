"""My day at /admin/my-day: a technician's visits today on their phone, with On my way (and
when they will arrive), Arrived and Done for each."""

from datetime import date, timedelta

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TimeField
from wtforms.validators import Optional

from admin.base import StaffBaseView, posted_record
from app.auth.roles import current_staff
from app.labels import label
from app.models import Visit
from app.models.enums import VisitStatus
from app.outcomes import commit_or_flash
from app.services.company import local_day, local_today
from app.services.my_day import (
    ETA_MINUTES,
    NO_ETA,
    STEPS,
    expected_arrival,
    take_step,
    visits_on_my_day,
)
from app.services.scheduling import SchedulingError


class StepForm(FlaskForm):
    """One step on one visit; On my way also says when (minutes, or a time of day)."""

    visit_id = HiddenField()
    step = SelectField(choices=[(s.value, s.value) for s in STEPS])
    eta_minutes = IntegerField(validators=[Optional()])
    eta_time = TimeField(validators=[Optional()])


def next_steps(visit: Visit) -> list[VisitStatus]:
    """The buttons a visit shows: On my way (again, to re-estimate) and Arrived until the
    technician is there, then Done."""
    if visit.status in (VisitStatus.SCHEDULED, VisitStatus.CONFIRMED, VisitStatus.EN_ROUTE):
        return [VisitStatus.EN_ROUTE, VisitStatus.ON_SITE]
    if visit.status == VisitStatus.ON_SITE:
        return [VisitStatus.DONE]
    return []


class MyDayView(StaffBaseView):
    area = "my_day"

    @expose("/")
    def index(self):
        """Today, or the day ?day= names (a look ahead at tomorrow's round)."""
        try:
            day = date.fromisoformat(request.args.get("day", ""))
        except ValueError:
            day = local_today()
        visits = visits_on_my_day(current_staff(), day)
        return self.render(
            "admin/my_day.html",
            visits=visits,
            steps={visit.id: next_steps(visit) for visit in visits},
            form=StepForm(formdata=None),
            eta_minutes=ETA_MINUTES,
            day=day,
            today=local_today(),
            next_day=day + timedelta(days=1),
        )

    @expose("/step", methods=("POST",))
    def step(self):
        form = StepForm(request.form)
        visit = posted_record(Visit, form.visit_id.data, _("That visit is no longer on your day."))
        technician = current_staff()
        if technician not in visit.technicians:
            abort(404)
        if not form.validate_on_submit():
            eta_wrong = form.eta_minutes.errors or form.eta_time.errors
            flash(NO_ETA if eta_wrong else _("Pick On my way, Arrived or Done."), "error")
            return redirect(url_for(".index"))
        step = VisitStatus(form.step.data)
        with commit_or_flash(SchedulingError):
            eta = None
            if step == VisitStatus.EN_ROUTE:
                eta = expected_arrival(form.eta_minutes.data, form.eta_time.data)
            take_step(visit, technician, step, eta=eta)
            flash(
                _(
                    "%(number)s: %(status)s.",
                    number=visit.work_order.number,
                    status=label(visit.status),
                ),
                "success",
            )
        day = local_day(visit.arrival_start)
        return redirect(url_for(".index", day=day.isoformat()) + f"#visit-{visit.id}")
