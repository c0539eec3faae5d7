"""The outbox: mail goes out after commit over real SMTP, is retried, given up on, never doubled."""

import asyncio
import re
import socket
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from bs4 import BeautifulSoup
from fakeredis import FakeRedis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from app import mail
from app.extensions import db
from app.mail import MAX_ATTEMPTS, deliver_pending, queue_mail
from app.models import OutboxMessage
from app.models.outbox import OutboxStatus
from app.storage import save_bytes
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import PATIENCE, PRODUCTION, at_once

SENDER = "Cool Breeze HVAC <office@coolbreeze.test>"
LOGIN_LINK = "http://127.0.0.1:5000/portal/login/abc123"


class Recorder:
    """An SMTP handler that keeps every message it accepts, or refuses every recipient."""

    def __init__(self, refusal: str | None = None, delay: float = 0.0):
        self.refusal = refusal
        self.delay = delay
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusal:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        email = message_from_bytes(envelope.content.replace(b"\r\n", b"\n"), policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), email))
        return "250 Message accepted for delivery"


class HeldPortController(Controller):
    """aiosmtpd's server on a socket the test already holds, so that no other process (another
    test worker) can take its port between the test choosing it and the server starting."""

    def __init__(self, handler, held: socket.socket, **options):
        super().__init__(handler, hostname="127.0.0.1", port=held.getsockname()[1], **options)
        self.held = held

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.held)


@pytest.fixture
def smtp_socket(app, monkeypatch):
    """The local port the app mails to, bound for the whole test: nothing listens there (a
    connection is refused) until a test starts a server on it."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        for key, value in {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": held.getsockname()[1],
            "MAIL_USE_TLS": False,
            "MAIL_FROM": SENDER,
        }.items():
            monkeypatch.setitem(app.config, key, value)
        yield held


@pytest.fixture
def start_smtp(smtp_socket):
    """Start a real SMTP server (aiosmtpd) on smtp_socket's port; returns its Recorder."""
    controllers = []

    def start(refusal: str | None = None, delay: float = 0.0, **server_options) -> Recorder:
        recorder = Recorder(refusal, delay)
        controller = HeldPortController(recorder, smtp_socket, **server_options)
        controller.start()
        controllers.append(controller)
        return recorder

    yield start
    for controller in controllers:
        controller.stop()


