"""The dashboard's content, and list pages whose query count does not grow with the data and
that never count a whole table."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from app.models.enums import MessageDirection, RequestStatus, StaffRole
from tests import factories as f
from tests.query_count import counting_queries

CHICAGO = ZoneInfo("America/Chicago")


def _today_at(hour: int) -> datetime:
    today = datetime.now(CHICAGO).date()
    return datetime.combine(today, time(hour), CHICAGO).astimezone(UTC)


def test_dashboard_shows_todays_visits_new_requests_and_overdue_invoices(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        f.CompanySettingsFactory()
        tech = f.StaffUserFactory(name="Terry Tech", role=StaffRole.TECHNICIAN)
        f.WorkOrderFactory(summary="Furnace no heat", visit_at=_today_at(9), technician=tech)
        f.WorkOrderFactory(summary="Next week job", visit_at=_today_at(9) + timedelta(7))
        f.ServiceRequestFactory(contact_name="Rita Requester")
        f.ServiceRequestFactory(contact_name="Old Done", status=RequestStatus.CONVERTED)
        f.InvoiceFactory(due_on=date.today() - timedelta(days=40), total_cents=45000)
        f.InvoiceFactory(due_on=date.today() + timedelta(days=10), total_cents=99900)
    page = client.get("/admin/").data.decode()
    assert "Furnace no heat" in page and "Terry Tech" in page and "9:00\u202fAM" in page
    assert "Next week job" not in page
    assert "Rita Requester" in page and "Old Done" not in page
    assert "$450.00" in page and "$999.00" not in page
    spanish = BeautifulSoup(
        client.get("/admin/", headers={"Accept-Language": "es"}).data, "html.parser"
    )
    row = next(r for r in spanish.select("tr") if "Furnace no heat" in r.get_text())
    assert row.select("td")[-1].get_text(strip=True) == "Programada"


def test_technician_dashboard_shows_only_their_visits_and_no_money(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        f.WorkOrderFactory(summary="My visit", visit_at=_today_at(10), technician_id=me)
        f.WorkOrderFactory(summary="Someone else's", visit_at=_today_at(11))
        f.InvoiceFactory(due_on=date.today() - timedelta(days=40))
    page = client.get("/admin/").data.decode()
    assert "My visit" in page and "Someone else" not in page
    assert "Overdue invoices" not in page and "New service requests" not in page


def _populate(n: int) -> None:
    """n of each kind of record, all linked, so every list has rows with relations."""
    tech = f.StaffUserFactory(role=StaffRole.TECHNICIAN)
    for _ in range(n):
        unit = f.UnitFactory()
        f.PortalUserFactory(customer=unit.property.customer)
        work_order = f.WorkOrderFactory(property=unit.property, unit=unit, technician=tech)
        f.WorkOrderLineFactory(work_order=work_order)
        f.ServiceRequestFactory(unit=unit)
        f.QuoteFactory(customer=unit.property.customer)
        invoice = f.InvoiceFactory(customer=unit.property.customer, work_order=work_order)
        f.PaymentFactory(invoice=invoice)
        f.MessageFactory(
            customer=unit.property.customer,
            direction=MessageDirection.FROM_OFFICE,
            staff_author=tech,
        )
        f.DocumentFactory(customer=unit.property.customer, unit=unit)
        f.RefrigerantEventFactory(unit=unit, technician=tech, work_order=work_order)


LISTS = [
    "customer",
    "property",
    "unit",
    "portaluser",
    "message",
    "document",
    "servicerequest",
    "workorder",
    "quote",
    "invoice",
    "payment",
    "refrigerantevent",
    "staffuser",
    "auditevent",
    "dispatch",
    "",  # the dashboard
]


@pytest.mark.parametrize("endpoint", LISTS)
def test_list_pages_use_the_same_number_of_queries_for_more_rows(app, client, login_as, endpoint):
    login_as("admin")
    url = f"/admin/{endpoint}/" if endpoint else "/admin/"
    with app.app_context():
        _populate(2)
    client.get(url)  # warm caches (company settings, etc.)
    with counting_queries(app) as few:
        assert client.get(url).status_code == 200
    with app.app_context():
        _populate(6)
    with counting_queries(app) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), many


RECORD_LISTS = [endpoint for endpoint in LISTS if endpoint not in ("", "dispatch")]


@pytest.mark.parametrize("endpoint", RECORD_LISTS)
def test_record_lists_do_not_count_their_rows(app, client, login_as, endpoint):
    """A count over a table of 100,000 rows on every page load costs more than the page."""
    login_as("admin")
    with app.app_context():
        _populate(2)
    with counting_queries(app) as statements:
        assert client.get(f"/admin/{endpoint}/").status_code == 200
    assert [s for s in statements if "count(" in s.lower()] == []


def test_a_long_list_pages_forward_and_back_without_a_count(app, client, login_as):
    login_as("admin")
    with app.app_context():
        for n in range(25):
            f.CustomerFactory(name=f"Zephyr {n:02}")
    first = BeautifulSoup(client.get("/admin/customer/").text, "html.parser")
    assert len(first.find_all(string=re.compile("Zephyr"))) == 20
    [forward] = [a["href"] for a in first.select(".pagination a") if a.text.strip() == ">"]
    second = BeautifulSoup(client.get(forward).text, "html.parser")
    assert len(second.find_all(string=re.compile("Zephyr"))) == 5
    [back] = [a["href"] for a in second.select(".pagination a") if a.text.strip() == "<"]
    assert (
        len(
            BeautifulSoup(client.get(back).text, "html.parser").find_all(
                string=re.compile("Zephyr")
            )
        )
        == 20
    )
