"""Stripe's webhook: each event applied once, an invoice paid once, nothing lost.

Events are signed with Stripe's real scheme (tests/stripe_server.py) and posted to
/stripe/webhook; the payments they report come from sessions started through the real
`stripe` library against the local Stripe-compatible server.
"""

import html
import json
import re
import time

import pytest
from sqlalchemy import func, select

from app.demo.cli import demo_portal_users
from app.extensions import db
from app.models import (
    AuditEvent,
    CheckoutSession,
    Invoice,
    OutboxMessage,
    Payment,
    PortalUser,
    StripeEvent,
)
from app.models.card_payments import CheckoutStatus, StripeEventStatus
from app.models.enums import DocumentKind, InvoiceStatus, JobStatus, PaymentStatus
from app.services.company import current_company
from app.storage import read_bytes
from tests.factories import (
    CompanySettingsFactory,
    InvoiceFactory,
    PaymentFactory,
    PortalUserFactory,
    PropertyFactory,
)
from tests.helpers import at_once, png, stored_logo, wait_for_jobs
from tests.portal_helpers import sign_in_portal
from tests.stripe_server import WEBHOOK_SECRET, sign


@pytest.fixture(autouse=True)
def _receipts_finish(app):
    """Receipts are written by a background job; let it finish before the tables are emptied."""
    yield
    wait_for_jobs(app)


@pytest.fixture
def invoice(app, fake_stripe):
    """An open invoice of $108.25 with a signed-in portal user of its customer."""
    with app.app_context():
        CompanySettingsFactory()
        prop = PropertyFactory()
        user = PortalUserFactory(customer=prop.customer)
        found = InvoiceFactory(customer=prop.customer, property_id=prop.id)
        return {"id": found.id, "number": found.number, "user_id": user.id}


def start_checkout(client, invoice) -> dict:
    """Press "Pay now" as the customer; the session Stripe made."""
    sign_in_portal(client, invoice["user_id"])
    answer = client.post(f"/portal/invoices/{invoice['id']}/pay")
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.headers["Location"]


def post_event(client, event: dict, *, timestamp=None, secret=WEBHOOK_SECRET, header=True):
    payload = json.dumps(event).encode()
    headers = {"Stripe-Signature": sign(payload, secret, timestamp)} if header else {}
    return client.post(
        "/stripe/webhook", data=payload, headers=headers, content_type="application/json"
    )


def paid_session(client, fake_stripe, invoice, **pay) -> dict:
    start_checkout(client, invoice)
    return fake_stripe.pay(fake_stripe.only_session()["id"], **pay)


def state(app, invoice_id: int):
    with app.app_context():
        found = db.session.get(Invoice, invoice_id)
        payments = db.session.scalars(select(Payment).where(Payment.invoice_id == invoice_id))
        return found.status, found.amount_paid_cents, found.balance_cents, list(payments)


def stored_events(app) -> list[StripeEvent]:
    with app.app_context():
        return list(db.session.scalars(select(StripeEvent).order_by(StripeEvent.id)))


def test_the_webhook_pays_the_invoice_and_sends_a_receipt_with_the_pdf(
    app, client, fake_stripe, invoice
):
    event = paid_session(client, fake_stripe, invoice)

    answer = post_event(client, event)

    assert answer.status_code == 200
    assert answer.get_json()["status"] == "applied"
    status, paid, balance, payments = state(app, invoice["id"])
    assert (status, paid, balance) == (InvoiceStatus.PAID, 10825, 0)
    (payment,) = payments
    session = fake_stripe.only_session()
    assert payment.stripe_payment_intent_id == session["payment_intent"]
    assert payment.stripe_checkout_session_id == session["id"]
    assert payment.status == PaymentStatus.SUCCEEDED
    wait_for_jobs(app)
    with app.app_context():
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "card_payment"))
        assert audit.actor_label == "stripe" and invoice["number"] in audit.summary
        receipt = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.subject.contains("Receipt"))
        )
        assert receipt is not None and invoice["number"] in receipt.subject
        (attachment,) = receipt.attachments
        assert attachment.content_type == "application/pdf"
        assert db.session.scalar(
            select(func.count()).where(
                OutboxMessage.id == receipt.id, OutboxMessage.to_address.contains("@")
            )
        )
        kinds = [d.kind for d in invoice_documents(invoice["id"])]
        assert kinds == [DocumentKind.RECEIPT]


def invoice_documents(invoice_id: int):
    from app.models import Document

    found = db.session.get(Invoice, invoice_id)
    return db.session.scalars(select(Document).where(Document.customer_id == found.customer_id))


