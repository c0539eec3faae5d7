"""The portal's equipment list and unit pages: warranty and service dates, history, the sticker."""

from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from bs4 import BeautifulSoup

from app.extensions import db
from app.models import PortalUser, Unit, WorkOrderNote
from app.models.enums import WorkOrderStatus
from app.queries import equipment as equipment_queries
from app.services.company import local_today, to_local
from app.services.equipment import add_months
from tests import factories as f
from tests.portal_helpers import sign_in_portal
from tests.query_count import counting_queries


@pytest.fixture
def fleet(app):
    """A customer with two properties and three units in different states; another customer."""
    with app.app_context():
        f.CompanySettingsFactory()
        today = local_today()
        customer = f.CustomerFactory(name="Harbor Apartments")
        home = f.PropertyFactory(customer=customer, name="Main Street building")
        annex = f.PropertyFactory(customer=customer, name="Annex")
        overdue = f.UnitFactory(
            property=home,
            name="Rooftop unit 1",
            manufacturer="Lennox",
            model_number="LGH120",
            install_date=today - timedelta(days=2000),
            parts_warranty_end=today + timedelta(days=400),
            labor_warranty_end=today + timedelta(days=30),
            service_interval_months=12,
        )
        done = f.WorkOrderFactory(
            property=home,
            unit=overdue,
            status=WorkOrderStatus.COMPLETED,
            completed_at=datetime.now(UTC) - timedelta(days=420),
        )
        fresh = f.UnitFactory(
            property=annex,
            name="Boiler room furnace",
            install_date=today - timedelta(days=90),
            parts_warranty_end=today - timedelta(days=10),
            labor_warranty_end=None,
            service_interval_months=6,
        )
        unplanned = f.UnitFactory(
            property=annex,
            name="Garage heater",
            install_date=None,
            parts_warranty_end=None,
            labor_warranty_end=None,
            service_interval_months=None,
        )
        stranger = f.UnitFactory(name="Someone else's chiller")
        user = f.PortalUserFactory(customer=customer)
        last = to_local(done.completed_at).date()
        return {
            "user": user.id,
            "today": today,
            "overdue": overdue.id,
            "fresh": fresh.id,
            "unplanned": unplanned.id,
            "stranger": stranger.id,
            "home": home.id,
            "annex": annex.id,
            "other_property": stranger.property_id,
            "overdue_last": last,
            "overdue_due": add_months(last, 12),
            "fresh_due": add_months(fresh.install_date, 6),
        }


def _day(day) -> str:
    return format_date(day, "medium", locale="en")


def test_the_equipment_list_shows_warranty_and_service_states(client, fleet):
    sign_in_portal(client, fleet["user"])
    page = client.get("/portal/equipment").data.decode()
    today = fleet["today"]
    for expected in (
        "Rooftop unit 1",
        "Lennox LGH120",
        f"Active until {_day(today + timedelta(days=400))}",
        f"Ends soon, on {_day(today + timedelta(days=30))}",
        f"Expired on {_day(today - timedelta(days=10))}",
        "None on file",
        f"Overdue since {_day(fleet['overdue_due'])}",
        _day(fleet["overdue_last"]),
        "Every 12 months",
        "Every 6 months",
        _day(fleet["fresh_due"]),
        "No service interval set",
        "No visit on record yet",
        "Main Street building",
        "Annex",
        f"/portal/requests/new?unit_id={fleet['overdue']}",
        f"/portal/units/{fleet['fresh']}",
    ):
        assert expected in page, expected
    assert "Someone else" not in page
    assert page.count("badge-bad") == 2  # the overdue unit and the expired parts warranty


def test_the_list_filters_by_property_and_ignores_someone_elses(client, fleet):
    sign_in_portal(client, fleet["user"])
    annex = client.get("/portal/equipment", query_string={"property_id": fleet["annex"]})
    page = annex.data.decode()
    assert "Boiler room furnace" in page and "Rooftop unit 1" not in page
    theirs = client.get("/portal/equipment", query_string={"property_id": fleet["other_property"]})
    page = theirs.data.decode()
    assert theirs.status_code == 200
    assert "We could not find that property on your account" in page
    assert "Rooftop unit 1" in page and "Someone else" not in page
    assert client.get("/portal/equipment?property_id=abc&page=zz").status_code == 200


def test_the_list_is_paged(client, fleet, monkeypatch):
    monkeypatch.setattr(equipment_queries, "UNITS_PER_PAGE", 2)
    sign_in_portal(client, fleet["user"])
    first = client.get("/portal/equipment").data.decode()
    second = client.get("/portal/equipment?page=2").data.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    names = ("Rooftop unit 1", "Boiler room furnace", "Garage heater")
    assert sum(name in first for name in names) == 2
    assert sum(name in second for name in names) == 1
    assert "Page 2 of 2" in client.get("/portal/equipment?page=99").data.decode()


