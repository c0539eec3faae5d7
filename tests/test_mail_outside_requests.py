"""Every job kind and every e-mail template, rendered where no request exists: a real RQ worker
and the in-process runner, for a company with a logo and a brand colour, in English and Spanish.

Kinds come from the job registry and templates from the mail folder, so a new one fails here
until it has an example below. Mail links and images must all be on PUBLIC_BASE_URL.
"""

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app, template_rendered
from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.jobs import enqueue, job_kinds
from app.models import CheckoutSession, Document, Job, OutboxMessage
from app.models.enums import DocumentKind, JobStatus, QuoteStatus, StaffRole
from app.models.outbox import OutboxStatus
from app.services.close_out import invoice_work_done, issue_invoice
from app.services.messages import post_office_reply
from app.services.portal_access import invite_portal_user, portal_user_changed, request_login_link
from app.services.quotes import approve_quote, decline_quote, send_quote
from app.services.scheduling import Slot, book_visit
from app.services.service_requests import RequestDetails, submit_sticker_request
from app.services.sign_off import Signing, sign_work_order, summary_hash
from app.services.staff_auth import note_failure
from app.storage import path_for
from tests import factories as f
from tests.helpers import png, stored_logo, wait_for_jobs
from tests.quote_helpers import approval, drawn_signature, hvac_quote

BASE = "https://service.polarbear.test"
BRAND = "#a33b20"
LANGUAGES = ("en", "es")
MAIL_FOLDER = Path(__file__).resolve().parent.parent / "app" / "templates" / "mail"
ADDRESS = "203.0.113.9"