def wait_for(app, message_id, condition, timeout=PATIENCE) -> OutboxMessage:
    """Poll the outbox row until `condition(row)` holds (background delivery is asynchronous)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            row = db.session.get(OutboxMessage, message_id)
            if condition(row):
                db.session.expunge(row)
                return row
        time.sleep(0.02)
    raise AssertionError(f"outbox message {message_id} never got there")


def is_done(row) -> bool:
    return row.status != OutboxStatus.PENDING


def has_failed_once(row) -> bool:
    return row.attempts == 1


def queue_and_commit(app, **fields) -> int:
    fields = {"to": "ann@example.com", "subject": "Hello", "text": "Hi Ann."} | fields
    with app.app_context():
        message_id = queue_mail(**fields).id
        db.session.commit()
    return message_id


def outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_committed_mail_is_delivered_over_smtp_with_its_headers_and_html(app, start_smtp):
    server = start_smtp()
    message_id = queue_and_commit(
        app,
        to="Ann Lee <ann@example.com>",
        subject="Your visit on Tuesday",
        text=f"Sign in here: {LOGIN_LINK}\n",
        html=f'<p><a href="{LOGIN_LINK}">Sign in</a></p>',
        reply_to="dispatch@coolbreeze.test",
    )

    row = wait_for(app, message_id, is_done)
    assert row.status == OutboxStatus.SENT and row.sent_at is not None and row.attempts == 0
    [(mail_from, recipients, email)] = server.received
    assert mail_from == "office@coolbreeze.test" and recipients == ["ann@example.com"]
    assert email["From"] == SENDER
    assert email["To"] == "Ann Lee <ann@example.com>"
    assert email["Subject"] == "Your visit on Tuesday"
    assert email["Reply-To"] == "dispatch@coolbreeze.test"
    assert email["Message-ID"].endswith("@coolbreeze.test>") and email["Date"]
    assert email.get_body(("plain",)).get_content() == f"Sign in here: {LOGIN_LINK}\n"
    assert LOGIN_LINK in email.get_body(("html",)).get_content()


def test_the_server_login_uses_the_configured_account(app, start_smtp, monkeypatch):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    server = start_smtp(authenticator=authenticator, auth_require_tls=False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "tuffops")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "s3cret")
    message_id = queue_and_commit(app)

    assert wait_for(app, message_id, is_done).status == OutboxStatus.SENT
    assert logins == [(b"tuffops", b"s3cret")] and len(server.received) == 1


def test_unreachable_server_keeps_the_message_for_a_later_retry_that_sends_it_once(app, start_smtp):
    message_id = queue_and_commit(app)

    row = wait_for(app, message_id, has_failed_once)
    assert row.status == OutboxStatus.PENDING
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at >= row.created_at + timedelta(minutes=1)
    with app.app_context():
        assert deliver_pending() == (0, 0)  # not due yet

    later = row.next_attempt_at + timedelta(seconds=1)
    with app.app_context():
        assert deliver_pending(now=later) == (0, 1)
        retried = db.session.get(OutboxMessage, message_id)
        assert retried.attempts == 2 and retried.next_attempt_at == later + timedelta(minutes=2)

    server = start_smtp()
    even_later = later + timedelta(hours=1)
    with app.app_context():
        assert deliver_pending(now=even_later) == (1, 0)
        assert deliver_pending(now=even_later + timedelta(days=1)) == (0, 0)
        sent = db.session.get(OutboxMessage, message_id)
        assert sent.status == OutboxStatus.SENT and sent.attempts == 2
    assert len(server.received) == 1


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(app, smtp_socket):
    message_id = queue_and_commit(app)
    row = wait_for(app, message_id, has_failed_once)
    with app.app_context():
        db.session.get(OutboxMessage, message_id).attempts = MAX_ATTEMPTS - 1
        db.session.commit()
        assert deliver_pending(now=row.next_attempt_at) == (0, 1)
        assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.FAILED


def test_a_permanent_refusal_fails_the_message_without_retrying(app, start_smtp):
    server = start_smtp(refusal="550 no such user")
    message_id = queue_and_commit(app, to="nobody@example.com")

    row = wait_for(app, message_id, is_done)
    assert row.status == OutboxStatus.FAILED and row.attempts == 1
    assert "550" in row.last_error and "no such user" in row.last_error
    with app.app_context():
        assert deliver_pending(now=row.next_attempt_at + timedelta(days=1)) == (0, 0)
    assert server.received == []


def test_rolled_back_mail_is_neither_kept_nor_sent(app, start_smtp):
    server = start_smtp()
    with app.app_context():
        queue_mail("ann@example.com", "Never mind", "This was rolled back.")
        db.session.rollback()
        db.session.commit()
    # Delivery sends whatever is pending: once the next mail is out, the first would be too.
    row = wait_for(app, queue_and_commit(app, subject="Still on"), is_done)
    assert row.status == OutboxStatus.SENT and outbox_count(app) == 1
    assert [email["Subject"] for _, _, email in server.received] == ["Still on"]


@pytest.mark.parametrize(
    "fields",
    [
        {"to": "ann@example.com\r\nBcc: everyone@example.com"},
        {"to": "ann@example.com\nBcc: everyone@example.com"},
        {"subject": "Hello\r\nBcc: everyone@example.com"},
        {"reply_to": "office@example.com\nBcc: everyone@example.com"},
        {"to": "ann@example.com, bob@example.com"},
        {"to": "not an address"},
        {"reply_to": "office@example.com, sales@example.com"},
    ],
)
def test_header_injection_and_malformed_addresses_are_refused(app_ctx, fields):
    fields = {"to": "ann@example.com", "subject": "Hello", "text": "Hi."} | fields
    with pytest.raises(ValueError):
        queue_mail(**fields)
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_sign_in_mail_is_text_and_html_with_a_button_that_signs_in(app, start_smtp):
    """Over real SMTP: the plain text carries the link, the HTML a button in the brand colour
    (black text on a pale one), in the customer's language; pressing it signs them in."""
    server = start_smtp()
    with app.app_context():
        f.CompanySettingsFactory(brand_color="#ffd400")
        f.PortalUserFactory(email="pat@example.com", language="es")
    client = app.test_client()
    form = form_on(client.get("/portal/login"), "form[novalidate]")
    form["email"] = "pat@example.com"
    form.submit(client)
    with app.app_context():
        wait_for(app, db.session.scalar(select(OutboxMessage.id)), is_done)

    [(_, _, email)] = server.received
    assert email.get_content_type() == "multipart/alternative"
    link = re.search(r"http\S+/portal/link/\S+", email.get_body(("plain",)).get_content())[0]
    html = BeautifulSoup(email.get_body(("html",)).get_content(), "html.parser")
    button = html.select_one("a.mail-button")
    assert button["href"] == link and button.get_text() == "Iniciar sesión"
    assert "background:#ffd400" in button["style"] and "color:#000000" in button["style"]

    opened = client.get(link.removeprefix(app.config["PUBLIC_BASE_URL"]))
    signed_in = form_on(opened, "form:not(.lang-switch)").submit(client)
    assert signed_in.headers["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


@pytest.fixture
def dev_mail_app(make_app):
    """A second app on the same database, with the development mail page switched on."""
    return make_app(DEV_MAIL_PAGE=True)


def test_without_a_mail_server_mail_is_marked_sent_and_readable_on_the_dev_page(dev_mail_app):
    assert dev_mail_app.config["MAIL_SERVER"] is None
    message_id = queue_and_commit(
        dev_mail_app,
        subject="Your sign-in link",
        text=f"Sign in: {LOGIN_LINK}.\n<script>alert(1)</script>",
        html=f'<p>Hi & welcome</p><a href="{LOGIN_LINK}">Sign in</a>',
    )
    assert wait_for(dev_mail_app, message_id, is_done).status == OutboxStatus.SENT

    client = dev_mail_app.test_client()
    listing = client.get("/dev/mail/").get_data(as_text=True)
    assert (
        "ann@example.com" in listing
        and "Your sign-in link" in listing
        and ">Sent</span>" in listing
    )
    assert f'href="/dev/mail/{message_id}"' in listing

    page = client.get(f"/dev/mail/{message_id}").get_data(as_text=True)
    assert f'<a href="{LOGIN_LINK}">{LOGIN_LINK}</a>.' in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'sandbox="allow-popups' in page and "allow-scripts" not in page
    assert 'srcdoc="&lt;base target=&#34;_top&#34;&gt;&lt;p&gt;Hi &amp; welcome' in page
    assert client.get(f"/dev/mail/{message_id + 1}").status_code == 404


def test_the_dev_page_does_not_exist_when_switched_off_or_in_production(client, make_app):
    assert client.get("/dev/mail/").status_code == 404
    production = make_app(**PRODUCTION, DEV_MAIL_PAGE=True)
    assert "dev_mail" not in production.blueprints
    assert production.test_client().get("/dev/mail/").status_code == 404


def test_deliveries_running_at_once_send_each_message_exactly_once(app, start_smtp):
    message_ids = [queue_and_commit(app, subject=f"Message {n}") for n in range(6)]
    due = [wait_for(app, message_id, has_failed_once).next_attempt_at for message_id in message_ids]
    server = start_smtp(delay=0.02)
    later = max(due) + timedelta(seconds=1)
    results, start = [], threading.Barrier(2)

    def deliver():
        with app.app_context():
            start.wait()
            try:
                results.append(deliver_pending(now=later))
            finally:
                db.session.remove()

    at_once(deliver, deliver)
    with app.app_context():
        assert deliver_pending(now=later) == (0, 0)

    assert sum(sent for sent, _ in results) == 6
    subjects = sorted(email["Subject"] for _, _, email in server.received)
    assert subjects == [f"Message {n}" for n in range(6)]


def test_deliver_mail_command_sends_what_is_due(app, start_smtp, monkeypatch):
    # The nudge goes to a queue nothing reads and the failed first attempt is made here: a
    # background delivery still looping would take the row again once it is made due below.
    queue = Queue("tuffops", connection=FakeRedis(), serializer=JSONSerializer)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://redis.invalid:6379/0")
    monkeypatch.setattr(mail, "queue_for", lambda _app: queue)
    message_id = queue_and_commit(app)
    with app.app_context():
        assert deliver_pending() == (0, 1)
        row = db.session.get(OutboxMessage, message_id)
        row.next_attempt_at = row.created_at
        db.session.commit()
    server = start_smtp()

    result = app.test_cli_runner().invoke(args=["deliver-mail"])
    assert result.exit_code == 0 and "Sent 1, failed 0." in result.output
    assert len(server.received) == 1


def test_with_redis_delivery_is_an_rq_job_on_the_jobs_queue(app, monkeypatch):
    queue = Queue("tuffops", connection=FakeRedis(), serializer=JSONSerializer)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://redis.invalid:6379/0")
    monkeypatch.setattr(mail, "queue_for", lambda _app: queue)
    queue_and_commit(app)
    assert [job.func_name for job in queue.jobs] == ["app.mail.deliver_in_worker"]


def test_mail_stays_queued_when_redis_is_down(app, monkeypatch):
    def unreachable(_app):
        raise RedisConnectionError("Redis is down")

    monkeypatch.setitem(app.config, "REDIS_URL", "redis://redis.invalid:6379/0")
    monkeypatch.setattr(mail, "queue_for", unreachable)
    message_id = queue_and_commit(app)
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.PENDING


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _stored_pdf(app):
    """A stored PDF (kept: files belong to the transaction they were written in)."""
    with app.app_context():
        stored = save_bytes(
            PDF,
            folder="documents",
            suffix=".pdf",
            filename="Receipt INV-000001.pdf",
            content_type="application/pdf",
        )
        db.session.commit()
        return stored


def test_attachments_are_sent_with_the_message(app, start_smtp):
    server = start_smtp()
    message_id = queue_and_commit(app, subject="Your receipt", attachments=[_stored_pdf(app)])

    assert wait_for(app, message_id, is_done).status == OutboxStatus.SENT
    [(_, _, email)] = server.received
    (attachment,) = email.iter_attachments()
    assert attachment.get_filename() == "Receipt INV-000001.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF
    assert email.get_body(("plain",)).get_content() == "Hi Ann.\n"


def test_the_dev_page_lists_attachments_and_downloads_them(dev_mail_app):
    message_id = queue_and_commit(
        dev_mail_app, subject="Your receipt", attachments=[_stored_pdf(dev_mail_app)]
    )
    client = dev_mail_app.test_client()

    page = client.get(f"/dev/mail/{message_id}").get_data(as_text=True)
    with dev_mail_app.app_context():
        (attachment,) = db.session.get(OutboxMessage, message_id).attachments
        attachment_id = attachment.id
    assert "Receipt INV-000001.pdf" in page
    with client.get(f"/dev/mail/{message_id}/attachments/{attachment_id}") as download:
        assert download.data == PDF and download.mimetype == "application/pdf"
    assert client.get(f"/dev/mail/{message_id + 1}/attachments/{attachment_id}").status_code == 404
