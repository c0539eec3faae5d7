"""Sticker tokens: finding what a scanned sticker belongs to, reissuing, revoking and binding."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import UserError
from app.extensions import db
from app.models import BlankSticker, Unit
from app.models.base import utcnow
from app.models.sticker_codes import new_label_code, new_qr_token
from app.services.audit import record
from qr.codes import normalize_label_code


class StickerError(UserError):
    """A sticker operation that cannot be done; the message is safe to show staff."""


def find_sticker(token: str) -> Unit | BlankSticker | None:
    """The unit a scanned token belongs to, or the still-unbound blank sticker, or None.

    A revoked or reissued token, or one that never existed, finds nothing.
    """
    token = token.strip().upper()
    if not token.isalnum() or len(token) > 32:
        return None
    unit = db.session.scalar(select(Unit).where(Unit.qr_token == token))
    if unit is not None:
        return unit
    return db.session.scalar(
        select(BlankSticker).where(
            BlankSticker.token == token, BlankSticker.bound_unit_id.is_(None)
        )
    )


def token_for_label_code(typed: str) -> str | None:
    """The sticker token for a label code typed from a damaged sticker, or None."""
    code = normalize_label_code(typed)
    if code is None:
        return None
    token = db.session.scalar(select(Unit.qr_token).where(Unit.label_code == code))
    if token:
        return token
    return db.session.scalar(
        select(BlankSticker.token).where(
            BlankSticker.label_code == code, BlankSticker.bound_unit_id.is_(None)
        )
    )


def reissue_sticker(unit: Unit, *, actor) -> None:
    """Give the unit a new token and label code; its old sticker stops working at once."""
    unit.qr_token, unit.label_code, unit.qr_token_issued_at = (
        new_qr_token(),
        new_label_code(),
        utcnow(),
    )
    record("sticker_reissued", unit, actor=actor)


def revoke_sticker(unit: Unit, *, actor) -> None:
    """Take the unit's sticker out of service without issuing a new one."""
    unit.qr_token = None
    unit.label_code = new_label_code()
    record("sticker_revoked", unit, actor=actor)


def bind_blank_sticker(blank: BlankSticker, unit: Unit, *, actor) -> None:
    """Put a blank sticker on `unit`: the unit takes its token and label code."""
    if blank.bound_unit_id is not None:
        raise StickerError(_l("This sticker is already on a unit."))
    unit.qr_token, unit.label_code, unit.qr_token_issued_at = (
        blank.token,
        blank.label_code,
        utcnow(),
    )
    blank.bound_unit, blank.bound_at = unit, utcnow()
    db.session.flush()
    record("sticker_bound", unit, actor=actor, summary=f"{unit} ← {blank.printed_label_code}")
