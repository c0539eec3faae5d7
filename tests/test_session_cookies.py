"""With the production configuration, the cookies that keep people signed in are Secure,
HttpOnly and SameSite=Lax: for staff (with "keep me signed in") and for customers."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from tests import factories as f
from tests.conftest import TEST_PASSWORD
from tests.helpers import PRODUCTION

HTTPS = "https://localhost"
# Over HTTPS, CSRF protection also wants the form to come from this site.
FROM_THIS_SITE = {"Referer": f"{HTTPS}/"}


@pytest.fixture
def production(make_app):
    """The production configuration (CSRF on, as it is there), on the test database (its rate
    limits in this process's memory, named outright as production demands)."""
    return make_app(**{**PRODUCTION, "PUBLIC_BASE_URL": HTTPS})


def _csrf_token(page: bytes) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.decode()).group(1)


def _cookie_attributes(response, name: str) -> dict[str, str]:
    """The attributes (lower-cased names) of the Set-Cookie header that sets `name`."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            parts = [part.strip() for part in header.split(";")[1:]]
            return {key.lower(): value for key, _, value in (p.partition("=") for p in parts)}
    raise AssertionError(f"no {name} cookie set: {response.headers.getlist('Set-Cookie')}")


def _assert_locked_down(response, name: str) -> None:
    attributes = _cookie_attributes(response, name)
    assert "secure" in attributes and "httponly" in attributes, attributes
    assert attributes.get("samesite") == "Lax", attributes


def test_staff_session_and_remember_cookies_are_secure_httponly_and_lax(production, make_staff):
    make_staff("admin", email="ann@example.com")
    client = production.test_client()
    form = client.get("/login", base_url=HTTPS)
    signed_in = client.post(
        "/login",
        base_url=HTTPS,
        headers=FROM_THIS_SITE,
        data={
            "csrf_token": _csrf_token(form.data),
            "email": "ann@example.com",
            "password": TEST_PASSWORD,
            "remember": "y",
        },
    )
    assert signed_in.status_code == 302
    _assert_locked_down(signed_in, production.config["SESSION_COOKIE_NAME"])
    _assert_locked_down(signed_in, production.config["STAFF_REMEMBER_COOKIE_NAME"])


def test_the_customers_session_cookie_is_secure_httponly_and_lax(app, production):
    with app.app_context():
        f.CompanySettingsFactory()
        f.PortalUserFactory(email="pat@example.com")
    client = production.test_client()
    form = client.get("/portal/login", base_url=HTTPS)
    client.post(
        "/portal/login",
        base_url=HTTPS,
        headers=FROM_THIS_SITE,
        data={"csrf_token": _csrf_token(form.data), "email": "pat@example.com"},
    )
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage))
        link = re.search(r"/portal/link/\S+", mail.text_body).group(0)
    button = client.get(link, base_url=HTTPS)
    signed_in = client.post(
        link,
        base_url=HTTPS,
        headers=FROM_THIS_SITE,
        data={"csrf_token": _csrf_token(button.data)},
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/portal/"
    _assert_locked_down(signed_in, production.config["SESSION_COOKIE_NAME"])
