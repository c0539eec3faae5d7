"""Spending a single-use link exactly once, even when two clicks arrive at the same moment."""

from sqlalchemy import update

from app.errors import UserError
from app.extensions import db
from app.models.base import utcnow


def spend_once(model, link_id: int, spent: UserError, **values) -> None:
    """Mark the `model` row `link_id` used now (with `values`), or raise `spent` if it already was.

    One conditional UPDATE, so of two requests racing for the same link only one wins.
    """
    used = db.session.execute(
        update(model)
        .where(model.id == link_id, model.used_at.is_(None))
        .values(used_at=utcnow(), **values)
    )
    if used.rowcount != 1:
        raise spent
