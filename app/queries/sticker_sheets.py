"""Reads behind printing sticker sheets: which units a selection of records holds."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Unit


def unit_ids_under(owner_column, owner_ids: list[int]) -> list[int]:
    """The ids of the units whose `owner_column` (`Property.customer_id` or `Unit.property_id`)
    is one of `owner_ids`."""
    return db.session.scalars(
        select(Unit.id).join(Unit.property).where(owner_column.in_(owner_ids))
    ).all()


def unit_count(unit_ids: list[int]) -> int:
    """How many of these ids are units still (a selection may name units deleted since)."""
    if not unit_ids:
        return 0
    return db.session.scalar(select(func.count()).where(Unit.id.in_(unit_ids)))
