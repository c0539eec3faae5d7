"""Sessions that really end: a copy of the session cookie taken before sign-out, "sign out
everywhere", deactivation, a password, role or e-mail change is signed out when replayed after
it; idle and absolute limits; "keep me signed in" per sign-in, rotating; no session fixation."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.sessions import SEEN_KEY
from app.extensions import db
from app.models import AuditEvent, OutboxMessage, PortalLink, SignIn
from app.models.base import utcnow
from tests import factories as f
from tests.browser_forms import form_on
from tests.conftest import TEST_PASSWORD

SESSION = "session"
REMEMBER = "tuffops_remember"


def _cookie(client, name: str = SESSION) -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _replay(app, path: str, **cookies):
    """GET `path` from a fresh browser that holds only the given cookie copies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other.get(path)


def _staff_signs_in(client, make_staff, *, remember=False, role="manager") -> int:
    user_id = make_staff(role, email="sam@example.com")
    data = {"email": "sam@example.com", "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return user_id


def _edit(client, view: str, record_id: int, **changes):
    """An admin opens the record's edit form, changes some fields and saves it."""
    form = form_on(client.get(f"/admin/{view}/edit/?id={record_id}"), "form.admin-form")
    for name, value in changes.items():
        if value is None:
            form.uncheck(name, *form.options[name])  # untick the box
        else:
            form[name] = value
    saved = form.submit(client)
    assert saved.status_code == 302, saved.data.decode()[:2000]


def _action(client, view: str, name: str, record_id: int):
    done = client.post(f"/admin/{view}/action/", data={"action": name, "rowid": [record_id]})
    assert done.status_code == 302


def _session_enders(prefix: str, view: str) -> dict:
    """What ends staff and portal sessions alike: signing out here or everywhere (the routes
    under `prefix`), the office signing the user out, and deactivation (on admin `view`)."""
    return {
        "sign_out": lambda me, office, uid: me.post(f"{prefix}/logout"),
        "sign_out_everywhere": lambda me, office, uid: me.post(f"{prefix}/logout/everywhere"),
        "office_signs_them_out": lambda me, office, uid: _action(
            office, view, "sign_out_everywhere", uid
        ),
        "deactivation": lambda me, office, uid: _edit(office, view, uid, active=None),
    }


def _replayed_after(app, client, make_staff, end_session, user_id: int, page: str):
    """Copy `client`'s session cookie (the copy opens `page`), let `end_session` happen with
    an admin signed in elsewhere, then replay the copy: its answer for `page`."""
    copy = _cookie(client)
    assert _replay(app, page, session=copy).status_code == 200
    office = app.test_client()
    office_client_login(office, make_staff)
    end_session(client, office, user_id)
    return _replay(app, page, session=copy)


STAFF_EVENTS = {
    **_session_enders("", "staffuser"),
    "password_change": lambda me, office, uid: _edit(
        office, "staffuser", uid, new_password="a brand new password"
    ),
    "role_change": lambda me, office, uid: _edit(office, "staffuser", uid, role="technician"),
}


@pytest.mark.parametrize("event", STAFF_EVENTS)
def test_a_copied_staff_cookie_is_signed_out_after(app, client, make_staff, login_as, event):
    user_id = _staff_signs_in(client, make_staff)
    replayed = _replayed_after(app, client, make_staff, STAFF_EVENTS[event], user_id, "/admin/")
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]


def office_client_login(office, make_staff) -> None:
    make_staff("admin", email="office@example.com")
    office.post("/login", data={"email": "office@example.com", "password": TEST_PASSWORD})


def _portal_signs_in(app, client) -> int:
    with app.app_context():
        f.CompanySettingsFactory()
        user_id = f.PortalUserFactory(email="pat@example.com").id
    client.post("/portal/login", data={"email": "pat@example.com"})
    client.post(_last_link_path(app))
    return user_id


def _last_link_path(app) -> str:
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1))
        return re.search(r"/portal/link/\S+", mail.text_body).group(0)


PORTAL_EVENTS = {
    **_session_enders("/portal", "portaluser"),
    "email_change": lambda me, office, uid: _edit(
        office, "portaluser", uid, email="pat.new@example.com"
    ),
}


