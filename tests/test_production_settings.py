"""Production does not start with a guessable SECRET_KEY or a PUBLIC_BASE_URL without TLS, and
says how to fix it."""

import os
import subprocess
import sys

import pytest

from app import create_app
from app.config import BASE_DIR, DEV_SECRET_KEY
from app.production_settings import UnsafeProductionSettings

STRONG_SECRET = "kX3v9Qe2LrT8wZp1Nf6Yb4Hc7Jd0Ms5Ga-Ru_Ok"
HTTPS_BASE = "https://service.polarbear.test"
HOW_TO_MAKE_ONE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def _production(**overrides):
    return create_app(
        {
            "ENV_NAME": "production",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": STRONG_SECRET,
            "PUBLIC_BASE_URL": HTTPS_BASE,
            "RATELIMIT_STORAGE_URI": "memory://",
            **overrides,
        }
    )


def test_production_starts_with_a_long_random_key_and_an_https_address():
    assert _production().config["ENV_NAME"] == "production"


@pytest.mark.parametrize(
    "secret_key",
    [
        None,
        "",
        DEV_SECRET_KEY,
        "secret",
        "changeme",
        "dev",
        "  Secret ",
        "short-but-random-Zq81",
        "a" * 40,
    ],
)
def test_production_refuses_a_weak_secret_key_and_says_how_to_make_one(secret_key):
    with pytest.raises(UnsafeProductionSettings) as refused:
        _production(SECRET_KEY=secret_key)
    assert "SECRET_KEY" in str(refused.value)
    assert HOW_TO_MAKE_ONE in str(refused.value)


@pytest.mark.parametrize(
    "base_url", ["http://service.polarbear.test", "service.polarbear.test", "https://", None]
)
def test_production_refuses_a_public_base_url_that_is_not_https(base_url):
    with pytest.raises(UnsafeProductionSettings, match="PUBLIC_BASE_URL must be an https://"):
        _production(PUBLIC_BASE_URL=base_url)


@pytest.mark.parametrize("env_name", ["development", "testing"])
def test_outside_production_the_development_secret_is_accepted(env_name):
    app = create_app(
        {"ENV_NAME": env_name, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": DEV_SECRET_KEY}
    )
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY


def _python(code: str, env: dict) -> subprocess.CompletedProcess:
    """`code` run by a new Python in the project's folder, as gunicorn would import wsgi.py."""
    return subprocess.run(  # noqa: S603  (our own arguments)
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_wsgi_entry_point_stops_with_every_problem_named():
    env = {
        **os.environ,
        "TUFFOPS_ENV": "production",
        "SECRET_KEY": "changeme",
        "PUBLIC_BASE_URL": "http://tuffops.example.com",
        "DATABASE_URL": "sqlite://",
    }
    started = _python("import wsgi", env)
    assert started.returncode != 0
    assert "SECRET_KEY is a well-known value" in started.stderr
    assert HOW_TO_MAKE_ONE in started.stderr
    assert "PUBLIC_BASE_URL must be an https://" in started.stderr


def test_the_wsgi_entry_point_leaves_only_what_requests_make_to_the_collector():
    """A full collection in a served process walks what requests made, not the app it loaded
    (wsgi.py freezes that): the loaded app is a couple of hundred thousand objects."""
    env = {**os.environ, "DATABASE_URL": "sqlite://"}
    started = _python("import gc, wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))", env)
    assert started.returncode == 0, started.stderr
    frozen, walked = map(int, started.stdout.split())
    assert frozen > 100_000 and walked < frozen / 10
