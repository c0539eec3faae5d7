"""The back office in a real browser: sign in, see the dashboard, open a list."""

from tests.conftest import TEST_PASSWORD
from tests.factories import CustomerFactory


def test_staff_signs_in_and_browses_customers_in_chromium(app, live_server, page, make_staff):
    make_staff("dispatcher", email="dana@polarbear.test", name="Dana Dispatcher")
    with app.app_context():
        CustomerFactory(name="Harbor View Apartments")

    page.goto(f"{live_server}/admin/customer/")
    page.fill("input[name=email]", "dana@polarbear.test")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")

    page.wait_for_url(f"{live_server}/admin/customer/")
    assert "Harbor View Apartments" in page.inner_text("table.model-list")
    assert "Dana Dispatcher" in page.inner_text("nav")

    page.click("text=Sign out")
    page.wait_for_url(f"{live_server}/login")
    page.goto(f"{live_server}/admin/customer/")
    assert page.url.startswith(f"{live_server}/login")
