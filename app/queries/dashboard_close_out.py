"""The office dashboard's view of jobs closed out on site: work orders waiting for the office's
review, sign-offs taken today, completed jobs left without a valid signature (and why), and the
invoices drafted from jobs that nobody has issued yet."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Invoice, WorkOrder, WorkOrderLine, WorkOrderSignOff
from app.models.base import utcnow
from app.models.enums import InvoiceStatus, SignOffMethod, WorkOrderStatus
from app.queries.close_out import invoiced_line_ids
from app.queries.dashboard import LIST_LIMIT, day_bounds_utc
from app.queries.sections import Section, section
from app.services.sign_off import is_void, latest_sign_off

# How far back completed jobs are checked for a missing signature.
UNSIGNED_DAYS = 7
# At most this many recent completed jobs are checked (a voided signature is found by reading
# the work order again, which SQL cannot do).
UNSIGNED_CHECKED = 200


@dataclass(frozen=True)
class Unsigned:
    """A completed job without a valid signature, and why."""

    work_order: WorkOrder
    reason: str


def _draft_invoice_of(work_order_id) -> exists:
    return exists().where(
        Invoice.work_order_id == work_order_id, Invoice.status == InvoiceStatus.DRAFT
    )


def _lines_not_invoiced(work_order_id) -> exists:
    return exists().where(
        WorkOrderLine.work_order_id == work_order_id,
        WorkOrderLine.id.not_in(invoiced_line_ids()),
    )


def waiting_for_review() -> Section:
    """Completed work orders the office still has to bill: a drafted invoice to issue, or
    lines no invoice has taken."""
    statement = (
        select(WorkOrder)
        .where(
            WorkOrder.status == WorkOrderStatus.COMPLETED,
            or_(_draft_invoice_of(WorkOrder.id), _lines_not_invoiced(WorkOrder.id)),
        )
        .order_by(WorkOrder.completed_at.desc(), WorkOrder.id.desc())
    )
    return section(statement, LIST_LIMIT, joinedload(WorkOrder.customer))


def signed_today(today: date) -> Section:
    """Signatures customers gave today (the ones still standing), newest first."""
    start, end = day_bounds_utc(today)
    statement = (
        select(WorkOrderSignOff)
        .where(
            WorkOrderSignOff.signed_at >= start,
            WorkOrderSignOff.signed_at < end,
            WorkOrderSignOff.method != SignOffMethod.NOT_PRESENT,
            WorkOrderSignOff.replaced_at.is_(None),
        )
        .order_by(WorkOrderSignOff.signed_at.desc(), WorkOrderSignOff.id.desc())
    )
    return section(
        statement,
        LIST_LIMIT,
        joinedload(WorkOrderSignOff.work_order).joinedload(WorkOrder.customer),
    )


def _why_unsigned(work_order: WorkOrder) -> str | None:
    last = latest_sign_off(work_order)
    if last is None:
        # A name the office recorded (from a paper copy) is a signature too.
        return None if work_order.signed_off_by else _("No signature was taken.")
    if last.method == SignOffMethod.NOT_PRESENT:
        return _("Customer not present: %(reason)s", reason=last.reason)
    if is_void(last):
        return _("The signature is void: the work order changed after it was signed.")
    return None


def not_signed() -> Section:
    """Jobs completed in the last UNSIGNED_DAYS days without a valid signature, with the
    reason: none taken, the customer was not there (the technician's reason), or void."""
    since = utcnow() - timedelta(days=UNSIGNED_DAYS)
    recent = db.session.scalars(
        select(WorkOrder)
        .where(
            WorkOrder.status == WorkOrderStatus.COMPLETED,
            WorkOrder.completed_at >= since,
        )
        .options(
            joinedload(WorkOrder.customer),
            selectinload(WorkOrder.sign_offs),
            selectinload(WorkOrder.lines),
            selectinload(WorkOrder.notes),
            selectinload(WorkOrder.photos),
        )
        .order_by(WorkOrder.completed_at.desc(), WorkOrder.id.desc())
        .limit(UNSIGNED_CHECKED)
    ).all()
    found = []
    for work_order in recent:
        reason = _why_unsigned(work_order)
        if reason:
            found.append(Unsigned(work_order, reason))
    return Section(rows=found[:LIST_LIMIT], count=len(found))


def drafted_invoices() -> Section:
    """Invoices drafted from completed jobs that wait for the office to issue them, oldest
    first, and what they add up to."""
    where = (Invoice.status == InvoiceStatus.DRAFT, Invoice.work_order_id.is_not(None))
    drafts = section(
        select(Invoice).where(*where).order_by(Invoice.created_at, Invoice.id),
        LIST_LIMIT,
        joinedload(Invoice.customer),
        joinedload(Invoice.work_order),
    )
    drafts.total_cents = db.session.scalar(
        select(func.coalesce(func.sum(Invoice.total_cents), 0)).where(*where)
    )
    return drafts
