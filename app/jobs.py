"""Background jobs: a Job row per run, executed by RQ when REDIS_URL is set, in-process otherwise.

`enqueue(kind, **params)` records the row in the caller's transaction; the work starts only
after that transaction commits (so a worker never looks for a row that is not there yet, and
a rolled-back request starts nothing). Job bodies live in reports/ and register themselves
with `@job_body(kind)`; they take the row's params and a progress callback, and return a
JobResult that is stored as the row's result file only when the whole body succeeded.

The progress callback writes on a connection of its own (so admin pages see it at once) and
never commits the body's session: whatever the body adds, whenever it adds it, is committed
together with the result or not at all. RQ job entries run in one app per worker process, and
each app has one Redis client.

When Redis cannot be reached, the committed row stays queued and the person is told that
background work is unavailable; `flask worker` (when it starts) and `flask requeue-jobs` put
waiting rows on the queue again. Whoever runs a row first claims it, so it runs once.
"""

import logging
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, flash, g, has_request_context
from flask_babel import gettext as _
from redis import Redis, RedisError
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.errors import UserError
from app.extensions import db
from app.models import Job
from app.models.base import utcnow
from app.models.enums import JobStatus
from app.pool_checks import release_session
from app.storage import StoredFile, save_bytes

log = logging.getLogger(__name__)

QUEUE_NAME = "tuffops"
JOB_TIMEOUT_SECONDS = 30 * 60
_PENDING = "tuffops_pending_jobs"
_REDIS = "tuffops_redis"
_worker_app: Flask | None = None
_worker_pid: int | None = None


@dataclass(frozen=True)
class JobResult:
    # The file's bytes, or the file itself when the body wrote it to storage as it went.
    data: bytes | StoredFile
    filename: str
    content_type: str = "application/pdf"
    # Files that come with it, offered beside it (a sticker sheet's packing list).
    extras: tuple["JobResult", ...] = ()


Progress = Callable[[int, str], None]
_BODIES: dict[str, Callable[[dict, Progress], JobResult]] = {}
_FOR_CUSTOMER: dict[str, str] = {}
_LABELS: dict[str, str] = {}


def job_body(kind: str, *, label: str | None = None, for_customer: str | None = None):
    """Register the function that does the work for jobs of `kind`.

    `label` is what the job lists call such a job (a lazy string). `for_customer` names what
    the customer gets from such a job, so a failed one is shown on the admin dashboard:
    somebody has to see that the customer is waiting.
    """

    def register(function):
        _BODIES[kind] = function
        if label is not None:
            _LABELS[kind] = label
        if for_customer is not None:
            _FOR_CUSTOMER[kind] = for_customer
        return function

    return register


def job_label(kind: str) -> str:
    """What people call a job of `kind`: its registered label, else the kind in words."""
    return str(_LABELS.get(kind, kind.replace("_", " ")))


def job_kinds() -> list[str]:
    """Every registered job kind, sorted."""
    return sorted(_BODIES)


def customer_job_kinds() -> dict[str, str]:
    """The job kinds that deliver something to a customer, with what they deliver."""
    return dict(_FOR_CUSTOMER)


def enqueue(kind: str, *, created_by=None, **params) -> Job:
    """Record a job of `kind`; it starts once the caller's transaction commits."""
    if kind not in _BODIES:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params, created_by=created_by, status=JobStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(job.id)
    return job


def retry(job: Job) -> None:
    """Run a failed job again on the same row (it starts once the caller commits)."""
    if job.status != JobStatus.FAILED:
        raise ValueError("only a failed job can be retried")
    job.status, job.progress, job.message, job.error = JobStatus.QUEUED, 0, "", ""
    job.started_at = job.finished_at = None
    db.session.info.setdefault(_PENDING, []).append(job.id)


@event.listens_for(Session, "after_commit")
def _start_committed_jobs(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    app = current_app._get_current_object()
    waiting = [job_id for job_id in session.info.pop(_PENDING, []) if not _started(app, job_id)]
    if waiting and has_request_context():
        flash(
            _(
                "Background work is unavailable right now. What you asked for is saved and "
                "will be done as soon as it is back."
            ),
            "warning",
        )


def _started(app: Flask, job_id: int) -> bool:
    """Hand a committed job to the queue; False (the row stays queued) when Redis is down."""
    try:
        _dispatch(app, job_id)
    except (RedisError, OSError):
        log.exception("job %s is waiting: the queue cannot be reached", job_id)
        return False
    return True


def requeue_waiting(app: Flask) -> int:
    """Put every job row still queued (started while Redis was down) on the queue again."""
    waiting = db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED)).all()
    for job_id in waiting:
        _dispatch(app, job_id)
    return len(waiting)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_jobs(session: Session) -> None:
    session.info.pop(_PENDING, None)


def redis_for(app: Flask) -> Redis:
    """The app's Redis client, made on first use and kept (it holds the connection pool)."""
    url = app.config["REDIS_URL"]
    known = app.extensions.get(_REDIS)
    if known is None or known[0] != url:
        known = app.extensions[_REDIS] = (url, Redis.from_url(url))
    return known[1]


