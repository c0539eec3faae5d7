"""A customer answers a visit e-mail on a phone (390 px) in real Chromium: the booking e-mail
from the development mail page, its confirm link (the visit is confirmed), then its pick
another time link (an open window is chosen and the visit moves). Screenshots go to
TEST_SCREENSHOTS, when set, for a person to look at."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Visit
from app.models.enums import VisitStatus
from app.services.company import local_today
from app.services.scheduling import Slot, book_visit
from tests import factories as f
from tests.browser_helpers import VIEWPORTS, no_sideways_scroll, sign_in
from tests.conftest import watch_csp

CHICAGO = ZoneInfo("America/Chicago")


def _booked_visit(site) -> int:
    """A visit booked three days out at 8:00 (so its e-mail waits in the outbox)."""
    with site.app_context():
        company = f.CompanySettingsFactory()
        technician = f.technician_working_every_day("Tess Tran")
        work_order = f.WorkOrderFactory(visit_at=None, summary="No cooling upstairs")
        f.PortalUserFactory(customer=work_order.customer, name="Ana Rivera")
        day = local_today() + timedelta(days=3)
        start = datetime.combine(day, time(8), tzinfo=company.zone).astimezone(UTC)
        slot = Slot(start, start + timedelta(hours=2), 60, technician.id)
        visit = book_visit(work_order, slot, actor=None)
        db.session.commit()
        return visit.id


def _open_link(page, base_url: str, subject: str, link: int) -> None:
    """The newest e-mail whose subject starts with `subject`, and its `link`-th visit link
    (0 confirm, 1 pick another time, 2 cancel)."""
    page.goto(f"{base_url}/dev/mail/")
    page.locator("table.dev-mail a", has_text=subject).first.click()
    page.locator(".dev-mail-text a[href*='/visit/']").nth(link).click()
    # Not expect_navigation: it may catch the mail's own page still on its way.
    page.wait_for_url(re.compile("/visit/"))


def _visit(site, visit_id: int) -> tuple[VisitStatus, datetime]:
    with site.app_context():
        visit = db.session.get(Visit, visit_id)
        return visit.status, visit.arrival_start


def test_a_customer_confirms_then_moves_a_visit_from_the_email(portal_site, page, screenshot):
    site, base_url = portal_site
    visit_id = _booked_visit(site)
    page.set_viewport_size(VIEWPORTS["phone"])
    csp_problems = watch_csp(page)
    _open_link(page, base_url, "Your visit is booked", 0)
    assert "Confirm your visit" in page.inner_text("main")
    assert "Tess" in page.inner_text("main")
    no_sideways_scroll(page)
    screenshot("confirm-page")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Thank you, your visit is confirmed" in page.inner_text("main")
    screenshot("confirmed")
    assert _visit(site, visit_id)[0] == VisitStatus.CONFIRMED

    before = _visit(site, visit_id)[1]
    _open_link(page, base_url, "Your visit is booked", 1)
    assert "Pick another time" in page.inner_text("main")
    no_sideways_scroll(page)
    screenshot("windows")
    second = page.locator("input[name=window]").nth(1)
    chosen = second.get_attribute("value")
    second.check()
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Your visit has moved" in page.inner_text("main")
    no_sideways_scroll(page)
    screenshot("moved")
    status, start = _visit(site, visit_id)
    assert start.isoformat() == chosen and start != before
    assert status == VisitStatus.SCHEDULED  # the customer confirmed the old time
    with site.app_context():
        subjects = db.session.scalars(select(OutboxMessage.subject)).all()
    assert any(s.startswith("Your visit has moved") for s in subjects)
    assert csp_problems == []


def test_the_office_sees_the_answers_on_the_board_and_the_dashboard(
    portal_site, page, screenshot, make_staff
):
    site, base_url = portal_site
    visit_id = _booked_visit(site)
    page.set_viewport_size(VIEWPORTS["desktop"])
    _open_link(page, base_url, "Your visit is booked", 0)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    with site.app_context():
        day = db.session.get(Visit, visit_id).arrival_start.astimezone(CHICAGO).date()
    sign_in(site, page, base_url, make_staff, "/admin/")
    answers = page.locator("section[aria-labelledby=customer-answers]")
    assert "Confirmed" in answers.inner_text() and "WO-" in answers.inner_text()
    screenshot("dashboard")
    page.goto(f"{base_url}/admin/board/?day={day.isoformat()}")
    block = page.locator(f"[data-visit='{visit_id}']")
    assert "Customer: Confirmed" in block.inner_text()
    block.scroll_into_view_if_needed()
    screenshot("board")
