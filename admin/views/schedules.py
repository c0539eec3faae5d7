"""Technicians' working hours and time off: what the board and open windows check."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired, ValidationError

from admin.base import StaffModelView
from admin.lookups import lookups
from app.models.enums import StaffRole

WEEKDAYS = (
    (0, _l("Monday")),
    (1, _l("Tuesday")),
    (2, _l("Wednesday")),
    (3, _l("Thursday")),
    (4, _l("Friday")),
    (5, _l("Saturday")),
    (6, _l("Sunday")),
)


def _weekday(value) -> int | None:
    """The posted weekday; "" (nothing chosen yet) is None."""
    return None if value in ("", None) else int(value)


def _a_technician(model) -> None:
    if model.technician is None or model.technician.role != StaffRole.TECHNICIAN:
        raise ValidationError(_("Choose a technician."))


class WorkingHoursView(StaffModelView):
    """One row per technician and weekday; a weekday without a row is a day off (a technician
    with no rows at all works Monday to Friday, 8 to 5)."""

    area = "requests"
    menu_category = _l("Work")
    column_default_sort = None
    column_list = ("technician", "weekday", "starts", "ends")
    column_sortable_list = (("technician", "technician.name"),)
    column_searchable_list = ("technician.name",)
    column_filters = ("technician.name", "weekday")
    form_columns = ("technician", "weekday", "starts", "ends")
    form_overrides = {"weekday": SelectField}
    form_args = {
        "weekday": {
            "choices": [("", _l("Choose…")), *WEEKDAYS],
            "coerce": _weekday,
            "validators": [InputRequired()],
        }
    }
    column_formatters = {"weekday": lambda v, c, m, n: dict(WEEKDAYS)[m.weekday]}
    column_labels = {"starts": _l("Starts"), "ends": _l("Ends")}
    form_ajax_refs = lookups("technician")

    def validate_model(self, model) -> None:
        _a_technician(model)
        if model.starts is not None and model.ends is not None and model.ends <= model.starts:
            raise ValidationError(_("The working day must end after it starts."))


class TimeOffView(StaffModelView):
    area = "requests"
    menu_category = _l("Work")
    column_default_sort = ("starts_at", True)
    column_list = ("technician", "starts_at", "ends_at", "reason")
    column_sortable_list = ("starts_at", ("technician", "technician.name"))
    column_searchable_list = ("technician.name", "reason")
    column_filters = ("technician.name", "starts_at")
    form_columns = ("technician", "starts_at", "ends_at", "reason")
    column_labels = {"starts_at": _l("Away from"), "ends_at": _l("Back at")}
    form_ajax_refs = lookups("technician")

    def validate_model(self, model) -> None:
        _a_technician(model)
        if model.starts_at and model.ends_at and model.ends_at <= model.starts_at:
            raise ValidationError(_("Time off must end after it starts."))
