"""Document numbers (WO-000123, INV-000123, ...) drawn from a counter table, never by counting rows.

The counter row is updated in the same transaction as the insert, so on PostgreSQL two
concurrent inserts queue on the row lock and never get the same number, and a rolled-back
insert gives its number back.
"""

from sqlalchemy import String, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db


class NumberSequence(db.Model):
    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class Numbered:
    """Mixin for records that carry a document number; set NUMBER_PREFIX on the class."""

    NUMBER_PREFIX: str = ""


def allocate(connection, prefix: str, count: int = 1) -> range:
    """Reserve `count` consecutive numbers for `prefix` and return them."""
    table = NumberSequence.__table__
    last = connection.execute(
        update(table)
        .where(table.c.name == prefix)
        .values(last_value=table.c.last_value + count)
        .returning(table.c.last_value)
    ).scalar()
    if last is None:
        connection.execute(table.insert().values(name=prefix, last_value=count))
        last = count
    return range(last - count + 1, last + 1)


def format_number(prefix: str, value: int) -> str:
    return f"{prefix}-{value:06d}"


@event.listens_for(Session, "before_flush")
def _number_new_records(session: Session, flush_context, instances) -> None:
    pending: dict[str, list] = {}
    for obj in session.new:
        if isinstance(obj, Numbered) and not obj.number:
            pending.setdefault(obj.NUMBER_PREFIX, []).append(obj)
    for prefix, objs in pending.items():
        for obj, value in zip(objs, allocate(session.connection(), prefix, len(objs)), strict=True):
            obj.number = format_number(prefix, value)
