"""Units: the equipment on a property, each with its QR sticker."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import POUNDS, TimestampMixin, UTCDateTime, enum_column, utcnow
from app.models.customers import Property
from app.models.enums import ApplianceType, ChargeMethod, UnitKind
from app.models.sticker_codes import format_label_code, new_label_code, new_qr_token

WARRANTY_EXPIRING_DAYS = 90


def warranty_status(end: date | None, today: date) -> str:
    """none, active, expiring (within 90 days) or expired."""
    if end is None:
        return "none"
    if end < today:
        return "expired"
    if end <= today + timedelta(days=WARRANTY_EXPIRING_DAYS):
        return "expiring"
    return "active"


class Unit(TimestampMixin, db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), index=True)  # "Attic furnace", "RTU-3"
    kind: Mapped[UnitKind] = enum_column(UnitKind, index=True)
    manufacturer: Mapped[str] = mapped_column(String(80), default="", index=True)
    model_number: Mapped[str] = mapped_column(String(80), default="")
    serial_number: Mapped[str] = mapped_column(String(80), default="", index=True)
    install_date: Mapped[date | None] = mapped_column(index=True)
    parts_warranty_end: Mapped[date | None] = mapped_column(index=True)
    labor_warranty_end: Mapped[date | None]
    refrigerant_type: Mapped[str] = mapped_column(String(20), default="")
    full_charge_lb: Mapped[Decimal | None] = mapped_column(POUNDS)
    charge_method: Mapped[ChargeMethod | None] = enum_column(ChargeMethod)
    epa_appliance_type: Mapped[ApplianceType | None] = enum_column(ApplianceType)
    # Person-set: residential / light-commercial AC and heat pumps are outside Part 84's leak
    # repair rule (84.106(a)(3)(ii)); never inferred from the kind.
    part84_excluded_subsector: Mapped[bool] = mapped_column(default=False)
    service_interval_months: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    label_code: Mapped[str] = mapped_column(String(12), unique=True, default=new_label_code)
    qr_token: Mapped[str | None] = mapped_column(String(32), unique=True, default=new_qr_token)
    qr_token_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def customer(self):
        return self.property.customer

    @property
    def printed_label_code(self) -> str:
        return format_label_code(self.label_code)

    def parts_warranty_status(self, today: date) -> str:
        return warranty_status(self.parts_warranty_end, today)

    def labor_warranty_status(self, today: date) -> str:
        return warranty_status(self.labor_warranty_end, today)

    # Declared after the @property methods: the name shadows the builtin in the class body.
    property: Mapped[Property] = relationship(back_populates="units")

    def __str__(self) -> str:
        make = " ".join(part for part in (self.manufacturer, self.model_number) if part)
        return f"{self.name} — {make}" if make else self.name
