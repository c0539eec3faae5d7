"""What the office and a customer say to each other, and the files they share."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.customers import Customer, Property
from app.models.enums import DocumentKind, MessageDirection
from app.models.equipment import Unit
from app.models.files import StoredFileMixin
from app.models.people import PortalUser, StaffUser
from app.models.work import WorkOrder


class Message(TimestampMixin, db.Model):
    """One message in a customer's thread, optionally about a work order."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_customer_created", "customer_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    direction: Mapped[MessageDirection] = enum_column(MessageDirection, index=True)
    staff_author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    portal_author_id: Mapped[int | None] = mapped_column(ForeignKey("portal_users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship()
    work_order: Mapped[WorkOrder | None] = relationship()
    staff_author: Mapped[StaffUser | None] = relationship()
    portal_author: Mapped[PortalUser | None] = relationship()

    @property
    def author_name(self) -> str:
        author = self.staff_author or self.portal_author
        return author.name if author else ""

    def __str__(self) -> str:
        return self.body[:60]


# The portal's "Messages" badge: the office's messages the customer has not read yet. Deferred,
# so other reads of a customer leave it out; the portal's sign-in check reads it with the
# customer, in the query it makes on every page anyway (app/services/sign_ins.py).
Customer.unread_from_office = column_property(
    select(func.count(Message.id))
    .where(
        Message.customer_id == Customer.id,
        Message.direction == MessageDirection.FROM_OFFICE,
        Message.read_at.is_(None),
    )
    .correlate_except(Message)
    .scalar_subquery(),
    deferred=True,
)


class Document(StoredFileMixin, TimestampMixin, db.Model):
    """A file kept for a customer: invoices, manuals, permits, compliance reports."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = enum_column(DocumentKind, index=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    visible_to_customer: Mapped[bool] = mapped_column(default=True)

    customer: Mapped[Customer] = relationship()
    property: Mapped[Property | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    work_order: Mapped[WorkOrder | None] = relationship()

    def __str__(self) -> str:
        return self.title
