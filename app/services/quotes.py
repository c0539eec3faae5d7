"""Quotes: what the customer is shown, the options they choose, and their decision.

A quote's lines are required, add-ons (`optional`) or alternatives (lines sharing an
`option_group`, of which the customer picks exactly one). `quote_content` is the quote exactly
as the portal shows it, and its SHA-256 is what an approval signs: a quote edited after the
customer opened it no longer matches, and they are asked to reload it.

A decision changes the status with one conditional UPDATE (`WHERE status = 'sent'`), so of two
approvals at the same moment only one wins, on PostgreSQL and on SQLite alike, and a quote
never starts two work orders. Everything else a decision writes follows that UPDATE.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.formatting import local_datetime, money, rate
from app.ids import record_id
from app.jobs import enqueue
from app.mail import queue_mail
from app.mail_content import render_branded
from app.models import Quote, QuoteLine, WorkOrder, WorkOrderLine
from app.models.base import utcnow
from app.models.billing import Totals, priced
from app.models.enums import QuoteStatus, SignatureMethod, WorkOrderStatus
from app.services.audit import record
from app.services.billing import line_content, recalculate_totals
from app.services.company import current_company, local_today, office_address
from app.services.portal_access import active_portal_users, mail_portal_users
from app.services.quote_errors import QuoteChanged, QuoteDecided, QuoteError, QuoteExpired
from app.services.signatures import clean_signature
from app.storage import StorageUnavailable, save_bytes
from app.urls import public_url

CONSENT_TEXT = _l(
    "I approve this quote with the options I chose, and I agree that my typed name and my "
    "signature are my electronic signature."
)
SIGNED_QUOTE_JOB = "signed_quote"
SIGNER_MAX_LENGTH = 120
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Selection:
    """A priced choice of a quote's lines (in position order)."""

    lines: tuple[QuoteLine, ...]
    totals: Totals

    @property
    def line_ids(self) -> list[int]:
        return [line.id for line in self.lines]


@dataclass(frozen=True)
class Approval:
    """What the customer sent with "Approve": `signature_png` is None for a typed signature."""

    signer_name: str
    signature_png: bytes | None
    consent: bool
    chosen_ids: tuple
    shown_hash: str
    client_address: str = ""
    user_agent: str = ""


# What the customer sees and chooses


def _tax_rate() -> Decimal:
    return current_company().tax_rate_percent or Decimal(0)


def preselection(quote: Quote) -> Selection:
    """The lines offered unless the customer chooses otherwise, priced (the stored totals)."""
    lines = quote.preselected_lines()
    return Selection(tuple(lines), priced(lines, _tax_rate()))


def select_lines(quote: Quote, chosen_ids: Iterable) -> Selection:
    """The customer's choice priced: every required line, exactly one alternative of each
    group and any add-ons, all from this quote; QuoteError when the choice is not possible."""
    ids = set()
    for value in chosen_ids:
        number = record_id(value)
        if number is None:
            raise QuoteError(_("We could not read your choices. Please choose again."))
        ids.add(number)
    lines = quote.ordered_lines()
    if ids - {line.id for line in lines}:
        raise QuoteError(
            _("One of the options you chose is not on this quote. Please choose again.")
        )
    for group, alternatives in quote.option_groups().items():
        picked = [line for line in alternatives if line.id in ids]
        if not picked:
            raise QuoteError(_("Choose one of the options for “%(group)s”.", group=group))
        if len(picked) > 1:
            raise QuoteError(_("Choose only one of the options for “%(group)s”.", group=group))
    chosen = [line for line in lines if line.is_required or line.id in ids]
    return Selection(tuple(chosen), priced(chosen, _tax_rate()))


def approved_selection(quote: Quote) -> Selection:
    """The lines and totals an approved quote was signed for (an approval recorded without
    its choices, by the office, stands for the preselected configuration)."""
    if quote.chosen_line_ids is None:
        return preselection(quote)
    chosen = set(quote.chosen_line_ids)
    lines = [line for line in quote.ordered_lines() if line.id in chosen]
    totals = Totals(
        quote.approved_subtotal_cents or 0,
        quote.approved_tax_cents or 0,
        quote.approved_total_cents or 0,
    )
    return Selection(tuple(lines), totals)


