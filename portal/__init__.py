"""The customer portal at /portal: every query goes through the signed-in customer's scope."""

import pkgutil
from importlib import import_module

from flask import Blueprint, request

from app.extensions import limiter
from app.transactions import SHOWING, read_outside_transaction

bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")
bp.before_request(read_outside_transaction)


@limiter.request_filter
def _showing_a_portal_page() -> bool:
    """Showing a portal page skips the rate limiter's work (a fifth of a millisecond of every
    page): the portal's limits count posted forms (asking for a sign-in link)."""
    return request.method in SHOWING and request.blueprint == "portal"


from portal import navigation, views  # noqa: E402, F401  (the menu)

# Every module in portal/views attaches its routes to bp when imported.
for module in pkgutil.iter_modules(views.__path__):
    import_module(f"portal.views.{module.name}")
