"""A commercial customer's compliance pages in the portal."""

from datetime import date
from decimal import Decimal

from app.models.enums import ApplianceType, CustomerKind, StaffRole
from tests import factories as f
from tests.portal_helpers import sign_in_portal
from tests.refrigerant_helpers import record_additions

MARCH_AND_APRIL = ((date(2026, 3, 1), Decimal(10)), (date(2026, 4, 1), Decimal(5)))


def walk_in_with_a_leak(customer, additions=MARCH_AND_APRIL):
    """An 80 lb walk-in freezer (commercial refrigeration: a 20% limit) with pounds added."""
    unit = f.UnitFactory(
        property=f.PropertyFactory(customer=customer),
        name="Walk-in freezer",
        refrigerant_type="R-404A",
        full_charge_lb=Decimal("80"),
        epa_appliance_type=ApplianceType.COMMERCIAL_REFRIGERATION,
    )
    tech = f.StaffUserFactory(role=StaffRole.TECHNICIAN, epa_certification_number="608-555")
    record_additions(unit, tech, additions)
    return unit


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
