"""`flask seed-demo`: a believable contractor, demo sign-ins that work, and a safe re-run."""

import io
import re
import shutil
import subprocess
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.demo import DEMO_LOGINS, seed_demo
from app.demo.cli import demo_portal_users
from app.demo.writer import delete_all_rows
from app.extensions import db
from app.models import (
    CompanySettings,
    Customer,
    Document,
    Invoice,
    Job,
    Message,
    OutboxMessage,
    Payment,
    PortalUser,
    Property,
    Quote,
    RefrigerantEvent,
    ServiceRequest,
    StaffUser,
    TimeOff,
    Unit,
    Visit,
    VisitAnswerLink,
    WorkingHours,
    WorkOrder,
    WorkOrderPhoto,
    WorkOrderSignOff,
)
from app.models.enums import (
    ApplianceType,
    CustomerKind,
    DocumentKind,
    InvoiceStatus,
    JobStatus,
    MessageDirection,
    PaymentStatus,
    PhotoStage,
    QuoteStatus,
    RefrigerantEventKind,
    RequestSource,
    RequestStatus,
    SignOffMethod,
    StaffRole,
    VisitAnswer,
    VisitStatus,
    WorkOrderStatus,
)
from tests.portal_helpers import sign_in_portal

ZONE = ZoneInfo("America/Chicago")
# What the portal home page says when a section has nothing in it (quotes are left out: not
# every household has one waiting).
EMPTY_SECTIONS = (
    "No visits scheduled.",
    "No open requests.",
    "Nothing to pay right now.",
    "All your equipment is up to date.",
)


def _seed(app, *args: str):
    return app.test_cli_runner().invoke(args=["seed-demo", *args])


