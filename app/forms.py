"""Forms more than one surface shows: the service-request form, on a sticker's public page and
in the portal (each view adds what only it needs)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.models.enums import TimeWindow
from app.services.company import local_today
from app.services.service_requests import RequestDetails

WINDOW_CHOICES = [
    (TimeWindow.ANY.value, _l("Any time")),
    (TimeWindow.MORNING.value, _l("Morning (8–12)")),
    (TimeWindow.AFTERNOON.value, _l("Afternoon (12–5)")),
    (TimeWindow.EVENING.value, _l("Evening (5–8)")),
]


class ServiceRequestForm(FlaskForm):
    """The short public form on a sticker's page. `website` is a honeypot: people never see it."""

    contact_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    contact_phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40)])
    contact_email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    description = TextAreaField(_l("What is wrong?"), validators=[DataRequired(), Length(max=2000)])
    preferred_date = DateField(_l("Preferred day"), validators=[Optional()])
    preferred_window = SelectField(_l("Preferred time"), choices=WINDOW_CHOICES)
    photos = MultipleFileField(_l("Photos (up to 2, optional)"))
    website = StringField(_l("Leave this empty"))
    # Where the company lets customers book: one of the offered windows (its start), or none.
    window = RadioField(_l("Pick a time"), validators=[Optional()], validate_choice=False)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.contact_phone.data or self.contact_email.data):
            self.contact_phone.errors = [
                *self.contact_phone.errors,
                _l("Give a phone number or an e-mail address so we can reach you."),
            ]
            valid = False
        return valid

    def validate_contact_phone(self, field) -> None:
        if sum(ch.isdigit() for ch in field.data) < 7:
            raise ValidationError(_l("That does not look like a phone number."))

    def validate_preferred_date(self, field) -> None:
        if field.data and field.data < local_today():
            raise ValidationError(_l("Choose today or a later day."))

    def validate_photos(self, field) -> None:
        if len([f for f in field.data or [] if f and f.filename]) > 2:
            raise ValidationError(_l("Please attach at most 2 photos."))

    @property
    def is_bot(self) -> bool:
        return bool(self.website.data)

    def details(self) -> RequestDetails:
        """What was asked for, tidied, for the service-request services."""
        return RequestDetails(
            contact_name=self.contact_name.data.strip(),
            contact_phone=(self.contact_phone.data or "").strip(),
            contact_email=(self.contact_email.data or "").strip(),
            description=self.description.data.strip(),
            preferred_date=self.preferred_date.data,
            preferred_window=TimeWindow(self.preferred_window.data),
        )


class RescheduleVisitForm(FlaskForm):
    """The open windows as radio buttons, each valued by its start (UTC, ISO 8601): a visit
    e-mail's reschedule link and the portal's "Pick another time"."""

    # A window taken since the page was shown is refused by the service, with a clear message.
    window = RadioField(_l("Pick a new time"), validators=[DataRequired()], validate_choice=False)
