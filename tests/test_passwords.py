"""Staff password hashes: slow scrypt outside the tests, and either kind still signs in."""

from app.config import Config
from app.models import StaffUser
from app.passwords import hash_password


def test_production_hashes_with_scrypt_and_checks_them(make_app):
    other = make_app(PASSWORD_HASH_METHOD=Config.PASSWORD_HASH_METHOD)
    with other.app_context():
        user = StaffUser(email="a@staff.test", name="A")
        user.set_password("correct horse battery")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("correct horse battery")
    assert not user.check_password("wrong horse battery")


def test_the_suite_hashes_cheaply(app):
    with app.app_context():
        assert hash_password("secret").startswith("pbkdf2:sha256:1$")


def _hashes_checked_for_unknown_email(app, monkeypatch) -> list[str]:
    import app.passwords as passwords
    from app.services.staff_auth import authenticate_staff

    checked = []
    real_check = passwords.check_password_hash

    def check(pwhash, password):
        checked.append(pwhash)
        return real_check(pwhash, password)

    monkeypatch.setattr(passwords, "check_password_hash", check)
    with app.app_context():
        assert authenticate_staff("nobody@staff.test", "guess", ip_address="203.0.113.9") is None
    return checked


def test_an_unknown_email_costs_a_check_with_the_configured_method(app, monkeypatch):
    checked = _hashes_checked_for_unknown_email(app, monkeypatch)
    assert [h.split("$")[0] for h in checked] == ["pbkdf2:sha256:1"]


def test_in_production_an_unknown_email_costs_a_scrypt_check(make_app, monkeypatch):
    other = make_app(PASSWORD_HASH_METHOD=Config.PASSWORD_HASH_METHOD)
    checked = _hashes_checked_for_unknown_email(other, monkeypatch)
    assert [h.split(":")[0] for h in checked] == ["scrypt"]
