"""Reads of the price book for the office's work-order forms."""

from sqlalchemy import select

from app.extensions import db
from app.models import PriceBookItem


def price_book_items() -> list[PriceBookItem]:
    """Every item by code, retired ones too: a line that used a retired item must still find
    it among the office form's choices (the job page offers only `job.offered_items()`)."""
    return db.session.scalars(select(PriceBookItem).order_by(PriceBookItem.code)).all()
