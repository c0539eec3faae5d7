"""Tentative visits (booked from a sticker): the migration lets the status in on SQLite and
PostgreSQL alike, a tentative visit holds its slot, the office's one click confirms it and
tells the requester, and one not confirmed in time is released by `flask release-holds`."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from app.models import OutboxMessage, Visit
from app.models.enums import RequestSource, VisitStatus
from app.reminder_jobs import schedule_reminders
from app.services.availability import open_windows
from app.services.scheduling import SchedulingError
from app.services.self_booking import (
    book_request_window,
    confirm_tentative,
    release_expired_holds,
)
from tests import factories as f
from tests.helpers import bookable_technician


def test_the_migrated_schema_takes_tentative_and_still_refuses_nonsense(empty_database_url):  # noqa: F811
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        f.CompanySettingsFactory()
        visit = f.VisitFactory(status=VisitStatus.TENTATIVE)
        db.session.commit()
        assert db.session.get(Visit, visit.id).status == VisitStatus.TENTATIVE
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE visits SET status = 'maybe'"))
            db.session.flush()
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


def _sticker_request():
    """A request made at a unit's sticker by Sam (sam@example.com), a technician working every
    day 7–18, no notice needed; returns the request and the first open window."""
    bookable_technician(sticker_booking=True, tentative_hold_minutes=60)
    unit = f.UnitFactory()
    request = f.ServiceRequestFactory(
        unit=unit,
        property=unit.property,
        customer=unit.property.customer,
        source=RequestSource.QR,
        contact_name="Sam Stranger",
        contact_email="sam@example.com",
    )
    f.PortalUserFactory(customer=unit.property.customer, email="owner@example.com")
    db.session.commit()
    return request, open_windows(property_id=unit.property_id, unit_id=unit.id)[0]


def _mail_to(address: str) -> list[str]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address))
    return [row.subject for row in rows]


def test_a_tentative_visit_holds_its_slot_and_tells_nobody_until_confirmed(app_ctx):
    request, window = _sticker_request()
    visit = book_request_window(
        request, window.start, window.end, actor=None, status=VisitStatus.TENTATIVE
    )
    visit.duration_minutes = 120
    db.session.commit()
    assert visit.status == VisitStatus.TENTATIVE
    offered = open_windows(property_id=request.property_id, unit_id=request.unit_id)
    assert window.start not in [w.start for w in offered]
    assert _mail_to("owner@example.com") == []
    confirm_tentative(visit, actor=None)
    db.session.commit()
    assert visit.status == VisitStatus.CONFIRMED
    for address in ("sam@example.com", "owner@example.com"):
        assert [s.split(":")[0] for s in _mail_to(address)] == ["Your visit is confirmed"]
    with pytest.raises(SchedulingError, match="confirmed now"):
        confirm_tentative(visit, actor=None)


def test_a_tentative_visit_not_confirmed_in_time_is_released(app, app_ctx):
    request, window = _sticker_request()
    visit = book_request_window(
        request, window.start, window.end, actor=None, status=VisitStatus.TENTATIVE
    )
    db.session.commit()
    assert release_expired_holds(datetime.now(UTC) + timedelta(minutes=59)) == 0
    result = app.test_cli_runner().invoke(args=["release-holds"])
    assert "Released 0" in result.output
    assert release_expired_holds(datetime.now(UTC) + timedelta(minutes=61)) == 1
    db.session.commit()
    assert db.session.get(Visit, visit.id).status == VisitStatus.CANCELLED
    assert _mail_to("owner@example.com") == []


def test_the_worker_releases_stale_holds_on_the_reminders_schedule(
    app, rq_worker, reminder_schedule
):
    with app.app_context():
        request, window = _sticker_request()
        visit = book_request_window(
            request, window.start, window.end, actor=None, status=VisitStatus.TENTATIVE
        )
        visit.status_changed_at = datetime.now(UTC) - timedelta(minutes=61)
        db.session.commit()
        visit_id = visit.id
        assert schedule_reminders(app)
    rq_worker()
    with app.app_context():
        assert db.session.get(Visit, visit_id).status == VisitStatus.CANCELLED
