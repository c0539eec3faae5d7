"""The customer portal at /portal: every query goes through the signed-in customer's scope."""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")

from portal import navigation  # noqa: E402, F401  (the menu)
from portal.views import access, dashboard  # noqa: E402, F401  (routes attach themselves to bp)
