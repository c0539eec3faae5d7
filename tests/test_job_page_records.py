"""The job page's photos (before/after, from the phone's camera), refrigerant work tied to the
work order, and the time on site (proposed from Arrived and Done, corrected and confirmed)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    RefrigerantEvent,
    StaffUser,
    Visit,
    WorkOrder,
    WorkOrderLine,
    WorkOrderNote,
    WorkOrderPhoto,
)
from app.models.enums import PhotoStage, RefrigerantEventKind, VisitStatus
from app.services.company import local_today, to_local
from app.services.scheduling import set_status
from tests import factories as f
from tests.browser_forms import forms_on
from tests.helpers import at
from tests.job_helpers import job_form, job_url, page_text, phone_photo, technicians_job
from tests.signed_in import sign_in_client


def test_a_photo_from_the_camera_is_kept_as_before_or_after_with_a_thumbnail(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
    page = client.get(f"/admin/job-page/{job.work_order_id}").get_data(as_text=True)
    camera = BeautifulSoup(page, "html.parser").select_one("input[type=file][name=photo]")
    assert camera["accept"] == "image/*" and camera["capture"] == "environment"
    form = job_form(client, job, "form.job-photo-form")
    form.attach("photo", (phone_photo(), "IMG_0001.jpg"))
    form["stage"] = "after"
    form["caption"] = "New capacitor in place"
    assert form.submit(client).status_code == 302
    with app.app_context():
        [photo] = db.session.get(WorkOrder, job.work_order_id).photos
        assert (photo.stage, photo.caption, photo.uploaded_by_id) == (
            PhotoStage.AFTER,
            "New capacitor in place",
            me,
        )
        photo_id = photo.id
    soup = BeautifulSoup(client.get(f"/admin/job-page/{job.work_order_id}").data, "html.parser")
    thumbnail = soup.select_one(f"a[href='/admin/files/work-order-photos/{photo_id}'] img")
    with client.get(thumbnail["src"]) as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"


def test_a_file_that_is_not_a_picture_or_no_file_is_refused_with_a_message(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
    form = job_form(client, job, "form.job-photo-form")
    form.attach("photo", (b"%PDF-1.4 not a photo", "notes.pdf"))
    refused = form.submit(client)
    assert refused.status_code == 400
    assert "Please upload a photo (JPEG, PNG, GIF or WebP)." in page_text(refused) or (
        "That file is not a picture we can read." in page_text(refused)
    )
    form = job_form(client, job, "form.job-photo-form")
    refused = form.submit(client)  # nothing chosen
    assert refused.status_code == 400 and "Take or choose a photo first." in page_text(refused)
    with app.app_context():
        assert db.session.get(WorkOrder, job.work_order_id).photos == []


def test_refrigerant_added_on_the_job_is_recorded_on_the_unit_and_the_work_order(
    app, client, login_as
):
    me = login_as("technician", epa_certification_number="608-123")
    with app.app_context():
        job = technicians_job(me)
    form = job_form(client, job, "form.job-refrigerant-form")
    form["kind"] = RefrigerantEventKind.ADDITION.value
    form["pounds_added"] = "1.5"
    assert form.submit(client).status_code == 302
    with app.app_context():
        [event] = db.session.scalars(select(RefrigerantEvent)).all()
        assert (event.unit_id, event.work_order_id, event.pounds_added, event.technician_id) == (
            job.unit_id,
            job.work_order_id,
            Decimal("1.50"),
            me,
        )
    shown = BeautifulSoup(client.get(f"/admin/job-page/{job.work_order_id}").data, "html.parser")
    event_text = shown.select_one(".job-event").get_text(" ", strip=True)
    assert "Refrigerant added · +1.50 lb · leak rate" in event_text

    # A wrong entry is refused with the rules' message, and nothing is written.
    form = job_form(client, job, "form.job-refrigerant-form")
    form["kind"] = RefrigerantEventKind.ADDITION.value
    form["pounds_added"] = "-2"
    refused = form.submit(client)
    assert refused.status_code == 400 and "Pounds cannot be negative." in page_text(refused)
    with app.app_context():
        assert len(db.session.scalars(select(RefrigerantEvent)).all()) == 1


def test_time_on_site_comes_from_arrived_and_done_and_is_confirmed_as_corrected(
    app, client, login_as
):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
        visit = db.session.get(WorkOrder, job.work_order_id).visits[0]
        tech = visit.lead_technician
        for step in (VisitStatus.EN_ROUTE, VisitStatus.ON_SITE, VisitStatus.DONE):
            set_status(visit, step, actor=tech)
        db.session.commit()
        arrived = to_local(visit.status_changes[1].changed_at).strftime("%H:%M")
        visit_id = visit.id
    page = client.get(f"/admin/job-page/{job.work_order_id}")
    assert "not confirmed yet" in page_text(page)
    form = job_form(client, job, "form.job-time-form")
    assert form["start"] == arrived  # proposed from Arrived
    form["start"], form["end"] = "09:10", "08:00"
    refused = form.submit(client)
    assert refused.status_code == 400
    assert "The time you left must be after the time you arrived." in page_text(refused)
    form["start"], form["end"] = "09:10", "10:45"
    assert form.submit(client).status_code == 302
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.on_site_until - visit.on_site_from == timedelta(minutes=95)
        assert to_local(visit.on_site_from).strftime("%H:%M") == "09:10"
    text = page_text(client.get(f"/admin/job-page/{job.work_order_id}"))
    assert "1 h 35 min" in text and "confirmed" in text


def _time_forms(client, job) -> dict:
    """The job page's time-on-site forms as the signed-in staff member sees them, by visit id."""
    page = client.get(job_url(job))
    forms = forms_on(page, url=f"http://localhost{job_url(job)}")
    return {int(form["visit_id"]): form for form in forms if form.action.endswith("/time")}


