"""Closing a job on a phone in Chromium (390 px): the technician recommends more work with a
photo and sends it, completes the job (the invoice is issued at once) and e-mails its Pay now
link; nothing scrolls sideways (screenshots with TEST_SCREENSHOTS set)."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Invoice, OutboxMessage, Quote, WorkOrder
from app.models.enums import InvoiceStatus, QuoteStatus
from tests import factories as f
from tests.browser_helpers import no_sideways_scroll, open_signed_in, tess_on_her_phone
from tests.helpers import camera_photo
from tests.job_helpers import technicians_job


def test_a_technician_recommends_completes_and_sends_the_pay_link_on_a_phone(
    app, live_server, page, make_staff, screenshot, csp_problems
):
    tess = tess_on_her_phone(page, make_staff)
    with app.app_context():
        job = technicians_job(tess, invoice_at_once=True)
        work_order = db.session.get(WorkOrder, job.work_order_id)
        f.WorkOrderLineFactory(
            work_order=work_order, description="Capacitor", unit_price_cents=14500
        )
        f.PortalUserFactory(customer=work_order.customer, email="susan@example.org")
        db.session.commit()
    open_signed_in(app, page, live_server, tess, "/admin/")
    page.goto(f"{live_server}/admin/job-page/{job.work_order_id}")

    page.get_by_role("link", name="Recommend more work").click()
    page.get_by_label("What needs doing").fill("Replace the corroded capacitor")
    page.get_by_label("Why (the customer reads this)").fill("It is swollen and will fail soon.")
    page.get_by_label("Recommended item (or Good)").select_option(str(job.capacitor_id))
    page.get_by_label("Better (optional)").select_option(str(job.gas_id))
    page.get_by_label("Photos").set_input_files(
        files=[{"name": "capacitor.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}]
    )
    no_sideways_scroll(page)
    screenshot("recommend-phone")
    page.get_by_role("button", name="Send to the customer now").click()
    expect(page.locator("body")).to_contain_text("the customer can approve it in the portal")

    page.get_by_role("button", name="Complete job").click()
    panel = page.locator("#close-out")
    expect(page.locator("body")).to_contain_text("the customer can pay it in the portal")
    expect(panel).to_contain_text("$156.96")
    no_sideways_scroll(page)
    screenshot("completed-phone")
    panel.get_by_role("button", name="E-mail the Pay now link").click()
    expect(page.locator("body")).to_contain_text("is on its way to 1 person")
    screenshot("pay-link-sent-phone")

    with app.app_context():
        (quote,) = db.session.scalars(select(Quote)).all()
        assert quote.status == QuoteStatus.SENT and len(quote.photos) == 1
        (invoice,) = db.session.scalars(select(Invoice)).all()
        assert invoice.status == InvoiceStatus.OPEN and invoice.total_cents == 15696
        sent = db.session.scalars(select(OutboxMessage.subject)).all()
        assert sum(invoice.number in subject for subject in sent) == 2  # issued, then the link
    assert csp_problems == []
