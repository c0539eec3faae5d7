"""Service requests from the portal: the form, the dispatch queue, statuses, photos."""

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, ServiceRequest, ServiceRequestPhoto, Unit
from app.models.enums import RequestSource, RequestStatus, WorkOrderStatus
from tests import factories as f
from tests.browser_forms import form_on
from tests.portal_helpers import sign_in_portal
from tests.row_copies import built_once


def _home():
    f.CompanySettingsFactory()
    customer = f.CustomerFactory(name="Dana Whitfield")
    house = f.PropertyFactory(customer=customer, name="Home", address_line1="12 Birch Lane")
    cabin = f.PropertyFactory(customer=customer, name="Cabin")
    unit = f.UnitFactory(property=house, name="Basement furnace")
    user = f.PortalUserFactory(
        customer=customer, name="Dana Whitfield", email="dana@example.com", phone="555-0101"
    )
    other = f.UnitFactory(name="Neighbour's heat pump")
    return {
        "user": user.id,
        "customer": customer.id,
        "house": house.id,
        "cabin": cabin.id,
        "unit": unit.id,
        "other_unit": other.id,
        "other_property": other.property_id,
    }


@pytest.fixture
def home(app):
    """A customer with a portal user, two properties and a unit; another customer's unit."""
    return built_once(app, _home)


def _form(client, target: str, *, photos=(), tampered: bool = False, **typed):
    """What the customer's browser sends from the request page after filling it in; `tampered`
    sends values the page does not offer (an edited page or request)."""
    form = form_on(client.get("/portal/requests/new"), "form.request-form")
    values = {
        "target": target,
        "contact_name": "Dana Whitfield",
        "contact_phone": "555-010-1010",
        "contact_email": "dana@example.com",
        "description": "Furnace blows cold air",
        "preferred_date": (date.today() + timedelta(days=3)).isoformat(),
        "preferred_window": "afternoon",
        **typed,
    }
    for name, value in values.items():
        if tampered:
            form.tamper(name, value)
        else:
            form[name] = value
    form.attach("photos", *photos)
    return form.data()


def _photo(color="blue", fmt="PNG") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(out, fmt)
    out.seek(0)
    return out


def _requests(app) -> list[ServiceRequest]:
    with app.app_context():
        return db.session.scalars(select(ServiceRequest).order_by(ServiceRequest.id)).all()


def _stored_photos(app) -> list[Path]:
    folder = Path(app.config["STORAGE_DIR"]) / "request-photos"
    return sorted(folder.glob("*")) if folder.exists() else []


def test_the_form_fills_in_the_contact_and_preselects_the_unit(client, home):
    sign_in_portal(client, home["user"])
    page = client.get(f"/portal/requests/new?unit_id={home['unit']}").data.decode()
    assert f'<option value="unit-{home["unit"]}" selected>' in page
    assert 'value="Dana Whitfield"' in page and 'value="dana@example.com"' in page
    assert 'value="555-0101"' in page
    assert "Neighbour" not in page
    by_property = client.get(f"/portal/requests/new?property_id={home['cabin']}").data.decode()
    assert f'<option value="property-{home["cabin"]}" selected>' in by_property


@pytest.mark.parametrize(
    "query",
    ["unit_id={other_unit}", "property_id={other_property}", "unit_id=abc", "unit_id=99999999999"],
)
def test_preselecting_something_not_theirs_is_a_404(client, home, query):
    sign_in_portal(client, home["user"])
    assert client.get("/portal/requests/new?" + query.format(**home)).status_code == 404


