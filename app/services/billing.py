"""Keeping quote and invoice totals and invoice balances true to their lines and payments."""

from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.models import Invoice, Payment
from app.models.base import utcnow
from app.models.enums import InvoiceStatus, PaymentStatus
from app.services.company import current_company


def recalculate_totals(document) -> None:
    """Subtotal, tax (at the company's rate) and total of a quote or invoice from its lines."""
    document.recalculate(current_company().tax_rate_percent or 0)


def line_content(line) -> dict:
    """A priced line as a signed record keeps it (a quote approval, a work order sign-off).

    An untaxed line says so (the signed total depends on it); a taxed one adds nothing, so
    what was signed before lines could be untaxed keeps its fingerprint."""
    content = {
        "id": line.id,
        "kind": line.kind.value,
        "description": line.description,
        "quantity": f"{Decimal(line.quantity).normalize():f}",
        "unit_price_cents": line.unit_price_cents,
        "amount_cents": line.amount_cents,
    }
    if not line.taxable:
        content["taxable"] = False
    return content


def refresh_amount_paid(invoice: Invoice, *, excluding: Payment | None = None) -> None:
    """Amount paid from the invoice's succeeded payments less what was refunded of them; an
    open invoice paid in full is paid, and a paid one that is owed money again is open.

    `excluding` leaves out a payment that is about to be deleted.
    """
    db.session.flush()
    paid = select(func.coalesce(func.sum(Payment.amount_cents - Payment.refunded_cents), 0)).where(
        Payment.invoice_id == invoice.id, Payment.status == PaymentStatus.SUCCEEDED
    )
    if excluding is not None:
        paid = paid.where(Payment.id != excluding.id)
    invoice.amount_paid_cents = db.session.scalar(paid)
    if invoice.status == InvoiceStatus.OPEN and invoice.total_cents > 0:
        if invoice.balance_cents <= 0:
            invoice.status = InvoiceStatus.PAID
            invoice.paid_at = utcnow()
    elif invoice.status == InvoiceStatus.PAID and invoice.balance_cents > 0:
        invoice.status = InvoiceStatus.OPEN
        invoice.paid_at = None
