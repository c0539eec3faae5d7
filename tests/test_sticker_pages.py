"""The sticker URL's three faces, the public request form and its abuse guards."""

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    BlankSticker,
    CompanySettings,
    OutboxMessage,
    PortalUser,
    ServiceRequest,
    ServiceRequestPhoto,
    Unit,
    WorkOrder,
    WorkOrderNote,
    WorkOrderPhoto,
)
from app.models.enums import RefrigerantEventKind, RequestStatus, WorkOrderStatus
from app.models.sticker_codes import format_label_code
from app.services.service_requests import RequestDetails, RequestError, submit_sticker_request
from app.storage import read_bytes
from qr.tokens import reissue_sticker
from tests import factories as f
from tests.browser_forms import form_on
from tests.signed_in import sign_in_client


@pytest.fixture
def unit(app):
    """A unit at a customer's property, with a completed visit in its history. Returns ids."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(
            name="Priya Patel",
            email="priya.private@example.com",
            phone="(555) 867-5309",
            billing_address="742 Evergreen Terrace, Springfield",
        )
        prop = f.PropertyFactory(
            customer=customer,
            name="Lake House",
            address_line1="19 Shoreline Drive",
            city="Lakeview",
            postal_code="60699",
        )
        unit = f.UnitFactory(
            property=prop,
            name="Attic air handler",
            manufacturer="Trane",
            model_number="TAM7A0C36H31",
            serial_number="SNPRIVATE123",
        )
        tech = f.StaffUserFactory(name="Terry Tech")
        work_order = f.WorkOrderFactory(
            property=prop,
            unit=unit,
            technician=tech,
            summary="Replaced blower capacitor",
            status=WorkOrderStatus.COMPLETED,
        )
        f.WorkOrderLineFactory(work_order=work_order, description="Capacitor 10 MFD")
        return {"id": unit.id, "token": unit.qr_token, "code": unit.label_code}


PRIVATE = [
    "Priya Patel",
    "priya.private",
    "867-5309",
    "Evergreen",
    "Lake House",
    "Shoreline",
    "Lakeview",
    "60699",
    "Attic air handler",
    "Trane",
    "TAM7A0C36H31",
    "SNPRIVATE123",
    "Replaced blower",
    "Terry Tech",
]


TYPED = {
    "contact_name": "Sam Renter",
    "contact_phone": "555-123-4567",
    "contact_email": "sam@example.com",
    "description": "No cold air upstairs",
    "preferred_window": "morning",
}


def _form(client, unit, photos=(), **typed):
    """What a person's browser sends from the sticker page after filling it in."""
    form = form_on(client.get(f"/u/{unit['token']}"))
    for name, value in {**TYPED, **typed}.items():
        form[name] = value
    form.attach("photos", *photos)
    return form.data()


def _convert(client, request_id: int, **typed):
    """The dispatcher converts a request from its form page, with no technician and the
    changes `typed` says."""
    form = form_on(client.get(f"/admin/dispatch/{request_id}/convert"), "form.admin-form")
    for name, value in {"technician": "0", **typed}.items():
        form[name] = value
    return form.submit(client)


def _requests(app):
    with app.app_context():
        return db.session.scalars(select(ServiceRequest).order_by(ServiceRequest.id)).all()


def test_anonymous_scan_shows_no_customer_details(client, unit):
    response = client.get(f"/u/{unit['token']}")
    assert response.status_code == 200
    page = response.data.decode()
    assert "Polar Bear Heating &amp; Air" in page and "(555) 010-4242" in page
    assert format_label_code(unit["code"]) in page
    assert 'name="description"' in page
    everything = page + "".join(f"{k}: {v}" for k, v in response.headers.items())
    for private in PRIVATE:
        assert private not in everything, private


def test_uppercase_sticker_urls_work(client, unit):
    assert client.get(f"/U/{unit['token']}").status_code == 200
    assert client.get(f"/u/{unit['token'].lower()}").status_code == 200


