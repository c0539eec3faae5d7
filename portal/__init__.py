"""The customer portal at /portal: every query goes through the signed-in customer's scope."""

import pkgutil
from importlib import import_module

from flask import Blueprint

from app.transactions import read_outside_transaction

bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")
bp.before_request(read_outside_transaction)

from portal import navigation, views  # noqa: E402, F401  (the menu)

# Every module in portal/views attaches its routes to bp when imported.
for module in pkgutil.iter_modules(views.__path__):
    import_module(f"portal.views.{module.name}")
