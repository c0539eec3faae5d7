"""Batched inserts for the demo, plus the emptiness check and the reset that come before it."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, insert, inspect, select, text, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.numbering import NumberSequence, allocate, format_number

COUNTERS = NumberSequence.__table__

BATCH_SIZE = 5000


class RowWriter:
    """Inserts lists of row dicts a batch at a time and counts the rows per table."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.counts: Counter[str] = Counter()

    # Core inserts on the table, not ORM bulk inserts: the ORM leaves None values out and so
    # splits rows with different NULL columns into many small statements.

    def insert(self, model, rows: list[dict]) -> None:
        """Insert `rows` (dicts with the same keys) into the model's table."""
        for start in range(0, len(rows), BATCH_SIZE):
            self.session.execute(insert(model.__table__), rows[start : start + BATCH_SIZE])
        self.counts[model.__tablename__] += len(rows)

    def insert_returning_ids(self, model, rows: list[dict]) -> list[int]:
        """Insert `rows` and return their new primary keys, in the order of `rows`."""
        table = model.__table__
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids: list[int] = []
        for start in range(0, len(rows), BATCH_SIZE):
            ids.extend(self.session.scalars(statement, rows[start : start + BATCH_SIZE]))
        self.counts[model.__tablename__] += len(rows)
        return ids

    @contextmanager
    def counting_orm_rows(self) -> Iterator[None]:
        """Count the rows the ORM inserts inside the block too (the services the demo runs a
        job through)."""

        def count(session, context, instances) -> None:
            self.counts.update(type(row).__tablename__ for row in session.new)

        event.listen(self.session, "before_flush", count)
        try:
            yield
        finally:
            event.remove(self.session, "before_flush", count)

    def numbers(self, prefix: str, count: int) -> list[str]:
        """`count` consecutive document numbers (WO-000123, ...) from the shared sequence."""
        if count == 0:
            return []
        values = allocate(self.session.connection(), prefix, count)
        return [format_number(prefix, value) for value in values]


def missing_tables() -> list[str]:
    """Tables of the models that the database does not have yet (no `flask db upgrade`)."""
    inspector = inspect(db.engine)
    return [t.name for t in db.metadata.sorted_tables if not inspector.has_table(t.name)]


def tables_with_rows() -> list[str]:
    """Names of the tables that hold at least one row (document-number counters aside:
    `flask db upgrade` creates those in an otherwise empty database)."""
    return [
        table.name
        for table in db.metadata.sorted_tables
        if table is not COUNTERS
        and db.session.scalar(select(func.count()).select_from(select(table).limit(1).subquery()))
    ]


def delete_all_rows() -> None:
    """Empty every table, children before parents, and restart the document numbers.

    The session then forgets the records it held: their rows are gone, and a new seed may
    reuse their ids (SQLite does), which the ORM would take for the old records."""
    for table in reversed(db.metadata.sorted_tables):
        if table is COUNTERS:
            db.session.execute(update(table).values(last_value=0))
        else:
            db.session.execute(table.delete())
    db.session.expunge_all()


def refresh_planner_statistics() -> None:
    """ANALYZE every table, so the query planner knows the bulk-written sizes at once (without
    it, PostgreSQL chose sequential scans at 100k work orders until autovacuum came round)."""
    db.session.execute(text("ANALYZE"))
