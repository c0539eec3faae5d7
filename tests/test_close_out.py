"""Closing a job out: completing it drafts its invoice, issued at once or by the office, and
no work-order line is ever invoiced twice."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    CompanySettings,
    Invoice,
    InvoiceLine,
    OutboxMessage,
    StaffUser,
    WorkOrder,
    WorkOrderLine,
)
from app.models.enums import InvoiceStatus, WorkOrderStatus
from app.services import close_out
from app.services.close_out import CloseOutError, invoice_work_done
from tests.browser_forms import form_on
from tests.factories import (
    CompanySettingsFactory,
    PortalUserFactory,
    WorkOrderFactory,
    WorkOrderLineFactory,
)
from tests.helpers import at_once, hold_after
from tests.portal_helpers import sign_in_portal
from tests.signed_in import sign_in_client


def _job(app, email: str = "susan@example.org", **company) -> dict:
    """A company (8.25 % tax) with these settings (unless there is one), a work order with two
    lines ($145.00 and 2 × $89.00) and a portal user of its customer at `email`; their ids."""
    with app.app_context():
        if db.session.scalar(select(CompanySettings.id)) is None:
            CompanySettingsFactory(**company)
        work_order = WorkOrderFactory(summary="No cooling upstairs")
        WorkOrderLineFactory(
            work_order=work_order, position=1, description="Capacitor", unit_price_cents=14500
        )
        WorkOrderLineFactory(
            work_order=work_order,
            position=2,
            description="Labor",
            quantity=Decimal("2"),
            unit_price_cents=8900,
        )
        user = PortalUserFactory(customer=work_order.customer, email=email)
        db.session.commit()
        return {"work_order": work_order.id, "user": user.id, "number": work_order.number}


def _invoices(work_order_id: int) -> list[Invoice]:
    return list(
        db.session.scalars(
            select(Invoice).where(Invoice.work_order_id == work_order_id).order_by(Invoice.id)
        )
    )


BUTTONS = {
    "Complete job": "/complete",
    "Invoice work done so far": "/invoice-done",
    "Issue": "/issue",
}


def _press(client, url: str, label: str):
    """Press the button labelled `label` on the page at `url`, as a browser posts it."""
    page = client.get(url)
    assert page.status_code == 200
    assert f">{label}</button>" in page.get_data(as_text=True)
    form = form_on(page, f'form[action$="{BUTTONS[label]}"]')
    return form.submit(client, follow_redirects=True)


def test_completing_a_job_drafts_its_invoice_for_the_office(app, client, login_as):
    job = _job(app)
    login_as("dispatcher")

    done = _press(client, f"/admin/workorder/details/?id={job['work_order']}", "Complete job")

    page = done.get_data(as_text=True)
    assert "is completed" in page and "drafted for the office to issue" in page
    with app.app_context():
        work_order = db.session.get(WorkOrder, job["work_order"])
        assert work_order.status == WorkOrderStatus.COMPLETED and work_order.completed_at
        (invoice,) = _invoices(job["work_order"])
        assert invoice.status == InvoiceStatus.DRAFT and invoice.issued_on is None
        assert [line.description for line in invoice.lines] == ["Capacitor", "Labor"]
        # $323.00 and 8.25 % tax ($26.65, rounded half up)
        assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents) == (
            32300,
            2665,
            34965,
        )
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_issued_at_once_the_invoice_is_in_the_portal_with_the_same_total(app, client, login_as):
    job = _job(app, invoice_at_once=True)
    login_as("dispatcher")

    _press(client, f"/admin/workorder/details/?id={job['work_order']}", "Complete job")

    with app.app_context():
        (invoice,) = _invoices(job["work_order"])
        assert invoice.status == InvoiceStatus.OPEN and invoice.due_on > invoice.issued_on
        number, invoice_id = invoice.number, invoice.id
        (mail,) = db.session.scalars(select(OutboxMessage)).all()
        assert mail.to_address == "susan@example.org" and number in mail.subject
        assert f"/portal/invoices/{invoice_id}" in mail.text_body and "$349.65" in mail.text_body
    customer = app.test_client()
    sign_in_portal(customer, job["user"])
    listed = customer.get("/portal/invoices").get_data(as_text=True)
    assert number in listed and "$349.65" in listed
    shown = customer.get(f"/portal/invoices/{invoice_id}").get_data(as_text=True)
    assert "$349.65" in shown and "Pay this invoice" in shown


def test_the_office_issues_a_draft_in_one_click(app, client, login_as):
    job = _job(app)
    with app.app_context():
        invoice = invoice_work_done(db.session.get(WorkOrder, job["work_order"]), None)
        db.session.commit()
        invoice_id, number = invoice.id, invoice.number
    login_as("dispatcher")

    done = _press(client, "/admin/invoice/", "Issue")

    assert f"{number} is issued and its link e-mailed to 1 person." in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Invoice, invoice_id).status == InvoiceStatus.OPEN
    again = client.post("/admin/invoice/issue", data={"id": invoice_id}, follow_redirects=True)
    assert f"{number} is issued already." in again.get_data(as_text=True)


def test_the_office_issues_drafts_in_bulk(app, client, login_as):
    first, second = _job(app), _job(app, email="laura@example.org")
    with app.app_context():
        ids = []
        for job in (first, second):
            ids.append(invoice_work_done(db.session.get(WorkOrder, job["work_order"]), None).id)
        db.session.commit()
    login_as("admin")
    listing = client.get("/admin/invoice/").get_data(as_text=True)
    assert "Issue the selected draft invoices" in listing  # the list offers the action

    # What the list's action form sends (its script adds the ticked rows).
    client.post("/admin/invoice/action/", data={"action": "issue", "rowid": ids})

    with app.app_context():
        statuses = {db.session.get(Invoice, i).status for i in ids}
        assert statuses == {InvoiceStatus.OPEN}
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2


def test_progress_invoices_take_only_the_lines_not_invoiced_yet(app, client, login_as):
    job = _job(app)
    login_as("dispatcher")
    url = f"/admin/workorder/details/?id={job['work_order']}"

    _press(client, url, "Invoice work done so far")
    with app.app_context():
        work_order = db.session.get(WorkOrder, job["work_order"])
        assert work_order.status != WorkOrderStatus.COMPLETED
        WorkOrderLineFactory(work_order=work_order, position=3, description="Second visit")
        db.session.commit()
    completed = _press(client, url, "Complete job")

    assert "is completed" in completed.get_data(as_text=True)
    with app.app_context():
        first, second = _invoices(job["work_order"])
        assert [line.description for line in first.lines] == ["Capacitor", "Labor"]
        assert [line.description for line in second.lines] == ["Second visit"]
        with pytest.raises(CloseOutError, match="invoiced already"):
            invoice_work_done(db.session.get(WorkOrder, job["work_order"]), None)


def test_a_line_is_never_invoiced_twice_even_when_both_saw_it_free(app, monkeypatch):
    """Two clicks that both read the lines before either wrote: the database refuses the
    second invoice, and the second click gets a message instead."""
    job = _job(app)
    with app.app_context():
        work_order = db.session.get(WorkOrder, job["work_order"])
        stale = list(work_order.lines)
        invoice_work_done(work_order, None)
        db.session.commit()
        monkeypatch.setattr(close_out, "uninvoiced_lines", lambda work_order: stale)

        with pytest.raises(CloseOutError, match="nothing was invoiced twice"):
            invoice_work_done(db.session.get(WorkOrder, job["work_order"]), None)
        db.session.rollback()
        assert len(_invoices(job["work_order"])) == 1


def test_the_database_refuses_a_second_invoice_line_for_one_work_order_line(app):
    job = _job(app)
    with app.app_context():
        invoice = invoice_work_done(db.session.get(WorkOrder, job["work_order"]), None)
        db.session.commit()
        line = db.session.scalars(select(WorkOrderLine).limit(1)).one()
        invoice.lines.append(InvoiceLine(description="again", work_order_line_id=line.id))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_double_click_at_the_same_moment_invoices_once(app, make_staff, monkeypatch):
    """Two requests in two threads, held until both have read the free lines, then both
    write: one invoice, and the other click reads a clear message."""
    job = _job(app)
    staff_id = make_staff("dispatcher")
    hold_after(monkeypatch, close_out, "uninvoiced_lines")
    pages = []

    def click():
        with app.test_client() as client:
            sign_in_client(client, StaffUser, staff_id)
            response = client.post(
                "/admin/workorder/invoice-done",
                data={"id": job["work_order"]},
                follow_redirects=True,
            )
            pages.append(response.get_data(as_text=True))

    at_once(click, click)

    assert len(pages) == 2
    assert sum("drafted for the office" in page for page in pages) == 1
    assert sum("nothing was invoiced twice" in page for page in pages) == 1
    with app.app_context():
        assert len(_invoices(job["work_order"])) == 1