def _count(model, *where) -> int:
    """Rows of `model` matching `where`."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _today() -> date:
    return datetime.now(ZONE).date()


def _snapshot(app) -> tuple[int, int, int]:
    with app.app_context():
        newest_unit = db.session.scalar(select(func.max(Unit.id)))
        return _count(WorkOrder), _count(Customer), newest_unit


@pytest.fixture
def demo_db(app, seeded_demo):
    """An app context over the seeded demo, for reading it."""
    with app.app_context():
        yield
        db.session.rollback()


def test_seed_builds_customers_sites_and_equipment(demo_db):
    company = db.session.scalars(select(CompanySettings)).one()
    assert company.time_zone == "America/Chicago" and str(company.tax_rate_percent) == "8.250"
    assert 20 <= _count(Customer) <= 30
    assert 80 <= _count(Unit) <= 120
    assert {kind for kind in db.session.scalars(select(Customer.kind))} == set(CustomerKind)

    sites = Counter(db.session.scalars(select(Property.customer_id)))
    assert max(sites.values()) >= 5  # the property manager
    residential_ids = set(
        db.session.scalars(select(Customer.id).where(Customer.kind == CustomerKind.RESIDENTIAL))
    )
    assert any(sites[customer_id] >= 2 for customer_id in residential_ids)

    logins = Counter(db.session.scalars(select(PortalUser.customer_id)))
    assert len(logins) >= 0.75 * _count(Customer)
    assert sorted(logins.values())[-1] == 2

    roles = Counter(db.session.scalars(select(StaffUser.role)))
    assert set(roles) == set(StaffRole) and roles[StaffRole.TECHNICIAN] >= 4
    techs = db.session.scalars(select(StaffUser).where(StaffUser.role == StaffRole.TECHNICIAN))
    assert all(tech.epa_certification_number for tech in techs)

    units = db.session.scalars(select(Unit)).all()
    assert {"chiller", "walk_in_cooler", "walk_in_freezer", "ice_machine"} <= {
        u.kind for u in units
    }
    for unit in units:
        assert unit.manufacturer and unit.model_number and unit.serial_number
        assert unit.install_date and unit.service_interval_months
        if unit.refrigerant_type:
            assert unit.full_charge_lb and unit.charge_method and unit.epa_appliance_type


def test_units_have_warranties_active_expiring_and_expired(demo_db):
    units = db.session.scalars(select(Unit)).all()
    states = Counter(unit.parts_warranty_status(_today()) for unit in units)
    assert states["active"] and states["expiring"] and states["expired"]


def test_work_spans_two_years_and_today_has_a_board(demo_db):
    orders = db.session.scalars(select(WorkOrder).options(selectinload(WorkOrder.lines))).all()
    today = _today()
    starts = [o.first_arrival.astimezone(ZONE).date() for o in orders if o.first_arrival]
    assert min(starts) <= today - timedelta(days=700) and max(starts) > today
    statuses = Counter(order.status for order in orders)
    assert statuses[WorkOrderStatus.COMPLETED] >= 400
    assert statuses[WorkOrderStatus.IN_PROGRESS] and statuses[WorkOrderStatus.NEW]
    assert any(
        o.status == WorkOrderStatus.SCHEDULED and o.first_arrival.astimezone(ZONE).date() == today
        for o in orders
    )
    completed = [o for o in orders if o.status == WorkOrderStatus.COMPLETED]
    assert all(o.lines and o.technician_id and o.completed_at for o in completed)
    assert all(o.number.startswith("WO-") for o in orders)


def test_the_board_has_a_week_of_visits_in_every_status_and_hours_to_check(demo_db):
    today = _today()
    week = [
        visit
        for visit in db.session.scalars(select(Visit)).all()
        if today - timedelta(days=7)
        <= visit.arrival_start.astimezone(ZONE).date()
        <= today + timedelta(days=7)
    ]
    assert {visit.status for visit in week} == set(VisitStatus)
    ahead = [v for v in week if v.arrival_start.astimezone(ZONE).date() > today]
    assert len({v.arrival_start.astimezone(ZONE).date() for v in ahead}) >= 4
    assert len({v.calendar_uid for v in week}) == len(week)
    assert db.session.scalar(select(func.count()).select_from(WorkingHours)) >= 5 * 4
    assert db.session.scalar(select(func.count()).select_from(TimeOff)) >= 1


def test_customers_answered_visit_emails_this_week(demo_db):
    """The board and the dashboard's Customer answers have something to show."""
    week_ago = datetime.now(UTC) - timedelta(days=7)
    answers = db.session.scalars(
        select(VisitAnswerLink).where(VisitAnswerLink.used_at >= week_ago)
    ).all()
    kinds = Counter(answer.purpose for answer in answers)
    assert kinds[VisitAnswer.CONFIRM] >= 1 and kinds[VisitAnswer.CANCEL] == 1, kinds
    assert all(a.visit.status == VisitStatus.CONFIRMED for a in answers if a.purpose == "confirm")
    [cancelled] = [a for a in answers if a.purpose == VisitAnswer.CANCEL]
    assert cancelled.visit.status == VisitStatus.CANCELLED and cancelled.reason


def test_the_household_has_a_visit_tomorrow(demo_db):
    household = dict(demo_portal_users())["two properties"]
    tomorrow = _today() + timedelta(days=1)
    visits = db.session.scalars(
        select(Visit).join(Visit.work_order).where(WorkOrder.customer_id == household.customer_id)
    ).all()
    assert any(
        v.arrival_start.astimezone(ZONE).date() == tomorrow and v.lead_technician_id for v in visits
    )


def test_invoices_are_paid_open_and_overdue_with_totals_that_add_up(demo_db):
    rate = db.session.scalars(select(CompanySettings)).one().tax_rate_percent
    invoices = db.session.scalars(
        select(Invoice).options(selectinload(Invoice.lines), selectinload(Invoice.payments))
    ).all()
    statuses = Counter(invoice.status for invoice in invoices)
    assert statuses[InvoiceStatus.PAID] and statuses[InvoiceStatus.OPEN]
    assert any(invoice.is_overdue(_today()) for invoice in invoices)
    for invoice in invoices:
        stored = (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents)
        invoice.recalculate(rate)
        assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents) == stored
        assert invoice.subtotal_cents == sum(line.amount_cents for line in invoice.lines)
        if invoice.status == InvoiceStatus.PAID:
            assert invoice.amount_paid_cents == invoice.total_cents and invoice.paid_at
            [payment] = invoice.payments
            assert payment.status == PaymentStatus.SUCCEEDED
            assert payment.amount_cents == invoice.total_cents
        else:
            assert invoice.amount_paid_cents == 0 and not invoice.payments
    db.session.rollback()
    assert _count(Payment) == statuses[InvoiceStatus.PAID]


