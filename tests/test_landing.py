"""The address people type first: the company's name and the two ways in."""

from tests import factories as f
from tests.browser_forms import forms_on


def test_home_page_names_the_company_and_links_to_portal_and_staff_sign_in(app, client):
    with app.app_context():
        f.CompanySettingsFactory(name="Northwind Heating", phone="555 010 2000")
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Northwind Heating" in html and "555 010 2000" in html
    assert 'href="/portal/"' in html and 'href="/login"' in html
    assert not forms_on(response)  # nothing to fill in here: just the ways in


def test_signed_in_staff_go_straight_to_the_back_office(client, login_as):
    login_as("dispatcher")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
