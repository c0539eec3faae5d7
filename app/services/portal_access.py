"""Getting customers into the portal: invitations and e-mailed login links.

Links are single-use, expire, carry 256 random bits and are stored only as SHA-256 hashes.
Asking for a login link answers the same whether or not the address is on file.
"""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.errors import UserError
from app.extensions import db
from app.i18n import language_of, remember_language
from app.mail import queue_mail
from app.mail_content import Button, render_branded
from app.models import PortalLink, PortalUser
from app.models.base import utcnow
from app.models.enums import LinkPurpose
from app.services.audit import record
from app.services.sign_ins import end_all_sign_ins
from app.services.single_use import spend_once
from app.urls import public_url

LIFETIMES = {LinkPurpose.INVITE: timedelta(days=7), LinkPurpose.LOGIN: timedelta(minutes=15)}


EXPIRED = _l("This link has expired or was already used. Ask for a new one.")


class LinkError(UserError):
    """The link cannot be used; the message is safe to show to whoever opened it."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(user: PortalUser, purpose: LinkPurpose) -> str:
    token, now = secrets.token_urlsafe(32), utcnow()
    db.session.add(
        PortalLink(
            portal_user=user,
            purpose=purpose,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return token


def active_portal_users(customer_id: int) -> list[PortalUser]:
    """The customer's portal users who may sign in, oldest first: who hears of a new quote or
    invoice."""
    return list(
        db.session.scalars(
            select(PortalUser)
            .where(PortalUser.customer_id == customer_id, PortalUser.active)
            .order_by(PortalUser.id)
        )
    )


def mail_portal_user(
    user: PortalUser, subject, template: str, *, attachments=(), to: str | None = None, **context
) -> None:
    """Queue a branded e-mail to a portal user (or to `to`, an address that was theirs),
    written in their language whoever sends it (`subject` may be a lazy string: it is
    translated here)."""
    with force_locale(language_of(user)):
        queue_mail(
            to or user.email,
            str(subject),
            *render_branded(template, user=user, **context),
            attachments=attachments,
        )


def mail_portal_users(users, subject, template: str, **context) -> int:
    """`mail_portal_user` to each of `users`, each in their language; returns how many."""
    for user in users:
        mail_portal_user(user, subject, template, **context)
    return len(users)


def _mail_link(user: PortalUser, purpose: LinkPurpose, subject, template: str, label) -> None:
    """Mail `user` a new single-use link for `purpose`: a line in the text, a button labelled
    `label` in the HTML."""
    link = public_url("portal.open_link", token=_new_link(user, purpose))
    mail_portal_user(user, subject, template, link=link, button=Button(label, link))


def invite_portal_user(user: PortalUser, *, actor) -> None:
    """E-mail a portal user an invitation link (valid 7 days, single use)."""
    if not user.active:
        raise LinkError(_l("This portal user is disabled; enable them before inviting."))
    user.invited_at = utcnow()
    _mail_link(
        user,
        LinkPurpose.INVITE,
        _l("You are invited to your service portal"),
        "portal_invitation",
        _l("Open your portal"),
    )
    db.session.flush()
    record("portal_invited", user, actor=actor)


def request_login_link(email: str, *, ip_address: str) -> None:
    """E-mail a login link if `email` belongs to an active portal user; otherwise do nothing."""
    user = db.session.scalar(
        select(PortalUser).where(func.lower(PortalUser.email) == email.strip().lower())
    )
    if user is None or not user.active:
        return
    _mail_link(user, LinkPurpose.LOGIN, _l("Your sign-in link"), "portal_login_link", _l("Sign in"))
    db.session.flush()
    record("portal_link_requested", user, actor=None, ip_address=ip_address)


def find_link(token: str) -> PortalLink:
    """The usable link behind `token`; LinkError when it is unknown, used or expired."""
    link = db.session.scalar(select(PortalLink).where(PortalLink.token_hash == _hash(token)))
    if (
        link is None
        or link.used_at is not None
        or link.revoked_at is not None
        or link.expires_at <= utcnow()
    ):
        raise LinkError(EXPIRED)
    if not link.portal_user.active:
        raise LinkError(_l("This account is disabled. Please call the office."))
    return link


def redeem_link(token: str, *, ip_address: str, language: str) -> PortalUser:
    """Use up a link (exactly once, even with two clicks at the same moment) and return its user,
    who reads the portal in `language` from now on."""
    link = find_link(token)
    spend_once(PortalLink, link.id, LinkError(EXPIRED), used_from=ip_address)
    user = link.portal_user
    user.last_login_at = utcnow()
    remember_language(user, language)
    record("portal_login", user, actor=user, ip_address=ip_address)
    return user


def portal_user_changed(user: PortalUser, changes: dict, *, actor) -> None:
    """After the office edits a portal user (`changes` as from changes_of, before the flush).

    A new e-mail address or a disabled account ends every sign-in of theirs and kills every
    invitation and sign-in link still out; the old address is told it is no longer theirs.
    """
    old_email, new_email = changes.get("email", [None, None])
    moved = bool(old_email) and old_email.strip().lower() != (new_email or "").strip().lower()
    disabled = changes.get("active") == [True, False]
    if not (moved or disabled):
        return
    revoked = db.session.execute(
        update(PortalLink)
        .where(
            PortalLink.portal_user_id == user.id,
            PortalLink.used_at.is_(None),
            PortalLink.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    ).rowcount
    ended = end_all_sign_ins(user)
    if moved:
        mail_portal_user(
            user, _l("Your portal e-mail address was changed"), "portal_email_changed", to=old_email
        )
    record(
        "portal_access_reset",
        user,
        actor=actor,
        changes={"links_revoked": revoked, "sessions_ended": ended},
    )
