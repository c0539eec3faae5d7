"""My day: a technician's visits today on their phone, in order of window, with the address as
a map link, the unit, the phone to call and the status; On my way (with when they will
arrive), Arrived and Done post from the page's own forms, only on their own visits."""

import io
from datetime import UTC, datetime, time, timedelta

import pytest
from babel.dates import format_time
from bs4 import BeautifulSoup
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, StaffUser, Visit
from app.models.enums import VisitStatus
from app.services.my_day import expected_arrival
from app.services.scheduling import SchedulingError
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import ZONE, at, todays_visits
from tests.signed_in import sign_in_client


@pytest.fixture
def crew(make_staff):
    return make_staff("technician", name="Tess Tech"), make_staff("technician", name="Omar Tech")


def _mails(to: str) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == to).order_by(OutboxMessage.id)
    ).all()


def _cards(page) -> list:
    return BeautifulSoup(page.get_data(as_text=True), "html.parser").select(".my-day-visit")


def test_their_visits_today_in_order_with_address_unit_phone_and_status(app, client, crew):
    tess, omar = crew
    visits = todays_visits(app, tess, omar)
    sign_in_client(client, StaffUser, tess)
    page = client.get("/admin/my-day/")
    assert page.status_code == 200
    cards = _cards(page)
    assert [card["id"] for card in cards] == [
        f"visit-{visits['morning']}",
        f"visit-{visits['afternoon']}",
    ]
    afternoon = cards[1]
    text = afternoon.get_text(" ", strip=True).replace("\u202f", " ")
    assert "No heat upstairs" in text and "Ada Lovelace" in text and "Attic furnace" in text
    assert "Side gate, dog is friendly" in text and "Scheduled" in text
    assert "1:00 PM – 3:00 PM" in text
    map_link = afternoon.select_one("a.my-day-map")["href"]
    assert map_link.startswith("https://www.google.com/maps/search/?api=1&query=12%20Elm%20Street")
    phones = [a["href"] for a in afternoon.select("a[href^='tel:']")]
    assert phones == ["tel:(555)010-9999", "tel:(555)010-7788"]
    assert "Tomorrow" not in page.get_data(as_text=True)
    assert "Colleague" not in page.get_data(as_text=True)


def test_on_my_way_arrived_and_done_from_the_page(app, client, crew):
    tess, omar = crew
    visits = todays_visits(app, tess, omar)
    sign_in_client(client, StaffUser, tess)
    card = f"#visit-{visits['afternoon']}"
    page = client.get("/admin/my-day/")
    trip = form_on(page, f"{card} form.my-day-trip")
    trip.check("eta_minutes", "15")
    before = datetime.now(UTC)
    moved = trip.submit(client)
    assert moved.status_code == 302
    page = client.get("/admin/my-day/")
    text = page.get_data(as_text=True)
    assert "On the way" in text and "arriving about" in text
    with app.app_context():
        visit = db.session.get(Visit, visits["afternoon"])
        assert visit.status == VisitStatus.EN_ROUTE
        eta = visit.expected_arrival_at
        assert before + timedelta(minutes=15) <= eta <= datetime.now(UTC) + timedelta(minutes=15)
        [told] = _mails("ada@example.test")
        assert told.subject == "Tess is on the way"
        arriving = format_time(eta.astimezone(ZONE), "short", locale="en_US")
        assert f"Tess is on the way, arriving about {arriving}." in told.text_body
    form_on(page, f"{card} form.my-day-arrived").submit(client)
    page = client.get("/admin/my-day/")
    assert _cards(page)[1].select_one("form.my-day-trip") is None
    form_on(page, f"{card} form.my-day-done").submit(client)
    with app.app_context():
        visit = db.session.get(Visit, visits["afternoon"])
        assert [c.status for c in visit.status_changes][-3:] == [
            VisitStatus.EN_ROUTE,
            VisitStatus.ON_SITE,
            VisitStatus.DONE,
        ]
        assert all(c.changed_by_id == tess for c in visit.status_changes[-3:])
        assert [m.subject for m in _mails("ada@example.test")][1:] == ["Tess has arrived"]
    done_card = _cards(client.get("/admin/my-day/"))[1]
    assert "Done" in done_card.get_text() and done_card.select("form") == []


def test_on_my_way_needs_an_estimate_and_nothing_changes_without_one(app, client, crew):
    tess, omar = crew
    visits = todays_visits(app, tess, omar)
    sign_in_client(client, StaffUser, tess)
    trip = form_on(client.get("/admin/my-day/"), f"#visit-{visits['afternoon']} form.my-day-trip")
    answer = trip.submit(client)
    assert "Say when you will arrive" in client.get(answer.headers["Location"]).get_data(
        as_text=True
    )
    trip.tamper("eta_time", "not a time")
    trip.submit(client)
    with app.app_context():
        visit = db.session.get(Visit, visits["afternoon"])
        assert visit.status == VisitStatus.SCHEDULED and visit.expected_arrival_at is None


