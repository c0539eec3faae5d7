"""The portal's upcoming visits: the live status once the technician is on the way or on site,
and an "Add to calendar" file per visit that a calendar reads back as the same entry (the
e-mails' UID) at the right times in the company's zone; another customer's visit is a 404."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_time
from bs4 import BeautifulSoup
from icalendar import Calendar

from app.extensions import db
from app.models import StaffUser, Visit
from app.models.enums import VisitStatus
from app.services.company import local_today
from app.services.my_day import take_step
from tests import factories as f
from tests.portal_helpers import sign_in_portal

ZONE = ZoneInfo("America/Chicago")


def _household(app) -> dict:
    """A customer with a portal user, a visit today at 13–15 by Tess and one tomorrow at 8–10."""
    with app.app_context():
        f.CompanySettingsFactory()
        tess = f.StaffUserFactory(name="Tess Tran")
        place = f.PropertyFactory(name="Lake house")
        user = f.PortalUserFactory(customer=place.customer)
        today = local_today()
        starts = [
            datetime.combine(day, time(hour), tzinfo=ZONE).astimezone(UTC)
            for day, hour in ((today, 13), (today + timedelta(days=1), 8))
        ]
        visits = [
            f.WorkOrderFactory(property=place, technician=tess, visit_at=start).visits[0]
            for start in starts
        ]
        db.session.commit()
        return {"user": user.id, "tess": tess.id, "visits": [v.id for v in visits]}


def _rows(client) -> list:
    page = client.get("/portal/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return soup.select("section[aria-labelledby=visits-heading] li")


def _step(app, visit_id: int, tess_id: int, step: VisitStatus, eta=None) -> datetime:
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        take_step(visit, db.session.get(StaffUser, tess_id), step, eta=eta)
        db.session.commit()
        return visit.status_changed_at


def _short(moment: datetime) -> str:
    return format_time(moment.astimezone(ZONE), "short", locale="en_US")


def test_upcoming_visits_show_on_the_way_then_on_site(app, client):
    home = _household(app)
    sign_in_portal(client, home["user"])
    first = _rows(client)[0]
    assert "Scheduled" in first.get_text() and first.select_one(".visit-progress") is None
    eta = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    _step(app, home["visits"][0], home["tess"], VisitStatus.EN_ROUTE, eta=eta)
    progress = _rows(client)[0].select_one(".visit-progress").get_text()
    assert progress == f"On the way, arriving about {_short(eta)}"
    arrived = _step(app, home["visits"][0], home["tess"], VisitStatus.ON_SITE)
    progress = _rows(client)[0].select_one(".visit-progress").get_text()
    assert progress == f"On site since {_short(arrived)}"
    assert _rows(client)[1].select_one(".visit-progress") is None


def test_add_to_calendar_gives_the_visits_entry_in_the_company_zone(app, client):
    home = _household(app)
    sign_in_portal(client, home["user"])
    link = _rows(client)[1].select_one("a.visit-calendar")
    assert link.get_text() == "Add to calendar"
    answer = client.get(link["href"])
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    assert answer.headers["Cache-Control"] == "no-store"
    [event] = Calendar.from_ical(answer.data).walk("VEVENT")
    with app.app_context():
        visit = db.session.get(Visit, home["visits"][1])
        assert str(event["uid"]) == visit.calendar_uid
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert str(start.tzinfo) == "America/Chicago" and start.hour == 8
        assert (start, end) == (visit.arrival_start, visit.arrival_end)


def test_another_customers_calendar_entry_is_not_found(app, client):
    home, other = _household(app), _household(app)
    sign_in_portal(client, home["user"])
    assert client.get(f"/portal/visits/{other['visits'][0]}.ics").status_code == 404