def test_the_same_event_delivered_twice_pays_once(app, client, fake_stripe, invoice):
    event = paid_session(client, fake_stripe, invoice)

    first, second = post_event(client, event), post_event(client, event)

    assert first.status_code == second.status_code == 200
    status, paid, _, payments = state(app, invoice["id"])
    assert (status, paid, len(payments)) == (InvoiceStatus.PAID, 10825, 1)
    assert len(stored_events(app)) == 1


def test_the_same_event_delivered_twice_at_once_pays_once(app, fake_stripe, invoice):
    event = paid_session(app.test_client(), fake_stripe, invoice)
    answers = []

    def deliver():
        answers.append(post_event(app.test_client(), event).status_code)

    at_once(deliver, deliver)

    assert answers == [200, 200]
    _, paid, _, payments = state(app, invoice["id"])
    assert (paid, len(payments)) == (10825, 1)


def test_two_events_reporting_one_payment_record_it_once(app, client, fake_stripe, invoice):
    completed = paid_session(client, fake_stripe, invoice)
    succeeded = fake_stripe.event(
        "checkout.session.async_payment_succeeded", completed["data"]["object"]
    )

    post_event(client, completed)
    answer = post_event(client, succeeded)

    assert answer.get_json()["status"] == "ignored"
    _, paid, _, payments = state(app, invoice["id"])
    assert (paid, len(payments)) == (10825, 1)


def test_a_refund_that_arrives_before_its_payment_waits_and_then_applies(
    app, client, fake_stripe, invoice
):
    completed = paid_session(client, fake_stripe, invoice)
    refund = fake_stripe.refund(fake_stripe.only_session()["id"], 2500)

    early = post_event(client, refund)
    assert early.status_code == 200 and early.get_json()["status"] == "waiting"
    post_event(client, completed)

    status, paid, balance, (payment,) = state(app, invoice["id"])
    assert (status, paid, balance) == (InvoiceStatus.OPEN, 8325, 2500)
    assert payment.refunded_cents == 2500
    assert [e.status for e in stored_events(app)] == [
        StripeEventStatus.APPLIED,
        StripeEventStatus.APPLIED,
    ]


def test_refunds_follow_stripes_running_total_in_any_order(app, client, fake_stripe, invoice):
    post_event(client, paid_session(client, fake_stripe, invoice))
    session_id = fake_stripe.only_session()["id"]
    first = fake_stripe.refund(session_id, 825)
    second = fake_stripe.refund(session_id, 10000)

    post_event(client, second)
    post_event(client, first)
    post_event(client, second)

    status, paid, balance, (payment,) = state(app, invoice["id"])
    assert (status, paid, balance) == (InvoiceStatus.OPEN, 0, 10825)
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.REFUNDED, 10825)
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).where(AuditEvent.action == "card_refund")) == 1
        )


def test_a_partial_refund_leaves_the_invoice_owing_that_much(app, client, fake_stripe, invoice):
    post_event(client, paid_session(client, fake_stripe, invoice))

    post_event(client, fake_stripe.refund(fake_stripe.only_session()["id"], 1000))

    status, paid, balance, (payment,) = state(app, invoice["id"])
    assert (status, paid, balance) == (InvoiceStatus.OPEN, 9825, 1000)
    assert payment.status == PaymentStatus.SUCCEEDED


def test_an_expiry_reported_after_the_payment_changes_nothing(app, client, fake_stripe, invoice):
    completed = paid_session(client, fake_stripe, invoice)
    expired = fake_stripe.event("checkout.session.expired", completed["data"]["object"])

    post_event(client, completed)
    answer = post_event(client, expired)

    assert answer.get_json()["status"] == "ignored"
    with app.app_context():
        (checkout,) = db.session.scalars(select(CheckoutSession))
        assert checkout.status == CheckoutStatus.COMPLETE
    assert state(app, invoice["id"])[0] == InvoiceStatus.PAID


@pytest.mark.parametrize(
    "signing",
    [
        pytest.param({"signed_ago": 600}, id="replayed-old-event"),
        pytest.param({"signed_ago": -600}, id="signed-in-the-future"),
        pytest.param({"secret": "whsec_forged"}, id="forged-signature"),
        pytest.param({"header": False}, id="unsigned"),
    ],
)
def test_requests_stripe_did_not_sign_just_now_change_nothing(
    app, client, fake_stripe, invoice, signing
):
    event = paid_session(client, fake_stripe, invoice)
    if "signed_ago" in signing:  # read the clock now, not when the tests were collected
        signing = {"timestamp": int(time.time()) - signing["signed_ago"]}

    answer = post_event(client, event, **signing)

    assert answer.status_code == 400
    assert state(app, invoice["id"])[:2] == (InvoiceStatus.OPEN, 0)
    assert stored_events(app) == []