def quote_content(quote: Quote) -> str:
    """The quote exactly as the portal shows it, as canonical JSON (sorted keys, no spaces)."""
    company = current_company()
    totals = preselection(quote).totals
    content = {
        "company": company.name,
        "number": quote.number,
        "title": quote.title,
        "notes": quote.notes,
        "valid_until": quote.valid_until.isoformat() if quote.valid_until else None,
        "currency": quote.currency,
        "tax_rate_percent": rate(company.tax_rate_percent),
        "lines": [
            {**line_content(line), "optional": bool(line.optional), "group": line.option_group}
            for line in quote.ordered_lines()
        ],
        "totals": {
            "subtotal_cents": totals.subtotal_cents,
            "tax_cents": totals.tax_cents,
            "total_cents": totals.total_cents,
        },
    }
    if quote.photos:  # a technician's finding shows why
        content["photos"] = [{"id": p.id, "caption": p.caption} for p in quote.photos]
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(quote: Quote) -> str:
    """SHA-256 (hex) of `quote_content`: what an approval signs."""
    return hashlib.sha256(quote_content(quote).encode()).hexdigest()


def shown_status(quote: Quote) -> QuoteStatus:
    """The status the customer reads: a sent quote past its valid-until day is expired."""
    if quote.status == QuoteStatus.SENT and _past_validity(quote):
        return QuoteStatus.EXPIRED
    return quote.status


def _past_validity(quote: Quote) -> bool:
    return quote.valid_until is not None and quote.valid_until < local_today()


# The office's side


def tidy_options(quote: Quote) -> None:
    """Trim group names; QuoteError when a line is both an add-on and an alternative."""
    for line in quote.lines:
        line.option_group = (line.option_group or "").strip()
        if line.optional and line.option_group:
            raise QuoteError(
                _(
                    "“%(line)s” is both an add-on and an alternative in “%(group)s”: "
                    "choose one of the two.",
                    line=line.description,
                    group=line.option_group,
                )
            )


def send_quote(quote: Quote, *, actor) -> int:
    """Send a draft (or again a sent) quote: e-mail the customer's portal users a link to it.

    Returns how many people were e-mailed.
    """
    if quote.status not in (QuoteStatus.DRAFT, QuoteStatus.SENT):
        raise QuoteError(_("%(number)s has been decided and cannot be sent.", number=quote.number))
    if not quote.lines:
        raise QuoteError(_("Add at least one line to %(number)s first.", number=quote.number))
    if quote.property is None and quote.unit is None:
        raise QuoteError(
            _("Choose the property the work on %(number)s is for first.", number=quote.number)
        )
    if _past_validity(quote):
        raise QuoteError(
            _(
                "%(number)s is past its valid-until date; set a later one first.",
                number=quote.number,
            )
        )
    tidy_options(quote)
    recalculate_totals(quote)
    quote.status, quote.sent_at = QuoteStatus.SENT, utcnow()
    users = active_portal_users(quote.customer_id)
    link = public_url("portal.quote", quote_id=quote.id)
    company = current_company()
    mail_portal_users(
        users,
        _l("Your quote %(number)s from %(company)s", number=quote.number, company=company.name),
        "quote_sent",
        quote=quote,
        link=link,
    )
    db.session.flush()
    record("quote_sent", quote, actor=actor, changes={"emailed": [u.email for u in users]})
    return len(users)


# The customer's decision


def approve_quote(quote: Quote, approval: Approval, *, actor) -> WorkOrder:
    """Approve a sent quote with the customer's choice and signature, start its work order,
    tell the office, and have the signed PDF made for the customer's documents."""
    _check_open(quote)
    if approval.shown_hash != content_hash(quote):
        raise QuoteChanged(
            _(
                "This quote was changed after you opened it. "
                "Please reload it to see the current version."
            )
        )
    signer = " ".join(approval.signer_name.split())
    if not signer:
        raise QuoteError(_("Type your full name to sign."), field="signer_name")
    if len(signer) > SIGNER_MAX_LENGTH:
        raise QuoteError(_("That name is too long for the signature."), field="signer_name")
    if not approval.consent:
        raise QuoteError(_("Tick the box to agree before you approve."), field="consent")
    selection = select_lines(quote, approval.chosen_ids)
    drawn = clean_signature(approval.signature_png) if approval.signature_png else None
    place = quote.property or (quote.unit.property if quote.unit else None)
    if place is None:
        raise QuoteError(_("This quote cannot be approved online yet. Please call us."))

    now = _decide(quote, QuoteStatus.APPROVED)
    if drawn is not None:
        try:
            stored = save_bytes(
                drawn,
                folder="signatures",
                suffix=".png",
                filename=f"{quote.number}-signature.png",
                content_type="image/png",
            )
        except StorageUnavailable as error:
            raise QuoteError(str(error)) from error
        quote.signature_key = stored.key
    quote.signed_by = signer
    quote.signature_method = SignatureMethod.DRAWN if drawn else SignatureMethod.TYPED
    _keep_decider(quote, approval.client_address, approval.user_agent)
    quote.chosen_line_ids = selection.line_ids
    totals = selection.totals
    quote.approved_subtotal_cents = totals.subtotal_cents
    quote.approved_tax_cents = totals.tax_cents
    quote.approved_total_cents = totals.total_cents
    quote.content_sha256 = approval.shown_hash

    work_order = WorkOrder(
        customer_id=quote.customer_id,
        property=place,
        unit=quote.unit,
        status=WorkOrderStatus.NEW,
        summary=quote.title[:200],
        description=_(
            "Started by the approval of quote %(number)s, signed online by %(name)s on %(when)s.",
            number=quote.number,
            name=signer,
            when=local_datetime(now),
        ),
        lines=[
            WorkOrderLine(
                position=position,
                kind=line.kind,
                description=line.description,
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                taxable=line.taxable,
            )
            for position, line in enumerate(selection.lines, start=1)
        ],
    )
    db.session.add(work_order)
    db.session.flush()
    quote.work_order = work_order
    db.session.flush()
    record(
        "quote_approved",
        quote,
        actor=actor,
        ip_address=approval.client_address,
        changes={
            "chosen_line_ids": selection.line_ids,
            "approved_total_cents": totals.total_cents,
            "content_sha256": approval.shown_hash,
            "work_order": work_order.number,
        },
    )
    record("create", work_order, actor=actor, ip_address=approval.client_address)
    _tell_office(quote, approved=True)
    enqueue(SIGNED_QUOTE_JOB, quote_id=quote.id, locale=str(get_locale() or "en"))
    return work_order


