"""The EPA compliance report, tested by what an auditor reads in the PDF: each appliance's
leak rates, the exceedance, the repair deadlines and test results, the technicians'
certification numbers and the interpretations used. Plus the document the customer gets, the
job's errors, the CLI, the admin page and a real RQ worker.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.jobs import enqueue
from app.models import Document, Job
from app.models.enums import (
    ApplianceType,
    CustomerKind,
    DocumentKind,
    JobStatus,
    RefrigerantEventKind,
    StaffRole,
    UnitKind,
)
from app.storage import read_bytes
from reports.compliance import ReportRequest, load_report
from reports.compliance_data import deadline_status
from tests import factories as f
from tests.helpers import pdf_text, wait_for
from tests.portal_helpers import sign_in_portal
from tests.refrigerant_helpers import added, recorded
from tests.row_copies import built_once

PERIOD = {"date_from": "2024-01-01", "date_to": "2026-11-20"}
Kind = RefrigerantEventKind


@dataclass(frozen=True)
class Records:
    customer_id: int
    store_id: int
    other_customer_property_id: int
    walk_in_code: str
    chiller_code: str


def _walk_in_and_chiller(store) -> tuple:
    walk_in = f.UnitFactory(
        walk_in=True,
        property=store,
        name="Walk-in freezer",
        kind=UnitKind.WALK_IN_FREEZER,
        install_date=date(2019, 5, 1),
    )
    chiller = f.UnitFactory(
        property=store,
        name="Rooftop chiller",
        kind=UnitKind.CHILLER,
        refrigerant_type="R-22",
        full_charge_lb=Decimal("400"),
        epa_appliance_type=ApplianceType.COMFORT_COOLING,
        install_date=date(2020, 6, 1),
    )
    return walk_in, chiller


def _records() -> Records:
    f.CompanySettingsFactory()
    grocery = f.CustomerFactory(name="Fresh Fields Grocery", kind=CustomerKind.COMMERCIAL)
    store = f.PropertyFactory(customer=grocery, name="Main Street store")
    elsewhere = f.PropertyFactory(name="Someone else's shop")
    walk_in, chiller = _walk_in_and_chiller(store)
    ana = f.StaffUserFactory(
        role=StaffRole.TECHNICIAN, name="Ana Tech", epa_certification_number="608-777"
    )
    ben = f.StaffUserFactory(
        role=StaffRole.TECHNICIAN, name="Ben Tech", epa_certification_number="608-888"
    )
    inspected = {"leak_found": True, "test_method": "Electronic detector"}
    passed = {"test_passed": True, "test_method": "Bubble test"}
    for tech, kind, day, fields in (
        (ana, Kind.ADDITION, date(2026, 3, 1), {"pounds_added": Decimal("10")}),
        (
            ana,
            Kind.LEAK_INSPECTION,
            date(2026, 3, 20),
            {**inspected, "leak_location": "Evaporator coil"},
        ),
        (ana, Kind.ADDITION, date(2026, 4, 1), {"pounds_added": Decimal("5")}),
        (ana, Kind.REPAIR, date(2026, 4, 15), {"leak_location": "TXV flare nut"}),
        (
            ana,
            Kind.INITIAL_VERIFICATION,
            date(2026, 4, 16),
            {**passed, "leak_location": "TXV flare nut"},
        ),
        (
            ben,
            Kind.FOLLOWUP_VERIFICATION,
            date(2026, 4, 28),
            {**passed, "test_method": "Standing pressure test"},
        ),
    ):
        recorded(walk_in, tech, kind, day, **fields)
    added(chiller, ben, date(2025, 2, 1), "8")
    added(chiller, ben, date(2025, 8, 1), "4")
    return Records(
        grocery.id,
        store.id,
        elsewhere.id,
        walk_in.printed_label_code,
        chiller.printed_label_code,
    )


@pytest.fixture
def records(app) -> Records:
    """A grocery with a walk-in that leaked over its threshold (repaired, tests passed, the
    follow-up late) and a Part 82 comfort-cooling chiller with two small additions."""
    return built_once(app, _records)


def assert_audit_contents(text: str, records: Records) -> None:
    """What an auditor must find: rates, the exceedance, deadlines, tests, people, notes."""
    for expected in (
        "Fresh Fields Grocery",
        "Main Street store",
        "2024-01-01 to 2026-11-20",
        "Part 82 + Part 84",
        records.walk_in_code,
        records.chiller_code,
        "Walk-in freezer",
        "R-404A",
        "R-22",
        # walk-in: first Part 84 calculation (D = 365), then 5/80 × 365/31
        "12.50",
        "73.59",
        "EXCEEDED",
        "D = 31 since 2026-03-01",
        # chiller, Part 82: D from the installation capped at 365, then 181 days
        "2.00",
        "2.02",
        "D = 181 since 2025-02-01",
        # the episode: day 0 2026-04-01, repair and initial test due 30 days later
        "Discovered 2026-04-01",
        "2026-05-01",
        "2026-04-26",  # follow-up due 10 days after the initial test...
        "late",  # ...done on 2026-04-28
        "on time",
        "Bubble test",
        "Standing pressure test",
        "passed",
        "TXV flare nut",
        "Electronic detector",
        "2027-04-01",  # the yearly leak inspection, a year after the exceedance
        "18.75%",  # 15 lb of 80 in 2026: not a chronic leaker
        "below 125%",
        "Ana Tech",
        "608-777",
        "Ben Tech",
        "608-888",
        "How this report reads the rules",
        "not legal advice",
        "Polar Bear Heating & Air",
    ):
        assert expected in text, expected
    assert "Page 1 of" in text


def test_the_job_writes_the_report_and_files_it_in_the_customers_documents(app, records):
    with app.app_context():
        job_id = enqueue("compliance_report", customer_id=records.customer_id, **PERIOD).id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FINISHED, job.error
    assert job.result_filename == (
        f"epa-compliance-c{records.customer_id}-2024-01-01-to-2026-11-20.pdf"
    )
    with app.app_context():
        pdf = read_bytes(job.result_key)
        [document] = db.session.scalars(select(Document)).all()
        assert document.kind == DocumentKind.COMPLIANCE_REPORT
        assert document.visible_to_customer is True
        assert document.title == "EPA refrigerant compliance report 2024-01-01 to 2026-11-20"
        assert (document.customer_id, document.property_id) == (records.customer_id, None)
        assert read_bytes(document.storage_key) == pdf
        assert document.content_type == "application/pdf" and document.size_bytes == len(pdf)
    assert_audit_contents(pdf_text(pdf), records)


def test_a_report_for_one_site_is_filed_under_that_site(app, records):
    with app.app_context():
        job_id = enqueue(
            "compliance_report",
            customer_id=records.customer_id,
            property_id=records.store_id,
            date_from="2026-01-01",
            date_to="2026-06-30",
        ).id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FINISHED, job.error
    with app.app_context():
        document = db.session.scalars(select(Document)).one()
        assert document.property_id == records.store_id
        text = pdf_text(read_bytes(document.storage_key))
    assert "73.59" in text and "12.50" in text
    assert "2.02" not in text  # the chiller's additions were in 2025, outside the period


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"customer_id": 999_999, **PERIOD}, "Unknown customer 999999."),
        ({"property_id": "elsewhere", **PERIOD}, "is not one of Fresh Fields Grocery's"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-31"}, "is after the end date"),
        ({"date_from": "2014-01-01", "date_to": "2026-01-01"}, "longer than 10 years"),
        ({"date_from": "01/02/2026", "date_to": "2026-03-01"}, "date_from must be a date"),
        ({"date_from": "2026-01-01"}, "date_to must be a date as YYYY-MM-DD, not None"),
    ],
)
def test_bad_parameters_fail_the_job_with_a_clear_message(app, records, params, message):
    params = {"customer_id": records.customer_id, **params}
    if params.get("property_id") == "elsewhere":
        params["property_id"] = records.other_customer_property_id
    with app.app_context():
        job_id = enqueue("compliance_report", **params).id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("ValueError: ") and message in job.error
    with app.app_context():
        assert db.session.scalars(select(Document)).all() == []


def test_loading_takes_the_same_queries_for_two_appliances_or_twenty(app, records):
    def count_queries(request) -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            load_report(request)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    request = ReportRequest(
        records.customer_id, "Fresh Fields Grocery", None, date(2024, 1, 1), date(2026, 11, 20)
    )
    with app.app_context():
        before = count_queries(request)
        store = db.session.get(f.Property, records.store_id)
        tech = f.StaffUserFactory(epa_certification_number="608-999")
        for _ in range(9):
            walk_in, chiller = _walk_in_and_chiller(store)
            added(walk_in, tech, date(2026, 3, 1), "2")
            added(chiller, tech, date(2025, 3, 1), "2")
        db.session.expire_all()
        after = count_queries(request)
        assert len(load_report(request).appliances) == 20
    assert after == before <= 9


def test_the_cli_writes_the_report_without_filing_a_document(app, records, tmp_path):
    output = tmp_path / "epa.pdf"
    result = app.test_cli_runner().invoke(
        args=[
            "compliance-report",
            "--customer",
            str(records.customer_id),
            "--from",
            PERIOD["date_from"],
            "--to",
            PERIOD["date_to"],
            "-o",
            str(output),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote the compliance report for Fresh Fields Grocery (2 appliance(s))" in result.output
    assert_audit_contents(pdf_text(output.read_bytes()), records)
    with app.app_context():
        assert db.session.scalars(select(Document)).all() == []
        assert db.session.scalars(select(Job)).all() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--customer", "424242", "--from", "2026-01-01", "--to", "2026-02-01"],
            "Unknown customer",
        ),
        (["--from", "2026-03-01", "--to", "2026-02-01"], "is after the end date"),
        (["--from", "yesterday", "--to", "2026-02-01"], "date_from must be a date as YYYY-MM-DD"),
        (["--property", "OTHER", "--from", "2026-01-01", "--to", "2026-02-01"], "is not one of"),
    ],
)
def test_the_cli_explains_what_is_wrong(app, records, tmp_path, args, message):
    if "--customer" not in args:
        args = ["--customer", str(records.customer_id), *args]
    args = [str(records.other_customer_property_id) if a == "OTHER" else a for a in args]
    output = tmp_path / "never.pdf"
    result = app.test_cli_runner().invoke(args=["compliance-report", *args, "-o", str(output)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert not output.exists()


def test_the_admin_page_lists_customers_with_refrigerant_and_starts_the_job(
    app, client, login_as, records
):
    with app.app_context():
        f.CustomerFactory(name="Homeowner Hal")  # residential: not offered
    login_as("dispatcher")
    assert client.get("/admin/compliance-report/").status_code == 200
    offered = client.get(
        "/admin/compliance-report/ajax/lookup/",
        query_string={"name": "refrigerant_customer", "query": ""},
    ).json
    assert [name for _, name in offered] == ["Fresh Fields Grocery"]
    response = client.post(
        "/admin/compliance-report/",
        data={
            "customer_id": records.customer_id,
            "property_id": records.store_id,
            "date_from": "2025-01-01",
            "date_to": "2026-06-30",
        },
    )
    assert response.status_code == 302 and "/admin/job" in response.headers["Location"]
    with app.app_context():
        job = db.session.scalars(select(Job)).one()
        assert job.kind == "compliance_report"
        assert job.params == {
            "customer_id": records.customer_id,
            "property_id": records.store_id,
            "date_from": "2025-01-01",
            "date_to": "2026-06-30",
        }
    assert wait_for(app, job.id).status == JobStatus.FINISHED


def test_the_admin_page_refuses_a_site_of_another_customer(app, client, login_as, records):
    login_as("manager")
    response = client.post(
        f"/admin/compliance-report/?customer_id={records.customer_id}",
        data={
            "customer_id": records.customer_id,
            "property_id": records.other_customer_property_id,
            "date_from": "2026-02-01",
            "date_to": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert b"The end date is before the start date." in response.data
    assert b"This site is not one of the customer&#39;s." in response.data
    with app.app_context():
        assert db.session.scalars(select(Job)).all() == []


@pytest.mark.parametrize(
    ("completed_on", "expected"),
    [
        (date(2026, 5, 1), "on time"),
        (date(2026, 5, 2), "late"),
        (None, "overdue"),
    ],
)
def test_deadlines_are_judged_on_the_data_through_date(completed_on, expected):
    assert deadline_status(date(2026, 5, 1), completed_on, date(2026, 6, 1)) == expected
    assert deadline_status(date(2026, 7, 1), None, date(2026, 6, 1)) == "open"


def test_a_real_rq_worker_builds_the_report(app, rq_worker, records):
    with app.app_context():
        job_id = enqueue("compliance_report", customer_id=records.customer_id, **PERIOD).id
        db.session.commit()  # pushes the job onto the RQ queue

    rq_worker()

    job = wait_for(app, job_id, timeout=1)
    assert job.status == JobStatus.FINISHED, job.error
    with app.app_context():
        assert_audit_contents(pdf_text(read_bytes(job.result_key)), records)
        document = db.session.scalars(select(Document)).one()
        assert document.visible_to_customer and document.customer_id == records.customer_id


@pytest.mark.parametrize(
    ("date_from", "accepted"),
    [("2016-01-02", True), ("2016-01-01", False)],  # ends 2026-01-01: 10 years less a day
)
def test_the_admin_form_and_the_job_share_one_period_rule(
    app, client, login_as, records, date_from, accepted
):
    login_as("manager")
    response = client.post(
        "/admin/compliance-report/",
        data={"customer_id": records.customer_id, "date_from": date_from, "date_to": "2026-01-01"},
    )
    assert (response.status_code == 302) is accepted
    with app.app_context():
        jobs = db.session.scalars(select(Job)).all()
    assert len(jobs) == int(accepted)
    if accepted:
        assert wait_for(app, jobs[0].id).status == JobStatus.FINISHED
    else:
        assert b"Choose a period of at most 10 years." in response.data


def test_the_notes_page_states_every_reading_plainly_with_its_basis_in_an_appendix(app, records):
    from reports.compliance_job import compliance_report
    from reports.compliance_notes import interpretations

    with app.app_context():
        pdf = compliance_report({"customer_id": records.customer_id, **PERIOD}).pdf
        notes = interpretations(False)
    text = " ".join(pdf_text(pdf).split())
    notes_page = text[text.index("How this report reads the rules") :]
    readings, appendix = notes_page.split("Appendix: the basis of each reading")
    assert [r.number for r in notes.readings] == list(range(1, len(notes.readings) + 1))
    for reading in notes.readings:
        # A plain numbered sentence, no tag in front of it...
        assert f"{reading.number}. {' '.join(reading.text.split())}" in readings, reading.text
        # ...and its basis, tag and words, in the appendix.
        assert f"{reading.number} {reading.tag} {reading.basis}" in appendix, reading.number
    for tag in ("[T]", "[S]", "[I]", "[?]"):
        assert readings.count(tag) == 0, tag
    assert {r.tag for r in notes.readings} == {"[T]", "[S]", "[I]", "[?]"}
    assert "not legal advice" in readings
    for topic in (
        "When the appliance is evacuated for the repair, the initial verification test",
        "The follow-up verification test is due 10 days",
        "A mothballed appliance's repair clock stops",
        "Repair-deadline extensions other than the 120 days",
        "50 percent or more of its capacity",
        "disagree on whether VRF systems",
        "Part 84 leak inspections are taken to mirror Part 82's",
        "The technician's EPA 608 certification number",
        "this report uses the days since installation (the conservative reading)",
        "Part 82 additions before 2019-01-01",
    ):
        assert topic in readings, topic
    by_opening = {r.text[:40]: r.tag for r in notes.readings}
    assert by_opening["When the appliance is evacuated for the r"[:40]] == "[?]"
    assert by_opening["A mothballed appliance's repair clock sto"[:40]] == "[I]"


def test_the_notes_page_states_the_companys_reading_of_the_first_part84_calculation(app):
    from reports.compliance_notes import interpretations

    with app.test_request_context():
        literal = " ".join(r.text for r in interpretations(True).readings)
    assert "this report uses 365 days (the literal reading of 84.106(b)(1))" in literal


def test_the_customer_downloads_the_report_from_the_portals_documents(app, client, records):
    with app.app_context():
        job_id = enqueue("compliance_report", customer_id=records.customer_id, **PERIOD).id
        db.session.commit()
        customer = db.session.get(f.Customer, records.customer_id)
        user_id = f.PortalUserFactory(customer=customer).id
    assert wait_for(app, job_id).status == JobStatus.FINISHED
    with app.app_context():
        document_id = db.session.scalar(select(Document.id))
    sign_in_portal(client, user_id)
    listing = client.get("/portal/documents").data.decode()
    assert "EPA refrigerant compliance report 2024-01-01 to 2026-11-20" in listing
    assert f"/portal/documents/{document_id}" in listing
    with client.get(f"/portal/documents/{document_id}") as download:
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert_audit_contents(pdf_text(download.data), records)
