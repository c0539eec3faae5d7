"""The seeded demo, put back into the tables from a copy instead of seeded again.

`flask seed-demo` takes seconds (thousands of rows built one by one, files drawn and stored);
putting its rows back takes a fraction of that. So the demo is seeded once per test process,
its rows are read into memory, and every later test that needs the demo in emptied tables gets
those rows inserted again. The stored files the rows name stay in the test storage, which no
test empties. On PostgreSQL the id sequences are moved past the copied ids, as seeding left them.
"""

from sqlalchemy import Table, func, select

from app.extensions import db


class _Copy:
    output: str | None = None  # `flask seed-demo`'s output
    rows: dict[Table, list[dict]] = {}


def demo_in_empty_tables(app) -> str:
    """Put the demo into the (empty) tables and commit; returns the seed command's output."""
    if _Copy.output is None:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        _Copy.rows = {
            table: [dict(row) for row in db.session.execute(select(table)).mappings()]
            for table in db.metadata.sorted_tables
        }
        _Copy.output = result.output
        db.session.rollback()
        return result.output
    for table, rows in _Copy.rows.items():
        if rows:
            db.session.execute(table.insert(), rows)
    if db.engine.dialect.name == "postgresql":
        _move_id_sequences()
    db.session.commit()
    return _Copy.output


def _move_id_sequences() -> None:
    for table, rows in _Copy.rows.items():
        if rows and "id" in table.c:  # a table without an id sequence: setval(NULL) is NULL
            last = max(row["id"] for row in rows)
            db.session.execute(
                select(func.setval(func.pg_get_serial_sequence(table.name, "id"), last))
            )
