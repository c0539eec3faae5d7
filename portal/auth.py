"""Who is signed into the portal, and the customer scope every portal query goes through."""

from functools import wraps

from flask import redirect, request, url_for
from flask_login import current_user

from app.auth.redirects import next_within
from app.models import PortalUser
from app.scoping import CustomerScope
from portal import bp


def current_portal_user() -> PortalUser | None:
    user = current_user._get_current_object()
    return user if isinstance(user, PortalUser) and user.is_active else None


def portal_login_required(view):
    """Portal pages: signed-in portal users only; everyone else goes to the portal sign-in."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_portal_user() is None:
            here = request.full_path if request.query_string else request.path
            return redirect(url_for("portal.login", next=here))
        return view(*args, **kwargs)

    return wrapper


def scope() -> CustomerScope:
    """The signed-in portal user's customer scope."""
    return CustomerScope(current_portal_user().customer_id)


def portal_next(target: str | None) -> str:
    """Where to go after signing in: a portal page, never anywhere else."""
    return next_within(target, bp.url_prefix, url_for("portal.dashboard"))
