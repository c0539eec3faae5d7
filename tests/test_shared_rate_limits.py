"""With Redis, rate limits are counted across processes (gunicorn workers, several hosts)."""

import os
import subprocess
import sys

import pytest

from app.config import BASE_DIR
from app.extensions import limiter
from tests.clean_tables import written_elsewhere

ADDRESS = "192.0.2.44"
LIMIT = "2 per minute"
# Another process, another app: two failed sign-ins from ADDRESS, counted in Redis.
OTHER_PROCESS = f"""
import sys
from app import create_app
app = create_app({{
    "ENV_NAME": "testing",
    "SQLALCHEMY_DATABASE_URI": sys.argv[1],
    "RATELIMIT_STORAGE_URI": sys.argv[2],
    "LOGIN_RATE_LIMIT": "{LIMIT}",
}})
client = app.test_client()
for _ in range(2):
    answer = client.post(
        "/login",
        data={{"email": "nobody@example.com", "password": "guess"}},
        environ_base={{"REMOTE_ADDR": "{ADDRESS}"}},
    )
    print(answer.status_code)
"""


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: no Redis to share limits in (.ci/run sets it)")
    return url


def test_sign_in_attempts_in_another_process_count_against_the_limit(app, make_app, redis_url):
    here = make_app(RATELIMIT_STORAGE_URI=redis_url, LOGIN_RATE_LIMIT=LIMIT)
    limiter.reset()  # nothing left over in Redis from an earlier run
    written_elsewhere()
    other = subprocess.run(  # noqa: S603  (our own code)
        [sys.executable, "-c", OTHER_PROCESS, app.config["SQLALCHEMY_DATABASE_URI"], redis_url],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.split() == ["200", "200"]
    third = here.test_client().post(
        "/login",
        data={"email": "nobody@example.com", "password": "guess"},
        environ_base={"REMOTE_ADDR": ADDRESS},
    )
    assert third.status_code == 429