def test_quotes_requests_messages_and_refrigerant_records(demo_db):
    quotes = Counter(db.session.scalars(select(Quote.status)))
    assert quotes[QuoteStatus.SENT] and (
        quotes[QuoteStatus.APPROVED] or quotes[QuoteStatus.DECLINED]
    )
    fresh = db.session.scalars(
        select(ServiceRequest.source).where(ServiceRequest.status == RequestStatus.NEW)
    )
    assert set(fresh) == set(RequestSource)
    assert set(db.session.scalars(select(Message.direction))) == set(MessageDirection)
    events = db.session.execute(
        select(RefrigerantEvent.kind, Unit.epa_appliance_type).join(RefrigerantEvent.unit)
    ).all()
    on_refrigeration = {
        kind for kind, appliance in events if appliance == ApplianceType.COMMERCIAL_REFRIGERATION
    }
    assert {
        RefrigerantEventKind.ADDITION,
        RefrigerantEventKind.LEAK_INSPECTION,
        RefrigerantEventKind.REPAIR,
        RefrigerantEventKind.INITIAL_VERIFICATION,
        RefrigerantEventKind.FOLLOWUP_VERIFICATION,
    } <= on_refrigeration
    assert _count(RefrigerantEvent, RefrigerantEvent.certification_number == "") == 0


def test_quotes_offer_options_and_the_printed_household_has_one_to_sign(demo_db):
    rate = db.session.scalars(select(CompanySettings)).one().tax_rate_percent
    quotes = db.session.scalars(select(Quote).options(selectinload(Quote.lines))).all()
    for quote in quotes:
        stored = (quote.subtotal_cents, quote.tax_cents, quote.total_cents)
        quote.recalculate(rate)
        assert (quote.subtotal_cents, quote.tax_cents, quote.total_cents) == stored
    db.session.rollback()
    assert any(line.optional for quote in quotes for line in quote.lines)
    household = dict(demo_portal_users())["two properties"].customer
    waiting = [
        quote
        for quote in quotes
        if quote.customer_id == household.id
        and quote.status == QuoteStatus.SENT
        and quote.valid_until >= _today()
    ]
    # good, better, best, and an add-on to tick
    assert any(
        [len(lines) for lines in quote.option_groups().values()] == [3]
        and any(line.optional for line in quote.lines)
        for quote in waiting
    )


def test_demo_staff_sign_in_with_the_printed_passwords(app, seeded_demo):
    for login in DEMO_LOGINS:
        printed = next(line for line in seeded_demo.splitlines() if login.email in line)
        password = printed.split()[-1]
        assert password == login.password
        response = app.test_client().post(
            "/login", data={"email": login.email, "password": password}
        )
        assert response.status_code == 302, login.email
        assert response.headers["Location"].endswith("/admin/")
    assert "work orders" in seeded_demo.splitlines()[-1]


def test_second_run_refuses_and_changes_nothing(app, seeded_demo):
    before = _snapshot(app)
    result = _seed(app)
    assert result.exit_code != 0
    assert "already has data" in result.output and "--reset" in result.output
    assert _snapshot(app) == before


def test_reset_reseeds_and_scale_multiplies_the_work(app, seeded_demo):
    work_orders, customers, _ = _snapshot(app)
    result = _seed(app, "--reset")
    assert result.exit_code == 0, result.output
    assert _snapshot(app)[:2] == (work_orders, customers)  # emptied first, then the same seed
    with app.app_context():
        assert _count(CompanySettings) == 1
        assert db.session.scalar(select(func.min(WorkOrder.number))) == "WO-000001"

    result = _seed(app, "--reset", "--scale", "2")
    assert result.exit_code == 0, result.output
    twice, customers_twice, _ = _snapshot(app)
    assert customers_twice == 2 * customers
    assert 1.7 <= twice / work_orders <= 2.3
    assert "tech8@" in result.output


