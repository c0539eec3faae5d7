"""The portal on a phone (390 px) and a desktop in real Chromium: every section is one tap
away in the menu (it wraps, nothing hides sideways), the "Amount due" card pays,
visits read as words ("Tue, Dec 7, 10:00 AM – 12:00 PM Central Time") on the dashboard and in
the history, messages read as a conversation with the newest in view above the composer, and
the sign-in e-mail's button signs in. Screenshots go to TEST_SCREENSHOTS, when set, for a person
to look at."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from app.extensions import db
from app.models import Customer
from app.models.base import utcnow
from app.models.enums import CustomerKind, MessageDirection, WorkOrderStatus
from tests import factories as f
from tests.browser_helpers import VIEWPORTS, no_sideways_scroll, sign_in_portal_page

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


def test_every_section_is_reached_from_the_menu(app, live_server, page, screenshot, viewport):
    user_id, _ = _commercial_customer_owing_one_invoice(app)
    sign_in_portal_page(app, page, live_server, user_id)
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
        with page.expect_navigation():
            link.click()
        current = page.locator(".portal-nav a[aria-current=page]")
        assert current.inner_text().strip() == name
        no_sideways_scroll(page)


def test_amount_due_pays_the_open_invoice(app, live_server, page, screenshot, viewport):
    user_id, invoice_id = _commercial_customer_owing_one_invoice(app)
    sign_in_portal_page(app, page, live_server, user_id)
    page.goto(f"{live_server}/portal/")
    card = page.locator("section", has=page.locator("#invoices-heading"))
    visits = page.locator("section", has=page.locator("#visits-heading"))
    assert VISIT_WORDS in visits.inner_text()
    screenshot(f"amount-due-{viewport}")
    card.get_by_role("link", name="Pay").click()
    page.wait_for_url(f"{live_server}/portal/invoices/{invoice_id}")
    assert "Walk-in cooler repair" in page.content()
    screenshot(f"pay-{viewport}")


def test_the_history_shows_the_visit_window_in_words(app, live_server, page, screenshot, viewport):
    user_id, _ = _commercial_customer_owing_one_invoice(app)
    sign_in_portal_page(app, page, live_server, user_id)
    page.goto(f"{live_server}/portal/history")
    assert page.locator(".work-order-when").first.inner_text() == VISIT_WORDS
    no_sideways_scroll(page)
    screenshot(f"history-{viewport}")


def _in_view(page, selector: str) -> bool:
    """Whether the element's top is inside the viewport as the page is scrolled now."""
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_messages_read_oldest_to_newest_and_land_on_the_newest(
    app, live_server, page, screenshot, viewport
):
    user_id, _ = _commercial_customer_owing_one_invoice(app)
    with app.app_context():
        customer = db.session.scalar(db.select(Customer).where(Customer.name == "Harbor Foods"))
        start = utcnow() - timedelta(days=3)
        for n in range(8):
            f.MessageFactory(
                customer=customer,
                direction=(MessageDirection.FROM_CUSTOMER, MessageDirection.FROM_OFFICE)[n % 2],
                body=f"Message {n}: " + "the cooler is holding 38 °F since the visit. " * 2,
                created_at=start + timedelta(hours=n),
            )
    sign_in_portal_page(app, page, live_server, user_id)
    page.goto(f"{live_server}/portal/")
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Messages").click()
    page.wait_for_url(f"{live_server}/portal/messages#newest")

    bodies = page.locator(".thread .bubble-body").all_inner_texts()
    assert [body.split(":")[0] for body in bodies] == [f"Message {n}" for n in range(8)]
    mine, office = page.locator(".bubble-mine").first, page.locator(".bubble-office").first
    thread = page.locator(".thread").bounding_box()
    assert mine.bounding_box()["x"] > thread["x"] + 10  # the customer's own on the right
    assert office.bounding_box()["x"] == pytest.approx(thread["x"], abs=1)  # the office's left
    composer = page.locator("form[action='/portal/messages']").bounding_box()
    assert composer["y"] > page.locator("#newest").bounding_box()["y"]
    assert _in_view(page, "#newest")
    no_sideways_scroll(page)
    screenshot(f"messages-{viewport}", in_view=True)

    page.fill("textarea[name=body]", "Thanks, see you Tuesday.")
    # The page comes back at the address it has already: waiting for that address would not wait.
    with page.expect_navigation(url=f"{live_server}/portal/messages#newest"):
        page.get_by_role("button", name="Send message").click()
    assert page.locator("#newest .bubble-body").inner_text() == "Thanks, see you Tuesday."
    assert _in_view(page, "#newest")
    screenshot(f"sent-{viewport}", in_view=True)


def test_the_sign_in_mails_button_signs_in_from_the_dev_mail_page(
    portal_site, page, screenshot, viewport
):
    site, base_url = portal_site
    with site.app_context():
        f.CompanySettingsFactory(brand_color="#ffd400")  # pale: the button's text is black
        f.PortalUserFactory(name="Hal Harbor", email="hal@example.com")
    page.goto(f"{base_url}/portal/login")
    page.fill("input[name=email]", "hal@example.com")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    page.goto(f"{base_url}/dev/mail/")
    page.locator("table.dev-mail a", has_text="Your sign-in link").first.click()
    button = page.frame_locator("iframe.dev-mail-html").get_by_role("link", name="Sign in")
    assert button.evaluate("a => getComputedStyle(a).color") == "rgb(0, 0, 0)"
    screenshot(f"mail-{viewport}")
    # The frame first: below the fold on a phone, Chromium may not paint it, and a button in an
    # unpainted frame never counts as stable for Playwright's scroll.
    page.locator("iframe.dev-mail-html").scroll_into_view_if_needed()
    button.scroll_into_view_if_needed()
    # Chromium sends a click into a sandboxed frame by where the frame was last painted: let
    # the scroll reach the screen first (two animation frames), as it has for a person.
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    button.click()
    page.wait_for_url(f"{base_url}/portal/link/*")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/portal/")
    assert "Hal Harbor" in page.inner_text("main")
