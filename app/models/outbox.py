"""The outgoing mail outbox: every e-mail TuffOps sends is a row here first (see app.mail)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.files import StoredFileMixin

ADDRESS_LENGTH = 320
SUBJECT_LENGTH = 255


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    SENT = "sent"
    FAILED = "failed"  # given up: refused for good, or too many attempts


class OutboxMessage(TimestampMixin, db.Model):
    """One outgoing e-mail, kept until sent (and afterwards, as a record of what was sent)."""

    __tablename__ = "outbox_messages"
    # The delivery query: pending rows whose next attempt is due, oldest due first.
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(ADDRESS_LENGTH))
    subject: Mapped[str] = mapped_column(String(SUBJECT_LENGTH))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(ADDRESS_LENGTH))
    status: Mapped[OutboxStatus] = enum_column(OutboxStatus, default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    attachments: Mapped[list["OutboxAttachment"]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="OutboxAttachment.id"
    )

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"


class OutboxAttachment(StoredFileMixin, db.Model):
    """A file sent with an outgoing e-mail (a receipt's PDF); the file itself is in storage."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id"), index=True)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")
