"""The portal home page: what is coming, what is open, what is owed, what needs a decision
(the sections are read in app/queries/portal_dashboard.py)."""

from flask import current_app, render_template, request, url_for

from app.queries.filters import property_filter
from app.queries.portal_dashboard import dashboard_sections
from app.services.company import company_currency, local_today
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope
from portal.kept_pages import kept_while_unchanged

LINKED_SECTIONS = ("portal.history", "portal.invoices", "portal.quotes", "portal.requests")


@bp.get("/")
@portal_login_required
@kept_while_unchanged
def dashboard():
    customer = scope()
    today = local_today()
    choice = property_filter(customer, request.args)
    property_id = choice.chosen.id if choice.chosen else None
    return render_template(
        "portal/dashboard.html",
        user=current_portal_user(),
        today=today,
        currency=company_currency(),
        **choice._asdict(),
        **dashboard_sections(customer, property_id, today),
        links={
            endpoint: url_for(endpoint)
            for endpoint in LINKED_SECTIONS
            if endpoint in current_app.view_functions
        },
    )
