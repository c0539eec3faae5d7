"""Invoices in the portal: the list, one invoice with its PDF, and paying it by card."""

from flask import flash, redirect, render_template, request, url_for

from app.extensions import db
from app.ids import MAX_ID
from app.models import Invoice
from app.queries.filters import property_filter
from app.queries.invoices import SHOWN_FILTERS, amount_due, invoice_list, invoice_payments
from app.services import stripe_gateway
from app.services.card_payments import PaymentError, start_card_payment
from app.services.company import company_currency, local_today
from app.storage import send_private_file
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope
from portal.kept_pages import kept_while_unchanged
from reports.billing import invoice_document
from reports.billing_pdf import invoice_pdf


@bp.get("/invoices")
@portal_login_required
@kept_while_unchanged
def invoices():
    """Every issued invoice, open ones first, with what is still owed in all."""
    customer = scope()
    choice = property_filter(customer, request.args)
    shown = request.args.get("status", "")
    due_cents, due_count = amount_due(customer, choice.chosen)
    return render_template(
        "portal/invoices.html",
        page=invoice_list(customer, choice.chosen, shown, request.args.get("page")),
        **choice._asdict(),
        shown=shown if shown in SHOWN_FILTERS else "",
        due_cents=due_cents,
        due_count=due_count,
        currency=company_currency(),
        today=local_today(),
    )


@bp.get(f"/invoices/<int(max={MAX_ID}):invoice_id>")
@portal_login_required
@kept_while_unchanged
def invoice(invoice_id: int):
    """One invoice: its lines and totals, what was paid, and the card payment button."""
    customer = scope()
    found = customer.get_or_404(Invoice, invoice_id)
    return render_template(
        "portal/invoice.html",
        invoice=found,
        payments=invoice_payments(customer, found),
        can_pay_online=stripe_gateway.configured(),
        today=local_today(),
    )


@bp.get(f"/invoices/<int(max={MAX_ID}):invoice_id>/pdf")
@portal_login_required
def invoice_pdf_download(invoice_id: int):
    """The invoice as a PDF, made from the invoice as it is now."""
    found = scope().get_or_404(Invoice, invoice_id)
    return send_private_file(
        invoice_pdf(invoice_document(found)),
        mimetype="application/pdf",
        download_name=f"{found.number}.pdf",
    )


@bp.post(f"/invoices/<int(max={MAX_ID}):invoice_id>/pay")
@portal_login_required
def pay_invoice(invoice_id: int):
    """Send the customer to Stripe's checkout page for the balance due."""
    found = scope().get_or_404(Invoice, invoice_id)
    try:
        checkout = start_card_payment(found, portal_user=current_portal_user())
    except PaymentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("portal.invoice", invoice_id=invoice_id))
    db.session.commit()
    return redirect(checkout.url, code=303)


@bp.get(f"/invoices/<int(max={MAX_ID}):invoice_id>/paid")
@portal_login_required
def invoice_paid(invoice_id: int):
    """Where Stripe sends the customer back: the payment is confirmed by the webhook, not here."""
    found = scope().get_or_404(Invoice, invoice_id)
    return render_template("portal/invoice_paid.html", invoice=found)
