"""Findings: what a technician recommends on site, as a draft quote.

A finding says what needs doing and why, with photos, and offers one price-book item or two
or three of them as good / better / best alternatives (the customer picks one). It becomes a
draft quote for the customer of the job, marked as found on that job and recommended by the
technician; the office sends it, or the technician sends it there and then. The customer sees
it in the portal, photos and all, and approves it with the quote's own flow.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import FieldError
from app.extensions import db
from app.models import PriceBookItem, Quote, QuoteLine, WorkOrder, WorkOrderPhoto
from app.models.enums import QuoteStatus
from app.services.audit import record
from app.services.billing import recalculate_totals
from app.services.company import current_company, local_today
from app.services.quotes import send_quote
from app.storage import UploadRejected, save_image

MAX_OPTIONS = 3
MAX_PHOTOS = 6
# A recommendation stays open this long for the customer to decide.
VALID_DAYS = 30


class FindingError(FieldError):
    """A finding that cannot be recorded; `field` names the form field it is about."""


@dataclass(frozen=True)
class Finding:
    """What the Recommend form posts: `item_ids` in order, good first; `photos` are uploads."""

    what: str
    why: str
    item_ids: tuple[int, ...]
    photos: tuple = field(default=())


def _items(ids: tuple[int, ...]) -> list[PriceBookItem]:
    """The chosen price-book items on offer, in the order chosen; FindingError otherwise."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        raise FindingError(_("Choose at least one item from the price book."), field="items")
    if len(wanted) > MAX_OPTIONS:
        raise FindingError(_("Offer at most three options."), field="items")
    found = {
        item.id: item
        for item in db.session.scalars(
            select(PriceBookItem).where(PriceBookItem.id.in_(wanted), PriceBookItem.active)
        )
    }
    if len(found) != len(wanted):
        raise FindingError(
            _("One of the items is no longer in the price book; choose another."), field="items"
        )
    return [found[i] for i in wanted]


def recommend(work_order: WorkOrder, finding: Finding, *, actor, send_now: bool = False) -> Quote:
    """Record the finding as a draft quote for the job's customer, its photos on the job;
    with `send_now` the customer's portal users are e-mailed it at once."""
    what, why = " ".join(finding.what.split()), finding.why.strip()
    if not what:
        raise FindingError(_("Say what needs doing."), field="what")
    if len(what) > 200:
        raise FindingError(_("Keep it under 200 characters; say more under Why."), field="what")
    if len(why) > 4000:
        raise FindingError(_("Please keep the reason under 4,000 characters."), field="why")
    uploads = [photo for photo in finding.photos if photo and photo.filename]
    if len(uploads) > MAX_PHOTOS:
        raise FindingError(_("Add at most six photos."), field="photos")
    items = _items(finding.item_ids)
    group = what[:60] if len(items) > 1 else ""
    quote = Quote(
        customer_id=work_order.customer_id,
        property_id=work_order.property_id,
        unit_id=work_order.unit_id,
        status=QuoteStatus.DRAFT,
        title=what,
        notes=why,
        currency=current_company().currency,
        valid_until=local_today() + timedelta(days=VALID_DAYS),
        found_on=work_order,
        recommended_by=actor,
        lines=[
            QuoteLine(
                position=position,
                kind=item.kind,
                description=item.description,
                quantity=1,
                unit_price_cents=item.price_cents,
                taxable=item.taxable,
                option_group=group,
            )
            for position, item in enumerate(items, start=1)
        ],
    )
    recalculate_totals(quote)
    db.session.add(quote)
    for upload in uploads:
        try:
            stored = save_image(upload, folder="work-order-photos")
        except UploadRejected as error:
            raise FindingError(str(error), field="photos") from None
        db.session.add(
            WorkOrderPhoto(
                work_order=work_order, quote=quote, uploaded_by=actor, caption=what[:200],
                **stored.fields(),
            )
        )  # fmt: skip
    db.session.flush()
    record("finding_recommended", quote, actor=actor, changes={"work_order": work_order.number})
    if send_now:
        send_quote(quote, actor=actor)
    return quote
