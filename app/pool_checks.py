"""A pooled connection is checked before each use, without a round trip to the database.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` at every checkout: a round trip on every request
(issue 16). A connection the server has closed (PostgreSQL restarted, a proxy dropped it) has
something to read on its socket, the server's goodbye or the end of the stream, where an idle
healthy connection has nothing. So a checkout looks at the socket without waiting: nothing to
read, the connection is used as it is; something to read, it is pinged as before, and one that
does not answer is replaced by a new one (the pool's own retry on DisconnectionError).

A background thread or worker job ends its session with `release_session()`, which discards a
connection the database dropped under it instead of rolling it back.
"""

import select

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, DisconnectionError

from app.extensions import db


def check_connections_on_checkout(engine: Engine) -> None:
    """Replace closed connections of `engine`'s pool as they are checked out."""
    dialect = engine.dialect
    failures = (OSError, ValueError, dialect.loaded_dbapi.Error)

    @event.listens_for(engine.pool, "checkout")
    def drop_closed(dbapi_connection, connection_record, connection_proxy) -> None:
        fileno = getattr(dbapi_connection, "fileno", None)
        if fileno is None:  # SQLite: a file, nothing to lose
            return
        try:
            readable, _, _ = select.select([fileno()], [], [], 0)
            if readable:
                dialect.do_ping(dbapi_connection)
        except failures:
            raise DisconnectionError() from None


def release_session() -> None:
    """End the scoped session of a thread or job, handing its connection back to the pool.
    One the database dropped under it (a restart) cannot be rolled back: that would raise
    again out of the clean-up (and skip what follows it), so it is discarded instead."""
    try:
        db.session.remove()
    except DBAPIError:
        db.session().invalidate()
        db.session.remove()
