"""Languages: the browser's choice, or the one picked with the switcher (kept in the session),
and the one each portal user's e-mails are written in."""

from flask import Blueprint, current_app, has_request_context, redirect, request, session
from flask_login import current_user

from app.auth.redirects import safe_next
from app.extensions import db
from app.models import PortalUser

LANGUAGES = {"en": "English", "es": "Español"}

bp = Blueprint("i18n", __name__)


def language_of(user: PortalUser) -> str:
    """The language to write to a portal user in: the one they last used, else the default."""
    if user.language in LANGUAGES:
        return user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(user: PortalUser, language: str) -> None:
    """The portal user reads `language` now (signed in with it, or picked it): their e-mails
    follow it."""
    if language in LANGUAGES:
        user.language = language


def select_locale() -> str:
    if not has_request_context():  # jobs and commands: the default language
        return "en"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


@bp.post("/language")
def switch_language():
    """Remember the language picked with the switcher (a portal user's e-mails follow it too),
    then go back where the person was."""
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        user = current_user._get_current_object()
        if isinstance(user, PortalUser):
            remember_language(user, chosen)
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), "/"))
