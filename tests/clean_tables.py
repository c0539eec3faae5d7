"""Emptying every table after a test, only when something may have written to the database.

Tests commit for real (a background thread or worker must see what a test wrote), so the
tables are emptied after a test instead of rolling a transaction back. Most tests only read
or never touch the database, and emptying 40-odd tables costs more than many whole tests: a
listener on every engine in this process notes any statement that is not a read, and the wipe
runs only after one. Another process writing to the test database (an RQ worker, gunicorn, a
server in a subprocess) cannot be seen from here: whatever starts one calls `written_elsewhere()`.

The demo is seeded once for the tests that only read it (`seeded_demo` in conftest.py): it is
kept while nothing writes, and forgotten (emptied with the rest) as soon as something does.
"""

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app.extensions import db

# Statements that change nothing; anything else (including SAVEPOINT, CREATE) counts as a write.
_READS = ("SELECT", "PRAGMA", "SHOW", "EXPLAIN")


class _Writes:
    seen = True  # the schema was just created
    demo: str | None = None  # `flask seed-demo`'s output while the demo is in the tables


def _note(conn, cursor, statement: str, parameters, context, executemany) -> None:
    if not statement.lstrip()[:7].upper().startswith(_READS):
        _Writes.seen = True


event.listen(Engine, "before_cursor_execute", _note)


def written_elsewhere() -> None:
    """Another process is writing to the test database: empty the tables after this test."""
    _Writes.seen = True


def tables_untouched() -> bool:
    """Nothing has written since the tables were last emptied (and the demo is not there)."""
    return not _Writes.seen and _Writes.demo is None


def kept_demo() -> str | None:
    """The seed command's output if the demo is in the tables, untouched since it was seeded."""
    return _Writes.demo


def keep_demo(output: str) -> str:
    """The demo was just seeded: keep it for the next tests that read it."""
    _Writes.seen, _Writes.demo = False, output
    return output


def empty_tables_if_written(*, or_demo: bool = False) -> bool:
    """Empty every table if anything may have written since the last time (or, with `or_demo`,
    if the demo is there); True if it did."""
    if not (_Writes.seen or (or_demo and _Writes.demo)):
        return False
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()
    _Writes.seen, _Writes.demo = False, None
    return True
