"""Reminders on the RQ schedule where Redis is set: a run every REMINDERS_EVERY (which also
releases the tentative visits nobody confirmed in time, like `flask release-holds`).

`flask worker` (not --burst) puts a run on the queue's schedule when none is there, and runs
RQ's scheduler (`with_scheduler=True`), which moves a scheduled run onto the queue when it is
due; each run sends what is due (app.services.reminders) and schedules the next. Only job ids
cross Redis (the JSON serializer). Without Redis, cron runs `flask send-reminders` instead.
"""

import logging
from datetime import datetime, timedelta

from flask import Flask
from rq import Queue

from app.extensions import db
from app.jobs import queue_for, worker_app
from app.models.base import utcnow
from app.pool_checks import release_session
from app.services.reminders import send_reminders
from app.services.self_booking import release_expired_holds

log = logging.getLogger(__name__)

REMINDERS_EVERY = timedelta(minutes=5)
JOB_PREFIX = "tuffops-reminders-"


def _schedule(queue: Queue, at: datetime) -> None:
    queue.enqueue_at(
        at, "app.reminder_jobs.send_reminders_in_worker", job_id=f"{JOB_PREFIX}{at:%Y%m%d%H%M%S}"
    )


def schedule_reminders(app: Flask) -> bool:
    """Put a reminders run on the schedule now, unless one is waiting there already; True
    when it did."""
    queue = queue_for(app)
    waiting = queue.scheduled_job_registry.get_job_ids()
    if any(job_id.startswith(JOB_PREFIX) for job_id in waiting):
        return False
    _schedule(queue, utcnow())
    return True


def send_reminders_in_worker() -> None:
    """Entry point for the RQ worker: send what is due, then schedule the next run (also after
    a failure, so one bad run does not end the reminders)."""
    app = worker_app()
    with app.app_context():
        try:
            log.info("sent %s visit reminder(s)", send_reminders())
            log.info("released %s tentative visit(s)", release_expired_holds())
            db.session.commit()
        finally:
            release_session()
            _schedule(queue_for(app), utcnow() + REMINDERS_EVERY)
