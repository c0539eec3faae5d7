from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired, Email, Length


class LoginLinkForm(FlaskForm):
    email = EmailField(
        _l("Your e-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )


class SignInForm(FlaskForm):
    """The button behind a link: signing in takes a POST, so mail scanners cannot use links up."""

    next = HiddenField()
