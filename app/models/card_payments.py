"""Paying by card through Stripe: the Checkout Sessions we start and the events Stripe sends back.

Every webhook event that passed its signature check is kept, applied or not, so nothing Stripe
says about money is ever lost: what could not be applied waits in admin for a person.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.billing import Invoice, Payment
from app.models.customers import Customer
from app.models.people import PortalUser, StaffUser


class CheckoutStatus(StrEnum):
    OPEN = "open"  # the customer may still pay on Stripe's page
    COMPLETE = "complete"  # paid (the payment is recorded from the webhook)
    EXPIRED = "expired"  # timed out or closed by us: a new one is needed
    FAILED = "failed"  # an asynchronous payment method failed


class StripeEventStatus(StrEnum):
    APPLIED = "applied"  # changed payments and invoices
    IGNORED = "ignored"  # nothing for us to do (a type we do not act on, or already done)
    WAITING = "waiting"  # refers to a payment we have not heard of yet; applied when it arrives
    NEEDS_ATTENTION = "needs_attention"  # could not be applied; a person must look at it
    RESOLVED = "resolved"  # a person looked at it and settled it


class CheckoutSession(TimestampMixin, db.Model):
    """A Stripe Checkout Session started for an invoice's balance at one version of the invoice."""

    __tablename__ = "checkout_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_session_id: Mapped[str] = mapped_column(String(255), unique=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    portal_user_id: Mapped[int | None] = mapped_column(ForeignKey("portal_users.id"), index=True)
    invoice_version: Mapped[int]
    idempotency_key: Mapped[str] = mapped_column(String(120))
    amount_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[CheckoutStatus] = enum_column(
        CheckoutStatus, default=CheckoutStatus.OPEN, index=True
    )
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invoice: Mapped[Invoice] = relationship()
    customer: Mapped[Customer] = relationship()
    portal_user: Mapped[PortalUser | None] = relationship()

    def __str__(self) -> str:
        return self.stripe_session_id


class StripeEvent(db.Model):
    """One webhook event from Stripe, kept with what became of it."""

    __tablename__ = "stripe_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    # When Stripe created the event (events can arrive late and out of order).
    stripe_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    livemode: Mapped[bool] = mapped_column(default=False)
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[StripeEventStatus] = enum_column(StripeEventStatus, index=True)
    problem: Mapped[str] = mapped_column(Text, default="")
    # The payment intent the event is about: how a refund waiting for its payment is found.
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), index=True)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    invoice: Mapped[Invoice | None] = relationship()
    payment: Mapped[Payment | None] = relationship()
    resolved_by: Mapped[StaffUser | None] = relationship()

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_event_id}"
