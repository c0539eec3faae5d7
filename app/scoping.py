"""The one place that turns "this staff member" or "this customer" into query filters.

Admin views and portal routes ask here instead of filtering on their own, so a list, an
edit page, an action, an AJAX look-up and a download can never disagree about who sees what.
"""

from sqlalchemy import ColumnElement, Select, and_, select, true
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import (
    Document,
    Invoice,
    Message,
    Payment,
    Property,
    Quote,
    RefrigerantEvent,
    ServiceRequest,
    ServiceRequestPhoto,
    Unit,
    WorkOrder,
    WorkOrderNote,
    WorkOrderPhoto,
)
from app.models.enums import InvoiceStatus, QuoteStatus, StaffRole


def work_orders_for_staff(staff) -> ColumnElement[bool]:
    """Technicians see the work orders assigned to them; the office sees all."""
    if staff.role == StaffRole.TECHNICIAN:
        return WorkOrder.technician_id == staff.id
    return true()


class CustomerScope:
    """What a customer's portal users may see: their own customer's records, and only those.

    Every portal query starts from `select(Model)` here; a record outside the scope is a
    404 (never a 403, so nobody learns that it exists).
    """

    def __init__(self, customer_id: int):
        self.customer_id = customer_id

    def _property_ids(self):
        return select(Property.id).where(Property.customer_id == self.customer_id)

    def _unit_ids(self):
        return select(Unit.id).where(Unit.property_id.in_(self._property_ids()))

    def _work_order_ids(self):
        return select(WorkOrder.id).where(WorkOrder.customer_id == self.customer_id)

    def where(self, model) -> ColumnElement[bool]:
        """The filter that limits `model` to this customer's visible rows."""
        mine = {
            Unit: lambda: Unit.property_id.in_(self._property_ids()),
            Document: lambda: and_(
                Document.customer_id == self.customer_id, Document.visible_to_customer
            ),
            Invoice: lambda: and_(
                Invoice.customer_id == self.customer_id, Invoice.status != InvoiceStatus.DRAFT
            ),
            Quote: lambda: and_(
                Quote.customer_id == self.customer_id, Quote.status != QuoteStatus.DRAFT
            ),
            WorkOrderNote: lambda: and_(
                WorkOrderNote.work_order_id.in_(self._work_order_ids()),
                WorkOrderNote.visible_to_customer,
            ),
            WorkOrderPhoto: lambda: WorkOrderPhoto.work_order_id.in_(self._work_order_ids()),
            ServiceRequestPhoto: lambda: ServiceRequestPhoto.request_id.in_(
                select(ServiceRequest.id).where(ServiceRequest.customer_id == self.customer_id)
            ),
            RefrigerantEvent: lambda: RefrigerantEvent.unit_id.in_(self._unit_ids()),
        }
        if model in mine:
            return mine[model]()
        if model in (Property, WorkOrder, ServiceRequest, Message, Payment):
            return model.customer_id == self.customer_id
        raise LookupError(f"{model.__name__} has no customer scope")

    def select(self, model) -> Select:
        """`select(model)` limited to this customer."""
        return select(model).where(self.where(model))

    def get_or_404(self, model, record_id: int):
        """One of this customer's records by id; anything else is a plain 404."""
        found = db.session.scalar(self.select(model).where(model.id == record_id))
        if found is None:
            raise NotFound()
        return found