@pytest.fixture
def branded(app, monkeypatch):
    """The company has a logo and a brand colour; mail points at BASE."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE)
    with app.app_context():
        f.CompanySettingsFactory(logo_key=stored_logo(png((120, 40), BRAND)), brand_color=BRAND)
        db.session.commit()
    yield
    wait_for_jobs(app)


def _user(language: str, **fields):
    return f.PortalUserFactory(language=language, **fields)


# Each example starts the work in a plain app context (as a job or command would) and returns
# what it should leave behind: the document kind filed, if any.


def _sticker_sheet(language):
    unit = f.UnitFactory()
    enqueue("sticker_sheet", format="avery-5160", start=1, unit_ids=[unit.id])


def _compliance_report(language):
    unit = f.UnitFactory()
    enqueue(
        "compliance_report",
        customer_id=unit.property.customer_id,
        property_id=None,
        date_from="2025-01-01",
        date_to=date.today().isoformat(),
    )
    return DocumentKind.COMPLIANCE_REPORT


def _signed_quote(language):
    quote = hvac_quote()
    _user(language, customer=quote.customer)
    with force_locale(language):
        approve_quote(quote, approval(quote), actor=None)
    return DocumentKind.QUOTE


def _signed_work_order(language):
    technician = f.StaffUserFactory(role=StaffRole.TECHNICIAN)
    order = f.WorkOrderFactory(technician_id=technician.id, visit_at=None)
    f.WorkOrderLineFactory(work_order=order, description="Replace capacitor")
    _user(language, customer=order.customer)
    db.session.flush()
    signing = Signing(
        signer_name="Ana Rivera",
        signature_png=drawn_signature(),
        shown_hash=summary_hash(order),
        locale=language,
    )
    sign_work_order(order, signing, actor=technician)
    return DocumentKind.WORK_ORDER


def _payment_receipt(language):
    payer = _user(language)
    invoice = f.InvoiceFactory(customer=payer.customer)
    session_id = f"cs_test_{invoice.id}"
    payment = f.PaymentFactory(invoice=invoice, stripe_checkout_session_id=session_id)
    db.session.add(
        CheckoutSession(
            stripe_session_id=session_id,
            invoice=invoice,
            customer=payer.customer,
            portal_user=payer,
            invoice_version=1,
            idempotency_key=session_id,
            amount_cents=payment.amount_cents,
            currency="USD",
            url=f"https://checkout.example/{session_id}",
        )
    )
    db.session.flush()
    enqueue("payment_receipt", payment_id=payment.id)
    return DocumentKind.RECEIPT


JOB_EXAMPLES = {
    "sticker_sheet": _sticker_sheet,
    "compliance_report": _compliance_report,
    "signed_quote": _signed_quote,
    "payment_receipt": _payment_receipt,
    "signed_work_order": _signed_work_order,
}


def _sticker_request(language):
    unit = f.UnitFactory()
    details = RequestDetails(
        contact_name="Sam Doe",
        contact_phone="555-0100",
        contact_email="sam@example.test",
        description="No cooling since this morning.",
    )
    with force_locale(language):
        submit_sticker_request(unit, details, [], ip_address=ADDRESS)


def _message_reply(language):
    user = _user(language)
    staff = f.StaffUserFactory()
    post_office_reply(user.customer, "We can come on Tuesday.", staff=staff)


def _visit_booked(language):
    work_order = f.WorkOrderFactory(visit_at=None)
    _user(language, customer=work_order.customer)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    slot = Slot(starts, starts + timedelta(hours=2), 60, f.StaffUserFactory().id)
    book_visit(work_order, slot, actor=None, book_anyway=True)


def _quote_sent(language):
    quote = hvac_quote(status=QuoteStatus.DRAFT)
    _user(language, customer=quote.customer)
    send_quote(quote, actor=None)


def _invoice_issued(language):
    work_order = f.WorkOrderFactory(visit_at=None)
    f.WorkOrderLineFactory(work_order=work_order)
    _user(language, customer=work_order.customer)
    issue_invoice(invoice_work_done(work_order, None), None)


def _quote_decided(language):
    quote = hvac_quote()
    with force_locale(language):
        decline_quote(quote, "Too expensive for now.", actor=None)


def _portal_email_changed(language):
    user = _user(language)
    portal_user_changed(user, {"email": [user.email, "moved@example.com"]}, actor=None)


def _staff_sign_in_paused(language):
    staff = f.StaffUserFactory(email=f"pat.tech.{language}@example.com")
    for _ in range(current_app.config["STAFF_LOGIN_FREE_ATTEMPTS"] + 1):
        note_failure(staff.email, staff, ip_address=ADDRESS)


STAFF_MAIL = {"staff_sign_in_paused"}
MAIL_EXAMPLES = {
    "portal_email_changed": _portal_email_changed,
    "staff_sign_in_paused": _staff_sign_in_paused,
    "message_reply": _message_reply,
    "payment_receipt": _payment_receipt,
    "portal_invitation": lambda language: invite_portal_user(_user(language), actor=None),
    "portal_login_link": lambda language: request_login_link(
        _user(language).email, ip_address=ADDRESS
    ),
    "invoice_issued": _invoice_issued,
    "quote_decided": _quote_decided,
    "quote_sent": _quote_sent,
    "request_received": _sticker_request,
    "request_to_office": _sticker_request,
    "visit": _visit_booked,
    "work_order_signed": _signed_work_order,
}


def test_every_job_kind_and_mail_template_has_an_example():
    kinds = {kind for kind in job_kinds() if not kind.startswith("test-")}
    assert kinds == set(JOB_EXAMPLES)
    assert {path.stem for path in MAIL_FOLDER.glob("*.txt")} == set(MAIL_EXAMPLES)


def _start(app, example, language):
    with app.app_context():
        expected = example(language)
        db.session.commit()
    return expected


def assert_branded_mail(message: OutboxMessage, language: str) -> None:
    """Logo and colour present, every link and image on PUBLIC_BASE_URL, the right language."""
    html, text = message.html_body, message.text_body
    assert f'<img src="{BASE}/brand/logo"' in html, html
    assert BRAND in html and f'<html lang="{language}">' in html
    for url in re.findall(r'(?:href|src)="([^"]*)"', html) + re.findall(r"https?://\S+", text):
        assert url.startswith(BASE + "/"), url


def assert_job_done(job: Job, document_kind) -> None:
    assert job.status == JobStatus.FINISHED, job.error
    assert path_for(job.result_key).read_bytes().startswith(b"%PDF")
    if document_kind:
        filed = db.session.scalars(select(Document).where(Document.kind == document_kind)).all()
        assert filed and all(path_for(d.storage_key).is_file() for d in filed)


def _language_of(message: OutboxMessage) -> str:
    return "es" if message.html_body.startswith('<!doctype html>\n<html lang="es">') else "en"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(JOB_EXAMPLES))
def test_each_job_kind_runs_in_process_with_a_logo(app, branded, kind, language):
    document_kind = _start(app, JOB_EXAMPLES[kind], language)

    (job,) = (job for job in wait_for_jobs(app) if job.kind == kind)

    with app.app_context():
        assert_job_done(job, document_kind)
        for message in db.session.scalars(select(OutboxMessage)):
            assert_branded_mail(message, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", sorted(MAIL_EXAMPLES))
def test_each_mail_template_renders_outside_a_request_with_a_logo(app, branded, template, language):
    rendered = []

    def remember(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(remember, app):
        _start(app, MAIL_EXAMPLES[template], language)
        wait_for_jobs(app)

    assert f"mail/{template}.txt" in rendered

    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage)).all()
        assert messages
        for message in messages:
            # Staff have no language of their own: their mail is in the office's (English).
            assert_branded_mail(message, "en" if template in STAFF_MAIL else language)


def test_every_job_kind_and_mail_template_through_a_real_rq_worker(app, branded, rq_worker):
    expected = {}
    for language in LANGUAGES:
        for kind, example in JOB_EXAMPLES.items():
            expected[kind] = _start(app, example, language)
        for example in MAIL_EXAMPLES.values():
            _start(app, example, language)

    rq_worker()

    jobs = wait_for_jobs(app, timeout=1)
    assert sorted({job.kind for job in jobs}) == sorted(JOB_EXAMPLES)
    with app.app_context():
        for job in jobs:
            assert_job_done(job, expected[job.kind])
        messages = db.session.scalars(select(OutboxMessage)).all()
        to_staff = [m for m in messages if m.to_address.startswith("pat.tech.")]
        assert len(to_staff) == len(LANGUAGES) and {_language_of(m) for m in to_staff} == {"en"}
        languages = Counter(_language_of(m) for m in messages if m not in to_staff)
        assert languages["es"] == languages["en"] >= len(MAIL_EXAMPLES) - len(STAFF_MAIL)
        for message in messages:
            assert message.status == OutboxStatus.SENT, message.last_error
            assert_branded_mail(message, _language_of(message))


ROOT = MAIL_FOLDER.parent.parent.parent
OUTSIDE_REQUESTS = ("app/services", "app/mail.py", "app/mail_content.py", "app/jobs.py", "reports")
REQUEST_BOUND_URL = re.compile(r"\burl_for\(|\brequest\.(?:url|base_url|url_root|host_url|host)\b")


def test_code_that_runs_outside_requests_builds_links_with_public_url_only():
    """Services, jobs and mail run in workers and commands too: a link there comes from
    app.urls.public_url (on PUBLIC_BASE_URL), never from the request being served."""
    files = sorted(MAIL_FOLDER.iterdir())
    for place in OUTSIDE_REQUESTS:
        path = ROOT / place
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    offenders = [
        str(path.relative_to(ROOT)) for path in files if REQUEST_BOUND_URL.search(path.read_text())
    ]
    assert offenders == []
