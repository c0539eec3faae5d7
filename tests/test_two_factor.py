"""Two-factor sign-in for staff: enrolment with a QR code, sign-in with the app's code or a
single-use recovery code, the company's requirement, an admin's reset."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, CompanySettings, RecoveryCode, SignIn, StaffUser
from app.models.enums import TwoFactorPolicy
from tests import factories as f
from tests.browser_forms import form_on
from tests.conftest import TEST_PASSWORD


def _secret(page: bytes) -> str:
    return re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.decode()).group(1)


def _codes(page: bytes) -> list[str]:
    return re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", page.decode())


def _enrol(client) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on from the account page; returns the secret and the codes."""
    setup = client.get("/account/two-factor")
    assert b"<svg" in setup.data and b"<path" in setup.data
    secret = _secret(setup.data)
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    return secret, _codes(done.data)


def _next_code(secret: str) -> str:
    """The app's code for the next 30-second step (accepted: clocks drift). The current step's
    code was used up by the enrolment a moment ago."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def _password(client, email="ann@example.com"):
    return client.post("/login", data={"email": email, "password": TEST_PASSWORD})


def test_enrolling_shows_ten_recovery_codes_stored_only_as_hashes(app, client, login_as):
    user_id = login_as("admin", email="ann@example.com")
    secret, codes = _enrol(client)
    assert len(codes) == len(set(codes)) == 10
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        assert user.two_factor_enabled and user.totp_secret == secret
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and not set(codes) & set(hashes)
        assert "two_factor_enabled" in db.session.scalars(select(AuditEvent.action)).all()
    assert b"Recovery codes left: 10." in client.get("/account").data


def test_a_wrong_code_does_not_turn_it_on(app, client, login_as):
    user_id = login_as("admin")
    client.get("/account/two-factor")
    refused = client.post("/account/two-factor", data={"code": "000000"})
    assert b"That code is not right" in refused.data
    with app.app_context():
        assert not db.session.get(StaffUser, user_id).two_factor_enabled


def test_the_password_alone_no_longer_signs_in(app, client, login_as):
    login_as("admin", email="ann@example.com")
    secret, _ = _enrol(client)
    client.post("/logout")
    asked = _password(client)
    assert asked.headers["Location"] == "/login/code"
    assert client.get("/admin/").status_code == 302
    assert b"That code is not right" in client.post("/login/code", data={"code": "123456"}).data
    assert client.get("/admin/").status_code == 302
    code = _next_code(secret)
    signed_in = client.post("/login/code", data={"code": code})
    assert signed_in.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    client.post("/logout")  # the same code, once more: refused (a code works once)
    _password(client)
    assert b"That code is not right" in client.post("/login/code", data={"code": code}).data


def test_a_recovery_code_signs_in_once(app, client, login_as):
    login_as("admin", email="ann@example.com")
    _, codes = _enrol(client)
    client.post("/logout")
    _password(client)
    assert client.post("/login/code", data={"code": codes[3].upper()}).status_code == 302
    client.post("/logout")
    _password(client)
    assert b"That code is not right" in client.post("/login/code", data={"code": codes[3]}).data
    with app.app_context():
        assert "recovery_code_used" in db.session.scalars(select(AuditEvent.action)).all()


def test_wrong_codes_count_towards_the_accounts_pause(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_LOGIN_FREE_ATTEMPTS", 2)
    login_as("admin", email="ann@example.com")
    secret, _ = _enrol(client)
    client.post("/logout")
    _password(client)
    for _ in range(2):
        client.post("/login/code", data={"code": "000000"})
    paused = client.post("/login/code", data={"code": _next_code(secret)})
    assert paused.status_code == 429 and b"Try again in 1 minute" in paused.data
    with app.app_context():
        failures = db.session.scalars(
            select(AuditEvent.summary).where(AuditEvent.action == "login_failed")
        ).all()
        assert len(failures) == 2 and all("second-factor" in s for s in failures)


def _company_requires(app, client, policy: TwoFactorPolicy) -> None:
    """An admin sets the company's requirement through the settings form."""
    with app.app_context():
        company_id = f.CompanySettingsFactory().id
    form = form_on(client.get(f"/admin/companysettings/edit/?id={company_id}"), "form.admin-form")
    assert form["two_factor_required"] == "nobody"
    form["two_factor_required"] = policy.value
    # (The factory's .test address is one the e-mail check refuses: a real one here.)
    form["email"] = "office@example.com"
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CompanySettings.two_factor_required)) == policy


@pytest.mark.parametrize(
    ("policy", "role", "must_enrol"),
    [
        (TwoFactorPolicy.ADMINS_AND_MANAGERS, "manager", True),
        (TwoFactorPolicy.ADMINS_AND_MANAGERS, "technician", False),
        (TwoFactorPolicy.EVERYONE, "technician", True),
        (TwoFactorPolicy.NOBODY, "admin", False),
    ],
)
def test_the_company_setting_makes_staff_enrol_before_they_get_in(
    app, client, login_as, make_staff, policy, role, must_enrol
):
    login_as("admin")
    _company_requires(app, client, policy)
    client.post("/logout")
    make_staff(role, email="ann@example.com")
    answer = _password(client)
    if not must_enrol:
        assert answer.headers["Location"] == "/admin/"
        return
    assert answer.headers["Location"] == "/login/two-factor"
    assert client.get("/admin/").status_code == 302
    setup = client.get("/login/two-factor")
    done = client.post("/login/two-factor", data={"code": pyotp.TOTP(_secret(setup.data)).now()})
    assert len(_codes(done.data)) == 10
    assert client.get("/admin/").status_code == 200


def test_an_admin_resets_a_lost_second_factor(app, client, make_staff):
    make_staff("admin", email="boss@example.com")
    make_staff("technician", email="ann@example.com")
    phone = app.test_client()
    _password(phone)
    _enrol(phone)
    _password(client, "boss@example.com")
    with app.app_context():
        user_id = db.session.scalar(
            select(StaffUser.id).where(StaffUser.email == "ann@example.com")
        )
    client.post("/admin/staffuser/action/", data={"action": "reset_two_factor", "rowid": [user_id]})
    assert phone.get("/admin/").status_code == 302  # signed out
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        assert not user.two_factor_enabled and user.totp_secret is None
        assert db.session.scalar(select(RecoveryCode)) is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two_factor_reset"))
        assert event.object_id == user_id and event.actor_label == "boss@example.com"
        assert db.session.scalar(select(SignIn).where(SignIn.staff_user_id == user_id)).ended_at
    assert _password(phone).headers["Location"] == "/admin/"
