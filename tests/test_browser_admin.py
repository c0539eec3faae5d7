"""The back office in a real browser: sign in, see the dashboard, open a list, AJAX look-ups."""

from app.models.enums import CustomerKind
from tests.conftest import TEST_PASSWORD
from tests.factories import CustomerFactory, PropertyFactory, UnitFactory


def test_staff_signs_in_and_browses_customers_in_chromium(
    app, live_server, page, csp_problems, make_staff
):
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
    assert csp_problems == [], csp_problems


def test_the_compliance_report_finds_the_customer_as_you_type_and_lists_its_sites(
    app, live_server, page, csp_problems, make_staff
):
    make_staff("manager", email="max@polarbear.test")
    with app.app_context():
        bistro = CustomerFactory(name="Bistro Verde", kind=CustomerKind.COMMERCIAL)
        UnitFactory(property=PropertyFactory(customer=bistro, name="Downtown kitchen"))
        UnitFactory(property__name="Someone else's site")

    page.goto(f"{live_server}/admin/compliance-report/")
    page.fill("input[name=email]", "max@polarbear.test")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/compliance-report/")

    page.click("#s2id_customer_id")
    page.keyboard.type("Bist")
    page.click(".select2-result-label >> text=Bistro Verde")
    page.wait_for_selector("#property_id >> text=Downtown kitchen", state="attached")
    assert "Someone else" not in page.inner_text("#property_id")
    assert "Bistro Verde" in page.inner_text("#s2id_customer_id")
    assert csp_problems == [], csp_problems
