"""Customers, their properties and units, and the people who sign into the portal."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, NumberRange, Optional

from admin.base import StaffModelView, lookup
from admin.formatting import warranty_column
from app.models import Customer, Property


class CustomerView(StaffModelView):
    area = "records"
    menu_category = _l("Customers")
    column_list = ("name", "kind", "email", "phone", "created_at")
    column_searchable_list = ("name", "email", "phone")
    column_filters = ("kind", "created_at")
    column_sortable_list = ("name", "kind", "created_at")
    form_columns = ("name", "kind", "email", "phone", "billing_address", "notes")
    column_details_list = (*form_columns, "properties", "portal_users", "created_at")
    form_args = {"email": {"validators": [Optional(), Email()]}}


class PropertyView(StaffModelView):
    area = "records"
    menu_category = _l("Customers")
    column_list = ("name", "customer", "address_line1", "city", "state", "postal_code")
    column_searchable_list = ("name", "address_line1", "city", "postal_code", "customer.name")
    column_filters = ("city", "state", "created_at")
    column_sortable_list = ("name", ("customer", "customer.name"), "city", "created_at")
    form_columns = (
        "customer",
        "name",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "postal_code",
        "access_notes",
    )
    form_ajax_refs = {"customer": lookup("customer", Customer, ["name", "email"])}


class UnitView(StaffModelView):
    area = "records"
    menu_category = _l("Customers")
    column_list = (
        "name",
        "kind",
        "property",
        "manufacturer",
        "model_number",
        "serial_number",
        "install_date",
        "parts_warranty_status",
        "labor_warranty_status",
        "label_code",
    )
    column_labels = {
        "parts_warranty_status": _l("Parts warranty"),
        "labor_warranty_status": _l("Labour warranty"),
        "full_charge_lb": _l("Full charge (lb)"),
        "epa_appliance_type": _l("EPA appliance type"),
        "charge_method": _l("How the charge was determined"),
    }
    column_formatters = {
        "parts_warranty_status": warranty_column,
        "labor_warranty_status": warranty_column,
        "label_code": lambda v, c, m, n: m.printed_label_code,
    }
    column_searchable_list = (
        "name",
        "manufacturer",
        "model_number",
        "serial_number",
        "label_code",
        "property.name",
    )
    column_filters = (
        "kind",
        "manufacturer",
        "refrigerant_type",
        "epa_appliance_type",
        "install_date",
        "parts_warranty_end",
        "labor_warranty_end",
    )
    column_sortable_list = (
        "name",
        "kind",
        "manufacturer",
        "install_date",
        "parts_warranty_end",
        "created_at",
    )
    form_columns = (
        "property",
        "name",
        "kind",
        "manufacturer",
        "model_number",
        "serial_number",
        "install_date",
        "parts_warranty_end",
        "labor_warranty_end",
        "refrigerant_type",
        "full_charge_lb",
        "charge_method",
        "epa_appliance_type",
        "service_interval_months",
        "notes",
    )
    column_details_list = (*form_columns, "label_code", "parts_warranty_status", "created_at")
    form_args = {
        "full_charge_lb": {"validators": [Optional(), NumberRange(min=0.01, max=100000)]},
        "service_interval_months": {"validators": [Optional(), NumberRange(min=1, max=120)]},
    }
    form_ajax_refs = {
        "property": lookup("property", Property, ["name", "address_line1", "city", "postal_code"])
    }


class PortalUserView(StaffModelView):
    area = "portal_users"
    menu_category = _l("Customers")
    column_list = ("name", "email", "customer", "active", "invited_at", "last_login_at")
    column_searchable_list = ("name", "email", "customer.name")
    column_filters = ("active", "invited_at", "last_login_at")
    column_sortable_list = ("name", "email", "last_login_at", "created_at")
    form_columns = ("customer", "name", "email", "phone", "active")
    form_args = {"email": {"validators": [DataRequired(), Email()]}}
    form_ajax_refs = {"customer": lookup("customer", Customer, ["name", "email"])}
