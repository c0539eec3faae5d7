"""AJAX look-ups for relation fields: a few searched columns, ten results at a time, and
scoped like the lists (a technician is offered only their own work orders)."""

from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader

from app.auth.roles import current_staff
from app.extensions import db
from app.ids import record_id
from app.models import Customer, Invoice, PortalUser, Property, StaffUser, Unit, WorkOrder
from app.models.enums import StaffRole
from app.scoping import work_orders_for_staff


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """An AJAX look-up that only offers (and only accepts) rows the `scope` lets through."""

    def __init__(self, name, model, *, scope=None, **options):
        self.scope = scope
        options.setdefault("page_size", 10)
        super().__init__(name, db, model, **options)

    def get_query(self):
        query = super().get_query()
        return query.filter(self.scope()) if self.scope else query

    def get_one(self, pk):
        pk = record_id(pk)
        return self.get_query().filter(self.model.id == pk).one_or_none() if pk else None


def _own_work_orders():
    return work_orders_for_staff(current_staff())


def _technicians_only():
    return StaffUser.role == StaffRole.TECHNICIAN


_LOOKUPS = {
    "customer": (Customer, ["name", "email"], None),
    "property": (Property, ["name", "address_line1", "city", "postal_code"], None),
    "unit": (Unit, ["name", "label_code", "serial_number", "manufacturer"], None),
    "work_order": (WorkOrder, ["number", "summary"], _own_work_orders),
    "technician": (StaffUser, ["name", "email"], _technicians_only),
    "portal_user": (PortalUser, ["name", "email"], None),
    "invoice": (Invoice, ["number"], None),
}


def lookups(*names: str) -> dict[str, ScopedAjaxLoader]:
    """Fresh look-ups for a view's relation fields, by field name."""
    loaders = {}
    for name in names:
        model, fields, scope = _LOOKUPS[name]
        loaders[name] = ScopedAjaxLoader(name, model, scope=scope, fields=fields)
    return loaders
