"""Who the contractor works for and where: customers and their service addresses."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, enum_column
from app.models.enums import CustomerKind, LeakRateMethod


class Customer(TimestampMixin, db.Model):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    kind: Mapped[CustomerKind] = enum_column(
        CustomerKind, default=CustomerKind.RESIDENTIAL, index=True
    )
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    billing_address: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Moves whenever something this customer's portal shows is written (app.customer_changes):
    # a portal page kept rendered at one value is current while the value stays.
    portal_version: Mapped[int] = mapped_column(default=0, server_default="0")

    properties: Mapped[list["Property"]] = relationship(
        back_populates="customer", order_by="Property.name"
    )
    portal_users: Mapped[list["PortalUser"]] = relationship(back_populates="customer")  # noqa: F821

    def __str__(self) -> str:
        return self.name


class Property(TimestampMixin, db.Model):
    """A service address. A customer can have many; each holds its units."""

    __tablename__ = "properties"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    address_line1: Mapped[str] = mapped_column(String(200))
    address_line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), index=True)
    state: Mapped[str] = mapped_column(String(40))
    postal_code: Mapped[str] = mapped_column(String(20))
    access_notes: Mapped[str] = mapped_column(Text, default="")
    # EPA leak-rate calculation method the facility chose (one for all its appliances).
    leak_rate_method: Mapped[LeakRateMethod] = enum_column(
        LeakRateMethod, default=LeakRateMethod.ANNUALIZING
    )

    customer: Mapped[Customer] = relationship(back_populates="properties")
    units: Mapped[list["Unit"]] = relationship(back_populates="property", order_by="Unit.name")  # noqa: F821

    @property
    def address(self) -> str:
        street = ", ".join(part for part in (self.address_line1, self.address_line2) if part)
        return f"{street}, {self.city}, {self.state} {self.postal_code}"

    def __str__(self) -> str:
        return f"{self.name} ({self.address_line1}, {self.city})"
