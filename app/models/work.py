"""Field work: service requests, work orders and what happened on them."""

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, cents_for, enum_column
from app.models.customers import Customer, Property
from app.models.enums import (
    LineKind,
    PhotoStage,
    Priority,
    RequestSource,
    RequestStatus,
    TimeWindow,
    WorkOrderStatus,
)
from app.models.equipment import Unit
from app.models.files import StoredFileMixin
from app.models.numbering import Numbered
from app.models.people import PortalUser, StaffUser
from app.models.price_book import PriceBookItem

OPEN_WORK_ORDER_STATUSES = (
    WorkOrderStatus.NEW,
    WorkOrderStatus.SCHEDULED,
    WorkOrderStatus.IN_PROGRESS,
    WorkOrderStatus.ON_HOLD,
)


def preferred_days(details) -> list[date]:
    """The days someone would like a visit on, first choice first (only those they gave)."""
    chosen = (details.preferred_date, details.second_preferred_date, details.third_preferred_date)
    return [day for day in chosen if day is not None]


class RequestDetailsMixin:
    """Who asked for service, how to reach them, what is wrong and when suits them."""

    contact_name: Mapped[str] = mapped_column(String(120))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    description: Mapped[str] = mapped_column(Text)
    # The first choice (the only one the sticker form asks for), then the portal's second and
    # third choices.
    preferred_date: Mapped[date | None]
    second_preferred_date: Mapped[date | None]
    third_preferred_date: Mapped[date | None]
    preferred_window: Mapped[TimeWindow] = enum_column(TimeWindow, default=TimeWindow.ANY)

    @property
    def preferred_dates(self) -> list[date]:
        return preferred_days(self)


class ServiceRequest(RequestDetailsMixin, Numbered, TimestampMixin, db.Model):
    """A customer's "please come look at this", from a QR sticker, the portal or the phone."""

    __tablename__ = "service_requests"
    # The request list sorts by the preferred day (repeat reports are never listed by it).
    __table_args__ = (Index("ix_service_requests_preferred_date", "preferred_date"),)
    NUMBER_PREFIX = "SR"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    source: Mapped[RequestSource] = enum_column(RequestSource, index=True)
    status: Mapped[RequestStatus] = enum_column(
        RequestStatus, default=RequestStatus.NEW, index=True
    )
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    portal_user_id: Mapped[int | None] = mapped_column(ForeignKey("portal_users.id"), index=True)
    report_count: Mapped[int] = mapped_column(default=1)  # this report plus repeats attached
    # SHA-256 of the requester's private status-link token (the token itself is never stored).
    status_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    dismissed_reason: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer: Mapped[Customer | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    portal_user: Mapped[PortalUser | None] = relationship()
    photos: Mapped[list["ServiceRequestPhoto"]] = relationship(
        back_populates="request", cascade="all, delete-orphan"
    )
    work_order: Mapped["WorkOrder | None"] = relationship(back_populates="service_request")
    repeat_reports: Mapped[list["RepeatReport"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RepeatReport.created_at"
    )

    @property
    def reports_by_source(self) -> dict[RequestSource, int]:
        """How many of its reports came from each source (the first one's and the repeats')."""
        counts = Counter([self.source, *(report.source for report in self.repeat_reports)])
        return {source: counts[source] for source in RequestSource if counts[source]}

    # Declared after the @property methods: the name shadows the builtin in the class body.
    property: Mapped[Property | None] = relationship()

    def __str__(self) -> str:
        return f"{self.number} {self.contact_name}"


class RepeatReport(RequestDetailsMixin, TimestampMixin, db.Model):
    """Another report about a unit that already has an open request: kept, and attached to it."""

    __tablename__ = "repeat_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    # Where this report came from (the request keeps the source of the first one).
    source: Mapped[RequestSource] = enum_column(RequestSource)
    status_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    request: Mapped[ServiceRequest] = relationship(back_populates="repeat_reports")

    def __str__(self) -> str:
        return f"{self.contact_name}: {self.description[:40]}"


class ServiceRequestPhoto(StoredFileMixin, TimestampMixin, db.Model):
    __tablename__ = "service_request_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)

    request: Mapped[ServiceRequest] = relationship(back_populates="photos")


class WorkOrder(Numbered, TimestampMixin, db.Model):
    """A job at one property, optionally about one unit, done in one or more visits."""

    __tablename__ = "work_orders"
    NUMBER_PREFIX = "WO"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    service_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_requests.id"), unique=True
    )
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    status: Mapped[WorkOrderStatus] = enum_column(
        WorkOrderStatus, default=WorkOrderStatus.NEW, index=True
    )
    priority: Mapped[Priority] = enum_column(Priority, default=Priority.NORMAL, index=True)
    summary: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Who to call on site: the person who asked for the work (a tenant, a store manager),
    # who is not always the customer on the account.
    contact_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    signed_off_by: Mapped[str] = mapped_column(String(120), default="")
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signature_key: Mapped[str | None] = mapped_column(String(255))

    customer: Mapped[Customer] = relationship()
    unit: Mapped[Unit | None] = relationship()
    technician: Mapped[StaffUser | None] = relationship()
    service_request: Mapped[ServiceRequest | None] = relationship(back_populates="work_order")
    lines: Mapped[list["WorkOrderLine"]] = relationship(
        back_populates="work_order", cascade="all, delete-orphan", order_by="WorkOrderLine.position"
    )
    photos: Mapped[list["WorkOrderPhoto"]] = relationship(
        back_populates="work_order", cascade="all, delete-orphan"
    )
    notes: Mapped[list["WorkOrderNote"]] = relationship(
        back_populates="work_order",
        cascade="all, delete-orphan",
        order_by="WorkOrderNote.created_at",
    )
    # Its visits in time order (app.models.scheduling); when it happens lives there.
    visits: Mapped[list["Visit"]] = relationship(  # noqa: F821
        back_populates="work_order", cascade="all, delete-orphan", order_by="Visit.arrival_start"
    )
    # Every sign-off taken on site, oldest first (app.models.sign_offs); the last one counts.
    sign_offs: Mapped[list["WorkOrderSignOff"]] = relationship(  # noqa: F821
        back_populates="work_order", cascade="all, delete-orphan", order_by="WorkOrderSignOff.id"
    )

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_WORK_ORDER_STATUSES

    # Declared after the @property methods: the name shadows the builtin in the class body.
    property: Mapped[Property] = relationship()

    def __str__(self) -> str:
        return f"{self.number} {self.summary}"


class LineItemMixin:
    """A priced line on a work order, quote or invoice. Quantity times unit price, in cents."""

    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[LineKind] = enum_column(LineKind, default=LineKind.LABOR)
    description: Mapped[str] = mapped_column(String(240))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("1"))
    unit_price_cents: Mapped[int] = mapped_column(default=0)
    # Sales tax applies to it (a line from the price book takes its item's flag when chosen).
    taxable: Mapped[bool] = mapped_column(default=True, server_default=true())

    def __init__(self, **fields) -> None:
        # Taxed unless told otherwise from the moment it is made: totals are worked out before
        # the INSERT that would apply the column default.
        fields.setdefault("taxable", True)
        super().__init__(**fields)

    @property
    def amount_cents(self) -> int:
        return cents_for(self.quantity, self.unit_price_cents)

    def __str__(self) -> str:
        return self.description


