"""Logging, configured once in create_app: one format with a request id on every line, the
level from LOG_LEVEL, and a filter that keeps secrets and personal details out of every line
and traceback.

What is redacted: e-mail addresses, phone numbers, Stripe keys and webhook secrets, and the
token in any URL whose route takes one (portal sign-in links, stickers, status links; found in
the URL map, so a new route with a `<token>` is covered), as well as `token=` parameters.
Each request gets an id (also sent back as X-Request-ID, and taken from a trusted proxy's
X-Request-ID); background jobs log as `job-<id>`.
"""

import logging
import re
import secrets

from flask import Flask, g, has_app_context, request
from flask.logging import default_handler

FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
REQUEST_ID_HEADER = "X-Request-ID"
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    # (555) 867-5309, 555-123-4567, 5551234567, +1 555 123 4567; 555-0100; +44 20 7946 0958
    r"(?<![\w/.:-])(?:(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}"
    r"|\d{3}[\s.-]\d{4}|\+\d[\d\s().-]{7,}\d)(?![\w-])"
)
_STRIPE_SECRET = re.compile(r"\b((?:sk|rk)_(?:live|test)_|whsec_)[A-Za-z0-9]+")
_TOKEN_PARAMETER = re.compile(r"(?i)\b(token=)[^\s&#\"']+")
REDACTED = "[redacted]"


class Redactor:
    """Replaces secrets and personal details in text with [redacted]."""

    def __init__(self, token_prefixes: list[str]):
        paths = "|".join(re.escape(prefix) for prefix in sorted(set(token_prefixes), key=len)[::-1])
        self._token_path = re.compile(f"({paths})[^\\s/?#\"']+") if paths else None

    def __call__(self, text: str) -> str:
        text = _STRIPE_SECRET.sub(r"\1" + REDACTED, text)
        if self._token_path is not None:
            text = self._token_path.sub(r"\1" + REDACTED, text)
        text = _TOKEN_PARAMETER.sub(r"\1" + REDACTED, text)
        text = _EMAIL.sub(REDACTED, text)
        return _PHONE.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message and traceback through a Redactor, before any handler
    formats it."""

    def __init__(self, redact: Redactor):
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        record.request_id = current_request_id()
        return True


def current_request_id() -> str:
    """The id of the request or job being handled, "-" outside both."""
    return getattr(g, "request_id", "-") if has_app_context() else "-"


def token_prefixes(app: Flask) -> list[str]:
    """The fixed start of every route that takes a token: "/portal/link/", "/u/", ..."""
    prefixes = []
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments:
            prefixes.append(rule.rule.split("<token>", 1)[0])
    return prefixes


def configure_logging(app: Flask) -> None:
    """One handler on the root logger (replacing the one an earlier app installed), the
    format, LOG_LEVEL, redaction, and a request id for every request."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "tuffops", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.tuffops = True
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(Redactor(token_prefixes(app))))
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)  # it would print past the filter

    @app.before_request
    def assign_request_id() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        trusted = app.config["TRUSTED_PROXIES"] and _INCOMING_ID.fullmatch(incoming)
        g.request_id = incoming if trusted else secrets.token_hex(8)

    @app.after_request
    def send_request_id(response):
        if has_app_context() and "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response
