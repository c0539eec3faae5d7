"""Visits in real time, and the time technicians have for them.

A work order has one or more visits (a return trip for parts is a second one). A visit has an
arrival window the customer is told ("between 8 and 10", stored in UTC), an expected duration,
a lead technician and helpers, and a status whose every change is kept with its time.
"""

import uuid
from datetime import datetime, time

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column, utcnow
from app.models.enums import VisitStatus
from app.models.people import StaffUser
from app.models.work import WorkOrder

# Visits that hold a technician's time (the others ended or never happen).
ACTIVE_VISIT_STATUSES = (
    VisitStatus.TENTATIVE,
    VisitStatus.SCHEDULED,
    VisitStatus.CONFIRMED,
    VisitStatus.EN_ROUTE,
    VisitStatus.ON_SITE,
)
# Visits not yet under way: they may still move (and the customer may still answer them).
MOVABLE_STATUSES = (VisitStatus.SCHEDULED, VisitStatus.CONFIRMED)

visit_helpers = Table(
    "visit_helpers",
    db.metadata,
    Column("visit_id", ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_user_id", ForeignKey("staff_users.id"), primary_key=True, index=True),
)


def new_calendar_uid() -> str:
    """The iCalendar UID of a visit: one per visit for good, so a move updates the same entry."""
    return f"{uuid.uuid4()}@tuffops"


class Visit(TimestampMixin, db.Model):
    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_technician_arrival", "lead_technician_id", "arrival_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    lead_technician_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    arrival_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    arrival_end: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    status: Mapped[VisitStatus] = enum_column(
        VisitStatus, default=VisitStatus.SCHEDULED, index=True
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    calendar_uid: Mapped[str] = mapped_column(String(80), unique=True, default=new_calendar_uid)
    # iCalendar SEQUENCE: goes up on every move or cancel, so calendars take the newest copy.
    calendar_sequence: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    # When the technician on the way said they would arrive (set by "On my way").
    expected_arrival_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The time on site as the technician confirmed it on the job page (None: not confirmed
    # yet; the page proposes the Arrived and Done times).
    on_site_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_site_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    work_order: Mapped[WorkOrder] = relationship(back_populates="visits")
    lead_technician: Mapped[StaffUser | None] = relationship()
    helpers: Mapped[list[StaffUser]] = relationship(
        secondary=visit_helpers, order_by=StaffUser.name
    )
    status_changes: Mapped[list["VisitStatusChange"]] = relationship(
        back_populates="visit",
        cascade="all, delete-orphan",
        order_by="VisitStatusChange.changed_at",
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_VISIT_STATUSES

    @property
    def technicians(self) -> list[StaffUser]:
        """The lead technician first, then the helpers."""
        lead = [self.lead_technician] if self.lead_technician else []
        return lead + [helper for helper in self.helpers if helper not in lead]

    def __str__(self) -> str:
        return f"{self.work_order.number} {self.arrival_start:%Y-%m-%d %H:%M} UTC"


class VisitStatusChange(db.Model):
    """One step of a visit's status, with when and who (None: the customer or the system)."""

    __tablename__ = "visit_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    status: Mapped[VisitStatus] = enum_column(VisitStatus)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)

    visit: Mapped[Visit] = relationship(back_populates="status_changes")
    changed_by: Mapped[StaffUser | None] = relationship()


class WorkingHours(db.Model):
    """When a technician works on one weekday (0 is Monday), in the company's time zone.

    A weekday without a row is a day off."""

    __tablename__ = "working_hours"
    __table_args__ = (UniqueConstraint("technician_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    weekday: Mapped[int] = mapped_column()
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)

    technician: Mapped[StaffUser] = relationship()

    def __str__(self) -> str:
        return f"{self.technician} {self.weekday}: {self.starts:%H:%M}–{self.ends:%H:%M}"


class TimeOff(TimestampMixin, db.Model):
    """A stretch a technician is away (holiday, training, sick), stored in UTC."""

    __tablename__ = "time_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200), default="")

    technician: Mapped[StaffUser] = relationship()

    def __str__(self) -> str:
        return f"{self.technician}: {self.reason}"


# When a work order happens: the first arrival of its visits that were not cancelled (None
# until one is booked). Lists sort by it; loaded with the work order, one subquery, no N+1.
WorkOrder.first_arrival = column_property(
    select(func.min(Visit.arrival_start))
    .where(Visit.work_order_id == WorkOrder.id, Visit.status != VisitStatus.CANCELLED)
    .correlate_except(Visit)
    .scalar_subquery()
)
