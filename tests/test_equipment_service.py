"""When units are due for service."""

from datetime import UTC, date, datetime

from app.models.enums import WorkOrderStatus
from app.services.equipment import add_months, service_statuses
from tests import factories as f


def test_add_months_keeps_the_day_or_ends_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 6) == date(2027, 5, 15)
    assert add_months(date(2026, 12, 1), 12) == date(2027, 12, 1)


def test_service_is_due_an_interval_after_the_last_completed_visit(app_ctx):
    today = date(2026, 11, 25)
    serviced = f.UnitFactory(service_interval_months=6, install_date=date(2020, 1, 1))
    f.WorkOrderFactory(
        property=serviced.property,
        unit=serviced,
        status=WorkOrderStatus.COMPLETED,
        completed_at=datetime(2026, 6, 10, 15, tzinfo=UTC),
    )
    never = f.UnitFactory(service_interval_months=12, install_date=date(2025, 1, 1))
    soon = f.UnitFactory(service_interval_months=12, install_date=date(2025, 12, 10))
    no_plan = f.UnitFactory(service_interval_months=None)
    statuses = service_statuses([serviced, never, soon, no_plan], today)
    assert statuses[serviced.id].last_service == date(2026, 6, 10)
    assert statuses[serviced.id].next_due == date(2026, 12, 10)
    assert statuses[serviced.id].state == "due_soon"
    assert (statuses[never.id].next_due, statuses[never.id].state) == (date(2026, 1, 1), "overdue")
    assert statuses[soon.id].state == "due_soon"
    assert statuses[no_plan.id].state == "no_interval"
