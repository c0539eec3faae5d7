"""Background jobs in the embedded default: recorded, started after commit, progress, failures."""

import html
import re

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.jobs import JobResult, enqueue, job_body, redis_for
from app.mail import queue_mail
from app.models import BlankSticker, Job
from app.models.enums import JobStatus
from app.models.outbox import OutboxStatus
from app.storage import path_for, save_bytes
from tests.factories import CompanySettingsFactory
from tests.helpers import wait_for

CALLS = []


@job_body("test-greeting")
def _greeting(params, progress):
    CALLS.append(params)
    progress(50, "halfway")
    if params.get("fail"):
        raise RuntimeError("printer on fire")
    return JobResult(f"hello {params['name']}".encode(), "greeting.txt", "text/plain")


@job_body("test-adds-then-fails")
def _adds_then_fails(params, progress):
    db.session.add(BlankSticker())
    progress(40, "one sticker made")
    raise RuntimeError("ran out of labels")


def test_a_job_runs_after_commit_and_keeps_its_result(app, client, login_as):
    with app.app_context():
        job_id = enqueue("test-greeting", name="Ada").id
        assert db.session.get(Job, job_id).status == JobStatus.QUEUED
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FINISHED and job.progress == 100
    login_as("manager")
    with client.get(f"/admin/files/jobs/{job_id}") as response:
        assert response.data == b"hello Ada"
    assert "greeting.txt" in client.get("/admin/job/").data.decode()


@pytest.fixture
def started(monkeypatch) -> list[int]:
    """The ids of the jobs handed over to run, in order (they still run)."""
    handed, hand_over = [], jobs._dispatch

    def note_and_hand_over(app, job_id):
        handed.append(job_id)
        hand_over(app, job_id)

    monkeypatch.setattr(jobs, "_dispatch", note_and_hand_over)
    return handed


def test_a_rolled_back_job_never_starts(app, started):
    CALLS.clear()
    with app.app_context():
        enqueue("test-greeting", name="Ghost")
        db.session.rollback()
        db.session.commit()
        assert db.session.scalars(select(Job)).all() == []
        job_id = enqueue("test-greeting", name="Ada").id
        db.session.commit()
    # Jobs are handed over while the commit runs: only the committed one ever was.
    assert started == [job_id]
    assert wait_for(app, job_id).status == JobStatus.FINISHED
    assert CALLS == [{"name": "Ada"}]


def test_a_savepoint_inside_the_transaction_starts_nothing_early(app, started):
    """A savepoint released (closing a job out uses one) is not the commit: the job, and the
    files written before it, wait for the transaction's own end."""
    with app.app_context():
        CompanySettingsFactory()
        enqueue("test-greeting", name="Ada")
        kept = save_bytes(
            b"x", folder="t", suffix=".txt", filename="x.txt", content_type="text/plain"
        )
        with db.session.begin_nested():
            pass
        assert started == []
        db.session.rollback()
        assert started == [] and not path_for(kept.key).exists()
        job_id = enqueue("test-greeting", name="Ada").id
        with db.session.begin_nested():
            pass
        db.session.commit()
    assert started == [job_id]
    assert wait_for(app, job_id).status == JobStatus.FINISHED


def test_a_failed_job_keeps_its_error_shows_no_result_and_can_be_retried(app, client, login_as):
    with app.app_context():
        job_id = enqueue("test-greeting", name="Bob", fail=True).id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FAILED and "printer on fire" in job.error
    assert job.result_key is None

    login_as("admin")
    assert client.get(f"/admin/files/jobs/{job_id}").status_code == 404
    with app.app_context():
        failing = db.session.get(Job, job_id)
        failing.params = {"name": "Bob"}
        db.session.commit()
    client.post("/admin/job/action/", data={"action": "retry", "rowid": [job_id]})
    assert wait_for(app, job_id).status == JobStatus.FINISHED


def test_unknown_job_kinds_are_refused(app_ctx):
    with pytest.raises(ValueError, match="unknown job kind"):
        enqueue("no-such-job")


def test_dispatchers_retry_failed_jobs(app, client, login_as):
    with app.app_context():
        job_id = enqueue("test-greeting", name="Bob", fail=True).id
        db.session.commit()
    assert wait_for(app, job_id).status == JobStatus.FAILED
    with app.app_context():
        db.session.get(Job, job_id).params = {"name": "Bob"}
        db.session.commit()
    login_as("dispatcher")
    assert client.get("/admin/job/").status_code == 200
    client.post("/admin/job/action/", data={"action": "retry", "rowid": [job_id]})
    assert wait_for(app, job_id).status == JobStatus.FINISHED


def test_a_failed_job_a_customer_waits_for_shows_on_the_dashboard(app, client, login_as):
    with app.app_context():
        receipt = enqueue("payment_receipt", payment_id=987654).id
        sheet = enqueue("sticker_sheet", format="no-such-stock", start=1, blank_count=1).id
        db.session.commit()
    assert wait_for(app, receipt).status == wait_for(app, sheet).status == JobStatus.FAILED

    login_as("dispatcher")
    page = client.get("/admin/").get_data(as_text=True)

    assert "Customers waiting for something that failed" in page
    assert "A card payment&#39;s receipt (PDF and e-mail)" in page
    assert f"/admin/job/details/?id={receipt}" in page
    assert f"/admin/job/details/?id={sheet}" not in page

    with app.app_context():
        db.session.get(Job, receipt).status = JobStatus.FINISHED
        db.session.commit()
    assert "Customers waiting for something" not in client.get("/admin/").get_data(as_text=True)


def test_mail_given_up_on_shows_on_the_dashboard_and_its_link_lists_it(app, client, login_as):
    with app.app_context():
        for status, to in (
            (OutboxStatus.FAILED, "gone@example.test"),
            (OutboxStatus.SENT, "ok@x.test"),
        ):
            message = queue_mail(to, "Receipt for INV-000001", "Thank you.")
            message.status = status
        db.session.commit()

    login_as("dispatcher")
    page = client.get("/admin/").get_data(as_text=True)

    assert "E-mails that could not be delivered" in page
    link = re.search(r'href="(/admin/outboxmessage/?\?[^"]*)"', page).group(1)
    listed = client.get(html.unescape(link)).get_data(as_text=True)
    assert "gone@example.test" in listed and "ok@x.test" not in listed


def test_progress_is_shown_without_committing_what_the_job_added(app):
    with app.app_context():
        job_id = enqueue("test-adds-then-fails").id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FAILED and "ran out of labels" in job.error
    assert job.progress == 40
    with app.app_context():
        assert db.session.scalars(select(BlankSticker)).all() == []


def test_jobs_on_a_real_rq_queue_record_their_rq_id(app, rq_worker):
    from rq.job import Job as RQJob

    with app.app_context():
        CompanySettingsFactory()
        ids = [enqueue("sticker_sheet", blank_count=1, format="avery-5160").id for _ in range(2)]
        db.session.commit()  # pushes both onto the RQ queue
        rq_ids = [db.session.get(Job, job_id).rq_job_id for job_id in ids]
        assert all(rq_ids) and len(set(rq_ids)) == 2
        assert [RQJob.fetch(rq_id, connection=redis_for(app)).id for rq_id in rq_ids] == rq_ids

    rq_worker()

    assert [wait_for(app, job_id, timeout=1).status for job_id in ids] == [JobStatus.FINISHED] * 2
