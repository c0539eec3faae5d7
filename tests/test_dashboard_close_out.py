"""The office dashboard's jobs closed out: waiting for review, signed today, completed but not
signed (with the reason), and the invoices drafted from jobs."""

from bs4 import BeautifulSoup

from app.extensions import db
from app.models import WorkOrder
from app.services.close_out import complete_work_order, issue_invoice
from app.services.sign_off import Signing, record_not_present, sign_work_order, summary_hash
from tests.factories import CompanySettingsFactory, WorkOrderFactory, WorkOrderLineFactory


def _completed(summary: str, customer: str, *, sign=None, issue=False) -> WorkOrder:
    """A job with one $145.00 line, signed off as `sign(work_order)` says, then completed
    (its invoice drafted, and issued if `issue`)."""
    work_order = WorkOrderFactory(summary=summary, property__customer__name=customer)
    WorkOrderLineFactory(work_order=work_order, description="Capacitor", unit_price_cents=14500)
    db.session.flush()
    if sign:
        sign(work_order)
    invoice = complete_work_order(work_order, None)
    if issue:
        issue_invoice(invoice, None)
    return work_order


def _typed(name: str):
    def sign(work_order):
        sign_work_order(work_order, Signing(name, None, summary_hash(work_order)), actor=None)

    return sign


def _not_present(reason: str):
    def sign(work_order):
        record_not_present(work_order, reason, summary_hash(work_order), actor=None)

    return sign


def _section(page: BeautifulSoup, heading_id: str) -> str:
    return " ".join(page.find(id=heading_id).find_parent("section").get_text(" ").split())


def test_the_dashboard_shows_jobs_to_review_signed_unsigned_and_drafted(app, client, login_as):
    with app.app_context():
        CompanySettingsFactory()
        signed = _completed("Signed job", "Ana Rivera", sign=_typed("Ana Rivera"))
        away = _completed(
            "Nobody home", "Ben Okafor", sign=_not_present("Gate locked, left a note")
        )
        never = _completed("Never signed", "Cora Diaz")
        changed = _completed("Changed later", "Dev Patel", sign=_typed("Dev Patel"), issue=True)
        WorkOrderLineFactory(work_order=changed, description="Extra filter", unit_price_cents=900)
        db.session.commit()
        numbers = {w.summary: w.number for w in (signed, away, never, changed)}
    login_as("dispatcher")

    page = BeautifulSoup(client.get("/admin/").get_data(as_text=True), "html.parser")

    review = _section(page, "review-heading")
    # Three drafts to issue, and the changed job's new line that no invoice has taken.
    assert review.startswith("Waiting for review 4")
    drafts = _section(page, "drafts-heading")
    assert drafts.startswith("Invoices drafted from jobs 3 $470.88")  # 3 × $156.96
    assert numbers["Changed later"] not in drafts
    signed_today = _section(page, "signed-heading")
    assert "Signed today 2" in signed_today and "Signed by Ana Rivera" in signed_today
    unsigned = _section(page, "unsigned-heading")
    assert unsigned.startswith("Completed, not signed 3")
    assert f"{numbers['Nobody home']} Ben Okafor Customer not present: Gate locked" in unsigned
    assert f"{numbers['Never signed']} Cora Diaz No signature was taken." in unsigned
    assert f"{numbers['Changed later']} Dev Patel The signature is void" in unsigned
    assert numbers["Signed job"] not in unsigned


def test_technicians_do_not_see_the_office_close_out(app, client, login_as):
    with app.app_context():
        CompanySettingsFactory()
        _completed("Never signed", "Cora Diaz")
        db.session.commit()
    login_as("technician")

    page = client.get("/admin/").get_data(as_text=True)

    assert "Jobs closed out" not in page and "Cora Diaz" not in page
