"""The customer's sign-off of a work order on site, kept for good.

Each time a signature is taken (or the technician records that nobody was there to sign) a
row is added; earlier rows stay on record. `content` is the summary exactly as the screen
showed it (canonical JSON) and `content_sha256` its fingerprint: when the work order no longer
reads the same, the sign-off is void and has to be taken again.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.enums import SignOffMethod
from app.models.messaging import Document
from app.models.people import StaffUser
from app.models.scheduling import Visit
from app.models.work import WorkOrder


class WorkOrderSignOff(TimestampMixin, db.Model):
    __tablename__ = "work_order_sign_offs"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    # The visit it was taken on: the place and the trip.
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    method: Mapped[SignOffMethod] = enum_column(SignOffMethod)
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signature_key: Mapped[str | None] = mapped_column(String(255))
    # Why nobody signed (the customer was not present).
    reason: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    # The language the summary was shown in.
    locale: Mapped[str] = mapped_column(String(8), default="en")
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When a later sign-off replaced it (a void one is replaced when it is taken again).
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)

    work_order: Mapped[WorkOrder] = relationship(back_populates="sign_offs")
    visit: Mapped[Visit | None] = relationship()
    taken_by: Mapped[StaffUser | None] = relationship()
    document: Mapped[Document | None] = relationship()

    @property
    def customer_present(self) -> bool:
        return self.method != SignOffMethod.NOT_PRESENT

    def __str__(self) -> str:
        return self.signer_name or self.reason[:60]
