"""A small Stripe-compatible API server for the tests, over real HTTP on localhost.

It speaks the part of Stripe's API TuffOps uses (Checkout Sessions: create with idempotency
keys, retrieve, expire), answers in Stripe's JSON shapes and error formats, and plays the
customer's side: `pay()` completes a session the way Stripe's hosted page would and returns the
event Stripe would then send. `sign()` signs webhook payloads with Stripe's real scheme.
It also serves a bare checkout page at the session's URL, so a browser can "pay" too: paying
there delivers the signed event to the app's webhook, then returns to the success URL.
"""

import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

API_KEY = "sk_test_tuffops"
WEBHOOK_SECRET = "whsec_test_tuffops"
_KEY = re.compile(r"[^\[\]]+")


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send with `payload`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def nested(pairs) -> dict:
    """Stripe's form encoding (`line_items[0][price_data][currency]=usd`) back into dicts."""
    root: dict = {}
    for name, value in pairs:
        keys = _KEY.findall(name)
        node = root
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        return [_lists(node[key]) for key in sorted(node, key=int)]
    return {key: _lists(value) for key, value in node.items()}


class FakeStripe:
    """The server's state, and what the tests do as Stripe or as the paying customer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sessions: dict[str, dict] = {}
        self.idempotency: dict[str, tuple[dict, dict]] = {}
        # (method, path, Idempotency-Key header, form params) of every request, in order.
        self.requests: list[tuple[str, str, str | None, dict]] = []
        self.charges: dict[str, dict] = {}
        self.fail_next = 0  # answer this many API requests with a 500
        # Cleared: Stripe is slow, and every create waits here until it is set again.
        self.answering = threading.Event()
        self.answering.set()
        self.create_arrived = threading.Semaphore(0)  # released by each create as it arrives
        self.webhook_url: str | None = None
        self._ids = itertools.count(1)
        self.base_url = ""

    def reset(self) -> None:
        with self.lock:
            self.sessions.clear()
            self.idempotency.clear()
            self.requests.clear()
            self.charges.clear()
            self.fail_next = 0
            self.webhook_url = None
        self.answering.set()
        self.create_arrived = threading.Semaphore(0)

    def _id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._ids):04d}{secrets.token_hex(6)}"

    # The API

    def create_session(self, params: dict) -> dict:
        line_items = params.get("line_items") or []
        amount = sum(
            int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1))
            for item in line_items
        )
        session_id = self._id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": line_items[0]["price_data"]["currency"] if line_items else "usd",
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata") or {},
            "payment_intent": None,
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "expires_at": int(time.time()) + 24 * 3600,
            "url": f"{self.base_url}/pay/{session_id}",
            "livemode": False,
        }
        self.sessions[session_id] = session
        return session

    # The customer's side, and the events Stripe sends

    def pay(self, session_id: str, *, amount: int | None = None) -> dict:
        """Complete a session as the hosted page would; the `checkout.session.completed` event.

        `amount` overrides what Stripe reports as paid (to test a mismatch).
        """
        with self.lock:
            session = self.sessions[session_id]
            session["status"], session["payment_status"] = "complete", "paid"
            session["payment_intent"] = session["payment_intent"] or self._id("pi")
            if amount is not None:
                session["amount_total"] = amount
            charge = {
                "id": self._id("ch"),
                "object": "charge",
                "amount": session["amount_total"],
                "amount_refunded": 0,
                "currency": session["currency"],
                "payment_intent": session["payment_intent"],
                "refunded": False,
            }
            self.charges[session["payment_intent"]] = charge
            return self.event("checkout.session.completed", dict(session))

    def refund(self, session_id: str, amount: int) -> dict:
        """Refund part of a paid session; the `charge.refunded` event with the running total."""
        with self.lock:
            charge = self.charges[self.sessions[session_id]["payment_intent"]]
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
            return self.event("charge.refunded", dict(charge))

    def expired(self, session_id: str) -> dict:
        with self.lock:
            session = self.sessions[session_id]
            session["status"] = "expired"
            return self.event("checkout.session.expired", dict(session))

    def event(self, event_type: str, obj: dict, *, created: int | None = None) -> dict:
        return {
            "id": self._id("evt"),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()) if created is None else created,
            "livemode": False,
            "type": event_type,
            "data": {"object": obj},
        }

    def creates(self) -> list[tuple[str | None, dict]]:
        """(idempotency key, params) of every request to create a Checkout Session."""
        return [
            (key, params)
            for method, path, key, params in self.requests
            if (method, path) == ("POST", "/v1/checkout/sessions")
        ]

    def only_session(self) -> dict:
        (session,) = self.sessions.values()
        return session

    def deliver(self, event: dict) -> None:
        """POST a signed event to the app's webhook over HTTP (the checkout page does this)."""
        payload = json.dumps(event).encode()
        request = urllib.request.Request(  # noqa: S310  (the tests' own localhost server)
            self.webhook_url,
            data=payload,
            headers={"Stripe-Signature": sign(payload), "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
            answer.read()


class _Handler(BaseHTTPRequestHandler):
    stripe: FakeStripe

    def log_message(self, *args) -> None:
        pass

    def _json(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Request-Id", "req_" + secrets.token_hex(6))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, kind: str, message: str) -> None:
        self._json(status, {"error": {"type": kind, "message": message}})

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        return nested(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            self._error(401, "invalid_request_error", "Invalid API Key provided.")
            return False
        return True

    def _failing(self) -> bool:
        with self.stripe.lock:
            if self.stripe.fail_next > 0:
                self.stripe.fail_next -= 1
                failing = True
            else:
                failing = False
        if failing:
            self._error(500, "api_error", "Something went wrong on Stripe's end.")
        return failing

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        stripe = self.stripe
        stripe.requests.append(("GET", path, None, {}))
        if path.startswith("/pay/"):
            return self._checkout_page(path.removeprefix("/pay/"))
        match = re.fullmatch(r"/v1/checkout/sessions/(\w+)", path)
        if not match:
            return self._error(404, "invalid_request_error", f"Unrecognized request URL: {path}")
        if not self._authorised():
            return None
        session = stripe.sessions.get(match.group(1))
        if session is None:
            return self._error(404, "invalid_request_error", "No such checkout.session")
        return self._json(200, session)

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        stripe = self.stripe
        if path.startswith("/pay/"):
            stripe.requests.append(("POST", path, None, {}))
            return self._pay_from_page(path.removeprefix("/pay/"))
        params = self._form()
        stripe.requests.append(("POST", path, self.headers.get("Idempotency-Key"), params))
        if not self._authorised() or self._failing():
            return None
        if path == "/v1/checkout/sessions":
            return self._create(params)
        match = re.fullmatch(r"/v1/checkout/sessions/([\w]+)/expire", path)
        if match:
            return self._expire(match.group(1))
        return self._error(404, "invalid_request_error", f"Unrecognized request URL: {path}")

    def _create(self, params: dict) -> None:
        stripe = self.stripe
        key = self.headers.get("Idempotency-Key")
        stripe.create_arrived.release()
        stripe.answering.wait(timeout=120)
        with stripe.lock:
            if key and key in stripe.idempotency:
                earlier_params, earlier = stripe.idempotency[key]
                if earlier_params != params:
                    return self._error(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with.",
                    )
                return self._json(200, earlier, {"Idempotent-Replayed": "true"})
            session = stripe.create_session(params)
            if key:
                stripe.idempotency[key] = (params, session)
        return self._json(200, session)

    def _expire(self, session_id: str) -> None:
        with self.stripe.lock:
            session = self.stripe.sessions.get(session_id)
            if session is None:
                return self._error(404, "invalid_request_error", "No such checkout.session")
            if session["status"] != "open":
                return self._error(
                    400,
                    "invalid_request_error",
                    f"Only Checkout Sessions with a status of open can be expired; "
                    f"this one is {session['status']}.",
                )
            session["status"] = "expired"
        return self._json(200, session)

    def _checkout_page(self, session_id: str) -> None:
        session = self.stripe.sessions.get(session_id)
        if session is None or session["status"] != "open":
            self.send_response(404)
            self.end_headers()
            return
        html = (
            "<!doctype html><title>Test checkout</title>"
            f"<p>Pay {session['amount_total'] / 100:.2f} {session['currency'].upper()}</p>"
            f'<form method="post"><button type="submit">Pay</button></form>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(html)))
        self.end_headers()
        self.wfile.write(html)

    def _pay_from_page(self, session_id: str) -> None:
        stripe = self.stripe
        event = stripe.pay(session_id)
        stripe.deliver(event)
        success = stripe.sessions[session_id]["success_url"].replace(
            "{CHECKOUT_SESSION_ID}", session_id
        )
        self.send_response(303)
        self.send_header("Location", success)
        self.end_headers()


class StripeServer:
    """FakeStripe served on a free localhost port in a background thread."""

    def __init__(self):
        self.stripe = FakeStripe()
        handler = type("Handler", (_Handler,), {"stripe": self.stripe})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.stripe.base_url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeStripe:
        self.thread.start()
        return self.stripe

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