def test_a_portal_request_joins_the_dispatch_queue_and_mails_the_office(
    app, client, home, login_as
):
    sign_in_portal(client, home["user"])
    response = client.post(
        "/portal/requests/new",
        data=_form(client, f"unit-{home['unit']}", photos=[(_photo(), "furnace.png")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.headers["Location"] == "/portal/requests"
    listing = client.get("/portal/requests").data.decode()
    assert "We received your request SR-000001" in listing
    assert "Furnace blows cold air" in listing and "Received" in listing

    [request] = _requests(app)
    with app.app_context():
        request = db.session.get(ServiceRequest, request.id)
        assert request.source == RequestSource.PORTAL and request.status == RequestStatus.NEW
        assert request.portal_user_id == home["user"]
        assert (request.unit_id, request.property_id, request.customer_id) == (
            home["unit"],
            home["house"],
            home["customer"],
        )
        assert request.preferred_window.value == "afternoon"
        assert request.status_token_hash is None
        [photo] = request.photos
        assert photo.content_type == "image/jpeg"
        mails = db.session.scalars(select(OutboxMessage)).all()
        assert [m.to_address for m in mails] == ["office@polarbear.test"]
        assert "from the customer portal" in mails[0].text_body
        assert "Basement furnace" in mails[0].text_body
        assert mails[0].reply_to == "dana@example.com"

    login_as("dispatcher")
    queue = client.get("/admin/dispatch/").data.decode()
    assert "SR-000001" in queue and ">Portal</span>" in queue
    assert "Dana Whitfield" in queue and "Basement furnace" in queue


def test_a_request_can_be_about_a_property_without_a_unit(app, client, home):
    sign_in_portal(client, home["user"])
    client.post("/portal/requests/new", data=_form(client, f"property-{home['cabin']}"))
    [request] = _requests(app)
    assert request.unit_id is None and request.property_id == home["cabin"]
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        assert "none chosen, only the property" in mail.text_body


def test_photos_are_reencoded_and_shown_on_the_request_page(app, client, home):
    sign_in_portal(client, home["user"])
    client.post(
        "/portal/requests/new",
        data=_form(
            client,
            f"unit-{home['unit']}",
            photos=[(_photo(), "a.png"), (_photo("red", "JPEG"), "b.jpg")],
        ),
        content_type="multipart/form-data",
    )
    [request] = _requests(app)
    with app.app_context():
        photos = db.session.scalars(select(ServiceRequestPhoto)).all()
        assert sorted(p.content_type for p in photos) == ["image/jpeg", "image/jpeg"]
        ids = [p.id for p in photos]
    page = client.get(f"/portal/requests/{request.id}").data.decode()
    assert "Received: we will contact you to schedule a visit." in page
    for photo_id in ids:
        assert f"/portal/request-photos/{photo_id}" in page
        with client.get(f"/portal/request-photos/{photo_id}") as served:
            assert served.status_code == 200 and served.mimetype == "image/jpeg"
            assert "attachment" not in served.headers.get("Content-Disposition", "")
            assert Image.open(io.BytesIO(served.data)).format == "JPEG"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"description": ""}, "This field is required."),
        ({"contact_phone": "", "contact_email": ""}, "Give a phone number or an e-mail address"),
        ({"preferred_date": "2020-01-01"}, "Choose today or a later day."),
        ({"preferred_date": "next tuesday"}, "Not a valid date value."),
        ({"preferred_date": "2999-01-01"}, "Choose a day within the next year."),
        ({"preferred_window": "midnight"}, "Not a valid choice."),
        ({"target": ""}, "Choose the unit or property that needs service."),
        ({"target": "unit-{other_unit}"}, "Choose one of your units or properties."),
        ({"target": "property-{other_property}"}, "Choose one of your units or properties."),
        ({"target": "unit-abc"}, "Choose one of your units or properties."),
        (
            {"photos": [(_photo(), "1.png"), (_photo(), "2.png"), (_photo(), "3.png")]},
            "Please attach at most 2 photos.",
        ),
        (
            {"photos": [(_photo(), "ok.png"), (io.BytesIO(b"%PDF-1.4 fake"), "x.jpg")]},
            "That file is not a picture we can read.",
        ),
    ],
)
def test_bad_input_gets_a_message_and_writes_nothing(app, client, home, overrides, message):
    sign_in_portal(client, home["user"])
    files_before = _stored_photos(app)
    target = overrides.pop("target", "unit-{unit}").format(**home)
    response = client.post(
        "/portal/requests/new",
        data=_form(client, target, tampered=True, **overrides),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.data.decode()
    assert message in page
    assert "Furnace blows cold air" in page or overrides.get("description") == ""
    assert _requests(app) == []
    assert _stored_photos(app) == files_before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_unit_with_an_open_request_gets_the_report_added(app, client, home):
    with app.app_context():
        existing = f.ServiceRequestFactory(unit=db.session.get(Unit, home["unit"]))
        number = existing.number
    sign_in_portal(client, home["user"])
    form = client.get(f"/portal/requests/new?unit_id={home['unit']}").data.decode()
    assert f"Request {number} for this unit is still open" in form
    response = client.post(
        "/portal/requests/new", data=_form(client, f"unit-{home['unit']}"), follow_redirects=True
    )
    assert f"This unit already had an open request, {number}" in response.data.decode()
    [request] = _requests(app)
    assert request.report_count == 2
    with app.app_context():
        request = db.session.get(ServiceRequest, request.id)
        assert request.repeat_reports[0].description == "Furnace blows cold air"
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        assert "Reported again (2 times)" in mail.subject
    page = client.get(f"/portal/requests/{request.id}").data.decode()
    assert "Reported again" in page and "Furnace blows cold air" in page


def _days_ahead(*days: int) -> list[str]:
    return [(date.today() + timedelta(days=n)).isoformat() for n in days]


def test_up_to_three_preferred_days_reach_the_request_page_and_dispatch(
    app, client, home, login_as
):
    first, second, third = _days_ahead(5, 2, 9)
    sign_in_portal(client, home["user"])
    form = client.get("/portal/requests/new").data.decode()
    assert "First choice" in form and "Second choice" in form and "Third choice" in form
    client.post(
        "/portal/requests/new",
        data=_form(
            client,
            f"unit-{home['unit']}",
            preferred_date=first,
            second_preferred_date=second,
            third_preferred_date=third,
        ),
    )
    [request] = _requests(app)
    request_days = [first, second, third]
    assert [day.isoformat() for day in request.preferred_dates] == request_days
    page = client.get(f"/portal/requests/{request.id}").data.decode()
    shown = [format_date(date.fromisoformat(d), "EEE, MMM d", locale="en") for d in request_days]
    assert "<li>{}</li><li>{}</li><li>{}</li>".format(*shown) in page
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
    days = [format_date(date.fromisoformat(d), "medium", locale="en") for d in request_days]
    preferred = "Preferred: {}, {}, {}, afternoon".format(*days)
    assert preferred in mail.text_body

    login_as("dispatcher")
    queue = client.get("/admin/dispatch/").data.decode()
    assert preferred in queue
    convert = client.get(f"/admin/dispatch/{request.id}/convert").data.decode()
    assert preferred in convert


def test_preferred_days_are_optional_and_a_later_choice_alone_becomes_the_first(app, client, home):
    [third] = _days_ahead(4)
    sign_in_portal(client, home["user"])
    client.post(
        "/portal/requests/new",
        data=_form(client, f"unit-{home['unit']}", preferred_date="", third_preferred_date=third),
    )
    client.post(
        "/portal/requests/new", data=_form(client, f"property-{home['cabin']}", preferred_date="")
    )
    lone, none = _requests(app)
    assert [day.isoformat() for day in lone.preferred_dates] == [third]
    assert lone.preferred_date.isoformat() == third and lone.third_preferred_date is None
    assert none.preferred_dates == []
    assert "Any day" in client.get(f"/portal/requests/{none.id}").data.decode()


@pytest.mark.parametrize(
    "days, message",
    [
        ({"second_preferred_date": "2020-01-01"}, "Choose today or a later day."),
        ({"third_preferred_date": "2999-01-01"}, "Choose a day within the next year."),
        ({"second_preferred_date": "soon"}, "Not a valid date value."),
        # Days ahead as numbers, turned into dates when the test runs: a date worked out when
        # the tests were collected is a day behind the form's if midnight passes in between.
        ({"second_preferred_date": 3}, "You chose this day already."),
        ({"second_preferred_date": 6, "third_preferred_date": 6}, "You chose this day already."),
    ],
)
def test_bad_second_and_third_choices_get_a_message_and_write_nothing(
    app, client, home, days, message
):
    days = {name: _days_ahead(v)[0] if isinstance(v, int) else v for name, v in days.items()}
    sign_in_portal(client, home["user"])
    response = client.post(
        "/portal/requests/new", data=_form(client, f"unit-{home['unit']}", **days)
    )
    assert response.status_code == 200 and message in response.data.decode()
    assert _requests(app) == []


def test_dispatch_counts_a_requests_reports_by_where_they_came_from(app, client, home, login_as):
    with app.app_context():
        token = db.session.get(Unit, home["unit"]).qr_token
    passer_by = app.test_client()
    for name in ("Sam Renter", "Neighbour"):
        sticker = {
            "contact_name": name,
            "contact_phone": "555-123-4567",
            "description": "Noisy",
            "preferred_window": "any",
        }
        assert passer_by.post(f"/u/{token}", data=sticker).status_code == 302
    sign_in_portal(client, home["user"])
    client.post("/portal/requests/new", data=_form(client, f"unit-{home['unit']}"))
    [request] = _requests(app)
    with app.app_context():
        request = db.session.get(ServiceRequest, request.id)
        assert request.source == RequestSource.QR and request.report_count == 3
        assert [report.source for report in request.repeat_reports] == [
            RequestSource.QR,
            RequestSource.PORTAL,
        ]
    login_as("dispatcher")
    queue = client.get("/admin/dispatch/").data.decode()
    assert "reported 3 times" in queue and "2 by sticker, 1 in the portal" in queue
    convert = client.get(f"/admin/dispatch/{request.id}/convert").data.decode()
    assert "2 by sticker, 1 in the portal" in convert


def test_the_list_shows_each_status_as_the_customer_understands_it(app, client, home):
    with app.app_context():
        unit = db.session.get(Unit, home["unit"])
        now = datetime.now(UTC)

        def made(days_ago: int, description: str, **fields) -> ServiceRequest:
            return f.ServiceRequestFactory(
                unit=unit,
                description=description,
                created_at=now - timedelta(days=days_ago),
                **fields,
            )

        made(1, "Thermostat blank")
        scheduled = made(2, "Rattling duct", status=RequestStatus.CONVERTED)
        f.WorkOrderFactory(
            property=unit.property,
            unit=unit,
            service_request=scheduled,
            status=WorkOrderStatus.SCHEDULED,
            visit_at=datetime(2031, 3, 4, 15, tzinfo=UTC),
        )
        finished = made(3, "Pilot light out", status=RequestStatus.CONVERTED)
        f.WorkOrderFactory(
            property=unit.property,
            unit=unit,
            service_request=finished,
            status=WorkOrderStatus.COMPLETED,
        )
        made(4, "Duplicate report", status=RequestStatus.DISMISSED)
        f.ServiceRequestFactory(unit=db.session.get(Unit, home["other_unit"]), description="Theirs")
        scheduled_id = scheduled.id
    sign_in_portal(client, home["user"])
    page = client.get("/portal/requests").data.decode()
    order = ["Thermostat blank", "Rattling duct", "Pilot light out", "Duplicate report"]
    assert [page.index(text) for text in order] == sorted(page.index(text) for text in order)
    for expected in ("Received", "Scheduled for Tue, Mar 4, 2031", "Done", "Closed"):
        assert expected in page, expected
    assert "Theirs" not in page
    detail = client.get(f"/portal/requests/{scheduled_id}").data.decode()
    assert "Scheduled for Tue, Mar 4, 2031 at 9:00\u202fAM." in detail


def test_the_request_list_is_paged(app, client, home, monkeypatch):
    from app.queries import paging

    monkeypatch.setattr(paging, "PER_PAGE", 2)
    with app.app_context():
        unit = db.session.get(Unit, home["unit"])
        for n in range(3):
            f.ServiceRequestFactory(unit=unit, description=f"Problem {n}")
    sign_in_portal(client, home["user"])
    assert "Page 1 of 2" in client.get("/portal/requests").data.decode()
    assert "Page 2 of 2" in client.get("/portal/requests?page=2").data.decode()
    past_the_end = client.get("/portal/requests?page=9").data.decode()
    assert "Page 2 of 2" in past_the_end and "Problem 0" in past_the_end


def test_another_customers_request_and_photo_are_404(app, client, home):
    with app.app_context():
        theirs = f.ServiceRequestFactory(unit=db.session.get(Unit, home["other_unit"]))
        photo = ServiceRequestPhoto(
            request=theirs, storage_key="x.jpg", content_type="image/jpeg", filename="x.jpg"
        )
        db.session.add(photo)
        db.session.commit()
        ids = theirs.id, photo.id
    sign_in_portal(client, home["user"])
    assert client.get(f"/portal/requests/{ids[0]}").status_code == 404
    assert client.get(f"/portal/request-photos/{ids[1]}").status_code == 404
    assert client.get("/portal/requests/99999999999999999999").status_code == 404
