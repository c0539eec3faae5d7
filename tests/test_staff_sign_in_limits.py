"""Guessing one staff password from many addresses meets growing per-account delays, with a
message saying when to try again, an audit event and an e-mail to the account; production
refuses rate limits each process would count on its own."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db, limiter
from app.models import AuditEvent, LoginThrottle, OutboxMessage
from app.models.base import utcnow
from tests.conftest import TEST_PASSWORD

FREE = 3


@pytest.fixture
def three_free_tries(app, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_LOGIN_FREE_ATTEMPTS", FREE)


def _try(client, email, password, address):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _wait_out_the_pause(app) -> None:
    with app.app_context():
        for throttle in db.session.scalars(select(LoginThrottle)):
            throttle.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()


def test_guesses_from_many_addresses_pause_the_account_longer_each_time(
    app, client, make_staff, three_free_tries
):
    make_staff("admin", email="ann@example.com", name="Ann")
    for n in range(FREE):
        assert _try(client, "ann@example.com", "guess", f"198.51.100.{n}").status_code == 200
    paused = _try(client, "ann@example.com", TEST_PASSWORD, "198.51.100.99")
    assert paused.status_code == 429
    assert b"Too many failed sign-ins for this account. Try again in 1 minute." in paused.data
    assert client.get("/admin/").status_code == 302

    _wait_out_the_pause(app)
    again = _try(client, "ann@example.com", "guess", "198.51.100.50")
    assert again.status_code == 200
    longer = _try(client, "ann@example.com", TEST_PASSWORD, "198.51.100.51")
    assert longer.status_code == 429 and b"Try again in 2 minutes." in longer.data

    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions.count("login_paused") == 1
        mail = db.session.scalars(select(OutboxMessage)).all()
        assert [m.to_address for m in mail] == ["ann@example.com"]
        assert "3 times in a row" in mail[0].text_body

    _wait_out_the_pause(app)
    assert _try(client, "ann@example.com", TEST_PASSWORD, "198.51.100.52").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(LoginThrottle)) is None  # a success starts over


def test_an_unknown_address_is_paused_the_same_way(app, client, make_staff, three_free_tries):
    make_staff("admin", email="ann@example.com")
    answers = {}
    for email in ("ann@example.com", "nobody@example.com"):
        for n in range(FREE):
            _try(client, email, "guess", f"203.0.113.{n}")
        answers[email] = _try(client, email, "guess", "203.0.113.99")
    known, unknown = answers["ann@example.com"], answers["nobody@example.com"]
    assert known.status_code == unknown.status_code == 429
    assert known.data.replace(b"ann@", b"x@") == unknown.data.replace(b"nobody@", b"x@")


def test_production_refuses_rate_limits_kept_in_memory(app, monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = {
        "ENV_NAME": "production",
        "SECRET_KEY": "a-long-random-production-secret-for-this-test",
        "PUBLIC_BASE_URL": "https://service.polarbear.test",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app({**settings, "REDIS_URL": None})
    try:
        shared = create_app({**settings, "REDIS_URL": "redis://127.0.0.1:1/0"})
        assert shared.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"
        with shared.app_context():
            db.engine.dispose()
    finally:
        limiter.init_app(app)  # the limiter is shared: back to the test app's storage
