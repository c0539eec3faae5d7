"""The one filter form: another customer's property or unit, an unknown id or junk typed in
the query string is left out the same way on every page that filters by place: the page says
so and shows all of the customer's own records."""

import pytest
from bs4 import BeautifulSoup

from app.extensions import db
from app.models import Property, Unit
from tests import factories as f
from tests.portal_helpers import customer_with_everything, sign_in_portal
from tests.row_copies import built_once

# Each page that filters by property, and a record of the customer's it shows unfiltered.
PROPERTY_PAGES = {
    "/portal/": "Mine coil cleaning",
    "/portal/equipment": "Mine walk-in",
    "/portal/quotes": "Mine new freezer",
    "/portal/invoices": "INV-",
    "/portal/documents": "Mine manual",
    "/portal/history": "Mine coil cleaning",
}
UNIT_PAGES = {"/portal/documents": "Mine manual", "/portal/history": "Mine coil cleaning"}
MESSAGES = {
    "property_id": "We could not find that property on your account. Showing all properties.",
    "unit_id": "We could not find that unit on your account. Showing all units.",
}


def _two_customers():
    f.CompanySettingsFactory()
    return customer_with_everything("Mine"), customer_with_everything("Zanzibar")


@pytest.fixture
def two_customers(app):
    return built_once(app, _two_customers)


def _alerts(response) -> list[str]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [alert.get_text(strip=True) for alert in soup.select('[role="alert"]')]


@pytest.mark.parametrize(
    ("name", "url"),
    [("property_id", url) for url in PROPERTY_PAGES] + [("unit_id", url) for url in UNIT_PAGES],
)
@pytest.mark.parametrize("typed", ["theirs", "999999", "abc", "99999999999999999999"])
def test_a_foreign_or_unknown_id_is_left_out_alike_on_every_page(
    client, two_customers, name, url, typed
):
    mine, theirs = two_customers
    sign_in_portal(client, mine["user"])
    if typed == "theirs":
        typed = theirs[Property if name == "property_id" else Unit]
    response = client.get(url, query_string={name: typed})
    assert _alerts(response) == [MESSAGES[name]]
    page = response.get_data(as_text=True)
    assert PROPERTY_PAGES[url] in page and "Zanzibar" not in page


@pytest.mark.parametrize("url", PROPERTY_PAGES)
def test_their_own_property_filters_without_a_message(app, client, two_customers, url):
    mine, _theirs = two_customers
    with app.app_context():
        f.PropertyFactory(customer=db.session.get(Property, mine[Property]).customer)
        db.session.commit()
    sign_in_portal(client, mine["user"])
    response = client.get(url, query_string={"property_id": mine[Property]})
    assert _alerts(response) == []
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    picked = soup.select("select#property_id option[selected]")
    assert [option["value"] for option in picked] == [str(mine[Property])]
    assert "Zanzibar" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "heading", "title"),
    [
        ("/portal/equipment", "Equipment and warranty", "Equipment"),
        ("/portal/quotes", "Quotes", "Quotes"),
        ("/portal/invoices", "Invoices", "Invoices"),
        ("/portal/documents", "Documents", "Documents"),
        ("/portal/history", "Service history", "Service history"),
        ("/portal/messages", "Messages", "Messages"),
    ],
)
def test_each_list_page_has_one_heading_and_its_title(client, two_customers, url, heading, title):
    mine, _theirs = two_customers
    sign_in_portal(client, mine["user"])
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    assert [h1.get_text(strip=True) for h1 in soup.select("h1")] == [heading]
    assert soup.title.get_text().startswith(f"{title} · ")


@pytest.mark.parametrize("url", sorted(UNIT_PAGES))
def test_the_choices_list_every_property_and_their_units_in_order(app, client, url):
    """A property with no units yet is still a choice; units follow their properties' order."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory()
        empty = f.PropertyFactory(customer=customer, name="Cabin")
        lake = f.PropertyFactory(customer=customer, name="Lake house")
        f.UnitFactory(property=lake, name="Furnace")
        f.UnitFactory(property=lake, name="Attic air handler")
        f.UnitFactory(property=f.PropertyFactory(customer=customer, name="Apartment"), name="Split")
        user = f.PortalUserFactory(customer=customer).id
        empty_id = empty.id
    sign_in_portal(client, user)
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    properties = [o.get_text(strip=True) for o in page.select("select#property_id option")]
    assert properties[1:] == ["Apartment", "Cabin", "Lake house"]
    assert page.select_one(f"select#property_id option[value='{empty_id}']") is not None
    units = [o.get_text(strip=True) for o in page.select("select#unit_id option")]
    assert units[1:] == [
        "Split (Apartment)",
        "Attic air handler (Lake house)",
        "Furnace (Lake house)",
    ]
