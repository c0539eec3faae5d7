"""Quotes, invoices and payments as the plain data reports.billing_pdf draws.

Everything a PDF prints is decided here, in the current language: the words, the dates in
the company's time zone, money in the document's currency. Call inside an app context.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.formatting import local_date, rate
from app.labels import label
from app.models import Customer, Invoice, Payment, Property, Quote, Unit
from app.models.enums import PaymentStatus, SignatureMethod
from app.pdf_kit import Letterhead
from app.services.company import current_company, to_local
from app.services.quotes import CONSENT_TEXT, approved_selection
from app.storage import read_bytes
from reports import billing_pdf as pdf


def words() -> pdf.Words:
    """The PDFs' labels in the current language."""
    return pdf.Words(
        customer=_("Customer"),
        service_address=_("Service address"),
        description=_("Description"),
        kind=_("Kind"),
        quantity=_("Qty"),
        unit_price=_("Unit price"),
        amount=_("Amount"),
        subtotal=_("Subtotal"),
        total=_("Total"),
        notes=_("Notes"),
        page=_("Page"),
        status=_("Status"),
        paid=_("Paid"),
        balance_due=_("Balance due"),
        receipt=_("Receipt"),
        payment=_("Payment"),
        amount_paid=_("Amount paid"),
        method=_("Payment method"),
        reference=_("Reference"),
        stripe_reference=_("Card payment reference"),
        payment_date=_("Paid on"),
        remaining_balance=_("Remaining balance"),
        signature=_("Signature"),
        signed_by=_("Signed by"),
        signed_at_local=_("Signed at"),
        signed_at_utc=_("Signed at (UTC)"),
        client_address=_("Signed from (network address)"),
        user_agent=_("Browser"),
        signature_method=_("Signature method"),
        chosen_options=_("Options chosen"),
        options_not_chosen=_("Options not chosen"),
        none=_("None"),
        agreed_to=_("Agreed to"),
        content_hash=_("SHA-256 of the quote as shown"),
        hash_note=_(
            "The SHA-256 fingerprint is computed over the quote exactly as it was shown to the "
            "signer (company, number, title, notes, validity, currency, tax rate, every line "
            "and the totals). Any later change to the quote gives a different fingerprint."
        ),
        audit_heading=_("Signature record"),
    )


def company_header() -> Letterhead:
    """The company's name, contact details and logo (left out if its file is missing)."""
    company = current_company()
    logo = None
    if company.logo_key:
        try:
            logo = read_bytes(company.logo_key)
        except (OSError, ValueError):
            logo = None
    return Letterhead(
        company.name,
        company.phone,
        company.email,
        company.address,
        logo,
        brand_color=company.brand_color,
    )


def line(record, note: str = "") -> pdf.Line:
    """A quote, invoice or work order line."""
    return pdf.Line(
        description=record.description,
        kind=label(record.kind),
        quantity=record.quantity,
        unit_price_cents=record.unit_price_cents,
        amount_cents=record.amount_cents,
        note=line_note(note, record.taxable),
    )


def line_note(note: str, taxable: bool) -> str:
    """The words under a line: how it came to be there, and that it carries no sales tax."""
    return " · ".join(part for part in (note, "" if taxable else _("No sales tax")) if part)


def tax_label() -> str:
    return _("Tax (%(rate)s%%)", rate=rate(current_company().tax_rate_percent))


def customer_lines(customer: Customer) -> tuple[str, ...]:
    """The customer's name, then their billing address lines."""
    return (customer.name, *customer.billing_address.splitlines())


def place_lines(prop: Property | None, unit: Unit | None) -> tuple[str, ...]:
    """The service address lines (the property's name and address, then the unit)."""
    prop = prop or (unit.property if unit else None)
    if prop is None:
        return ()
    unit_line = _("Unit: %(unit)s", unit=unit.name) if unit else ""
    return (prop.name, prop.address, unit_line)


def _offered(item) -> str:
    """How a quote line is offered, for the reader."""
    if item.option_group:
        return _("Choose one: %(group)s", group=item.option_group)
    return _("Optional add-on") if item.optional else ""


def _option(item) -> str:
    """A chosen (or passed-over) option, named with its group."""
    if item.option_group:
        return f"{item.option_group}: {item.description}"
    return _("Add-on: %(item)s", item=item.description)


def _chosen(item) -> str:
    """How a line of an approved quote came to be in it, for the reader."""
    if item.option_group:
        return _("Chosen for “%(group)s”", group=item.option_group)
    return _("Add-on chosen") if item.optional else ""


