"""The job page on a weak signal, in Chromium on a 390 x 844 phone (screenshots with
TEST_SCREENSHOTS set): with no signal the technician saves a note, adds a line and a photo; the
page says what is not saved yet, a reload loses none of it (the photo too), and once the signal
is back all three are sent, once each, and the page says they are saved. A send that meets
the sign-in page (the sign-in ended meanwhile) keeps the note, asks the technician to sign in
again, and sends it when they have."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import StaffUser, WorkOrder, WorkOrderLine, WorkOrderNote, WorkOrderPhoto
from app.services.sign_ins import end_all_sign_ins
from tests.browser_helpers import TESS, no_sideways_scroll, open_signed_in, tess_on_her_phone
from tests.conftest import TEST_PASSWORD
from tests.job_helpers import job_url, phone_photo, technicians_job

# What the job page's script sends: a note, a line, a photo.
SENDS = re.compile(r"/admin/job-page/\d+/(notes|lines|photos)$")


def _sign_in(page, site: str, url: str) -> None:
    """On the sign-in page: sign in as Tess, who lands on `url`."""
    page.fill("input[name=email]", TESS)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}{url}")


def _open_and_sign_in(page, site: str, url: str) -> None:
    """Open `url`, signing in on the sign-in page it asks for."""
    page.goto(f"{site}{url}")
    _sign_in(page, site, url)


@pytest.fixture
def open_job(app, page, make_staff):
    """Tess's job of today, opened on her phone at the site given, signed in; returns the job
    and Tess's id."""

    def open_at(site: str):
        tess = tess_on_her_phone(page, make_staff)
        with app.app_context():
            job = technicians_job(tess)
        open_signed_in(app, page, site, tess, job_url(job))
        return job, tess

    return open_at


def _note_saved_as_the_sign_in_ends(app, page, tess: int, body: str) -> None:
    """With no signal, a note is saved; meanwhile the sign-in ends (the office, or too long
    idle); the signal comes back and the send meets the sign-in page."""
    page.context.set_offline(True)
    notes = page.locator("#notes")
    notes.get_by_role("textbox", name="Note").fill(body)
    notes.get_by_role("button", name="Save note").click()
    expect(page.locator("#job-pending")).to_contain_text("Not saved yet: 1 note")
    with app.app_context():
        end_all_sign_ins(db.session.get(StaffUser, tess))
        db.session.commit()
    page.context.set_offline(False)
    expect(page.locator("#job-pending")).to_contain_text("Your sign-in has ended.")


def _counted(app, job) -> dict:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(
                select(func.count()).where(model.work_order_id == job.work_order_id)
            )
            for model in (WorkOrderNote, WorkOrderLine, WorkOrderPhoto)
        }


