"""Counts of this process's writes to chosen tables, for copies of rows kept between requests:
a copy read at count n stands while the count is still n (app.services.company's settings,
qr.kept_pages' sticker pages). Writes made by other processes are not seen here; the caches
bound those by time."""

from dataclasses import dataclass

from sqlalchemy import Engine, event

_NOTES = "tables_written"  # on the connection: the counters its open transaction bumped


@dataclass(eq=False)
class TableWrites:
    """Bumped by every statement of this process that writes one of `tables`, and again when
    that statement's transaction ends (so a copy read before the commit is not kept either)."""

    tables: tuple[str, ...]
    count: int = 0

    def bump(self) -> None:
        """Count a change made without a statement this process saw (drop every copy)."""
        self.count += 1


_watched: list[TableWrites] = []


def watch_writes(*tables: str) -> TableWrites:
    """A counter of this process's writes to any of `tables` (created once, at import)."""
    counter = TableWrites(tables)
    _watched.append(counter)
    return counter


@event.listens_for(Engine, "after_cursor_execute")
def _note_write(conn, cursor, statement: str, parameters, context, executemany) -> None:
    if statement.lstrip()[:6].upper() == "SELECT":
        return
    for counter in _watched:
        if any(table in statement for table in counter.tables):
            counter.bump()
            conn.info.setdefault(_NOTES, set()).add(counter)


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _note_end(conn) -> None:
    if conn.invalidated:
        # The database connection was lost mid-transaction (a restart): its notes went with it,
        # and asking for them would raise. Whatever it wrote may or may not stand; forget copies.
        for counter in _watched:
            counter.bump()
        return
    for counter in conn.info.pop(_NOTES, ()):
        counter.bump()
