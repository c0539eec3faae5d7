"""Reads behind closing a job out: the lines no invoice has taken yet, and what the job page's
close-out panel shows (invoices drafted or issued from the job, who can be sent the link)."""

from dataclasses import dataclass

from sqlalchemy import Select, select

from app.extensions import db
from app.models import Invoice, InvoiceLine, PortalUser, WorkOrder, WorkOrderLine
from app.models.enums import InvoiceStatus


def invoiced_line_ids() -> Select:
    """The ids of the work-order lines an invoice has taken (a subquery to filter by)."""
    return select(InvoiceLine.work_order_line_id).where(InvoiceLine.work_order_line_id.is_not(None))


def uninvoiced_lines(work_order: WorkOrder) -> list[WorkOrderLine]:
    """The work order's lines no invoice has taken yet, in their order."""
    return list(
        db.session.scalars(
            select(WorkOrderLine)
            .where(
                WorkOrderLine.work_order_id == work_order.id,
                WorkOrderLine.id.not_in(invoiced_line_ids()),
            )
            .order_by(WorkOrderLine.position, WorkOrderLine.id)
        )
    )


@dataclass(frozen=True)
class CloseOutPanel:
    """The job page's close-out: whether there is work left to invoice, the job's invoices
    (drafts wait for the office; open ones can be paid online) and the customer's portal
    users' addresses (where the "Pay now" link can go)."""

    lines_to_invoice: int
    invoices: list[Invoice]
    addresses: list[str]

    @property
    def payable(self) -> list[Invoice]:
        return [i for i in self.invoices if i.status == InvoiceStatus.OPEN and i.balance_cents > 0]


def close_out_panel(work_order: WorkOrder) -> CloseOutPanel:
    invoices = db.session.scalars(
        select(Invoice)
        .where(Invoice.work_order_id == work_order.id, Invoice.status != InvoiceStatus.VOID)
        .order_by(Invoice.id)
    ).all()
    addresses = db.session.scalars(
        select(PortalUser.email)
        .where(PortalUser.customer_id == work_order.customer_id, PortalUser.active)
        .order_by(PortalUser.id)
    ).all()
    return CloseOutPanel(len(uninvoiced_lines(work_order)), list(invoices), list(addresses))
