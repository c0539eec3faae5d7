"""Money: quotes, invoices and payments. All amounts are integer cents in the record's currency."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.customers import Customer, Property
from app.models.enums import InvoiceStatus, PaymentMethod, PaymentStatus, QuoteStatus
from app.models.equipment import Unit
from app.models.numbering import Numbered
from app.models.work import LineItemMixin, WorkOrder


class PricedDocumentMixin:
    """Subtotal, tax and total kept on the row so lists can sort and sum without loading lines."""

    currency: Mapped[str] = mapped_column(String(3), default="USD")
    subtotal_cents: Mapped[int] = mapped_column(default=0)
    tax_cents: Mapped[int] = mapped_column(default=0)
    total_cents: Mapped[int] = mapped_column(default=0, index=True)

    def recalculate(self, tax_rate_percent: Decimal) -> None:
        """Recompute subtotal, tax and total from the lines and the given tax rate."""
        self.subtotal_cents = sum(line.amount_cents for line in self.lines)
        tax = Decimal(self.subtotal_cents) * Decimal(tax_rate_percent) / 100
        self.tax_cents = int(tax.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        self.total_cents = self.subtotal_cents + self.tax_cents


class Quote(Numbered, PricedDocumentMixin, TimestampMixin, db.Model):
    __tablename__ = "quotes"
    NUMBER_PREFIX = "Q"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[QuoteStatus] = enum_column(QuoteStatus, default=QuoteStatus.DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[date | None] = mapped_column(index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by: Mapped[str] = mapped_column(String(120), default="")
    signature_key: Mapped[str | None] = mapped_column(String(255))
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    customer: Mapped[Customer] = relationship()
    property: Mapped[Property | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    lines: Mapped[list["QuoteLine"]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteLine.position"
    )

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class QuoteLine(LineItemMixin, db.Model):
    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)

    quote: Mapped[Quote] = relationship(back_populates="lines")


class Invoice(Numbered, PricedDocumentMixin, TimestampMixin, db.Model):
    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_status_due_on", "status", "due_on"),)
    NUMBER_PREFIX = "INV"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    status: Mapped[InvoiceStatus] = enum_column(InvoiceStatus, default=InvoiceStatus.DRAFT)
    issued_on: Mapped[date | None] = mapped_column(index=True)
    due_on: Mapped[date | None] = mapped_column(index=True)
    amount_paid_cents: Mapped[int] = mapped_column(default=0)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Goes up by one with every change to the row (SQLAlchemy's version counter): a card
    # payment is started for one version, so a changed invoice never reuses an old checkout.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    customer: Mapped[Customer] = relationship()
    work_order: Mapped[WorkOrder | None] = relationship()
    lines: Mapped[list["InvoiceLine"]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.position"
    )
    payments: Mapped[list["Payment"]] = relationship(back_populates="invoice")

    @property
    def balance_cents(self) -> int:
        return self.total_cents - self.amount_paid_cents

    def is_overdue(self, today: date) -> bool:
        return (
            self.status == InvoiceStatus.OPEN
            and self.due_on is not None
            and self.due_on < today
            and self.balance_cents > 0
        )

    # Declared after the @property methods: the name shadows the builtin in the class body.
    property: Mapped[Property | None] = relationship()

    def __str__(self) -> str:
        return self.number


class InvoiceLine(LineItemMixin, db.Model):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(TimestampMixin, db.Model):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(index=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    method: Mapped[PaymentMethod] = enum_column(PaymentMethod, default=PaymentMethod.CARD)
    status: Mapped[PaymentStatus] = enum_column(
        PaymentStatus, default=PaymentStatus.PENDING, index=True
    )
    reference: Mapped[str] = mapped_column(String(120), default="")  # check number, etc.
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    stripe_charge_id: Mapped[str | None] = mapped_column(String(64))
    stripe_checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Given back so far (Stripe reports the running total, so repeats and reordering are harmless).
    refunded_cents: Mapped[int] = mapped_column(default=0, server_default="0")
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invoice: Mapped[Invoice] = relationship(back_populates="payments")
    customer: Mapped[Customer] = relationship()

    @property
    def kept_cents(self) -> int:
        """What this payment still contributes to its invoice: nothing unless it succeeded."""
        if self.status == PaymentStatus.SUCCEEDED:
            return self.amount_cents - self.refunded_cents
        return 0

    def __str__(self) -> str:
        return f"{self.invoice.number} {self.amount_cents / 100:.2f} {self.currency}"
