"""The pages behind a visit e-mail's confirm, reschedule and cancel links (no sign-in).

Opening a link only shows its page; pressing the button answers. An unknown, used or expired
link gets the same page whatever the reason, so a link says nothing about a visit it cannot
change.
"""

from flask import current_app, render_template
from flask_babel import gettext as _

from app.errors import UserError
from app.extensions import db, limiter
from app.forms import RescheduleVisitForm
from app.models import VisitAnswerLink
from app.models.enums import VisitAnswer
from app.services.audit import client_address
from app.services.self_booking import chosen_window, windows_to_move
from app.services.visit_answers import cancel_visit, confirm_visit, reschedule_visit
from app.services.visit_links import AnswerError, find_answer_link
from qr import bp
from qr.forms import CancelVisitForm, ConfirmVisitForm

FORMS = {
    VisitAnswer.CONFIRM: ConfirmVisitForm,
    VisitAnswer.RESCHEDULE: RescheduleVisitForm,
    VisitAnswer.CANCEL: CancelVisitForm,
}


def _per_address() -> str:
    return current_app.config["QR_RATE_LIMIT_PER_ADDRESS"]


@bp.route("/visit/<token>", methods=["GET", "POST"], endpoint="visit_answer")
@limiter.limit(_per_address, methods=["POST"])
def visit_answer(token: str):
    try:
        link = find_answer_link(token)
    except AnswerError as error:
        return render_template("qr/visit_answer.html", problem=str(error)), 410
    form = FORMS[link.purpose]()
    windows = []
    if link.purpose == VisitAnswer.RESCHEDULE:
        windows = windows_to_move(link.visit)
    if form.validate_on_submit():
        try:
            _answer(link, form, windows)
        except UserError as error:
            db.session.rollback()
            return _page(link, form, windows, problem=str(error)), 409
        db.session.commit()
        return render_template("qr/visit_answer.html", visit=link.visit, done=link.purpose)
    return _page(link, form, windows)


def _answer(link: VisitAnswerLink, form, windows) -> None:
    address = client_address()
    if link.purpose == VisitAnswer.CONFIRM:
        confirm_visit(link, ip_address=address)
    elif link.purpose == VisitAnswer.CANCEL:
        cancel_visit(link, form.reason.data, ip_address=address)
    else:
        chosen = chosen_window(windows, form.window.data)
        if chosen is None:
            raise AnswerError(_("That time was just taken; pick another."))
        reschedule_visit(link, chosen.start, chosen.end, ip_address=address)


def _page(link: VisitAnswerLink, form, windows, problem: str = ""):
    if link.purpose == VisitAnswer.RESCHEDULE and not windows:
        problem = problem or _("No other times are open just now. Please call us to reschedule.")
    return render_template(
        "qr/visit_answer.html",
        visit=link.visit,
        purpose=link.purpose,
        form=form,
        windows=windows,
        problem=problem,
    )
