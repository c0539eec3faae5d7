"""The customer's sign-off on site: the summary they are shown, their signature on it, or the
technician's note that nobody was there to sign.

`summary_content` is the work order exactly as the sign-off screen shows it (work done, lines,
totals, the notes meant for the customer, the photos), as canonical JSON; a sign-off keeps it
and its SHA-256, as quote approvals do. When the work order no longer reads the same (a line
or a visible note changed), the sign-off is void: the screens say so, and it is taken again
(the void one stays on record, marked replaced). Each sign-off has its PDF made, filed and
e-mailed by a job (reports.work_order_job).
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import FieldError
from app.extensions import db
from app.formatting import rate
from app.i18n import LANGUAGES, language_of
from app.jobs import enqueue
from app.models import PortalUser, Visit, WorkOrder, WorkOrderSignOff
from app.models.base import utcnow
from app.models.billing import Totals, priced
from app.models.enums import SignOffMethod, VisitStatus
from app.services.audit import record
from app.services.billing import line_content
from app.services.company import company_currency, current_company
from app.services.signatures import clean_signature
from app.storage import StorageUnavailable, save_bytes

SIGNED_WORK_ORDER_JOB = "signed_work_order"
SIGNER_MAX_LENGTH = 120
REASON_MAX_LENGTH = 2000
CONSENT_TEXT = _l(
    "By signing, I confirm that the work above was done, and I agree that my typed name and my "
    "signature are my electronic signature."
)


class SignOffError(FieldError):
    """A sign-off that cannot be recorded; `field` names the form field it is about."""


@dataclass(frozen=True)
class Signing:
    """What the sign-off screen posts: `signature_png` is None for a typed-name signature."""

    signer_name: str
    signature_png: bytes | None
    shown_hash: str
    locale: str = "en"


# What the customer is shown


def visible_notes(work_order: WorkOrder) -> list:
    """The work order's notes meant for the customer (never the internal ones), oldest first."""
    return [note for note in work_order.notes if note.visible_to_customer]


def totals(work_order: WorkOrder) -> Totals:
    """The work order's lines priced at the company's tax rate."""
    return priced(work_order.lines, current_company().tax_rate_percent or Decimal(0))


