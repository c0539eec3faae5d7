"""Issue 14's loop in Chromium on a 390 px phone: a stranger scans a sticker and picks a window,
the office confirms it on the board, the requester's confirmation carries an .ics that
icalendar reads back at the right times in the company's zone, the requester moves the visit
from their status link, the technician presses On my way on My day, and the status link and the
owner's portal both say "On the way" (screenshots in test-output/)."""

from datetime import time

import pytest
from icalendar import Calendar
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Visit, WorkingHours
from app.models.enums import VisitStatus
from app.services.company import local_day
from app.storage import read_bytes
from tests import factories as f
from tests.browser_helpers import VIEWPORTS, no_sideways_scroll, sign_in_portal_page
from tests.conftest import SCREENSHOTS, TEST_PASSWORD


def _world(app, make_staff) -> dict:
    """Sticker booking on, no notice needed; Tess works every day 7–18; the owner has a portal
    login."""
    tess = make_staff("technician", name="Tess Tran", email="tess@polarbear.test")
    make_staff("dispatcher", name="Dana Dispatcher", email="dana@polarbear.test")
    with app.app_context():
        f.CompanySettingsFactory(sticker_booking=True, booking_notice_hours=0)
        for weekday in range(7):
            db.session.add(
                WorkingHours(technician_id=tess, weekday=weekday, starts=time(7), ends=time(18))
            )
        unit = f.UnitFactory(name="Attic furnace")
        owner = f.PortalUserFactory(customer=unit.property.customer, email="owner@example.com")
        db.session.commit()
        return {"token": unit.qr_token, "owner": owner.id}


@pytest.fixture
def phone(browser):
    """A new phone-sized browser of its own (a person), closed after the test."""
    contexts = []

    def open_one():
        contexts.append(browser.new_context(viewport=VIEWPORTS["phone"]))
        return contexts[-1].new_page()

    yield open_one
    for context in contexts:
        context.close()


def _staff_page(phone, live_server, email: str):
    page = phone()
    page.goto(f"{live_server}/admin/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")
    return page


def _the_visit(app) -> Visit:
    with app.app_context():
        [visit] = db.session.scalars(select(Visit)).all()
        db.session.expunge(visit)
        return visit


def test_sticker_to_on_the_way_on_a_phone(app, live_server, phone, make_staff, request):
    world = _world(app, make_staff)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(page, label):
        no_sideways_scroll(page)
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}-{label}.png", full_page=True)

    stranger = phone()
    stranger.goto(f"{live_server}/u/{world['token']}")
    stranger.get_by_label("Your name").fill("Sam Stranger")
    stranger.get_by_label("Phone").fill("(555) 010-2233")
    stranger.get_by_label("E-mail").fill("sam@example.com")
    stranger.get_by_label("What is wrong?").fill("Water under the furnace")
    stranger.locator("input[name=window]").first.check()
    shot(stranger, "1-sticker")
    stranger.get_by_role("button", name="Send request").click()
    expect(stranger.locator(".visit-status")).to_have_text(
        "Held for you: our office confirms it shortly."
    )
    status_link = stranger.url.split("?")[0]
    shot(stranger, "2-held")

    office = _staff_page(phone, live_server, "dana@polarbear.test")
    office.goto(f"{live_server}/admin/board/")
    office.locator(".board-confirm button").click()
    expect(office.locator("body")).to_contain_text("the requester is told")
    shot(office, "3-board-confirmed")

    with app.app_context():
        [mail] = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.to_address == "sam@example.com",
                OutboxMessage.subject.like("Your visit is confirmed%"),
            )
        ).all()
        [event] = Calendar.from_ical(read_bytes(mail.attachments[0].storage_key)).walk("VEVENT")
        visit = db.session.scalars(select(Visit)).one()
        assert visit.status == VisitStatus.CONFIRMED
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert str(start.tzinfo) == "America/Chicago"
        assert (start, end) == (visit.arrival_start, visit.arrival_end)

    stranger.goto(status_link)
    stranger.locator("form.visit-move input[name=window]").nth(1).check()
    stranger.get_by_role("button", name="Move my visit").click()
    expect(stranger.locator("body")).to_contain_text("Your visit has moved")
    shot(stranger, "4-moved")
    moved = _the_visit(app)
    assert moved.arrival_start != visit.arrival_start

    with app.app_context():
        day = local_day(moved.arrival_start)
    tech = _staff_page(phone, live_server, "tess@polarbear.test")
    tech.goto(f"{live_server}/admin/my-day/?day={day.isoformat()}")
    card = tech.locator(f"#visit-{moved.id}")
    card.get_by_text("15 min").click()
    card.get_by_role("button", name="On my way").click()
    expect(card).to_contain_text("arriving about")
    shot(tech, "5-my-day")

    stranger.goto(status_link)
    expect(stranger.locator(".visit-status")).to_contain_text("On the way, arriving about")
    shot(stranger, "6-status-on-the-way")

    owner = phone()
    sign_in_portal_page(app, owner, live_server, world["owner"])
    owner.goto(f"{live_server}/portal/")
    expect(owner.locator(".visit-progress")).to_contain_text("On the way, arriving about")
    shot(owner, "7-portal-on-the-way")
