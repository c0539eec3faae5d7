"""Reads of the sticker's staff faces: what a technician sees of a unit, and the search that
binds a blank sticker to a unit."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Property, RefrigerantEvent, Unit, WorkOrder

RECENT_EVENTS = 10
SEARCH_LIMIT = 10


@dataclass(frozen=True)
class TechnicianView:
    unit: Unit
    open_orders: list
    history: list  # work orders no longer open, the latest first
    events: list  # the latest refrigerant events


def technician_view(unit_id: int) -> TechnicianView:
    """The unit with its customer, its work orders (open ones apart) with their lines, notes
    and photos, and its latest refrigerant events."""
    unit = db.session.scalar(
        select(Unit)
        .where(Unit.id == unit_id)
        .options(joinedload(Unit.property).joinedload(Property.customer))
    )
    work_orders = db.session.scalars(
        select(WorkOrder)
        .where(WorkOrder.unit_id == unit_id)
        .options(
            joinedload(WorkOrder.technician),
            selectinload(WorkOrder.lines),
            selectinload(WorkOrder.notes),
            selectinload(WorkOrder.photos),
        )
        .order_by(WorkOrder.first_arrival.desc().nulls_last(), WorkOrder.created_at.desc())
    ).all()
    events = db.session.scalars(
        select(RefrigerantEvent)
        .where(RefrigerantEvent.unit_id == unit_id)
        .options(joinedload(RefrigerantEvent.technician))
        .order_by(RefrigerantEvent.occurred_at.desc())
        .limit(RECENT_EVENTS)
    ).all()
    return TechnicianView(
        unit=unit,
        open_orders=[wo for wo in work_orders if wo.is_open],
        history=[wo for wo in work_orders if not wo.is_open],
        events=list(events),
    )


def bind_search(query: str) -> tuple[list[Unit], list[Property]]:
    """Units (by name, serial number, label code or address) and properties (by name or
    address) matching what staff typed, for binding a blank sticker; nothing for no text."""
    if not query:
        return [], []
    like = f"%{query}%"
    units = db.session.scalars(
        select(Unit)
        .join(Unit.property)
        .where(
            Unit.name.ilike(like)
            | Unit.serial_number.ilike(like)
            | Unit.label_code.ilike(like.replace("-", ""))
            | Property.address_line1.ilike(like)
            | Property.name.ilike(like)
        )
        .options(joinedload(Unit.property))
        .order_by(Unit.name)
        .limit(SEARCH_LIMIT)
    ).all()
    properties = db.session.scalars(
        select(Property)
        .where(Property.address_line1.ilike(like) | Property.name.ilike(like))
        .order_by(Property.name)
        .limit(SEARCH_LIMIT)
    ).all()
    return list(units), list(properties)
