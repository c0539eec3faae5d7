"""The one place that turns "this staff member" or "this customer" into query filters.

Admin views and portal routes ask here instead of filtering on their own, so a list, an
edit page, an action, an AJAX look-up and a download can never disagree about who sees what.
"""

from sqlalchemy import ColumnElement, Select, and_, bindparam, or_, select, true
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.ids import MAX_ID
from app.models import (
    ChargeRevision,
    ComplianceObligation,
    Customer,
    Document,
    Invoice,
    Message,
    Payment,
    Property,
    Quote,
    RefrigerantEvent,
    RepairEpisode,
    ServiceRequest,
    ServiceRequestPhoto,
    Unit,
    Visit,
    WorkOrder,
    WorkOrderNote,
    WorkOrderPhoto,
)
from app.models.enums import InvoiceStatus, QuoteStatus, StaffRole
from app.models.scheduling import visit_helpers
from app.models.work import OPEN_WORK_ORDER_STATUSES


def work_orders_for_staff(staff) -> ColumnElement[bool]:
    """Technicians see the work orders assigned to them; the office sees all."""
    if staff.role == StaffRole.TECHNICIAN:
        return WorkOrder.technician_id == staff.id
    return true()


def jobs_for_staff(staff) -> ColumnElement[bool]:
    """Whose job pages staff open: a technician the work orders assigned to them and those of
    the visits they are on (as lead or helper); the office all."""
    if staff.role != StaffRole.TECHNICIAN:
        return true()
    on_visits = select(Visit.work_order_id).where(
        or_(
            Visit.lead_technician_id == staff.id,
            Visit.id.in_(
                select(visit_helpers.c.visit_id).where(visit_helpers.c.staff_user_id == staff.id)
            ),
        )
    )
    return or_(WorkOrder.technician_id == staff.id, WorkOrder.id.in_(on_visits))


def work_order_photos_for_staff(staff) -> ColumnElement[bool]:
    """Whose work-order photos staff may open: a technician those of their own work orders and
    of every work order on a unit (technicians read every unit and its history: the sticker
    page shows colleagues' work and its photos); the office all. Photos of a colleague's work
    order with no unit stay private to that colleague and the office."""
    if staff.role == StaffRole.TECHNICIAN:
        return or_(WorkOrder.technician_id == staff.id, WorkOrder.unit_id.is_not(None))
    return true()


def conversations_for_staff(staff, customer_id=Customer.id) -> ColumnElement[bool]:
    """Whose conversations staff read and answer: a technician only those of customers they have
    an open work order for; the office all. `customer_id` is the column to filter on."""
    if staff.role == StaffRole.TECHNICIAN:
        return customer_id.in_(
            select(WorkOrder.customer_id).where(
                WorkOrder.technician_id == staff.id,
                WorkOrder.status.in_(OPEN_WORK_ORDER_STATUSES),
            )
        )
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
            Visit: lambda: Visit.work_order_id.in_(self._work_order_ids()),
            ServiceRequestPhoto: lambda: ServiceRequestPhoto.request_id.in_(
                select(ServiceRequest.id).where(ServiceRequest.customer_id == self.customer_id)
            ),
            RefrigerantEvent: lambda: RefrigerantEvent.unit_id.in_(self._unit_ids()),
            RepairEpisode: lambda: RepairEpisode.unit_id.in_(self._unit_ids()),
            ComplianceObligation: lambda: ComplianceObligation.unit_id.in_(self._unit_ids()),
            ChargeRevision: lambda: ChargeRevision.unit_id.in_(self._unit_ids()),
        }
        if model in mine:
            return mine[model]()
        if model in (Property, WorkOrder, ServiceRequest, Message, Payment):
            return model.customer_id == self.customer_id
        raise LookupError(f"{model.__name__} has no customer scope")

    def select(self, model) -> Select:
        """`select(model)` limited to this customer."""
        return select(model).where(self.where(model))

    def bound(self) -> dict:
        """The parameters that run a statement built through ANY_CUSTOMER for this customer."""
        return {"customer_id": self.customer_id}

    def get_or_404(self, model, record_id: int):
        """One of this customer's records by id; anything else is a plain 404."""
        if not 0 < record_id <= MAX_ID:  # larger ids overflow the database's integer type
            raise NotFound()
        found = db.session.scalar(self.select(model).where(model.id == record_id))
        if found is None:
            raise NotFound()
        return found


# The scope of whichever customer a statement is run for (`scope.bound()` gives the parameter):
# a page's statement built through it once serves every customer. Building a select with its
# loader options, and working out its cache key, can cost more than running it (issue 16).
ANY_CUSTOMER = CustomerScope(bindparam("customer_id"))
