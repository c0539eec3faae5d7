"""Refrigerant compliance in the back office: service events (with the leak rate each addition
produced), full-charge revisions, repair episodes and the obligations list."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import BooleanField
from wtforms.validators import NumberRange, Optional, ValidationError

from admin.base import StaffModelView
from admin.lookups import lookups
from app.auth.roles import current_staff
from app.extensions import db
from app.models import ComplianceObligation
from app.models.enums import StaffRole
from app.services.company import local_today
from app.services.compliance import ComplianceError
from app.services.refrigerant import (
    EventError,
    adopt_charge_revision,
    record_event,
    set_ipr_shutdown,
)

POUNDS_RANGE = {"validators": [Optional(), NumberRange(min=0, max=100000)]}


def _leak_rate(view, context, model, name) -> Markup | str:
    if model.leak_rate_percent is None:
        return ""
    over = model.leak_rate_exceeded
    return Markup('<span class="badge badge-{}">{}% / {}%</span>').format(
        "danger" if over else "success", model.leak_rate_percent, model.leak_rate_threshold
    )


class RefrigerantEventView(StaffModelView):
    """Events are evidence: recorded once, then read-only (a correction is a new event)."""

    area = "refrigerant"
    menu_category = _l("Compliance")
    allow_edit = allow_delete = False
    column_default_sort = ("occurred_at", True)
    column_list = (
        "occurred_at",
        "unit",
        "kind",
        "pounds_added",
        "pounds_removed",
        "leak_rate",
        "technician",
        "certification_number",
        "leak_found",
    )
    column_labels = {
        "pounds_added": _l("Added (lb)"),
        "pounds_removed": _l("Removed (lb)"),
        "pounds_returned": _l("Returned to the same appliance (lb)"),
        "leak_rate": _l("Leak rate / threshold"),
    }
    column_formatters = {"leak_rate": _leak_rate}
    column_searchable_list = ("unit.name", "unit.label_code", "certification_number", "notes")
    column_filters = ("kind", "refrigerant_type", "occurred_at", "leak_found", "leak_rate_exceeded")
    column_sortable_list = ("occurred_at", "kind")
    form_columns = (
        "unit",
        "work_order",
        "technician",
        "kind",
        "occurred_at",
        "refrigerant_type",
        "pounds_added",
        "pounds_removed",
        "pounds_returned",
        "exempt_reason",
        "leak_found",
        "leak_location",
        "parts_serviced",
        "test_method",
        "test_passed",
        "notes",
        "confirm_large",
    )
    form_extra_fields = {
        "confirm_large": BooleanField(_l("Yes, more than the full charge was added"))
    }
    column_details_list = (
        *form_columns[:-1],
        "certification_number",
        "leak_rate",
        "leak_rate_method",
        "leak_rate_inputs",
        "episode",
        "created_at",
    )
    form_args = {
        "pounds_added": POUNDS_RANGE,
        "pounds_removed": POUNDS_RANGE,
        "pounds_returned": POUNDS_RANGE,
    }
    form_ajax_refs = lookups("unit", "work_order", "technician")

    def validate_model(self, model) -> None:
        staff = current_staff()
        if model.technician is None and staff.role == StaffRole.TECHNICIAN:
            model.technician = staff
        if model.technician is None:
            raise ValidationError(_("Choose the technician who did the work."))
        if model.work_order is not None and model.work_order.unit not in (None, model.unit):
            raise ValidationError(_("That work order is for a different unit."))

    def on_model_change(self, form, model, is_created: bool) -> None:
        with db.session.no_autoflush:
            self.validate_model(model)
        db.session.expunge(model)  # record_event adds it once it is valid
        try:
            record_event(
                model.unit, model, actor=current_staff(), confirm_large=form.confirm_large.data
            )
        except EventError as error:
            raise ValidationError(str(error)) from None


class ChargeRevisionView(StaffModelView):
    """A new full charge for a unit from a date on; the unit takes it when it is current."""

    area = "refrigerant"
    menu_category = _l("Compliance")
    allow_edit = allow_delete = False
    column_default_sort = ("effective_on", True)
    column_list = ("unit", "effective_on", "full_charge_lb", "method", "created_at")
    column_sortable_list = ("effective_on", "created_at")
    column_searchable_list = ("unit.name", "unit.label_code")
    column_filters = ("method", "effective_on")
    form_columns = (
        "unit",
        "effective_on",
        "full_charge_lb",
        "method",
        "range_low_lb",
        "range_high_lb",
        "notes",
    )
    form_args = {
        "full_charge_lb": {
            "label": _l("Full charge (lb; left empty for a range midpoint)"),
            "validators": [Optional(), NumberRange(min=0.01, max=100000)],
        },
        "range_low_lb": POUNDS_RANGE,
        "range_high_lb": POUNDS_RANGE,
    }
    form_ajax_refs = lookups("unit")

    def validate_model(self, model) -> None:
        try:
            adopt_charge_revision(model)
        except EventError as error:
            raise ValidationError(str(error)) from None


def _episode_state(view, context, model, name) -> str:
    return model.status.value.replace("_", " ")


class RepairEpisodeView(StaffModelView):
    """Episodes follow from events; staff only say whether an industrial process shutdown is
    needed (which gives 120 days instead of 30) and add notes."""

    area = "refrigerant"
    menu_category = _l("Compliance")
    allow_create = allow_delete = False
    form_columns = ("ipr_shutdown", "notes")
    column_labels = {"ipr_shutdown": _l("Repair needs an industrial process shutdown")}
    column_default_sort = ("discovered_on", True)
    column_list = (
        "unit",
        "discovered_on",
        "leak_rate_percent",
        "threshold_percent",
        "status",
        "repaired_on",
        "initial_test_on",
        "followup_test_on",
    )
    column_filters = ("status", "discovered_on")
    column_sortable_list = ("discovered_on",)
    column_searchable_list = ("unit.name",)
    column_details_list = (*column_list, "closed_on", "obligations", "events", "notes")

    def validate_model(self, model) -> None:
        try:
            set_ipr_shutdown(model, bool(model.ipr_shutdown))
        except ComplianceError as error:
            raise ValidationError(str(error)) from None


def _due(view, context, model, name) -> Markup:
    if model.completed_on:
        return Markup('<span class="badge badge-success">{}</span>').format(_("done"))
    if model.is_overdue(local_today()):
        return Markup('<span class="badge badge-danger">{}</span>').format(_("overdue"))
    return Markup('<span class="badge badge-warning">{}</span>').format(_("open"))


class ComplianceObligationView(StaffModelView):
    """What is due, overdue first. Tests and inspections complete their obligations when
    recorded; a plan or an EPA report is marked done here."""

    area = "refrigerant"
    menu_category = _l("Compliance")
    allow_create = allow_delete = False
    column_default_sort = None
    column_list = ("due_on", "state", "kind", "unit", "episode", "completed_on", "notes")
    column_formatters = {"state": _due}
    column_filters = ("kind", "due_on", "completed_on")
    column_searchable_list = ("unit.name", "notes")
    column_sortable_list = ("due_on", "kind", "completed_on")
    form_columns = ("completed_on", "notes")

    def get_query(self):
        """Open obligations first, the earliest due (so the overdue ones) at the top."""
        return (
            super()
            .get_query()
            .order_by(
                ComplianceObligation.completed_on.is_not(None),
                ComplianceObligation.due_on,
                ComplianceObligation.id,
            )
        )
