"""Redis stops while REDIS_URL is set, and starts again: a redis-server of the test's own on a
spare port (the shared one is never touched).

While it is down, pages that do not need Redis answer, rate limits still limit (each process
counts in its own memory: see the README), and starting a job keeps the request's data and
says background work is unavailable. When Redis is back, `flask worker` queues what waited
and runs it.
"""

import shutil
import socket
import subprocess
import time

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import select

from app.extensions import db
from app.models import Job
from app.models.enums import JobStatus
from tests import factories as f
from tests.browser_forms import form_on
from tests.conftest import TEST_PASSWORD, run_worker_burst
from tests.signed_in import sign_in_by_key

UNAVAILABLE = "Background work is unavailable right now"


class OwnRedis:
    """A redis-server on a spare port that the test stops and starts.

    The port stays bound here all along (with SO_REUSEADDR, as redis-server binds, so it can
    listen there too): while the server is down, connections are refused and no other process
    can take the port before the server starts again."""

    def __init__(self, folder):
        self.held = socket.socket()
        self.held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.held.bind(("127.0.0.1", 0))
        self.port, self.folder, self.process = self.held.getsockname()[1], folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603  (our own arguments)
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = Redis.from_url(self.url)
        deadline = time.monotonic() + 60  # generous: the machine may be busy
        while True:
            try:
                client.ping()
                return
            except RedisConnectionError:
                assert self.process.poll() is None, "redis-server stopped while starting"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()
    server.held.close()


@pytest.fixture
def redis_app(own_redis, make_app):
    """The app with jobs and rate limits in the test's own Redis (started first, so it is
    stopped last: the app's teardown resets its rate limits there)."""
    return make_app(
        REDIS_URL=own_redis.url,
        RATELIMIT_STORAGE_URI=own_redis.url,
        LOGIN_RATE_LIMIT="3 per minute",
    )


def test_pages_answer_and_limits_hold_while_redis_is_down(redis_app, own_redis, make_staff):
    with redis_app.app_context():
        token = f.UnitFactory().qr_token
    email = "admin@fault.test"
    make_staff("admin", email=email)
    client = redis_app.test_client()
    own_redis.stop()

    assert client.get("/login").status_code == 200
    assert client.get(f"/u/{token}").status_code == 200
    form = form_on(client.get("/login"))
    form["email"], form["password"] = email, "wrong password"
    statuses = [form.submit(client).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # still limited, in this process's memory
    form["password"] = TEST_PASSWORD
    assert form.submit(client).status_code == 429

    own_redis.start()
    assert client.get("/login").status_code == 200


def test_a_job_started_while_redis_is_down_waits_and_runs_when_it_is_back(
    redis_app, own_redis, make_staff
):
    client = redis_app.test_client()
    admin = make_staff("admin")
    sign_in_by_key(client, f"staff:{admin}")
    form = form_on(client.get("/admin/stickers/"), "form:has(input[name=blank_count])")
    form["blank_count"] = "12"
    own_redis.stop()

    response = form.submit(client, follow_redirects=True)
    assert response.status_code == 200
    assert UNAVAILABLE in response.get_data(as_text=True)
    with redis_app.app_context():
        [job] = db.session.scalars(select(Job)).all()
        assert job.status == JobStatus.QUEUED and job.params["blank_count"] == 12

    own_redis.start()
    run_worker_burst(redis_app, own_redis.url)  # it queues what waited, then runs it
    with redis_app.app_context():
        [job] = db.session.scalars(select(Job)).all()
        assert job.status == JobStatus.FINISHED, job.error
        assert job.result_key
