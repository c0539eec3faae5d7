"""Where sign-in sends people, and back again, without ever leaving the site."""

from flask import redirect, request, url_for


def to_sign_in():
    """Redirect to the staff sign-in page, coming back to this page afterwards."""
    here = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=here))


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, otherwise `default`."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