def test_a_timestamp_just_ahead_of_our_clock_is_accepted(app, client, fake_stripe, invoice):
    event = paid_session(client, fake_stripe, invoice)

    answer = post_event(client, event, timestamp=int(time.time()) + 60)

    assert answer.status_code == 200
    assert state(app, invoice["id"])[0] == InvoiceStatus.PAID


@pytest.mark.parametrize(
    ("key", "livemode"),
    [("sk_test_tuffops", True), ("sk_live_tuffops", False)],
    ids=["live-event-test-key", "test-event-live-key"],
)
def test_an_event_from_the_other_stripe_mode_is_kept_for_staff_not_applied(
    app, client, fake_stripe, invoice, monkeypatch, login_as, key, livemode
):
    event = paid_session(client, fake_stripe, invoice)
    event["livemode"] = livemode
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", key)

    answer = post_event(client, event)

    assert answer.status_code == 200
    assert answer.get_json()["status"] == "needs_attention"
    assert state(app, invoice["id"])[:2] == (InvoiceStatus.OPEN, 0)
    (stored,) = stored_events(app)
    assert "not applied" in stored.problem
    login_as("manager")
    listed = client.get("/admin/stripeevent/").get_data(as_text=True)
    assert event["id"] in listed and "not applied" in listed


def test_a_tampered_body_is_refused(app, client, fake_stripe, invoice):
    event = paid_session(client, fake_stripe, invoice)
    payload = json.dumps(event).encode()
    header = sign(payload)
    event["data"]["object"]["amount_total"] = 1

    answer = client.post(
        "/stripe/webhook", data=json.dumps(event), headers={"Stripe-Signature": header}
    )

    assert answer.status_code == 400
    assert stored_events(app) == []


def test_without_a_webhook_secret_nothing_is_accepted(
    app, client, fake_stripe, invoice, monkeypatch
):
    event = paid_session(client, fake_stripe, invoice)
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", None)

    assert post_event(client, event).status_code == 400
    assert stored_events(app) == []


def test_an_event_for_an_unknown_invoice_is_kept_for_staff(app, client, fake_stripe, invoice):
    event = paid_session(client, fake_stripe, invoice)
    event["data"]["object"]["metadata"]["invoice_id"] = "999999"

    answer = post_event(client, event)

    assert answer.status_code == 200
    (stored,) = stored_events(app)
    assert stored.status == StripeEventStatus.NEEDS_ATTENTION
    assert "No invoice matches" in stored.problem
    assert state(app, invoice["id"])[:2] == (InvoiceStatus.OPEN, 0)


def test_an_amount_that_does_not_match_the_checkout_is_kept_for_staff(
    app, client, fake_stripe, invoice
):
    event = paid_session(client, fake_stripe, invoice, amount=500)

    answer = post_event(client, event)

    assert answer.status_code == 200
    (stored,) = stored_events(app)
    assert stored.status == StripeEventStatus.NEEDS_ATTENTION
    assert "$5.00 was paid" in stored.problem and "$108.25" in stored.problem
    assert state(app, invoice["id"])[:2] == (InvoiceStatus.OPEN, 0)


def test_a_checkout_tuffops_never_started_is_kept_for_staff(app, client, fake_stripe, invoice):
    start_checkout(client, invoice)
    session = fake_stripe.create_session(
        {
            "client_reference_id": invoice["number"],
            "metadata": {"invoice_id": str(invoice["id"])},
            "line_items": [
                {"quantity": 1, "price_data": {"currency": "usd", "unit_amount": 10825}}
            ],
        }
    )

    answer = post_event(client, fake_stripe.pay(session["id"]))

    assert answer.get_json()["status"] == "needs_attention"
    assert state(app, invoice["id"])[:2] == (InvoiceStatus.OPEN, 0)


def test_paying_an_invoice_that_was_already_paid_keeps_the_money_and_flags_it(
    app, client, fake_stripe, invoice
):
    event = paid_session(client, fake_stripe, invoice)
    with app.app_context():
        PaymentFactory(invoice=db.session.get(Invoice, invoice["id"]), amount_cents=10825)
        from app.services.billing import refresh_amount_paid

        refresh_amount_paid(db.session.get(Invoice, invoice["id"]))
        db.session.commit()

    answer = post_event(client, event)

    assert answer.get_json()["status"] == "needs_attention"
    status, paid, balance, payments = state(app, invoice["id"])
    assert status == InvoiceStatus.PAID and len(payments) == 2
    (stored,) = stored_events(app)
    assert "$108.25 more than the invoice owed" in stored.problem


def test_an_event_type_tuffops_does_not_use_is_kept_and_answered(app, client, fake_stripe):
    answer = post_event(client, fake_stripe.event("customer.created", {"id": "cus_1"}))

    assert answer.status_code == 200
    (stored,) = stored_events(app)
    assert (stored.status, stored.type) == (StripeEventStatus.IGNORED, "customer.created")


