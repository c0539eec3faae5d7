"""What keeps people signed in, kept on the server: one row per sign-in (per device), the
failed-attempt ledger behind the staff sign-in's per-account delays, and staff recovery codes."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime
from app.models.people import PortalUser, StaffUser


class SignIn(TimestampMixin, db.Model):
    """One sign-in of one person on one device. The session cookie names it by a random token
    (stored here only as its SHA-256); ending the row signs out every copy of that cookie.

    `started_at` is when the current session began (the absolute limit counts from it); a
    staff "keep me signed in" token starts a new session on the same row when the old one ran
    out, until `remember_expires_at`.
    """

    __tablename__ = "sign_ins"
    __table_args__ = (
        CheckConstraint(
            "(staff_user_id IS NULL) <> (portal_user_id IS NULL)", name="one_kind_of_user"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    portal_user_id: Mapped[int | None] = mapped_column(ForeignKey("portal_users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    remember_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    remember_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ip_address: Mapped[str] = mapped_column(String(45), default="")

    staff_user: Mapped[StaffUser | None] = relationship()
    portal_user: Mapped[PortalUser | None] = relationship()


class LoginThrottle(db.Model):
    """Failed staff sign-ins per e-mail address typed (known or not, hashed), so guesses from
    many addresses at one account meet growing delays, and the answer never tells whether the
    account exists."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app (SHA-256 of it only)."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
