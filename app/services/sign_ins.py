"""Sign-ins kept on the server: starting one, finding the live one behind a session cookie,
renewing a staff session from its "keep me signed in" token, and ending them.

The cookie carries a random token; only its SHA-256 is stored. Ending the row (sign-out,
"sign out everywhere", a password, role or e-mail change, deactivation) signs out every copy
of that cookie on its next request, and kills the remember token with it.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Customer, PortalUser, SignIn, StaffUser
from app.models.base import utcnow
from app.services.audit import record


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Lifetimes:
    """How long a session may sit unused (idle) and last at all (absolute)."""

    idle: timedelta
    absolute: timedelta


def lifetimes_for(user: StaffUser | PortalUser) -> Lifetimes:
    config = current_app.config
    if user.is_staff:
        return Lifetimes(
            idle=timedelta(hours=config["STAFF_SESSION_IDLE_HOURS"]),
            absolute=timedelta(hours=config["STAFF_SESSION_MAX_HOURS"]),
        )
    return Lifetimes(
        idle=timedelta(days=config["PORTAL_SESSION_IDLE_DAYS"]),
        absolute=timedelta(days=config["PORTAL_SESSION_MAX_DAYS"]),
    )


def _owner_filter(user: StaffUser | PortalUser):
    if user.is_staff:
        return SignIn.staff_user_id == user.id
    return SignIn.portal_user_id == user.id


@dataclass(frozen=True)
class Started:
    """A new session: its row and the raw tokens for the cookies (shown once, never stored)."""

    sign_in: SignIn
    session_token: str
    remember_token: str | None = None


def start_sign_in(
    user: StaffUser | PortalUser, *, remember: bool = False, ip_address: str = ""
) -> Started:
    """A new sign-in row for `user` on this device; `remember` (staff only) also issues a
    token that may start new sessions for STAFF_REMEMBER_DAYS."""
    session_token, now = secrets.token_urlsafe(32), utcnow()
    sign_in = SignIn(token_hash=token_hash(session_token), started_at=now, ip_address=ip_address)
    if user.is_staff:
        sign_in.staff_user = user
    else:
        sign_in.portal_user = user
    remember_token = None
    if remember and user.is_staff:
        remember_token = secrets.token_urlsafe(32)
        sign_in.remember_hash = token_hash(remember_token)
        sign_in.remember_expires_at = now + timedelta(
            days=current_app.config["STAFF_REMEMBER_DAYS"]
        )
    db.session.add(sign_in)
    db.session.flush()
    return Started(sign_in, session_token, remember_token)


def live_sign_in(user: StaffUser | PortalUser, session_token: str | None) -> SignIn | None:
    """The open sign-in of `user` behind `session_token`, or None when it was ended, belongs to
    someone else or has lasted longer than the absolute limit."""
    if not session_token:
        return None
    sign_in = db.session.scalar(
        select(SignIn).where(SignIn.token_hash == token_hash(session_token), _owner_filter(user))
    )
    if sign_in is None or not _is_open(sign_in.started_at, sign_in.ended_at, user):
        return None
    return sign_in


# What every page of a signed-in user shows besides the user: a portal user's customer, with
# the count behind the portal's "Messages" badge.
LOADED_WITH_USER = {
    PortalUser: (joinedload(PortalUser.customer).undefer(Customer.unread_from_office),),
}


@cache
def _user_and_sign_in(model: type[StaffUser] | type[PortalUser]) -> Select:
    """The statement of `signed_in_user`, built once: every request runs it, and building it
    (the joined customer's options above all) cost as much as running it."""
    owner = SignIn.staff_user_id if model.is_staff else SignIn.portal_user_id
    return (
        select(model, SignIn.started_at, SignIn.ended_at)
        .join(SignIn, owner == model.id)
        .where(model.id == bindparam("user_id"), SignIn.token_hash == bindparam("token_hash"))
        .options(*LOADED_WITH_USER.get(model, ()))
    )


def signed_in_user(
    model: type[StaffUser] | type[PortalUser], user_id: int, session_token: str | None
) -> StaffUser | PortalUser | None:
    """The user `user_id` of `model`, read in one query together with their sign-in behind
    `session_token`; None when there is no such user, or the sign-in was ended, belongs to
    someone else or has lasted longer than the absolute limit."""
    if not session_token:
        return None
    row = db.session.execute(
        _user_and_sign_in(model),
        {"user_id": user_id, "token_hash": token_hash(session_token)},
    ).first()
    if row is None or not _is_open(row.started_at, row.ended_at, row[0]):
        return None
    return row[0]


def _is_open(started_at: datetime, ended_at: datetime | None, user: StaffUser | PortalUser) -> bool:
    if ended_at is not None:
        return False
    return started_at + lifetimes_for(user).absolute > utcnow()


def renew_remembered(remember_token: str) -> Started | None:
    """Start a new session on the staff sign-in behind `remember_token`, replacing the token
    (each one works once); None when it is unknown, used, ended, expired or its user disabled."""
    now = utcnow()
    sign_in = db.session.scalar(
        select(SignIn).where(SignIn.remember_hash == token_hash(remember_token))
    )
    if (
        sign_in is None
        or sign_in.ended_at is not None
        or sign_in.staff_user is None
        or not sign_in.staff_user.is_active
        or sign_in.remember_expires_at <= now
    ):
        return None
    session_token, new_remember = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    renewed = db.session.execute(
        update(SignIn)
        .where(SignIn.id == sign_in.id, SignIn.remember_hash == sign_in.remember_hash)
        .values(
            remember_hash=token_hash(new_remember),
            token_hash=token_hash(session_token),
            started_at=now,
        )
    )
    if renewed.rowcount != 1:
        return None
    db.session.refresh(sign_in)
    return Started(sign_in, session_token, new_remember)


def end_sign_in(sign_in: SignIn) -> None:
    """Sign out this one device: its session and its remember token stop working."""
    if sign_in.ended_at is None:
        sign_in.ended_at = utcnow()
        db.session.flush()


def end_all_sign_ins(user: StaffUser | PortalUser) -> int:
    """End every open sign-in of `user`; returns how many there were."""
    ended = db.session.execute(
        update(SignIn)
        .where(_owner_filter(user), SignIn.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return ended.rowcount


def sign_out_everywhere(user: StaffUser | PortalUser, *, actor) -> int:
    """ "Sign out everywhere" (by the user or the office), recorded in the audit trail."""
    count = end_all_sign_ins(user)
    record("signed_out_everywhere", user, actor=actor, changes={"sessions_ended": count})
    return count
