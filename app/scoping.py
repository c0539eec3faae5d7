"""The one place that turns "this staff member" or "this customer" into query filters.

Admin views and portal routes ask here instead of filtering on their own, so a list, an
edit page, an action and an AJAX look-up can never disagree about who sees what.
"""

from sqlalchemy import ColumnElement, true

from app.models import WorkOrder
from app.models.enums import StaffRole


def work_orders_for_staff(staff) -> ColumnElement[bool]:
    """Technicians see the work orders assigned to them; the office sees all."""
    if staff.role == StaffRole.TECHNICIAN:
        return WorkOrder.technician_id == staff.id
    return true()
