"""Refrigerant handling, kept per unit for EPA Section 608 / AIM Act records: service events,
full-charge revisions, repair episodes and the obligations that follow an exceedance."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import POUNDS, TimestampMixin, UTCDateTime, enum_column
from app.models.enums import (
    AdditionExemption,
    ChargeMethod,
    EpisodeStatus,
    LeakRateMethod,
    ObligationKind,
    RefrigerantEventKind,
)
from app.models.equipment import Unit
from app.models.people import StaffUser
from app.models.work import WorkOrder

LEAK_RATE = Numeric(12, 4)  # percent, rounded half-up for storage; decisions use the exact value


class RefrigerantEvent(TimestampMixin, db.Model):
    __tablename__ = "refrigerant_events"
    __table_args__ = (Index("ix_refrigerant_events_unit_occurred", "unit_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("repair_episodes.id"), index=True)
    kind: Mapped[RefrigerantEventKind] = enum_column(RefrigerantEventKind, index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    refrigerant_type: Mapped[str] = mapped_column(String(20), default="")
    pounds_added: Mapped[Decimal] = mapped_column(POUNDS, default=Decimal("0"))
    pounds_removed: Mapped[Decimal] = mapped_column(POUNDS, default=Decimal("0"))
    # Recovered during a repair and put back into the same appliance: not a leak.
    pounds_returned: Mapped[Decimal] = mapped_column(POUNDS, default=Decimal("0"))
    exempt_reason: Mapped[AdditionExemption | None] = enum_column(AdditionExemption)
    # The technician's EPA 608 certification number at the time of the work.
    certification_number: Mapped[str] = mapped_column(String(40), default="")
    leak_found: Mapped[bool | None]
    leak_location: Mapped[str] = mapped_column(String(200), default="")
    parts_serviced: Mapped[str] = mapped_column(String(200), default="")
    test_method: Mapped[str] = mapped_column(String(120), default="")
    test_passed: Mapped[bool | None]  # verification tests
    notes: Mapped[str] = mapped_column(Text, default="")
    # Computed when an addition is recorded, and kept as evidence with its inputs.
    leak_rate_percent: Mapped[Decimal | None] = mapped_column(LEAK_RATE)
    leak_rate_method: Mapped[LeakRateMethod | None] = enum_column(LeakRateMethod)
    leak_rate_threshold: Mapped[int | None]
    leak_rate_exceeded: Mapped[bool | None]
    leak_rate_inputs: Mapped[dict] = mapped_column(JSON, default=dict)

    unit: Mapped[Unit] = relationship()
    work_order: Mapped[WorkOrder | None] = relationship()
    technician: Mapped[StaffUser | None] = relationship()
    episode: Mapped["RepairEpisode | None"] = relationship(back_populates="events")

    @property
    def exact_leak_rate(self) -> Fraction | Decimal | None:
        """The leak rate's exact value kept with its inputs (else the stored, rounded one)."""
        exact = (self.leak_rate_inputs or {}).get("exact_percent")
        return Fraction(exact) if exact else self.leak_rate_percent

    def __str__(self) -> str:
        from app.labels import label  # (app.labels imports the models)

        return f"{label(self.kind)} {self.occurred_at:%Y-%m-%d}"


class ChargeRevision(TimestampMixin, db.Model):
    """A unit's full charge from a date on, and how it was determined (kept for every change)."""

    __tablename__ = "charge_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    effective_on: Mapped[date] = mapped_column(index=True)
    full_charge_lb: Mapped[Decimal] = mapped_column(POUNDS)
    # None only for charges on file before revisions were kept, whose method was not recorded.
    method: Mapped[ChargeMethod | None] = enum_column(ChargeMethod)
    range_low_lb: Mapped[Decimal | None] = mapped_column(POUNDS)
    range_high_lb: Mapped[Decimal | None] = mapped_column(POUNDS)
    notes: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship()

    def __str__(self) -> str:
        return f"{self.full_charge_lb} lb from {self.effective_on}"


class RepairEpisode(TimestampMixin, db.Model):
    """What follows a leak rate over the threshold: repair, verification tests, inspections."""

    __tablename__ = "repair_episodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[EpisodeStatus] = enum_column(EpisodeStatus, default=EpisodeStatus.OPEN)
    discovered_on: Mapped[date] = mapped_column(index=True)
    leak_rate_percent: Mapped[Decimal] = mapped_column(LEAK_RATE)
    threshold_percent: Mapped[int]
    # Industrial process refrigeration whose repair needs a process shutdown: 120 days.
    ipr_shutdown: Mapped[bool] = mapped_column(default=False)
    # The owner decided to retrofit or retire the appliance instead of repairing it: a plan is
    # due 30 days later (82.157(h); 84.106(h)).
    retrofit_decided_on: Mapped[date | None]
    repaired_on: Mapped[date | None]
    initial_test_on: Mapped[date | None]
    followup_test_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship()
    # The first of them is the addition whose leak rate opened the episode.
    events: Mapped[list[RefrigerantEvent]] = relationship(
        back_populates="episode", order_by=RefrigerantEvent.occurred_at
    )
    obligations: Mapped[list["ComplianceObligation"]] = relationship(back_populates="episode")

    @property
    def exact_leak_rate(self) -> Fraction | Decimal:
        """The exact leak rate of the addition that opened the episode."""
        opening = next((e for e in self.events if e.leak_rate_percent is not None), None)
        return opening.exact_leak_rate if opening else self.leak_rate_percent

    def __str__(self) -> str:
        return f"{self.unit} leak {self.discovered_on}"


class ComplianceObligation(TimestampMixin, db.Model):
    """Something the owner must do by a date: a repair, a test, an inspection, a report."""

    __tablename__ = "compliance_obligations"
    __table_args__ = (Index("ix_compliance_obligations_open_due", "completed_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("repair_episodes.id"), index=True)
    kind: Mapped[ObligationKind] = enum_column(ObligationKind, index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    completed_on: Mapped[date | None]
    completed_by_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("refrigerant_events.id"), index=True
    )
    # While the appliance is mothballed the repair clock stops (84.106(d)(3)): the day it
    # stopped; the due date moves on by the days suspended when refrigerant is added again.
    suspended_on: Mapped[date | None]
    # Set when the obligation ended without being done (the appliance was retired, say);
    # completed_on then holds the day it ended.
    ended_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship()
    episode: Mapped[RepairEpisode | None] = relationship(back_populates="obligations")

    def is_overdue(self, today: date) -> bool:
        return self.completed_on is None and self.suspended_on is None and self.due_on < today

    def __str__(self) -> str:
        from app.labels import label  # (app.labels imports the models)

        return f"{label(self.kind)} due {self.due_on}"
