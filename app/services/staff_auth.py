"""Checking a staff member's password and recording the sign-in."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import StaffUser
from app.models.base import utcnow
from app.services.audit import record


def authenticate_staff(email: str, password: str, *, ip_address: str) -> StaffUser | None:
    """The active staff user with this e-mail and password, or None for any kind of failure.

    An unknown e-mail costs the same hashing work as a wrong password, so neither the answer
    nor its timing tells whether the address is on file.
    """
    user = db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    )
    if user is None:
        StaffUser.spend_password_check(password)
        return None
    if not user.check_password(password) or not user.is_active:
        record("login_failed", user, actor=None, ip_address=ip_address)
        return None
    user.last_login_at = utcnow()
    record("login", user, actor=user, ip_address=ip_address)
    return user
