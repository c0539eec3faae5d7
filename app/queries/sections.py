"""A section of a dashboard or a record's page: the first few rows of a list and how many
there are in all. The office's dashboard, the customer's home page and the customer, property
and unit pages in the back office all list through `section`."""

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass
class Section:
    rows: list = field(default_factory=list)
    count: int = 0
    total_cents: int = 0

    @property
    def more(self) -> bool:
        """Whether the list goes on past the rows shown."""
        return self.count > len(self.rows)


def count_rows(statement: Select) -> int:
    """How many rows `statement` returns."""
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))


def section(statement: Select, limit: int, *options) -> Section:
    """The first `limit` rows of `statement` (loaded with `options`) and the count of all."""
    rows = db.session.scalars(statement.options(*options).limit(limit)).unique().all()
    return Section(rows=list(rows), count=count_rows(statement))