def test_a_weak_signal_loses_no_note_line_or_photo_even_through_a_reload(
    app, live_server, page, open_job, screenshot, csp_problems
):
    job, _ = open_job(live_server)
    pending = page.locator("#job-pending")
    expect(pending).to_be_hidden()

    page.context.set_offline(True)
    notes = page.locator("#notes")
    notes.get_by_role("textbox", name="Note").fill("Heat exchanger checked; no cracks.")
    notes.get_by_role("button", name="Save note").click()
    expect(pending).to_contain_text("Not saved yet: 1 note")
    expect(notes.get_by_role("textbox", name="Note")).to_have_value("")  # ready for the next
    lines = page.locator("#lines")
    lines.get_by_placeholder("Search the price book").fill("capac")
    lines.get_by_role("button", name="Add line").click()
    expect(pending).to_contain_text("Not saved yet: 1 note, 1 line")
    photos = page.locator("#photos")
    photos.locator("input[type=file]").set_input_files(
        {"name": "before.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}
    )
    photos.get_by_role("button", name="Add photo").click()
    expect(pending).to_contain_text("Not saved yet: 1 note, 1 line, 1 photo")
    expect(pending).to_contain_text("No signal: what you type is kept on this phone")
    # Each section shows what of it waits, where the technician is looking.
    expect(notes.locator(".job-waiting")).to_have_text(
        "Heat exchanger checked; no cracks. not saved yet"
    )
    expect(lines.locator(".job-waiting")).to_contain_text("Dual run capacitor 45/5 µF × 1.00")
    expect(photos.locator(".job-waiting")).to_have_text("before.jpg not saved yet")
    no_sideways_scroll(page)
    screenshot("offline-phone")

    # The signal is back, but too weak to carry a send: the page reloads, the sends fail.
    page.route(SENDS, lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)
    page.reload()
    expect(pending).to_contain_text("Not saved yet: 1 note, 1 line, 1 photo")
    expect(pending).to_contain_text("Sending did not go through")
    expect(page.locator("#notes")).to_contain_text("No notes yet.")
    screenshot("reloaded-weak-signal-phone")
    page.context.set_offline(True)
    expect(pending).to_contain_text("No signal")
    expect(pending).to_contain_text("Not saved yet: 1 note, 1 line, 1 photo")
    assert _counted(app, job) == {"WorkOrderNote": 0, "WorkOrderLine": 0, "WorkOrderPhoto": 0}

    # A good signal: all three go, once each, and the page says so.
    page.unroute(SENDS)
    page.context.set_offline(False)
    expect(pending).to_have_text("Saved: 1 note, 1 line, 1 photo.")
    expect(page.locator("#notes .job-note")).to_contain_text("Heat exchanger checked")
    expect(page.locator("#lines .job-line")).to_contain_text("Dual run capacitor")
    expect(page.locator("#photos .job-thumbs img")).to_have_count(1)
    no_sideways_scroll(page)
    screenshot("saved-phone")
    assert _counted(app, job) == {"WorkOrderNote": 1, "WorkOrderLine": 1, "WorkOrderPhoto": 1}
    page.reload()
    expect(pending).to_be_hidden()  # nothing waiting, nothing sent again
    assert _counted(app, job) == {"WorkOrderNote": 1, "WorkOrderLine": 1, "WorkOrderPhoto": 1}

    # A line picked and not added yet is kept through a reload too, and said to be unsaved.
    page.locator("#lines").get_by_placeholder("Search the price book").fill("410")
    page.reload()
    expect(page.locator("#lines select[name=item]")).to_have_value(str(job.gas_id))
    expect(pending).to_have_text("Not saved yet: 1 line")
    assert csp_problems == []


def test_a_note_sent_after_the_sign_in_ended_waits_for_the_technician_to_sign_in_again(
    app, live_server, page, open_job, screenshot, csp_problems
):
    job, tess = open_job(live_server)
    _note_saved_as_the_sign_in_ends(app, page, tess, "Thermostat wire rewired at the board.")
    pending = page.locator("#job-pending")
    expect(pending).to_contain_text("What you entered is kept on this phone")
    expect(pending).to_contain_text("Not saved yet: 1 note")
    no_sideways_scroll(page)
    screenshot("signed-out-phone")
    assert _counted(app, job)["WorkOrderNote"] == 0

    pending.get_by_role("link", name="Sign in again").click()
    page.wait_for_url(re.compile(r"/login\?next="))
    _sign_in(page, live_server, job_url(job))
    expect(pending).to_have_text("Saved: 1 note.")
    expect(page.locator("#notes .job-note")).to_contain_text("Thermostat wire rewired")
    screenshot("signed-in-again-phone")
    with app.app_context():
        work_order = db.session.get(WorkOrder, job.work_order_id)
        assert [(n.body, n.author_id) for n in work_order.notes] == [
            ("Thermostat wire rewired at the board.", tess)
        ]
    assert csp_problems == []


def test_what_waits_on_the_phone_is_sent_only_as_the_person_who_entered_it(
    app, live_server, page, open_job, make_staff
):
    job, tess = open_job(live_server)
    make_staff("manager", name="Mo Manager", email="mo@polarbear.test")
    _note_saved_as_the_sign_in_ends(app, page, tess, "Blower wheel cleaned.")
    pending = page.locator("#job-pending")

    pending.get_by_role("link", name="Sign in again").click()
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("input[name=email]", "mo@polarbear.test")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}{job_url(job)}")
    expect(page.locator("#notes")).to_be_visible()
    expect(pending).not_to_contain_text("Not saved yet")
    expect(pending).not_to_contain_text("Saved:")
    assert _counted(app, job)["WorkOrderNote"] == 0

    page.context.clear_cookies()  # Mo leaves the phone; Tess signs in on it again
    _open_and_sign_in(page, live_server, job_url(job))
    expect(pending).to_have_text("Saved: 1 note.")
    with app.app_context():
        work_order = db.session.get(WorkOrder, job.work_order_id)
        assert [(n.body, n.author_id) for n in work_order.notes] == [
            ("Blower wheel cleaned.", tess)
        ]


