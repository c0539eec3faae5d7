"""The dashboard's week: what is due this week (Monday to Sunday on the company's clock) apart
from what is overdue, at the instants where one week turns into the next; and the charts'
figures, one query each however much data there is."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models import ComplianceObligation
from app.models.enums import ObligationKind, PaymentStatus, RequestSource, StaffRole
from app.queries import dashboard
from app.queries import dashboard_charts as figures
from tests import factories as f
from tests.query_count import counting_queries

CHICAGO = ZoneInfo("America/Chicago")
SUNDAY = date(2026, 12, 6)
NEXT_MONDAY = date(2026, 12, 7)
SUNDAY_2359 = datetime(2026, 12, 6, 23, 59, tzinfo=CHICAGO)  # Monday 05:59 in UTC
MONDAY_0000 = datetime(2026, 12, 7, 0, 0, tzinfo=CHICAGO)


@pytest.fixture
def due_around_the_weekend(app_ctx):
    """In Chicago: obligations and invoices due on the Wednesday, Sunday and Monday around the
    turn of the week of Nov 30 - Dec 6, 2026."""
    f.CompanySettingsFactory(time_zone="America/Chicago")
    unit = f.UnitFactory()
    for kind, due in (
        (ObligationKind.REPAIR, date(2026, 12, 2)),
        (ObligationKind.INITIAL_VERIFICATION, SUNDAY),
        (ObligationKind.LEAK_INSPECTION, NEXT_MONDAY),
    ):
        db.session.add(ComplianceObligation(unit=unit, kind=kind, due_on=due))
    for due, cents in ((date(2026, 12, 2), 100), (SUNDAY, 2000), (NEXT_MONDAY, 30000)):
        f.InvoiceFactory(due_on=due, total_cents=cents)
    db.session.commit()


def _kinds(section) -> list[str]:
    return [obligation.kind.value for obligation in section.rows]


def test_the_week_is_the_companys_monday_to_sunday(app_ctx):
    assert dashboard.week_of(SUNDAY_2359).today == SUNDAY
    assert dashboard.week_of(SUNDAY_2359.astimezone(UTC)).monday == date(2026, 11, 30)
    assert dashboard.week_of(MONDAY_0000).monday == NEXT_MONDAY
    assert dashboard.week_of(MONDAY_0000).sunday == date(2026, 12, 13)


def test_sunday_2359_still_counts_sunday_as_due_this_week(due_around_the_weekend):
    week = dashboard.week_of(SUNDAY_2359.astimezone(UTC))  # the server's clock is UTC
    assert _kinds(dashboard.compliance_due_this_week(week)) == ["initial_verification"]
    assert _kinds(dashboard.compliance_overdue(week)) == ["repair"]
    due = dashboard.invoices_due_this_week(week)
    assert (due.count, due.total_cents) == (1, 2000)
    overdue = dashboard.overdue_invoices(week)
    assert (overdue.count, overdue.total_cents) == (1, 100)


def test_monday_0000_starts_a_new_week_and_sunday_is_overdue(due_around_the_weekend):
    week = dashboard.week_of(MONDAY_0000.astimezone(UTC))
    assert _kinds(dashboard.compliance_due_this_week(week)) == ["leak_inspection"]
    assert _kinds(dashboard.compliance_overdue(week)) == ["repair", "initial_verification"]
    due = dashboard.invoices_due_this_week(week)
    assert (due.count, due.total_cents) == (1, 30000)
    overdue = dashboard.overdue_invoices(week)
    assert (overdue.count, overdue.total_cents) == (2, 2100)


def test_done_suspended_and_paid_items_are_neither_due_nor_overdue(due_around_the_weekend):
    for obligation in db.session.query(ComplianceObligation):
        obligation.completed_on = date(2026, 11, 1)
    f.InvoiceFactory(due_on=SUNDAY, total_cents=5000, amount_paid_cents=5000)
    db.session.commit()
    week = dashboard.week_of(SUNDAY_2359)
    assert dashboard.compliance_due_this_week(week).count == 0
    assert dashboard.compliance_overdue(week).count == 0
    assert dashboard.invoices_due_this_week(week).total_cents == 2000


def test_receivables_age_by_days_past_due(app_ctx):
    today = date(2026, 12, 6)
    for days_late, cents in ((-3, 100), (0, 200), (1, 300), (30, 400), (31, 500), (91, 600)):
        f.InvoiceFactory(due_on=today - timedelta(days=days_late), total_cents=cents)
    f.InvoiceFactory(due_on=today - timedelta(days=45), total_cents=900, amount_paid_cents=200)
    db.session.commit()
    assert figures.receivables_aging(today) == [
        ("current", 300),
        ("1-30", 700),
        ("31-60", 1200),
        ("61-90", 0),
        ("90+", 600),
    ]


def test_revenue_is_counted_in_the_company_month_less_refunds(app_ctx):
    f.CompanySettingsFactory(time_zone="America/Chicago")
    # 23:30 on Nov 30 in Chicago is already December in UTC: it is November's money.
    f.PaymentFactory(amount_cents=1000, received_at=datetime(2026, 12, 1, 5, 30, tzinfo=UTC))
    f.PaymentFactory(
        amount_cents=5000, refunded_cents=2000, received_at=datetime(2026, 12, 3, tzinfo=UTC)
    )
    f.PaymentFactory(amount_cents=700, status=PaymentStatus.FAILED)
    f.PaymentFactory(amount_cents=9999, received_at=datetime(2026, 5, 20, tzinfo=UTC))  # too old
    db.session.commit()
    revenue = figures.revenue_by_month(date(2026, 12, 6))
    assert [start for start, _ in revenue] == [date(2026, m, 1) for m in range(7, 13)]
    assert dict(revenue)[date(2026, 11, 1)] == 1000
    assert dict(revenue)[date(2026, 12, 1)] == 3000
    assert sum(cents for _, cents in revenue) == 4000


def test_jobs_per_technician_counts_this_week_and_lists_the_free_ones(app_ctx):
    f.CompanySettingsFactory(time_zone="America/Chicago")
    busy = f.StaffUserFactory(role=StaffRole.TECHNICIAN, name="Busy Bea")
    f.StaffUserFactory(role=StaffRole.TECHNICIAN, name="Free Fred")
    f.StaffUserFactory(role=StaffRole.DISPATCHER, name="Dana Desk")
    week = dashboard.week_of(SUNDAY_2359)
    for moment in (
        datetime(2026, 11, 30, 0, 0, tzinfo=CHICAGO),  # Monday 00:00: this week
        SUNDAY_2359,  # this week
        MONDAY_0000,  # next week
        datetime(2026, 11, 29, 23, 59, tzinfo=CHICAGO),  # last week
    ):
        f.WorkOrderFactory(technician=busy, visit_at=moment.astimezone(UTC))
    db.session.commit()
    assert figures.jobs_per_technician(week) == [("Busy Bea", 2), ("Free Fred", 0)]


def test_requests_by_source_in_the_last_30_days(app_ctx):
    f.ServiceRequestFactory(source=RequestSource.PORTAL)
    f.ServiceRequestFactory(source=RequestSource.PORTAL)
    f.ServiceRequestFactory(source=RequestSource.PHONE)
    old = f.ServiceRequestFactory(source=RequestSource.QR)
    old.created_at = datetime.now(UTC) - timedelta(days=40)
    db.session.commit()
    today = datetime.now(UTC).astimezone(CHICAGO).date()
    assert figures.requests_by_source(today) == [
        (RequestSource.QR, 0),
        (RequestSource.PORTAL, 2),
        (RequestSource.PHONE, 1),
    ]


def _chart_queries(app, week) -> int:
    with counting_queries(app) as statements:
        figures.receivables_aging(week.today)
        figures.revenue_by_month(week.today)
        figures.jobs_per_technician(week)
        figures.requests_by_source(week.today)
        dashboard.compliance_due_this_week(week)
        dashboard.compliance_overdue(week)
        dashboard.invoices_due_this_week(week)
        dashboard.overdue_invoices(week)
    return len(statements)


def test_the_dashboard_queries_do_not_grow_with_the_data(app, app_ctx):
    f.CompanySettingsFactory()
    week = dashboard.week_of(datetime.now(UTC))
    empty = _chart_queries(app, week)
    tech = f.StaffUserFactory(role=StaffRole.TECHNICIAN)
    unit = f.UnitFactory()
    for days in range(-40, 40, 3):
        day = week.today + timedelta(days=days)
        f.InvoiceFactory(due_on=day)
        f.PaymentFactory(received_at=datetime.now(UTC) - timedelta(days=abs(days) * 3))
        f.WorkOrderFactory(technician=tech, visit_at=datetime.now(UTC) + timedelta(days))
        f.ServiceRequestFactory(source=RequestSource.PHONE)
        db.session.add(ComplianceObligation(unit=unit, kind=ObligationKind.REPAIR, due_on=day))
    db.session.commit()
    assert _chart_queries(app, week) == empty
