"""Voiding an invoice lets go of the job lines it billed: the office invoices them again from
the work order, a void invoice stays void, and no job line is ever on two live invoices."""

from collections import Counter

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Invoice, InvoiceLine, WorkOrder
from app.models.enums import InvoiceStatus
from app.services.close_out import (
    CloseOutError,
    complete_work_order,
    invoice_work_done,
    issue_invoice,
)
from tests.browser_forms import form_on
from tests.factories import CompanySettingsFactory, WorkOrderFactory, WorkOrderLineFactory


@pytest.fixture
def issued(app):
    """A completed job of two lines whose invoice is issued: (work order id, invoice id)."""
    with app.app_context():
        CompanySettingsFactory()
        work_order = WorkOrderFactory(summary="No cooling")
        for position, (words, cents) in enumerate((("Capacitor", 14500), ("Labor", 8900)), 1):
            WorkOrderLineFactory(
                work_order=work_order, position=position, description=words, unit_price_cents=cents
            )
        db.session.flush()
        invoice = complete_work_order(work_order, None)
        issue_invoice(invoice, None)
        db.session.commit()
        return work_order.id, invoice.id


def _save_status(client, invoice_id: int, status: str):
    """Open the invoice's edit form, pick `status` and save, as a browser does."""
    url = f"http://localhost/admin/invoice/edit/?id={invoice_id}"
    form = form_on(client.get(url), "form.admin-form", url=url)
    form["status"] = status
    return form.submit(client, follow_redirects=True)


def _live_bills() -> Counter:
    """How many live (not void) invoice lines bill each job line."""
    return Counter(
        db.session.scalars(
            select(InvoiceLine.work_order_line_id)
            .join(InvoiceLine.invoice)
            .where(
                Invoice.status != InvoiceStatus.VOID, InvoiceLine.work_order_line_id.is_not(None)
            )
        )
    )


def test_a_voided_invoices_lines_are_invoiced_again_and_never_twice_live(
    app, client, login_as, issued
):
    work_order_id, void_id = issued
    login_as("dispatcher")

    _save_status(client, void_id, "void")

    details = f"http://localhost/admin/workorder/details/?id={work_order_id}"
    page = client.get(details)
    assert ">Invoice the rest</button>" in page.get_data(as_text=True)
    again = form_on(page, 'form[action$="/invoice-done"]', url=details).submit(
        client, follow_redirects=True
    )
    assert "drafted for the office to issue" in again.get_data(as_text=True)
    with app.app_context():
        void, redrafted = db.session.scalars(
            select(Invoice).where(Invoice.work_order_id == work_order_id).order_by(Invoice.id)
        ).all()
        assert void.status == InvoiceStatus.VOID and redrafted.status == InvoiceStatus.DRAFT
        assert [line.description for line in redrafted.lines] == ["Capacitor", "Labor"]
        assert redrafted.total_cents == void.total_cents
        work_order = db.session.get(WorkOrder, work_order_id)
        assert _live_bills() == {line.id: 1 for line in work_order.lines}
        freed = db.session.scalar(select(AuditEvent).filter_by(action="invoice_lines_freed"))
        assert freed.changes["work_order_lines"] == [line.id for line in work_order.lines]
        assert complete_work_order(work_order, None) is None  # nothing left to invoice
        with pytest.raises(CloseOutError, match="invoiced already"):
            invoice_work_done(work_order, None)
        db.session.rollback()
    assert ">Invoice the rest</button>" not in client.get(details).get_data(as_text=True)


def test_a_void_invoice_stays_void(app, client, login_as, issued):
    work_order_id, void_id = issued
    login_as("dispatcher")
    _save_status(client, void_id, "void")

    refused = _save_status(client, void_id, "open")

    with app.app_context():
        number = db.session.get(Invoice, void_id).number
        assert db.session.get(Invoice, void_id).status == InvoiceStatus.VOID
    assert f"{number} is void and stays void" in refused.get_data(as_text=True)
