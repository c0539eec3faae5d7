"""Quote, invoice and receipt PDFs: what a reader finds in them (extracted text, images)."""

import io
from datetime import UTC, datetime

from PIL import Image, ImageDraw
from pypdf import PdfReader

from app.models.enums import InvoiceStatus, LineKind, PaymentMethod, PaymentStatus
from app.services.company import to_local
from app.storage import save_bytes
from reports import billing
from reports.billing_pdf import Signature, invoice_pdf, quote_pdf, receipt_pdf
from tests import factories as f
from tests.helpers import coil_and_labour_invoice, pdf_text

HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _png(size=(600, 200), ink=True) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line([(40, 150), (200, 40), (380, 160), (560, 60)], "navy", 6)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _company(**fields):
    return f.CompanySettingsFactory(**fields)


def _invoice():
    prop = f.PropertyFactory(name="Lake House", address_line1="12 Shore Rd", city="Lakeview")
    return coil_and_labour_invoice(
        "Evaporator coil",
        customer=prop.customer,
        property=prop,
        status=InvoiceStatus.OPEN,
        amount_paid_cents=50000,
    )


def test_an_invoice_shows_company_customer_lines_totals_and_balance(app_ctx):
    _company()
    invoice = _invoice()
    text = pdf_text(invoice_pdf(billing.invoice_document(invoice)))
    assert "Polar Bear Heating & Air" in text and "(555) 010-4242" in text
    assert "office@polarbear.test" in text and "100 Industrial Way" in text
    assert "Invoice" in text and invoice.number in text
    assert invoice.customer.name in text and "1 Billing St" in text
    assert "Lake House" in text and "12 Shore Rd" in text
    assert "Evaporator coil" in text and "Part" in text and "$1,180.00" in text
    assert "0.5" in text and "$82.50" in text
    assert "Subtotal" in text and "$1,262.50" in text
    assert "Tax (8.25%)" in text and "$104.16" in text and "$1,366.66" in text
    assert "Open" in text and "Paid" in text and "$500.00" in text
    assert "Balance due" in text and "$866.66" in text


def test_the_company_logo_is_drawn_and_a_broken_one_is_left_out(app_ctx):
    logo = save_bytes(
        _png((300, 100)), folder="branding", suffix=".png", filename="l.png", content_type="x"
    )
    _company(logo_key=logo.key)
    invoice = _invoice()
    with_logo = PdfReader(io.BytesIO(invoice_pdf(billing.invoice_document(invoice))))
    assert len(with_logo.pages[0].images) == 1

    broken = save_bytes(
        b"not a picture", folder="branding", suffix=".png", filename="b.png", content_type="x"
    )
    billing.current_company().logo_key = broken.key
    without = PdfReader(io.BytesIO(invoice_pdf(billing.invoice_document(invoice))))
    assert not without.pages[0].images
    assert invoice.number in without.pages[0].extract_text()


def test_a_receipt_shows_the_payment_and_what_remains(app_ctx):
    _company()
    invoice = _invoice()
    first = f.PaymentFactory(
        invoice=invoice,
        amount_cents=50000,
        method=PaymentMethod.CARD,
        reference="Visa ending 4242",
        stripe_payment_intent_id="pi_3Test",
        stripe_charge_id="ch_3Test",
        status=PaymentStatus.SUCCEEDED,
        received_at=datetime(2026, 3, 14, 15, 30, tzinfo=UTC),
    )
    f.PaymentFactory(
        invoice=invoice,
        amount_cents=20000,
        method=PaymentMethod.CHECK,
        received_at=datetime(2026, 4, 1, 15, 30, tzinfo=UTC),
    )
    text = pdf_text(receipt_pdf(billing.invoice_document(invoice), billing.payment_record(first)))
    assert "Receipt" in text and invoice.number in text
    assert "Amount paid" in text and "$500.00" in text
    assert "Card" in text and "Visa ending 4242" in text and "ch_3Test" in text
    assert "Mar 14, 2026, 10:30" in text  # the company's time zone
    # The later check does not change what was left after this payment.
    assert "Remaining balance" in text and "$866.66" in text


def _quote():
    prop = f.PropertyFactory(name="Town Home")
    quote = f.QuoteFactory(
        customer=prop.customer,
        property=prop,
        title="Replace the heat pump",
        notes="Prices good for 30 days.",
        subtotal_cents=1000000,
        tax_cents=82500,
        total_cents=1082500,
    )
    f.QuoteLineFactory(
        quote=quote,
        description="Heat pump, 3 ton",
        kind=LineKind.EQUIPMENT,
        unit_price_cents=1000000,
    )
    return quote


def _signature(image: bytes | None) -> Signature:
    return Signature(
        signer="Ana Rivera",
        method="Drawn on screen" if image else "Typed name",
        image=image,
        signed_at=to_local(datetime(2026, 3, 14, 15, 30, 5, tzinfo=UTC)),
        client_address="203.0.113.7",
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
        chosen=("Good: 14 SEER heat pump", "Smart thermostat"),
        not_chosen=("Best: variable-speed heat pump",),
        consent="I approve this quote and the work it describes.",
        content_sha256=HASH,
    )


def test_a_quote_shows_its_lines_validity_and_notes(app_ctx):
    _company()
    quote = _quote()
    quote.valid_until = datetime(2026, 4, 13).date()
    text = pdf_text(quote_pdf(billing.quote_document(quote)))
    assert "Quote" in text and quote.number in text and "Replace the heat pump" in text
    assert "Valid until" in text and "Apr 13, 2026" in text
    assert "Heat pump, 3 ton" in text and "$10,000.00" in text and "$10,825.00" in text
    assert "Prices good for 30 days." in text
    assert "Signature record" not in text


def test_a_signed_quote_has_the_drawn_signature_and_an_audit_page(app_ctx):
    _company()
    data = quote_pdf(billing.quote_document(_quote()), _signature(_png()))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert len(reader.pages[0].images) == 1  # the drawn signature under the totals
    first, audit = (page.extract_text() for page in reader.pages)
    assert "Signed by: Ana Rivera" in first and "Mar 14, 2026, 10:30" in first
    assert "Signature record" in audit and "Ana Rivera" in audit
    assert "Drawn on screen" in audit
    assert "2026-03-14 10:30:05 CDT" in audit and "2026-03-14 15:30:05 UTC" in audit
    assert "203.0.113.7" in audit and "iPhone OS 17_0" in audit
    assert "Good: 14 SEER heat pump" in audit and "Smart thermostat" in audit
    assert "Best: variable-speed heat pump" in audit
    assert "I approve this quote and the work it describes." in audit
    assert HASH in audit.replace("\n", "")


def test_a_typed_name_signature_needs_no_drawing(app_ctx):
    _company()
    data = quote_pdf(billing.quote_document(_quote()), _signature(None))
    reader = PdfReader(io.BytesIO(data))
    assert not reader.pages[0].images
    text = pdf_text(data)
    assert "Typed name" in text and text.count("Ana Rivera") >= 3
