"""The sticker pages' own forms: the request form's signed token and the label-code look-up
(a technician's refrigerant work is app.refrigerant_form's, shared with the job page)."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import (
    StringField,
    TextAreaField,
)
from wtforms.csrf.core import CSRF
from wtforms.validators import DataRequired, Length, ValidationError

from app.forms import ServiceRequestForm

# Long enough to fill the form in at leisure; an older page is answered with the form again.
FORM_TOKEN_MAX_AGE = timedelta(hours=24)


class StickerFormToken(CSRF):
    """The request form's CSRF token: the sticker's token and the time, signed with the app's
    secret. Showing the page needs no session, so a stranger's scan sets no cookie; a post
    must bring a token this app signed for this sticker within FORM_TOKEN_MAX_AGE."""

    def setup_form(self, form):
        self.sticker = form.meta.csrf_context
        return super().setup_form(form)

    @staticmethod
    def _signer() -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(current_app.secret_key, salt="sticker-request-form")

    def generate_csrf_token(self, csrf_token_field) -> str:
        return self._signer().dumps(self.sticker)

    def validate_csrf_token(self, form, field) -> None:
        max_age = FORM_TOKEN_MAX_AGE.total_seconds()
        try:
            signed_for = self._signer().loads(field.data or "", max_age=max_age)
        except BadData:
            signed_for = None
        if signed_for != self.sticker:
            raise ValidationError(
                _l(
                    "This page was open too long or was sent from elsewhere. "
                    "Check what you typed and send it again."
                )
            )


class StickerRequestForm(ServiceRequestForm):
    """The request form on a sticker's public page; build it with
    `meta={"csrf_context": unit.qr_token}`."""

    class Meta:
        csrf_class = StickerFormToken


class LabelCodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET look-up that changes nothing

    code = StringField(
        _l("Code printed on the sticker"), validators=[DataRequired(), Length(max=20)]
    )


class ConfirmVisitForm(FlaskForm):
    """One button: pressing it (not opening the e-mail's link) confirms."""


class CancelVisitForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you cancelling?"), validators=[DataRequired(), Length(max=500)]
    )
