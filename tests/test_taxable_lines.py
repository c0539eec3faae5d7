"""The price book's taxable flag reaches the money: a line from an item that is not taxed
carries no sales tax on the customer's sign-off summary or on the invoice the job drafts, and
the two totals agree."""

import io

from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Invoice, PriceBookItem, WorkOrderSignOff
from app.models.enums import LineKind
from reports.billing import invoice_document
from reports.billing_pdf import invoice_pdf
from reports.work_order_pdf import signed_work_order_pdf
from reports.work_orders import signed_work_order
from tests.browser_forms import form_on
from tests.job_helpers import technicians_job
from tests.sign_off_helpers import _signed_copies_finish  # noqa: F401


def test_a_line_from_an_untaxed_item_is_not_taxed_on_the_summary_or_the_invoice(
    app, client, login_as
):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)  # 8.25 % sales tax; the capacitor ($145.00) is taxed
        labor = PriceBookItem(
            code="LAB-HR", description="Labor, per hour", kind=LineKind.LABOR, price_cents=12000
        )
        labor.taxable = False
        db.session.add(labor)
        db.session.commit()
        labor_id = labor.id
    url = f"http://localhost/admin/job-page/{job.work_order_id}"
    for item, quantity in ((job.capacitor_id, "1"), (labor_id, "1.5")):
        form = form_on(client.get(url), "form.job-line-form", url=url)
        form["item"], form["quantity"] = str(item), quantity
        assert form.submit(client).status_code == 302

    summary = BeautifulSoup(
        client.get(f"/admin/sign-off/{job.work_order_id}").get_data(as_text=True), "html.parser"
    )

    def shown(total: str) -> str:
        return summary.select_one(f'[data-total="{total}"]').get_text()

    # $145.00 + 1.5 h × $120.00 = $325.00; tax on the capacitor only: 8.25 % of $145.00
    assert (shown("subtotal"), shown("tax"), shown("total")) == ("$325.00", "$11.96", "$336.96")
    untaxed = [
        row.select_one(".description").get_text(" ", strip=True) for row in summary.tbody("tr")
    ]
    assert untaxed == ["Dual run capacitor 45/5 µF", "Labor, per hour No sales tax"]

    signing = form_on(client.get(f"/admin/sign-off/{job.work_order_id}"), "#sign-form")
    signing["signer_name"] = "Ana Rivera"
    assert signing.submit(client).status_code == 302
    form_on(client.get(url), 'form[action$="/complete"]', url=url).submit(client)

    with app.app_context():
        (invoice,) = db.session.scalars(select(Invoice)).all()
        assert [line.taxable for line in invoice.lines] == [True, False]
        assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents) == (
            32500,
            1196,
            33696,
        )

    with app.test_request_context():
        sign_off = db.session.scalar(select(WorkOrderSignOff))
        signed = _text(signed_work_order_pdf(*signed_work_order(sign_off)))
        billed = _text(invoice_pdf(invoice_document(db.session.scalar(select(Invoice)))))
    for pdf in (signed, billed):  # the untaxed line says so, under its own words only
        assert pdf.count("No sales tax") == 1
        assert pdf.index("Labor, per hour") < pdf.index("No sales tax")
        assert pdf.index("Dual run capacitor") < pdf.index("Labor, per hour")
        assert "$11.96" in pdf and "$336.96" in pdf


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
