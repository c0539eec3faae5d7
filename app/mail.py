"""Outgoing mail through an outbox table: every e-mail TuffOps sends goes through here.

`queue_mail(...)` adds an OutboxMessage row in the caller's transaction; once that commits,
delivery is attempted in the background (an RQ job when REDIS_URL is set, a thread otherwise),
so a rolled-back request sends nothing. `deliver_pending()` sends every due row: over SMTP when
MAIL_SERVER is set; without it (the embedded development default) a message is only marked sent
and stays readable on the development mail page. A temporary failure leaves the row pending with
a later next attempt (`flask deliver-mail` picks it up); a permanent refusal gives up on it.
Delivery is at-least-once: a crash between sending and recording it sends the message again.
"""

import logging
import smtplib
import ssl
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parseaddr

from flask import Flask, current_app
from redis.exceptions import RedisError
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs import queue_for, worker_app
from app.models import OutboxAttachment, OutboxMessage
from app.models.base import utcnow
from app.models.outbox import ADDRESS_LENGTH, SUBJECT_LENGTH, OutboxStatus
from app.pool_checks import release_session
from app.storage import StoredFile, read_bytes

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30
MAX_ATTEMPTS = 20
MAX_BACKOFF = timedelta(hours=1)
BATCH_SIZE = 100
DELIVERY_JOB_TIMEOUT_SECONDS = 10 * 60
_PENDING = "tuffops_pending_mail"
_SQLITE_TURNS = threading.Lock()


def queue_mail(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    reply_to: str | None = None,
    attachments: Sequence[StoredFile] = (),
) -> OutboxMessage:
    """Put an e-mail in the outbox in the caller's transaction; it goes out once that commits.

    `attachments` are files already in storage (app.storage), sent as they are.
    """
    message = OutboxMessage(
        to_address=_one_address(to, "to"),
        subject=_header_value(subject, "subject", SUBJECT_LENGTH),
        text_body=text,
        html_body=html,
        reply_to=_one_address(reply_to, "reply_to") if reply_to else None,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=utcnow(),
        attachments=[OutboxAttachment(**stored.fields()) for stored in attachments],
    )
    db.session.add(message)
    db.session.flush()
    db.session.info[_PENDING] = True
    return message


def _header_value(value: str, field: str, max_length: int) -> str:
    """Refuse line breaks (header injection) and values too long for their column."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"{field} must not contain line breaks")
    if len(value) > max_length:
        raise ValueError(f"{field} is longer than {max_length} characters")
    return value.strip()


def _one_address(value: str, field: str) -> str:
    """A single e-mail address, optionally with a display name ("Ann <ann@example.com>")."""
    value = _header_value(value, field, ADDRESS_LENGTH)
    addresses = getaddresses([value])
    if len(addresses) != 1 or "@" not in addresses[0][1]:
        raise ValueError(f"{field} must be exactly one e-mail address")
    return value


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    if session.info.pop(_PENDING, False):
        try:
            _dispatch(current_app._get_current_object())
        except (RedisError, OSError):
            # The request's work is committed and the mail is safe in the outbox; only the nudge
            # to send it now failed, and `flask deliver-mail` will find it.
            log.exception("could not start mail delivery")


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _dispatch(app: Flask) -> None:
    if app.config["REDIS_URL"]:
        queue_for(app).enqueue_call(
            "app.mail.deliver_in_worker", timeout=DELIVERY_JOB_TIMEOUT_SECONDS
        )
    else:
        threading.Thread(target=_deliver_in_thread, args=(app,), daemon=True).start()


def _deliver_in_thread(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_pending()
        except Exception:
            # The rows stay pending; the next delivery run (or `flask deliver-mail`) sends them.
            log.exception("background mail delivery failed")
        finally:
            release_session()


def deliver_in_worker() -> None:
    """Entry point for the RQ worker: deliver in the worker's app, in a context of its own."""
    with worker_app().app_context():
        try:
            deliver_pending()
        finally:
            release_session()


def deliver_pending(now: datetime | None = None, limit: int = BATCH_SIZE) -> tuple[int, int]:
    """Send up to `limit` due messages, committing each; returns (sent, failed attempts).

    `now` is the moment that decides what is due and when a retry is next due (tests pass a
    later one instead of waiting out the backoff). It commits, so call it outside a request.
    """
    sent = failed = 0
    with _taking_turns():
        now = now or utcnow()
        for _ in range(limit):
            message = db.session.scalar(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.next_attempt_at <= now,
                )
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
            if message is None:
                break
            if _attempt(message, now):
                sent += 1
            else:
                failed += 1
            db.session.commit()
    return sent, failed


def _taking_turns() -> AbstractContextManager:
    """What keeps two deliveries from sending the same message at once.

    On PostgreSQL the row locks do (FOR UPDATE SKIP LOCKED). SQLite ignores FOR UPDATE, so there
    the deliveries of this process, the only one in the embedded setup, take turns instead.
    """
    return _SQLITE_TURNS if db.engine.dialect.name == "sqlite" else nullcontext()


def _attempt(message: OutboxMessage, now: datetime) -> bool:
    """Try to send one locked message and record the outcome on it; True when it went out."""
    try:
        _send(message)
    except Exception as error:  # noqa: BLE001  (any failure is recorded; the row is never lost)
        _record_failure(message, error, now)
        return False
    message.status, message.sent_at, message.last_error = OutboxStatus.SENT, utcnow(), ""
    return True


def _record_failure(message: OutboxMessage, error: Exception, now: datetime) -> None:
    """Count the attempt; retry later with exponential backoff, or give up for good."""
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        log.error("mail %s to %s failed for good: %s", message.id, message.to_address, error)
        return
    message.next_attempt_at = now + _backoff(message.attempts)
    log.warning("mail %s to %s will be retried: %s", message.id, message.to_address, error)


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the 1st, 2nd, 3rd, 4th ... failure, at most an hour."""
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


def _is_permanent(error: Exception) -> bool:
    """A 5xx refusal of the recipient or of the message itself: sending again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _send(message: OutboxMessage) -> None:
    """Hand one message to the SMTP server; without MAIL_SERVER there is nothing to do."""
    config = current_app.config
    if not config["MAIL_SERVER"]:
        return
    email = _email_for(message, sender=config["MAIL_FROM"])
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def _email_for(message: OutboxMessage, *, sender: str) -> EmailMessage:
    """The MIME message for an outbox row: plain text, plus an HTML alternative when it has one."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email["Date"] = format_datetime(message.created_at)
    # Derived from the row, so a resent copy carries the same id and receivers can drop it.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "tuffops.invalid"
    email["Message-ID"] = f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(
            read_bytes(attachment.storage_key),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return email
