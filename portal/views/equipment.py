"""Equipment and warranty: every unit of the customer, and one unit's page with its history."""

from itertools import groupby

from flask import current_app, render_template, request

from app.ids import MAX_ID
from app.models import Unit
from app.queries.equipment import open_request_for, unit_document_count, unit_list
from app.queries.filters import property_filter
from app.queries.history import HistoryFilters, history_page
from app.services.company import local_today
from app.services.equipment import service_statuses
from portal import bp
from portal.auth import portal_login_required, scope
from portal.kept_pages import kept_while_unchanged


@bp.get("/equipment")
@portal_login_required
@kept_while_unchanged
def equipment():
    """Every unit of the customer by property: warranty, last service, next due, overdue."""
    customer = scope()
    today = local_today()
    choice = property_filter(customer, request.args)
    page = unit_list(customer, choice.chosen, request.args.get("page"))
    return render_template(
        "portal/equipment.html",
        today=today,
        **choice._asdict(),
        page=page,
        groups=[(prop, list(units)) for prop, units in groupby(page.items, lambda u: u.property)],
        statuses=service_statuses(page.items, today),
    )


@bp.get(f"/units/<int(max={MAX_ID}):unit_id>")
@portal_login_required
@kept_while_unchanged
def unit(unit_id: int):
    """One unit: what it is, its warranty and service dates, its history, and a service button."""
    customer = scope()
    today = local_today()
    found = customer.get_or_404(Unit, unit_id)
    history = history_page(customer, HistoryFilters(unit_id=found.id), request.args.get("page"))
    return render_template(
        "portal/unit.html",
        unit=found,
        today=today,
        status=service_statuses([found], today)[found.id],
        open_request=open_request_for(customer, found),
        documents=unit_document_count(customer, found),
        history=history,
        history_linked="portal.history" in current_app.view_functions,
    )
