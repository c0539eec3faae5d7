"""The one user loader: session ids are "staff:<id>" or "portal:<id>"."""

from app.extensions import db
from app.models import PortalUser, StaffUser

_KINDS = {"staff": StaffUser, "portal": PortalUser}


def load_user(user_id: str):
    """The signed-in user, or None when the id is malformed, unknown or disabled."""
    kind, _, raw_id = user_id.partition(":")
    model = _KINDS.get(kind)
    if model is None or not raw_id.isdigit():
        return None
    user = db.session.get(model, int(raw_id))
    return user if user is not None and user.is_active else None
