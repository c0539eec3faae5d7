"""Emptying every table after a test, only when something may have written to the database.

Tests commit for real (a background thread or worker must see what a test wrote), so the
tables are emptied after a test instead of rolling a transaction back. Most tests only read
or never touch the database, and emptying 40-odd tables costs more than many whole tests: a
listener on every engine in this process notes any statement that is not a read, and the wipe
runs only after one. Another process writing to the test database (an RQ worker, gunicorn, a
server in a subprocess) cannot be seen from here: whatever starts one calls `written_elsewhere()`.
"""

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app.extensions import db

# Statements that change nothing; anything else (including SAVEPOINT, CREATE) counts as a write.
_READS = ("SELECT", "PRAGMA", "SHOW", "EXPLAIN")


class _Writes:
    seen = True  # the schema was just created


def _note(conn, cursor, statement: str, parameters, context, executemany) -> None:
    if not statement.lstrip()[:7].upper().startswith(_READS):
        _Writes.seen = True


event.listen(Engine, "before_cursor_execute", _note)


def written_elsewhere() -> None:
    """Another process is writing to the test database: empty the tables after this test."""
    _Writes.seen = True


def empty_tables_if_written() -> bool:
    """Empty every table if anything may have written since the last time; True if it did."""
    if not _Writes.seen:
        return False
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()
    _Writes.seen = False
    return True
