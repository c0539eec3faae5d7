"""A customer's, a property's and a unit's whole story on one page, in a fixed number of
queries however much history there is."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import zxingcpp
from PIL import Image

from app.models.enums import CustomerKind, StaffRole, WorkOrderStatus
from app.services.company import local_today
from qr.codes import sticker_url
from tests import factories as f
from tests.browser_forms import form_on
from tests.query_count import counting_queries
from tests.row_copies import built_once


def _history(customer, prop, unit, copies: int = 1) -> None:
    """`copies` of everything a customer's page lists."""
    today = local_today()
    tech = f.StaffUserFactory(role=StaffRole.TECHNICIAN, name="Rosa Regular")
    for n in range(copies):
        f.WorkOrderFactory(property=prop, unit=unit, technician=tech, summary=f"Open job {n}")
        f.WorkOrderFactory(
            property=prop,
            unit=unit,
            technician=tech,
            summary=f"Finished job {n}",
            status=WorkOrderStatus.COMPLETED,
            completed_at=datetime.now(UTC) - timedelta(days=40 + n),
        )
        f.ServiceRequestFactory(unit=unit, description=f"Rattling {n}")
        f.QuoteFactory(customer=customer, title=f"New furnace {n}")
        invoice = f.InvoiceFactory(customer=customer, due_on=today - timedelta(days=45))
        f.PaymentFactory(invoice=f.InvoiceFactory(customer=customer), amount_cents=5000)
        f.MessageFactory(customer=customer, body=f"Hello {n}")
        f.DocumentFactory(customer=customer, title=f"Warranty card {n}")
        f.PortalUserFactory(customer=customer, last_login_at=datetime.now(UTC))
        f.RefrigerantEventFactory(unit=unit)
        f.UnitFactory(property=prop, name=f"Spare {n}")
        assert invoice.balance_cents


def _customer(kind=CustomerKind.COMMERCIAL):
    f.CompanySettingsFactory()
    customer = f.CustomerFactory(name="Maple Court HOA", kind=kind)
    prop = f.PropertyFactory(customer=customer, name="Maple Court")
    unit = f.UnitFactory(property=prop, name="RTU-3", service_interval_months=6)
    return customer, prop, unit


def test_the_customer_page_tells_the_whole_story(app, client, login_as):
    login_as("dispatcher")
    today = None
    with app.app_context():
        today = local_today()
        customer, prop, unit = _customer()
        _history(customer, prop, unit)
        f.InvoiceFactory(customer=customer, due_on=today + timedelta(days=5), total_cents=1000)
        f.InvoiceFactory(customer=customer, due_on=today - timedelta(days=10), total_cents=2000)
        f.InvoiceFactory(customer=customer, due_on=today - timedelta(days=120), total_cents=4000)
        customer_id = customer.id
    html = client.get(f"/admin/customer/details/?id={customer_id}").get_data(as_text=True)
    for expected in (
        "Maple Court HOA",
        "Maple Court",  # its property
        "Open job 0",
        "Finished job 0",
        "Rattling 0",  # the open request
        "New furnace 0",  # the quote
        "Hello 0",  # the message
        "Warranty card 0",  # the document
        "Last signed in",  # the portal user
        "RTU-3",  # the equipment, with its next service
        "Refrigerant compliance",  # commercial customers only
    ):
        assert expected in html, expected
    # Aging: current $10.00 and the paid invoice's $108.25 (its payment is not applied in this
    # test), 1-30 $20.00, 31-60 $108.25, 90+ $40.00.
    aging = html[html.index('class="table table-sm mb-0 aging"') :]
    cells = [cell.split("<")[0] for cell in aging.split("<td")[1:6]]
    assert [cell.split(">")[-1] for cell in cells] == [
        "$118.25",
        "$20.00",
        "$108.25",
        "$0.00",
        "$40.00",
    ]
    assert '<span class="balance-due">$286.50</span>' in html
    for action in ("New work order", "New quote", "Invite to the portal", "Send a message"):
        assert action in html
    assert f'href="/admin/stickers/?customer_id={customer_id}"' in html


def test_a_technician_sees_the_customer_without_billing(app, client, login_as):
    login_as("technician")
    with app.app_context():
        customer, prop, unit = _customer(CustomerKind.RESIDENTIAL)
        _history(customer, prop, unit)
        customer_id = customer.id
    html = client.get(f"/admin/customer/details/?id={customer_id}").get_data(as_text=True)
    assert "RTU-3" in html
    assert "Balance due" not in html and "INV-" not in html and "New quote" not in html
    assert "Open job 0" not in html  # assigned to someone else
    assert "Refrigerant compliance" not in html  # residential