def decline_quote(quote: Quote, reason: str, *, actor, client_address="", user_agent="") -> None:
    """Decline a sent quote with the customer's reason, and tell the office."""
    _check_open(quote)
    reason = (reason or "").strip()
    if not reason:
        raise QuoteError(_("Tell us why you are declining, so we can do better."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise QuoteError(_("Please keep the reason under 2,000 characters."), field="reason")
    _decide(quote, QuoteStatus.DECLINED)
    quote.decline_reason = reason
    _keep_decider(quote, client_address, user_agent)
    db.session.flush()
    record("quote_declined", quote, actor=actor, ip_address=client_address)
    _tell_office(quote, approved=False)


def _check_open(quote: Quote) -> None:
    """QuoteDecided unless the quote waits for a decision; a sent quote past its valid-until
    day is marked expired (the caller commits that) and QuoteExpired raised."""
    if quote.status != QuoteStatus.SENT:
        raise QuoteDecided(_status_message(quote.status))
    if _past_validity(quote):
        expired = db.session.execute(
            update(Quote)
            .where(Quote.id == quote.id, Quote.status == QuoteStatus.SENT)
            .values(status=QuoteStatus.EXPIRED)
            .execution_options(synchronize_session=False)
        )
        if expired.rowcount == 1:
            set_committed_value(quote, "status", QuoteStatus.EXPIRED)
        raise QuoteExpired(_status_message(QuoteStatus.EXPIRED))


def _decide(quote: Quote, status: QuoteStatus):
    """Move the quote from sent to `status`, only if it is still sent (one UPDATE, so two
    decisions at once cannot both win); QuoteDecided for the one that loses. Returns when."""
    now = utcnow()
    won = db.session.execute(
        update(Quote)
        .where(Quote.id == quote.id, Quote.status == QuoteStatus.SENT)
        .values(status=status, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:
        current = db.session.scalar(select(Quote.status).where(Quote.id == quote.id))
        raise QuoteDecided(_status_message(current))
    set_committed_value(quote, "status", status)
    set_committed_value(quote, "decided_at", now)
    return now


def _keep_decider(quote: Quote, client_address: str, user_agent: str) -> None:
    quote.decided_from = (client_address or "")[:45]
    quote.decided_user_agent = (user_agent or "")[:500]


def _status_message(status: QuoteStatus | None) -> str:
    if status == QuoteStatus.APPROVED:
        return _("This quote has already been approved.")
    if status == QuoteStatus.DECLINED:
        return _("This quote has already been declined.")
    if status == QuoteStatus.EXPIRED:
        return _("This quote has expired. Please contact us for an updated quote.")
    return _("This quote is not open for a decision.")


def _tell_office(quote: Quote, *, approved: bool) -> None:
    company = current_company()
    if not company.email:
        return
    if approved:
        subject = _(
            "Quote %(number)s approved by %(name)s (%(total)s)",
            number=quote.number,
            name=quote.signed_by,
            total=money(quote.approved_total_cents, quote.currency),
        )
    else:
        subject = _(
            "Quote %(number)s declined by %(customer)s",
            number=quote.number,
            customer=quote.customer.name,
        )
    queue_mail(
        office_address(),
        subject,
        *render_branded(
            "quote_decided",
            quote=quote,
            approved=approved,
            quote_link=public_url("quote.details_view", id=quote.id),
            work_order_link=(
                public_url("workorder.edit_view", id=quote.work_order.id)
                if quote.work_order
                else None
            ),
        ),
    )
