"""The portal's menu: every section whose page exists, in a fixed order."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal import bp

SECTIONS = (
    ("portal.dashboard", _l("Home")),
    ("portal.history", _l("Service history")),
    ("portal.equipment", _l("Equipment")),
    ("portal.invoices", _l("Invoices")),
    ("portal.quotes", _l("Quotes")),
    ("portal.requests", _l("Requests")),
    ("portal.documents", _l("Documents")),
    ("portal.messages", _l("Messages")),
    ("portal.compliance", _l("Compliance")),
)


@bp.app_context_processor
def portal_menu():
    return {
        "portal_sections": [
            (endpoint, label)
            for endpoint, label in SECTIONS
            if endpoint in current_app.view_functions
        ]
    }
