"""Logs keep secrets out: one handler, a request id on every line, redacted messages and
tracebacks."""

import io
import logging
import re
import time
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from app.extensions import db
from app.jobs import enqueue, job_body
from app.logs import Redactor, token_prefixes
from app.route_policy import ROUTES, SECRET_LINK
from tests.helpers import PATIENCE, wait_for

SECRETS = (
    "ann.requester@example.com",
    "(555) 867-5309",
    "+1 555 123 4567",
    "sk_live_51Hs3cretKey",
    "whsec_S3cretSigning",
    "STICKERTOKEN2345",
    "SignInLinkToken_abc",
)


@job_body("test-leaky")
def _leaky(params, progress):
    raise ValueError(f"could not mail {params['email']} or call {params['phone']}")


def _our_handler() -> logging.StreamHandler:
    (handler,) = [h for h in logging.getLogger().handlers if getattr(h, "tuffops", False)]
    return handler


@pytest.fixture
def captured():
    """What the app's log handler writes during the test."""
    buffers = []

    def capture() -> io.StringIO:
        buffer = io.StringIO()
        previous = _our_handler().setStream(buffer)
        buffers.append(previous)
        return buffer

    yield capture
    for previous in buffers:
        _our_handler().setStream(previous)


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


def test_a_failing_request_logs_its_traceback_without_secrets_and_with_its_id(
    make_app, captured, monkeypatch
):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    monkeypatch.setitem(ROUTES, "explode", SECRET_LINK)

    @app.get("/u/<token>/explode")
    def explode(token):
        raise RuntimeError(
            "could not reach ann.requester@example.com at (555) 867-5309 "
            "with sk_live_51Hs3cretKey and whsec_S3cretSigning"
        )

    log = captured()
    answer = app.test_client().get("/u/STICKERTOKEN2345/explode?token=SignInLinkToken_abc")

    assert answer.status_code == 500
    request_id = answer.headers["X-Request-ID"]
    text = log.getvalue()
    assert_no_secrets(text)
    assert f"ERROR [{request_id}] app: Exception on /u/[redacted]/explode [GET]" in text
    assert "RuntimeError: could not reach [redacted] at [redacted]" in text
    assert "sk_live_[redacted] and whsec_[redacted]" in text
    assert "Traceback (most recent call last)" in text


def test_a_failed_job_logs_under_its_id_without_the_address_it_mentions(app, captured):
    log = captured()
    with app.app_context():
        job_id = enqueue(
            "test-leaky", email="ann.requester@example.com", phone="+1 555 123 4567"
        ).id
        db.session.commit()
    wait_for(app, job_id)

    text = log.getvalue()
    assert_no_secrets(text)
    assert f"ERROR [job-{job_id}] app.jobs: job {job_id} failed" in text
    assert "ValueError: could not mail [redacted] or call [redacted]" in text


def test_every_route_with_a_token_is_redacted_and_ordinary_figures_are_kept(app):
    prefixes = token_prefixes(app)
    assert {"/u/", "/U/", "/request-status/", "/portal/link/"} <= set(prefixes)
    redact = Redactor(prefixes)
    for prefix in prefixes:
        assert redact(f"GET {prefix}SECRET123 200") == f"GET {prefix}[redacted] 200"
    ordinary = (
        "INV-000123 paid $108.25 on 2026-12-05 08:13:00,856; job 12; 3.5 tons; ids 1234, 99; "
        "pi_3Nabc1234567890; 12.3456%"
    )
    assert redact(ordinary) == ordinary
    for phone in ("555-123-4567", "5551234567", "555-0100", "+44 20 7946 0958", "(555) 867-5309"):
        assert redact(f"call {phone} now") == "call [redacted] now", phone


def test_each_response_names_its_request_id(client):
    first, second = client.get("/portal/login"), client.get("/portal/login")
    assert re.fullmatch(r"[0-9a-f]{16}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_the_access_log_of_a_served_app_hides_link_tokens(live_server, captured):
    log = captured()
    for path in ("/request-status/SignInLinkToken_abc", "/u/STICKERTOKEN2345"):
        with pytest.raises(HTTPError):
            urlopen(live_server + path)  # noqa: S310  (our own local server)

    lines = ("GET /request-status/[redacted] HTTP/1.1", "GET /u/[redacted] HTTP/1.1")
    # The server thread writes its access line after the response has gone: wait for both.
    deadline = time.monotonic() + PATIENCE
    while not all(line in log.getvalue() for line in lines) and time.monotonic() < deadline:
        time.sleep(0.01)
    text = log.getvalue()
    assert all(line in text for line in lines), text
    assert_no_secrets(text)
