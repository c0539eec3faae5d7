"""Closing the job from the technician's job page: Complete job drafts (or issues) the
invoice, and an issued invoice's "Pay now" link can be e-mailed to the customer."""

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import Invoice, OutboxMessage, PortalUser, WorkOrder
from app.models.enums import InvoiceStatus, WorkOrderStatus
from tests import factories as f
from tests.browser_forms import form_on
from tests.job_helpers import technicians_job
from tests.portal_helpers import sign_in_portal


def _page_url(job) -> str:
    return f"http://localhost/admin/job-page/{job.work_order_id}"


def _form(client, job, selector: str):
    page = client.get(_page_url(job))
    assert page.status_code == 200
    return form_on(page, selector, url=_page_url(job))


def _technician_with_a_line(app, login_as, **company):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me, **company)
        work_order = db.session.get(WorkOrder, job.work_order_id)
        f.WorkOrderLineFactory(
            work_order=work_order, description="Capacitor", unit_price_cents=14500
        )
        for email, language in (("susan@example.org", None), ("tom@example.org", "es")):
            f.PortalUserFactory(customer=work_order.customer, email=email, language=language)
        db.session.commit()
    return job


def test_complete_job_on_the_job_page_leaves_the_invoice_to_the_office(app, client, login_as):
    job = _technician_with_a_line(app, login_as)

    done = _form(client, job, 'form[action$="/complete"]').submit(client, follow_redirects=True)

    text = done.get_data(as_text=True)
    assert "is completed" in text and "drafted for the office to issue" in text
    assert "The office reviews and issues it." in text and "Pay now link" not in text
    with app.app_context():
        assert db.session.get(WorkOrder, job.work_order_id).status == WorkOrderStatus.COMPLETED
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_issued_invoices_pay_now_link_is_e_mailed_from_the_job_page(
    app, client, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_tuffops")
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", "whsec_tuffops")
    job = _technician_with_a_line(app, login_as, invoice_at_once=True)
    _form(client, job, 'form[action$="/complete"]').submit(client, follow_redirects=True)
    with app.app_context():
        (invoice,) = db.session.scalars(select(Invoice)).all()
        assert invoice.status == InvoiceStatus.OPEN
        invoice_id = invoice.id
        db.session.execute(OutboxMessage.__table__.delete())  # the issue e-mails
        db.session.commit()

    form = _form(client, job, "form.job-pay-link")
    form["to"] = "tom@example.org"
    sent = form.submit(client, follow_redirects=True)

    assert "is on its way to 1 person" in sent.get_data(as_text=True)
    with app.app_context():
        (mail,) = db.session.scalars(select(OutboxMessage)).all()
        tom = db.session.scalar(select(PortalUser).filter_by(email="tom@example.org"))
        number = db.session.get(Invoice, invoice_id).number
    # Tom reads the portal in Spanish: so is his e-mail.
    assert mail.to_address == "tom@example.org" and "156,96\xa0US$" in mail.text_body
    assert mail.subject.startswith(f"Factura {number}")
    # Tom follows the link in the e-mail: his invoice, with its Pay now button, in Spanish.
    link = re.search(r"https?://\S+/portal/invoices/\d+", mail.text_body).group(0)
    assert link.endswith(f"/portal/invoices/{invoice_id}")
    customer = app.test_client()
    sign_in_portal(customer, tom.id)
    page = customer.get(urlsplit(link).path, headers={"Accept-Language": "es"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and number in text and "156,96" in text
    assert "Pagar ahora" in text


def test_the_pay_link_goes_only_to_the_customers_own_portal_users(app, client, login_as):
    job = _technician_with_a_line(app, login_as, invoice_at_once=True)
    _form(client, job, 'form[action$="/complete"]').submit(client, follow_redirects=True)
    with app.app_context():
        db.session.execute(OutboxMessage.__table__.delete())
        db.session.commit()
    form = _form(client, job, "form.job-pay-link")
    form.tamper("to", "someone@evil.example")

    refused = form.submit(client, follow_redirects=True)

    assert "Pick one of the customer" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_another_technicians_job_cannot_be_completed(app, client, login_as, make_staff):
    other = make_staff("technician")
    with app.app_context():
        job = technicians_job(other)
    login_as("technician")

    assert client.post(f"/admin/job-close-out/{job.work_order_id}/complete").status_code == 404


def test_a_line_already_invoiced_stays_on_the_job_with_a_message(app, client, login_as):
    job = _technician_with_a_line(app, login_as)
    _form(client, job, 'form[action$="/complete"]').submit(client, follow_redirects=True)

    refused = _form(client, job, 'form[action$="/lines/remove"]').submit(
        client, follow_redirects=True
    )

    assert refused.status_code == 200
    with app.app_context():
        (invoice,) = db.session.scalars(select(Invoice)).all()
        message = f"That line is billed on invoice {invoice.number}; it stays on the job."
        assert message in refused.get_data(as_text=True)
        work_order = db.session.get(WorkOrder, job.work_order_id)
        assert [line.description for line in work_order.lines] == ["Capacitor"]


def test_after_the_invoice_a_new_line_is_labelled_for_a_later_invoice(app, client, login_as):
    job = _technician_with_a_line(app, login_as)
    before = client.get(_page_url(job)).get_data(as_text=True)
    assert "Add a line</h3>" in before and "a later invoice" not in before

    _form(client, job, 'form[action$="/complete"]').submit(client, follow_redirects=True)

    with app.app_context():
        (invoice,) = db.session.scalars(select(Invoice)).all()
        number = invoice.number
    page = BeautifulSoup(client.get(_page_url(job)).get_data(as_text=True), "html.parser")
    form = page.select_one("form.job-line-form")
    assert form.h3.get_text() == "Add a line for a later invoice"
    note = form.select_one(".job-later-invoice").get_text()
    assert note == f"A line added now is not on {number}: it goes on a later invoice."
    assert form.button.get_text() == "Add line for a later invoice"