def test_signed_in_staff_see_the_full_history(client, unit, login_as):
    login_as("technician")
    page = client.get(f"/u/{unit['token']}").data.decode()
    for detail in (
        "Priya Patel",
        "Attic air handler",
        "SNPRIVATE123",
        "Replaced blower capacitor",
        "Terry Tech",
        "Capacitor 10 MFD",
        "/admin/unit/details/",
    ):
        assert detail in page, detail


def test_staff_see_notes_photos_refrigerant_warranty_and_open_work(app, client, unit, login_as):
    with app.app_context():
        found = db.session.get(Unit, unit["id"])
        done = db.session.scalar(select(WorkOrder).where(WorkOrder.unit_id == found.id))
        db.session.add(WorkOrderNote(work_order=done, body="Coil was filthy, cleaned it"))
        photo = WorkOrderPhoto(
            work_order=done,
            caption="Burnt capacitor",
            storage_key="work-order-photos/x.jpg",
            content_type="image/jpeg",
        )
        db.session.add(photo)
        f.RefrigerantEventFactory(unit=found, pounds_added=Decimal("2.25"))
        f.WorkOrderFactory(
            property=found.property,
            unit=found,
            summary="Return visit: check the drain",
            status=WorkOrderStatus.SCHEDULED,
        )
        db.session.commit()
        photo_url = f"/admin/files/work-order-photos/{photo.id}"
    login_as("technician")
    page = client.get(f"/u/{unit['token']}").text
    open_part, history = page.split("Service history")
    assert "Return visit: check the drain" in open_part.split("Recent refrigerant events")[0]
    assert "Replaced blower capacitor" in history and "Return visit" not in history
    assert "Coil was filthy, cleaned it" in history
    # its file is not in storage: no thumbnail, the caption links to the photo
    assert f'href="{photo_url}" class="picture-link">Burnt capacitor</a>' in history
    assert "+2.25" in page and "addition" in page
    assert "2031-05-01 (active)" in page and "2023-05-01 (expired)" in page  # parts, labour


def test_the_technician_page_reads_on_a_phone(app, client, unit, login_as):
    """History first, then the refrigerant log as a table with headers (no "+0.00 lb" for an
    inspection), then the form; line prices only for the office, who prices the work."""
    with app.app_context():
        found = db.session.get(Unit, unit["id"])
        f.RefrigerantEventFactory(
            unit=found, kind=RefrigerantEventKind.LEAK_INSPECTION, pounds_added=Decimal("0")
        )
        db.session.commit()
    login_as("technician")
    page = client.get(f"/u/{unit['token']}").text
    assert "Capacitor 10 MFD" in page and "$89.00" not in page
    history, log, form = (
        page.index("Service history"),
        page.index("Recent refrigerant events"),
        page.index('id="refrigerant"'),
    )
    assert history < log < form
    log_table = page[log:form]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', log_table)
    assert headers == ["Date", "Work done", "Added (lb)", "Removed (lb)", "Leak rate"]
    inspection = next(row for row in log_table.split("<tr>") if "Leak inspection" in row)
    assert "0.00" not in inspection and "—" in inspection
    assert 'inputmode="decimal"' in page[form:] and '<label for="pounds_added">' in page[form:]
    login_as("dispatcher")
    assert "$89.00" in client.get(f"/u/{unit['token']}").text


