"""A commercial customer's compliance pages in the portal."""

from app.models.enums import CustomerKind
from tests import factories as f
from tests.portal_helpers import sign_in_portal, walk_in_with_a_leak


def test_a_commercial_customer_sees_rates_thresholds_and_obligations(app, client):
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(kind=CustomerKind.COMMERCIAL)
        unit_id = walk_in_with_a_leak(customer).id
        other = walk_in_with_a_leak(f.CustomerFactory(kind=CustomerKind.COMMERCIAL))
        other_name = other.property.name
        user_id = f.PortalUserFactory(customer=customer).id
    sign_in_portal(client, user_id)
    overview = client.get("/portal/compliance").data.decode()
    assert "Walk-in freezer" in overview and "73.59%" in overview
    assert "due May 1, 2026" in overview and "due 2026-" not in overview
    assert "Part 84" in overview and other_name not in overview
    detail = client.get(f"/portal/compliance/{unit_id}").data.decode()
    assert "12.50% / 20%" in detail and "73.59% / 20%" in detail
    assert "due May 1, 2026" in detail  # repair and initial verification, as words
    assert "Leak found Apr 1, 2026" in detail and "due 2026-" not in detail
    assert "<svg" in detail and "608-555" in detail


def test_residential_customers_have_no_compliance_section(app, client):
    with app.app_context():
        f.CompanySettingsFactory()
        user_id = f.PortalUserFactory().id
    sign_in_portal(client, user_id)
    assert client.get("/portal/compliance").status_code == 404


def test_the_compliance_menu_item_is_for_commercial_customers(app, client):
    with app.app_context():
        f.CompanySettingsFactory()
        home = f.PortalUserFactory().id
        business = f.PortalUserFactory(customer=f.CustomerFactory(kind=CustomerKind.COMMERCIAL)).id
    sign_in_portal(client, home)
    assert 'href="/portal/compliance"' not in client.get("/portal/").data.decode()
    sign_in_portal(client, business)
    assert 'href="/portal/compliance"' in client.get("/portal/").data.decode()


def test_a_residential_customer_cannot_open_a_compliance_page_even_for_their_own_unit(app, client):
    with app.app_context():
        f.CompanySettingsFactory()
        home = f.CustomerFactory()
        unit_id = walk_in_with_a_leak(home).id
        user_id = f.PortalUserFactory(customer=home).id
    sign_in_portal(client, user_id)
    assert client.get(f"/portal/compliance/{unit_id}").status_code == 404
