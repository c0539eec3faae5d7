"""Applying what Stripe's webhook reports: card payments, refunds, and sessions that closed.

Each event is applied exactly once: it is stored under Stripe's event id (unique), so a second
delivery finds it and changes nothing. A payment is recorded once per payment intent (unique),
whichever event reports it first. Refunds carry Stripe's running total, so they can arrive
twice or out of order; one that arrives before its payment waits and is applied when the
payment is recorded. Anything that cannot be applied (an unknown invoice, an amount that does
not match the checkout, a paid invoice paid again) is kept as "needs attention" for staff, and
the webhook still answers 200 so that Stripe does not send it again for days.
"""

import logging
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db
from app.formatting import money
from app.ids import record_id
from app.jobs import enqueue
from app.models import CheckoutSession, Invoice, Payment, StripeEvent
from app.models.base import utcnow
from app.models.card_payments import CheckoutStatus, StripeEventStatus
from app.models.enums import PaymentMethod, PaymentStatus
from app.row_locks import hold_rows
from app.services.audit import SystemActor, record
from app.services.billing import refresh_amount_paid
from app.services.stripe_gateway import live_mode

log = logging.getLogger(__name__)

STRIPE = SystemActor("stripe")
RECEIPT_JOB = "payment_receipt"


class CannotApply(Exception):
    """The event is genuine but cannot be applied as it is; a person must decide."""


def apply_stripe_event(event: dict) -> StripeEvent:
    """Record a verified event and apply it, once; returns the stored event (new or earlier).

    Call it in a transaction of its own (the webhook's request): when applying fails, the
    transaction is rolled back and the event is kept with the reason, for a person.
    """
    earlier = _stored(event["id"])
    if earlier is not None:
        return earlier
    row = _new_row(event, StripeEventStatus.IGNORED)
    try:
        db.session.flush()
    except IntegrityError:
        # The same event, delivered twice at the same moment: the other delivery has it.
        db.session.rollback()
        return _stored(event["id"])
    if row.livemode != live_mode():
        _needs_attention(row, _mode_problem(row.livemode))
        return row
    handler = HANDLERS.get(row.type)
    if handler is None:
        row.problem = "TuffOps does not act on this kind of event."
        return row
    try:
        handler(row, event["data"]["object"])
        db.session.flush()
    except CannotApply as problem:
        _needs_attention(row, str(problem))
    except OperationalError:
        raise  # the database itself failed: answer 500, and Stripe delivers the event again
    except Exception as error:  # noqa: BLE001  (kept for a person rather than retried for days)
        log.exception("Stripe event %s could not be applied", event["id"])
        db.session.rollback()
        row = _new_row(event, StripeEventStatus.NEEDS_ATTENTION)
        _needs_attention(row, f"Could not be applied: {type(error).__name__}: {error}")
    return row


def _mode_problem(livemode: bool) -> str:
    """Why an event from the other Stripe mode is kept, not applied."""
    if livemode:
        return (
            "A live-mode event, but TuffOps uses a test key (sk_test_): not applied. "
            "Check which Stripe account sends webhooks here."
        )
    return (
        "A test-mode event, but TuffOps uses a live key (sk_live_): not applied, "
        "no real money moved."
    )


def _new_row(event: dict, status: StripeEventStatus) -> StripeEvent:
    row = StripeEvent(
        stripe_event_id=event["id"],
        type=event["type"],
        stripe_created_at=datetime.fromtimestamp(event.get("created") or 0, UTC),
        livemode=bool(event.get("livemode")),
        payload=event,
        received_at=utcnow(),
        status=status,
    )
    db.session.add(row)
    return row


def _stored(stripe_event_id: str) -> StripeEvent | None:
    return db.session.scalar(
        select(StripeEvent).where(StripeEvent.stripe_event_id == stripe_event_id)
    )


def _needs_attention(row: StripeEvent, problem: str) -> None:
    row.status, row.problem = StripeEventStatus.NEEDS_ATTENTION, problem
    log.warning("Stripe event %s needs attention: %s", row.stripe_event_id, problem)


def _applied(row: StripeEvent) -> None:
    row.status, row.applied_at = StripeEventStatus.APPLIED, utcnow()


# Checkout sessions


def _session_paid(row: StripeEvent, session: dict) -> None:
    """A checkout finished and the money is in: record the payment against its invoice."""
    if session.get("payment_status") != "paid":
        row.problem = "The payment has not cleared yet; Stripe reports it when it does."
        return
    invoice = _invoice_for(session)
    row.invoice_id = invoice.id
    intent = _id_of(session.get("payment_intent"))
    row.payment_intent_id = intent
    existing = _payment_for(session["id"], intent)
    if existing is not None:
        row.payment_id = existing.id
        row.problem = "This payment was already recorded."
        return
    checkout = db.session.scalar(
        select(CheckoutSession).where(CheckoutSession.stripe_session_id == session["id"])
    )
    amount, currency = session.get("amount_total"), (session.get("currency") or "").upper()
    _check_matches(invoice, checkout, amount, currency)
    owed_before = invoice.balance_cents
    payment = Payment(
        invoice=invoice,
        customer_id=invoice.customer_id,
        amount_cents=amount,
        currency=currency,
        method=PaymentMethod.CARD,
        status=PaymentStatus.SUCCEEDED,
        reference="Card, paid online",
        stripe_payment_intent_id=intent,
        stripe_checkout_session_id=session["id"],
        received_at=row.stripe_created_at,
    )
    db.session.add(payment)
    checkout.status, checkout.completed_at = CheckoutStatus.COMPLETE, utcnow()
    refresh_amount_paid(invoice)
    row.payment_id = payment.id
    _applied(row)
    record(
        "card_payment",
        invoice,
        actor=STRIPE,
        summary=f"{invoice.number}: {money(amount, currency)} paid by card ({intent})",
    )
    enqueue(RECEIPT_JOB, payment_id=payment.id)
    if amount > owed_before:
        _needs_attention(
            row,
            f"Recorded, but {money(amount - max(owed_before, 0), currency)} more than the "
            f"invoice owed was paid (it was paid another way or changed meanwhile). "
            f"Refund or credit the difference.",
        )
    _apply_waiting_refunds(payment)