PAGES = ("customer", "property", "unit")


def _short_and_long_histories() -> dict[str, dict[str, int]]:
    """Maple Court HOA with thirty of everything, a customer with one of everything, and
    someone else's unit; the ids of the long and the short history's customer, property and
    unit, by page."""
    long = _customer()
    _history(*long, copies=30)
    short_customer = f.CustomerFactory(name="Small", kind=CustomerKind.COMMERCIAL)
    short_property = f.PropertyFactory(customer=short_customer)
    short = (short_customer, short_property, f.UnitFactory(property=short_property))
    _history(*short, copies=1)
    f.UnitFactory(name="Someone else's furnace")
    return {
        name: {page: record.id for page, record in zip(PAGES, records, strict=True)}
        for name, records in (("long", long), ("short", short))
    }


@pytest.mark.parametrize("page", PAGES)
def test_a_page_makes_as_many_queries_for_a_long_history_as_for_a_short_one(
    app, client, login_as, page
):
    histories = built_once(app, _short_and_long_histories)
    login_as("admin")
    ids = {name: histories[name][page] for name in ("short", "long")}
    client.get(f"/admin/{page}/details/?id={ids['short']}")  # warm caches (company settings)
    counts = {}
    for name, record_id in ids.items():
        with counting_queries(app) as statements:
            response = client.get(f"/admin/{page}/details/?id={record_id}")
        assert response.status_code == 200
        counts[name] = len(statements)
    assert counts["long"] == counts["short"], counts
    if page != "customer":
        return
    long = client.get(f"/admin/customer/details/?id={ids['long']}").get_data(as_text=True)
    assert "See all 30" in long  # open work orders, shown 10 at a time
    assert "Open job 29" in long or "Open job 0" in long
    assert long.count("Hello ") == 5  # the newest messages only


def test_the_unit_page_shows_its_qr_code_and_prints_its_sticker(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        _customer_, _prop, unit = _customer()
        _history(_customer_, _prop, unit)
        unit_id, code = unit.id, unit.printed_label_code
        url = sticker_url(app.config["PUBLIC_BASE_URL"], unit.qr_token)
    page = client.get(f"/admin/unit/details/?id={unit_id}")
    html = page.get_data(as_text=True)
    assert code in html and url in html
    assert "Finished job 0" in html and "Rattling 0" in html  # history and open requests
    assert "Refrigerant log" in html and "Next service" in html
    image = client.get(f"/admin/unit/qr/{unit_id}.png")
    assert image.mimetype == "image/png"
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    assert decoded.text == url
    form = form_on(page, "form.print-one")
    form["start"] = "7"
    sheet = form.submit(client)
    assert sheet.status_code == 200
    sheet_form = form_on(sheet, "form.sticker-sheet-form")
    assert sheet_form["unit_ids"] == str(unit_id) and sheet_form["start"] == "7"
    assert "1 selected units" in sheet.get_data(as_text=True)


def test_the_property_page_lists_its_units_and_work(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        customer, prop, unit = _customer()
        _history(customer, prop, unit)
        prop_id = prop.id
    html = client.get(f"/admin/property/details/?id={prop_id}").get_data(as_text=True)
    for expected in ("RTU-3", "Spare 0", "Open job 0", "Finished job 0", "Rattling 0"):
        assert expected in html, expected
    assert f'href="/admin/stickers/?property_id={prop_id}"' in html


def test_the_qr_image_of_an_unknown_unit_is_not_found(client, login_as):
    login_as("dispatcher")
    assert client.get("/admin/unit/qr/999.png").status_code == 404


def test_see_all_links_open_lists_with_the_customers_records(app, client, login_as):
    customer_id = built_once(app, _short_and_long_histories)["long"]["customer"]
    login_as("admin")
    html = client.get(f"/admin/customer/details/?id={customer_id}").get_data(as_text=True)
    links = re.findall(r'href="([^"]+)">See all \d+<', html)
    assert len(links) >= 6
    for link in links:
        listing = client.get(link.replace("&amp;", "&"))
        assert listing.status_code == 200, link
    units = client.get("/admin/unit/?search=Maple+Court+HOA").get_data(as_text=True)
    assert "Spare " in units and "Someone else" not in units
