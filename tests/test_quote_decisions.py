"""A customer's decision on a quote: approval with a signature starts exactly one work order,
files the signed PDF and tells the office; declines, expiry, changes and races are refused."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Document, Job, OutboxMessage, Quote, WorkOrder
from app.models.enums import (
    DocumentKind,
    JobStatus,
    LineKind,
    QuoteStatus,
    SignatureMethod,
    WorkOrderStatus,
)
from app.services import quotes
from app.services.company import local_today
from app.services.quote_errors import QuoteChanged, QuoteDecided, QuoteError, QuoteExpired
from app.services.quotes import (
    approve_quote,
    content_hash,
    decline_quote,
    send_quote,
)
from app.storage import read_bytes
from tests import factories as f
from tests.helpers import at_once, committed_or_refused, hold_after, pdf_text, wait_for
from tests.quote_helpers import (  # noqa: F401  (_signed_pdfs_finish: autouse fixture)
    ADDRESS,
    BROWSER,
    _signed_pdfs_finish,
    approval,
    drawn_signature,
    hvac_quote,
    line_id,
)


@pytest.fixture
def quote(app_ctx):
    f.CompanySettingsFactory()
    unit = f.UnitFactory(name="Back-yard heat pump")
    quote = hvac_quote(unit.property, unit=unit)
    f.PortalUserFactory(customer=quote.customer, name="Ana Rivera")
    return quote


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _signed_job() -> Job:
    return db.session.scalar(select(Job).where(Job.kind == "signed_quote"))


def test_approval_starts_one_work_order_with_the_approved_lines(quote):
    customer = quote.customer
    work_order = approve_quote(
        quote,
        approval(quote, "Better: 16 SEER two-stage heat pump", "Smart Wi-Fi thermostat"),
        actor=customer.portal_users[0],
    )
    db.session.commit()

    assert _count(WorkOrder) == 1
    assert quote.work_order is work_order and work_order.number.startswith("WO-")
    assert work_order.status == WorkOrderStatus.NEW
    assert work_order.customer_id == customer.id
    assert work_order.property_id == quote.property_id and work_order.unit_id == quote.unit_id
    assert work_order.summary == "Replace the heat pump"
    assert quote.number in work_order.description and "Ana Rivera" in work_order.description
    assert [(line.description, line.unit_price_cents) for line in work_order.lines] == [
        ("Installation labor", 12900),
        ("Mechanical permit", 8500),
        ("Better: 16 SEER two-stage heat pump", 580000),
        ("Smart Wi-Fi thermostat", 24500),
    ]
    assert work_order.lines[0].kind == LineKind.LABOR

    assert quote.status == QuoteStatus.APPROVED and quote.decided_at is not None
    assert quote.signed_by == "Ana Rivera"
    assert quote.signature_method == SignatureMethod.DRAWN
    assert read_bytes(quote.signature_key).startswith(b"\x89PNG")
    assert (quote.decided_from, quote.decided_user_agent) == (ADDRESS, BROWSER)
    assert quote.chosen_line_ids == [line.id for line in quote.ordered_lines()[:2]] + [
        line_id(quote, "Better: 16 SEER two-stage heat pump"),
        line_id(quote, "Smart Wi-Fi thermostat"),
    ]
    assert quote.approved_subtotal_cents == 716200
    assert (quote.approved_tax_cents, quote.approved_total_cents) == (59087, 775287)
    assert quote.content_sha256 == content_hash(quote)
    assert quote.total_cents == 608040  # the stored totals stay the preselected configuration

    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quote_approved"))
    assert audit.object_id == quote.id and audit.ip_address == ADDRESS
    [mail] = db.session.scalars(select(OutboxMessage)).all()
    assert mail.to_address == "office@polarbear.test"
    assert quote.number in mail.subject and "Ana Rivera" in mail.subject
    assert "$7,752.87" in mail.subject and work_order.number in mail.text_body
    assert f"/admin/quote/details/?id={quote.id}" in mail.text_body


def test_the_signed_pdf_lands_in_the_customers_documents(app, quote):
    approve_quote(quote, approval(quote, "Best: variable-speed heat pump"), actor=quote.customer)
    db.session.commit()
    quote_id, signed_hash = quote.id, quote.content_sha256
    job = wait_for(app, _signed_job().id)
    assert job.status == JobStatus.FINISHED, job.error

    db.session.expire_all()
    quote = db.session.get(Quote, quote_id)
    document = quote.signed_document
    assert document.kind == DocumentKind.QUOTE and document.visible_to_customer
    assert document.customer_id == quote.customer_id
    assert (document.property_id, document.unit_id) == (quote.property_id, quote.unit_id)
    assert document.work_order_id == quote.work_order_id
    assert quote.number in document.title
    data = read_bytes(document.storage_key)
    reader = PdfReader(io.BytesIO(data))
    assert reader.pages[0].images  # the drawn signature
    text = pdf_text(data)
    assert "Ana Rivera" in text and ADDRESS in text and "iPhone OS 17_0" in text
    assert signed_hash in text.replace("\n", "")
    assert "System: Best: variable-speed heat pump" in text
    assert "System: Good: 14 SEER heat pump" in text  # among the options not chosen
    assert "Chosen for “System”" in text
    assert "$7,200.00" in text and "$9,003.15" in text  # the approved line and total


def test_a_typed_name_signs_without_a_drawing(app, quote):
    approve_quote(quote, approval(quote, signature=None), actor=None)
    db.session.commit()
    assert quote.signature_method == SignatureMethod.TYPED and quote.signature_key is None
    job = wait_for(app, _signed_job().id)
    assert job.status == JobStatus.FINISHED, job.error
    document = db.session.scalar(select(Document))
    data = read_bytes(document.storage_key)
    assert not PdfReader(io.BytesIO(data)).pages[0].images
    assert "Typed full name" in pdf_text(data)


def test_an_expired_quote_cannot_be_approved_and_is_marked_expired(quote):
    quote.valid_until = local_today() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(QuoteExpired, match="has expired"):
        approve_quote(quote, approval(quote), actor=None)
    db.session.commit()
    db.session.expire_all()
    assert quote.status == QuoteStatus.EXPIRED and _count(WorkOrder) == 0


def test_a_quote_valid_until_today_can_still_be_approved(quote):
    quote.valid_until = local_today()
    db.session.commit()
    approve_quote(quote, approval(quote), actor=None)
    assert quote.status == QuoteStatus.APPROVED


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (QuoteStatus.APPROVED, "already been approved"),
        (QuoteStatus.DECLINED, "already been declined"),
        (QuoteStatus.EXPIRED, "has expired"),
        (QuoteStatus.DRAFT, "not open for a decision"),
    ],
)
def test_only_a_sent_quote_can_be_decided(quote, status, message):
    quote.status = status
    db.session.commit()
    with pytest.raises(QuoteDecided, match=message):
        approve_quote(quote, approval(quote), actor=None)
    with pytest.raises(QuoteDecided, match=message):
        decline_quote(quote, "Too expensive", actor=None)


def test_a_quote_changed_after_it_was_shown_asks_to_reload(quote):
    shown = approval(quote)
    quote.lines[0].unit_price_cents = 13900
    db.session.commit()
    with pytest.raises(QuoteChanged, match="Please reload it to see the current version."):
        approve_quote(quote, shown, actor=None)
    assert quote.status == QuoteStatus.SENT and _count(WorkOrder) == 0


def test_the_content_hash_is_the_same_for_the_same_quote(app, quote):
    before, quote_id = content_hash(quote), quote.id
    db.session.expire_all()
    assert content_hash(db.session.get(Quote, quote_id)) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda q: setattr(q, "title", "Replace the heat pump and coil"),
        lambda q: setattr(q, "notes", "Prices good for 10 days."),
        lambda q: setattr(q, "valid_until", q.valid_until + timedelta(days=1)),
        lambda q: setattr(q.lines[1], "description", "City mechanical permit"),
        lambda q: setattr(q.lines[0], "quantity", Decimal("9")),
        lambda q: setattr(q.lines[3], "option_group", "Upgrade"),
        lambda q: setattr(q.lines[5], "optional", False),
    ],
)
def test_the_content_hash_changes_with_anything_the_customer_sees(quote, change):
    before = content_hash(quote)
    change(quote)
    assert content_hash(quote) != before


def test_a_new_tax_rate_changes_the_content_hash(quote):
    before = content_hash(quote)
    quotes.current_company().tax_rate_percent = 9
    assert content_hash(quote) != before


def test_approving_twice_makes_one_work_order(quote):
    approve_quote(quote, approval(quote), actor=None)
    db.session.commit()
    with pytest.raises(QuoteDecided, match="already been approved"):
        approve_quote(quote, approval(quote), actor=None)
    db.session.rollback()
    assert _count(WorkOrder) == 1


def test_two_approvals_at_the_same_moment_make_one_work_order(app, quote, monkeypatch):
    """Both pass every check (the barrier holds them after the hash check), then race for
    the status change: one wins, the other is told the quote was already approved."""
    quote_id = quote.id
    shown = approval(quote)
    hold_after(monkeypatch, quotes, "content_hash")
    outcomes = []

    def approve():
        with app.app_context(), committed_or_refused(outcomes, "approved", QuoteDecided):
            approve_quote(db.session.get(Quote, quote_id), shown, actor=None)

    at_once(approve, approve)

    assert sorted(outcomes) == ["This quote has already been approved.", "approved"]
    db.session.expire_all()
    assert _count(WorkOrder) == 1
    assert db.session.get(Quote, quote_id).work_order_id is not None
    wait_for(app, _signed_job().id)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"signer_name": "   "}, "signer_name", "Type your full name"),
        ({"signer_name": "A" * 121}, "signer_name", "too long"),
        ({"consent": False}, "consent", "Tick the box"),
        ({"signature": drawn_signature(ink=False)}, "signature", "signature box is empty"),
        ({"signature": b"GIF89a not a png"}, "signature", "could not read your signature"),
        ({"signature": drawn_signature(size=(5000, 100))}, "signature", "could not read"),
    ],
)
def test_a_signature_needs_a_name_consent_and_a_real_drawing(quote, fields, field, message):
    signature = fields.pop("signature", b"")
    with pytest.raises(QuoteError, match=message) as raised:
        approve_quote(quote, approval(quote, signature=signature, **fields), actor=None)
    assert raised.value.field == field
    db.session.rollback()
    assert quote.status == QuoteStatus.SENT and _count(WorkOrder) == 0


def test_a_decline_keeps_the_reason_and_tells_the_office(quote):
    decline_quote(
        quote, "  Went with a lower bid.  ", actor=None, client_address=ADDRESS, user_agent=BROWSER
    )
    db.session.commit()
    assert quote.status == QuoteStatus.DECLINED and quote.decided_at is not None
    assert quote.decline_reason == "Went with a lower bid."
    assert quote.decided_from == ADDRESS and _count(WorkOrder) == 0
    assert _count(AuditEvent, AuditEvent.action == "quote_declined") == 1
    [mail] = db.session.scalars(select(OutboxMessage)).all()
    assert mail.to_address == "office@polarbear.test" and "declined" in mail.subject
    assert "Went with a lower bid." in mail.text_body


def test_a_decline_needs_a_reason(quote):
    with pytest.raises(QuoteError, match="Tell us why") as raised:
        decline_quote(quote, " \n ", actor=None)
    assert raised.value.field == "reason" and quote.status == QuoteStatus.SENT


def test_a_changed_quote_can_still_be_declined(quote):
    quote.lines[0].unit_price_cents = 99900
    db.session.commit()
    decline_quote(quote, "Too much", actor=None)
    assert quote.status == QuoteStatus.DECLINED


def test_sending_a_draft_emails_the_customers_active_portal_users(quote):
    quote.status, quote.sent_at = QuoteStatus.DRAFT, None
    f.PortalUserFactory(customer=quote.customer, email="gone@example.test", active=False)
    db.session.commit()
    assert send_quote(quote, actor=None) == 1
    db.session.commit()
    assert quote.status == QuoteStatus.SENT and quote.sent_at is not None
    [mail] = db.session.scalars(select(OutboxMessage)).all()
    assert mail.to_address == quote.customer.portal_users[0].email
    assert quote.number in mail.subject and "Polar Bear" in mail.subject
    assert f"/portal/quotes/{quote.id}" in mail.text_body and "$6,080.40" in mail.text_body


def test_a_decided_or_unfinished_quote_is_not_sent(quote):
    quote.status = QuoteStatus.APPROVED
    with pytest.raises(QuoteError, match="has been decided"):
        send_quote(quote, actor=None)
    empty = f.QuoteFactory(customer=quote.customer, property=quote.property)
    with pytest.raises(QuoteError, match="Add at least one line"):
        send_quote(empty, actor=None)


def test_a_real_rq_worker_files_the_signed_pdf(app, rq_worker, quote):
    approve_quote(quote, approval(quote), actor=None)
    db.session.commit()  # pushes the job onto the RQ queue (and the office e-mail)
    quote_id = quote.id

    rq_worker()

    job = wait_for(app, _signed_job().id, timeout=1)
    assert job.status == JobStatus.FINISHED, job.error
    db.session.expire_all()
    document = db.session.get(Quote, quote_id).signed_document
    assert document.kind == DocumentKind.QUOTE and "Ana Rivera" in pdf_text(
        read_bytes(document.storage_key)
    )
