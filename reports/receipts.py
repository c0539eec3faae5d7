"""The receipt for a card payment: a PDF filed in the customer's documents and e-mailed to them."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.formatting import local_date, money
from app.jobs import JobResult, Progress, job_body
from app.mail import queue_mail
from app.mail_content import render_branded
from app.models import CheckoutSession, Payment
from app.models.enums import DocumentKind
from app.services.company import current_company
from app.services.documents import file_pdf
from app.urls import public_url
from reports.billing import invoice_document, payment_record
from reports.billing_pdf import receipt_pdf


@job_body("payment_receipt")
def payment_receipt_job(params: dict, progress: Progress) -> JobResult:
    """Write the receipt, file it, and mail it to whoever paid (else the customer's address)."""
    payment = db.session.get(Payment, params["payment_id"])
    invoice = payment.invoice
    pdf = receipt_pdf(invoice_document(invoice), payment_record(payment))
    progress(50, "Receipt written")
    filename = f"Receipt {invoice.number}.pdf"
    receipt, stored = file_pdf(
        pdf,
        kind=DocumentKind.RECEIPT,
        title=_("Receipt for %(number)s", number=invoice.number),
        filename=filename,
        customer_id=invoice.customer_id,
        property_id=invoice.property_id,
        work_order_id=invoice.work_order_id,
    )
    recipient = _recipient(payment)
    if recipient is not None:
        to, name = recipient
        text, html = render_branded(
            "payment_receipt",
            name=name,
            invoice=invoice,
            amount=money(payment.amount_cents, payment.currency),
            balance=money(invoice.balance_cents, invoice.currency),
            day=local_date(payment.received_at),
            link=public_url("portal.documents"),
            company=current_company(),
        )
        subject = _("Receipt for %(number)s", number=invoice.number)
        queue_mail(to, subject, text, html, attachments=[stored])
    return JobResult(pdf, filename)


def _recipient(payment: Payment) -> tuple[str, str] | None:
    """(address, name) of the portal user who paid, else of the customer; None without one."""
    checkout = db.session.scalar(
        select(CheckoutSession).where(
            CheckoutSession.stripe_session_id == payment.stripe_checkout_session_id
        )
    )
    payer = checkout.portal_user if checkout else None
    if payer is not None and payer.is_active:
        return payer.email, payer.name
    if payment.customer.email:
        return payment.customer.email, payment.customer.name
    return None
