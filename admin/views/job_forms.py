"""The job page's forms: a line (from the price book or typed in), a note."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from admin.fields import CentsField
from app.labels import choices
from app.models.enums import LineKind


class LineForm(FlaskForm):
    """A new line. The item select lists the book's items on offer; its blank choice (a line
    typed in freely) is there only when the company allows such lines."""

    item = SelectField(_l("Price book item"), validate_choice=False)
    quantity = DecimalField(
        _l("Quantity"),
        places=2,
        default=1,
        validators=[InputRequired(), NumberRange(min=0.01, max=100000)],
    )
    description = StringField(_l("Description"), validators=[Length(max=240)])
    kind = SelectField(_l("Kind"), choices=choices(LineKind), default=LineKind.LABOR.value)
    price = CentsField(_l("Unit price ($)"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[InputRequired(), Length(max=4000)])
    visible_to_customer = BooleanField(_l("The customer may read this note"))


class RemoveForm(FlaskForm):
    """The button that takes a line off."""

    line_id = HiddenField()
