"""The one user loader: session ids are "staff:<id>" or "portal:<id>", and the session must
belong to an open sign-in (app.auth.sessions)."""

from flask import session

from app.auth.sessions import session_user
from app.models import PortalUser, StaffUser

_KINDS = {"staff": StaffUser, "portal": PortalUser}


def load_user(user_id: str):
    """The signed-in user, or None when the id is malformed, unknown or disabled, or the
    session was ended or ran out (then it is forgotten)."""
    kind, _, raw_id = user_id.partition(":")
    model = _KINDS.get(kind)
    if model is None or not raw_id.isdigit():
        return None
    user = session_user(model, int(raw_id))
    if user is None or not user.is_active:
        session.clear()
        return None
    return user
