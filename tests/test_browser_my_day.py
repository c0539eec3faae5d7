"""My day in Chromium on a 390 px phone: the technician opens it from the menu, sees today's
visits, presses 30 min and On my way, then Arrived; nothing scrolls sideways (screenshots
with TEST_SCREENSHOTS set)."""

from playwright.sync_api import expect

from tests.browser_helpers import no_sideways_scroll, open_signed_in, tess_on_her_phone
from tests.helpers import todays_visits


def test_a_technician_goes_through_their_day_on_a_phone(
    app, live_server, page, make_staff, screenshot, csp_problems
):
    tess = tess_on_her_phone(page, make_staff)
    visits = todays_visits(app, tess, make_staff("technician", name="Omar Tech"))
    open_signed_in(app, page, live_server, tess, "/admin/")
    page.locator(".navbar-toggler").click()
    page.get_by_role("link", name="My day").click()
    page.wait_for_url(f"{live_server}/admin/my-day/")
    card = page.locator(f"#visit-{visits['afternoon']}")
    expect(card).to_contain_text("No heat upstairs")
    no_sideways_scroll(page)
    screenshot("my-day-phone")
    card.get_by_text("30 min").click()
    card.get_by_role("button", name="On my way").click()
    expect(card).to_contain_text("On the way")
    expect(card).to_contain_text("arriving about")
    no_sideways_scroll(page)
    screenshot("my-day-on-the-way-phone")
    card.get_by_role("button", name="Arrived").click()
    expect(card).to_contain_text("On site")
    assert csp_problems == []
