"""Two-factor sign-in for staff: an authenticator app (TOTP, RFC 6238) and ten single-use
recovery codes, stored as SHA-256 hashes (they are random, so a fast hash is enough)."""

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage
from sqlalchemy import delete, func, select, update

from app.extensions import db
from app.models import RecoveryCode, StaffUser
from app.models.base import utcnow
from app.models.enums import StaffRole, TwoFactorPolicy
from app.services.audit import record
from app.services.company import current_company
from app.services.sign_ins import end_all_sign_ins

RECOVERY_CODE_COUNT = 10
# A code from the step before or after the current one is accepted (clocks drift).
DRIFT_STEPS = 1
_NOT_CODE = re.compile(r"[\s-]")


def two_factor_required(user: StaffUser) -> bool:
    """Whether the company's setting makes this staff member use a second factor."""
    policy = current_company().two_factor_required or TwoFactorPolicy.NOBODY
    if policy == TwoFactorPolicy.EVERYONE:
        return True
    managing = user.role in (StaffRole.ADMIN, StaffRole.MANAGER)
    return policy == TwoFactorPolicy.ADMINS_AND_MANAGERS and managing


def start_enrolment(user: StaffUser) -> None:
    """Give `user` a new secret to scan, unless one is already waiting to be confirmed."""
    if user.totp_secret is None or user.two_factor_enabled:
        user.totp_secret = pyotp.random_base32()
        user.two_factor_enabled_at = None
        user.last_totp_step = None
        db.session.flush()


def enrolment_qr(user: StaffUser) -> Markup:
    """The secret as an otpauth:// QR code, an inline SVG for the enrolment page."""
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=current_company().name
    )
    svg = qrcode.make(uri, image_factory=SvgPathImage, box_size=8).to_string(encoding="unicode")
    return Markup(svg)  # noqa: S704  (drawn by qrcode from our own data)


def _accept_totp(user: StaffUser, code: str) -> bool:
    """Whether `code` is the app's code for now (give or take a step) and newer than the last
    one used: a code works once."""
    if not user.totp_secret or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = int(time.time()) // totp.interval
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        fresh = user.last_totp_step is None or step > user.last_totp_step
        if fresh and hmac.compare_digest(totp.at(step * totp.interval), code):
            user.last_totp_step = step
            return True
    return False


def confirm_enrolment(user: StaffUser, code: str, *, actor) -> list[str] | None:
    """Turn two-factor sign-in on once the app shows a right code; returns the new recovery
    codes (to show once), or None when the code is wrong."""
    if not _accept_totp(user, _NOT_CODE.sub("", code)):
        return None
    user.two_factor_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    record("two_factor_enabled", user, actor=actor)
    return codes


def _hash(code: str) -> str:
    return hashlib.sha256(_NOT_CODE.sub("", code).lower().encode()).hexdigest()


def _new_recovery_codes(user: StaffUser) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(staff_user_id=user.id, code_hash=_hash(c)) for c in codes)
    db.session.flush()
    return codes


def verify_second_factor(user: StaffUser, code: str, *, ip_address: str) -> bool:
    """Whether `code` is a fresh authenticator code or an unused recovery code (used up now)."""
    code = _NOT_CODE.sub("", code)
    if _accept_totp(user, code):
        return True
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.staff_user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        return False
    record("recovery_code_used", user, actor=user, ip_address=ip_address)
    return True


def recovery_codes_left(user: StaffUser) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.staff_user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def reset_two_factor(user: StaffUser, *, actor) -> None:
    """An admin's answer to a lost phone: the second factor and recovery codes are gone, every
    sign-in ends, and the next sign-in enrols again (when the company requires it)."""
    user.totp_secret = None
    user.two_factor_enabled_at = None
    user.last_totp_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
    end_all_sign_ins(user)
    record("two_factor_reset", user, actor=actor)
