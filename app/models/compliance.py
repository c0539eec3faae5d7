"""Refrigerant handling, kept per unit for EPA Section 608 / AIM Act records."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import POUNDS, TimestampMixin, UTCDateTime, enum_column
from app.models.enums import RefrigerantEventKind
from app.models.equipment import Unit
from app.models.people import StaffUser
from app.models.work import WorkOrder


class RefrigerantEvent(TimestampMixin, db.Model):
    __tablename__ = "refrigerant_events"
    __table_args__ = (Index("ix_refrigerant_events_unit_occurred", "unit_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    kind: Mapped[RefrigerantEventKind] = enum_column(RefrigerantEventKind, index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    refrigerant_type: Mapped[str] = mapped_column(String(20), default="")
    pounds_added: Mapped[Decimal] = mapped_column(POUNDS, default=Decimal("0"))
    pounds_removed: Mapped[Decimal] = mapped_column(POUNDS, default=Decimal("0"))
    # The technician's EPA 608 certification number at the time of the work.
    certification_number: Mapped[str] = mapped_column(String(40), default="")
    leak_found: Mapped[bool | None]
    leak_location: Mapped[str] = mapped_column(String(200), default="")
    test_passed: Mapped[bool | None]  # verification tests
    notes: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship()
    work_order: Mapped[WorkOrder | None] = relationship()
    technician: Mapped[StaffUser | None] = relationship()

    def __str__(self) -> str:
        return f"{self.kind.value} {self.occurred_at:%Y-%m-%d}"
