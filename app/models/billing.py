"""Money: quotes, invoices and payments. All amounts are integer cents in the record's currency."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.customers import Customer, Property
from app.models.enums import (
    InvoiceStatus,
    PaymentMethod,
    PaymentStatus,
    QuoteStatus,
    SignatureMethod,
)
from app.models.equipment import Unit
from app.models.messaging import Document
from app.models.numbering import Numbered
from app.models.people import StaffUser
from app.models.work import LineItemMixin, WorkOrder, WorkOrderPhoto


@dataclass(frozen=True)
class Totals:
    subtotal_cents: int
    tax_cents: int
    total_cents: int


def priced(lines: Iterable, tax_rate_percent: Decimal) -> Totals:
    """Subtotal, tax on the taxable lines (rounded half-up to the cent) and total of `lines`
    at a tax rate."""
    lines = list(lines)
    subtotal = sum(line.amount_cents for line in lines)
    taxed = sum(line.amount_cents for line in lines if line.taxable)
    tax = Decimal(taxed) * Decimal(tax_rate_percent) / 100
    tax_cents = int(tax.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Totals(subtotal, tax_cents, subtotal + tax_cents)


class PricedDocumentMixin:
    """Subtotal, tax and total kept on the row so lists can sort and sum without loading lines."""

    currency: Mapped[str] = mapped_column(String(3), default="USD")
    subtotal_cents: Mapped[int] = mapped_column(default=0)
    tax_cents: Mapped[int] = mapped_column(default=0)
    total_cents: Mapped[int] = mapped_column(default=0, index=True)

    def priced_lines(self) -> list:
        """The lines the stored totals add up."""
        return list(self.lines)

    def recalculate(self, tax_rate_percent: Decimal) -> None:
        """Recompute subtotal, tax and total from the lines and the given tax rate."""
        totals = priced(self.priced_lines(), tax_rate_percent)
        self.subtotal_cents, self.tax_cents = totals.subtotal_cents, totals.tax_cents
        self.total_cents = totals.total_cents


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
    # The decision's record (approval or decline): how it was signed, from where, what was
    # chosen and agreed to, and a SHA-256 of the quote exactly as the customer saw it.
    signature_method: Mapped[SignatureMethod | None] = enum_column(SignatureMethod)
    decided_from: Mapped[str] = mapped_column(String(45), default="")
    decided_user_agent: Mapped[str] = mapped_column(String(500), default="")
    chosen_line_ids: Mapped[list | None] = mapped_column(JSON)
    approved_subtotal_cents: Mapped[int | None]
    approved_tax_cents: Mapped[int | None]
    approved_total_cents: Mapped[int | None]
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    # The work an approval started (unique: one quote never starts two work orders).
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    signed_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    # A technician's finding: the job it was found on and who recommended the work (the
    # finding's photos are that job's photos, marked as this quote's).
    found_on_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)

    customer: Mapped[Customer] = relationship()
    property: Mapped[Property | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    work_order: Mapped[WorkOrder | None] = relationship(foreign_keys=[work_order_id])
    found_on: Mapped[WorkOrder | None] = relationship(foreign_keys=[found_on_id])
    recommended_by: Mapped[StaffUser | None] = relationship()
    photos: Mapped[list[WorkOrderPhoto]] = relationship(
        back_populates="quote", order_by="WorkOrderPhoto.id"
    )
    signed_document: Mapped[Document | None] = relationship()
    lines: Mapped[list["QuoteLine"]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteLine.position"
    )

    def ordered_lines(self) -> list["QuoteLine"]:
        """The lines by position (new, unsaved lines after saved ones of the same position)."""
        return sorted(self.lines, key=lambda line: (line.position, line.id is None, line.id or 0))

    def option_groups(self) -> dict[str, list["QuoteLine"]]:
        """Each group of alternatives by name, its lines by position."""
        groups: dict[str, list[QuoteLine]] = {}
        for line in self.ordered_lines():
            if line.option_group:
                groups.setdefault(line.option_group, []).append(line)
        return groups

    def preselected_lines(self) -> list["QuoteLine"]:
        """What the quote offers unless the customer chooses otherwise: every required line
        and the first alternative of each group (add-ons are left out)."""
        firsts = {id(lines[0]) for lines in self.option_groups().values()}
        return [
            line
            for line in self.ordered_lines()
            if id(line) in firsts or not (line.optional or line.option_group)
        ]

    def priced_lines(self) -> list["QuoteLine"]:
        return self.preselected_lines()

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class QuoteLine(LineItemMixin, db.Model):
    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    # An add-on the customer may tick.
    optional: Mapped[bool] = mapped_column(default=False)
    # Lines sharing a group are alternatives (good / better / best): the customer picks one.
    option_group: Mapped[str] = mapped_column(String(60), default="")

    quote: Mapped[Quote] = relationship(back_populates="lines")

    @property
    def is_required(self) -> bool:
        return not (self.optional or self.option_group)


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

    @hybrid_property
    def balance_cents(self) -> int:
        """What is still owed. The one definition of an open balance: on a row it is a number,
        on the class an SQL expression to filter and sum by (`Invoice.balance_cents > 0`)."""
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
    # The work-order line this bills (None: a line typed on the invoice, or one of a void
    # invoice: voiding lets go of the job's lines). Unique: a work order's line is never on
    # two live invoices, whoever clicks, however often, at the same moment.
    work_order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_order_lines.id"), unique=True
    )

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
