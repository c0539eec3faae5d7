"""A dashboard section: the first few rows of a list and how many there are in all."""

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass
class Section:
    rows: list = field(default_factory=list)
    count: int = 0
    total_cents: int = 0


def count_rows(statement: Select) -> int:
    """How many rows `statement` returns."""
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))


def section(statement: Select, limit: int, *options) -> Section:
    """The first `limit` rows of `statement` (loaded with `options`) and the count of all."""
    rows = db.session.scalars(statement.options(*options).limit(limit)).unique().all()
    return Section(rows=list(rows), count=count_rows(statement))
