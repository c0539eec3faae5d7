"""The job page's forms: a line (from the price book or typed in), a note, a photo, the time on
site (refrigerant work is app.refrigerant_form's)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange

from admin.fields import CentsField
from app.labels import choices
from app.models.enums import LineKind, PhotoStage


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


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"))
    stage = RadioField(
        _l("Taken"),
        choices=[
            (PhotoStage.BEFORE.value, _l("Before the work")),
            (PhotoStage.AFTER.value, _l("After the work")),
        ],
        default=PhotoStage.BEFORE.value,
    )
    caption = StringField(_l("Caption (optional)"), validators=[Length(max=200)])


class TimeForm(FlaskForm):
    """The time on site of one visit, as times of day."""

    visit_id = HiddenField()
    start = TimeField(_l("Arrived"), validators=[InputRequired()])
    end = TimeField(_l("Left"), validators=[InputRequired()])