@pytest.mark.parametrize("event", PORTAL_EVENTS)
def test_a_copied_portal_cookie_is_signed_out_after(app, client, make_staff, event):
    user_id = _portal_signs_in(app, client)
    end_session = PORTAL_EVENTS[event]
    replayed = _replayed_after(app, client, make_staff, end_session, user_id, "/portal/invoices")
    assert replayed.status_code == 302 and "/portal/login" in replayed.headers["Location"]


def test_signing_out_everywhere_ends_every_device_and_is_audited(app, client, make_staff):
    user_id = _staff_signs_in(client, make_staff)
    phone = app.test_client()
    phone.post("/login", data={"email": "sam@example.com", "password": TEST_PASSWORD})
    assert phone.get("/admin/").status_code == 200
    client.post("/logout/everywhere")
    assert phone.get("/admin/").status_code == 302
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "signed_out_everywhere")
        )
        assert event.object_id == user_id and event.actor_id == user_id
        assert event.changes == {"sessions_ended": 2}


def test_the_office_signing_a_customer_out_everywhere_is_audited(app, client, make_staff):
    user_id = _portal_signs_in(app, client)
    office = app.test_client()
    office_client_login(office, make_staff)
    _action(office, "portaluser", "sign_out_everywhere", user_id)
    assert client.get("/portal/").status_code == 302
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "signed_out_everywhere")
        )
        assert event.object_type == "PortalUser" and event.actor_label == "office@example.com"


def test_signing_out_one_device_leaves_the_others_signed_in(app, client, make_staff):
    _staff_signs_in(client, make_staff)
    phone = app.test_client()
    phone.post("/login", data={"email": "sam@example.com", "password": TEST_PASSWORD})
    client.post("/logout")
    assert client.get("/admin/").status_code == 302
    assert phone.get("/admin/").status_code == 200


def _left_idle(app, client, age: timedelta) -> None:
    with client.session_transaction() as session:
        session[SEEN_KEY] = int(time.time() - age.total_seconds())


def _signed_in_ago(app, client, age: timedelta) -> None:
    """However busy the session since: its absolute limit counts from the sign-in."""
    with app.app_context():
        db.session.scalar(select(SignIn)).started_at = utcnow() - age
        db.session.commit()


@pytest.mark.parametrize(
    ("signs_in", "page", "ages", "within", "beyond"),
    [
        ("staff", "/admin/", _left_idle, timedelta(hours=11), timedelta(hours=13)),
        ("portal", "/portal/", _left_idle, timedelta(days=6), timedelta(days=8)),
        ("staff", "/admin/", _signed_in_ago, timedelta(hours=23), timedelta(hours=25)),
        ("portal", "/portal/", _signed_in_ago, timedelta(days=29), timedelta(days=31)),
    ],
    ids=["staff-idle", "portal-idle", "staff-absolute-limit", "portal-absolute-limit"],
)
def test_a_session_idle_too_long_or_past_its_absolute_limit_is_signed_out(
    app, client, make_staff, signs_in, page, ages, within, beyond
):
    if signs_in == "staff":
        _staff_signs_in(client, make_staff)
    else:
        _portal_signs_in(app, client)
    for age, status in ((within, 200), (beyond, 302)):
        ages(app, client, age)
        assert client.get(page).status_code == status


def test_sign_in_starts_a_new_session_and_keeps_nothing_from_before(app, client, make_staff):
    make_staff("manager", email="sam@example.com")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = _cookie(client)
    client.post("/login", data={"email": "sam@example.com", "password": TEST_PASSWORD})
    after = _cookie(client)
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
    replayed = _replay(app, "/admin/", session=before)
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]


def _remember_expiry_days(client) -> float:
    cookie = client.get_cookie(REMEMBER)
    return (cookie.expires - utcnow()).total_seconds() / 86400


def test_keep_me_signed_in_renews_the_session_with_a_new_token_each_time(app, client, make_staff):
    _staff_signs_in(client, make_staff, remember=True)
    first = _cookie(client, REMEMBER)
    assert 29 < _remember_expiry_days(client) <= 30
    client.delete_cookie(SESSION)  # the browser was closed
    assert client.get("/admin/").status_code == 200
    second = _cookie(client, REMEMBER)
    assert second and second != first
    # The used token works no more; the new one does, once.
    assert _replay(app, "/admin/", **{REMEMBER: first}).status_code == 302
    assert _replay(app, "/admin/", **{REMEMBER: second}).status_code == 200


