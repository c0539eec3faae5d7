"""The portal on a phone (390 px) and a desktop in real Chromium: every section is one tap
away in the menu (it wraps, nothing hides sideways), the "Amount due" card pays,
and visits read as words ("Tue, Dec 7, 10:00 AM – 12:00 PM Central Time").
Screenshots go to test-output/ for a person to look at."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from app.models.enums import CustomerKind, WorkOrderStatus
from tests import factories as f
from tests.browser_helpers import VIEWPORTS, no_sideways_scroll
from tests.portal_helpers import sign_in_portal

CHICAGO = ZoneInfo("America/Chicago")


def _tuesday_at_ten() -> datetime:
    """10:00 in Chicago (the company's zone) on a Tuesday one to two weeks ahead."""
    today = datetime.now(CHICAGO).date()
    day = today + timedelta(days=7 + (1 - today.weekday()) % 7)
    return datetime.combine(day, time(10), CHICAGO).astimezone(UTC)


VISIT = _tuesday_at_ten()
# How it reads: near today, so without its year.
VISIT_WORDS = (
    f"Tue, {format_date(VISIT.astimezone(CHICAGO), 'MMM d', locale='en')}, "
    "10:00\u202fAM\u2009\u2013\u200912:00\u202fPM Central Time"
)


def _commercial_customer_owing_one_invoice(app) -> tuple[int, int]:
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="Harbor Foods", kind=CustomerKind.COMMERCIAL)
        prop = f.PropertyFactory(customer=customer, name="Harbor warehouse")
        user = f.PortalUserFactory(customer=customer, name="Hal Harbor")
        f.WorkOrderFactory(
            property=prop,
            summary="Cooler maintenance",
            status=WorkOrderStatus.SCHEDULED,
            visit_at=VISIT,
            visit_until=VISIT + timedelta(hours=2),
        )
        invoice = f.InvoiceFactory(customer=customer, property_id=prop.id)
        f.InvoiceLineFactory(invoice=invoice, description="Walk-in cooler repair")
        return user.id, invoice.id


def _signed_in(app, page, live_server, user_id: int) -> None:
    client = app.test_client()
    sign_in_portal(client, user_id)
    cookie = client.get_cookie("session")
    page.context.add_cookies([{"name": "session", "value": cookie.value, "url": live_server}])


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_section_is_reached_from_the_menu(app, live_server, page, screenshot, viewport):
    user_id, _ = _commercial_customer_owing_one_invoice(app)
    _signed_in(app, page, live_server, user_id)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(f"{live_server}/portal/")
    menu = page.get_by_role("navigation", name="Portal")
    names = [link.inner_text().strip() for link in menu.get_by_role("link").all()]
    assert "Compliance" in names and "Messages" in names, names
    no_sideways_scroll(page)
    screenshot(f"menu-{viewport}")

    for name in names:
        link = page.get_by_role("navigation", name="Portal").get_by_role("link", name=name)
        assert link.is_visible(), name
        box = link.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"], name
        link.click()
        page.wait_for_load_state()
        current = page.locator(".portal-nav a[aria-current=page]")
        assert current.inner_text().strip() == name
        no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_amount_due_pays_the_open_invoice(app, live_server, page, screenshot, viewport):
    user_id, invoice_id = _commercial_customer_owing_one_invoice(app)
    _signed_in(app, page, live_server, user_id)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(f"{live_server}/portal/")
    card = page.locator("section", has=page.locator("#invoices-heading"))
    visits = page.locator("section", has=page.locator("#visits-heading"))
    assert VISIT_WORDS in visits.inner_text()
    screenshot(f"amount-due-{viewport}")
    card.get_by_role("link", name="Pay").click()
    page.wait_for_url(f"{live_server}/portal/invoices/{invoice_id}")
    assert "Walk-in cooler repair" in page.content()
    screenshot(f"pay-{viewport}")
