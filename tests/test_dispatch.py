"""Converting a request starts from a visit that fits what the requester asked for."""

from datetime import datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.extensions import db
from app.models import StaffUser, WorkOrder
from app.models.enums import StaffRole, TimeWindow, WorkOrderStatus
from app.services.company import local_today
from app.services.dispatch import suggested_window
from tests import factories as f
from tests.browser_forms import form_on


def _future_weekday(days_ahead: int):
    day = local_today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize(
    ("window", "hours"),
    [
        (TimeWindow.MORNING, (8, 12)),
        (TimeWindow.AFTERNOON, (12, 17)),
        (TimeWindow.EVENING, (17, 20)),
        (TimeWindow.ANY, (8, 10)),
    ],
)
def test_the_requested_day_and_window_are_offered(app_ctx, window, hours):
    day = _future_weekday(10)
    start, end = suggested_window(day, window)
    assert (start, end) == tuple(datetime.combine(day, time(hour)) for hour in hours)


@pytest.mark.parametrize("preferred", [None, "past"])
def test_a_missing_or_past_day_becomes_the_next_business_day(app_ctx, preferred):
    day = local_today() - timedelta(days=3) if preferred == "past" else None
    start, end = suggested_window(day, TimeWindow.ANY)
    assert start.date() > local_today() and start.weekday() < 5
    assert start.date() - local_today() <= timedelta(days=3)
    assert (start.time(), end.time()) == (time(8), time(10))
    evening = suggested_window(day, TimeWindow.EVENING)
    assert evening[0].date() == start.date() and evening[0].time() == time(17)


def test_the_convert_form_is_filled_from_the_request(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        f.CompanySettingsFactory()
        day = _future_weekday(7)
        unit = f.UnitFactory()
        regular = f.StaffUserFactory(name="Rosa Regular", role=StaffRole.TECHNICIAN)
        f.StaffUserFactory(name="Other Tech", role=StaffRole.TECHNICIAN)
        f.WorkOrderFactory(
            property=unit.property, unit=unit, technician=regular, status=WorkOrderStatus.COMPLETED
        )
        request_id = f.ServiceRequestFactory(
            unit=unit, preferred_date=day, preferred_window=TimeWindow.AFTERNOON
        ).id
        regular_id = regular.id
    form = client.get(f"/admin/dispatch/{request_id}/convert").text
    assert f'value="{day.isoformat()}T12:00"' in form
    assert f'value="{day.isoformat()}T17:00"' in form
    assert f'<option selected value="{regular_id}">Rosa Regular</option>' in form


def test_without_history_or_a_day_the_form_offers_the_next_business_morning_unassigned(
    app, client, login_as
):
    login_as("dispatcher")
    with app.app_context():
        request_id = f.ServiceRequestFactory().id
        start, _ = suggested_window(None, TimeWindow.ANY)
    form = client.get(f"/admin/dispatch/{request_id}/convert").text
    assert f'value="{start.date().isoformat()}T08:00"' in form
    assert '<option selected value="0">Unassigned</option>' in form


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "two", "3"])
def test_any_page_number_shows_a_page_of_the_queue(app, client, login_as, page):
    with app.app_context():
        f.ServiceRequestFactory(description="Rattling in the attic unit")
    login_as("dispatcher")

    response = client.get(f"/admin/dispatch/?page={page}")

    assert response.status_code == 200
    assert "Rattling in the attic unit" in response.get_data(as_text=True)


def test_only_active_technicians_are_offered_and_a_card_never_suggests_a_former_one(
    app, client, login_as
):
    login_as("dispatcher")
    with app.app_context():
        unit = f.UnitFactory()
        leaving = f.StaffUserFactory(name="Ian Leaving", role=StaffRole.TECHNICIAN)
        f.StaffUserFactory(name="Tina Active", role=StaffRole.TECHNICIAN)
        f.StaffUserFactory(name="Dana Dispatch", role=StaffRole.DISPATCHER)
        f.WorkOrderFactory(
            property=unit.property, unit=unit, technician=leaving, status=WorkOrderStatus.COMPLETED
        )
        request_id = f.ServiceRequestFactory(unit=unit).id
        leaving_id = leaving.id
    convert = f"/admin/dispatch/{request_id}/convert"
    stale = form_on(client.get(convert), "form.admin-form")  # opened while Ian still worked here
    with app.app_context():
        db.session.get(StaffUser, leaving_id).active = False
        db.session.commit()

    queue = client.get("/admin/dispatch/")
    assert form_on(queue, "form.quick-convert")["technician"] == "0"
    assert "Unassigned" in queue.text and "Ian Leaving" not in queue.text
    offered = BeautifulSoup(client.get(convert).text, "html.parser").select(
        "select[name=technician] option"
    )
    assert [option.text for option in offered] == ["Unassigned", "Tina Active"]

    answer = stale.submit(client)
    assert answer.status_code == 200 and "Not a valid choice" in answer.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WorkOrder)) == 1
