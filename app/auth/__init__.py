"""Staff sign-in: e-mail and password, rate-limited; one answer for every failure."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import views  # noqa: E402, F401  (routes attach themselves to bp)
