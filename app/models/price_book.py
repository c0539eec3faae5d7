"""The price book: what the company charges for its usual work, parts and fees."""

from sqlalchemy import String, true
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import TimestampMixin, enum_column
from app.models.enums import LineKind


class PriceBookItem(TimestampMixin, db.Model):
    """One priced item; work-order lines chosen from it copy its code, words, kind and price
    (later price changes do not reach lines already recorded)."""

    __tablename__ = "price_book_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(String(240))
    kind: Mapped[LineKind] = enum_column(LineKind, default=LineKind.PART)
    price_cents: Mapped[int] = mapped_column(default=0)
    taxable: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Retired items stay for the lines that used them but are no longer offered.
    active: Mapped[bool] = mapped_column(default=True, server_default=true(), index=True)

    def __str__(self) -> str:
        return f"{self.code} {self.description}"
