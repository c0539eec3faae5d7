"""Staff sign-in: hashed passwords, one answer for every failure, rate limits, CSRF."""

import re

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import AuditEvent, Customer, StaffUser
from tests.conftest import TEST_PASSWORD

FAILURE = b"That e-mail and password do not match an active account."


def _sign_in(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password}, **extra)


def test_passwords_are_stored_as_strong_hashes(app, make_staff):
    user_id = make_staff("admin")
    with app.app_context():
        stored = db.session.get(StaffUser, user_id).password_hash
    assert TEST_PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_correct_password_signs_in_and_lands_on_the_dashboard(client, make_staff):
    make_staff("dispatcher", email="dana@example.com")
    response = _sign_in(client, "Dana@Example.com", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make_staff):
    make_staff("admin", email="ann@example.com")
    wrong_password = _sign_in(client, "ann@example.com", "not the password")
    unknown_email = _sign_in(client, "nobody@example.com", TEST_PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert FAILURE in wrong_password.data and FAILURE in unknown_email.data
    assert wrong_password.data.replace(b"ann@", b"") == unknown_email.data.replace(b"nobody@", b"")


def test_disabled_staff_cannot_sign_in_and_are_signed_out(app, client, make_staff, login_as):
    user_id = login_as("admin")
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        db.session.get(StaffUser, user_id).active = False
        db.session.commit()
    assert client.get("/admin/").status_code == 302
    make_staff("admin", email="gone@example.com", active=False)
    assert FAILURE in _sign_in(client, "gone@example.com", TEST_PASSWORD).data


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example/steal",
        "/%2f%2fevil.example/steal",
        "/%5c%5cevil.example/steal",
        "/\t/evil.example/steal",
    ],
)
def test_sign_in_only_redirects_within_the_site(client, make_staff, target):
    make_staff("admin", email="ann@example.com")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "ann@example.com", "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/admin/"


def test_sign_ins_and_failures_are_audited(app, client, make_staff):
    make_staff("admin", email="ann@example.com")
    _sign_in(client, "ann@example.com", "wrong password")
    _sign_in(client, "ann@example.com", TEST_PASSWORD)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["login_failed", "login"]


def test_sign_in_attempts_are_rate_limited(app, client, make_staff, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    make_staff("admin", email="ann@example.com")
    for _ in range(3):
        assert _sign_in(client, "ann@example.com", "guess").status_code == 200
    blocked = _sign_in(client, "ann@example.com", TEST_PASSWORD)
    assert blocked.status_code == 429
    assert b"Too many tries" in blocked.data


def test_logout_needs_a_post(client, login_as):
    login_as("admin")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/admin/").status_code == 302


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_forms_without_a_csrf_token_are_refused(client, login_as, csrf_on, app):
    login_as("admin")
    response = client.post("/admin/customer/new/", data={"name": "Forged", "kind": "residential"})
    assert response.status_code == 400
    assert b"This form has expired" in response.data
    with app.app_context():
        assert db.session.scalar(select(Customer).where(Customer.name == "Forged")) is None
    assert client.post("/login", data={"email": "a@b.c", "password": "x"}).status_code == 400


def test_admin_form_with_its_csrf_token_saves(client, login_as, csrf_on, app):
    login_as("admin")
    page = client.get("/admin/customer/new/").data.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/admin/customer/new/",
        data={"csrf_token": token, "name": "Real Customer", "kind": "residential"},
    )
    assert response.status_code == 302


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": None})
