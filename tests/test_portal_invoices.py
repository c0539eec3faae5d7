"""Invoices in the portal: issued ones at once (never drafts), their PDF, and "Pay now".

"Pay now" goes through the real `stripe` library to the tests' local Stripe-compatible server.
"""

import io
import threading
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import CheckoutSession, Invoice
from app.models.card_payments import CheckoutStatus
from app.models.enums import InvoiceStatus, PaymentMethod
from tests.factories import (
    CompanySettingsFactory,
    CustomerFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    PaymentFactory,
    PortalUserFactory,
    PropertyFactory,
)
from tests.helpers import PATIENCE, at_once
from tests.portal_helpers import sign_in_portal


@pytest.fixture
def household(app):
    """A customer with a portal user, an open invoice with two lines, a paid one and a draft."""
    with app.app_context():
        CompanySettingsFactory()
        prop = PropertyFactory(name="Lake House")
        customer = prop.customer
        user = PortalUserFactory(customer=customer)
        open_invoice = InvoiceFactory(
            customer=customer,
            property_id=prop.id,
            issued_on=date(2026, 11, 1),
            due_on=date(2026, 11, 16),
            subtotal_cents=25000,
            tax_cents=2063,
            total_cents=27063,
        )
        InvoiceLineFactory(invoice=open_invoice, description="Capacitor replacement")
        InvoiceLineFactory(
            invoice=open_invoice, description="Blower motor", quantity=1, unit_price_cents=15000
        )
        paid = InvoiceFactory(customer=customer, status=InvoiceStatus.PAID, amount_paid_cents=10825)
        draft = InvoiceFactory(customer=customer, status=InvoiceStatus.DRAFT)
        return {
            "user": user.id,
            "open": open_invoice.id,
            "open_number": open_invoice.number,
            "paid": paid.id,
            "paid_number": paid.number,
            "draft": draft.id,
            "draft_number": draft.number,
        }


@pytest.fixture
def signed_in(client, household):
    sign_in_portal(client, household["user"])
    return client


def test_issued_invoices_are_listed_and_drafts_never_show(signed_in, household):
    page = signed_in.get("/portal/invoices").get_data(as_text=True)

    assert household["open_number"] in page and household["paid_number"] in page
    assert household["draft_number"] not in page
    assert "$270.63" in page  # the amount due at the top
    assert signed_in.get(f"/portal/invoices/{household['draft']}").status_code == 404
    assert signed_in.get(f"/portal/invoices/{household['draft']}/pdf").status_code == 404


def test_the_list_filters_by_status(signed_in, household):
    page = signed_in.get("/portal/invoices?status=paid").get_data(as_text=True)

    assert household["paid_number"] in page and household["open_number"] not in page


def test_an_invoice_shows_its_lines_totals_payments_and_balance(app, signed_in, household):
    with app.app_context():
        PaymentFactory(
            invoice=db.session.get(Invoice, household["open"]),
            amount_cents=7063,
            method=PaymentMethod.CHECK,
        )
        from app.services.billing import refresh_amount_paid

        refresh_amount_paid(db.session.get(Invoice, household["open"]))
        db.session.commit()

    page = signed_in.get(f"/portal/invoices/{household['open']}").get_data(as_text=True)

    for text in (
        "Capacitor replacement",
        "Blower motor",
        "$250.00",  # subtotal
        "$20.63",  # tax
        "$270.63",  # total
        "$70.63",  # paid by check
        "$200.00",  # balance due
        "Check",
        "Lake House",
        "Mon, Nov 16",  # due (its year shows once it is far from today)
    ):
        assert text in page, text


def test_the_invoice_pdf_has_the_lines_and_totals(signed_in, household):
    answer = signed_in.get(f"/portal/invoices/{household['open']}/pdf")

    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)
    for expected in (household["open_number"], "Capacitor replacement", "$270.63"):
        assert expected in text


def test_without_stripe_keys_the_portal_says_card_payment_is_not_set_up(signed_in, household):
    page = signed_in.get(f"/portal/invoices/{household['open']}").get_data(as_text=True)

    assert "Online card payment is not set up yet." in page
    assert "Pay now" not in page
    refused = signed_in.post(f"/portal/invoices/{household['open']}/pay", follow_redirects=True)
    assert "Online card payment is not set up." in refused.get_data(as_text=True)


def test_pay_now_starts_a_checkout_session_for_the_balance(app, signed_in, household, fake_stripe):
    page = signed_in.get(f"/portal/invoices/{household['open']}").get_data(as_text=True)
    assert "Pay now" in page

    answer = signed_in.post(f"/portal/invoices/{household['open']}/pay")

    assert answer.status_code == 303
    session = fake_stripe.only_session()
    assert answer.headers["Location"] == session["url"]
    ((key, params),) = fake_stripe.creates()
    assert params["client_reference_id"] == household["open_number"]
    assert params["metadata"]["invoice_id"] == str(household["open"])
    assert params["line_items"][0]["price_data"]["unit_amount"] == "27063"
    assert params["success_url"].endswith(
        f"/portal/invoices/{household['open']}/paid?session_id={{CHECKOUT_SESSION_ID}}"
    )
    with app.app_context():
        version = db.session.get(Invoice, household["open"]).version
        assert key == f"tuffops-invoice-{household['open']}-v{version}-1"
        (checkout,) = db.session.scalars(select(CheckoutSession))
        assert (checkout.amount_cents, checkout.status) == (27063, CheckoutStatus.OPEN)
        # Nothing is paid until Stripe's webhook says so.
        assert db.session.get(Invoice, household["open"]).amount_paid_cents == 0


