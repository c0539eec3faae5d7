"""Behind a proxy: the client's address comes from X-Forwarded-For only when TRUSTED_PROXIES
says how many proxies add to it; otherwise a forged header changes nothing."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent

PROXY = "10.0.0.2"


def _failed_sign_in(client, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        "/login",
        data={"email": "ann@example.com", "password": "a wrong guess"},
        headers=headers,
        environ_base={"REMOTE_ADDR": PROXY},
    ).status_code


def _audited_addresses(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent.ip_address).order_by(AuditEvent.id)).all()


def test_behind_a_trusted_proxy_each_client_has_its_own_limit_and_audit_address(
    make_app, make_staff
):
    make_staff("admin", email="ann@example.com")
    proxied = make_app(TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="2 per minute")
    client = proxied.test_client()
    # The proxy appends the address it saw; whatever the client sent before it is not trusted.
    assert _failed_sign_in(client, "203.0.113.5") == 200
    assert _failed_sign_in(client, "198.51.100.9, 203.0.113.5") == 200
    assert _failed_sign_in(client, "203.0.113.5") == 429
    assert _failed_sign_in(client, "203.0.113.6") == 200  # another client, its own bucket
    assert _audited_addresses(proxied) == ["203.0.113.5", "203.0.113.5", "203.0.113.6"]


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(
    app, client, make_staff, monkeypatch
):
    make_staff("admin", email="ann@example.com")
    assert app.config["TRUSTED_PROXIES"] == 0
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    assert _failed_sign_in(client, "203.0.113.5") == 200
    assert _failed_sign_in(client, "203.0.113.6") == 200
    assert _failed_sign_in(client, "203.0.113.7") == 429  # one bucket: the connecting address
    assert _audited_addresses(app) == [PROXY, PROXY]
