"""The portal's menu: every section whose page exists, in a fixed order."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.models.enums import CustomerKind
from portal import bp
from portal.auth import current_portal_user

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
    ("portal.notification_settings", _l("E-mail settings")),
)


# Sections only some customers have.
COMMERCIAL_ONLY = {"portal.compliance"}


def has_compliance_section(user) -> bool:
    """Only commercial customers keep EPA refrigerant records with us."""
    return user is not None and user.customer.kind == CustomerKind.COMMERCIAL


@bp.app_context_processor
def portal_menu():
    commercial = has_compliance_section(current_portal_user())
    return {
        "portal_sections": [
            (endpoint, label)
            for endpoint, label in SECTIONS
            if endpoint in current_app.view_functions
            and (commercial or endpoint not in COMMERCIAL_ONLY)
        ]
    }
