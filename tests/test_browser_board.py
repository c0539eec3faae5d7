"""The dispatch board in Chromium: dragging a visit to another technician and time on a
tablet, booking a waiting job by dropping it, and the board on a phone."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.extensions import db
from app.models import Visit, WorkingHours, WorkOrder
from app.services.company import local_today
from tests import factories as f
from tests.browser_helpers import VIEWPORTS, no_sideways_scroll, sign_in

ZONE = ZoneInfo("America/Chicago")
TABLET = {"width": 1024, "height": 768}


def at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE).astimezone(UTC)


def _board(app):
    with app.app_context():
        day = local_today() + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        f.CompanySettingsFactory()
        tess, omar = f.StaffUserFactory(name="Tess Tech"), f.StaffUserFactory(name="Omar Tech")
        for person in (tess, omar):
            for weekday in range(5):
                db.session.add(
                    WorkingHours(technician=person, weekday=weekday, starts=time(7), ends=time(18))
                )
        booked = f.WorkOrderFactory(
            technician=tess,
            visit_at=at(day, 8),
            summary="Furnace tune-up",
            property=f.PropertyFactory(customer=f.CustomerFactory(name="Ada Lovelace")),
        )
        waiting = f.WorkOrderFactory(visit_at=None, summary="No heat upstairs")
        db.session.commit()
        return day, booked.visits[0].id, waiting.id, tess.id, omar.id


def _drop_point(page, technician_id: int, day, hour: float) -> tuple[str, dict]:
    """The track of a technician's day and the point on it at `hour` (local)."""
    track = f'td.board-track[data-technician="{technician_id}"][data-day="{day.isoformat()}"]'
    box = page.locator(track).bounding_box()
    return track, {"x": box["width"] * (hour - 7) / 12, "y": box["height"] / 2}


def test_dragging_a_visit_and_a_waiting_job_on_a_tablet(
    app, live_server, page, csp_problems, make_staff, screenshot
):
    day, visit_id, waiting_id, tess, omar = _board(app)
    page.set_viewport_size(TABLET)
    sign_in(app, page, live_server, make_staff, f"/admin/board/?day={day.isoformat()}")
    screenshot("tablet-before")
    no_sideways_scroll(page)

    # A drop posts the board's form: the next drag needs the board that comes back loaded (its
    # layout settled, board.js listening), not only its message at the top.
    track, point = _drop_point(page, omar, day, 10.5)
    with page.expect_navigation():
        page.drag_and_drop(f'a.board-block[data-visit="{visit_id}"]', track, target_position=point)
    page.wait_for_selector("text=Moved the visit")
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.lead_technician_id == omar
        assert (visit.arrival_start, visit.arrival_end) == (at(day, 10), at(day, 12))

    track, point = _drop_point(page, tess, day, 13.2)
    page.drag_and_drop(
        f'li.board-work[data-work-order="{waiting_id}"]', track, target_position=point
    )
    page.wait_for_selector("text=Booked a visit")
    with app.app_context():
        [booked] = db.session.get(WorkOrder, waiting_id).visits
        assert booked.lead_technician_id == tess
        assert (booked.arrival_start, booked.arrival_end) == (at(day, 12), at(day, 14))
    screenshot("tablet-after-drops")
    page.goto(f"{live_server}/admin/board/?day={day.isoformat()}&view=week")
    screenshot("tablet-week")
    no_sideways_scroll(page)
    assert csp_problems == [], csp_problems


def test_the_board_on_a_phone_scrolls_inside_itself_and_books_by_form(
    app, live_server, page, csp_problems, make_staff, screenshot
):
    day, visit_id, waiting_id, tess, omar = _board(app)
    page.set_viewport_size(VIEWPORTS["phone"])
    sign_in(app, page, live_server, make_staff, f"/admin/board/?day={day.isoformat()}")
    no_sideways_scroll(page)
    page.click(f'li.board-work[data-work-order="{waiting_id}"] a')
    # The window buttons fill in the times only once board.js runs: wait for the page it opens.
    page.wait_for_url(re.compile(rf"work_order={waiting_id}#place$"))
    page.select_option("select[name=technician]", str(omar))
    page.click("button.board-window[data-starts='14:00']")
    screenshot("phone-form")
    page.click("form.board-form button[type=submit]")
    page.wait_for_selector("text=Booked a visit")
    with app.app_context():
        [booked] = db.session.get(WorkOrder, waiting_id).visits
        assert (booked.lead_technician_id, booked.arrival_start) == (omar, at(day, 14))
    screenshot("phone-day")
    no_sideways_scroll(page)
    assert csp_problems == [], csp_problems