def _invoice_for(session: dict) -> Invoice:
    """The invoice a session is for, from its metadata, cross-checked with its reference."""
    wanted = record_id((session.get("metadata") or {}).get("invoice_id"))
    # Held until commit, so two events about one invoice are applied one after the other.
    hold_rows(Invoice, [wanted] if wanted else [])
    invoice = wanted and db.session.get(Invoice, wanted, populate_existing=True)
    if not invoice or invoice.number != session.get("client_reference_id"):
        raise CannotApply(
            f"No invoice matches this payment (invoice id {wanted!r}, "
            f"reference {session.get('client_reference_id')!r})."
        )
    return invoice


def _check_matches(invoice, checkout, amount, currency) -> None:
    if checkout is None or checkout.invoice_id != invoice.id:
        raise CannotApply(
            f"TuffOps did not start this checkout for {invoice.number}; "
            f"{money(amount or 0, currency or invoice.currency)} was paid."
        )
    if currency != invoice.currency:
        raise CannotApply(f"Paid in {currency}, but {invoice.number} is in {invoice.currency}.")
    if amount != checkout.amount_cents:
        raise CannotApply(
            f"{money(amount or 0, currency)} was paid, but the checkout for {invoice.number} "
            f"asked for {money(checkout.amount_cents, currency)}."
        )


def _payment_for(session_id: str, intent: str | None) -> Payment | None:
    matches = [Payment.stripe_checkout_session_id == session_id]
    if intent:
        matches.append(Payment.stripe_payment_intent_id == intent)
    return db.session.scalar(select(Payment).where(or_(*matches)))


def _session_closed(status: CheckoutStatus):
    def close(row: StripeEvent, session: dict) -> None:
        """An open session that can no longer be paid (expired, or its payment failed)."""
        checkout = db.session.scalar(
            select(CheckoutSession).where(CheckoutSession.stripe_session_id == session["id"])
        )
        if checkout is None or checkout.status != CheckoutStatus.OPEN:
            row.problem = "Nothing to change: the session is unknown or already closed."
            return
        checkout.status = status
        row.invoice_id = checkout.invoice_id
        _applied(row)

    return close


# Refunds


def _charge_refunded(row: StripeEvent, charge: dict) -> None:
    """Money given back: reflect Stripe's running refunded total on the payment."""
    intent = _id_of(charge.get("payment_intent"))
    row.payment_intent_id = intent
    payment = (
        db.session.scalar(select(Payment).where(Payment.stripe_payment_intent_id == intent))
        if intent
        else None
    )
    if payment is None:
        row.status = StripeEventStatus.WAITING
        row.problem = "The payment this refund belongs to has not arrived yet."
        return
    _refund(row, payment, charge)


def _refund(row: StripeEvent, payment: Payment, charge: dict) -> None:
    row.invoice_id, row.payment_id = payment.invoice_id, payment.id
    refunded = min(int(charge.get("amount_refunded") or 0), payment.amount_cents)
    if refunded <= payment.refunded_cents:
        row.status = StripeEventStatus.IGNORED
        row.problem = "An earlier or equal refund total; nothing changes."
        return
    payment.refunded_cents, payment.refunded_at = refunded, row.stripe_created_at
    payment.stripe_charge_id = charge.get("id") or payment.stripe_charge_id
    if refunded >= payment.amount_cents:
        payment.status = PaymentStatus.REFUNDED
    refresh_amount_paid(payment.invoice)
    _applied(row)
    record(
        "card_refund",
        payment.invoice,
        actor=STRIPE,
        summary=f"{payment.invoice.number}: {money(refunded, payment.currency)} refunded "
        f"of {money(payment.amount_cents, payment.currency)}",
    )


def _apply_waiting_refunds(payment: Payment) -> None:
    """Refunds that arrived before their payment, applied now, oldest first."""
    waiting = db.session.scalars(
        select(StripeEvent)
        .where(
            StripeEvent.payment_intent_id == payment.stripe_payment_intent_id,
            StripeEvent.status == StripeEventStatus.WAITING,
        )
        .order_by(StripeEvent.stripe_created_at, StripeEvent.id)
    ).all()
    for row in waiting:
        row.problem = ""
        _refund(row, payment, row.payload["data"]["object"])


def _id_of(value) -> str | None:
    """A Stripe reference that may be an id or an expanded object."""
    if isinstance(value, dict):
        return value.get("id")
    return value or None


HANDLERS = {
    "checkout.session.completed": _session_paid,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_closed(CheckoutStatus.FAILED),
    "checkout.session.expired": _session_closed(CheckoutStatus.EXPIRED),
    "charge.refunded": _charge_refunded,
}


def settle(event: StripeEvent, *, staff, note: str = "") -> bool:
    """A person has dealt with an event that could not be applied (or one that is waiting)."""
    if event.status not in (StripeEventStatus.NEEDS_ATTENTION, StripeEventStatus.WAITING):
        return False
    event.status, event.resolved_at, event.resolved_by_id = (
        StripeEventStatus.RESOLVED,
        utcnow(),
        staff.id,
    )
    event.resolution_note = note
    record("resolve", event, actor=staff, summary=f"{event.type} {event.stripe_event_id}")
    return True
