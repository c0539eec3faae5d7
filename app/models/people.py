"""The people who sign in: office staff and customers' portal users."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.customers import Customer
from app.models.enums import StaffRole
from app.passwords import hash_password

STAFF_PHOTO_FOLDER = "team"


class StaffUser(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[StaffRole] = enum_column(StaffRole, index=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    # EPA Section 608 technician certification; copied onto every refrigerant event they log.
    epa_certification_number: Mapped[str] = mapped_column(String(40), default="")
    # A portrait customers see when this technician is on the way (optional).
    photo_key: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Two-factor sign-in (TOTP): the shared secret (kept while enrolling, before it is
    # confirmed), when it was confirmed, and the last time step used (a code works once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_totp_step: Mapped[int | None] = mapped_column()

    is_staff = True

    @property
    def photo_name(self) -> str | None:
        """The photo's name in its public address (/team/<photo>), or None without a photo."""
        return self.photo_key.removeprefix(f"{STAFF_PHOTO_FOLDER}/") if self.photo_key else None

    def get_id(self) -> str:
        return f"staff:{self.id}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def two_factor_enabled(self) -> bool:
        return self.two_factor_enabled_at is not None

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __str__(self) -> str:
        return self.name


class PortalUser(UserMixin, TimestampMixin, db.Model):
    """A person at a customer who signs into the portal; sees all of that customer's properties."""

    __tablename__ = "portal_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The language the portal last showed them (or staff chose); their e-mails are written in
    # it. None until known: then the default language.
    language: Mapped[str | None] = mapped_column(String(8))

    # Every portal page reads the customer (the menu shows Compliance to commercial ones):
    # loaded with the user, in the sign-in check's query, not by a query of its own.
    customer: Mapped[Customer] = relationship(back_populates="portal_users", lazy="joined")

    is_staff = False

    def get_id(self) -> str:
        return f"portal:{self.id}"

    @property
    def is_active(self) -> bool:
        return self.active

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