class WorkOrderLine(LineItemMixin, db.Model):
    __tablename__ = "work_order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    # The price book item the line was chosen from (None: a line typed in freely); the line
    # keeps the words, kind and price it was given then.
    price_book_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("price_book_items.id"), index=True
    )

    work_order: Mapped[WorkOrder] = relationship(back_populates="lines")
    price_book_item: Mapped[PriceBookItem | None] = relationship()


class WorkOrderPhoto(StoredFileMixin, TimestampMixin, db.Model):
    __tablename__ = "work_order_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    caption: Mapped[str] = mapped_column(String(200), default="")
    # Taken before or after the work (None: not said, as photos added in the office).
    stage: Mapped[PhotoStage | None] = enum_column(PhotoStage)
    # The recommendation (a quote) this photo shows the reason for, if any.
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"), index=True)

    work_order: Mapped[WorkOrder] = relationship(back_populates="photos")
    uploaded_by: Mapped[StaffUser | None] = relationship()
    quote: Mapped["Quote | None"] = relationship(back_populates="photos")  # noqa: F821

    def __str__(self) -> str:
        return self.caption or self.filename


class WorkOrderNote(TimestampMixin, db.Model):
    __tablename__ = "work_order_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    visible_to_customer: Mapped[bool] = mapped_column(default=False)

    work_order: Mapped[WorkOrder] = relationship(back_populates="notes")
    author: Mapped[StaffUser | None] = relationship()

    def __str__(self) -> str:
        return self.body[:60]


class JobPageSend(TimestampMixin, db.Model):
    """A note, line or photo that the job page's outbox sent and the office saved, under the
    key the phone gave it: when the answer is lost on a weak signal the phone sends it again,
    and the key says it is saved already (nothing is added twice)."""

    __tablename__ = "job_page_sends"
    __table_args__ = (UniqueConstraint("work_order_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(
        ForeignKey("work_orders.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(64))
