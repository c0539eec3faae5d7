"""A customer's visits: each one's calendar entry (.ics) to add to their own calendar."""

from app.models import Visit
from app.models.enums import VisitStatus
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
