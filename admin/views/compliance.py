"""Refrigerant records: every addition, recovery, inspection, repair and test, per unit."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange, Optional, ValidationError

from admin.base import StaffModelView
from admin.lookups import lookups
from app.auth.roles import current_staff
from app.models.enums import StaffRole

POUNDS_RANGE = {"validators": [Optional(), NumberRange(min=0, max=100000)]}


class RefrigerantEventView(StaffModelView):
    area = "refrigerant"
    menu_category = _l("Compliance")
    column_default_sort = ("occurred_at", True)
    column_list = (
        "occurred_at",
        "unit",
        "kind",
        "refrigerant_type",
        "pounds_added",
        "pounds_removed",
        "technician",
        "certification_number",
        "leak_found",
    )
    column_labels = {"pounds_added": _l("Added (lb)"), "pounds_removed": _l("Removed (lb)")}
    column_searchable_list = ("unit.name", "unit.label_code", "certification_number", "notes")
    column_filters = ("kind", "refrigerant_type", "occurred_at", "leak_found", "test_passed")
    column_sortable_list = ("occurred_at", "kind", "pounds_added", "pounds_removed")
    form_columns = (
        "unit",
        "work_order",
        "technician",
        "kind",
        "occurred_at",
        "refrigerant_type",
        "pounds_added",
        "pounds_removed",
        "leak_found",
        "leak_location",
        "test_passed",
        "notes",
    )
    column_details_list = (*form_columns, "certification_number", "created_at")
    form_args = {"pounds_added": POUNDS_RANGE, "pounds_removed": POUNDS_RANGE}
    form_ajax_refs = lookups("unit", "work_order", "technician")

    def validate_model(self, model) -> None:
        staff = current_staff()
        if model.technician is None and staff.role == StaffRole.TECHNICIAN:
            model.technician = staff
        if model.technician is None:
            raise ValidationError(_("Choose the technician who did the work."))
        if not model.technician.epa_certification_number:
            raise ValidationError(
                _("%(name)s has no EPA 608 certification number on file.", name=model.technician)
            )
        model.certification_number = model.technician.epa_certification_number
        if model.work_order is not None and model.work_order.unit not in (None, model.unit):
            raise ValidationError(_("That work order is for a different unit."))
        if not model.refrigerant_type:
            model.refrigerant_type = model.unit.refrigerant_type
