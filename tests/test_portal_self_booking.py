"""Booking from the portal: with self-booking on, the request form and each upcoming visit offer
the real open windows; picking one books (or moves) the visit, re-checked when it is booked; a
window taken meanwhile is a clear message with the other windows, and nothing is written. With
self-booking off the form stays "preferred days"."""

from datetime import datetime

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, ServiceRequest, StaffUser, Unit, Visit
from app.models.enums import RequestStatus
from app.services.self_booking import offered_windows
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import bookable_technician
from tests.portal_helpers import sign_in_portal


def _household(app, *, self_booking: bool = True) -> dict:
    """A portal user with a unit, one technician working every day 7–18, no notice needed."""
    with app.app_context():
        tess = bookable_technician(portal_self_booking=self_booking)
        unit = f.UnitFactory(name="Attic furnace")
        user = f.PortalUserFactory(customer=unit.property.customer, email="ann@example.com")
        db.session.commit()
        return {"user": user.id, "unit": unit.id, "tess": tess.id}


def _offered(page) -> list[str]:
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return [radio["value"] for radio in soup.select("input[name=window]")]


def _requests() -> int:
    return db.session.scalar(select(func.count()).select_from(ServiceRequest))


def _subjects(to: str) -> list[str]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to))
    return [row.subject for row in rows]


def test_without_self_booking_the_form_asks_for_preferred_days(app, client):
    home = _household(app, self_booking=False)
    sign_in_portal(client, home["user"])
    page = client.get(f"/portal/requests/new?unit_id={home['unit']}")
    assert _offered(page) == [] and "When suits you?" in page.get_data(as_text=True)


def test_picking_a_window_books_the_visit_with_the_request(app, client):
    home = _household(app)
    sign_in_portal(client, home["user"])
    page = client.get(f"/portal/requests/new?unit_id={home['unit']}")
    offered = _offered(page)
    assert len(offered) == 12
    form = form_on(page, "form.request-form")
    form["description"] = "No heat upstairs"
    form.check("window", offered[1])
    answer = form.submit(client)
    assert answer.status_code == 302, BeautifulSoup(answer.data, "html.parser").select(
        ".errors, .flash"
    )
    assert answer.headers["Location"].endswith("/portal/")
    home_page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "booked your visit" in home_page
    with app.app_context():
        [visit] = db.session.scalars(select(Visit)).all()
        assert visit.arrival_start.isoformat() == offered[1]
        assert visit.lead_technician_id == home["tess"]
        assert visit.work_order.service_request.status == RequestStatus.CONVERTED
        assert visit.work_order.unit_id == home["unit"]
        assert any(s.startswith("Your visit is booked") for s in _subjects("ann@example.com"))


def test_a_window_taken_meanwhile_is_a_message_the_other_windows_and_nothing_written(app, client):
    home = _household(app)
    sign_in_portal(client, home["user"])
    page = client.get(f"/portal/requests/new?unit_id={home['unit']}")
    offered = _offered(page)
    with app.app_context():  # the office books Tess into the first window meanwhile
        tess = db.session.get(StaffUser, home["tess"])
        taken = f.WorkOrderFactory(technician=tess, visit_at=datetime.fromisoformat(offered[0]))
        taken.visits[0].duration_minutes = 120  # the whole window
        db.session.commit()
    form = form_on(page, "form.request-form")
    form["description"] = "No heat upstairs"
    form.check("window", offered[0])
    answer = form.submit(client)
    assert answer.status_code == 200
    assert "That window was just taken; pick another." in answer.get_data(as_text=True)
    again = _offered(answer)
    assert offered[0] not in again and offered[1] in again
    with app.app_context():
        assert _requests() == 0


def _booked_visit(app, home) -> int:
    """A visit for the unit in the first open window."""
    with app.app_context():
        unit = db.session.get(Unit, home["unit"])
        start = offered_windows(unit.property, unit)[0].start
        tess = db.session.get(StaffUser, home["tess"])
        work_order = f.WorkOrderFactory(
            property=unit.property, unit=unit, technician=tess, visit_at=start
        )
        db.session.commit()
        return work_order.visits[0].id


def test_moving_an_upcoming_visit_to_another_open_window(app, client):
    home = _household(app)
    visit_id = _booked_visit(app, home)
    sign_in_portal(client, home["user"])
    dashboard = BeautifulSoup(client.get("/portal/").get_data(as_text=True), "html.parser")
    link = dashboard.select_one("a.visit-reschedule")["href"]
    page = client.get(link)
    offered = _offered(page)
    with app.app_context():
        before = db.session.get(Visit, visit_id)
        assert before.arrival_start.isoformat() not in offered
    form = form_on(page, "form.request-form")
    form.check("window", offered[2])
    answer = form.submit(client)
    assert answer.status_code == 302
    assert "Your visit has moved" in client.get("/portal/").get_data(as_text=True)
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.arrival_start.isoformat() == offered[2] and visit.calendar_sequence == 1
        assert any(s.startswith("Your visit has moved") for s in _subjects("ann@example.com"))


def test_no_move_without_self_booking(app, client):
    home = _household(app, self_booking=False)
    visit_id = _booked_visit(app, home)
    sign_in_portal(client, home["user"])
    assert b"visit-reschedule" not in client.get("/portal/").data
    answer = client.get(f"/portal/visits/{visit_id}/reschedule")
    assert answer.status_code == 302
    assert "Please call us" in client.get("/portal/").get_data(as_text=True)
