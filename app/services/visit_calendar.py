"""A visit as an iCalendar invite (.ics) for the customer's calendar.

One UID per visit for good (Visit.calendar_uid) and a SEQUENCE that goes up on every move or
cancel, so a calendar updates the same entry when the visit moves and removes it when it is
cancelled (METHOD:CANCEL, STATUS:CANCELLED). The event spans the arrival window, written in the
company's time zone with its VTIMEZONE, so the times read back right in any calendar.
"""

from datetime import UTC

from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from app.models import Visit
from app.models.base import utcnow
from app.services.company import current_company

PRODUCT_ID = "-//TuffOps//Visits//EN"


def visit_summary(visit: Visit) -> str:
    """ "{company}: {technician} – HVAC visit" (no technician yet: the company alone)."""
    company = current_company().name
    technician = visit.lead_technician
    if technician is None:
        return _("%(company)s: HVAC visit", company=company)
    return _(
        "%(company)s: %(technician)s – HVAC visit", company=company, technician=technician.name
    )


def visit_ics(visit: Visit, *, cancelled: bool = False, attendee: str | None = None) -> bytes:
    """The .ics for the visit as it stands: a request, or the cancel that removes it.

    `attendee` is the address it is sent to, so calendars know whose entry it is."""
    company = current_company()
    zone = company.zone
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", visit.calendar_uid)
    event.add("sequence", visit.calendar_sequence)
    event.add("dtstamp", utcnow().astimezone(UTC))
    event.add("dtstart", visit.arrival_start.astimezone(zone))
    event.add("dtend", visit.arrival_end.astimezone(zone))
    event.add("summary", visit_summary(visit))
    event.add("location", visit.work_order.property.address)
    event.add("description", f"{visit.work_order.number}: {visit.work_order.summary}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if company.email:
        organizer = vCalAddress(f"mailto:{company.email}")
        organizer.params["cn"] = vText(company.name)
        event.add("organizer", organizer)
    if attendee:
        event.add("attendee", vCalAddress(f"mailto:{attendee}"))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
