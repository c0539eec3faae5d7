"""The one place that talks to Stripe, through the official `stripe` library.

STRIPE_API_BASE points the client at another server (the tests' local Stripe); unset, it is
Stripe itself. Answers come back as plain dicts, so the rest of TuffOps never handles
library objects.
"""

import json
import logging
import time

import stripe
from flask import current_app

from app.errors import UserError

log = logging.getLogger(__name__)

# Stripe's own advice: retry network failures a couple of times (idempotency keys make it safe).
NETWORK_RETRIES = 2


class GatewayError(Exception):
    """Stripe could not be reached or refused the request; nothing was charged."""


class WebhookRejected(UserError):
    """A webhook request that is not a genuine, recent event from Stripe."""


def _signed_at(signature: str) -> int:
    """The `t=` timestamp of a Stripe-Signature header the library has already accepted."""
    fields = dict(part.split("=", 1) for part in signature.split(",") if "=" in part)
    return int(fields["t"])


def configured() -> bool:
    """Whether online card payment is set up (an API key and a webhook secret)."""
    config = current_app.config
    return bool(config["STRIPE_SECRET_KEY"] and config["STRIPE_WEBHOOK_SECRET"])


def _client() -> stripe.StripeClient:
    config = current_app.config
    base = config["STRIPE_API_BASE"]
    return stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        base_addresses={"api": base} if base else None,
        max_network_retries=NETWORK_RETRIES,
    )


def create_checkout_session(params: dict, *, idempotency_key: str) -> dict:
    """Start a Checkout Session; the same key with the same params gives back the same one."""
    try:
        session = _client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as error:
        log.warning("Stripe refused a checkout session: %s", error)
        raise GatewayError(str(error)) from error
    return session.to_dict()


def expire_checkout_session(session_id: str) -> bool:
    """Close a session nobody should pay any more; False when Stripe would not (already paid)."""
    try:
        _client().v1.checkout.sessions.expire(session_id)
    except stripe.InvalidRequestError as error:
        log.info("Stripe kept checkout session %s: %s", session_id, error)
        return False
    except stripe.StripeError as error:
        raise GatewayError(str(error)) from error
    return True


def live_mode() -> bool:
    """Whether the configured API key is a live one (sk_live_, rk_live_) rather than a test key."""
    key = current_app.config["STRIPE_SECRET_KEY"] or ""
    return key.startswith(("sk_live_", "rk_live_"))


def verify_webhook(payload: bytes, signature: str | None) -> dict:
    """The event in a webhook request, once its signature and timestamp check out.

    Stripe signs `timestamp.payload` with the endpoint's secret; the library refuses a wrong
    signature and one older than its tolerance (five minutes), which stops replays. A
    timestamp further ahead than that is refused too: a clock that far off is not Stripe's,
    and such a signature would outlive the replay window.
    """
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    if not secret:
        raise WebhookRejected("STRIPE_WEBHOOK_SECRET is not set")
    tolerance = stripe.Webhook.DEFAULT_TOLERANCE
    try:
        stripe.Webhook.construct_event(payload, signature, secret, tolerance=tolerance)
        event = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise WebhookRejected(str(error)) from error
    if _signed_at(signature) > time.time() + tolerance:
        raise WebhookRejected("timestamp is in the future")
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise WebhookRejected("not a Stripe event")
    return event