def test_same_seed_and_clock_give_the_same_data(app_ctx):
    now = datetime(2025, 3, 14, 15, 0, tzinfo=UTC)

    def fingerprint():
        seed_demo(1, 7, now=now)
        rows = db.session.execute(
            select(WorkOrder.number, WorkOrder.summary, WorkOrder.first_arrival).order_by(
                WorkOrder.number
            )
        ).all()
        totals = db.session.scalars(select(Invoice.total_cents).order_by(Invoice.number)).all()
        delete_all_rows()
        return rows, totals

    assert fingerprint() == fingerprint()


def test_if_empty_leaves_a_seeded_database_alone_and_logins_print(app, seeded_demo):
    runner = app.test_cli_runner()
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "keeping it" in again.output
    assert "polarbear-admin" in again.output
    logins = runner.invoke(args=["demo-logins"])
    assert "admin@polarbear.example" in logins.output and "polarbear-admin" in logins.output
    assert "two properties" in logins.output and "commercial, compliance" in logins.output


def test_a_freshly_migrated_database_counts_as_empty(app):
    """`flask db upgrade` leaves document-number counters behind; they are not data."""
    from app.extensions import db
    from app.models import NumberSequence, WorkOrder

    with app.app_context():
        db.session.add_all(NumberSequence(name=p, last_value=0) for p in ("WO", "INV", "Q", "SR"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "Seeded" in result.output
    with app.app_context():
        first = db.session.scalar(db.select(WorkOrder.number).order_by(WorkOrder.id).limit(1))
        assert first == "WO-000001"


def test_the_demo_has_leak_rates_and_an_open_repair_episode(app, seeded_demo):
    from app.models import ComplianceObligation, RepairEpisode
    from app.models.enums import EpisodeStatus, ObligationKind

    with app.app_context():
        assert _count(RefrigerantEvent, RefrigerantEvent.leak_rate_percent.is_not(None)) > 0
        repaired_awaiting_test = [
            episode
            for episode in db.session.scalars(
                select(RepairEpisode).where(RepairEpisode.status == EpisodeStatus.OPEN)
            )
            if episode.repaired_on is not None
            and any(
                o.kind == ObligationKind.INITIAL_VERIFICATION and o.completed_on is None
                for o in episode.obligations
            )
        ]
        assert repaired_awaiting_test
        assert _count(ComplianceObligation, ComplianceObligation.completed_on.is_(None)) > 0


def _downloaded(client, url: str) -> tuple[str, bytes]:
    with client.get(url) as response:
        assert response.status_code == 200, url
        return response.mimetype, response.data


def _assert_readable(mimetype: str, data: bytes, url: str) -> None:
    if mimetype == "application/pdf":
        assert data.startswith(b"%PDF-") and PdfReader(io.BytesIO(data)).pages, url
    else:
        assert Image.open(io.BytesIO(data)).format in ("JPEG", "PNG"), url


def test_the_portal_household_has_something_in_every_section_and_its_files_open(app, seeded_demo):
    with app.app_context():
        household = dict(demo_portal_users())["two properties"]
        user_id, properties = household.id, [p.id for p in household.customer.properties]
    assert len(properties) == 2
    client = app.test_client()
    sign_in_portal(client, user_id)

    for query in ("", *(f"?property_id={prop}" for prop in properties)):
        home = client.get(f"/portal/{query}").get_data(as_text=True)
        assert "Upcoming visits" in home
        if not query:
            assert not [empty for empty in EMPTY_SECTIONS if empty in home]
            due = re.search(r'class="amount-due">\$([\d,]+\.\d\d)<', home).group(1)
            assert float(due.replace(",", "")) > 0
        assert "No visits scheduled." not in home, query  # a visit booked at each property

    documents = client.get("/portal/documents").get_data(as_text=True)
    for kind in ("Manual", "Warranty", "Photo", "Work order"):
        assert '<option value="' in documents and f">{kind}</option>" in documents, kind
    links = sorted(set(re.findall(r'href="(/portal/documents/\d+)"', documents)))
    assert len(links) >= 6
    for link in links:
        _assert_readable(*_downloaded(client, link), link)

    history = client.get("/portal/history").get_data(as_text=True)
    photos = sorted(set(re.findall(r"(/portal/photos/\d+)", history)))
    assert len(photos) >= 2
    for photo in photos:
        _assert_readable(*_downloaded(client, photo), photo)
    _assert_readable(*_downloaded(client, "/brand/logo"), "logo")
    assert 'src="/brand/logo"' in history


def test_documents_and_photos_are_seeded_for_every_scale_copy(app):
    assert app.test_cli_runner().invoke(args=["seed-demo", "--scale", "2"]).exit_code == 0
    with app.app_context():
        kinds = Counter(db.session.scalars(select(Document.kind)))
        # each copy's household: a signed work order and its before and after photos
        assert kinds[DocumentKind.WORK_ORDER] == 2 and kinds[DocumentKind.PHOTO] == 4
        assert kinds[DocumentKind.MANUAL] >= 2 * 60 and kinds[DocumentKind.WARRANTY] >= 2
        assert _count(WorkOrderPhoto) >= 4


def test_the_demo_compliance_customer_has_refrigeration_and_comfort_cooling_in_its_report(
    app, seeded_demo
):
    """Done means: the commercial customer the demo names shows correct leak rates for a
    covered refrigeration and a covered comfort-cooling appliance, an open episode with
    deadlines, and an audit PDF with all of it."""
    from app.demo.cli import demo_portal_users
    from app.models import RepairEpisode
    from reports.compliance_job import compliance_report
    from tests.helpers import pdf_text

    with app.app_context():
        business = dict(demo_portal_users())["commercial, compliance"].customer
        rated = db.session.scalars(
            select(RefrigerantEvent)
            .join(RefrigerantEvent.unit)
            .join(Unit.property)
            .where(
                Property.customer_id == business.id,
                RefrigerantEvent.leak_rate_percent.is_not(None),
                RefrigerantEvent.leak_rate_inputs["regimes"].as_string() != "[]",
            )
        ).all()
        kinds = {event.unit.epa_appliance_type for event in rated}
        assert {ApplianceType.COMFORT_COOLING, ApplianceType.COMMERCIAL_REFRIGERATION} <= kinds
        chiller = [e for e in rated if e.unit.epa_appliance_type == ApplianceType.COMFORT_COOLING]
        assert all(e.leak_rate_threshold == 10 and not e.leak_rate_exceeded for e in chiller)
        [episode] = [
            e
            for e in db.session.scalars(select(RepairEpisode))
            if e.unit.property.customer_id == business.id and e.closed_on is None
        ]
        due = {o.kind.value: o.due_on for o in episode.obligations if o.completed_on is None}
        assert due["initial_verification"] == episode.discovered_on + timedelta(days=30)
        today = _today()
        text = pdf_text(
            compliance_report(
                {
                    "customer_id": business.id,
                    "date_from": (today - timedelta(days=365)).isoformat(),
                    "date_to": today.isoformat(),
                }
            ).pdf
        )
    assert "Sales floor chiller CH-1" in text and "EXCEEDED" in text
    assert f"Discovered {episode.discovered_on.isoformat()}" in text


def test_the_office_dashboard_counts_only_what_the_demo_left_to_do(app, seeded_demo):
    """Every demo invoice names the job lines it bills, and the history's jobs were signed: the
    dashboard's close-out lists only the drafts the office has to issue."""
    with app.app_context():
        drafts = _count(
            Invoice, Invoice.status == InvoiceStatus.DRAFT, Invoice.work_order_id.is_not(None)
        )
    dispatcher = next(login for login in DEMO_LOGINS if login.role == StaffRole.DISPATCHER)
    client = app.test_client()
    client.post("/login", data={"email": dispatcher.email, "password": dispatcher.password})

    page = BeautifulSoup(client.get("/admin/").get_data(as_text=True), "html.parser")

    def figure(heading_id: str) -> int:
        return int(page.find(id=heading_id).find(class_="badge").get_text())

    assert drafts >= 1
    assert figure("review-heading") == figure("drafts-heading") == drafts
    assert figure("unsigned-heading") == 0


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 7, 6, 4, tzinfo=UTC),  # Monday 00:04 in Chicago (CI saw no draft)
        datetime(2026, 12, 4, 6, 4, tzinfo=UTC),  # a Thursday before the day's first job
    ],
)
def test_whatever_the_hour_the_office_has_a_draft_to_issue(app, now):
    """The latest finished job's invoice waits for the office as a draft, so the dashboard's
    close-out is never empty in a fresh demo; chance alone left none on many hours."""
    with app.app_context():
        seed_demo(now=now)
        drafts = _count(
            Invoice, Invoice.status == InvoiceStatus.DRAFT, Invoice.work_order_id.is_not(None)
        )
        db.session.rollback()
    assert drafts >= 1


