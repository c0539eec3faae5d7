"""The dispatch board: technicians as rows, visits as blocks, waiting work beside it, and the
form that books and moves visits, refusing clashes until the dispatcher books anyway."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import TimeOff, Visit, WorkingHours, WorkOrder
from app.models.enums import VisitStatus
from app.services.company import local_today
from tests import factories as f
from tests.browser_forms import form_on
from tests.query_count import counting_queries

ZONE = ZoneInfo("America/Chicago")


def _next_weekday(days: int = 1):
    day = local_today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE).astimezone(UTC)


def _board(app, client, login_as, **picked):
    """The crew, and the board of its day as the dispatcher opens it, with `visit` or
    `work_order` picked (named by its key in the crew)."""
    crew = _crew(app)
    login_as("dispatcher")
    query = "".join(f"&{name}={crew[key]}" for name, key in picked.items())
    return crew, client.get(f"/admin/board/?day={crew['day'].isoformat()}{query}")


def _crew(app):
    """Two technicians, a visit for Tess at 8–10 on the next weekday, and a waiting job."""
    with app.app_context():
        day = _next_weekday()
        f.CompanySettingsFactory()
        tess = f.StaffUserFactory(name="Tess Tech")
        omar = f.StaffUserFactory(name="Omar Tech")
        for person in (tess, omar):
            for weekday in range(5):
                db.session.add(
                    WorkingHours(technician=person, weekday=weekday, starts=time(8), ends=time(17))
                )
        customer = f.CustomerFactory(name="Ada Lovelace")
        booked = f.WorkOrderFactory(
            property=f.PropertyFactory(customer=customer),
            technician=tess,
            visit_at=at(day, 8),
            summary="Furnace tune-up",
        )
        booked.visits[0].duration_minutes = 120
        waiting = f.WorkOrderFactory(visit_at=None, summary="No heat upstairs")
        db.session.commit()
        return {
            "day": day,
            "tess": tess.id,
            "omar": omar.id,
            "booked": booked.number,
            "visit": booked.visits[0].id,
            "waiting": waiting.id,
            "waiting_number": waiting.number,
        }


def _rows(page) -> dict[str, str]:
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return {
        row.find("th").get_text(strip=True): row.get_text(" ", strip=True)
        for row in soup.select("table.board tbody tr")
    }


def test_technicians_are_rows_with_their_visits_and_waiting_work_beside(app, client, login_as):
    crew, page = _board(app, client, login_as)
    assert page.status_code == 200
    day = crew["day"]
    in_words = f"{day:%a}, {day:%b} {day.day}"  # "Tue, Dec 8", as babel writes it in English
    assert in_words in BeautifulSoup(page.get_data(as_text=True), "html.parser").h1.get_text()
    rows = _rows(page)
    assert crew["booked"] in rows["Tess Tech"] and "Ada Lovelace" in rows["Tess Tech"]
    assert "8:00\u2009–\u200910:00\u202fAM" in rows["Tess Tech"]  # the clock English readers use
    assert crew["booked"] not in rows["Omar Tech"]
    waiting = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one(".board-waiting")
    assert crew["waiting_number"] in waiting.get_text() and crew["booked"] not in waiting.get_text()
    week = client.get(f"/admin/board/?day={crew['day'].isoformat()}&view=week")
    assert week.status_code == 200 and len(_rows(week)) == 3  # two technicians and "Unassigned"
    assert crew["booked"] in _rows(week)["Tess Tech"]


def test_booking_a_waiting_job_from_the_form(app, client, login_as):
    crew, page = _board(app, client, login_as, work_order="waiting")
    form = form_on(page, "form.board-form")
    form["technician"] = str(crew["omar"])
    form["starts"], form["ends"] = "10:00", "12:00"
    response = form.submit(client)
    assert response.status_code == 302
    with app.app_context():
        [visit] = db.session.get(WorkOrder, crew["waiting"]).visits
        assert visit.lead_technician_id == crew["omar"]
        assert (visit.arrival_start, visit.arrival_end) == (
            at(crew["day"], 10),
            at(crew["day"], 12),
        )
    assert "Booked a visit" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_clash_is_refused_and_shown_then_booked_with_the_box_ticked(app, client, login_as):
    crew, page = _board(app, client, login_as, work_order="waiting")
    form = form_on(page, "form.board-form")
    assert "book_anyway" not in form  # offered only once something clashes
    form["technician"] = str(crew["tess"])
    form["starts"], form["ends"] = "08:00", "10:00"
    refused = form.submit(client)
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "Not booked: it clashes." in text and f"already booked then ({crew['booked']})" in text
    with app.app_context():
        assert db.session.get(WorkOrder, crew["waiting"]).visits == []
    again = form_on(refused, "form.board-form")
    assert again["technician"] == str(crew["tess"]) and again["starts"] == "08:00"
    again.check("book_anyway", "y")
    assert again.submit(client).status_code == 302
    with app.app_context():
        [visit] = db.session.get(WorkOrder, crew["waiting"]).visits
        assert visit.lead_technician_id == crew["tess"]
    board = client.get(f"/admin/board/?day={crew['day'].isoformat()}").get_data(as_text=True)
    assert "visits on this board clash" in board and "board-conflict" in board


def test_moving_a_visit_onto_time_off_or_a_weekend_is_refused(app, client, login_as):
    crew = _crew(app)
    with app.app_context():
        db.session.add(
            TimeOff(
                technician_id=crew["omar"],
                starts_at=at(crew["day"], 0),
                ends_at=at(crew["day"], 23),
                reason="Training",
            )
        )
        db.session.commit()
    login_as("dispatcher")
    page = client.get(f"/admin/board/?day={crew['day'].isoformat()}&visit={crew['visit']}")
    assert "Training" in _rows(page)["Omar Tech"]
    form = form_on(page, "form.board-form")
    assert form["visit_id"] == str(crew["visit"]) and form["duration"] == "120"
    form["technician"] = str(crew["omar"])
    refused = form.submit(client)
    assert refused.status_code == 409 and "is off (Training)" in refused.get_data(as_text=True)
    saturday = crew["day"] + timedelta(days=5 - crew["day"].weekday())
    form = form_on(page, "form.board-form")
    form["day"] = saturday.isoformat()
    refused = form.submit(client)
    assert refused.status_code == 409 and "does not work on Saturday" in refused.get_data(
        as_text=True
    )
    with app.app_context():
        visit = db.session.get(Visit, crew["visit"])
        assert (visit.lead_technician_id, visit.arrival_start) == (crew["tess"], at(crew["day"], 8))


def test_bad_input_is_a_message_not_a_500(app, client, login_as):
    crew, page = _board(app, client, login_as, visit="visit")
    form = form_on(page, "form.board-form")
    form["ends"] = "07:00"
    response = form.submit(client, follow_redirects=True)
    assert response.status_code == 400
    assert "must end after it starts" in response.get_data(as_text=True)
    form = form_on(page, "form.board-form")
    form["duration"] = "5"
    assert form.submit(client).status_code == 400
    form = form_on(page, "form.board-form")
    form.tamper("visit_id", "")
    response = form.submit(client)
    assert response.status_code == 400 and "Pick a visit" in response.get_data(as_text=True)
    assert client.get("/admin/board/?day=not-a-day&visit=zz").status_code == 200


def test_the_status_form_moves_a_visit_along(app, client, login_as):
    crew, page = _board(app, client, login_as, visit="visit")
    form = form_on(page, "form.board-status-form")
    form["status"] = "en_route"
    assert form.submit(client).status_code == 302
    with app.app_context():
        visit = db.session.get(Visit, crew["visit"])
        assert visit.status == VisitStatus.EN_ROUTE
        assert [c.status for c in visit.status_changes][-1] == VisitStatus.EN_ROUTE
    form = form_on(client.get(page.request.url), "form.board-status-form")
    form["status"] = "scheduled"
    shown = form.submit(client, follow_redirects=True).get_data(as_text=True)
    assert "cannot become scheduled" in shown
    form.tamper("visit_id", "999999")
    shown = form.submit(client, follow_redirects=True).get_data(as_text=True)
    assert "Pick a visit or a work order waiting for one first." in shown


def test_technicians_and_customers_never_reach_the_board(app, client, login_as):
    _crew(app)
    login_as("technician")
    assert client.get("/admin/board/").status_code == 403


def test_the_board_query_count_does_not_grow_with_visits(app, client, login_as):
    crew = _crew(app)
    login_as("dispatcher")
    url = f"/admin/board/?day={crew['day'].isoformat()}&view=week"
    client.get(url)
    with counting_queries(app) as few:
        client.get(url)
    with app.app_context():
        tess = crew["tess"]
        for n in range(12):
            f.VisitFactory(
                lead_technician_id=tess,
                arrival_start=at(crew["day"] + timedelta(days=n % 3), 8 + n % 8),
            )
        assert db.session.scalar(select(Visit.id).limit(1))
    with counting_queries(app) as many:
        client.get(url)
    assert len(many) == len(few)


def test_working_hours_start_at_choose_and_take_monday(app, client, login_as):
    with app.app_context():
        tess_id = f.StaffUserFactory(name="Tess Tech").id
    login_as("dispatcher")
    form = form_on(client.get("/admin/workinghours/new/"), "form.admin-form")
    assert form["weekday"] == ""
    form.tamper("technician", str(tess_id))
    form["starts"], form["ends"] = "07:30:00", "16:00:00"
    refused = form.submit(client)
    with app.app_context():
        assert db.session.scalar(select(WorkingHours.id)) is None
    assert refused.status_code == 200
    form["weekday"] = "0"
    assert form.submit(client).status_code == 302
    with app.app_context():
        hours = db.session.scalar(select(WorkingHours))
        assert (hours.technician_id, hours.weekday, hours.starts) == (tess_id, 0, time(7, 30))
