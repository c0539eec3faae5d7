"""The office dashboard's jobs closed out, one figure at a time: waiting for review, invoices
drafted from jobs (how many, what they add up to), signed today, and completed but not signed
(with the reason)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from app.extensions import db
from app.models import WorkOrder
from app.models.base import utcnow
from app.models.enums import InvoiceStatus, WorkOrderStatus
from app.services.close_out import complete_work_order, issue_invoice
from app.services.sign_off import Signing, record_not_present, sign_work_order, summary_hash
from tests.factories import (
    CompanySettingsFactory,
    InvoiceFactory,
    WorkOrderFactory,
    WorkOrderLineFactory,
)


@pytest.fixture
def office(app, client, login_as):
    """An app context with the company set up; `office.page()` is the dispatcher's dashboard."""
    with app.app_context():
        CompanySettingsFactory()

        class Office:
            @staticmethod
            def page() -> BeautifulSoup:
                db.session.commit()
                login_as("dispatcher")
                return BeautifulSoup(client.get("/admin/").get_data(as_text=True), "html.parser")

        yield Office
        db.session.rollback()


def _job(summary: str, customer: str, cents: int = 14500) -> WorkOrder:
    work_order = WorkOrderFactory(summary=summary, property__customer__name=customer)
    WorkOrderLineFactory(work_order=work_order, description="Capacitor", unit_price_cents=cents)
    db.session.flush()
    return work_order


def _completed(summary: str, customer: str, *, sign=None, issue=False, cents=14500) -> WorkOrder:
    """A job with one line, signed off as `sign(work_order)` says, then completed (its invoice
    drafted, and issued if `issue`)."""
    work_order = _job(summary, customer, cents)
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


def test_waiting_for_review_counts_completed_jobs_with_a_draft_or_lines_not_invoiced(office):
    drafted = _completed("Drafted", "Ana Rivera")
    issued = _completed("Issued", "Ben Okafor", issue=True)
    added_later = _completed("Line added later", "Cora Diaz", issue=True)
    WorkOrderLineFactory(work_order=added_later, description="Filter", unit_price_cents=900)
    still_open = _job("Still open", "Dev Patel")

    review = _section(office.page(), "review-heading")

    assert review.startswith("Waiting for review 2")
    assert drafted.number in review and added_later.number in review
    assert issued.number not in review and still_open.number not in review


def test_invoices_drafted_from_jobs_are_counted_and_added_up(office):
    first = _completed("First", "Ana Rivera")  # $145.00 + 8.25% = $156.96
    second = _completed("Second", "Ben Okafor", cents=9000)  # $90.00 + 8.25% = $97.43
    issued = _completed("Issued", "Cora Diaz", issue=True)
    InvoiceFactory(status=InvoiceStatus.DRAFT, total_cents=5000)  # typed in, not from a job

    drafts = _section(office.page(), "drafts-heading")

    assert drafts.startswith("Invoices drafted from jobs 2 $254.39")
    assert first.number in drafts and second.number in drafts and issued.number not in drafts


def test_signed_today_counts_the_signatures_customers_gave_today(office):
    today = _completed("Signed today", "Ana Rivera", sign=_typed("Ana Rivera"))
    _completed("Nobody home", "Ben Okafor", sign=_not_present("Gate locked"))
    yesterday = _completed("Signed yesterday", "Cora Diaz", sign=_typed("Cora Diaz"))
    yesterday.sign_offs[-1].signed_at = utcnow() - timedelta(days=1)
    twice = _job("Signed twice", "Dev Patel")
    _typed("Dev Patel")(twice)
    WorkOrderLineFactory(work_order=twice, description="Filter", unit_price_cents=900)
    db.session.flush()
    _typed("Dev Patel")(twice)  # the first signature was void: taken again, counted once

    signed = _section(office.page(), "signed-heading")

    assert signed.startswith("Signed today 2")
    assert f"{today.number} Ana Rivera Signed by Ana Rivera" in signed
    assert signed.count(twice.number) == 1
    assert "Ben Okafor" not in signed and yesterday.number not in signed


def test_completed_not_signed_lists_each_job_with_its_reason(office):
    away = _completed("Nobody home", "Ben Okafor", sign=_not_present("Gate locked, left a note"))
    never = _completed("Never signed", "Cora Diaz")
    changed = _completed("Changed later", "Dev Patel", sign=_typed("Dev Patel"), issue=True)
    WorkOrderLineFactory(work_order=changed, description="Extra filter", unit_price_cents=900)
    signed = _completed("Signed", "Ana Rivera", sign=_typed("Ana Rivera"))
    on_paper = _completed("Signed on paper", "Eve Stone")
    on_paper.signed_off_by = "Eve Stone"  # the office typed the name from the paper copy
    long_ago = _completed("Last month", "Finn Lee")
    long_ago.completed_at = utcnow() - timedelta(days=8)
    cancelled = _job("Cancelled", "Gus Hall")
    cancelled.status = WorkOrderStatus.CANCELLED

    unsigned = _section(office.page(), "unsigned-heading")

    assert unsigned.startswith("Completed, not signed 3")
    assert f"{away.number} Ben Okafor Customer not present: Gate locked" in unsigned
    assert f"{never.number} Cora Diaz No signature was taken." in unsigned
    assert f"{changed.number} Dev Patel The signature is void" in unsigned
    for left_out in (signed, on_paper, long_ago, cancelled):
        assert left_out.number not in unsigned


def test_technicians_do_not_see_the_office_close_out(app, client, login_as):
    with app.app_context():
        CompanySettingsFactory()
        _completed("Never signed", "Cora Diaz")
        db.session.commit()
    login_as("technician")

    page = client.get("/admin/").get_data(as_text=True)

    assert "Jobs closed out" not in page and "Cora Diaz" not in page
