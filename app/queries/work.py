"""Reads of the office's Work area beyond its lists: which work orders a staff member may
see, a work-order photo they may open, and the work order the sign-off screen shows."""

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import WorkOrder, WorkOrderPhoto
from app.scoping import work_order_photos_for_staff, work_orders_for_staff


def visible_work_order_ids(staff) -> Select:
    """The ids of the work orders `staff` may see (a subquery to filter by)."""
    return select(WorkOrder.id).where(work_orders_for_staff(staff))


def work_order_visible(staff, work_order_id: int) -> bool:
    """Whether `staff` may see the work order."""
    found = db.session.scalar(visible_work_order_ids(staff).where(WorkOrder.id == work_order_id))
    return found is not None


def work_order_photo_for(staff, photo_id: int) -> WorkOrderPhoto | None:
    """The work-order photo if `staff` may open it (None otherwise: the caller's 404)."""
    return db.session.scalar(
        select(WorkOrderPhoto)
        .join(WorkOrder)
        .where(WorkOrderPhoto.id == photo_id, work_order_photos_for_staff(staff))
    )


def work_order_to_sign(staff, work_order_id: int) -> WorkOrder | None:
    """The work order for the sign-off screen, with the lines and notes its summary shows, if
    `staff` may work on it (None otherwise: the caller's 404)."""
    return db.session.scalar(
        select(WorkOrder)
        .where(WorkOrder.id == work_order_id, work_orders_for_staff(staff))
        .options(selectinload(WorkOrder.lines), selectinload(WorkOrder.notes))
    )