def quote_document(quote: Quote, lines=None, totals=None) -> pdf.PricedDocument:
    """A quote's body: every line (saying how it is offered) with the stored totals, or the
    `lines` and `totals` given (anything with subtotal_cents, tax_cents and total_cents)."""
    totals = totals or quote
    if lines is None:
        lines = tuple(line(item, _offered(item)) for item in quote.ordered_lines())
    sent = to_local(quote.sent_at or quote.created_at)
    facts = [(_("Date"), local_date(sent.date() if sent else None))]
    if quote.valid_until:
        facts.append((_("Valid until"), local_date(quote.valid_until)))
    place = place_lines(quote.property, quote.unit)
    return _priced(quote, totals, _("Quote"), facts, place, lines, title=quote.title)


def _priced(record, totals, heading: str, facts, place, lines, title: str = ""):
    """The common body of a quote or an invoice (`record`), with `totals`' amounts."""
    return pdf.PricedDocument(
        company=company_header(),
        heading=heading,
        number=record.number,
        title=title,
        facts=tuple(facts),
        customer=customer_lines(record.customer),
        place=place,
        lines=tuple(lines),
        currency=record.currency,
        subtotal_cents=totals.subtotal_cents,
        tax_cents=totals.tax_cents,
        total_cents=totals.total_cents,
        tax_label=tax_label(),
        notes=record.notes,
        words=words(),
    )


SIGNATURE_METHODS = {
    SignatureMethod.DRAWN: _l("Drawn on the screen, with the typed full name"),
    SignatureMethod.TYPED: _l("Typed full name"),
}


def signed_quote(quote: Quote) -> tuple[pdf.PricedDocument, pdf.Signature]:
    """An approved quote as signed: the approved lines and totals, and the signature record."""
    chosen = approved_selection(quote)
    body = quote_document(
        quote,
        lines=tuple(line(item, _chosen(item)) for item in chosen.lines),
        totals=chosen.totals,
    )
    options = [item for item in quote.ordered_lines() if not item.is_required]
    chosen_ids = set(chosen.line_ids)
    image = None
    if quote.signature_key:
        image = read_bytes(quote.signature_key)
    signature = pdf.Signature(
        signer=quote.signed_by,
        method=str(SIGNATURE_METHODS[quote.signature_method]),
        image=image,
        signed_at=to_local(quote.decided_at),
        client_address=quote.decided_from,
        user_agent=quote.decided_user_agent,
        chosen=tuple(_option(item) for item in options if item.id in chosen_ids),
        not_chosen=tuple(_option(item) for item in options if item.id not in chosen_ids),
        consent=str(CONSENT_TEXT),
        content_sha256=quote.content_sha256 or "",
    )
    return body, signature


def invoice_document(invoice: Invoice) -> pdf.InvoiceDocument:
    """An invoice with its lines, totals, status, amount paid and balance due."""
    facts = [(_("Issued"), local_date(invoice.issued_on))]
    if invoice.due_on:
        facts.append((_("Due"), local_date(invoice.due_on)))
    place = place_lines(invoice.property, invoice.work_order.unit if invoice.work_order else None)
    lines = [line(item) for item in invoice.lines]
    body = _priced(invoice, invoice, _("Invoice"), facts, place, lines)
    return pdf.InvoiceDocument(
        document=body,
        status=label(invoice.status),
        paid_cents=invoice.amount_paid_cents,
        balance_cents=invoice.balance_cents,
    )


def payment_record(payment: Payment) -> pdf.PaymentRecord:
    """One payment for its receipt; the remaining balance counts the invoice's succeeded
    payments up to and including this one (a receipt made again later still reads the same)."""
    received = payment.received_at or payment.created_at
    earlier = db.session.scalars(
        select(Payment).where(
            Payment.invoice_id == payment.invoice_id, Payment.status == PaymentStatus.SUCCEEDED
        )
    ).all()
    paid = sum(
        other.amount_cents
        for other in earlier
        if ((other.received_at or other.created_at), other.id) <= (received, payment.id)
    )
    return pdf.PaymentRecord(
        amount_cents=payment.amount_cents,
        method=label(payment.method),
        reference=payment.reference,
        stripe_reference=payment.stripe_charge_id or payment.stripe_payment_intent_id or "",
        received_at=to_local(received),
        balance_after_cents=payment.invoice.total_cents - paid,
    )
