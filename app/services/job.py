"""What a technician records on the job page: lines (from the price book, priced by its rules in
app.services.price_book), notes and the time on site. Each function flushes and audits; the
view commits. A send from the page's outbox carries a key, kept with what it saves, so the same
send again (its answer lost on a weak signal) adds nothing."""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import UserError
from app.extensions import db
from app.models import (
    Invoice,
    InvoiceLine,
    JobPageSend,
    PriceBookItem,
    StaffUser,
    WorkOrder,
    WorkOrderLine,
    WorkOrderNote,
)
from app.models.enums import LineKind
from app.services.audit import record
from app.services.price_book import LineError, price_lines

MAX_QUANTITY = Decimal("100000")
MAX_NOTE = 4000


class JobError(UserError):
    """Something on the job page that cannot be saved as it is; the message says why."""


def add_line(
    work_order: WorkOrder,
    *,
    item: PriceBookItem | None,
    quantity: Decimal | None,
    description: str = "",
    kind: LineKind | None = None,
    price_cents: int | None = None,
    may_price: bool,
    actor: StaffUser,
) -> WorkOrderLine:
    """A new line at the end of the work order: from the price book item (its words, kind and
    price; a typed price only when `may_price`), or typed in freely where the company allows."""
    if quantity is None or not 0 < quantity <= MAX_QUANTITY:
        raise LineError(_("Enter a quantity greater than 0."))
    line = WorkOrderLine(
        price_book_item=item,
        description=description.strip()[:240],
        kind=kind or LineKind.LABOR,
        quantity=quantity,
        unit_price_cents=price_cents if may_price else None,
        position=max((line.position for line in work_order.lines), default=0) + 1,
    )
    work_order.lines.append(line)
    price_lines(work_order, may_price=may_price)
    db.session.flush()
    record("add_line", work_order, actor=actor, summary=f"{work_order.number}: {line.description}")
    return line


def remove_line(work_order: WorkOrder, line_id: int, *, actor: StaffUser) -> WorkOrderLine:
    """Take one of the work order's lines off it."""
    line = next((line for line in work_order.lines if line.id == line_id), None)
    if line is None:
        raise LineError(_("That line is no longer on this job."))
    billed_on = db.session.scalar(
        select(Invoice.number).join(InvoiceLine).where(InvoiceLine.work_order_line_id == line.id)
    )
    if billed_on:
        raise LineError(
            _("That line is billed on invoice %(number)s; it stays on the job.", number=billed_on)
        )
    work_order.lines.remove(line)
    db.session.flush()
    record(
        "remove_line", work_order, actor=actor, summary=f"{work_order.number}: {line.description}"
    )
    return line


def add_note(
    work_order: WorkOrder, body: str, *, visible_to_customer: bool, actor: StaffUser
) -> WorkOrderNote:
    """A note on the job, for the office only or for the customer to read too."""
    body = body.strip()
    if not body:
        raise JobError(_("Type the note first."))
    if len(body) > MAX_NOTE:
        raise JobError(_("Keep a note under %(n)s characters.", n=MAX_NOTE))
    note = WorkOrderNote(body=body, visible_to_customer=visible_to_customer, author=actor)
    work_order.notes.append(note)
    db.session.flush()
    record("add_note", note, actor=actor, summary=f"{work_order.number}: {body[:80]}")
    return note


def claim_send(work_order: WorkOrder, key: str) -> bool:
    """Keep the key of a send from the page's outbox before it is saved; False when that key
    was kept already (saved before). A send that overtakes its twin is refused by the unique
    key: the caller rolls back and answers as for one saved before. No key: a plain form."""
    if not key:
        return True
    key = key[:64]
    kept = select(JobPageSend.id).where(
        JobPageSend.work_order_id == work_order.id, JobPageSend.key == key
    )
    if db.session.scalar(kept) is not None:
        return False
    db.session.add(JobPageSend(work_order_id=work_order.id, key=key))
    db.session.flush()
    return True
