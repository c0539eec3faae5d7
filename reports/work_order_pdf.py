"""A work order's signed copy as a PDF: the priced body every billing PDF has (reports.
billing_pdf: brand header, customer, property and unit, the lines, totals and the notes meant
for the customer), then the photos, the refrigerant work recorded, and the customer's
signature with its audit block (who, when, where, the fingerprint of what was signed).

Pure: plain data in, every word already in the reader's language; PDF bytes out.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import inch
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table
from reportlab.platypus.flowables import Flowable

from app import pdf_kit as kit
from reports.billing_pdf import GRID, SIGNATURE_BOX, WIDTH, Builder, PricedDocument

PHOTO_BOX = (3.3 * inch, 2.6 * inch)


@dataclass(frozen=True)
class Photo:
    data: bytes  # PNG or JPEG
    caption: str


@dataclass(frozen=True)
class SignOff:
    """How the work order was signed off: the signature (or why there is none) and its record."""

    heading: str  # "Customer sign-off"
    statement: str  # what signing confirmed, or "The customer was not present: <reason>"
    image: bytes | None  # the drawn signature (PNG); None for a typed name or nobody present
    signer: str  # "" when nobody signed
    caption: str  # "Signed by Ana Rivera on Monday, ..."
    audit_heading: str
    audit: tuple[tuple[str, str], ...]  # (label, value): who, how, when, where, taken by
    hash_label: str
    content_sha256: str
    hash_note: str


@dataclass(frozen=True)
class WorkOrderCopy:
    """What the signed copy adds to the priced body."""

    photos_heading: str
    photos: tuple[Photo, ...]
    refrigerant_heading: str
    # The header row, then one row per refrigerant event (all cells already words).
    refrigerant: tuple[tuple[str, ...], ...]
    sign_off: SignOff


def signed_work_order_pdf(body: PricedDocument, copy: WorkOrderCopy) -> bytes:
    """The work order as the customer signed it off."""
    builder = Builder(body)
    story = builder.body()
    story += _photos(builder, copy) + _refrigerant(builder, copy) + _sign_off(builder, copy)
    return builder.build(story)


def _photos(builder: Builder, copy: WorkOrderCopy) -> list[Flowable]:
    cells = []
    for photo in copy.photos:
        picture = kit.fit_image(photo.data, PHOTO_BOX)
        if picture is not None:
            cells.append([picture, builder.para(photo.caption, builder.styles.small)])
    if not cells:
        return []
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    rows[-1] += [""] * (2 - len(rows[-1]))
    table = Table(rows, colWidths=[WIDTH / 2] * 2, hAlign="LEFT")
    return [Paragraph(escape(copy.photos_heading), builder.styles.h2), table]


def _refrigerant(builder: Builder, copy: WorkOrderCopy) -> list[Flowable]:
    if len(copy.refrigerant) < 2:
        return []
    small = builder.styles.small
    rows = [[builder.para(cell, small) for cell in row] for row in copy.refrigerant]
    widths = [1.9 * inch, 1.1 * inch, 1.2 * inch, 1.2 * inch, WIDTH - 5.4 * inch]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID)
    return [Paragraph(escape(copy.refrigerant_heading), builder.styles.h2), table]


def _sign_off(builder: Builder, copy: WorkOrderCopy) -> list[Flowable]:
    record, s = copy.sign_off, builder.styles
    mark = kit.fit_image(record.image, SIGNATURE_BOX)
    if mark is None and record.signer:
        mark = builder.para(record.signer, s.typed)
    signature = [Paragraph(escape(record.heading), s.h2), builder.para(record.statement, s.small)]
    if mark is not None:
        signature += [Spacer(1, 6), mark]
    signature.append(builder.para(record.caption))
    audit = [*record.audit, (record.hash_label, Paragraph(escape(record.content_sha256), s.mono))]
    return [
        Spacer(1, 14),
        KeepTogether(signature),
        Spacer(1, 10),
        KeepTogether(
            [
                Paragraph(escape(record.audit_heading), s.h2),
                builder.facts_table(audit),
                Spacer(1, 4),
                builder.para(record.hash_note, s.muted),
            ]
        ),
    ]
