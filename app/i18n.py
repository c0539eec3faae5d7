"""Languages: the browser's choice, or the one picked with the switcher (kept in the session)."""

from flask import Blueprint, has_request_context, redirect, request, session

from app.auth.redirects import safe_next

LANGUAGES = {"en": "English", "es": "Español"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if not has_request_context():  # jobs and commands: the default language
        return "en"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


@bp.post("/language")
def switch_language():
    """Remember the language picked with the switcher, then go back where the person was."""
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return redirect(safe_next(request.form.get("next"), "/"))
