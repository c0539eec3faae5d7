"""Creating staff accounts with the password rules every entry point shares."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import StaffUser
from app.models.enums import StaffRole

MIN_PASSWORD_LENGTH = 10


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")


def create_staff(*, email: str, name: str, role: StaffRole, password: str) -> StaffUser:
    """A new staff user with a hashed password.

    ValueError when the e-mail is taken or the password is too weak.
    """
    email = email.strip().lower()
    if db.session.scalar(select(StaffUser.id).where(func.lower(StaffUser.email) == email)):
        raise ValueError(f"There is already a staff account for {email}.")
    validate_password(password)
    user = StaffUser(email=email, name=name.strip(), role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
