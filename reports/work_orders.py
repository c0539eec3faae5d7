"""A signed-off work order as the plain data reports.work_order_pdf draws, in the current
language. The lines, totals and notes come from the sign-off's own record of what the
customer was shown (not from the work order as it is now), so the copy is what was signed.
"""

import io
import json
from datetime import UTC
from decimal import Decimal

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from app.extensions import db
from app.formatting import local_datetime, rate_and_threshold, weekday_datetime, window
from app.labels import label
from app.models import RefrigerantEvent, WorkOrderPhoto, WorkOrderSignOff
from app.models.enums import LineKind, SignOffMethod
from app.services.company import to_local
from app.services.sign_off import CONSENT_TEXT
from app.storage import read_bytes
from reports import billing_pdf as pdf
from reports import work_order_pdf as copy_pdf
from reports.billing import (
    company_header,
    customer_lines,
    line_note,
    place_lines,
    tax_label,
    words,
)

PHOTO_SIDE = 900  # px: enough for a printed half page, small enough to e-mail


def signed_work_order(
    sign_off: WorkOrderSignOff,
) -> tuple[pdf.PricedDocument, copy_pdf.WorkOrderCopy]:
    """The work order as it was signed off, and what its signed copy adds."""
    shown = json.loads(sign_off.content)
    work_order = sign_off.work_order
    facts = [(_("Technician"), work_order.technician.name if work_order.technician else "")]
    if sign_off.visit is not None:
        facts.append((_("Visit"), window(sign_off.visit.arrival_start, sign_off.visit.arrival_end)))
    if work_order.completed_at:
        facts.append((_("Completed"), local_datetime(work_order.completed_at)))
    facts.append((_("Signed off"), local_datetime(sign_off.signed_at)))
    totals = shown["totals"]
    body = pdf.PricedDocument(
        company=company_header(),
        heading=_("Work order"),
        number=work_order.number,
        title=shown["summary"],
        facts=tuple(facts),
        customer=customer_lines(work_order.customer),
        place=place_lines(work_order.property, work_order.unit),
        lines=tuple(_line(item) for item in shown["lines"]),
        currency=shown["currency"],
        subtotal_cents=totals["subtotal_cents"],
        tax_cents=totals["tax_cents"],
        total_cents=totals["total_cents"],
        tax_label=tax_label(),
        notes="\n\n".join(note["body"] for note in shown["notes"]),
        words=words(),
    )
    return body, copy_pdf.WorkOrderCopy(
        photos_heading=_("Photos"),
        photos=tuple(_photos([photo["id"] for photo in shown["photos"]])),
        refrigerant_heading=_("Refrigerant"),
        refrigerant=_refrigerant(work_order.id),
        sign_off=_record(sign_off),
    )


def _line(item: dict) -> pdf.Line:
    return pdf.Line(
        description=item["description"],
        kind=label(LineKind(item["kind"])),
        quantity=Decimal(item["quantity"]),
        unit_price_cents=item["unit_price_cents"],
        amount_cents=item["amount_cents"],
        note=line_note("", item.get("taxable", True)),
    )


def _photos(ids: list[int]):
    photos = db.session.scalars(
        select(WorkOrderPhoto).where(WorkOrderPhoto.id.in_(ids)).order_by(WorkOrderPhoto.id)
    )
    for photo in photos:
        data = _smaller(photo.storage_key)
        if data is not None:
            yield copy_pdf.Photo(data, photo.caption)


def _smaller(key: str) -> bytes | None:
    """A photo as a JPEG at most PHOTO_SIDE px on its long side; None if it cannot be read."""
    try:
        with Image.open(io.BytesIO(read_bytes(key))) as image:
            image.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=82)
            return out.getvalue()
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return None


def _refrigerant(work_order_id: int) -> tuple[tuple[str, ...], ...]:
    """The refrigerant recorded on the work order: what was added or recovered, and the leak
    rate where one was worked out."""
    events = db.session.scalars(
        select(RefrigerantEvent)
        .where(RefrigerantEvent.work_order_id == work_order_id)
        .order_by(RefrigerantEvent.occurred_at, RefrigerantEvent.id)
    ).all()
    header = (_("Event"), _("Refrigerant"), _("Added (lb)"), _("Recovered (lb)"), _("Leak rate"))
    rows = [
        (
            f"{label(event.kind)} · {local_datetime(event.occurred_at)}",
            event.refrigerant_type,
            _pounds(event.pounds_added),
            _pounds(event.pounds_removed),
            rate_and_threshold(event),
        )
        for event in events
        if event.pounds_added or event.pounds_removed or event.leak_rate_percent is not None
    ]
    return (header, *rows) if rows else ()


def _pounds(amount: Decimal | None) -> str:
    return f"{Decimal(amount).normalize():f}" if amount else ""


def _record(sign_off: WorkOrderSignOff) -> copy_pdf.SignOff:
    signed_at = to_local(sign_off.signed_at)
    when = weekday_datetime(sign_off.signed_at)
    present = sign_off.method != SignOffMethod.NOT_PRESENT
    image = read_bytes(sign_off.signature_key) if sign_off.signature_key else None
    audit = [
        (_("Signed by"), sign_off.signer_name if present else _("Nobody: customer not present")),
        (_("Signature method"), label(sign_off.method)),
        (_("Signed at"), signed_at.strftime("%Y-%m-%d %H:%M:%S %Z")),
        (
            _("Signed at (UTC)"),
            sign_off.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        ),
        (_("Taken by"), sign_off.taken_by.name if sign_off.taken_by else ""),
    ]
    if sign_off.visit is not None:
        place = sign_off.work_order.property
        audit.append(
            (_("Place"), f"{place.address} · {local_datetime(sign_off.visit.arrival_start)}")
        )
    if not present:
        audit.append((_("Reason"), sign_off.reason))
    return copy_pdf.SignOff(
        heading=_("Customer sign-off"),
        statement=str(CONSENT_TEXT) if present else _("The customer was not present to sign."),
        image=image,
        signer=sign_off.signer_name,
        caption=(
            _("Signed by %(name)s on %(when)s.", name=sign_off.signer_name, when=when)
            if present
            else _("Customer not present: %(reason)s", reason=sign_off.reason)
        ),
        audit_heading=_("Signature record"),
        audit=tuple(audit),
        hash_label=_("SHA-256 of the summary as shown"),
        content_sha256=sign_off.content_sha256,
        hash_note=_(
            "The SHA-256 fingerprint is computed over the work order exactly as the sign-off "
            "screen showed it (company, number, work done, every line, the totals, the notes "
            "for the customer and the photos). Any later change gives a different fingerprint."
        ),
    )
