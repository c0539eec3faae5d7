"""The price book: the office keeps it, technicians look prices up in it."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Length, ValidationError

from admin.base import StaffModelView
from admin.fields import CentsField
from app.models.enums import LineKind


class PriceBookItemView(StaffModelView):
    area = "price_book"
    menu_category = _l("Billing")
    column_default_sort = ("created_at", True)
    column_list = ("code", "description", "kind", "price_cents", "taxable", "active")
    column_searchable_list = ("code", "description")
    column_filters = ("kind", "taxable", "active")
    column_sortable_list = ("code", "created_at")
    form_columns = ("code", "description", "kind", "price_cents", "taxable", "active")
    column_details_list = (*form_columns, "created_at")
    column_labels = {
        "code": _l("Code"),
        "description": _l("Description"),
        "kind": _l("Kind"),
        "price_cents": _l("Price ($)"),
        "taxable": _l("Taxable"),
        "active": _l("Offered"),
    }
    column_descriptions = {
        "active": _l("Retired items stay on the lines that used them but are no longer offered."),
    }
    form_overrides = {"price_cents": CentsField}
    form_args = {
        "code": {"validators": [DataRequired(), Length(max=40)]},
        "description": {"validators": [DataRequired(), Length(max=240)]},
        "price_cents": {"validators": [DataRequired()]},
    }

    def validate_model(self, model) -> None:
        model.code = model.code.strip().upper()
        model.description = model.description.strip()
        if model.price_cents < 0 and model.kind != LineKind.DISCOUNT:
            raise ValidationError(_("Only a discount has a price below zero."))
