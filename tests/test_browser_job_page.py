"""The job page in Chromium on a 390 px phone: the technician opens today's visit from My day,
finds two price-book items by typing, adds a note, a photo and refrigerant added, and the page
says each is saved. Nothing scrolls sideways; no CSP problem (screenshots with TEST_SCREENSHOTS
set). A weak signal: tests/test_browser_job_page_offline.py."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import RefrigerantEvent, WorkOrder
from tests.browser_helpers import no_sideways_scroll, open_signed_in, tess_on_her_phone
from tests.job_helpers import phone_photo, technicians_job


def test_a_technician_records_the_job_on_a_phone(
    app, live_server, page, make_staff, screenshot, csp_problems
):
    tess = tess_on_her_phone(page, make_staff, epa_certification_number="608-1")
    with app.app_context():
        job = technicians_job(tess)
    open_signed_in(app, page, live_server, tess, "/admin/my-day/")
    page.get_by_role("link", name="Open the job").click()
    page.wait_for_url(f"{live_server}/admin/job-page/{job.work_order_id}")
    expect(page.locator(".job-header")).to_contain_text("No heat upstairs")
    no_sideways_scroll(page)
    screenshot("job-phone")

    # A send ends with the page opened again: what it saved shows before the page's script
    # runs, and a form sent before then goes as a plain post. "Saved" is the script's word.
    pending = page.locator("#job-pending")
    lines = page.locator("#lines")
    for typed, expected in (("capac", "Dual run capacitor"), ("410", "Refrigerant R-410A")):
        lines.get_by_placeholder("Search the price book").fill(typed)
        lines.get_by_role("button", name="Add line").click()
        expect(lines.locator(".job-line").last).to_contain_text(expected)
        expect(pending).to_have_text("Saved: 1 line.")

    notes = page.locator("#notes")
    notes.get_by_role("textbox", name="Note").fill("Replaced the run capacitor; unit cooling.")
    notes.get_by_label("The customer may read this note").check()
    notes.get_by_role("button", name="Save note").click()
    expect(page.locator("#notes .job-note")).to_contain_text("Replaced the run capacitor")
    expect(pending).to_have_text("Saved: 1 note.")

    photos = page.locator("#photos")
    photos.locator("input[type=file]").set_input_files(
        {"name": "after.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}
    )
    photos.get_by_text("After the work").click()
    photos.get_by_role("button", name="Add photo").click()
    expect(page.locator("#photos .job-thumbs img")).to_have_count(1)
    expect(pending).to_have_text("Saved: 1 photo.")

    refrigerant = page.locator("#refrigerant")
    refrigerant.get_by_label("Work done").select_option(label="Refrigerant added")
    refrigerant.get_by_label("Added (lb)").fill("1.25")
    refrigerant.get_by_role("button", name="Record refrigerant work").click()
    expect(page.locator("#refrigerant .job-event")).to_contain_text("+1.25 lb")
    no_sideways_scroll(page)
    screenshot("job-recorded-phone")

    with app.app_context():
        work_order = db.session.get(WorkOrder, job.work_order_id)
        assert [line.unit_price_cents for line in work_order.lines] == [14500, 9500]
        assert [note.body for note in work_order.notes] == [
            "Replaced the run capacitor; unit cooling."
        ]
        assert [photo.stage.value for photo in work_order.photos] == ["after"]
        event = db.session.scalar(select(RefrigerantEvent))
        assert event.work_order_id == job.work_order_id
    assert csp_problems == []
