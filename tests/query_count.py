"""Counting the SQL statements a block of test code makes (for "query count does not grow")."""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db
from portal.kept_pages import PAGES as PORTAL_PAGES


@contextmanager
def counting_queries(app, *, drop_kept_pages: bool = True):
    """Collect the SQL statements run inside the block, from any session on the app's engine.
    Portal pages kept from before the block are dropped unless asked not to: what is counted is
    what showing a page costs, not sending a copy kept a moment ago (portal/kept_pages.py)."""
    statements = []
    if drop_kept_pages:
        PORTAL_PAGES.drop_all(app)

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
