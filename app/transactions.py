"""Which requests run in a database transaction: the portal's pages that only show run outside
one; everything that changes something runs in one, as before.

In PostgreSQL's READ COMMITTED (the default) every statement of a transaction reads its own
snapshot anyway, so a page that only reads sees the same rows with or without one. Without
one it skips two round trips (BEGIN, and the ROLLBACK that ends every request), and psycopg
keeps the statements it has prepared: it forgets them all on each ROLLBACK, so PostgreSQL
parsed and planned every query of every request again (issue 16: about 60% of its time on
a portal page).
"""

from flask import request

from app.extensions import db

SHOWING = ("GET", "HEAD")


def read_outside_transaction() -> None:
    """A `before_request` hook: a GET's or HEAD's connection in autocommit. The rare write on
    such a request (the portal's messages page marking what it shows as read: one UPDATE)
    stands once it has run, as its commit right after would make it; after a commit the session
    takes a new connection, in a transaction as usual. A session already in a transaction
    (some earlier hook read from the database) is left as it is."""
    if request.method in SHOWING and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
