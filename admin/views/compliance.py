"""Refrigerant compliance in the back office: service events (with the leak rate each addition
produced), full-charge revisions, repair episodes and the obligations list."""

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from wtforms import BooleanField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from admin.base import StaffModelView, refusal_as_form_error
from admin.formatting import inputs_column
from admin.lookups import lookups
from app.auth.roles import current_staff
from app.extensions import db
from app.formatting import percent, rate_and_threshold
from app.models import ComplianceObligation, RefrigerantEvent, RepairEpisode
from app.models.enums import StaffRole
from app.services.audit import changes_of, record
from app.services.company import local_today
from app.services.compliance import ComplianceError
from app.services.refrigerant import delete_event, record_event, update_event
from app.services.refrigerant_ledger import (
    EventError,
    apply_office_decisions,
    record_charge_revision,
)
from app.services.repair_episodes import ObligationError, update_by_office

POUNDS_RANGE = {"validators": [Optional(), NumberRange(min=0, max=100000)]}


def _leak_rate(view, context, model, name) -> Markup | str:
    if model.leak_rate_percent is None:
        return ""
    over = model.leak_rate_exceeded
    return Markup('<span class="badge badge-{}">{}</span>').format(
        "danger" if over else "success", rate_and_threshold(model)
    )


class RefrigerantEventView(StaffModelView):
    """Refrigerant events; a correction or deletion recomputes the unit's leak rates, episodes
    and obligations. Technicians record their own work and correct only that."""

    area = "refrigerant"
    menu_category = _l("Compliance")
    column_default_sort = ("occurred_at", True)
    column_list = (
        "occurred_at",
        "unit",
        "kind",
        "pounds_added",
        "pounds_returned",
        "pounds_removed",
        "exempt_reason",
        "leak_rate",
        "technician",
        "certification_number",
        "leak_found",
    )
    column_labels = {
        "pounds_added": _l("Added (lb)"),
        "pounds_removed": _l("Removed (lb)"),
        "pounds_returned": _l("Of which returned to the same appliance (lb)"),
        "exempt_reason": _l("Not counted in the leak rate because"),
        "leak_rate": _l("Leak rate / threshold"),
    }
    column_formatters = {"leak_rate": _leak_rate, "leak_rate_inputs": inputs_column}
    column_searchable_list = ("unit.name", "unit.label_code", "certification_number", "notes")
    column_filters = (
        "kind",
        "exempt_reason",
        "refrigerant_type",
        "occurred_at",
        "leak_found",
        "leak_rate_exceeded",
    )
    column_sortable_list = ("occurred_at", "kind")
    form_columns = (
        "unit",
        "work_order",
        "technician",
        "kind",
        "occurred_at",
        "refrigerant_type",
        "pounds_added",
        "pounds_returned",
        "pounds_removed",
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

    @property
    def can_create(self) -> bool:
        return self._can_write

    @property
    def can_delete(self) -> bool:
        return self._can_write

    def own_rows(self, staff):
        return RefrigerantEvent.technician_id == staff.id

    def validate_model(self, model) -> None:
        staff = current_staff()
        if staff.role == StaffRole.TECHNICIAN:
            if model.technician not in (None, staff):
                raise ValidationError(_("You can only record and correct your own work."))
            model.technician = staff
        if model.technician is None:
            raise ValidationError(_("Choose the technician who did the work."))
        if model.work_order is not None and model.work_order.unit not in (None, model.unit):
            raise ValidationError(_("That work order is for a different unit."))

    def on_model_change(self, form, model, is_created: bool) -> None:
        with db.session.no_autoflush:
            self.validate_model(model)
        with refusal_as_form_error(EventError, ComplianceError):
            if is_created:
                db.session.expunge(model)  # record_event adds it once it is valid
                record_event(
                    model.unit, model, actor=current_staff(), confirm_large=form.confirm_large.data
                )
            elif changes_of(model):
                update_event(model, actor=current_staff(), confirm_large=form.confirm_large.data)

    def delete_model(self, model) -> bool:
        try:
            delete_event(model, actor=current_staff())
            db.session.commit()
        except (EventError, ComplianceError) as error:
            db.session.rollback()
            flash(str(error), "error")
            return False
        return True


class ChargeRevisionView(StaffModelView):
    """A unit's full charge from a date on; every leak rate after that date is recomputed."""

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
        "method": {"validators": [InputRequired()]},
        "range_low_lb": POUNDS_RANGE,
        "range_high_lb": POUNDS_RANGE,
    }
    form_ajax_refs = lookups("unit")

    @property
    def can_create(self) -> bool:
        return self._can_write

    def on_model_change(self, form, model, is_created: bool) -> None:
        with refusal_as_form_error(EventError, ComplianceError):
            record_charge_revision(model, actor=current_staff())