def queue_for(app: Flask) -> Queue:
    """The RQ queue jobs go on (JSON-serialized: only ids cross it)."""
    return Queue(QUEUE_NAME, connection=redis_for(app), serializer=JSONSerializer)


def _dispatch(app: Flask, job_id: int) -> None:
    if app.config["REDIS_URL"]:
        queued = queue_for(app).enqueue_call(
            "app.jobs.run_in_worker",
            args=(job_id,),
            timeout=JOB_TIMEOUT_SECONDS,
            job_id=f"tuffops-job-{job_id}-{utcnow().timestamp():.0f}",
        )
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == job_id).values(rq_job_id=queued.id))
    else:
        threading.Thread(target=_run_in_thread, args=(app, job_id), daemon=True).start()


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            release_session()


def use_worker_app(app: Flask) -> None:
    """Make `app` the one RQ job entries run in (`flask worker` hands over its own)."""
    global _worker_app, _worker_pid
    _worker_app, _worker_pid = app, os.getpid()


def worker_app() -> Flask:
    """The app this worker process runs jobs in: made once, then reused for every job.

    RQ forks a child per job; the child inherits the app but must not use the parent's
    database connections, so the first job in a new process drops them (without closing the
    parent's) and opens its own.
    """
    if _worker_app is None:
        from app import create_app

        use_worker_app(create_app())
    elif _worker_pid != os.getpid():
        with _worker_app.app_context():
            db.engine.dispose(close=False)
        use_worker_app(_worker_app)
    return _worker_app


def run_in_worker(job_id: int) -> None:
    """Entry point for the RQ worker: run the job in the worker's app, in its own context."""
    with worker_app().app_context():
        try:
            run_job(job_id)
        finally:
            release_session()


def _store(result: JobResult) -> StoredFile:
    if isinstance(result.data, StoredFile):
        return result.data
    return save_bytes(
        result.data,
        folder="job-results",
        suffix="." + result.filename.rsplit(".", 1)[-1],
        filename=result.filename,
        content_type=result.content_type,
    )


def run_job(job_id: int) -> None:
    """Run one job's body, keeping the row's status, progress, error and result up to date.

    The row is claimed in one statement (queued -> running), so a job put on the queue twice
    (requeued after an outage) runs once."""
    g.request_id = f"job-{job_id}"  # its log lines carry it (app.logs)
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow())
    ).rowcount
    db.session.commit()
    if not claimed:
        return
    job = db.session.get(Job, job_id)

    def progress(percent: int, message: str = "") -> None:
        _write_progress(job_id, max(0, min(100, int(percent))), message[:200])

    try:
        _finish(job, _BODIES[job.kind](dict(job.params), progress))
        db.session.commit()
    except Exception as error:  # noqa: BLE001  (any failure is recorded on the row)
        db.session.rollback()
        log.exception("job %s failed", job_id)
        job = db.session.get(Job, job_id)
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        job.error = f"{type(error).__name__}: {error}\n\n{traceback.format_exc(limit=5)}"[:4000]
        job.message = _failure_message(error)
        db.session.commit()


def _failure_message(error: Exception) -> str:
    """What the Jobs list says of a failed job: a UserError's own words (why the sheet could not
    be printed), else just that it failed; the traceback stays in the job's error."""
    if isinstance(error, UserError):
        return _("Failed: %(why)s", why=error)[:200]
    return _("Failed")


def _finish(job: Job, result: JobResult) -> None:
    """Keep the body's result on the row: stored, and the job finished."""
    stored = _store(result)
    job.result_key, job.result_filename = stored.key, stored.filename
    job.extra_files = [
        {"key": extra.key, "filename": extra.filename} for extra in map(_store, result.extras)
    ]
    job.status, job.progress, job.finished_at = JobStatus.FINISHED, 100, utcnow()
    job.message = "Done"


def run_enqueued_here() -> int:
    """Run the jobs this transaction enqueued now, inside it, instead of after the commit: what
    they write is committed with everything else, and no worker or thread is needed (the demo
    builder, which ends when its command does). A failing body raises. Returns how many ran."""
    pending = db.session.info.pop(_PENDING, [])
    for job_id in pending:
        job = db.session.get(Job, job_id)
        job.status, job.started_at = JobStatus.RUNNING, utcnow()
        _finish(job, _BODIES[job.kind](dict(job.params), lambda percent, message="": None))
    db.session.flush()
    return len(pending)


def _write_progress(job_id: int, percent: int, message: str) -> None:
    """Record progress on a connection of its own, committed at once; the body's session and
    whatever it has added stay untouched.

    SQLite has one writer: while the body's own transaction holds uncommitted writes, a second
    connection would wait on it (in this same thread) until it timed out, so that report is
    skipped; the next one after the body's writes are committed gets through.
    """
    if _session_holds_sqlite_write_lock():
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(Job).where(Job.id == job_id).values(progress=percent, message=message)
        )


def _session_holds_sqlite_write_lock() -> bool:
    session = db.session()
    if db.engine.dialect.name != "sqlite" or not session.in_transaction():
        return False
    return session.connection().connection.dbapi_connection.in_transaction
