"""Issue 15's "done means", in Chromium on a phone: the technician opens today's visit, adds
two price-book lines and a photo, records refrigerant added, hands the summary over, the
customer signs with a drawn stroke; the signed work order's PDF (its words, the signature
image) is in the portal's documents and in the outbox with the PDF attached; completing the
job issues the invoice drafted from it, and the portal shows it with the same total."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.formatting import money
from app.models import Invoice, OutboxMessage, WorkOrder, WorkOrderSignOff
from app.models.enums import InvoiceStatus
from app.storage import read_bytes
from tests import factories as f
from tests.browser_helpers import (
    draw_signature,
    no_sideways_scroll,
    open_signed_in,
    sign_in_portal_page,
    tess_on_her_phone,
)
from tests.helpers import pdf_text, wait_for_jobs
from tests.job_helpers import phone_photo, technicians_job
from tests.sign_off_helpers import _signed_copies_finish  # noqa: F401


def test_a_visit_closes_on_the_phone_signed_filed_mailed_and_invoiced(
    app, live_server, page, make_staff, screenshot, csp_problems, tmp_path
):
    tess = tess_on_her_phone(page, make_staff, epa_certification_number="608-1234567")
    with app.app_context():
        job = technicians_job(tess, invoice_at_once=True)
        order = db.session.get(WorkOrder, job.work_order_id)
        portal_user = f.PortalUserFactory(customer=order.customer, email="ana@example.test")
        db.session.commit()
        portal_user_id = portal_user.id

    open_signed_in(app, page, live_server, tess, f"/admin/job-page/{job.work_order_id}")

    lines = page.locator("form.job-line-form")
    for item_id, words in ((job.capacitor_id, "Dual run capacitor"), (job.gas_id, "per lb")):
        lines.locator("select[name=item]").select_option(str(item_id))
        lines.get_by_role("button", name="Add line").click()
        expect(page.locator("#lines .job-line-words").filter(has_text=words)).to_have_count(1)

    photo = tmp_path / "after.jpg"
    photo.write_bytes(phone_photo())
    page.set_input_files("input#photo", str(photo))
    page.get_by_role("button", name="Add photo").click()
    # The page comes back with the picture; typing into the old page first would be lost.
    expect(page.locator("#photos .job-thumbs a")).to_have_count(1)

    refrigerant = page.locator("form.job-refrigerant-form")
    refrigerant.locator("select[name=kind]").select_option("addition")
    refrigerant.locator("input[name=pounds_added]").fill("2.5")
    refrigerant.get_by_role("button", name="Record refrigerant work").click()
    expect(page.locator("#refrigerant")).to_contain_text("+2.50 lb")
    no_sideways_scroll(page)
    screenshot("visit-loop-job-page")

    page.get_by_role("link", name="Hand over for signature").click()
    page.wait_for_url(f"{live_server}/admin/sign-off/{job.work_order_id}*")
    expect(page.locator("main")).to_contain_text("Dual run capacitor")
    page.fill("input[name=signer_name]", "Ana Rivera")
    page.locator("[data-signature-pad] canvas").scroll_into_view_if_needed()
    draw_signature(page)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator("#sign-off-status")).to_contain_text("Signed by Ana Rivera")
    screenshot("visit-loop-signed")

    with page.expect_navigation():
        page.get_by_role("link", name="Back to the work order").click()
    page.goto(f"{live_server}/admin/job-page/{job.work_order_id}")
    expect(page.locator("#sign-off")).to_contain_text("Signed by Ana Rivera")
    with page.expect_navigation():
        page.get_by_role("button", name="Complete job").click()

    wait_for_jobs(app)
    with app.app_context():
        sign_off = db.session.scalar(select(WorkOrderSignOff))
        pdf = read_bytes(sign_off.document.storage_key)
        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.subject.contains("signed work order"))
        )
        attached = read_bytes(mail.attachments[0].storage_key)
        invoice = db.session.scalar(
            select(Invoice).where(Invoice.work_order_id == job.work_order_id)
        )
        assert invoice.status == InvoiceStatus.OPEN
        total = money(invoice.total_cents, invoice.currency)
        document_title = sign_off.document.title
    text = " ".join(pdf_text(pdf).split())
    for words in (
        "Dual run capacitor",
        "Refrigerant R-410A, per lb",
        "Signed by Ana Rivera",
        total,
    ):
        assert words in text, words
    assert "2.5" in text and sign_off.content_sha256 in text
    assert sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert mail.to_address == "ana@example.test" and attached == pdf

    sign_in_portal_page(app, page, live_server, portal_user_id)
    page.goto(f"{live_server}/portal/documents")
    expect(page.locator("main")).to_contain_text(document_title)
    page.goto(f"{live_server}/portal/invoices")
    expect(page.locator("main")).to_contain_text(invoice.number)
    expect(page.locator("main")).to_contain_text(total)
    screenshot("visit-loop-portal-invoice")
    assert csp_problems == []