def summary_content(work_order: WorkOrder) -> str:
    """The work order exactly as the sign-off screen shows it, as canonical JSON."""
    company = current_company()
    priced_total = totals(work_order)
    content = {
        "company": company.name,
        "number": work_order.number,
        "summary": work_order.summary,
        "description": work_order.description,
        "currency": company_currency(),
        "tax_rate_percent": rate(company.tax_rate_percent),
        "lines": [line_content(line) for line in work_order.lines],
        "totals": {
            "subtotal_cents": priced_total.subtotal_cents,
            "tax_cents": priced_total.tax_cents,
            "total_cents": priced_total.total_cents,
        },
        "notes": [{"id": note.id, "body": note.body} for note in visible_notes(work_order)],
        "photos": [{"id": photo.id, "caption": photo.caption} for photo in work_order.photos],
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def summary_hash(work_order: WorkOrder) -> str:
    """SHA-256 (hex) of `summary_content`: what a sign-off signs."""
    return hashlib.sha256(summary_content(work_order).encode()).hexdigest()


def customer_language(work_order: WorkOrder) -> str:
    """The language to show the customer: the one their portal users last read in (the first
    portal user who has one), else the company's default."""
    users = db.session.scalars(
        select(PortalUser)
        .where(PortalUser.customer_id == work_order.customer_id, PortalUser.active)
        .order_by(PortalUser.last_login_at.desc().nulls_last(), PortalUser.id)
    ).all()
    for user in users:
        if user.language in LANGUAGES:
            return user.language
    return language_of(users[0]) if users else "en"


# Where a sign-off stands


def latest_sign_off(work_order: WorkOrder) -> WorkOrderSignOff | None:
    """The sign-off that counts: the last one taken."""
    return work_order.sign_offs[-1] if work_order.sign_offs else None


def is_void(sign_off: WorkOrderSignOff) -> bool:
    """True when the work order no longer reads as it did when this sign-off was taken."""
    return sign_off.content_sha256 != summary_hash(sign_off.work_order)


@dataclass(frozen=True)
class SignOffState:
    """Where a work order's sign-off stands: the last one taken (if any) and whether it is void."""

    last: WorkOrderSignOff | None
    void: bool


def sign_off_state(work_order: WorkOrder) -> SignOffState:
    """The last sign-off of the work order and whether the work changed since."""
    last = latest_sign_off(work_order)
    return SignOffState(last, last is not None and is_void(last))


def needs_sign_off(work_order: WorkOrder) -> bool:
    """True when no sign-off was taken yet, or the last one is void."""
    last = latest_sign_off(work_order)
    return last is None or is_void(last)


# Taking it


def sign_work_order(work_order: WorkOrder, signing: Signing, *, actor) -> WorkOrderSignOff:
    """Record the customer's signature on the summary they were shown, and have the signed
    work order's PDF made, filed and e-mailed."""
    _check_shown(work_order, signing.shown_hash)
    signer = " ".join(signing.signer_name.split())
    if not signer:
        raise SignOffError(_("Type your full name to sign."), field="signer_name")
    if len(signer) > SIGNER_MAX_LENGTH:
        raise SignOffError(_("That name is too long for the signature."), field="signer_name")
    drawn = clean_signature(signing.signature_png) if signing.signature_png else None
    key = None
    if drawn is not None:
        try:
            key = save_bytes(
                drawn,
                folder="signatures",
                suffix=".png",
                filename=f"{work_order.number}-signature.png",
                content_type="image/png",
            ).key
        except StorageUnavailable as error:
            raise SignOffError(str(error)) from error
    method = SignOffMethod.DRAWN if drawn else SignOffMethod.TYPED
    return _take(work_order, method, actor, signing.locale, signer_name=signer, signature_key=key)


def record_not_present(
    work_order: WorkOrder, reason: str, shown_hash: str, *, actor, locale: str = "en"
) -> WorkOrderSignOff:
    """Record that nobody was there to sign, with the technician's reason; the work order's
    PDF is still made and sent, saying so."""
    _check_shown(work_order, shown_hash)
    reason = (reason or "").strip()
    if not reason:
        raise SignOffError(_("Say why the customer could not sign."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise SignOffError(_("Please keep the reason under 2,000 characters."), field="reason")
    return _take(work_order, SignOffMethod.NOT_PRESENT, actor, locale, reason=reason)


def _check_shown(work_order: WorkOrder, shown_hash: str) -> None:
    if not work_order.lines:
        raise SignOffError(_("Add what was done to the work order before asking for a signature."))
    if shown_hash != summary_hash(work_order):
        raise SignOffError(
            _(
                "The work order changed while this summary was open. "
                "Please look at it again before signing."
            )
        )


def _take(work_order: WorkOrder, method: SignOffMethod, actor, locale: str, **fields):
    now = utcnow()
    previous = latest_sign_off(work_order)
    if previous is not None and previous.replaced_at is None:
        previous.replaced_at = now
    sign_off = WorkOrderSignOff(
        work_order=work_order,
        visit=current_visit(work_order),
        method=method,
        content=summary_content(work_order),
        content_sha256=summary_hash(work_order),
        locale=locale if locale in LANGUAGES else "en",
        taken_by=actor,
        signed_at=now,
        **fields,
    )
    db.session.add(sign_off)
    if method != SignOffMethod.NOT_PRESENT:
        work_order.signed_off_by = sign_off.signer_name
        work_order.signed_off_at = now
        work_order.signature_key = sign_off.signature_key
    db.session.flush()
    record(
        "work_order_signed_off",
        work_order,
        actor=actor,
        changes={
            "method": method.value,
            "signer": sign_off.signer_name,
            "reason": sign_off.reason,
            "content_sha256": sign_off.content_sha256,
            "replaces": previous.id if previous else None,
        },
    )
    enqueue(SIGNED_WORK_ORDER_JOB, sign_off_id=sign_off.id)
    return sign_off


def current_visit(work_order: WorkOrder) -> Visit | None:
    """The visit a sign-off is taken on: the one on site, else the latest that has begun."""
    on_site = [visit for visit in work_order.visits if visit.status == VisitStatus.ON_SITE]
    if on_site:
        return on_site[-1]
    now = utcnow()
    begun = [visit for visit in work_order.visits if visit.arrival_start <= now]
    return begun[-1] if begun else None
