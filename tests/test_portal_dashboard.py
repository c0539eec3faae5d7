"""The portal home page: each section shows this customer's rows, narrowed by property."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import Invoice, PortalUser
from app.models.enums import (
    InvoiceStatus,
    QuoteStatus,
    RequestStatus,
    WorkOrderStatus,
)
from app.services.equipment import add_months
from tests import factories as f
from tests.portal_helpers import sign_in_portal
from tests.query_count import counting_queries
from tests.row_copies import built_once

CHICAGO = ZoneInfo("America/Chicago")


def _today() -> date:
    return datetime.now(CHICAGO).date()


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), CHICAGO).astimezone(UTC)


def _customer_with_a_bit_of_everything(tag: str, prop=None) -> dict:
    """One of each kind of dashboard row on one property, every text marked with `tag`."""
    today = _today()
    prop = prop or f.PropertyFactory(name=f"{tag} House")
    customer = prop.customer
    tech = f.StaffUserFactory(name=f"{tag} Tech")
    overdue_unit = f.UnitFactory(
        property=prop,
        name=f"{tag} overdue unit",
        install_date=add_months(today, -24),
        service_interval_months=12,
    )
    f.UnitFactory(
        property=prop,
        name=f"{tag} due soon unit",
        install_date=add_months(today, -12) + timedelta(days=10),
        service_interval_months=12,
    )
    f.UnitFactory(
        property=prop,
        name=f"{tag} fine unit",
        install_date=today - timedelta(days=30),
        service_interval_months=12,
    )
    f.UnitFactory(property=prop, name=f"{tag} unscheduled unit", service_interval_months=None)
    f.WorkOrderFactory(
        property=prop,
        unit=overdue_unit,
        technician=tech,
        summary=f"{tag} upcoming visit",
        status=WorkOrderStatus.SCHEDULED,
        visit_at=_local(today + timedelta(days=2), 9),
        visit_until=_local(today + timedelta(days=2), 11),
    )
    f.WorkOrderFactory(
        property=prop,
        summary=f"{tag} past visit",
        status=WorkOrderStatus.SCHEDULED,
        visit_at=_local(today - timedelta(days=3), 9),
    )
    f.WorkOrderFactory(
        property=prop,
        summary=f"{tag} cancelled visit",
        status=WorkOrderStatus.CANCELLED,
        visit_at=_local(today + timedelta(days=3), 9),
    )
    requests = {
        "new": f.ServiceRequestFactory(unit=overdue_unit, description=f"{tag} new request"),
        "converted": f.ServiceRequestFactory(
            unit=overdue_unit,
            description=f"{tag} converted request",
            status=RequestStatus.CONVERTED,
        ),
        "done": f.ServiceRequestFactory(
            unit=overdue_unit, description=f"{tag} done request", status=RequestStatus.CONVERTED
        ),
        "dismissed": f.ServiceRequestFactory(
            unit=overdue_unit,
            description=f"{tag} dismissed request",
            status=RequestStatus.DISMISSED,
            dismissed_reason=f"{tag} internal reason",
            closed_at=datetime.now(UTC) - timedelta(days=2),
        ),
        "long dismissed": f.ServiceRequestFactory(
            unit=overdue_unit,
            description=f"{tag} long dismissed request",
            status=RequestStatus.DISMISSED,
            closed_at=datetime.now(UTC) - timedelta(days=45),
        ),
    }
    f.WorkOrderFactory(
        property=prop,
        summary=f"{tag} visit for the request",
        service_request=requests["converted"],
        status=WorkOrderStatus.SCHEDULED,
        visit_at=_local(today + timedelta(days=9), 13),
    )
    f.WorkOrderFactory(
        property=prop,
        summary=f"{tag} finished visit",
        service_request=requests["done"],
        status=WorkOrderStatus.COMPLETED,
        visit_at=_local(today - timedelta(days=9), 13),
        completed_at=_local(today - timedelta(days=9), 15),
    )
    invoice = {"customer": customer, "property": prop}
    f.InvoiceFactory(
        **invoice, due_on=today - timedelta(days=5), total_cents=12_300, amount_paid_cents=2_300
    )
    f.InvoiceFactory(**invoice, due_on=today + timedelta(days=5), total_cents=5_000)
    f.InvoiceFactory(**invoice, status=InvoiceStatus.DRAFT, total_cents=77_700)
    f.InvoiceFactory(**invoice, status=InvoiceStatus.PAID, total_cents=88_800)
    f.InvoiceFactory(**invoice, status=InvoiceStatus.VOID, total_cents=99_900)
    quote = {"customer": customer, "property": prop}
    f.QuoteFactory(
        **quote,
        title=f"{tag} waiting quote",
        status=QuoteStatus.SENT,
        valid_until=today + timedelta(days=10),
        total_cents=432_100,
    )
    f.QuoteFactory(**quote, title=f"{tag} open-ended quote", status=QuoteStatus.SENT)
    f.QuoteFactory(
        **quote,
        title=f"{tag} expired quote",
        status=QuoteStatus.SENT,
        valid_until=today - timedelta(days=1),
    )
    f.QuoteFactory(**quote, title=f"{tag} draft quote", status=QuoteStatus.DRAFT)
    f.QuoteFactory(**quote, title=f"{tag} approved quote", status=QuoteStatus.APPROVED)
    user = f.PortalUserFactory(customer=customer, name=f"{tag} Person")
    return {"user": user.id, "customer": customer, "property": prop}


def _two_customers():
    f.CompanySettingsFactory()
    mine = _customer_with_a_bit_of_everything("Mine")
    theirs = _customer_with_a_bit_of_everything("Theirs")
    return {"mine": mine["user"], "theirs_property": theirs["property"].id}


@pytest.fixture
def two_customers(app):
    return built_once(app, _two_customers)


def test_every_section_shows_this_customers_rows_and_no_one_elses(client, two_customers):
    sign_in_portal(client, two_customers["mine"])
    page = client.get("/portal/").get_data(as_text=True)

    for shown in (
        "Mine upcoming visit",
        "Mine Tech",
        "Mine House",
        "Mine new request",
        "Mine converted request",
        "Mine dismissed request",
        "Mine waiting quote",
        "Mine open-ended quote",
        "$4,321.00",
        "Mine overdue unit",
        "Mine due soon unit",
        "Mine visit for the request",
    ):
        assert shown in page, shown
    for hidden in (
        "Theirs",
        "Mine past visit",
        "Mine cancelled visit",
        "Mine done request",
        "Mine long dismissed request",
        "Mine internal reason",
        "Mine expired quote",
        "Mine draft quote",
        "Mine approved quote",
        "Mine fine unit",
        "Mine unscheduled unit",
        "$777.00",
        "$888.00",
        "$999.00",
    ):
        assert hidden not in page, hidden


def test_requests_read_as_received_scheduled_or_closed(client, two_customers):
    sign_in_portal(client, two_customers["mine"])
    page = client.get("/portal/").get_data(as_text=True)
    visit_day = format_date(_today() + timedelta(days=9), "EEE, MMM d", locale="en")
    assert "Received" in page
    assert f"Scheduled for {visit_day}" in page
    assert "Closed" in page


def test_amount_due_adds_up_open_balances_and_flags_overdue(client, two_customers):
    sign_in_portal(client, two_customers["mine"])
    page = client.get("/portal/").get_data(as_text=True)
    assert "$150.00" in page  # (123.00 - 23.00) + 50.00
    assert "$100.00" in page and "$50.00" in page
    assert page.count("Overdue<") == 1


def test_amount_due_pays_the_one_open_invoice_or_lists_them_all(app, client, two_customers):
    sign_in_portal(client, two_customers["mine"])
    page = BeautifulSoup(client.get("/portal/").get_data(as_text=True), "html.parser")
    card = page.find(id="invoices-heading").parent
    invoice_links = [a["href"] for a in card.select("li a")]
    assert len(invoice_links) == 2 and all(h.startswith("/portal/invoices/") for h in invoice_links)
    assert card.select_one("a.pay")["href"] == "/portal/invoices"
    for href in invoice_links:
        assert client.get(href).status_code == 200

    with app.app_context():
        user = db.session.get(PortalUser, two_customers["mine"])
        first = db.session.scalars(
            select(Invoice)
            .where(Invoice.customer_id == user.customer_id, Invoice.status == InvoiceStatus.OPEN)
            .order_by(Invoice.due_on)
        ).first()
        first.status = InvoiceStatus.PAID
        db.session.commit()
        remaining = [h for h in invoice_links if h != f"/portal/invoices/{first.id}"]
    page = BeautifulSoup(client.get("/portal/").get_data(as_text=True), "html.parser")
    card = page.find(id="invoices-heading").parent
    assert card.select_one("a.pay")["href"] == remaining[0]


def test_visit_windows_read_as_words_in_the_customers_language(client, two_customers):
    sign_in_portal(client, two_customers["mine"])
    day = _today() + timedelta(days=2)
    page = client.get("/portal/").get_data(as_text=True)
    english_day = format_date(day, "EEE, MMM d", locale="en")
    assert f"{english_day}, 9:00\u2009\u2013\u200911:00\u202fAM Central Time" in page

    page = client.get("/portal/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    spanish_day = format_date(day, "EEE, d MMM", locale="es")
    assert f"{spanish_day}, 9:00\u201311:00 hora central" in page


def test_one_property_means_no_property_filter(client, two_customers):
    sign_in_portal(client, two_customers["mine"])
    page = client.get("/portal/").get_data(as_text=True)
    assert 'name="property_id"' not in page


def test_the_property_filter_lists_their_properties_and_narrows_every_section(app, client):
    with app.app_context():
        first = _customer_with_a_bit_of_everything("North")
        second = f.PropertyFactory(customer=first["customer"], name="South House")
        _customer_with_a_bit_of_everything("South", prop=second)
        _customer_with_a_bit_of_everything("Stranger")
        user, north_id, south_id = first["user"], first["property"].id, second.id
    sign_in_portal(client, user)

    everything = client.get("/portal/").get_data(as_text=True)
    assert 'name="property_id"' in everything
    assert f'value="{north_id}"' in everything and f'value="{south_id}"' in everything
    assert "Stranger" not in everything
    assert "North upcoming visit" in everything and "South upcoming visit" in everything

    north = client.get(f"/portal/?property_id={north_id}").get_data(as_text=True)
    for section_row in (
        "North upcoming visit",
        "North new request",
        "North waiting quote",
        "North overdue unit",
    ):
        assert section_row in north
        assert section_row.replace("North", "South") not in north
    assert "$150.00" in north and "$300.00" not in north
    assert f'value="{north_id}" selected' in north


def test_another_customers_property_id_shows_a_message_and_leaks_nothing(client, two_customers):
    sign_in_portal(client, two_customers["mine"])
    foreign = client.get(f"/portal/?property_id={two_customers['theirs_property']}")
    missing = client.get("/portal/?property_id=999999")
    junk = client.get("/portal/?property_id=abc")
    for response in (foreign, missing, junk):
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "We could not find that property on your account" in page
        assert "Theirs" not in page
        assert "Mine upcoming visit" in page


def test_sections_show_a_few_rows_and_count_them_all(app, client):
    with app.app_context():
        prop = f.PropertyFactory()
        for day in range(1, 8):
            f.WorkOrderFactory(
                property=prop,
                summary=f"Visit number {day}",
                status=WorkOrderStatus.SCHEDULED,
                visit_at=_local(_today() + timedelta(days=day), 8),
            )
        user = f.PortalUserFactory(customer=prop.customer).id
    sign_in_portal(client, user)
    page = client.get("/portal/").get_data(as_text=True)
    assert "Visit number 5" in page and "Visit number 6" not in page
    assert "Showing 5 of 7." in page


def test_equipment_falls_due_from_its_last_completed_visit(app, client):
    """A unit installed long ago but serviced lately is not due; one whose last completed work
    order is over its interval ago is overdue from that day, not from its installation."""
    today = _today()
    with app.app_context():
        f.CompanySettingsFactory()
        prop = f.PropertyFactory()
        old = {
            "property": prop,
            "install_date": add_months(today, -60),
            "service_interval_months": 6,
        }
        serviced = f.UnitFactory(**old, name="Serviced lately")
        lapsed = f.UnitFactory(**old, name="Serviced long ago")
        done = add_months(today, -8)
        for unit, day in ((serviced, today - timedelta(days=20)), (lapsed, done)):
            f.WorkOrderFactory(
                property=prop,
                unit=unit,
                status=WorkOrderStatus.COMPLETED,
                completed_at=_local(day, 15),
            )
        user = f.PortalUserFactory(customer=prop.customer).id
    sign_in_portal(client, user)
    page = client.get("/portal/").get_data(as_text=True)
    assert "Serviced lately" not in page
    overdue_since = format_date(add_months(done, 6), "medium", locale="en")
    assert f"Overdue since {overdue_since}" in page


def test_each_section_is_one_query_however_many_rows_it_has(app, client):
    with app.app_context():
        f.CompanySettingsFactory()
        mine = _customer_with_a_bit_of_everything("Mine")
    sign_in_portal(client, mine["user"])
    client.get("/portal/")
    with counting_queries(app) as few:
        assert client.get("/portal/").status_code == 200
    with app.app_context():
        for n in range(3):
            _customer_with_a_bit_of_everything(f"More {n}", prop=db.session.merge(mine["property"]))
    with counting_queries(app) as many:
        page = client.get("/portal/").get_data(as_text=True)
    assert "More 2 upcoming visit" in page
    assert len(many) == len(few), many
    counted = ("visits", "service_requests", "invoices", "quotes")
    separate_counts = [
        s
        for s in many
        if s.lstrip().lower().startswith("select count(") and any(t in s for t in counted)
    ]
    assert separate_counts == []
    # The customer comes with the signed-in user, not by a query of its own.
    assert [s for s in many if s.lstrip().startswith("SELECT customers.")] == []


def test_signed_out_visitors_go_to_the_sign_in_page(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert "/portal/login" in response.headers["Location"]
