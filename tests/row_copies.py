"""Records put back into emptied tables from a copy of their rows instead of built again.

`flask seed-demo` takes seconds (thousands of rows built one by one, files drawn and stored),
and many modules build the same records with factories and services before each of their
tests, which costs more than the test. Putting the rows back takes a fraction of that. So the
demo (`demo_in_empty_tables`) and a module's records (`built_once`) are built once per test
process, their rows are read into memory, and every later test that needs them in emptied
tables gets those rows inserted again. The stored files the rows name stay in the test storage,
which no test empties. On PostgreSQL the id sequences are moved past the copied ids, as
building left them.
"""

import copy
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import func, select

from app.extensions import db
from tests.clean_tables import tables_untouched

T = TypeVar("T")


class RowCopy:
    """Every row of every table, as the session sees them now."""

    def __init__(self):
        self.rows = {
            table: [dict(row) for row in db.session.execute(select(table)).mappings()]
            for table in db.metadata.sorted_tables
        }

    def put_back(self) -> None:
        """Insert the rows into the (empty) tables and commit."""
        for table, rows in self.rows.items():
            if rows:
                db.session.execute(table.insert(), rows)
        if db.engine.dialect.name == "postgresql":
            self._move_id_sequences()
        db.session.commit()

    def _move_id_sequences(self) -> None:
        for table, rows in self.rows.items():
            if rows and "id" in table.c:  # a table without an id sequence: setval(NULL) is NULL
                last = max(row["id"] for row in rows)
                db.session.execute(
                    select(func.setval(func.pg_get_serial_sequence(table.name, "id"), last))
                )


class _Demo:
    output: str | None = None  # `flask seed-demo`'s output
    rows: RowCopy | None = None


def demo_in_empty_tables(app) -> str:
    """Put the demo into the (empty) tables and commit; returns the seed command's output."""
    if _Demo.rows is None:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        _Demo.rows, _Demo.output = RowCopy(), result.output
        db.session.rollback()
        return result.output
    _Demo.rows.put_back()
    return _Demo.output


_built: dict[Callable, tuple[object, RowCopy]] = {}


def built_once(app, build: Callable[[], T]) -> T:
    """What `build()` writes, committed in the empty tables, and (a copy of) what it returned,
    which should be plain data (ids, names), not records of a session that is gone.

    The first call in a process runs `build` in an app context; later calls put its rows back.
    A fixture that uses this must be the first to write in its test (the copy is of every
    table): anything written before it fails the test here rather than doubling rows.
    """
    with app.app_context():
        assert tables_untouched(), "built_once() needs the tables empty: something wrote first"
        if build in _built:
            value, rows = _built[build]
            rows.put_back()
        else:
            value = build()
            db.session.commit()
            _built[build] = (value, RowCopy())
        db.session.remove()
    return copy.deepcopy(value)
