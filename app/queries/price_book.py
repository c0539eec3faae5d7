"""Reads of the price book: the items a new line may be chosen from, on the job page, in a
finding and in the office's work-order form."""

from sqlalchemy import select

from app.extensions import db
from app.models import PriceBookItem


def offered_items() -> list[PriceBookItem]:
    """The price book items a new line may be chosen from (retired ones are not offered)."""
    return db.session.scalars(
        select(PriceBookItem).where(PriceBookItem.active.is_(True)).order_by(PriceBookItem.code)
    ).all()


def active_item(item_id: int | None) -> PriceBookItem | None:
    """A price book item still on offer, by id."""
    if item_id is None:
        return None
    return db.session.scalar(
        select(PriceBookItem).where(PriceBookItem.id == item_id, PriceBookItem.active.is_(True))
    )
