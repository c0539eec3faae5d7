"""Equipment and warranty: every unit of the customer, and one unit's page with its history."""

from itertools import groupby

from flask import current_app, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.ids import MAX_ID
from app.models import Document, Property, ServiceRequest, Unit
from app.models.enums import RequestStatus
from app.queries.paging import paginate
from app.services.company import local_today
from app.services.equipment import service_statuses
from app.services.portal_history import HistoryFilters, history_page
from portal import bp
from portal.auth import portal_login_required, scope
from portal.pages import chosen_property, customer_properties

PER_PAGE = 50


@bp.get("/equipment")
@portal_login_required
def equipment():
    """Every unit of the customer by property: warranty, last service, next due, overdue."""
    customer = scope()
    today = local_today()
    properties = customer_properties(customer)
    chosen, problem = chosen_property(properties, request.args)
    statement = (
        customer.select(Unit)
        .join(Unit.property)
        .order_by(Property.name, Property.id, Unit.name, Unit.id)
    )
    if chosen:
        statement = statement.where(Unit.property_id == chosen.id)
    page = paginate(
        statement.options(contains_eager(Unit.property)), request.args.get("page"), PER_PAGE
    )
    return render_template(
        "portal/equipment.html",
        today=today,
        properties=properties,
        chosen=chosen,
        problem=problem,
        page=page,
        groups=[(prop, list(units)) for prop, units in groupby(page.items, lambda u: u.property)],
        statuses=service_statuses(page.items, today),
    )


@bp.get(f"/units/<int(max={MAX_ID}):unit_id>")
@portal_login_required
def unit(unit_id: int):
    """One unit: what it is, its warranty and service dates, its history, and a service button."""
    customer = scope()
    today = local_today()
    found = customer.get_or_404(Unit, unit_id)
    open_request = db.session.scalar(
        customer.select(ServiceRequest)
        .where(ServiceRequest.unit_id == found.id, ServiceRequest.status == RequestStatus.NEW)
        .order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc())
        .limit(1)
    )
    documents = db.session.scalar(
        select(func.count(Document.id)).where(
            customer.where(Document), Document.unit_id == found.id
        )
    )
    history = history_page(customer, HistoryFilters(unit_id=found.id), request.args.get("page"))
    return render_template(
        "portal/unit.html",
        unit=found,
        today=today,
        status=service_statuses([found], today)[found.id],
        open_request=open_request,
        documents=documents,
        history=history,
        history_linked="portal.history" in current_app.view_functions,
    )