def test_the_owner_goes_to_their_unit_page_and_another_customer_sees_the_form(app, client, unit):
    with app.app_context():
        owner_customer = db.session.get(Unit, unit["id"]).property.customer
        owner = f.PortalUserFactory(customer=owner_customer)
        stranger = f.PortalUserFactory()
        owner_id, stranger_id = owner.id, stranger.id
    sign_in_client(client, PortalUser, owner_id)
    response = client.get(f"/u/{unit['token']}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/portal/units/{unit['id']}"
    page = client.get(response.headers["Location"]).data.decode()
    assert "Attic air handler" in page and "Request service" in page
    assert 'name="description"' in client.get(f"/u/{unit['token']}?form=1").data.decode()
    sign_in_client(client, PortalUser, stranger_id)
    page = client.get(f"/u/{unit['token']}").data.decode()
    assert "Attic air handler" not in page and 'name="description"' in page


def test_revoked_and_unknown_tokens_give_the_same_plain_404(app, client, unit):
    unknown = client.get("/u/ZZZZZZZZZZZZZZZZ")
    with app.app_context():
        reissue_sticker(db.session.get(Unit, unit["id"]), actor=None)
        db.session.commit()
    revoked = client.get(f"/u/{unit['token']}")
    assert unknown.status_code == revoked.status_code == 404
    assert unknown.data == revoked.data
    assert b"type it here" in revoked.data


def test_a_typed_label_code_finds_the_sticker(client, unit):
    typed = format_label_code(unit["code"]).lower().replace("0", "o")
    response = client.get("/u/lookup", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/u/{unit['token']}")
    wrong = unit["code"][:-1] + ("0" if unit["code"][-1] != "0" else "1")
    missing = client.get("/u/lookup", query_string={"code": wrong})
    assert missing.status_code == 404 and b"No sticker has that code" in missing.data


def test_submitting_records_a_tagged_request_and_confirms_with_a_status_link(app, client, unit):
    response = client.post(f"/u/{unit['token']}", data=_form(client, unit), follow_redirects=True)
    page = response.data.decode()
    assert response.status_code == 200
    assert "SR-000001" in page and "What happens next" in page and "Received" in page
    [request] = _requests(app)
    with app.app_context():
        request = db.session.get(ServiceRequest, request.id)
        assert request.unit_id == unit["id"]
        assert request.property.name == "Lake House" and request.customer.name == "Priya Patel"
        assert request.source.value == "qr" and request.status == RequestStatus.NEW
        mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [m.to_address for m in mails] == ["office@polarbear.test", "sam@example.com"]
        assert "/request-status/" in mails[1].text_body
        assert mails[0].reply_to == "sam@example.com"


def test_without_a_company_e_mail_the_office_mail_goes_to_the_sender_address(
    app, client, unit, caplog
):
    with app.app_context():
        db.session.scalar(select(CompanySettings)).email = ""
        db.session.commit()
    client.post(f"/u/{unit['token']}", data=_form(client, unit, contact_email=""))
    with app.app_context():
        [office] = db.session.scalars(select(OutboxMessage)).all()
        assert office.to_address == app.config["MAIL_FROM"]
        assert "New service request SR-000001" in office.subject
    assert "no e-mail; office mail goes to MAIL_FROM" in caplog.text


def test_the_status_link_follows_the_request_to_done(app, client, unit, login_as):
    response = client.post(f"/u/{unit['token']}", data=_form(client, unit))
    status_url = response.headers["Location"].split("?")[0]
    login_as("dispatcher")
    request_id = _requests(app)[0].id
    _convert(client, request_id, window_start="2031-03-04T09:00", window_end="2031-03-04T11:00")
    page = client.get(status_url).data.decode()
    assert "Scheduled for Tuesday, March 4, 2031" in page
    assert "Priya" not in page and "Lake House" not in page
    with app.app_context():
        db.session.scalar(
            select(WorkOrder).where(WorkOrder.service_request_id == request_id)
        ).status = WorkOrderStatus.COMPLETED
        db.session.commit()
    assert "Done" in client.get(status_url).data.decode()
    assert client.get("/request-status/not-a-real-token").status_code == 404


def test_the_status_link_says_received_until_a_visit_is_scheduled(app, client, unit, login_as):
    status_url = client.post(f"/u/{unit['token']}", data=_form(client, unit)).headers["Location"]
    login_as("dispatcher")
    request_id = _requests(app)[0].id
    converted = _convert(client, request_id, window_start="", window_end="")
    assert converted.status_code == 302
    page = client.get(status_url).text
    assert "Received: we will contact you" in page and "Scheduled" not in page
    with app.app_context():
        work_order = db.session.scalar(
            select(WorkOrder).where(WorkOrder.service_request_id == request_id)
        )
        f.VisitFactory(work_order=work_order, arrival_start=datetime(2031, 3, 4, 15, tzinfo=UTC))
    assert "Scheduled for" in client.get(status_url).text


def test_the_public_pages_give_messages_and_dates_in_spanish(app, client, unit, login_as):
    spanish = {"Accept-Language": "es"}
    public = app.test_client()
    refused = public.post(
        f"/u/{unit['token']}",
        data=_form(public, unit, photos=[(io.BytesIO(b"%PDF-1.4 fake"), "x.jpg")]),
        content_type="multipart/form-data",
        headers=spanish,
    )
    assert "Ese archivo no es una imagen que podamos leer." in refused.text
    status_url = public.post(f"/u/{unit['token']}", data=_form(public, unit)).headers["Location"]
    login_as("dispatcher")
    _convert(
        client,
        _requests(app)[0].id,
        window_start="2031-03-04T09:00",
        window_end="2031-03-04T11:00",
    )
    page = public.get(status_url, headers=spanish).text
    assert "Programada para el martes, 4 de marzo de 2031." in page
    with app.test_request_context(headers=spanish):
        no_contact = RequestDetails("Sam", "", "", "No cold air")
        with pytest.raises(RequestError, match="Indique un teléfono o un correo electrónico"):
            submit_sticker_request(db.session.get(Unit, unit["id"]), no_contact, [], ip_address="")


def test_a_bot_filling_the_honeypot_gets_the_same_answer_and_nothing_is_kept(app, client, unit):
    real = client.post(f"/u/{unit['token']}", data=_form(client, unit))
    bot = app.test_client().post(
        f"/u/{unit['token']}", data=_form(client, unit, website="http://spam.example")
    )
    assert bot.status_code == real.status_code == 302
    real_token, bot_token = (
        answer.headers["Location"].removeprefix("/request-status/").removesuffix("?new=1")
        for answer in (real, bot)
    )
    assert len(bot_token) == len(real_token) and "/" not in bot_token

    real_page = client.get(real.headers["Location"]).text
    bot_page = client.get(bot.headers["Location"]).text
    assert "Request sent. Thank you!" in bot_page and "SR-000002" in bot_page
    assert bot_page.replace(bot_token, "T").replace("SR-000002", "N") == real_page.replace(
        real_token, "T"
    ).replace("SR-000001", "N")

    assert len(_requests(app)) == 1
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 2  # the real one's
    forged = bot_token[:-2] + ("AA" if bot_token[-2:] != "AA" else "BB")
    assert client.get(f"/request-status/{forged}").status_code == 404


def test_decoy_status_links_are_as_random_looking_as_real_ones(app, client, unit):
    real = [client.post(f"/u/{unit['token']}", data=_form(client, unit)) for _ in range(3)]
    bots = [
        app.test_client().post(
            f"/u/{unit['token']}", data=_form(client, unit, website="http://spam.example")
        )
        for _ in range(12)
    ]
    shape = re.compile(r"/request-status/([A-Za-z0-9_-]{32})\?new=1")
    real_tokens = [shape.fullmatch(answer.headers["Location"]).group(1) for answer in real]
    bot_tokens = [shape.fullmatch(answer.headers["Location"]).group(1) for answer in bots]

    # Nothing in a decoy is predictable: not the part that holds the request number either.
    assert len({token[:6] for token in bot_tokens}) == len(bot_tokens)
    assert len({token[-16:-11] for token in bot_tokens}) == len(bot_tokens)
    assert len(set(real_tokens)) == len(real_tokens)
    for token in bot_tokens:
        assert "Request sent. Thank you!" in client.get(f"/request-status/{token}?new=1").text


def test_a_second_reporter_learns_the_problem_is_handled_not_the_visit_time(
    app, client, unit, login_as
):
    first = client.post(f"/u/{unit['token']}", data=_form(client, unit)).headers["Location"]
    neighbour = app.test_client()
    second = neighbour.post(
        f"/u/{unit['token']}",
        data=_form(client, unit, contact_name="Neighbour", description="Noise"),
    ).headers["Location"]
    login_as("dispatcher")
    _convert(
        client,
        _requests(app)[0].id,
        window_start="2031-03-04T09:00",
        window_end="2031-03-04T11:00",
    )

    assert "Scheduled for Tuesday, March 4, 2031" in app.test_client().get(first).text
    page = neighbour.get(second.removesuffix("?new=1")).text
    assert "Already known: someone reported this problem before you" in page
    assert "2031" not in page and "Scheduled" not in page and "March" not in page


LINK_BAIT = {
    "contact_name": "Win a prize at www.prize.example",
    "description": "Unit is dead. Visit evil.example.com or http://203.0.113.7/login, "
    "or mailto:boss@evil.example. It's 3.5 tons.",
}
# What mail clients turn into links: a scheme, www., a dotted host name or address.
LINKABLE = re.compile(r"(?i)[a-z]+://|www\.|\b[\w-]+\.(?:com|example|net|org)\b|\d+\.\d+\.\d+\.\d+")


def test_text_typed_on_the_sticker_form_never_becomes_a_link_in_the_office_mail(app, client, unit):
    client.post(f"/u/{unit['token']}", data=_form(client, unit, **LINK_BAIT, contact_email=""))

    with app.app_context():
        (office,) = db.session.scalars(select(OutboxMessage)).all()
    for body in (office.text_body, office.html_body):
        assert "evil[.]example[.]com" in body and "http[:]//203[.]0[.]113[.]7/login" in body
        assert "www[.]prize[.]example" in body and "3.5 tons" in body
        assert not LINKABLE.search(body), LINKABLE.search(body)
    assert "<a " not in office.html_body


def test_contact_details_are_required_and_errors_keep_what_was_typed(app, client, unit):
    response = client.post(
        f"/u/{unit['token']}",
        data=_form(
            client,
            unit,
            contact_phone="",
            contact_email="",
            description="Leaking water everywhere",
        ),
    )
    assert response.status_code == 200
    assert b"Give a phone number or an e-mail address" in response.data
    assert b"Leaking water everywhere" in response.data
    assert _requests(app) == []


def test_a_second_report_is_attached_to_the_open_request(app, client, unit, login_as):
    client.post(f"/u/{unit['token']}", data=_form(client, unit))
    client.post(
        f"/u/{unit['token']}",
        data=_form(client, unit, contact_name="Neighbour", description="Noise"),
    )
    client.post(
        f"/u/{unit['token']}", data=_form(client, unit, contact_name="Third", description="Still")
    )
    [request] = _requests(app)
    assert request.report_count == 3
    login_as("dispatcher")
    queue = client.get("/admin/dispatch/").data.decode()
    assert "reported 3 times" in queue and "Also reported by Neighbour" in queue


def test_typed_text_is_escaped_everywhere_it_appears(app, client, unit, login_as):
    client.post(
        f"/u/{unit['token']}", data=_form(client, unit, description="<script>alert(1)</script>")
    )
    login_as("dispatcher")
    for url in ("/admin/dispatch/", f"/admin/servicerequest/details/?id={_requests(app)[0].id}"):
        page = client.get(url).data.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _photo(color="blue", fmt="PNG") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(out, fmt)
    out.seek(0)
    return out


def test_photos_are_reencoded_and_limited(app, client, unit):
    ok = client.post(
        f"/u/{unit['token']}",
        data=_form(client, unit, photos=[(_photo(), "a.png"), (_photo("red", "JPEG"), "b.jpg")]),
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    with app.app_context():
        kinds = db.session.scalars(select(ServiceRequestPhoto.content_type)).all()
        assert sorted(kinds) == ["image/jpeg", "image/jpeg"]

    too_many = client.post(
        f"/u/{unit['token']}",
        data=_form(
            client,
            unit,
            photos=[(_photo(), "1.png"), (_photo(), "2.png"), (_photo(), "3.png")],
        ),
        content_type="multipart/form-data",
    )
    assert b"at most 2 photos" in too_many.data
    not_image = client.post(
        f"/u/{unit['token']}",
        data=_form(client, unit, photos=[(io.BytesIO(b"%PDF-1.4 fake"), "x.jpg")]),
        content_type="multipart/form-data",
    )
    assert b"not a picture we can read" in not_image.data
    [request] = _requests(app)
    assert request.report_count == 1


def _photo_with_a_position() -> io.BytesIO:
    """A phone photo that says where it was taken (EXIF GPS) and on what."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (41.0, 52.0, 30.0)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "JPEG", exif=exif)
    out.seek(0)
    return out


def test_stored_photos_keep_no_position_or_other_metadata(app, client, unit):
    sent = _photo_with_a_position()
    assert Image.open(sent).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has one
    sent.seek(0)
    client.post(
        f"/u/{unit['token']}",
        data=_form(client, unit, photos=[(sent, "IMG_0001.jpg")]),
        content_type="multipart/form-data",
    )
    with app.app_context():
        stored = read_bytes(db.session.scalar(select(ServiceRequestPhoto.storage_key)))
    kept = Image.open(io.BytesIO(stored))
    assert kept.size == (64, 48)
    assert dict(kept.getexif()) == {} and b"Exif" not in stored and b"PhoneCo" not in stored


def test_an_upload_over_the_size_limit_gets_the_friendly_page(app, client, unit, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 20_000)
    response = client.post(
        f"/u/{unit['token']}",
        data=_form(client, unit, photos=[(_noisy_png(200), "huge.png")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "That file is too large" in response.text and "smaller file" in response.text
    assert _requests(app) == []


def test_requests_are_rate_limited_per_address_and_per_unit(app, client, unit, monkeypatch):
    monkeypatch.setitem(app.config, "QR_RATE_LIMIT_PER_ADDRESS", "2 per minute")
    for _ in range(2):
        assert client.post(f"/u/{unit['token']}", data=_form(client, unit)).status_code == 302
    blocked = client.post(f"/u/{unit['token']}", data=_form(client, unit))
    assert blocked.status_code == 429 and b"Too many tries" in blocked.data
    assert b"(555) 010-4242" in blocked.data

    monkeypatch.setitem(app.config, "QR_RATE_LIMIT_PER_ADDRESS", "100 per minute")
    monkeypatch.setitem(app.config, "QR_RATE_LIMIT_PER_UNIT", "2 per minute")
    answers = [
        app.test_client()
        .post(
            f"/u/{unit['token']}",
            data=_form(client, unit),
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )
        .status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]


def test_a_blank_sticker_is_not_set_up_for_the_public(app, client):
    with app.app_context():
        f.CompanySettingsFactory()
        blank = BlankSticker()
        db.session.add(blank)
        db.session.commit()
        token = blank.token
    page = client.get(f"/u/{token}").data.decode()
    assert "not set up yet" in page and "(555) 010-4242" in page
    assert client.post(f"/u/{token}/bind", data={"unit_id": 1}).status_code == 404


def test_a_technician_binds_a_blank_sticker_to_an_existing_unit(app, client, unit, login_as):
    login_as("technician")
    with app.app_context():
        blank = BlankSticker()
        db.session.add(blank)
        db.session.commit()
        token, code = blank.token, blank.label_code
    search = client.get(f"/u/{token}", query_string={"q": "Shoreline"})
    assert "Attic air handler" in search.data.decode()
    confirm = form_on(search, f"form:has(input[name=unit_id][value='{unit['id']}'])").submit(client)
    warning = confirm.data.decode()  # the unit's own sticker stops working: asked first
    assert "already has sticker" in warning and "will stop working" in warning
    with app.app_context():
        assert db.session.get(Unit, unit["id"]).qr_token == unit["token"]  # nothing changed yet
    response = form_on(confirm).submit(client)
    assert response.headers["Location"].endswith(f"/u/{token}")
    with app.app_context():
        bound = db.session.get(Unit, unit["id"])
        assert (bound.qr_token, bound.label_code) == (token, code)
    assert client.get(f"/u/{unit['token']}").status_code == 404  # the old sticker
    assert b"Attic air handler" in client.get(f"/u/{token}").data


def test_a_technician_adds_the_unit_for_a_blank_sticker(app, client, login_as):
    login_as("technician")
    with app.app_context():
        prop_id = f.PropertyFactory(address_line1="8 Harbor Road").id
        blank = BlankSticker()
        db.session.add(blank)
        db.session.commit()
        token = blank.token
    client.post(
        f"/u/{token}/new-unit",
        data={
            "property_id": prop_id,
            "name": "Garage mini-split",
            "kind": "mini_split",
            "manufacturer": "Mitsubishi",
        },
    )
    with app.app_context():
        new_unit = db.session.scalar(select(Unit).where(Unit.qr_token == token))
        assert new_unit.name == "Garage mini-split" and new_unit.property_id == prop_id


def test_converting_a_request_links_the_work_order_and_cannot_happen_twice(
    app, client, unit, login_as
):
    client.post(f"/u/{unit['token']}", data=_form(client, unit))
    login_as("dispatcher")
    request_id = _requests(app)[0].id
    form = client.get(f"/admin/dispatch/{request_id}/convert").data.decode()
    assert "No cold air upstairs" in form
    data = {
        "technician": 0,
        "window_start": "2031-01-06T08:00",
        "window_end": "2031-01-06T10:00",
        "priority": "high",
        "summary": "No cooling",
    }
    first = client.post(f"/admin/dispatch/{request_id}/convert", data=data)
    assert first.status_code == 302
    second = client.post(f"/admin/dispatch/{request_id}/convert", data=data, follow_redirects=True)
    assert b"already converted" in second.data
    with app.app_context():
        [work_order] = db.session.scalars(
            select(WorkOrder).where(WorkOrder.service_request_id.is_not(None))
        ).all()
        assert work_order.unit_id == unit["id"]
        assert work_order.property.name == "Lake House"
        assert work_order.customer.name == "Priya Patel"
        assert work_order.service_request_id == request_id
        [visit] = work_order.visits
        assert visit.arrival_start == datetime(2031, 1, 6, 14, tzinfo=UTC)
        assert visit.arrival_end - visit.arrival_start == timedelta(hours=2)
        assert db.session.get(ServiceRequest, request_id).status == RequestStatus.CONVERTED
    assert "No cold air" not in client.get("/admin/dispatch/").data.decode()


def test_dismissing_needs_a_reason(app, client, unit, login_as):
    client.post(f"/u/{unit['token']}", data=_form(client, unit))
    login_as("dispatcher")
    request_id = _requests(app)[0].id
    client.post(f"/admin/dispatch/{request_id}/dismiss", data={"reason": ""})
    assert _requests(app)[0].status == RequestStatus.NEW
    client.post(f"/admin/dispatch/{request_id}/dismiss", data={"reason": "Tenant fixed it"})
    [request] = _requests(app)
    assert request.status == RequestStatus.DISMISSED
    assert request.dismissed_reason == "Tenant fixed it"


@pytest.mark.parametrize(
    "role, status", [("technician", 403), ("dispatcher", 200), ("manager", 200), ("admin", 200)]
)
def test_dispatch_queue_is_for_the_office(client, login_as, role, status):
    login_as(role)
    assert client.get("/admin/dispatch/").status_code == status


def test_the_dispatch_queue_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/admin/dispatch/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_anonymous_page_stays_small(client, unit):
    page = client.get(f"/u/{unit['token']}").data
    assert len(page) < 30_000
    with client.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


def _noisy_png(side: int) -> io.BytesIO:
    """A large, hard-to-compress picture, the worst case for a logo."""
    out = io.BytesIO()
    Image.effect_noise((side, side), 90).convert("RGB").save(out, "PNG")
    out.seek(0)
    return out


def test_the_whole_public_page_with_logo_stays_under_30_kb(app, client, unit, login_as):
    login_as("admin")
    with app.app_context():
        settings_id = db.session.scalar(select(CompanySettings.id))
    saved = client.post(
        f"/admin/companysettings/edit/?id={settings_id}",
        data={
            "name": "Polar Bear Heating & Air",
            "phone": "(555) 010-4242",
            "email": "office@example.com",
            "time_zone": "America/Chicago",
            "brand_color": "#0b5cad",
            "tax_rate_percent": "8.25",
            "currency": "USD",
            "logo": (_noisy_png(380), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    public = app.test_client()
    page = public.get(f"/u/{unit['token']}")
    assert b'src="/brand/logo"' in page.data
    with public.get("/brand/logo") as logo:
        assert logo.status_code == 200
        assert max(Image.open(io.BytesIO(logo.data)).size) <= 160
        total = len(page.data) + len(logo.data)
    assert b"stylesheet" not in page.data  # the CSS is inline, counted in the page
    assert total < 30_000, total
