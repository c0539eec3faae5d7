"""A portal page seen again is sent as kept (portal/kept_pages.py), and never once anything it
shows has changed: a payment, an office answer, an edit show on the very next page, whoever
wrote them. The pages keep nothing in the process that a write could signal; the only signal
is the customer's version in the database, so a write made here stands for any other process's.
"""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text

from app.extensions import db
from app.models import Customer, Invoice, Property
from app.models.enums import MessageDirection, PaymentMethod
from app.services.billing import refresh_amount_paid
from portal.kept_pages import PAGES
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import pass_keeping_time
from tests.portal_helpers import sign_in_portal
from tests.query_count import counting_queries


@pytest.fixture
def household(app, monkeypatch):
    """A customer, their portal user and an open invoice; CSRF on, as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with app.app_context():
        f.CompanySettingsFactory()
        prop = f.PropertyFactory(name="Lake House")
        user = f.PortalUserFactory(customer=prop.customer, name="Olive Owner")
        invoice = f.InvoiceFactory(customer=prop.customer, property_id=prop.id, total_cents=27063)
        ids = {"user": user.id, "customer": prop.customer_id, "property": prop.id}
        return ids | {"invoice": invoice.id}


@pytest.fixture
def signed_in(client, household):
    sign_in_portal(client, household["user"])
    return client


def _shown(client, url: str) -> tuple[str, list[str]]:
    """The page, and the statements showing it ran (kept pages are not dropped first)."""
    with counting_queries(client.application, drop_kept_pages=False) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), statements


def test_a_page_seen_again_is_sent_as_kept_after_only_the_sign_in_check(signed_in):
    for url in ("/portal/", "/portal/invoices", "/portal/history", "/portal/equipment"):
        first, rendering = _shown(signed_in, url)
        again, kept = _shown(signed_in, url)
        assert again == first
        assert len(kept) == 1 < len(rendering), url  # who is signed in, and their version


def _amount_due(page: str) -> str:
    return BeautifulSoup(page, "html.parser").select_one("p.amount-due").get_text(strip=True)


def test_a_payment_shows_on_the_very_next_page(app, signed_in, household):
    assert _amount_due(_shown(signed_in, "/portal/invoices")[0]) == "$270.63"
    with app.app_context():
        invoice = db.session.get(Invoice, household["invoice"])
        f.PaymentFactory(invoice=invoice, amount_cents=27063, method=PaymentMethod.CHECK)
        refresh_amount_paid(invoice)
        db.session.commit()
    assert _amount_due(_shown(signed_in, "/portal/invoices")[0]) == "$0.00"


def test_an_answer_from_the_office_and_a_renamed_property_show_at_once(app, signed_in, household):
    assert "Lake House" in _shown(signed_in, "/portal/invoices")[0]
    _shown(signed_in, "/portal/messages")
    with app.app_context():
        f.MessageFactory(
            customer=db.session.get(Customer, household["customer"]),
            direction=MessageDirection.FROM_OFFICE,
            body="The part came in",
        )
        db.session.get(Property, household["property"]).name = "Cabin"
        db.session.commit()
    invoices, _ = _shown(signed_in, "/portal/invoices")
    assert "Cabin" in invoices and "Lake House" not in invoices
    messages, _ = _shown(signed_in, "/portal/messages")
    assert "The part came in" in messages


def test_a_change_made_outside_the_application_shows_once_the_kept_seconds_are_up(
    app, signed_in, household, monkeypatch
):
    _shown(signed_in, "/portal/invoices")
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE properties SET name = 'Boathouse'"))  # no version moved
    assert "Boathouse" not in _shown(signed_in, "/portal/invoices")[0]
    pass_keeping_time(monkeypatch, PAGES)
    assert "Boathouse" in _shown(signed_in, "/portal/invoices")[0]


def test_each_sign_in_and_language_gets_its_own_page_and_a_signed_out_cookie_gets_none(
    app, client, signed_in, household
):
    mine, _ = _shown(signed_in, "/portal/")
    with app.app_context():
        customer = db.session.get(Customer, household["customer"])
        partner = f.PortalUserFactory(customer=customer, name="Pat Partner").id
    other = app.test_client()
    sign_in_portal(other, partner)
    theirs, _ = _shown(other, "/portal/")
    assert "Pat Partner" in theirs and "Olive Owner" in mine and "Olive Owner" not in theirs
    spanish = signed_in.get("/portal/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'lang="es"' in spanish and 'lang="en"' in mine

    cookie = app.config["SESSION_COOKIE_NAME"]
    copied = app.test_client()
    copied.set_cookie(cookie, client.get_cookie(cookie).value)
    now, _ = _shown(signed_in, "/portal/")  # drawn again: adding the partner moved the version
    assert _shown(copied, "/portal/")[0] == now  # the copy works while signed in
    form_on(signed_in.get("/portal/"), "form[action='/portal/logout']").submit(signed_in)
    assert copied.get("/portal/").status_code == 302  # to the sign-in page, not the kept page


def test_a_flash_message_is_shown_once_and_the_page_with_it_is_not_kept(signed_in):
    form = form_on(signed_in.get("/portal/messages"), "form[action='/portal/messages']")
    form["body"] = "Is Tuesday fine?"
    answer = form.submit(signed_in)
    sent = signed_in.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Your message was sent" in sent and "Is Tuesday fine?" in sent
    again = signed_in.get("/portal/messages").get_data(as_text=True)
    assert "Your message was sent" not in again and "Is Tuesday fine?" in again
