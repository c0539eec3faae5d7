"""The customer's and the unit's whole story, and converting a request from its dispatch card,
in Chromium on a phone and on a desktop (screenshots with TEST_SCREENSHOTS set, for a person to look
at)."""

from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import ServiceRequest
from app.models.enums import CustomerKind, RequestStatus, StaffRole, WorkOrderStatus
from app.services.company import local_today
from tests import factories as f
from tests.browser_helpers import no_sideways_scroll, sign_in


def _maple_court():
    """A commercial customer with a bit of everything."""
    f.CompanySettingsFactory()
    today = local_today()
    customer = f.CustomerFactory(name="Maple Court HOA", kind=CustomerKind.COMMERCIAL)
    prop = f.PropertyFactory(customer=customer, name="Maple Court", address_line1="24 Maple Ct")
    unit = f.UnitFactory(property=prop, name="RTU-3 (roof, north)", service_interval_months=6)
    f.UnitFactory(property=prop, name="Clubhouse furnace")
    tech = f.StaffUserFactory(role=StaffRole.TECHNICIAN, name="Rosa Regular")
    f.WorkOrderFactory(property=prop, unit=unit, technician=tech, summary="Compressor noise")
    f.WorkOrderFactory(
        property=prop,
        unit=unit,
        technician=tech,
        summary="Spring maintenance",
        status=WorkOrderStatus.COMPLETED,
        completed_at=datetime.now(UTC) - timedelta(days=60),
    )
    f.ServiceRequestFactory(unit=unit, description="Roof unit rattles at night")
    f.InvoiceFactory(customer=customer, due_on=today - timedelta(days=40))
    f.InvoiceFactory(customer=customer, due_on=today + timedelta(days=10), total_cents=45000)
    f.QuoteFactory(customer=customer, title="Replace RTU-3 condenser fan")
    f.MessageFactory(customer=customer, body="Can someone come Tuesday?")
    f.DocumentFactory(customer=customer, title="RTU-3 manual")
    f.PortalUserFactory(customer=customer, name="Mo Manager", last_login_at=datetime.now(UTC))
    f.RefrigerantEventFactory(unit=unit, technician=tech)
    return customer, unit


def test_the_customer_page_tells_the_story_on_phone_and_desktop(
    app, live_server, page, make_staff, screenshot, viewport
):
    with app.app_context():
        customer, _unit = _maple_court()
        path = f"/admin/customer/details/?id={customer.id}"
    sign_in(app, page, live_server, make_staff, path)
    for heading in ("Open work orders and visits", "Unpaid invoices", "Equipment", "Portal users"):
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert "$108.25" in page.inner_text("table.aging")  # 31-60 days past due
    assert page.get_by_role("link", name="New work order").is_visible()
    assert page.get_by_role("link", name="Print stickers").first.is_visible()
    no_sideways_scroll(page)
    screenshot(f"customer-{viewport}")


def test_the_unit_page_shows_its_qr_code_and_history(
    app, live_server, page, make_staff, screenshot, viewport
):
    with app.app_context():
        _customer, unit = _maple_court()
        path, code = f"/admin/unit/details/?id={unit.id}", unit.printed_label_code
    sign_in(app, page, live_server, make_staff, path)
    image = page.locator("img.qr-image")
    assert image.evaluate("img => img.complete && img.naturalWidth > 100")
    assert code in page.inner_text("#sticker")
    assert page.get_by_role("heading", name="Service history").is_visible()
    assert "Spring maintenance" in page.inner_text("#recent-work")
    no_sideways_scroll(page)
    screenshot(f"unit-{viewport}")
    page.fill("#print-start", "5")
    page.click("text=Print this sticker")
    page.wait_for_url("**/admin/stickers/**")
    assert page.input_value("input[name=start]") == "5"
    screenshot(f"unit-print-{viewport}")


def test_the_property_page_lists_its_units_and_work(
    app, live_server, page, make_staff, screenshot, viewport
):
    with app.app_context():
        _customer, unit = _maple_court()
        path = f"/admin/property/details/?id={unit.property_id}"
    sign_in(app, page, live_server, make_staff, path)
    assert page.get_by_role("heading", name="Maple Court", exact=True).is_visible()
    units = page.inner_text("#equipment")
    assert "RTU-3 (roof, north)" in units and "Clubhouse furnace" in units
    assert "Compressor noise" in page.inner_text("#open-work")
    # where the work is: its own column on a desktop, under the summary on a phone
    assert page.inner_text("#open-work").count("Maple Court · RTU-3 (roof, north)") == 1
    for table in page.locator(".table-responsive").all():  # no table scrolls sideways
        assert table.evaluate("box => box.scrollWidth <= box.clientWidth + 1")
    assert "Roof unit rattles at night" in page.inner_text("#open-requests")
    assert "Spring maintenance" in page.inner_text("#recent-work")
    assert page.get_by_role("link", name="Print stickers").is_visible()
    no_sideways_scroll(page)
    screenshot(f"property-{viewport}")


def test_a_request_is_converted_from_its_dispatch_card_in_one_click(
    app, live_server, page, make_staff, screenshot, viewport
):
    with app.app_context():
        _customer, _unit = _maple_court()
        request_id = db.session.scalar(db.select(ServiceRequest.id))
    sign_in(app, page, live_server, make_staff, "/admin/dispatch/")
    card = page.locator("form.quick-convert")
    assert "Rosa Regular" in card.inner_text()  # who the button books, and when
    no_sideways_scroll(page)
    screenshot(f"dispatch-{viewport}")
    card.get_by_role("button", name="Convert to work order").click()
    page.wait_for_selector("text=Created WO-")
    no_sideways_scroll(page)
    screenshot(f"dispatch-converted-{viewport}")
    with app.app_context():
        request = db.session.get(ServiceRequest, request_id)
        assert request.status == RequestStatus.CONVERTED
        assert request.work_order.technician.name == "Rosa Regular"
        assert request.work_order.contact_name == "Pat Caller"
