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
