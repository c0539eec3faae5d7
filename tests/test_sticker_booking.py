"""Booking from a sticker: with the company's sticker booking on, the anonymous form offers the
next open windows for the unit; picking one books a tentative visit that holds the slot, tells
nobody, and waits on the board for the office's one-click Confirm, which e-mails the requester
the confirmation with the calendar invite. Off, the form stays "preferred day"."""

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from icalendar import Calendar
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, ServiceRequest, StaffUser, Visit
from app.models.enums import VisitStatus
from app.services.my_day import take_step
from app.services.self_booking import confirm_tentative
from app.storage import read_bytes
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import bookable_technician

TYPED = {
    "contact_name": "Sam Stranger",
    "contact_phone": "(555) 010-2233",
    "contact_email": "sam@example.com",
    "description": "Water on the floor under the furnace",
}


def _unit(app, *, sticker_booking: bool = True) -> dict:
    with app.app_context():
        tess = bookable_technician(sticker_booking=sticker_booking)
        unit = f.UnitFactory(name="Attic furnace")
        f.PortalUserFactory(customer=unit.property.customer, email="owner@example.com")
        db.session.commit()
        return {"token": unit.qr_token, "id": unit.id, "tess": tess.id}


def _offered(page) -> list[str]:
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return [radio["value"] for radio in soup.select("input[name=window]")]


def _filled(client, unit):
    page = client.get(f"/u/{unit['token']}")
    form = form_on(page)
    for name, value in TYPED.items():
        form[name] = value
    return page, form


def _subjects(to: str) -> list[str]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to))
    return [row.subject.split(":")[0] for row in rows]


def test_without_sticker_booking_no_windows_are_offered(app, client):
    unit = _unit(app, sticker_booking=False)
    assert _offered(client.get(f"/u/{unit['token']}")) == []


def test_a_stranger_books_a_tentative_visit_the_office_confirms_on_the_board(app, client, login_as):
    unit = _unit(app)
    page, form = _filled(client, unit)
    offered = _offered(page)
    assert len(offered) == 12
    form.check("window", offered[0])
    answer = form.submit(client)
    assert answer.status_code == 302 and "/request-status/" in answer.headers["Location"]
    with app.app_context():
        [visit] = db.session.scalars(select(Visit)).all()
        assert visit.status == VisitStatus.TENTATIVE
        assert visit.arrival_start.isoformat() == offered[0]
        assert visit.work_order.unit_id == unit["id"]
        assert _subjects("owner@example.com") == [] and _subjects("sam@example.com") != []
        told_before = len(_subjects("sam@example.com"))
        visit_id = visit.id
    login_as("dispatcher")
    board = client.get("/admin/board/")
    soup = BeautifulSoup(board.get_data(as_text=True), "html.parser")
    waiting = soup.select_one(f"#tentative-{visit_id}")
    assert "Sam Stranger" in waiting.get_text() and "Attic furnace" in waiting.get_text()
    confirmed = form_on(board, f"#tentative-{visit_id} form.board-confirm").submit(client)
    assert confirmed.status_code == 302
    assert "the requester is told" in client.get(confirmed.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.status == VisitStatus.CONFIRMED
        mails = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == "sam@example.com")
            .order_by(OutboxMessage.id)
        ).all()
        assert len(mails) == told_before + 1
        assert mails[-1].subject.startswith("Your visit is confirmed")
        [attachment] = mails[-1].attachments
        [event] = Calendar.from_ical(read_bytes(attachment.storage_key)).walk("VEVENT")
        assert event.decoded("dtstart") == visit.arrival_start
        assert str(event.decoded("dtstart").tzinfo) == "America/Chicago"
    again = form_on(board, f"#tentative-{visit_id} form.board-confirm").submit(client)
    assert "nothing changed" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_window_taken_meanwhile_is_a_message_and_nothing_is_written(app, client):
    unit = _unit(app)
    page, form = _filled(client, unit)
    offered = _offered(page)
    with app.app_context():
        tess = db.session.get(StaffUser, unit["tess"])
        taken = f.WorkOrderFactory(technician=tess, visit_at=datetime.fromisoformat(offered[0]))
        taken.visits[0].duration_minutes = 120
        db.session.commit()
    form.check("window", offered[0])
    answer = form.submit(client)
    assert answer.status_code == 200
    assert "That window was just taken; pick another." in answer.get_data(as_text=True)
    assert offered[0] not in _offered(answer) and offered[1] in _offered(answer)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


def _booked(app, client, unit, pick: int = 0) -> tuple[str, list[str]]:
    """A stranger books the unit's `pick`th open window; returns their status link and the
    windows offered."""
    page, form = _filled(client, unit)
    offered = _offered(page)
    form.check("window", offered[pick])
    return form.submit(client).headers["Location"], offered


def test_the_status_link_shows_the_visit_and_moves_it_to_another_open_window(app, client):
    unit = _unit(app)
    link, offered = _booked(app, client, unit)
    page = client.get(link)
    text = page.get_data(as_text=True)
    assert "Held for you: our office confirms it shortly." in text
    assert "Attic furnace" not in text and "owner@example.com" not in text
    move = form_on(page, "form.visit-move")
    assert offered[0] not in move.options["window"]
    move.check("window", offered[3])
    moved = move.submit(client, "action")
    assert moved.status_code == 302
    assert "Your visit has moved" in client.get(moved.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        [visit] = db.session.scalars(select(Visit)).all()
        assert visit.arrival_start.isoformat() == offered[3]
        assert visit.status == VisitStatus.TENTATIVE
        assert _subjects("owner@example.com") == []


def test_the_status_link_cancels_with_a_reason(app, client):
    unit = _unit(app)
    link, _offered_windows = _booked(app, client, unit)
    cancel = form_on(client.get(link), "form.visit-cancel")
    refused = cancel.submit(client, "action")  # no reason: the page asks again
    assert refused.status_code == 200 and b"This field is required." in refused.data
    cancel["reason"] = "Fixed it myself"
    done = cancel.submit(client, "action")
    assert "Your visit is cancelled." in client.get(done.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        [visit] = db.session.scalars(select(Visit)).all()
        assert visit.status == VisitStatus.CANCELLED


def test_the_status_link_says_on_the_way_and_offers_no_change_then(app, client):
    unit = _unit(app)
    link, _offered_windows = _booked(app, client, unit)
    with app.app_context():
        [visit] = db.session.scalars(select(Visit)).all()
        tess = db.session.get(StaffUser, unit["tess"])
        confirm_tentative(visit, actor=None)
        eta = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=20)
        take_step(visit, tess, VisitStatus.EN_ROUTE, eta=eta)
        db.session.commit()
    page = BeautifulSoup(client.get(link).get_data(as_text=True), "html.parser")
    assert page.select_one(".visit-status").get_text().startswith("On the way, arriving about")
    assert page.select("form") == []
