"""Paying an invoice by card in real Chromium: "Pay now", the (local) Stripe checkout page,
back to the portal, and the invoice paid once Stripe's signed webhook arrives."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Invoice, OutboxMessage
from app.models.enums import InvoiceStatus
from app.storage import read_bytes
from tests import factories as f
from tests.helpers import wait_for_jobs
from tests.portal_helpers import sign_in_portal


def test_a_customer_pays_an_invoice_by_card_and_gets_a_receipt(
    app, live_server, page, csp_problems, fake_stripe, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server)
    fake_stripe.webhook_url = f"{live_server}/stripe/webhook"
    with app.app_context():
        f.CompanySettingsFactory()
        prop = f.PropertyFactory()
        user = f.PortalUserFactory(customer=prop.customer, email="ana@example.com")
        invoice = f.InvoiceFactory(customer=prop.customer, property_id=prop.id)
        f.InvoiceLineFactory(invoice=invoice, description="Furnace tune-up")
        invoice_id, number, user_id, email = invoice.id, invoice.number, user.id, user.email
    client = app.test_client()
    sign_in_portal(client, user_id)
    cookie = client.get_cookie("session")
    page.context.add_cookies([{"name": "session", "value": cookie.value, "url": live_server}])
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server}/portal/invoices/{invoice_id}")
    page.get_by_role("button", name="Pay now").click()
    page.wait_for_url(f"{fake_stripe.base_url}/pay/**")
    assert "Pay 108.25 USD" in page.content()
    page.get_by_role("button", name="Pay").click()
    page.wait_for_url(f"{live_server}/portal/invoices/{invoice_id}/paid?session_id=*")

    assert f"invoice {number} is paid" in page.content()
    assert csp_problems == [], csp_problems  # "Pay now" posts, then goes on to Checkout
    wait_for_jobs(app)
    with app.app_context():
        assert db.session.get(Invoice, invoice_id).status == InvoiceStatus.PAID
        receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == email))
        (attachment,) = receipt.attachments
        text = PdfReader(io.BytesIO(read_bytes(attachment.storage_key))).pages[0].extract_text()
        assert number in text and "$108.25" in text