def test_keep_me_signed_in_expires(app, client, make_staff):
    _staff_signs_in(client, make_staff, remember=True)
    token = _cookie(client, REMEMBER)
    with app.app_context():
        db.session.scalar(select(SignIn)).remember_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _replay(app, "/admin/", **{REMEMBER: token}).status_code == 302


@pytest.mark.parametrize("event", ["sign_out", "password_change", "deactivation"])
def test_keep_me_signed_in_dies_with(app, client, make_staff, event):
    user_id = _staff_signs_in(client, make_staff, remember=True)
    token = _cookie(client, REMEMBER)
    office = app.test_client()
    office_client_login(office, make_staff)
    STAFF_EVENTS[event](client, office, user_id)
    assert _replay(app, "/admin/", **{REMEMBER: token}).status_code == 302
    if event == "sign_out":
        assert _cookie(client, REMEMBER) is None


def test_the_remember_setting_is_capped_at_thirty_days(make_app):
    with pytest.raises(RuntimeError, match="STAFF_REMEMBER_DAYS"):
        make_app(STAFF_REMEMBER_DAYS=31)


def test_customers_links_die_when_their_address_changes(app, client, make_staff):
    with app.app_context():
        f.CompanySettingsFactory(name="Cool Air Co")
        user_id = f.PortalUserFactory(email="pat@example.com", name="Pat").id
    office = app.test_client()
    office_client_login(office, make_staff)
    _action(office, "portaluser", "invite", user_id)
    invitation = _last_link_path(app)
    client.post("/portal/login", data={"email": "pat@example.com"})
    sign_in_link = _last_link_path(app)
    _edit(office, "portaluser", user_id, email="pat.new@example.com")
    for link in (invitation, sign_in_link):
        assert client.get(link).status_code == 410
        dead = client.post(link)
        assert dead.status_code == 410 and b"This link cannot be used" in dead.data
    with app.app_context():
        told = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1))
        assert told.to_address == "pat@example.com"
        assert "was changed" in told.text_body and "pat.new@" not in told.text_body
    # The new address gets links that work.
    client.post("/portal/login", data={"email": "pat.new@example.com"})
    assert client.post(_last_link_path(app)).status_code == 302


def test_customers_links_die_when_they_are_disabled_and_stay_dead(app, client, make_staff):
    with app.app_context():
        f.CompanySettingsFactory()
        user_id = f.PortalUserFactory(email="pat@example.com").id
    office = app.test_client()
    office_client_login(office, make_staff)
    client.post("/portal/login", data={"email": "pat@example.com"})
    link = _last_link_path(app)
    _edit(office, "portaluser", user_id, active=None)
    _edit(office, "portaluser", user_id, active="y")
    assert client.post(link).status_code == 410
    with app.app_context():
        assert db.session.scalar(select(PortalLink.revoked_at)) is not None


def test_a_customer_signs_out_everywhere_from_the_portal_home_page(app, client):
    _portal_signs_in(app, client)
    phone = app.test_client()
    phone.post("/portal/login", data={"email": "pat@example.com"})
    phone.post(_last_link_path(app))
    home = client.get("/portal/").data.decode()
    button = re.search(
        r'action="(/portal/logout/everywhere)".*?Sign out on every device', home, re.S
    )
    assert client.post(button.group(1)).status_code == 302
    assert phone.get("/portal/").status_code == 302
    assert client.get("/portal/").status_code == 302


def test_a_customers_cookie_is_renewed_by_a_minutes_use_not_by_every_page(app, client):
    _portal_signs_in(app, client)
    client.get("/portal/")  # the first page keeps the form token in the session
    assert "Set-Cookie" not in client.get("/portal/").headers
    _left_idle(app, client, timedelta(minutes=2))
    renewed = client.get("/portal/").headers.get("Set-Cookie", "")
    assert renewed.startswith("session=") and "Expires=" in renewed
    assert "Set-Cookie" not in client.get("/portal/history").headers