def test_only_a_visits_own_technicians_and_the_office_confirm_its_time_on_site(
    app, client, make_staff
):
    ana = make_staff("technician", name="Ana Lead")
    ben = make_staff("technician", name="Ben Helper")
    with app.app_context():
        job = technicians_job(ana)
        work_order = db.session.get(WorkOrder, job.work_order_id)
        anas = work_order.visits[0]
        anas.helpers.append(db.session.get(StaffUser, ben))
        bens = f.VisitFactory(
            work_order=work_order,
            lead_technician_id=ben,
            arrival_start=at(local_today() + timedelta(days=1), 9),
        )
        db.session.commit()
        anas_id, bens_id = anas.id, bens.id
    sign_in_client(client, StaffUser, ben)
    forms = _time_forms(client, job)
    assert set(forms) == {anas_id, bens_id}  # a helper on Ana's visit too, for now

    # The office takes Ben off Ana's visit while his page is open; his confirmation is refused.
    with app.app_context():
        visit = db.session.get(Visit, anas_id)
        visit.helpers.clear()
        db.session.commit()
    form = forms[anas_id]
    form["start"], form["end"] = "08:00", "12:00"
    refused = form.submit(client)
    assert refused.status_code == 400
    assert (
        "Only the technicians on this visit (Ana Lead) or the office can confirm its time on site."
        in page_text(refused)
    )
    with app.app_context():
        assert db.session.get(Visit, anas_id).on_site_from is None
        assert db.session.scalars(select(AuditEvent.summary)).all() == []

    # Reopened, the page shows Ana's visit without a form, and says who confirms it.
    forms = _time_forms(client, job)
    assert set(forms) == {bens_id}
    assert "A colleague's visit: Ana Lead or the office confirm its time on site." in page_text(
        client.get(job_url(job))
    )

    for who in (ana, make_staff("manager")):
        sign_in_client(client, StaffUser, who)
        form = _time_forms(client, job)[anas_id]
        form["start"], form["end"] = "08:00", "09:30"
        assert form.submit(client).status_code == 302
    with app.app_context():
        visit = db.session.get(Visit, anas_id)
        assert visit.on_site_until - visit.on_site_from == timedelta(minutes=90)


@pytest.mark.parametrize(
    ("selector", "typed", "model"),
    [
        ("form.job-note-form", {"body": "Coil cleaned."}, WorkOrderNote),
        ("form.job-line-form", {"item": "gas"}, WorkOrderLine),
        ("form.job-photo-form", {"photo": "photo"}, WorkOrderPhoto),
    ],
)
def test_a_send_whose_answer_was_lost_is_saved_once_when_the_phone_sends_it_again(
    app, client, login_as, selector, typed, model
):
    """The page's script gives each send a key; the same key again is "saved already"."""
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
    form = job_form(client, job, selector)
    for name, value in typed.items():
        if value == "photo":
            form.attach(name, (phone_photo(), "IMG_0002.jpg"))
        else:
            form[name] = str(job.gas_id) if value == "gas" else value
    form.tamper("sent_key", "5b0c8a86-7d1e-4d51-9a55-0e2f3c4d5e6f")  # added by job.js
    json = {"headers": {"Accept": "application/json"}}
    answers = [form.submit(client, **json) for _ in range(2)]
    assert [a.get_json()["ok"] for a in answers] == [True, True]
    assert answers[1].get_json()["message"] == "Saved already."
    form.tamper("sent_key", "another-send")  # a second one, typed the same: saved too
    assert form.submit(client, **json).get_json()["ok"]
    with app.app_context():
        count = select(func.count()).where(model.work_order_id == job.work_order_id)
        assert db.session.scalar(count) == 2