def test_only_the_visits_own_technicians_may_step_it(app, client, crew, login_as):
    tess, omar = crew
    visits = todays_visits(app, tess, omar)
    sign_in_client(client, StaffUser, tess)
    trip = form_on(client.get("/admin/my-day/"), f"#visit-{visits['afternoon']} form.my-day-trip")
    trip["visit_id"] = str(visits["theirs"])
    assert trip.submit(client).status_code == 404
    with app.app_context():
        assert db.session.get(Visit, visits["theirs"]).status == VisitStatus.SCHEDULED
    login_as("dispatcher")
    assert client.get("/admin/my-day/").status_code == 403


def test_a_visit_gone_since_the_page_was_shown_is_a_message(app, client, crew):
    tess, omar = crew
    visits = todays_visits(app, tess, omar)
    sign_in_client(client, StaffUser, tess)
    arrived = form_on(
        client.get("/admin/my-day/"), f"#visit-{visits['afternoon']} form.my-day-arrived"
    )
    arrived.tamper("visit_id", "999999")
    answer = arrived.submit(client)
    assert answer.status_code == 302
    assert "That visit is no longer on your day." in client.get(
        answer.headers["Location"]
    ).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Visit, visits["afternoon"]).status == VisitStatus.SCHEDULED


def test_an_arrival_time_typed_today_and_one_already_past(app):
    with app.app_context():
        f.CompanySettingsFactory()
        now = at(datetime(2026, 12, 7).date(), 10)  # 10:00 in Springfield
        assert expected_arrival(None, time(10, 40), now) == now + timedelta(minutes=40)
        assert expected_arrival(None, time(9, 55), now) == now  # typed a moment late
        with pytest.raises(SchedulingError, match="That time has passed"):
            expected_arrival(None, time(9, 0), now)
        assert expected_arrival(45, None, now) == now + timedelta(minutes=45)


def test_next_day_shows_tomorrows_round(app, client, crew):
    tess, omar = crew
    todays_visits(app, tess, omar)
    sign_in_client(client, StaffUser, tess)
    soup = BeautifulSoup(client.get("/admin/my-day/").get_data(as_text=True), "html.parser")
    tomorrow = client.get(soup.select_one("a.my-day-next")["href"])
    cards = _cards(tomorrow)
    assert len(cards) == 1 and "Tomorrow" in cards[0].get_text()


def _portrait_upload() -> bytes:
    """A 900 px square photo, as a phone would send it."""
    out = io.BytesIO()
    Image.new("RGB", (900, 900), "#c05621").save(out, "JPEG")
    return out.getvalue()


def _photo_for(client, staff_id: int, admin_id: int) -> None:
    """The office gives the technician a photo on their staff record, as the browser posts it."""
    sign_in_client(client, StaffUser, admin_id)
    form = form_on(client.get(f"/admin/staffuser/edit/?id={staff_id}"), "form.admin-form")
    form["email"] = "tess@example.com"  # the fixture's .test address is not one a form accepts
    form.attach("photo", (_portrait_upload(), "tess.jpg"))
    assert form.submit(client).status_code == 302


def test_on_my_way_shows_the_technicians_photo_when_the_office_set_one(
    app, client, crew, make_staff
):
    tess, omar = crew
    visits = todays_visits(app, tess, omar)
    _photo_for(client, tess, make_staff("admin"))
    sign_in_client(client, StaffUser, tess)
    page = client.get("/admin/my-day/")
    trip = form_on(page, f"#visit-{visits['afternoon']} form.my-day-trip")
    trip.check("eta_minutes", "30")
    trip.submit(client)
    with app.app_context():
        [told] = _mails("ada@example.test")
        portrait = BeautifulSoup(told.html_body, "html.parser").find("img", alt="Tess")
    assert portrait is not None, told.html_body
    address = portrait["src"].removeprefix(app.config["PUBLIC_BASE_URL"])
    assert address.startswith("/team/")
    client.post("/logout")
    with client.get(address) as photo:
        assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
        assert max(Image.open(io.BytesIO(photo.data)).size) <= 192  # a portrait, not the original
    assert client.get("/team/0123456789abcdef.jpg").status_code == 404


def test_without_a_photo_the_mail_shows_none(app, client, crew):
    tess, omar = crew
    visits = todays_visits(app, tess, omar)
    sign_in_client(client, StaffUser, tess)
    trip = form_on(client.get("/admin/my-day/"), f"#visit-{visits['afternoon']} form.my-day-trip")
    trip.check("eta_minutes", "15")
    trip.submit(client)
    with app.app_context():
        [told] = _mails("ada@example.test")
        assert BeautifulSoup(told.html_body, "html.parser").find("img", alt="Tess") is None
