"""Creating staff accounts with the password rules every entry point shares."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import StaffUser
from app.models.enums import StaffRole
from app.services.sign_ins import end_all_sign_ins

# Changing any of these (or the password) signs the staff member out everywhere.
SESSION_ENDING_CHANGES = frozenset({"email", "role", "active"})

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


def staff_account_changed(user: StaffUser, changes: dict, *, password_changed: bool) -> int:
    """After the office edits a staff account (`changes` as from changes_of): a new password,
    e-mail address, role or a disabled account ends every sign-in; returns how many ended."""
    if password_changed or SESSION_ENDING_CHANGES & changes.keys():
        return end_all_sign_ins(user)
    return 0
