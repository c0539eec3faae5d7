"""The sticker pages' own forms: the label-code look-up and a technician's refrigerant work."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.labels import choices
from app.models.enums import AdditionExemption, RefrigerantEventKind


class LabelCodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET look-up that changes nothing

    code = StringField(
        _l("Code printed on the sticker"), validators=[DataRequired(), Length(max=20)]
    )


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


class ConfirmVisitForm(FlaskForm):
    """One button: pressing it (not opening the e-mail's link) confirms."""


class CancelVisitForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you cancelling?"), validators=[DataRequired(), Length(max=500)]
    )
