"""Open arrival windows and booking: hours, time off, notice, days ahead, double booking, and
two people racing for the last slot."""

import threading
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    CompanySettings,
    TimeOff,
    Visit,
    VisitStatusChange,
    WorkingHours,
    WorkOrder,
)
from app.models.enums import VisitStatus, WorkOrderStatus
from app.services import availability, scheduling
from app.services.availability import (
    BadArrivalWindows,
    open_windows,
    parse_arrival_windows,
)
from app.services.scheduling import (
    SchedulingError,
    Slot,
    SlotConflict,
    book_open_window,
    book_visit,
    move_visit,
    set_status,
)
from tests import factories as f
from tests.helpers import at_once, committed_or_refused

ZONE = ZoneInfo("America/Chicago")
MONDAY = date(2031, 3, 3)
# Monday 09:00 in Chicago (UTC-6 until the 9th of March 2031).
NOW = datetime(2031, 3, 3, 15, 0, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local wall time in the company's zone, as the UTC moment it is stored as."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE).astimezone(UTC)


def local(moment: datetime) -> tuple[str, int]:
    wall = moment.astimezone(ZONE)
    return wall.strftime("%a"), wall.hour


def _company(**settings):
    values = {
        "arrival_windows": "08:00-10:00,10:00-12:00",
        "booking_days_ahead": 3,
        "booking_notice_hours": 24,
        **settings,
    }
    return f.CompanySettingsFactory(**values)


def _technician(name: str, weekdays=range(7), starts=time(7), ends=time(18)):
    person = f.StaffUserFactory(name=name)
    for weekday in weekdays:
        db.session.add(WorkingHours(technician=person, weekday=weekday, starts=starts, ends=ends))
    db.session.commit()
    return person


def _windows(place, **options) -> list[tuple[str, int]]:
    found = open_windows(property_id=place.id, now=NOW, **options)
    return [local(window.start) for window in found]


def test_the_company_windows_are_offered_after_the_notice_and_within_the_days_ahead(app_ctx):
    _company()
    _technician("Tess")
    place = f.PropertyFactory()
    # Notice 24 h from Monday 09:00: Tuesday's 08:00 window is too soon; 3 days ahead: Thursday.
    assert _windows(place) == [("Tue", 10), ("Wed", 8), ("Wed", 10), ("Thu", 8), ("Thu", 10)]
    settings = db.session.scalar(select(CompanySettings))
    settings.booking_notice_hours, settings.booking_days_ahead = 0, 1
    db.session.commit()
    assert _windows(place) == [("Mon", 10), ("Tue", 8), ("Tue", 10)]


def test_windows_follow_working_hours_and_a_day_off(app_ctx):
    _company()
    # Works 09:00–12:00 on Tuesday and Thursday only: the 08:00 window starts before that.
    _technician("Hal", weekdays=(1, 3), starts=time(9), ends=time(12))
    place = f.PropertyFactory()
    assert _windows(place) == [("Tue", 10), ("Thu", 10)]
    # A three-hour job does not fit before noon at all.
    assert _windows(place, duration_minutes=180) == []


def test_a_technician_without_hours_works_the_usual_week(app_ctx):
    _company(booking_days_ahead=6)
    f.StaffUserFactory(name="New Hire")
    place = f.PropertyFactory()
    # Monday to Friday, 8 to 5: nothing at the weekend; the notice leaves Tuesday 10:00 first.
    assert {day for day, _hour in _windows(place)} == {"Tue", "Wed", "Thu", "Fri"}


def test_time_off_closes_the_windows_it_touches(app_ctx):
    _company()
    person = _technician("Tess")
    db.session.add(
        TimeOff(
            technician=person,
            starts_at=at(MONDAY + timedelta(days=2), 0),
            ends_at=at(MONDAY + timedelta(days=2), 11),
            reason="Dentist",
        )
    )
    db.session.commit()
    place = f.PropertyFactory()
    assert _windows(place) == [("Tue", 10), ("Thu", 8), ("Thu", 10)]


def test_visits_fill_a_window_until_their_durations_no_longer_fit(app_ctx):
    _company()
    person = _technician("Tess")
    place = f.PropertyFactory()
    wednesday_8 = (at(MONDAY + timedelta(days=2), 8), at(MONDAY + timedelta(days=2), 10))
    f.VisitFactory(lead_technician=person, arrival_start=wednesday_8[0], duration_minutes=60)
    assert ("Wed", 8) in _windows(place)  # one hour of two is still free
    f.VisitFactory(lead_technician=person, arrival_start=wednesday_8[0], duration_minutes=60)
    assert ("Wed", 8) not in _windows(place)
    assert ("Wed", 8) not in _windows(place, duration_minutes=30)
    # A cancelled visit frees its time again.
    cancelled = f.VisitFactory(
        lead_technician=person,
        arrival_start=at(MONDAY + timedelta(days=3), 8),
        duration_minutes=120,
        status=VisitStatus.CANCELLED,
    )
    assert cancelled and ("Thu", 8) in _windows(place)


def test_a_helper_is_as_busy_as_the_lead(app_ctx):
    _company()
    lead, helper = _technician("Lead"), _technician("Helper")
    thursday = at(MONDAY + timedelta(days=3), 8)
    visit = f.VisitFactory(lead_technician=lead, arrival_start=thursday, duration_minutes=120)
    visit.helpers = [helper]
    db.session.commit()
    place = f.PropertyFactory()
    assert ("Thu", 8) not in _windows(place)


def test_only_the_units_usual_technicians_when_asked(app_ctx):
    _company()
    usual, other = _technician("Usual Ursula"), _technician("Other Otto")
    unit = f.UnitFactory()
    f.VisitFactory(
        work_order=f.WorkOrderFactory(property=unit.property, unit=unit, visit_at=None),
        lead_technician=usual,
        arrival_start=datetime(2030, 6, 1, 15, tzinfo=UTC),
        status=VisitStatus.DONE,
    )
    found = open_windows(property_id=unit.property_id, unit_id=unit.id, now=NOW, usual_only=True)
    assert found and all(w.technicians == (usual,) for w in found)
    everyone = open_windows(property_id=unit.property_id, unit_id=unit.id, now=NOW)
    assert everyone[0].technicians == (usual, other)  # the usual one first


def test_arrival_windows_setting_is_checked():
    assert parse_arrival_windows("14:00-16:00, 08:00-10:00") == [
        (time(8), time(10)),
        (time(14), time(16)),
    ]
    for bad in ("8-10", "10:00-08:00", " , "):
        with pytest.raises(BadArrivalWindows):
            parse_arrival_windows(bad)


def _slot(person, day_offset: int, hour: int, minutes: int = 60, **extra) -> Slot:
    day = MONDAY + timedelta(days=day_offset)
    return Slot(at(day, hour), at(day, hour + 2), minutes, person.id if person else None, **extra)


def test_the_office_is_refused_a_clash_unless_it_books_anyway(app_ctx):
    _company()
    person = _technician("Tess", weekdays=range(5))
    first, second = f.WorkOrderFactory(visit_at=None), f.WorkOrderFactory(visit_at=None)
    booked = book_visit(first, _slot(person, 1, 8, 120), actor=None)
    db.session.commit()
    assert first.status == WorkOrderStatus.SCHEDULED and first.technician == person
    with pytest.raises(SlotConflict) as refused:
        book_visit(second, _slot(person, 1, 8), actor=None)
    assert [c.kind for c in refused.value.conflicts] == ["double_booked"]
    assert first.number in str(refused.value)
    db.session.rollback()
    with pytest.raises(SlotConflict) as weekend:
        book_visit(second, _slot(person, 5, 10), actor=None)
    assert [c.kind for c in weekend.value.conflicts] == ["outside_hours"]
    db.session.rollback()
    anyway = book_visit(second, _slot(person, 1, 8), actor=None, book_anyway=True)
    db.session.commit()
    assert anyway.id != booked.id
    summaries = db.session.scalars(select(AuditEvent.summary)).all()
    assert any("booked anyway" in summary for summary in summaries)


def test_a_clash_reads_its_hours_and_time_off_in_the_readers_language(app_ctx):
    _company()
    person = _technician("Tess", weekdays=range(5), starts=time(7), ends=time(16, 30))
    tuesday = MONDAY + timedelta(days=1)
    db.session.add(TimeOff(technician=person, starts_at=at(tuesday, 0), ends_at=at(tuesday, 17)))
    db.session.commit()
    work = f.WorkOrderFactory(visit_at=None)
    late, off = _slot(person, 0, 17), _slot(person, 1, 9)
    for locale, hours, until in (
        ("en", "Tess works 7:00\u202fAM–4:30\u202fPM that day.", "5:00\u202fPM"),
        ("es", "Tess trabaja de 7:00 a 16:30 ese día.", "17:00"),
    ):
        with force_locale(locale):
            with pytest.raises(SlotConflict) as after_hours:
                book_visit(work, late, actor=None)
            with pytest.raises(SlotConflict) as away:
                book_visit(work, off, actor=None)
        db.session.rollback()
        assert str(after_hours.value) == hours
        assert until in str(away.value) and "2031-03-04" not in str(away.value)


def test_moving_a_confirmed_visit_asks_for_a_new_confirmation(app_ctx):
    _company()
    person = _technician("Tess")
    visit = book_visit(f.WorkOrderFactory(visit_at=None), _slot(person, 1, 8), actor=None)
    set_status(visit, VisitStatus.CONFIRMED, actor=None)
    db.session.commit()
    uid = visit.calendar_uid
    move_visit(visit, _slot(person, 2, 10), actor=None)
    db.session.commit()
    assert local(visit.arrival_start) == ("Wed", 10)
    assert (visit.status, visit.calendar_uid, visit.calendar_sequence) == (
        VisitStatus.SCHEDULED,
        uid,
        1,
    )
    steps = [c.status for c in visit.status_changes]
    assert steps == [VisitStatus.SCHEDULED, VisitStatus.CONFIRMED, VisitStatus.SCHEDULED]


def test_statuses_move_forward_with_a_time_for_each(app_ctx):
    _company()
    person = _technician("Tess")
    work_order = f.WorkOrderFactory(visit_at=None)
    visit = book_visit(work_order, _slot(person, 1, 8), actor=None)
    for status in (VisitStatus.EN_ROUTE, VisitStatus.ON_SITE, VisitStatus.DONE):
        set_status(visit, status, actor=person)
    db.session.commit()
    assert work_order.status == WorkOrderStatus.IN_PROGRESS
    assert [c.status for c in visit.status_changes][-3:] == [
        VisitStatus.EN_ROUTE,
        VisitStatus.ON_SITE,
        VisitStatus.DONE,
    ]
    assert all(c.changed_by_id == person.id for c in visit.status_changes[-3:])
    with pytest.raises(SchedulingError, match="A visit that is done cannot become scheduled"):
        set_status(visit, VisitStatus.SCHEDULED, actor=None)
    with force_locale("es"), pytest.raises(SchedulingError) as refused:
        set_status(visit, VisitStatus.EN_ROUTE, actor=None)
    assert str(refused.value) == "Una visita que está terminada no puede pasar a en camino."
    with pytest.raises(SchedulingError):
        move_visit(visit, _slot(person, 2, 8), actor=None)


def test_bad_slots_are_refused_with_a_reason(app_ctx):
    _company()
    person = _technician("Tess")
    work_order = f.WorkOrderFactory(visit_at=None)
    day = MONDAY + timedelta(days=1)
    for slot, words in (
        (Slot(at(day, 10), at(day, 8), 60, person.id), "must end after"),
        (Slot(at(day, 8), at(day, 10), 5, person.id), "between 15 and 720"),
        (
            Slot(at(day, 8), at(day, 10), 60, f.StaffUserFactory(role="dispatcher").id),
            "technicians",
        ),
    ):
        with pytest.raises(SchedulingError, match=words):
            book_visit(work_order, slot, actor=None)
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 0


def _window_in_two_days() -> tuple[datetime, datetime]:
    tomorrow = datetime.now(ZONE).date() + timedelta(days=2)
    return at(tomorrow, 10), at(tomorrow, 12)


def test_a_customer_books_only_an_offered_window(app_ctx):
    _company(booking_notice_hours=24, booking_days_ahead=5)
    _technician("Tess")
    work_order = f.WorkOrderFactory(visit_at=None)
    start, end = _window_in_two_days()
    today = datetime.now(ZONE).date()
    for wrong in (
        (start + timedelta(minutes=30), end),  # not one of the company's windows
        (at(today, 10) - timedelta(days=0), at(today, 12)),  # inside the notice
        (start + timedelta(days=9), end + timedelta(days=9)),  # beyond the days ahead
    ):
        with pytest.raises(SchedulingError, match="cannot be booked"):
            book_open_window(work_order, *wrong)
    visit = book_open_window(work_order, start, end, duration_minutes=90)
    db.session.commit()
    assert visit.lead_technician.name == "Tess" and visit.duration_minutes == 90


def test_two_customers_racing_for_the_last_slot_get_it_once(app, monkeypatch):
    """Both see the window open; both press Book at once; the second waits for the first's
    lock, then finds the technician full. Each reads its schedule slowly, so without the
    lock both would read an empty schedule and both would book."""
    with app.app_context():
        _company(booking_notice_hours=24, booking_days_ahead=5)
        _technician("Tess")
        orders = [f.WorkOrderFactory(visit_at=None).id for _ in range(2)]
        db.session.remove()
    start, end = _window_in_two_days()
    both_looked = threading.Barrier(2, timeout=20)
    load = availability.load_schedule

    def slow_load(*args, **kwargs):
        found = load(*args, **kwargs)
        clock.sleep(0.3)
        return found

    monkeypatch.setattr(scheduling, "load_schedule", slow_load)
    outcomes = []

    def book(work_order_id):
        with app.app_context(), committed_or_refused(outcomes, "booked", SchedulingError):
            work_order = db.session.get(WorkOrder, work_order_id)
            place = work_order.property_id
            offered = open_windows(property_id=place, duration_minutes=120)
            assert (start, end) in [(w.start, w.end) for w in offered]
            both_looked.wait()
            book_open_window(work_order, start, end, duration_minutes=120)

    at_once(*(partial(book, order_id) for order_id in orders))
    assert sorted(outcomes) == ["That window was just taken; pick another.", "booked"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Visit)) == 1
        assert db.session.scalar(select(func.count()).select_from(VisitStatusChange)) == 1
