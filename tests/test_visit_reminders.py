"""Reminders the day before a visit, with a fixed clock: each once, never for cancelled, done or
past visits, a moved visit reminded of its new time, none in the quiet hours (they wait), and
the RQ schedule where Redis is set."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Visit
from app.models.enums import VisitStatus
from app.reminder_jobs import JOB_PREFIX, REMINDERS_EVERY, schedule_reminders
from app.services.reminders import in_quiet_hours, send_reminders
from app.storage import read_bytes
from tests import factories as f

ZONE = ZoneInfo("America/Chicago")
MONDAY = date(2031, 3, 3)


def at(day_offset: int, hour: int) -> datetime:
    """A wall time in the company's zone, `day_offset` days after MONDAY, stored as UTC."""
    day = MONDAY + timedelta(days=day_offset)
    return datetime.combine(day, time(hour), tzinfo=ZONE).astimezone(UTC)


def _visit(user, day_offset: int, hour: int, **fields) -> Visit:
    work_order = f.WorkOrderFactory(visit_at=None, property__customer=user.customer)
    return f.VisitFactory(
        work_order=work_order,
        lead_technician=f.StaffUserFactory(name="Tess Tran"),
        arrival_start=at(day_offset, hour),
        **fields,
    )


def _reminders(to: str) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == to, OutboxMessage.subject.startswith("Reminder"))
        .order_by(OutboxMessage.id)
    ).all()


def test_each_due_visit_is_reminded_once_the_day_before(app_ctx):
    f.CompanySettingsFactory()
    user = f.PortalUserFactory()
    tuesday_8 = _visit(user, 1, 8)
    _visit(user, 1, 10)  # 25 hours away at Monday 09:00: not yet
    _visit(user, 1, 8, status=VisitStatus.CANCELLED)
    _visit(user, 1, 9, status=VisitStatus.DONE)
    _visit(user, 0, 8)  # this morning: past

    assert send_reminders(at(0, 9)) == 1
    assert send_reminders(at(0, 9)) == 0  # safe to run again
    [reminder] = _reminders(user.email)
    assert reminder.subject.startswith("Reminder: your visit Tue, Mar 4, 2031, 8:00")
    assert "A reminder of your upcoming visit." in reminder.text_body
    assert "/visit/" in reminder.text_body  # the answer links
    event = Calendar.from_ical(read_bytes(reminder.attachments[0].storage_key)).walk("VEVENT")[0]
    assert str(event["UID"]) == tuesday_8.calendar_uid

    assert send_reminders(at(0, 10)) == 1  # Tuesday 10:00 is now within the day
    assert len(_reminders(user.email)) == 2


def test_a_moved_visit_is_reminded_of_its_new_time(app_ctx):
    f.CompanySettingsFactory()
    user = f.PortalUserFactory()
    visit = _visit(user, 1, 8)
    assert send_reminders(at(0, 9)) == 1
    visit.arrival_start, visit.arrival_end = at(2, 8), at(2, 10)
    db.session.commit()
    assert send_reminders(at(0, 12)) == 0
    assert send_reminders(at(1, 9)) == 1
    assert _reminders(user.email)[-1].subject.startswith("Reminder: your visit Wed, Mar 5, 2031")


def test_quiet_hours_hold_reminders_until_they_end(app_ctx):
    f.CompanySettingsFactory()  # quiet from 21:00 to 08:00 by default
    user = f.PortalUserFactory()
    _visit(user, 2, 7)  # Wednesday 07:00: due Tuesday 07:00, in the quiet hours
    _visit(user, 2, 22)  # Wednesday 22:00: due Tuesday 22:00, in the quiet hours
    assert send_reminders(at(1, 7)) == 0
    assert send_reminders(at(1, 8)) == 1  # the quiet hours are over
    assert send_reminders(at(1, 22)) == 0
    assert send_reminders(at(2, 7)) == 0  # still quiet on Wednesday morning
    assert send_reminders(at(2, 8)) == 1
    assert len(_reminders(user.email)) == 2


def test_quiet_hours_follow_the_company_settings(app_ctx):
    settings = f.CompanySettingsFactory(quiet_hours_start=time(13), quiet_hours_end=time(14))
    assert in_quiet_hours(at(0, 13)) and not in_quiet_hours(at(0, 14))
    assert not in_quiet_hours(at(0, 22))
    settings.quiet_hours_end = settings.quiet_hours_start
    db.session.commit()
    assert not in_quiet_hours(at(0, 13))  # the same start and end: no quiet hours


def test_a_visit_booked_inside_the_day_gets_no_reminder(app_ctx):
    f.CompanySettingsFactory()
    user = f.PortalUserFactory()
    _visit(user, 1, 8, created_at=at(0, 9))  # booked Monday 09:00 for Tuesday 08:00
    assert send_reminders(at(0, 10)) == 0


def _visit_due_now() -> str:
    """A visit 20 hours from the real now, booked days ago, with no quiet hours: its
    customer's e-mail address."""
    f.CompanySettingsFactory(quiet_hours_start=time(0), quiet_hours_end=time(0))
    user = f.PortalUserFactory()
    work_order = f.WorkOrderFactory(visit_at=None, property__customer=user.customer)
    start = datetime.now(UTC) + timedelta(hours=20)
    f.VisitFactory(work_order=work_order, arrival_start=start, created_at=start - timedelta(days=3))
    return user.email


def test_the_command_sends_what_is_due(app, app_ctx):
    email = _visit_due_now()
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "Reminded 1 visit(s)." in result.output
    assert len(_reminders(email)) == 1
    assert "Reminded 0 visit(s)." in app.test_cli_runner().invoke(args=["send-reminders"]).output


def test_the_worker_sends_reminders_on_the_rq_schedule(app, rq_worker, reminder_schedule):
    with app.app_context():
        email = _visit_due_now()
        assert schedule_reminders(app)
        assert not schedule_reminders(app)  # one run waits on the schedule at a time
    rq_worker()  # its scheduler puts the due run on the queue, and the run sends
    with app.app_context():
        assert len(_reminders(email)) == 1
    [next_run] = [job for job in reminder_schedule.get_job_ids() if job.startswith(JOB_PREFIX)]
    wait = reminder_schedule.get_scheduled_time(next_run) - datetime.now(UTC)
    assert timedelta(0) < wait <= REMINDERS_EVERY
