"""A technician's refrigerant work, recorded standing at the unit: on its sticker page or on
the job page (there, tied to the work order)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.labels import choices
from app.models import RefrigerantEvent, StaffUser, WorkOrder
from app.models.base import utcnow
from app.models.enums import AdditionExemption, RefrigerantEventKind


class RefrigerantWorkForm(FlaskForm):
    """What a technician records standing at the unit (the time is now)."""

    kind = SelectField(
        _l("Work done"),
        choices=choices(RefrigerantEventKind, leaving_out={RefrigerantEventKind.INITIAL_CHARGE}),
    )
    pounds_added = DecimalField(_l("Added (lb)"), places=2, validators=[Optional()])
    pounds_removed = DecimalField(_l("Removed (lb)"), places=2, validators=[Optional()])
    pounds_returned = DecimalField(
        _l("Of the pounds added, returned to this unit after recovery (lb)"),
        places=2,
        validators=[Optional()],
    )
    exempt_reason = SelectField(
        _l("Counts toward the leak rate?"),
        choices=[
            ("", _l("Yes")),
            (AdditionExemption.SEASONAL_VARIANCE.value, _l("No: seasonal variance")),
            (AdditionExemption.AFTER_RETROFIT.value, _l("No: first charge after a retrofit")),
            (AdditionExemption.PURGED_DESTROYED.value, _l("No: purged and destroyed")),
        ],
        default="",
    )
    leak_location = StringField(_l("Leak location"), validators=[Length(max=200)])
    test_passed = SelectField(
        _l("Test result"),
        choices=[("", _l("not a test")), ("yes", _l("passed")), ("no", _l("failed"))],
        default="",
        validate_choice=False,
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])
    confirm_large = BooleanField(_l("Yes, more than the full charge was added"))

    def event(self, technician: StaffUser, work_order: WorkOrder | None = None):
        """The event as typed, done now by `technician` (on `work_order`, if one)."""
        reason = self.exempt_reason.data
        return RefrigerantEvent(
            kind=RefrigerantEventKind(self.kind.data),
            occurred_at=utcnow(),
            technician=technician,
            work_order=work_order,
            pounds_added=self.pounds_added.data or 0,
            pounds_removed=self.pounds_removed.data or 0,
            pounds_returned=self.pounds_returned.data or 0,
            exempt_reason=AdditionExemption(reason) if reason else None,
            leak_location=(self.leak_location.data or "").strip(),
            test_passed={"yes": True, "no": False}.get(self.test_passed.data),
            notes=(self.notes.data or "").strip(),
        )
