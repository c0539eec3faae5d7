"""Closing a job out: completing the work order, invoicing its lines, issuing the invoice.

Completing a job drafts an invoice from the lines not invoiced yet, at the company's tax rate;
the company's `invoice_at_once` setting issues it there and then (in the portal, payable, the
customer told), otherwise the office reviews and issues it. A job of several visits may be
invoiced as it goes (`invoice_work_done`): each invoice takes only the lines no earlier invoice
took. The data holds the rule: an invoice line names the work-order line it bills, and that name
is unique, so two clicks at the same moment cannot bill one line twice; the second gets a
message, not a second invoice. A void invoice bills nothing: voiding it lets go of the job's
lines (`free_void_invoice_lines`), so they can be invoiced again, and a void invoice stays void.
"""

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.errors import UserError
from app.extensions import db
from app.mail_content import Button
from app.models import Invoice, InvoiceLine, PortalUser, WorkOrder, WorkOrderLine
from app.models.base import utcnow
from app.models.enums import InvoiceStatus, WorkOrderStatus
from app.queries.close_out import uninvoiced_lines
from app.services.audit import record
from app.services.billing import recalculate_totals
from app.services.company import current_company, local_today
from app.services.portal_access import active_portal_users, mail_portal_users
from app.urls import public_url


class CloseOutError(UserError):
    """A job cannot be completed or invoiced as asked; the message says why."""


def complete_work_order(work_order: WorkOrder, actor) -> Invoice | None:
    """Mark the job completed and invoice what is left of it (issued at once if the company
    says so); returns the invoice, or None when every line was invoiced already."""
    if work_order.status == WorkOrderStatus.CANCELLED:
        raise CloseOutError(
            _("%(number)s was cancelled and cannot be completed.", number=work_order.number)
        )
    if work_order.status != WorkOrderStatus.COMPLETED:
        work_order.status, work_order.completed_at = WorkOrderStatus.COMPLETED, utcnow()
        record("work_order_completed", work_order, actor=actor)
    if not uninvoiced_lines(work_order):
        return None
    return invoice_work_done(work_order, actor)


def invoice_work_done(work_order: WorkOrder, actor) -> Invoice:
    """Invoice the lines done so far that no invoice has taken (a progress invoice while the
    job goes on, or the last one); issued at once if the company says so."""
    lines = uninvoiced_lines(work_order)
    if not lines:
        raise CloseOutError(
            _("Every line of %(number)s is invoiced already.", number=work_order.number)
        )
    company = current_company()
    invoice = Invoice(
        customer_id=work_order.customer_id,
        property_id=work_order.property_id,
        work_order=work_order,
        currency=company.currency,
        status=InvoiceStatus.DRAFT,
        lines=[_billed(line) for line in lines],
    )
    recalculate_totals(invoice)
    try:
        with db.session.begin_nested():
            db.session.add(invoice)
            db.session.flush()
    except IntegrityError:
        raise CloseOutError(
            _(
                "%(number)s was invoiced by someone else a moment ago; nothing was invoiced twice.",
                number=work_order.number,
            )
        ) from None
    record("invoice_drafted", invoice, actor=actor, changes={"work_order": work_order.number})
    if company.invoice_at_once:
        issue_invoice(invoice, actor)
    return invoice


def _billed(line: WorkOrderLine) -> InvoiceLine:
    return InvoiceLine(
        work_order_line_id=line.id,
        position=line.position,
        kind=line.kind,
        description=line.description,
        quantity=line.quantity,
        unit_price_cents=line.unit_price_cents,
        taxable=line.taxable,
    )


def free_void_invoice_lines(invoice: Invoice, actor) -> list[int]:
    """The invoice is void: its lines stop naming the job lines they billed, which the next
    invoice of the job takes again (the audit log keeps which they were). Returns their ids."""
    freed = [line.work_order_line_id for line in invoice.lines if line.work_order_line_id]
    for line in invoice.lines:
        line.work_order_line_id = None
    db.session.flush()
    if freed:
        record("invoice_lines_freed", invoice, actor=actor, changes={"work_order_lines": freed})
    return freed


def issue_invoice(invoice: Invoice, actor) -> int:
    """Issue a draft invoice: it shows in the portal, payable, due after the company's terms,
    and the customer's portal users are e-mailed its "Pay now" link. Returns how many were
    e-mailed."""
    if invoice.status != InvoiceStatus.DRAFT:
        raise CloseOutError(_("%(number)s is issued already.", number=invoice.number))
    if not invoice.lines:
        raise CloseOutError(_("Add at least one line to %(number)s first.", number=invoice.number))
    recalculate_totals(invoice)
    today = local_today()
    invoice.status, invoice.issued_on = InvoiceStatus.OPEN, today
    invoice.due_on = today + timedelta(days=current_company().invoice_due_days or 0)
    db.session.flush()
    record("invoice_issued", invoice, actor=actor)
    if invoice.balance_cents <= 0:
        return 0
    return _mail_pay_link(invoice, active_portal_users(invoice.customer_id))


def send_pay_link(invoice: Invoice, actor, *, to: str = "") -> int:
    """E-mail an issued invoice's "Pay now" link again: to the customer's active portal users,
    or only to `to` when it names one of them; returns how many were e-mailed."""
    if invoice.status != InvoiceStatus.OPEN or invoice.balance_cents <= 0:
        raise CloseOutError(_("%(number)s has nothing to pay online.", number=invoice.number))
    users = active_portal_users(invoice.customer_id)
    if to.strip():
        users = [user for user in users if user.email.lower() == to.strip().lower()]
        if not users:
            raise CloseOutError(_("Pick one of the customer's portal users."))
    emailed = _mail_pay_link(invoice, users)
    record("invoice_link_sent", invoice, actor=actor, changes={"to": [u.email for u in users]})
    return emailed


def _mail_pay_link(invoice: Invoice, users: list[PortalUser]) -> int:
    """The invoice's e-mail, each user in their language, with the link to pay it."""
    link = public_url("portal.invoice", invoice_id=invoice.id)
    company = current_company()
    return mail_portal_users(
        users,
        _l("Invoice %(number)s from %(company)s", number=invoice.number, company=company.name),
        "invoice_issued",
        invoice=invoice,
        company=company,
        link=link,
        button=Button(_l("Pay now"), link),
    )
