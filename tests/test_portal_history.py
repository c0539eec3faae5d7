"""Service history in the portal: the list, its filters, photos and exports, and its speed."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import insert, select

from app.extensions import db
from app.models import (
    Visit,
    WorkOrder,
    WorkOrderLine,
    WorkOrderNote,
    WorkOrderPhoto,
)
from app.models.enums import QuoteStatus, RequestSource, RequestStatus, WorkOrderStatus
from app.queries import history as history_queries
from app.storage import save_bytes
from app.thumbnails import THUMBNAIL_SIDE
from reports import history_csv
from tests import factories as f
from tests.helpers import png
from tests.portal_helpers import sign_in_portal
from tests.query_count import counting_queries
from tests.row_copies import built_once

CHICAGO = ZoneInfo("America/Chicago")


def _local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHICAGO).astimezone(UTC)


def _photo(work_order, caption="", data=None) -> WorkOrderPhoto:
    stored = save_bytes(
        data or png((1200, 900), (200, 40, 40)),
        folder="work-orders",
        suffix=".png",
        filename="p.png",
        content_type="image/png",
    )
    photo = WorkOrderPhoto(work_order_id=work_order.id, caption=caption, **stored.fields())
    db.session.add(photo)
    db.session.commit()
    return photo


def _note(work_order, body: str, visible: bool) -> None:
    db.session.add(
        WorkOrderNote(work_order_id=work_order.id, body=body, visible_to_customer=visible)
    )
    db.session.commit()


def _history():
    f.CompanySettingsFactory()
    north = f.PropertyFactory(name="North House")
    customer = north.customer
    south = f.PropertyFactory(customer=customer, name="South House")
    attic = f.UnitFactory(property=north, name="Attic furnace")
    roof = f.UnitFactory(property=south, name="Roof condenser")
    tech = f.StaffUserFactory(name="Terry Tech")
    tune_up = f.WorkOrderFactory(
        property=north,
        unit=attic,
        technician=tech,
        summary="Spring tune-up",
        description="Check the heat exchanger",
        status=WorkOrderStatus.COMPLETED,
        visit_at=_local(date(2025, 3, 9), 9),
        completed_at=_local(date(2025, 3, 9), 23, 30),  # 05:30 UTC on the 10th
    )
    f.WorkOrderLineFactory(work_order=tune_up, description="Tune-up labor")
    f.WorkOrderLineFactory(
        work_order=tune_up, description="Air filter", quantity=2, unit_price_cents=1250
    )
    _note(tune_up, "Replaced your filter; next one due in the fall.", visible=True)
    _note(tune_up, "Customer's dog bites, bring treats", visible=False)
    photo = _photo(tune_up, caption="Old filter")
    repair = f.WorkOrderFactory(
        property=south,
        unit=roof,
        summary="No cooling",
        status=WorkOrderStatus.SCHEDULED,
        visit_at=_local(date(2025, 7, 1)),
    )
    f.WorkOrderFactory(
        property=south,
        summary="Duct cleaning",
        status=WorkOrderStatus.CANCELLED,
        visit_at=_local(date(2024, 11, 5)),
    )
    stranger_home = f.PropertyFactory(name="Stranger Manor")
    stranger_unit = f.UnitFactory(property=stranger_home, name="Stranger boiler")
    stranger_visit = f.WorkOrderFactory(
        property=stranger_home,
        unit=stranger_unit,
        summary="Stranger boiler repair",
        visit_at=_local(date(2025, 5, 5)),
    )
    _note(stranger_visit, "Stranger visible note", visible=True)
    stranger_photo = _photo(stranger_visit)
    user = f.PortalUserFactory(customer=customer)
    return {
        "user": user.id,
        "north": north.id,
        "south": south.id,
        "attic": attic.id,
        "roof": roof.id,
        "tune_up": tune_up.number,
        "repair": repair.number,
        "photo": photo.id,
        "stranger_home": stranger_home.id,
        "stranger_unit": stranger_unit.id,
        "stranger_photo": stranger_photo.id,
    }


@pytest.fixture
def history(app):
    """A customer with two properties and a few visits, and a stranger with one visit."""
    return built_once(app, _history)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _order(page: str, *texts: str) -> list[int]:
    return [page.index(text) for text in texts]


def test_history_lists_their_work_orders_newest_first_with_what_happened(client, history):
    sign_in_portal(client, history["user"])
    page = _page(client, "/portal/history")

    positions = _order(page, "No cooling", "Spring tune-up", "Duct cleaning")
    assert positions == sorted(positions)
    assert history["tune_up"] in page and "Terry Tech" in page
    assert "North House" in page and "Attic furnace" in page
    assert "Mar 9, 2025" in page  # completed late in the evening, local time
    assert "Tune-up labor" in page and "Air filter" in page and "$25.00" in page
    assert "$114.00" in page  # 89.00 + 2 × 12.50
    assert "Replaced your filter" in page
    assert f'href="/portal/photos/{history["photo"]}"' in page
    assert f'src="/portal/photos/{history["photo"]}?thumb=1"' in page
    assert "3 work orders" in page


def test_internal_notes_and_other_customers_never_appear(client, history):
    sign_in_portal(client, history["user"])
    bodies = {
        url: client.get(url).get_data(as_text=True)
        for url in ("/portal/history", "/portal/history?q=dog", "/portal/history?q=Stranger")
    }
    bodies["csv"] = client.get("/portal/history.csv").data.decode("utf-8-sig")
    bodies["pdf"] = _pdf_text(client.get("/portal/history.pdf").data)
    for where, body in bodies.items():
        for secret in ("dog bites", "Stranger boiler", "Stranger visible note", "Stranger Manor"):
            assert secret not in body, (where, secret)


def test_search_looks_in_number_summary_description_and_unit_name(client, history):
    sign_in_portal(client, history["user"])
    for query in (history["tune_up"], "tune-up", "HEAT EXCHANGER", "attic"):
        page = _page(client, f"/portal/history?q={query}")
        assert "Spring tune-up" in page and "No cooling" not in page, query
    for literal in ("%25", "_", "/"):  # %, _ and the escape character mean themselves
        nothing = _page(client, f"/portal/history?q={literal}")
        assert "No work orders match these filters." in nothing, literal


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("property_id={south}", ["No cooling", "Duct cleaning"], ["Spring tune-up"]),
        ("unit_id={roof}", ["No cooling"], ["Spring tune-up", "Duct cleaning"]),
        ("status=cancelled", ["Duct cleaning"], ["Spring tune-up", "No cooling"]),
        ("from=2025-01-01&to=2025-06-30", ["Spring tune-up"], ["No cooling", "Duct cleaning"]),
        # Completed 23:30 on the 9th, Chicago time: the 9th locally, though the 10th in UTC.
        ("from=2025-03-09&to=2025-03-09", ["Spring tune-up"], ["No cooling"]),
        ("from=2025-03-10", ["No cooling"], ["Spring tune-up", "Duct cleaning"]),
        ("to=2024-12-31", ["Duct cleaning"], ["Spring tune-up", "No cooling"]),
    ],
)
def test_filters_narrow_the_list(client, history, query, shown, hidden):
    sign_in_portal(client, history["user"])
    page = _page(client, "/portal/history?" + query.format(**history))
    for text in shown:
        assert text in page, (query, text)
    for text in hidden:
        assert text not in page, (query, text)


def test_the_selects_offer_only_their_own_properties_and_units(client, history):
    sign_in_portal(client, history["user"])
    page = _page(client, "/portal/history")
    assert f'<option value="{history["north"]}"' in page
    assert f'<option value="{history["roof"]}"' in page
    assert f'value="{history["stranger_home"]}"' not in page
    assert "Stranger" not in page


@pytest.mark.parametrize("name", ["property_id", "unit_id"])
@pytest.mark.parametrize("value", ["stranger", "999999", "abc", "-1", "99999999999999999999"])
def test_an_id_that_is_not_theirs_is_left_out_and_says_so(client, history, name, value):
    """Like every portal page's filter: the id is left out with a message, and the page and
    its exports show all of the customer's work orders and nobody else's."""
    typed = history["stranger_home" if name == "property_id" else "stranger_unit"]
    value = str(typed) if value == "stranger" else value
    sign_in_portal(client, history["user"])
    page = _page(client, f"/portal/history?{name}={value}")
    thing, things = ("property", "properties") if name == "property_id" else ("unit", "units")
    assert f"We could not find that {thing} on your account. Showing all {things}." in page
    assert "Spring tune-up" in page and "Stranger" not in page
    csv_text = client.get(f"/portal/history.csv?{name}={value}").data.decode("utf-8-sig")
    assert "Spring tune-up" in csv_text and "Stranger" not in csv_text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-45", "“2026-13-45” is not a date we can use."),
        ("to=yesterday", "“yesterday” is not a date we can use."),
        ("from=0001-01-01", "“0001-01-01” is not a date we can use."),
        ("to=9999-12-31", "“9999-12-31” is not a date we can use."),
        ("status=exploded", "We did not recognize that status"),
        ("from=2025-12-31&to=2025-01-01", "The start date was after the end date"),
    ],
)
def test_bad_filter_input_gets_a_message_not_an_error(client, history, query, message):
    sign_in_portal(client, history["user"])
    page = _page(client, f"/portal/history?{query}")
    assert message in page
    assert 'role="alert"' in page


@pytest.mark.parametrize("page_arg", ["abc", "0", "-4", "", "1.5", "99999999999999999999"])
def test_an_unreadable_or_far_page_number_shows_a_real_page(client, history, page_arg):
    sign_in_portal(client, history["user"])
    page = _page(client, f"/portal/history?page={page_arg}")
    assert "Spring tune-up" in page


def test_odd_search_text_is_harmless(client, history):
    sign_in_portal(client, history["user"])
    for query in ("' OR 1=1 --", "_", "\\", "x" * 500):  # NUL: tests/test_hostile_input.py
        _page(client, f"/portal/history?q={query}")


def test_pages_hold_twenty_and_page_links_keep_the_filters(app, client):
    with app.app_context():
        prop = f.PropertyFactory()
        for day in range(45):
            f.WorkOrderFactory(
                property=prop,
                summary=f"Filter change {day:02d}",
                status=WorkOrderStatus.COMPLETED,
                completed_at=_local(date(2024, 1, 1) + timedelta(days=day)),
            )
        f.WorkOrderFactory(property=prop, summary="Something else")
        user = f.PortalUserFactory(customer=prop.customer).id
    sign_in_portal(client, user)

    first = _page(client, "/portal/history?q=filter+change")
    assert first.count('class="card work-order"') == 20
    assert "Filter change 44" in first and "Filter change 24" not in first
    assert "Page 1 of 3" in first
    assert 'href="/portal/history?page=2&amp;q=filter+change"' in first
    assert "Something else" not in first

    last = _page(client, "/portal/history?q=filter+change&page=3")
    assert last.count('class="card work-order"') == 5
    assert "Filter change 00" in last and 'rel="prev"' in last and 'rel="next"' not in last
    beyond = _page(client, "/portal/history?q=filter+change&page=40")
    assert "Page 3 of 3" in beyond


def test_a_photo_of_their_own_is_served_inline_and_as_a_thumbnail(client, history):
    sign_in_portal(client, history["user"])
    with client.get(f"/portal/photos/{history['photo']}") as full:
        assert full.status_code == 200
        assert full.mimetype == "image/png"
        assert "attachment" not in full.headers.get("Content-Disposition", "")
        assert Image.open(io.BytesIO(full.data)).size == (1200, 900)

    with client.get(f"/portal/photos/{history['photo']}?thumb=1") as thumb:
        assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
        assert max(Image.open(io.BytesIO(thumb.data)).size) <= THUMBNAIL_SIDE
        assert thumb.headers["Cache-Control"] == "no-store"


def test_photos_of_others_are_not_found_and_a_lost_file_says_so(app, client, history):
    sign_in_portal(client, history["user"])
    assert client.get(f"/portal/photos/{history['stranger_photo']}").status_code == 404
    assert client.get(f"/portal/photos/{history['stranger_photo']}?thumb=1").status_code == 404
    assert client.get("/portal/photos/999999").status_code == 404
    with app.app_context():
        photo = db.session.get(WorkOrderPhoto, history["photo"])
        photo.storage_key = "../outside.png"
        db.session.commit()
    assert client.get(f"/portal/photos/{history['photo']}").status_code == 410
    assert client.get(f"/portal/photos/{history['photo']}?thumb=1").status_code == 410


def test_history_needs_a_portal_sign_in(client, history):
    for url in ("/portal/history", "/portal/history.csv", f"/portal/photos/{history['photo']}"):
        response = client.get(url)
        assert response.status_code == 302 and "/portal/login" in response.headers["Location"]


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_export_has_every_filtered_row(client, history):
    sign_in_portal(client, history["user"])
    rows = _csv_rows(client.get(f"/portal/history.csv?property_id={history['south']}"))
    assert rows[0] == [
        "Date",
        "Number",
        "Property",
        "Unit",
        "Technician",
        "Status",
        "Summary",
        "Total (USD)",
    ]
    assert [row[6] for row in rows[1:]] == ["No cooling", "Duct cleaning"]
    everything = _csv_rows(client.get("/portal/history.csv"))
    tune_up = next(row for row in everything if row[1] == history["tune_up"])
    assert tune_up == [
        "2025-03-09",
        history["tune_up"],
        "North House",
        "Attic furnace",
        "Terry Tech",
        "Completed",
        "Spring tune-up",
        "114.00",
    ]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_never_start_a_formula(app, client, start):
    dangerous = f'{start}HYPERLINK("http://evil.test","click")'
    with app.app_context():
        prop = f.PropertyFactory(name=f"{start}1+2 Property")
        unit = f.UnitFactory(property=prop, name=f"{start}cmd|' /C calc'!A0")
        tech = f.StaffUserFactory(name=f"{start}Tech")
        f.WorkOrderFactory(property=prop, unit=unit, technician=tech, summary=dangerous)
        user = f.PortalUserFactory(customer=prop.customer).id
    sign_in_portal(client, user)
    rows = _csv_rows(client.get("/portal/history.csv"))
    row = rows[1]
    assert row[6] == "'" + dangerous
    assert row[2] == f"'{start}1+2 Property" and row[3].startswith(f"'{start}cmd")
    assert row[4] == f"'{start}Tech"
    for cell in (cell for row in rows for cell in row):
        assert not cell.startswith(history_csv.FORMULA_STARTS), cell


def test_exports_stop_at_the_limit_and_say_so(client, history, monkeypatch):
    monkeypatch.setattr(history_queries, "EXPORT_LIMIT", 2)
    sign_in_portal(client, history["user"])
    rows = _csv_rows(client.get("/portal/history.csv"))
    assert len(rows) == 1 + 2 + 1
    assert rows[-1][0].startswith("Only the first 2 work orders are included.")
    pdf = _pdf_text(client.get("/portal/history.pdf").data)
    assert "Only the first 2 work orders are included." in pdf


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_export_lists_the_filtered_work_orders_under_the_company_and_filters(client, history):
    sign_in_portal(client, history["user"])
    response = client.get(f"/portal/history.pdf?property_id={history['north']}&q=tune")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = _pdf_text(response.data)
    assert "Polar Bear Heating & Air" in text
    assert "Property: North House" in text and "Search: tune" in text
    assert history["tune_up"] in text and "Spring tune-up" in text and "$114.00" in text
    assert history["repair"] not in text and "No cooling" not in text


def test_pdf_export_with_nothing_matching_says_so(client, history):
    sign_in_portal(client, history["user"])
    text = _pdf_text(client.get("/portal/history.pdf?status=on_hold").data)
    assert "No work orders match these filters." in text and "Status: On hold" in text


# Speed: the number of queries must not grow with the number of work orders.


def _customer_with_work_orders(n: int) -> int:
    """A customer with `n` work orders (lines, notes, photos) and a few of everything else.

    The work orders go in with bulk inserts (numbers set by hand), so 1,000 take a moment.
    The small customer has 2 properties, units and technicians, the large one 12, and fewer
    rows in every dashboard section, so a query per row (or per related record) would show
    up as a different count.
    """
    few = 2 if n < 100 else 12
    customer = f.CustomerFactory()
    properties = [f.PropertyFactory(customer=customer) for _ in range(few)]
    techs = [f.StaffUserFactory() for _ in range(few)]
    units = [
        f.UnitFactory(property=prop, install_date=date(2020, 1, 1), service_interval_months=6)
        for prop in properties
    ]
    now = datetime.now(UTC)
    db.session.execute(
        insert(WorkOrder),
        [
            {
                "number": f"WO-{customer.id}-{i:06d}",
                "customer_id": customer.id,
                "property_id": properties[i % few].id,
                "unit_id": units[i % few].id,
                "technician_id": techs[i % few].id,
                "summary": f"Visit {i}",
                "status": WorkOrderStatus.SCHEDULED if i % 3 else WorkOrderStatus.COMPLETED,
                "completed_at": None if i % 3 else now + timedelta(days=i - n // 2, hours=2),
            }
            for i in range(n)
        ],
    )
    ids = db.session.scalars(
        select(WorkOrder.id).where(WorkOrder.customer_id == customer.id).order_by(WorkOrder.id)
    ).all()
    db.session.execute(
        insert(Visit),
        [
            {
                "work_order_id": work_order_id,
                "arrival_start": now + timedelta(days=i - n // 2),
                "arrival_end": now + timedelta(days=i - n // 2, hours=2),
                "calendar_uid": f"{work_order_id}@test",
            }
            for i, work_order_id in enumerate(ids)
        ],
    )
    db.session.execute(
        insert(WorkOrderLine),
        [{"work_order_id": i, "description": "Labor", "unit_price_cents": 9900} for i in ids],
    )
    db.session.execute(
        insert(WorkOrderNote),
        [
            {"work_order_id": i, "body": "Note", "visible_to_customer": bool(i % 2)}
            for i in ids
            for _ in range(2)
        ],
    )
    db.session.execute(
        insert(WorkOrderPhoto),
        [{"work_order_id": i, "storage_key": "x.jpg", "content_type": "image/jpeg"} for i in ids],
    )
    open_ids = db.session.scalars(
        select(WorkOrder.id).where(
            WorkOrder.customer_id == customer.id,
            WorkOrder.status == WorkOrderStatus.SCHEDULED,
            WorkOrder.first_arrival > now,
        )
    ).all()
    db.session.commit()
    for k in range(few):
        request = f.ServiceRequestFactory(unit=units[k], source=RequestSource.PORTAL)
        if k % 2:
            request.status = RequestStatus.CONVERTED
            db.session.get(WorkOrder, open_ids[k]).service_request_id = request.id
        f.InvoiceFactory(customer=customer, property=properties[k], due_on=date(2020, 1, 1))
        f.QuoteFactory(
            customer=customer, property=properties[k], status=QuoteStatus.SENT, valid_until=None
        )
    db.session.commit()
    return f.PortalUserFactory(customer=customer).id


@pytest.mark.parametrize("url", ["/portal/", "/portal/history", "/portal/history?q=visit"])
def test_pages_use_the_same_number_of_queries_for_10_or_1000_work_orders(app, url):
    counts = {}
    with app.app_context():
        users = {n: _customer_with_work_orders(n) for n in (10, 1000)}
    for n, user in users.items():
        client = app.test_client()
        sign_in_portal(client, user)
        client.get(url)  # warm caches (company settings, etc.)
        with counting_queries(app) as statements:
            response = client.get(url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Visit" in page
        counts[n] = len(statements)
    assert counts[10] == counts[1000], counts
