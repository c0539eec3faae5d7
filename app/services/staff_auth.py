"""Checking a staff member's password and recording the sign-in, with a per-account limit.

Failed sign-ins are counted per e-mail address typed (hashed), from any client: after
STAFF_LOGIN_FREE_ATTEMPTS in a row, each further failure makes that address wait, 1 minute
and doubling up to STAFF_LOGIN_MAX_DELAY_MINUTES. Unknown addresses are counted the same way,
so the answer never tells whether an account exists. The first pause is audited and e-mailed
to the account. The counter lives in the database, so every process and host shares it.
"""

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.mail import queue_mail
from app.mail_content import render_branded
from app.models import LoginThrottle, StaffUser
from app.models.base import utcnow
from app.passwords import spend_password_check
from app.services.audit import record

FIRST_DELAY = timedelta(minutes=1)
# A run of failures older than this is forgotten: the next failure starts a new count.
FORGET_AFTER = timedelta(days=1)


class AccountPaused(Exception):
    """Sign-in for this address is paused until `until` after repeated failures."""

    def __init__(self, until: datetime):
        super().__init__(f"paused until {until.isoformat()}")
        self.until = until


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _throttle(email: str, *, lock: bool = False) -> LoginThrottle | None:
    query = select(LoginThrottle).where(LoginThrottle.email_hash == _email_hash(email))
    return db.session.scalar(query.with_for_update() if lock else query)


def check_not_paused(email: str) -> None:
    """AccountPaused when sign-in for `email` is paused."""
    throttle = _throttle(email)
    if throttle is not None and throttle.locked_until and throttle.locked_until > utcnow():
        raise AccountPaused(throttle.locked_until)


def find_staff(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    )


def authenticate_staff(email: str, password: str, *, ip_address: str) -> StaffUser | None:
    """The active staff user with this e-mail and password, or None for any kind of failure;
    AccountPaused while the address has to wait (even with the right password).

    An unknown e-mail costs the same hashing work as a wrong password, so neither the answer
    nor its timing tells whether the address is on file.
    """
    check_not_paused(email)
    user = find_staff(email)
    if user is None:
        spend_password_check(password)
        note_failure(email, None, ip_address=ip_address)
        return None
    if not user.check_password(password) or not user.is_active:
        record("login_failed", user, actor=None, ip_address=ip_address)
        note_failure(email, user, ip_address=ip_address)
        return None
    return user


def record_sign_in(user: StaffUser, *, ip_address: str) -> None:
    """The staff member is in (password, and second factor when they have one)."""
    forget_failures(user.email)
    user.last_login_at = utcnow()
    record("login", user, actor=user, ip_address=ip_address)


def second_factor_failed(user: StaffUser, *, ip_address: str) -> None:
    """A wrong authenticator or recovery code after the right password: audited, and counted
    like a wrong password."""
    summary = f"{user}: wrong second-factor code"
    record("login_failed", user, actor=None, ip_address=ip_address, summary=summary)
    note_failure(user.email, user, ip_address=ip_address)


def forget_failures(email: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.email_hash == _email_hash(email)))


def _delay_after(failures: int) -> timedelta | None:
    config = current_app.config
    over = failures - config["STAFF_LOGIN_FREE_ATTEMPTS"]
    if over < 0:
        return None
    longest = timedelta(minutes=config["STAFF_LOGIN_MAX_DELAY_MINUTES"])
    return min(FIRST_DELAY * 2 ** min(over, 20), longest)


def note_failure(email: str, user: StaffUser | None, *, ip_address: str) -> None:
    """Count a failed sign-in (password or second factor) for `email`, pausing it when the run
    is long enough; the first pause is audited and e-mailed to the account."""
    now = utcnow()
    throttle = _throttle(email, lock=True)
    if throttle is None:
        try:
            with db.session.begin_nested():
                throttle = LoginThrottle(email_hash=_email_hash(email), last_failure_at=now)
                db.session.add(throttle)
        except IntegrityError:  # another request counted the first failure at the same moment
            throttle = _throttle(email, lock=True)
    if throttle.last_failure_at < now - FORGET_AFTER:
        throttle.failures = 0
    throttle.failures = (throttle.failures or 0) + 1
    throttle.last_failure_at = now
    delay = _delay_after(throttle.failures)
    throttle.locked_until = now + delay if delay else None
    db.session.flush()
    if delay == FIRST_DELAY and user is not None:
        record(
            "login_paused",
            user,
            actor=None,
            ip_address=ip_address,
            changes={"failures": throttle.failures},
        )
        queue_mail(
            user.email,
            str(_l("Failed sign-ins to your account")),
            *render_branded("staff_sign_in_paused", user=user, failures=throttle.failures),
        )
