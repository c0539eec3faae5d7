"""Reads behind the technician's job page: the work order (only if the staff member may open
it) and the unit's recent history."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (
    Property,
    RefrigerantEvent,
    Visit,
    WorkOrder,
    WorkOrderLine,
)
from app.scoping import jobs_for_staff

RECENT_WORK = 5


@dataclass(frozen=True)
class JobPage:
    work_order: WorkOrder
    history: list  # the unit's other work orders, the latest first
    events: list  # refrigerant events recorded on this work order


def job_for(staff, work_order_id: int) -> WorkOrder | None:
    """The work order if `staff` may open its job page (None otherwise: the caller's 404)."""
    return db.session.scalar(
        select(WorkOrder)
        .where(WorkOrder.id == work_order_id, jobs_for_staff(staff))
        .options(
            joinedload(WorkOrder.property).joinedload(Property.customer),
            joinedload(WorkOrder.unit),
            selectinload(WorkOrder.lines).joinedload(WorkOrderLine.price_book_item),
            selectinload(WorkOrder.notes),
            selectinload(WorkOrder.photos),
            selectinload(WorkOrder.visits).selectinload(Visit.status_changes),
        )
    )


def job_page(work_order: WorkOrder) -> JobPage:
    """What the page shows beside the work order itself."""
    history = []
    if work_order.unit_id is not None:
        history = db.session.scalars(
            select(WorkOrder)
            .where(WorkOrder.unit_id == work_order.unit_id, WorkOrder.id != work_order.id)
            .options(joinedload(WorkOrder.technician))
            .order_by(WorkOrder.first_arrival.desc().nulls_last(), WorkOrder.created_at.desc())
            .limit(RECENT_WORK)
        ).all()
    events = db.session.scalars(
        select(RefrigerantEvent)
        .where(RefrigerantEvent.work_order_id == work_order.id)
        .options(joinedload(RefrigerantEvent.technician))
        .order_by(RefrigerantEvent.occurred_at)
    ).all()
    return JobPage(work_order=work_order, history=list(history), events=list(events))


def openable_jobs(staff, work_order_ids: list[int]) -> set[int]:
    """Which of these work orders `staff` may open the job page of."""
    if not work_order_ids:
        return set()
    return set(
        db.session.scalars(
            select(WorkOrder.id).where(WorkOrder.id.in_(work_order_ids), jobs_for_staff(staff))
        )
    )