def test_the_households_signed_work_order_is_made_by_the_product(app, seeded_demo, tmp_path):
    """Today's household job was recorded and closed out through the product: its signed copy
    is the sign-off job's PDF (the fingerprint of what the customer signed, the signature
    record, the drawn signature), in the portal's documents and e-mailed, and its invoice is
    open in the portal with the same total."""
    with app.app_context():
        household = dict(demo_portal_users())["two properties"]
        user_id = household.id
        [sign_off] = db.session.scalars(
            select(WorkOrderSignOff)
            .join(WorkOrderSignOff.work_order)
            .where(WorkOrder.customer_id == household.customer_id)
        ).all()
        work_order = sign_off.work_order
        assert sign_off.method == SignOffMethod.DRAWN and sign_off.signer_name
        assert work_order.status == WorkOrderStatus.COMPLETED
        assert {line.price_book_item.code for line in work_order.lines} >= {"MAINT-VISIT"}
        assert {photo.stage for photo in work_order.photos} == set(PhotoStage)
        [refrigerant] = db.session.scalars(
            select(RefrigerantEvent).where(RefrigerantEvent.work_order_id == work_order.id)
        ).all()
        [invoice] = db.session.scalars(
            select(Invoice).where(Invoice.work_order_id == work_order.id)
        ).all()
        assert invoice.status == InvoiceStatus.OPEN
        [job] = db.session.scalars(select(Job).where(Job.kind == "signed_work_order")).all()
        assert job.status == JobStatus.FINISHED
        mailed = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == household.email)
        ).all()
        assert any(work_order.number in mail.subject for mail in mailed)
        number, document_id = work_order.number, sign_off.document_id
        shown_hash, total = sign_off.content_sha256, invoice.total_cents
        signer, pounds = sign_off.signer_name, refrigerant.pounds_added
    client = app.test_client()
    sign_in_portal(client, user_id)
    documents = client.get("/portal/documents").get_data(as_text=True)
    assert f"/portal/documents/{document_id}" in documents
    mimetype, pdf = _downloaded(client, f"/portal/documents/{document_id}")
    assert mimetype == "application/pdf"
    (tmp_path / "signed.pdf").write_bytes(pdf)
    read = [shutil.which("pdftotext"), "-layout", str(tmp_path / "signed.pdf"), "-"]
    text = subprocess.run(  # noqa: S603  (our own arguments)
        read,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert number in text and "Signature record" in text and shown_hash in text
    assert f"Signed by {signer}" in text and "Taken by" in text
    assert f"${total / 100:,.2f}" in text and f"{pounds.normalize():f}" in text
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages) >= 3
    invoices = client.get("/portal/invoices").get_data(as_text=True)
    assert f"${total / 100:,.2f}" in invoices
