"""Recommend on the job page: a finding becomes a draft quote for the office, or is sent on
the spot; the customer sees it in the portal with its photo and approves it as any quote."""

from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, PortalUser, Quote, WorkOrder, WorkOrderPhoto
from app.models.enums import JobStatus, QuoteStatus
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import camera_photo, wait_for_jobs
from tests.job_helpers import technicians_job
from tests.portal_helpers import sign_in_portal


def _recommend_form(client, job):
    page = client.get(f"/admin/job-page/{job.work_order_id}").get_data(as_text=True)
    link = f'href="/admin/job-findings/{job.work_order_id}"'
    assert link in page and "Recommend more work" in page
    url = f"http://localhost/admin/job-findings/{job.work_order_id}"
    return form_on(client.get(url), "form.job-finding-form", url=url)


def _job_with_a_portal_user(app, login_as):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
        customer = db.session.get(WorkOrder, job.work_order_id).customer
        user = f.PortalUserFactory(customer=customer, email="susan@example.org")
        db.session.commit()
        return job, user.id


def _fill(form, job, *, better=True):
    form["what"] = "Replace the corroded capacitor"
    form["why"] = "It is swollen and will fail in the next heat wave."
    form["good"] = str(job.capacitor_id)
    if better:
        form["better"] = str(job.gas_id)
    form.attach("photos", (camera_photo(), "capacitor.jpg"))


def test_sent_on_the_spot_the_customer_sees_it_with_its_photo_and_approves(app, client, login_as):
    job, user_id = _job_with_a_portal_user(app, login_as)
    form = _recommend_form(client, job)
    _fill(form, job)

    done = form.submit(client, button="send", follow_redirects=True)

    assert "the customer can approve it in the portal" in done.get_data(as_text=True)
    with app.app_context():
        (quote,) = db.session.scalars(select(Quote)).all()
        assert quote.status == QuoteStatus.SENT and quote.found_on_id == job.work_order_id
        assert [(x.description, x.option_group) for x in quote.ordered_lines()] == [
            ("Dual run capacitor 45/5 µF", "Replace the corroded capacitor"),
            ("Refrigerant R-410A, per lb", "Replace the corroded capacitor"),
        ]
        (photo,) = quote.photos
        assert photo.work_order_id == job.work_order_id
        (mail,) = db.session.scalars(select(OutboxMessage)).all()
        assert mail.to_address == "susan@example.org" and quote.number in mail.subject
        quote_id, photo_id, number = quote.id, photo.id, quote.number

    customer = app.test_client()
    sign_in_portal(customer, user_id)
    page = customer.get(f"/portal/quotes/{quote_id}")
    text = page.get_data(as_text=True)
    assert "Replace the corroded capacitor" in text and "swollen" in text
    assert f"/portal/photos/{photo_id}" in text
    with customer.get(f"/portal/photos/{photo_id}") as picture:
        assert picture.status_code == 200 and picture.content_type == "image/jpeg"
    approve = form_on(page, "#approve-form", url=f"http://localhost/portal/quotes/{quote_id}")
    approve["signer_name"] = "Susan Williams"
    approve.check("consent", "yes")
    assert approve.submit(customer).status_code == 302
    with app.app_context():
        quote = db.session.scalar(select(Quote).where(Quote.number == number))
        assert quote.status == QuoteStatus.APPROVED and quote.work_order_id is not None
    (signed_pdf,) = wait_for_jobs(app)  # the signed quote, filed for the customer
    assert signed_pdf.status == JobStatus.FINISHED


def test_kept_for_the_office_it_waits_as_a_draft_and_nobody_is_mailed(app, client, login_as):
    job, _user = _job_with_a_portal_user(app, login_as)
    form = _recommend_form(client, job)
    _fill(form, job, better=False)

    done = form.submit(client, button="keep", follow_redirects=True)

    assert "drafted for the office to send" in done.get_data(as_text=True)
    with app.app_context():
        (quote,) = db.session.scalars(select(Quote)).all()
        assert quote.status == QuoteStatus.DRAFT and quote.total_cents == 15696  # $145 + tax
        assert [line.option_group for line in quote.lines] == [""]
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_a_finding_without_an_item_is_explained_with_what_was_typed_kept(app, client, login_as):
    job, _user = _job_with_a_portal_user(app, login_as)
    form = _recommend_form(client, job)
    form["what"] = "Duct sealing"
    form["why"] = "The attic run leaks."

    refused = form.submit(client, button="send")

    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Choose at least one item from the price book." in page
    assert 'value="Duct sealing"' in page and "The attic run leaks." in page
    with app.app_context():
        assert db.session.scalars(select(Quote)).all() == []
        assert db.session.scalars(select(WorkOrderPhoto)).all() == []


def test_a_retired_item_is_refused(app, client, login_as):
    job, _user = _job_with_a_portal_user(app, login_as)
    form = _recommend_form(client, job)
    form["what"] = "New blower"
    form.tamper("good", str(job.retired_id))

    refused = form.submit(client, button="keep")

    assert "no longer in the price book" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Quote)).all() == []
        assert db.session.scalar(select(PortalUser.id)) is not None