def _add_units(app, user_id: int, count: int) -> None:
    with app.app_context():
        customer = db.session.get(PortalUser, user_id).customer
        prop = f.PropertyFactory(customer=customer)
        for _ in range(count):
            unit = f.UnitFactory(property=prop, service_interval_months=6)
            f.WorkOrderFactory(
                property=prop,
                unit=unit,
                status=WorkOrderStatus.COMPLETED,
                completed_at=datetime.now(UTC) - timedelta(days=30),
            )


def test_the_equipment_list_query_count_does_not_grow_with_units(app, client, fleet):
    sign_in_portal(client, fleet["user"])
    client.get("/portal/equipment")
    with counting_queries(app) as few:
        assert client.get("/portal/equipment").status_code == 200
    _add_units(app, fleet["user"], 12)
    with counting_queries(app) as many:
        page = client.get("/portal/equipment").data.decode()
    assert page.count("unit-card") == 15
    assert len(many) == len(few), many


def test_the_unit_page_shows_its_history_with_customer_notes_only(app, client, fleet):
    with app.app_context():
        unit = db.session.get(Unit, fleet["overdue"])
        tech = f.StaffUserFactory(name="Terry Tech")
        work_order = f.WorkOrderFactory(
            property=unit.property,
            unit=unit,
            technician=tech,
            summary="Replaced the blower capacitor",
            status=WorkOrderStatus.COMPLETED,
            completed_at=datetime.now(UTC) - timedelta(days=3),
        )
        f.WorkOrderLineFactory(work_order=work_order, description="Capacitor 45/5 MFD")
        db.session.add_all(
            [
                WorkOrderNote(
                    work_order=work_order,
                    body="Filters were very dirty; replace them monthly.",
                    visible_to_customer=True,
                ),
                WorkOrderNote(
                    work_order=work_order,
                    body="Tenant was rude, bill the landlord extra.",
                    visible_to_customer=False,
                ),
            ]
        )
        f.WorkOrderFactory(
            property=unit.property, unit=None, summary="Visit about another unit entirely"
        )
        db.session.commit()
    sign_in_portal(client, fleet["user"])
    page = client.get(f"/portal/units/{fleet['overdue']}").data.decode()
    for expected in (
        "Rooftop unit 1",
        "Replaced the blower capacitor",
        "Terry Tech",
        "Capacitor 45/5 MFD",
        "Filters were very dirty",
        "Every 12 months",
        f'href="/portal/requests/new?unit_id={fleet["overdue"]}"',
    ):
        assert expected in page, expected
    assert "Tenant was rude" not in page
    assert "another unit entirely" not in page


def test_another_customers_unit_page_is_a_404(client, fleet):
    sign_in_portal(client, fleet["user"])
    assert client.get(f"/portal/units/{fleet['stranger']}").status_code == 404
    assert client.get("/portal/units/99999999").status_code == 404
    assert client.get("/portal/units/99999999999999999999").status_code == 404


def test_the_owner_scanning_the_sticker_lands_on_their_unit_page(app, client, fleet, login_as):
    with app.app_context():
        token = db.session.get(Unit, fleet["overdue"]).qr_token
    sign_in_portal(client, fleet["user"])
    response = client.get(f"/u/{token}", follow_redirects=True)
    assert response.request.path == f"/portal/units/{fleet['overdue']}"
    assert "Rooftop unit 1" in response.data.decode()
    # The public form stays one tap away, and a POST to the sticker is never redirected.
    assert b'name="description"' in client.get(f"/u/{token}?form=1").data

    login_as("technician")
    staff_page = client.get(f"/u/{token}")
    assert staff_page.status_code == 200 and b"Open in the back office" in staff_page.data


def test_signed_out_visitors_are_sent_to_sign_in(client, fleet):
    for url in ("/portal/equipment", f"/portal/units/{fleet['overdue']}"):
        response = client.get(url)
        assert response.status_code == 302 and "/portal/login" in response.headers["Location"]


def _facts(page) -> list[str]:
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return [term.get_text(strip=True) for term in soup.select("dl.facts")[0].select("dt")]


SERVICE_FACTS = [
    "Installed",
    "Parts warranty",
    "Labour warranty",
    "Last service",
    "Recommended service",
    "Next service due",
]


def test_the_list_shows_service_facts_and_the_unit_page_adds_serial_refrigerant_and_sticker(
    app, client, fleet
):
    with app.app_context():
        unit = db.session.get(Unit, fleet["overdue"])
        unit.refrigerant_type, code = "R-410A", unit.printed_label_code
        db.session.commit()
    sign_in_portal(client, fleet["user"])
    assert _facts(client.get("/portal/equipment")) == ["Make and model", *SERVICE_FACTS]
    page = client.get(f"/portal/units/{fleet['overdue']}")
    assert _facts(page) == [
        "Make and model",
        "Serial number",
        *SERVICE_FACTS,
        "Refrigerant",
        "Sticker code",
    ]
    assert "R-410A" in page.get_data(as_text=True) and code in page.get_data(as_text=True)