def test_signed_in_again_in_another_tab_the_first_tab_sends_with_a_fresh_form_token(
    app, make_app, serve, page, open_job, csp_problems
):
    site = serve(make_app(WTF_CSRF_ENABLED=True))  # as in production
    job, tess = open_job(site)
    _note_saved_as_the_sign_in_ends(app, page, tess, "Condensate pump cleaned.")
    pending = page.locator("#job-pending")

    # Signed in again in a second tab: a new session, so the first tab's form token is stale.
    other = page.context.new_page()
    _open_and_sign_in(other, site, "/admin/my-day/")
    other.close()
    page.context.set_offline(True)  # the signal flickers: the first tab tries again
    page.context.set_offline(False)
    expect(pending).to_have_text("Saved: 1 note.")
    expect(page.locator("#notes .job-note")).to_contain_text("Condensate pump cleaned.")
    assert _counted(app, job)["WorkOrderNote"] == 1
    assert csp_problems == []


def test_a_note_whose_answer_is_lost_is_sent_again_and_saved_once(
    app, live_server, page, open_job, csp_problems
):
    job, _ = open_job(live_server)
    pending = page.locator("#job-pending")
    lost = []

    def lose_the_first_answer(route):
        if lost:
            route.continue_()
            return
        lost.append(route.fetch().status)  # the office saves the note; its answer never arrives
        route.abort("connectionreset")

    page.route(SENDS, lose_the_first_answer)
    notes = page.locator("#notes")
    notes.get_by_role("textbox", name="Note").fill("Drain pan treated with tablets.")
    notes.get_by_role("button", name="Save note").click()
    expect(pending).to_contain_text("Sending did not go through")
    assert lost == [200] and _counted(app, job)["WorkOrderNote"] == 1
    page.context.set_offline(True)  # the signal flickers: the phone sends it again
    page.context.set_offline(False)
    expect(pending).to_have_text("Saved: 1 note.")
    expect(page.locator("#notes .job-note")).to_have_count(1)
    assert _counted(app, job)["WorkOrderNote"] == 1
    assert csp_problems == []


def test_a_note_waiting_while_a_plain_form_is_refused_is_sent_without_posting_that_form_again(
    app, live_server, page, open_job, csp_problems
):
    job, _ = open_job(live_server)

    def only_from_the_refused_page(route):  # no signal for the note until then
        if route.request.frame.url.endswith("/time"):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.route(SENDS, only_from_the_refused_page)
    notes = page.locator("#notes")
    notes.get_by_role("textbox", name="Note").fill("Filter size 16x25x1 for next time.")
    notes.get_by_role("button", name="Save note").click()
    expect(page.locator("#job-pending")).to_contain_text("Not saved yet: 1 note")

    # The time on site (a plain form) is refused: the page comes back as the answer to a post.
    times = page.locator("#time")
    times.get_by_label("Arrived").fill("10:00")
    times.get_by_label("Left").fill("09:00")
    times.get_by_role("button", name="Confirm time on site").click()
    page.wait_for_url(f"{live_server}{job_url(job)}/time")
    # From there the note is sent, and the job page opened again: not the refused post.
    page.wait_for_url(f"{live_server}{job_url(job)}")
    expect(page.locator("#job-pending")).to_have_text("Saved: 1 note.")
    expect(page.locator("#notes .job-note")).to_contain_text("Filter size 16x25x1")
    assert _counted(app, job)["WorkOrderNote"] == 1
    assert csp_problems == []
