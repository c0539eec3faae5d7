"""Booking from the portal in Chromium on a 390 px phone: the request form offers the open
windows, picking one books the visit (the home page says so), and Pick another time moves it;
nothing scrolls sideways (screenshots with TEST_SCREENSHOTS set)."""

from playwright.sync_api import expect

from app.extensions import db
from tests import factories as f
from tests.browser_helpers import VIEWPORTS, no_sideways_scroll, sign_in_portal_page
from tests.helpers import bookable_technician


def test_a_customer_books_and_moves_a_visit_on_a_phone(app, live_server, page, screenshot):
    page.set_viewport_size(VIEWPORTS["phone"])
    with app.app_context():
        bookable_technician(portal_self_booking=True)
        unit = f.UnitFactory(name="Attic furnace")
        user = f.PortalUserFactory(customer=unit.property.customer, email="ann@example.com")
        db.session.commit()
        user_id, unit_id = user.id, unit.id
    sign_in_portal_page(app, page, live_server, user_id)
    page.goto(f"{live_server}/portal/requests/new?unit_id={unit_id}")
    page.get_by_label("What is wrong?").fill("No heat upstairs")
    windows = page.locator("label.window")
    chosen = windows.nth(1).inner_text()
    windows.nth(1).click()
    no_sideways_scroll(page)
    screenshot("request-form")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("body")).to_contain_text("booked your visit")
    expect(page.locator("section[aria-labelledby=visits-heading]")).to_contain_text(
        chosen.split(",")[0]
    )
    page.get_by_role("link", name="Pick another time").click()
    page.locator("label.window").nth(2).click()
    no_sideways_scroll(page)
    screenshot("pick-another-time")
    page.get_by_role("button", name="Move my visit").click()
    expect(page.locator("body")).to_contain_text("Your visit has moved")
    screenshot("moved")
