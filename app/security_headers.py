"""The security headers every response carries, set in one place.

One `after_request` rather than Flask-Talisman: two of the headers depend on who a route is for
(the route policy in app/route_policy.py says which URLs are secrets and which files are public
assets), the CSP names by hash the few inline handlers Flask-Admin's templates write, Flask-Admin
takes its script nonce from a function of ours, and HTTPS redirects and cookie flags are already
the proxy's and the config's job. What is left reads more plainly here than as an extension's
options spread over the views.
"""

import re
import secrets
from base64 import b64encode
from hashlib import sha256
from html import unescape
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

from app.route_policy import Audience, policy_for

STRIPE_CHECKOUT = "https://checkout.stripe.com"
# Two years; subdomains are left alone (the contractor's other sites may not all have TLS).
HSTS = "max-age=63072000"
# Browser features no page of ours uses; a script injected somewhere cannot ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
# Inline event handlers as Flask-Admin's templates write them (nothing else gets a hash).
EVENT_HANDLER = re.compile(r'\son[a-z]+="([^"]*)"')
FLASK_ADMIN_HANDLERS = (
    re.compile(r"return false;"),
    re.compile(r"return modelActions\.execute\('\w+'\);"),
    re.compile(r"return faHelpers\.safeConfirm\('[^'\\<>]*'\);"),
    re.compile(r"faForm\.addInlineField\(this, '[\w-]+'\);"),
)
# Files (PDFs, photos, CSV): nothing in them may run or load anything.
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def csp_nonce() -> str:
    """This request's script nonce (templates: `csp_nonce()`; Flask-Admin asks for it too)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def _form_targets() -> str:
    """Where forms may post: this site, and Stripe's Checkout (the "Pay now" redirect follows a
    POST, and browsers hold redirects after a form to form-action too)."""
    targets = ["'self'", STRIPE_CHECKOUT]
    api_base = current_app.config.get("STRIPE_API_BASE")
    if api_base:
        parts = urlsplit(api_base)
        targets.append(f"{parts.scheme}://{parts.netloc}")
    return " ".join(targets)


def handler_hashes(html: str) -> list[str]:
    """CSP hashes of the page's inline event handlers that are Flask-Admin's own (its templates
    write a few: "With selected" actions, the delete confirmation, the filter menu, "Add" on
    inline forms); any other handler in the page stays blocked."""
    found = {unescape(code) for code in EVENT_HANDLER.findall(html)}
    return sorted(
        f"'sha256-{b64encode(sha256(code.encode()).digest()).decode()}'"
        for code in found
        if any(shape.fullmatch(code) for shape in FLASK_ADMIN_HANDLERS)
    )


def page_policy(html: str) -> str:
    """The Content-Security-Policy of an HTML page: scripts only from this site or carrying this
    request's nonce (no inline scripts, no eval), plus Flask-Admin's own inline handlers by hash;
    styles may be inline (Flask-Admin's widgets set them), which cannot run code."""
    hashes = handler_hashes(html)
    scripts = f"'self' 'nonce-{csp_nonce()}'" + (
        " 'unsafe-hashes' " + " ".join(hashes) if hashes else ""
    )
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action {_form_targets()}",
            "frame-ancestors 'none'",
        )
    )


def add_security_headers(response: Response) -> Response:
    """Every response: CSP, no framing, no sniffing, a referrer policy, no caching of anything
    but public assets, HSTS in production."""
    policy = policy_for(request.endpoint)
    headers = response.headers
    is_page = response.mimetype == "text/html"
    if is_page:
        whole = not (response.is_streamed or response.direct_passthrough)
        headers["Content-Security-Policy"] = page_policy(
            response.get_data(as_text=True) if whole else ""
        )
    else:
        headers["Content-Security-Policy"] = FILE_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    secret_url = policy is not None and policy.secret_url
    headers["Referrer-Policy"] = "no-referrer" if secret_url else "strict-origin-when-cross-origin"
    if policy is None or policy.audience != Audience.ASSET:
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    if current_app.config["ENV_NAME"] == "production":
        headers["Strict-Transport-Security"] = HSTS
    headers.pop("Server", None)
    return response


def init_security_headers(app: Flask) -> None:
    """Add the headers to every response and offer templates the script nonce."""
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
