"""A section of a dashboard or a record's page: the first few rows of a list and how many
there are in all. The office's dashboard, the customer's home page and the customer, property
and unit pages in the back office all list through `section`."""

from dataclasses import dataclass, field

from sqlalchemy import Select, func

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


def section(statement: Select, limit: int, *options) -> Section:
    """The first `limit` rows of `statement` (loaded with `options`) and the count of all, in
    one query (the count rides on each row as a window over the whole result)."""
    return read_section(counted(statement, limit, *options))


def counted(statement: Select, limit: int, *options) -> Select:
    """`statement`'s first `limit` rows, loaded with `options`, each with the count of all: a
    statement `read_section` runs (a page may build it once and run it with parameters)."""
    return statement.add_columns(func.count().over()).options(*options).limit(limit)


def read_section(statement: Select, parameters: dict | None = None) -> Section:
    """The section a `counted` statement reads with `parameters`."""
    found = db.session.execute(statement, parameters or {}).unique().all()
    if not found:
        return Section()
    return Section(rows=[row[0] for row in found], count=found[0][1])