def test_pressing_pay_now_again_reuses_the_open_session(signed_in, household, fake_stripe):
    first = signed_in.post(f"/portal/invoices/{household['open']}/pay")
    second = signed_in.post(f"/portal/invoices/{household['open']}/pay")

    assert first.headers["Location"] == second.headers["Location"]
    assert len(fake_stripe.sessions) == 1 and len(fake_stripe.creates()) == 1


def test_two_tabs_paying_at_once_get_one_session(app, household, fake_stripe):
    locations = []

    def press_pay_now():
        client = app.test_client()
        sign_in_portal(client, household["user"])
        locations.append(client.post(f"/portal/invoices/{household['open']}/pay").headers)

    at_once(press_pay_now, press_pay_now)

    assert len({headers["Location"] for headers in locations}) == 1
    assert len(fake_stripe.sessions) == 1
    with app.app_context():
        assert len(db.session.scalars(select(CheckoutSession)).all()) == 1


def test_a_second_tab_waits_for_the_first_and_reuses_its_session(app, household, fake_stripe):
    """While the first tab waits on Stripe, the second must not reach Stripe with a request of
    its own (on SQLite it once did, and the customer got two sessions for one invoice)."""
    locations = []

    def press_pay_now():
        client = app.test_client()
        sign_in_portal(client, household["user"])
        locations.append(client.post(f"/portal/invoices/{household['open']}/pay").headers)

    fake_stripe.answering.clear()
    first = threading.Thread(target=press_pay_now)
    first.start()
    assert fake_stripe.create_arrived.acquire(timeout=PATIENCE)
    second = threading.Thread(target=press_pay_now)
    second.start()
    second_reached_stripe = fake_stripe.create_arrived.acquire(timeout=1)
    fake_stripe.answering.set()
    for tab in (first, second):
        tab.join(timeout=PATIENCE)

    assert not second_reached_stripe
    assert len(locations) == 2 and len({headers["Location"] for headers in locations}) == 1
    assert len(fake_stripe.creates()) == 1


def test_a_changed_invoice_closes_the_old_session_and_starts_a_new_one(
    app, signed_in, household, fake_stripe
):
    signed_in.post(f"/portal/invoices/{household['open']}/pay")
    with app.app_context():
        invoice = db.session.get(Invoice, household["open"])
        invoice.total_cents = 30000
        db.session.commit()

    answer = signed_in.post(f"/portal/invoices/{household['open']}/pay")

    old, new = fake_stripe.sessions.values()
    assert old["status"] == "expired" and new["status"] == "open"
    assert answer.headers["Location"] == new["url"]
    assert new["amount_total"] == 30000
    first_key, second_key = (key for key, _ in fake_stripe.creates())
    assert first_key != second_key


def test_when_stripe_is_down_the_customer_is_told_and_nothing_is_kept(
    app, signed_in, household, fake_stripe
):
    fake_stripe.fail_next = 10  # more than the client's retries

    answer = signed_in.post(f"/portal/invoices/{household['open']}/pay", follow_redirects=True)

    assert "We could not reach our card processor. Nothing was charged" in answer.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalars(select(CheckoutSession)).all() == []


def test_a_paid_invoice_offers_no_payment(signed_in, household, fake_stripe):
    page = signed_in.get(f"/portal/invoices/{household['paid']}").get_data(as_text=True)

    assert "Pay now" not in page
    answer = signed_in.post(f"/portal/invoices/{household['paid']}/pay", follow_redirects=True)
    assert "This invoice has nothing left to pay." in answer.get_data(as_text=True)
    assert fake_stripe.sessions == {}


def test_the_return_page_says_the_payment_is_being_confirmed(signed_in, household):
    page = signed_in.get(f"/portal/invoices/{household['open']}/paid?session_id=cs_x")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "your payment is being confirmed" in text
    assert 'http-equiv="refresh"' in text


def test_another_customers_invoice_is_a_404(app, signed_in):
    with app.app_context():
        other = InvoiceFactory(customer=CustomerFactory()).id

    for path in (f"/portal/invoices/{other}", f"/portal/invoices/{other}/pdf"):
        assert signed_in.get(path).status_code == 404
    assert signed_in.post(f"/portal/invoices/{other}/pay").status_code == 404


def test_an_offline_partial_payment_in_admin_leaves_a_balance(app, client, household, login_as):
    login_as("dispatcher")

    answer = client.post(
        "/admin/payment/new/",
        data={
            "invoice": str(household["open"]),
            "amount_cents": "100.00",
            "method": "check",
            "status": "succeeded",
            "reference": "Check #1234",
        },
    )

    assert answer.status_code == 302
    with app.app_context():
        invoice = db.session.get(Invoice, household["open"])
        assert (invoice.status, invoice.amount_paid_cents, invoice.balance_cents) == (
            InvoiceStatus.OPEN,
            10000,
            17063,
        )