class RepairEpisodeView(StaffModelView):
    """Episodes follow from events; office staff say whether an industrial process shutdown
    is needed (120 days instead of 30), record a decision to retrofit or retire instead of
    repairing (a plan is then due in 30 days), and add notes."""

    area = "compliance"
    menu_category = _l("Compliance")
    allow_create = allow_delete = False
    form_columns = ("ipr_shutdown", "retrofit_decided_on", "notes")
    column_labels = {
        "ipr_shutdown": _l("Repair needs an industrial process shutdown"),
        "retrofit_decided_on": _l("Decided to retrofit or retire instead of repairing, on"),
        "leak_rate_percent": _l("Leak rate"),
    }
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
    column_formatters = {"leak_rate_percent": lambda v, c, m, n: f"{percent(m.exact_leak_rate)}%"}
    column_filters = ("status", "discovered_on")
    column_sortable_list = ("discovered_on",)
    column_searchable_list = ("unit.name",)
    column_details_list = (
        *column_list,
        "retrofit_decided_on",
        "closed_on",
        "obligations",
        "events",
        "notes",
    )

    def get_query(self):
        return super().get_query().options(selectinload(RepairEpisode.events))

    def on_model_change(self, form, model, is_created: bool) -> None:
        changes = changes_of(model)
        if not changes:
            return  # saved unchanged: nothing to decide again
        with refusal_as_form_error(EventError, ComplianceError):
            apply_office_decisions(model)
        record("update", model, actor=current_staff(), changes=changes)


def _due(view, context, model, name) -> Markup:
    if model.ended_reason:
        return Markup('<span class="badge badge-secondary" title="{}">{}</span>').format(
            model.ended_reason, _("not required")
        )
    if model.completed_on:
        return Markup('<span class="badge badge-success">{}</span>').format(_("done"))
    if model.suspended_on:
        return Markup('<span class="badge badge-info">{}</span>').format(
            _("suspended: mothballed since %(day)s", day=model.suspended_on)
        )
    if model.is_overdue(local_today()):
        return Markup('<span class="badge badge-danger">{}</span>').format(_("overdue"))
    return Markup('<span class="badge badge-warning">{}</span>').format(_("open"))


class ComplianceObligationView(StaffModelView):
    """What is due, overdue first. Repairs, tests, inspections and retrofits complete their
    obligations when recorded as events; office staff mark a plan or an EPA report done here."""

    area = "compliance"
    menu_category = _l("Compliance")
    allow_create = allow_delete = False
    column_default_sort = None
    column_list = ("due_on", "state", "kind", "unit", "episode", "completed_on", "notes")
    column_formatters = {"state": _due}
    column_filters = ("kind", "due_on", "completed_on")
    column_searchable_list = ("unit.name", "notes")
    column_sortable_list = ("due_on", "kind", "completed_on")
    column_details_list = (*column_list, "suspended_on", "ended_reason")
    form_columns = ("completed_on", "notes")
    column_labels = {"completed_on": _l("Done on")}

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

    def validate_model(self, model) -> None:
        with refusal_as_form_error(ObligationError):
            update_by_office(model)
