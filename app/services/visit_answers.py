"""What the customer's answer from a visit e-mail's link does: confirm the visit, move it to an
open window, or cancel it with a reason (the links themselves: app.services.visit_links).

The link is spent in the same transaction as the change, exactly once even with two clicks at
the same moment; each answer is kept on its link (the board and the dashboard show it) and
written to the audit log.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.models import Visit, VisitAnswerLink
from app.models.enums import VisitStatus
from app.services.audit import record
from app.services.scheduling import move_to_open_window, set_status
from app.services.single_use import spend_once
from app.services.visit_links import EXPIRED, AnswerError

REASON_LENGTH = 500


def _use(link: VisitAnswerLink, *, ip_address: str, summary: str, reason: str = "") -> None:
    """Spend the link and log the answer."""
    spend_once(VisitAnswerLink, link.id, AnswerError(EXPIRED), reason=reason)
    record(
        "visit_answered",
        link.visit,
        actor=None,
        summary=f"{link.visit.work_order.number}: {summary}",
        ip_address=ip_address,
    )


def confirm_visit(link: VisitAnswerLink, *, ip_address: str) -> Visit:
    _use(link, ip_address=ip_address, summary="confirmed by the customer")
    return set_status(link.visit, VisitStatus.CONFIRMED, actor=None)


def cancel_visit(link: VisitAnswerLink, reason: str, *, ip_address: str) -> Visit:
    reason = reason.strip()
    if not reason:
        raise AnswerError(_l("Tell us why, so we can help."))
    if len(reason) > REASON_LENGTH:
        raise AnswerError(_l("Keep the reason under %(count)s characters.", count=REASON_LENGTH))
    summary = f"cancelled by the customer: {reason}"
    _use(link, ip_address=ip_address, summary=summary, reason=reason)
    return set_status(link.visit, VisitStatus.CANCELLED, actor=None, reason=reason)


def reschedule_visit(
    link: VisitAnswerLink, start: datetime, end: datetime, *, ip_address: str
) -> Visit:
    """Move the visit to an open window, checked again inside the transaction."""
    visit = move_to_open_window(link.visit, start, end, actor=None)
    _use(link, ip_address=ip_address, summary=f"rescheduled to {start:%Y-%m-%d %H:%M} UTC")
    return visit
