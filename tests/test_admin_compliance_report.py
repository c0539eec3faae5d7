"""The EPA report page in admin: the customer is an AJAX look-up, the sites are the chosen
customer's, and neither the page nor its queries grow with the number of customers."""

from sqlalchemy import select

from app.extensions import db
from app.models import Job
from app.models.enums import CustomerKind
from tests import factories as f
from tests.query_count import counting_queries

PAGE = "/admin/compliance-report/"
LOOKUP = PAGE + "ajax/lookup/"


def _commercial_customers(app, count: int, **names) -> list[int]:
    """Commercial customers, each with a site holding a unit with refrigerant."""
    with app.app_context():
        ids = []
        for n in range(count):
            customer = f.CustomerFactory(kind=CustomerKind.COMMERCIAL, **names)
            f.UnitFactory(property=f.PropertyFactory(customer=customer, name=f"Store {n}"))
            ids.append(customer.id)
        return ids


def _measure(app, client, url: str) -> tuple[int, int]:
    with counting_queries(app) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.data)


def test_the_page_does_not_grow_with_the_number_of_customers(app, client, login_as):
    login_as("manager")
    with app.app_context():
        f.CompanySettingsFactory()
    [first] = _commercial_customers(app, 1)
    client.get(PAGE)  # warm caches
    few = _measure(app, client, PAGE), _measure(app, client, f"{PAGE}?customer_id={first}")
    _commercial_customers(app, 15)
    many = _measure(app, client, PAGE), _measure(app, client, f"{PAGE}?customer_id={first}")
    assert many == few


def test_the_look_up_offers_customers_with_refrigerant_ten_at_a_time(app, client, login_as):
    login_as("dispatcher")
    _commercial_customers(app, 12)
    [bistro] = _commercial_customers(app, 1, name="Bistro Verde")
    with app.app_context():
        f.UnitFactory(property__customer__name="Homeowner Hal")  # residential
    assert len(client.get(LOOKUP, query_string={"name": "refrigerant_customer"}).json) == 10
    found = client.get(LOOKUP, query_string={"name": "refrigerant_customer", "query": "bist"})
    assert found.json == [[bistro, "Bistro Verde"]]
    hal = client.get(LOOKUP, query_string={"name": "refrigerant_customer", "query": "Hal"})
    assert hal.json == []
    assert client.get(LOOKUP, query_string={"name": "customer"}).status_code == 404


def test_technicians_cannot_use_the_look_up(client, login_as):
    login_as("technician")
    assert client.get(LOOKUP, query_string={"name": "refrigerant_customer"}).status_code == 403


def test_choosing_a_customer_lists_only_its_sites(app, client, login_as):
    login_as("manager")
    chosen, other = _commercial_customers(app, 2)
    page = client.post(
        PAGE,
        data={"customer_id": chosen, "date_from": "2026-01-01", "show_sites": ""},
    ).text
    assert "Store 0" in page and "Store 1" not in page
    assert "This field is required" not in page  # only showing the sites, not submitting
    with app.app_context():
        assert db.session.scalars(select(Job)).all() == []
    assert "Store 1" in client.get(f"{PAGE}?customer_id={other}").text


def test_bad_input_gets_messages_and_starts_nothing(app, client, login_as):
    login_as("manager")
    [eligible] = _commercial_customers(app, 1)
    with app.app_context():
        residential = f.UnitFactory().property.customer_id
    for data in (
        {"customer_id": "abc", "property_id": "xyz", "date_from": "zz", "date_to": ""},
        {"customer_id": residential, "date_from": "2026-01-01", "date_to": "2026-02-01"},
        {"customer_id": "99999999999", "date_from": "2026-01-01", "date_to": "2026-02-01"},
        {"customer_id": eligible, "property_id": "77", "date_from": "2026-01-01"},
    ):
        response = client.post(PAGE, data=data)
        assert response.status_code == 200, data
        assert "invalid-feedback" in response.text, data
    assert client.get(f"{PAGE}?customer_id=abc").status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Job)).all() == []
