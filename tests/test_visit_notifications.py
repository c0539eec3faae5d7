"""The customer is told: booking, moving and cancelling a visit e-mail the customer's portal
users (and a sticker requester) in their language, with an .ics a calendar reads back as the
same entry at the right times in the company's zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.models.enums import VisitStatus
from app.services.notifications import notify_visit
from app.services.scheduling import Slot, book_visit, move_visit, set_status
from app.storage import read_bytes
from tests import factories as f

ZONE = ZoneInfo("America/Chicago")
TUESDAY = date(2031, 3, 4)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE).astimezone(UTC)


def _setup(**portal_user):
    f.CompanySettingsFactory()
    technician = f.technician_working_every_day("Tess Tran")
    work_order = f.WorkOrderFactory(visit_at=None)
    user = f.PortalUserFactory(customer=work_order.customer, **portal_user)
    return technician, work_order, user


def _mails(to: str) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == to).order_by(OutboxMessage.id)
    ).all()


def _invite(message: OutboxMessage):
    """The message's calendar file, parsed back: (the calendar, its one event)."""
    [attachment] = message.attachments
    assert attachment.filename.endswith(".ics")
    assert attachment.content_type == "text/calendar"
    calendar = Calendar.from_ical(read_bytes(attachment.storage_key))
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_booking_moving_and_cancelling_send_one_calendar_entry(app_ctx):
    technician, work_order, user = _setup(name="Ann Lee")
    visit = book_visit(
        work_order, Slot(at(TUESDAY, 8), at(TUESDAY, 10), 60, technician.id), actor=None
    )
    db.session.commit()
    move_visit(visit, Slot(at(TUESDAY, 14), at(TUESDAY, 16), 60, technician.id), actor=None)
    db.session.commit()
    set_status(visit, VisitStatus.CANCELLED, actor=None)
    db.session.commit()

    booked, moved, cancelled = _mails(user.email)
    assert (
        booked.subject
        == "Your visit is booked: Tue, Mar 4, 2031, 8:00\u2009–\u200910:00\u202fAM Central Time"
    )
    assert "Hello Ann Lee," in booked.text_body
    assert "Technician: Tess" in booked.text_body
    assert work_order.property.address in booked.text_body
    assert moved.subject.startswith("Your visit has moved: Tue, Mar 4, 2031, 2:00")
    assert cancelled.subject.startswith("Your visit on Tue, Mar 4, 2031, 2:00")
    assert "removes the visit from your calendar" in cancelled.text_body

    invites = [_invite(message) for message in (booked, moved, cancelled)]
    assert {str(event["UID"]) for _, event in invites} == {visit.calendar_uid}
    assert [event["SEQUENCE"] for _, event in invites] == [0, 1, 2]
    assert [str(calendar["METHOD"]) for calendar, _ in invites] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(invites[2][1]["STATUS"]) == "CANCELLED"
    starts = [event.decoded("DTSTART") for _, event in invites]
    assert starts[0] == datetime(2031, 3, 4, 8, tzinfo=ZONE)
    assert starts[0].tzinfo.key == "America/Chicago"  # a zone a calendar knows, not an offset
    assert starts[1] == datetime(2031, 3, 4, 14, tzinfo=ZONE)
    assert invites[1][1].decoded("DTEND") == datetime(2031, 3, 4, 16, tzinfo=ZONE)
    assert str(invites[0][1]["SUMMARY"]) == "Polar Bear Heating & Air: Tess Tran – HVAC visit"
    assert str(invites[0][1]["LOCATION"]) == work_order.property.address
    assert invites[0][0].walk("VTIMEZONE"), "the zone travels with the invite"


def test_a_spanish_portal_user_reads_spanish(app_ctx):
    technician, work_order, user = _setup(language="es")
    book_visit(work_order, Slot(at(TUESDAY, 8), at(TUESDAY, 10), 60, technician.id), actor=None)
    db.session.commit()
    [message] = _mails(user.email)
    assert message.subject.startswith("Su visita está reservada: mar, 4 mar")
    assert "Técnico: Tess" in message.text_body
    _, event = _invite(message)
    assert str(event["SUMMARY"]) == "Polar Bear Heating & Air: Tess Tran – visita de climatización"


def test_a_sticker_requester_is_told_and_inactive_users_are_not(app_ctx):
    technician, work_order, user = _setup(active=False)
    request = f.ServiceRequestFactory(
        contact_email="pat@example.test", unit=f.UnitFactory(property=work_order.property)
    )
    work_order.service_request = request
    db.session.commit()
    book_visit(work_order, Slot(at(TUESDAY, 8), at(TUESDAY, 10), 60, technician.id), actor=None)
    db.session.commit()
    assert _mails(user.email) == []
    [message] = _mails("pat@example.test")
    assert "Hello Pat Caller," in message.text_body


def test_nothing_is_sent_when_the_booking_rolls_back(app_ctx):
    technician, work_order, user = _setup()
    book_visit(work_order, Slot(at(TUESDAY, 8), at(TUESDAY, 10), 60, technician.id), actor=None)
    db.session.rollback()
    assert _mails(user.email) == []


def test_on_the_way_names_the_arrival_and_carries_no_invite(app_ctx):
    technician, work_order, user = _setup()
    visit = book_visit(
        work_order, Slot(at(TUESDAY, 8), at(TUESDAY, 10), 60, technician.id), actor=None
    )
    assert notify_visit(visit, "en_route", eta=at(TUESDAY, 9) + timedelta(minutes=40)) == 1
    db.session.commit()
    message = _mails(user.email)[-1]
    assert message.subject == "Tess is on the way"
    assert "Tess is on the way, arriving about 9:40\u202fAM." in message.text_body
    assert message.attachments == []
    with pytest.raises(ValueError):
        notify_visit(visit, "exploded")
