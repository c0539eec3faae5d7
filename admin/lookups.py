"""AJAX look-ups for relation fields: a few searched columns, ten results at a time, and
scoped like the lists (a technician is offered only their own work orders)."""

import json

from flask import Response, abort, request
from flask_admin import expose
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_babel import lazy_gettext as _l

from app.auth.roles import current_staff
from app.extensions import db
from app.ids import record_id
from app.models import Customer, Invoice, PortalUser, Property, StaffUser, Unit, WorkOrder
from app.models.enums import StaffRole
from app.queries.compliance_report import report_customers
from app.scoping import work_orders_for_staff

MAX_RESULTS = 10


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """An AJAX look-up that only offers (and only accepts) rows the `scope` lets through."""

    def __init__(self, name, model, *, scope=None, **options):
        self.scope = scope
        options.setdefault("page_size", MAX_RESULTS)
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


# name: (model, searched columns, scope, what the empty box asks for)
_LOOKUPS = {
    "customer": (Customer, ["name", "email"], None, _l("Choose a customer")),
    "refrigerant_customer": (
        Customer,
        ["name", "email"],
        report_customers,
        _l("Choose a commercial customer"),
    ),
    "property": (
        Property,
        ["name", "address_line1", "city", "postal_code"],
        None,
        _l("Choose a property"),
    ),
    "unit": (
        Unit,
        ["name", "label_code", "serial_number", "manufacturer"],
        None,
        _l("Choose a unit"),
    ),
    "work_order": (WorkOrder, ["number", "summary"], _own_work_orders, _l("Choose a work order")),
    "technician": (StaffUser, ["name", "email"], _technicians_only, _l("Choose a technician")),
    "portal_user": (PortalUser, ["name", "email"], None, _l("Choose a portal user")),
    "invoice": (Invoice, ["number"], None, _l("Choose an invoice")),
}


def lookups(*names: str) -> dict[str, ScopedAjaxLoader]:
    """Fresh look-ups for a view's relation fields, by field name."""
    loaders = {}
    for name in names:
        model, fields, scope, placeholder = _LOOKUPS[name]
        loaders[name] = ScopedAjaxLoader(
            name, model, scope=scope, fields=fields, placeholder=placeholder
        )
    return loaders


class LookupPage:
    """For admin pages that are not model views: serves their forms' AJAX look-ups at
    `.ajax_lookup`, where Flask-Admin's AJAX select fields ask, as model views do.

    `page_lookups` maps a look-up's name to its loader (see `lookups()`).
    """

    page_lookups: dict[str, ScopedAjaxLoader] = {}

    @expose("/ajax/lookup/")
    def ajax_lookup(self):
        loader = self.page_lookups.get(request.args.get("name", ""))
        if loader is None:
            abort(404)
        offset = max(request.args.get("offset", 0, type=int), 0)
        found = loader.get_list(request.args.get("query", "")[:100], offset, MAX_RESULTS)
        return Response(json.dumps([loader.format(m) for m in found]), mimetype="application/json")
