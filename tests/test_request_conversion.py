"""Converting a request keeps everything the requester gave: photos, who to call, their words;
one button on the dispatch card books the suggested visit, the form only to change it."""

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import ServiceRequest, ServiceRequestPhoto, WorkOrder
from app.models.enums import RequestStatus, StaffRole, TimeWindow, WorkOrderStatus
from app.services.company import from_local, local_today
from app.services.dispatch import suggested_window
from app.storage import path_for, read_bytes, save_bytes
from tests import factories as f
from tests.browser_forms import form_on

PHOTO = b"\xff\xd8\xff\xe0 a requester's jpeg"


def _request_with_a_photo(**fields) -> int:
    f.CompanySettingsFactory()
    request = f.ServiceRequestFactory(
        contact_name="Tina Tenant",
        contact_phone="(555) 555-0123",
        description="Water dripping from the ceiling under the attic unit",
        **fields,
    )
    stored = save_bytes(
        PHOTO,
        folder="request-photos",
        suffix=".jpg",
        filename="drip.jpg",
        content_type="image/jpeg",
    )
    db.session.add(ServiceRequestPhoto(request=request, **stored.fields()))
    db.session.commit()
    return request.id


def _next_weekday(days_ahead: int):
    day = local_today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_one_button_on_the_dispatch_card_books_the_suggested_visit(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        day = _next_weekday(6)
        request_id = _request_with_a_photo(
            preferred_date=day, preferred_window=TimeWindow.AFTERNOON
        )
        unit = db.session.get(ServiceRequest, request_id).unit
        knows = f.StaffUserFactory(name="Rosa Regular", role=StaffRole.TECHNICIAN)
        f.WorkOrderFactory(
            property=unit.property, unit=unit, technician=knows, status=WorkOrderStatus.COMPLETED
        )
        knows_id = knows.id
        start, end = suggested_window(day, TimeWindow.AFTERNOON)
    queue = client.get("/admin/dispatch/")
    card = queue.get_data(as_text=True)
    # what the button will book
    assert "Rosa Regular" in card and "12:00\u2009–\u20095:00\u202fPM Central Time" in card
    response = form_on(queue, "form.quick-convert").submit(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/dispatch/")
    with app.app_context():
        request = db.session.get(ServiceRequest, request_id)
        work_order = request.work_order
        assert request.status == RequestStatus.CONVERTED
        assert work_order.technician_id == knows_id
        [visit] = work_order.visits
        assert visit.lead_technician_id == knows_id
        assert (visit.arrival_start, visit.arrival_end) == (
            from_local(start),
            from_local(end),
        )
        assert work_order.status == WorkOrderStatus.SCHEDULED
    assert "Created WO-" in client.get("/admin/dispatch/").get_data(as_text=True)


def test_the_form_is_there_to_change_the_technician_and_time(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        request_id = _request_with_a_photo()
        other_id = f.StaffUserFactory(name="Other Tech", role=StaffRole.TECHNICIAN).id
    page = client.get("/admin/dispatch/")
    change = f"/admin/dispatch/{request_id}/convert"
    assert f'href="{change}"' in page.get_data(as_text=True)
    form = form_on(client.get(change), "form.admin-form")
    form["technician"] = str(other_id)
    form["window_start"] = "2031-03-04T13:00"
    form["window_end"] = "2031-03-04T15:00"
    assert form.submit(client).status_code == 302
    with app.app_context():
        work_order = db.session.scalar(select(WorkOrder))
        assert work_order.technician_id == other_id
        [visit] = work_order.visits
        assert (visit.lead_technician_id, visit.arrival_end - visit.arrival_start) == (
            other_id,
            timedelta(hours=2),
        )


def test_the_work_order_keeps_the_photos_the_caller_and_the_words(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        request_id = _request_with_a_photo()
    form_on(client.get("/admin/dispatch/"), "form.quick-convert").submit(client)
    with app.app_context():
        request = db.session.get(ServiceRequest, request_id)
        work_order = request.work_order
        [kept] = request.photos  # the request keeps its photo
        [copied] = work_order.photos  # and the work order has its own copy
        assert copied.storage_key != kept.storage_key
        assert read_bytes(copied.storage_key) == read_bytes(kept.storage_key) == PHOTO
        assert copied.caption == "Photo from Tina Tenant"
        assert (work_order.contact_name, work_order.contact_phone) == (
            "Tina Tenant",
            "(555) 555-0123",
        )
        assert "Water dripping from the ceiling under the attic unit" in work_order.description
        path_for(kept.storage_key).unlink()  # removing one file leaves the other
        assert read_bytes(copied.storage_key) == PHOTO
        work_order_id = work_order.id
    details = client.get(f"/admin/workorder/details/?id={work_order_id}").get_data(as_text=True)
    assert "Tina Tenant" in details and "(555) 555-0123" in details
    assert "Who to call on site" in details


def test_the_technician_sees_who_to_call_on_the_sticker_page(app, client, login_as):
    tech_id = login_as("technician")
    with app.app_context():
        request_id = _request_with_a_photo()
        request = db.session.get(ServiceRequest, request_id)
        db.session.add(
            WorkOrder(
                customer=request.customer,
                property=request.property,
                unit=request.unit,
                technician_id=tech_id,
                summary="Drip",
                description=request.description,
                contact_name=request.contact_name,
                contact_phone=request.contact_phone,
            )
        )
        db.session.commit()
        token = request.unit.qr_token
    page = client.get(f"/u/{token}").get_data(as_text=True)
    assert "Call on site" in page and "Tina Tenant" in page
    assert 'href="tel:(555) 555-0123"' in page
    assert "Water dripping from the ceiling" in page
