"""Stripe's webhook at /stripe/webhook: the only state-changing request without a CSRF token,
because its signature (checked against the raw body) proves where it came from."""

import logging

from flask import Blueprint, jsonify, request

from app.extensions import csrf, db, limiter
from app.input_guard import accepts_json
from app.services.stripe_events import apply_stripe_event
from app.services.stripe_gateway import WebhookRejected, verify_webhook

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__)


@bp.post("/stripe/webhook")
@csrf.exempt
@limiter.exempt
@accepts_json
def stripe_webhook():
    """Verify, store and apply one event; 400 only for a request Stripe did not sign."""
    try:
        event = verify_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except WebhookRejected as error:
        log.warning("Refused a Stripe webhook from %s: %s", request.remote_addr, error)
        return jsonify(error="invalid signature"), 400
    stored = apply_stripe_event(event)
    db.session.commit()
    return jsonify(received=True, status=stored.status.value)
