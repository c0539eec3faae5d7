"""Hashing staff passwords with the method the config names.

Production keeps Werkzeug's slow default (scrypt). The test config names a cheap method so
the hundreds of staff users the suite creates cost nothing; checking a hash reads the method
from the hash itself, so either kind of hash still verifies.
"""

from flask import current_app, has_app_context
from werkzeug.security import generate_password_hash

DEFAULT_METHOD = "scrypt"


def hash_password(password: str) -> str:
    """The stored hash of `password`, made with the app's PASSWORD_HASH_METHOD."""
    method = DEFAULT_METHOD
    if has_app_context():
        method = current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_METHOD
    return generate_password_hash(password, method=method)