def test_staff_see_events_needing_attention_and_can_settle_them(
    app, client, fake_stripe, invoice, login_as
):
    event = paid_session(client, fake_stripe, invoice, amount=500)
    post_event(client, event)
    unused = {"id": "evt_unused", "type": "customer.created", "data": {"object": {}}}
    post_event(client, unused)
    login_as("dispatcher")

    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Card payments needing attention" in dashboard
    link = re.search(r'href="(/admin/stripeevent/\?[^"]*)"', dashboard).group(1)
    listing = client.get(html.unescape(link)).get_data(as_text=True)
    assert event["id"] in listing and "evt_unused" not in listing

    stored = next(row for row in stored_events(app) if row.stripe_event_id == event["id"])
    answer = client.post(
        "/admin/stripeevent/action/",
        data={"action": "resolve", "rowid": [str(stored.id)]},
    )
    assert answer.status_code == 302
    settled = next(row for row in stored_events(app) if row.id == stored.id)
    assert settled.status == StripeEventStatus.RESOLVED and settled.resolved_by_id


def test_a_receipt_lands_in_the_customers_portal_documents(app, client, fake_stripe, invoice):
    post_event(client, paid_session(client, fake_stripe, invoice))
    wait_for_jobs(app)

    page = client.get("/portal/documents").get_data(as_text=True)

    assert f"Receipt for {invoice['number']}" in page


def test_a_spanish_speaking_payer_gets_the_receipt_in_spanish(app, client, fake_stripe, invoice):
    with app.app_context():
        db.session.get(PortalUser, invoice["user_id"]).language = "es"
        db.session.commit()

    post_event(client, paid_session(client, fake_stripe, invoice))
    wait_for_jobs(app)

    with app.app_context():
        receipt = db.session.scalar(select(OutboxMessage))
        assert receipt.subject == f"Recibo de {invoice['number']}"
        assert "Gracias. Recibimos su pago con tarjeta de 108,25\xa0US$" in receipt.text_body


def test_with_a_logo_and_spanish_a_card_payment_files_and_mails_its_receipt(
    app, client, fake_stripe, invoice, monkeypatch
):
    """The demo's settings: the company has a logo, the customer reads Spanish."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://service.polarbear.test")
    with app.app_context():
        current_company().logo_key = stored_logo(png((90, 30), "#0b5cad"))
        db.session.get(PortalUser, invoice["user_id"]).language = "es"
        db.session.commit()

    post_event(client, paid_session(client, fake_stripe, invoice))
    (job,) = wait_for_jobs(app)

    assert job.status == JobStatus.FINISHED, job.error
    with app.app_context():
        (document,) = invoice_documents(invoice["id"])
        assert document.kind == DocumentKind.RECEIPT and document.visible_to_customer
        assert read_bytes(document.storage_key).startswith(b"%PDF")
        (receipt,) = db.session.scalars(select(OutboxMessage))
        assert receipt.subject == f"Recibo de {invoice['number']}"
        assert '<img src="https://service.polarbear.test/brand/logo"' in receipt.html_body
        (attachment,) = receipt.attachments
        assert read_bytes(attachment.storage_key) == read_bytes(document.storage_key)


def test_in_the_demo_a_card_payment_files_and_mails_the_receipt(
    app, client, fake_stripe, seeded_demo
):
    """The issue's "Done means": the demo company (with its logo), a customer reading Spanish."""
    with app.app_context():
        household = dict(demo_portal_users())["two properties"]
        household.language = "es"
        found = db.session.scalar(
            select(Invoice)
            .where(Invoice.customer_id == household.customer_id)
            .where(Invoice.status == InvoiceStatus.OPEN)
            .order_by(Invoice.id)
        )
        invoice = {"id": found.id, "number": found.number, "user_id": household.id}
        assert current_company().logo_key
        db.session.commit()

    assert post_event(client, paid_session(client, fake_stripe, invoice)).status_code == 200
    (job,) = [job for job in wait_for_jobs(app) if job.kind == "payment_receipt"]

    assert job.status == JobStatus.FINISHED, job.error
    documents = client.get("/portal/documents").get_data(as_text=True)
    assert f"Recibo de {invoice['number']}" in documents
    with app.app_context():
        (receipt,) = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.subject == f"Recibo de {invoice['number']}")
        )
        assert receipt.to_address == household_address(invoice["user_id"])
        assert '<img src="' in receipt.html_body and "/brand/logo" in receipt.html_body
        (attachment,) = receipt.attachments
        assert read_bytes(attachment.storage_key).startswith(b"%PDF")


def household_address(user_id: int) -> str:
    return db.session.get(PortalUser, user_id).email
