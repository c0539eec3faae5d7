"""Hashing staff passwords with the method the config names.

Production keeps Werkzeug's slow default (scrypt). The test config names a cheap method so
the hundreds of staff users the suite creates cost nothing; checking a hash reads the method
from the hash itself, so either kind of hash still verifies.
"""

from functools import cache

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_METHOD = "scrypt"


def _method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_METHOD
    return DEFAULT_METHOD


def hash_password(password: str) -> str:
    """The stored hash of `password`, made with the app's PASSWORD_HASH_METHOD."""
    return generate_password_hash(password, method=_method())


@cache
def _unknown_user_hash(method: str) -> str:
    return generate_password_hash("no such user", method=method)


def spend_password_check(password: str) -> None:
    """Do the work of a password check for an unknown e-mail, so both failures take as long.

    The dummy hash is made with the same method as real ones (made once per method), so the
    check costs what checking a real user's password costs.
    """
    check_password_hash(_unknown_user_hash(_method()), password)
