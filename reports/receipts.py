"""The receipt for a card payment: a PDF filed in the customer's documents and e-mailed to them."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.formatting import local_date, money
from app.i18n import language_of
from app.jobs import JobResult, Progress, job_body
from app.mail import queue_mail
from app.mail_content import render_branded
from app.models import CheckoutSession, Payment, PortalUser
from app.models.enums import DocumentKind
from app.services.company import current_company
from app.services.documents import file_pdf
from app.services.portal_access import mail_portal_user
from app.urls import public_url
from reports.billing import invoice_document, payment_record
from reports.billing_pdf import receipt_pdf


@job_body(
    "payment_receipt",
    label=_l("Payment receipt"),
    for_customer=_l("A card payment's receipt (PDF and e-mail)"),
)
def payment_receipt_job(params: dict, progress: Progress) -> JobResult:
    """Write the receipt in the payer's language, file it, and mail it to whoever paid (the
    portal user who started the checkout, else the customer's own address)."""
    payment = db.session.get(Payment, params["payment_id"])
    invoice = payment.invoice
    payer = _payer(payment)
    language = language_of(payer) if payer else current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
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
        subject = _l("Receipt for %(number)s", number=invoice.number)
        context = {
            "invoice": invoice,
            "amount": money(payment.amount_cents, payment.currency),
            "balance": money(invoice.balance_cents, invoice.currency),
            "day": local_date(payment.received_at),
            "link": public_url("portal.documents"),
            "company": current_company(),
        }
        if payer is not None:
            mail_portal_user(
                payer, subject, "payment_receipt", name=payer.name, attachments=[stored], **context
            )
        elif payment.customer.email:
            text, html = render_branded("payment_receipt", name=payment.customer.name, **context)
            queue_mail(payment.customer.email, str(subject), text, html, attachments=[stored])
    return JobResult(pdf, filename)


def _payer(payment: Payment) -> PortalUser | None:
    """The active portal user who started the checkout this payment came from, if any."""
    checkout = db.session.scalar(
        select(CheckoutSession).where(
            CheckoutSession.stripe_session_id == payment.stripe_checkout_session_id
        )
    )
    payer = checkout.portal_user if checkout else None
    return payer if payer is not None and payer.is_active else None
