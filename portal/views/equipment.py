"""Equipment and warranty: every unit of the customer, and one unit's page with its history."""

from itertools import groupby

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.ids import MAX_ID, record_id
from app.models import Document, Property, ServiceRequest, Unit
from app.models.enums import RequestStatus, UnitKind
from app.services.company import local_today
from app.services.equipment import service_statuses
from app.services.portal_history import STATUS_LABELS, HistoryFilters, history_page
from portal import bp
from portal.auth import portal_login_required, scope
from portal.pages import chosen_property, paginate

PER_PAGE = 50

KIND_LABELS = {
    UnitKind.FURNACE: _l("Furnace"),
    UnitKind.AIR_CONDITIONER: _l("Air conditioner"),
    UnitKind.HEAT_PUMP: _l("Heat pump"),
    UnitKind.MINI_SPLIT: _l("Mini-split"),
    UnitKind.BOILER: _l("Boiler"),
    UnitKind.ROOFTOP_UNIT: _l("Rooftop unit"),
    UnitKind.CHILLER: _l("Chiller"),
    UnitKind.WALK_IN_COOLER: _l("Walk-in cooler"),
    UnitKind.WALK_IN_FREEZER: _l("Walk-in freezer"),
    UnitKind.REACH_IN_REFRIGERATOR: _l("Reach-in refrigerator"),
    UnitKind.ICE_MACHINE: _l("Ice machine"),
    UnitKind.WATER_HEATER: _l("Water heater"),
    UnitKind.AIR_HANDLER: _l("Air handler"),
    UnitKind.OTHER: _l("Other equipment"),
}


@bp.get("/equipment")
@portal_login_required
def equipment():
    """Every unit of the customer by property: warranty, last service, next due, overdue."""
    customer = scope()
    today = local_today()
    properties = db.session.scalars(
        customer.select(Property).order_by(Property.name, Property.id)
    ).all()
    chosen, problem = chosen_property(properties, request.args.get("property_id"))
    statement = (
        customer.select(Unit)
        .join(Unit.property)
        .order_by(Property.name, Property.id, Unit.name, Unit.id)
    )
    if chosen:
        statement = statement.where(Unit.property_id == chosen.id)
    page = paginate(statement, request.args.get("page"), PER_PAGE, contains_eager(Unit.property))
    return render_template(
        "portal/equipment.html",
        today=today,
        properties=properties,
        chosen=chosen,
        problem=problem,
        page=page,
        groups=[(prop, list(units)) for prop, units in groupby(page.items, lambda u: u.property)],
        statuses=service_statuses(page.items, today),
        kind_labels=KIND_LABELS,
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
    history = history_page(
        customer, HistoryFilters(unit_id=found.id), record_id(request.args.get("page")) or 1
    )
    return render_template(
        "portal/unit.html",
        unit=found,
        today=today,
        status=service_statuses([found], today)[found.id],
        open_request=open_request,
        documents=documents,
        history=history,
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
        history_linked="portal.history" in current_app.view_functions,
    )
