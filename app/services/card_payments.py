"""Starting a card payment: a Stripe Checkout Session for what an invoice still owes.

A session belongs to one version of the invoice (its version counter). While the invoice stays
the same, every "Pay now" (a second tab, a double click, a retry) reuses the one open session,
and the idempotency key makes Stripe answer concurrent requests with that same session. Once the
invoice changes, the old session is closed on Stripe before a new one is made, so nobody can pay
a stale amount. The invoice itself changes only when Stripe's webhook reports the payment.
"""

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.errors import UserError
from app.extensions import db
from app.models import CheckoutSession, Invoice, PortalUser
from app.models.base import utcnow
from app.models.card_payments import CheckoutStatus
from app.models.enums import InvoiceStatus
from app.row_locks import hold_rows
from app.services import stripe_gateway
from app.services.audit import record
from app.services.company import current_company
from app.urls import public_url

# A session this close to expiring is not handed out again: the customer needs time to pay.
REUSE_MARGIN = timedelta(minutes=10)


class PaymentError(UserError):
    """A payment that cannot be started; the message is safe to show the customer."""


def start_card_payment(invoice: Invoice, *, portal_user: PortalUser) -> CheckoutSession:
    """The Checkout Session to send the customer to for the invoice's balance due."""
    if not stripe_gateway.configured():
        raise PaymentError(_("Online card payment is not set up."))
    _lock(invoice)
    if invoice.status != InvoiceStatus.OPEN or invoice.balance_cents <= 0:
        raise PaymentError(_("This invoice has nothing left to pay."))
    reusable = _close_stale_sessions(invoice)
    if reusable is not None:
        return reusable
    key = _idempotency_key(invoice)
    try:
        session = stripe_gateway.create_checkout_session(
            _session_params(invoice), idempotency_key=key
        )
    except stripe_gateway.GatewayError:
        raise PaymentError(
            _("We could not reach our card processor. Nothing was charged; please try again.")
        ) from None
    checkout = _remember(invoice, session, key=key, portal_user=portal_user)
    record(
        "checkout_started",
        invoice,
        actor=portal_user,
        summary=f"{invoice.number}: card payment of {checkout.amount_cents} cents started",
    )
    return checkout


def _lock(invoice: Invoice) -> None:
    """Hold the invoice row until the caller commits, and read it as it is now: a second tab
    waits here for the first, then finds the session the first one stored."""
    hold_rows(Invoice, [invoice.id])
    db.session.refresh(invoice)


def _close_stale_sessions(invoice: Invoice) -> CheckoutSession | None:
    """Close open sessions for an older version or amount; return one still fit to use."""
    soon = utcnow() + REUSE_MARGIN
    reusable = None
    for checkout in db.session.scalars(
        select(CheckoutSession)
        .where(
            CheckoutSession.invoice_id == invoice.id,
            CheckoutSession.status == CheckoutStatus.OPEN,
        )
        .order_by(CheckoutSession.id.desc())
    ):
        current = (
            checkout.invoice_version == invoice.version
            and checkout.amount_cents == invoice.balance_cents
            and (checkout.expires_at is None or checkout.expires_at > soon)
        )
        if current and reusable is None:
            reusable = checkout
            continue
        try:
            closed = stripe_gateway.expire_checkout_session(checkout.stripe_session_id)
        except stripe_gateway.GatewayError:
            raise PaymentError(
                _("We could not reach our card processor. Nothing was charged; please try again.")
            ) from None
        if closed:
            checkout.status = CheckoutStatus.EXPIRED
        else:
            # Stripe kept it: it was paid a moment ago, and the webhook will say so.
            raise PaymentError(
                _("A payment for this invoice is being confirmed. Please check back shortly.")
            )
    return reusable


def _idempotency_key(invoice: Invoice) -> str:
    """One key per invoice version and attempt (a new attempt only after a session closed)."""
    earlier = db.session.scalar(
        select(func.count()).where(
            CheckoutSession.invoice_id == invoice.id,
            CheckoutSession.invoice_version == invoice.version,
        )
    )
    return f"tuffops-invoice-{invoice.id}-v{invoice.version}-{earlier + 1}"


def _session_params(invoice: Invoice) -> dict:
    """What Stripe needs, from the invoice alone: the same invoice version gives the same params,
    which is what lets Stripe answer a repeated request with the session it already made."""
    success = public_url("portal.invoice_paid", invoice_id=invoice.id)
    references = {
        "invoice_id": str(invoice.id),
        "invoice_number": invoice.number,
        "invoice_version": str(invoice.version),
    }
    params = {
        "mode": "payment",
        "client_reference_id": invoice.number,
        "metadata": references,
        "payment_intent_data": {
            "metadata": references,
            "description": f"{current_company().name} invoice {invoice.number}",
        },
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": invoice.currency.lower(),
                    "unit_amount": invoice.balance_cents,
                    "product_data": {"name": f"Invoice {invoice.number}"},
                },
            }
        ],
        "success_url": success + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": public_url("portal.invoice", invoice_id=invoice.id),
    }
    if invoice.customer.email:
        params["customer_email"] = invoice.customer.email
    return params


def _remember(invoice: Invoice, session: dict, *, key: str, portal_user) -> CheckoutSession:
    """Keep the session; a second tab that got the same session from Stripe finds it here."""
    found = _known(session["id"])
    if found is not None:
        return found
    expires = session.get("expires_at")
    checkout = CheckoutSession(
        stripe_session_id=session["id"],
        invoice_id=invoice.id,
        customer_id=invoice.customer_id,
        portal_user_id=portal_user.id,
        invoice_version=invoice.version,
        idempotency_key=key,
        amount_cents=session.get("amount_total") or invoice.balance_cents,
        currency=(session.get("currency") or invoice.currency).upper(),
        url=session["url"],
        status=CheckoutStatus.OPEN,
        expires_at=datetime.fromtimestamp(expires, UTC) if expires else None,
    )
    db.session.add(checkout)
    try:
        db.session.flush()
    except IntegrityError:
        # Another tab stored the very session Stripe gave us both (same idempotency key).
        db.session.rollback()
        return _known(session["id"])
    return checkout


def _known(stripe_session_id: str) -> CheckoutSession | None:
    return db.session.scalar(
        select(CheckoutSession).where(CheckoutSession.stripe_session_id == stripe_session_id)
    )
