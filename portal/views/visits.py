"""A customer's visits: each one's calendar entry (.ics) to add to their own calendar, and,
when the company lets customers book themselves, another open window to move it to."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.formatting import window
from app.forms import RescheduleVisitForm
from app.models import Visit
from app.models.enums import VisitStatus
from app.models.scheduling import MOVABLE_STATUSES
from app.services.company import current_company
from app.services.scheduling import SchedulingError, move_to_open_window
from app.services.self_booking import chosen_window, windows_to_move
from app.services.visit_calendar import visit_ics
from app.storage import send_private_file
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope


@bp.get("/visits/<int:visit_id>.ics")
@portal_login_required
def visit_calendar(visit_id: int):
    """The same entry (UID, sequence) the e-mails carry, so adding it twice changes nothing."""
    visit = scope().get_or_404(Visit, visit_id)
    ics = visit_ics(
        visit,
        cancelled=visit.status == VisitStatus.CANCELLED,
        attendee=current_portal_user().email,
    )
    return send_private_file(
        ics, mimetype="text/calendar", download_name=f"{visit.work_order.number}.ics"
    )


@bp.route("/visits/<int:visit_id>/reschedule", methods=["GET", "POST"])
@portal_login_required
def reschedule_visit(visit_id: int):
    """Pick another open window for a visit not yet under way (checked again on booking)."""
    visit = scope().get_or_404(Visit, visit_id)
    if not current_company().portal_self_booking or visit.status not in MOVABLE_STATUSES:
        flash(_("Please call us to move this visit."))
        return redirect(url_for("portal.dashboard"))
    form = RescheduleVisitForm()
    windows = windows_to_move(visit)
    problem = ""
    if form.validate_on_submit():
        picked = chosen_window(windows, form.window.data)
        try:
            if picked is None:
                raise SchedulingError(_("That window was just taken; pick another."))
            move_to_open_window(visit, picked.start, picked.end, actor=current_portal_user())
        except SchedulingError as error:
            db.session.rollback()
            problem = str(error)
            visit, windows = scope().get_or_404(Visit, visit_id), windows_to_move(visit)
        else:
            db.session.commit()
            flash(
                _(
                    "Your visit has moved to %(window)s. We sent you the new time by e-mail.",
                    window=window(visit.arrival_start, visit.arrival_end),
                )
            )
            return redirect(url_for("portal.dashboard"))
    return render_template(
        "portal/reschedule.html", visit=visit, form=form, windows=windows, problem=problem
    ), 409 if problem else 200
