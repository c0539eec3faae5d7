"""Holding rows until the transaction commits, the same way on both databases.

Two requests that read, decide and write about the same rows (two tabs paying one invoice, two
dispatchers booking one technician) must take turns: the second waits for the first to commit,
then reads what it wrote. PostgreSQL: SELECT … FOR UPDATE, in id order so two holders never
deadlock. SQLite has no row locks and ignores FOR UPDATE; a no-op UPDATE of the rows takes the
database's write lock at once (what BEGIN IMMEDIATE does), so the second writer waits there.
The no-op UPDATE changes no column: no version counter moves, and there are no `onupdate`s.
"""

from sqlalchemy import select, update

from app.extensions import db


def hold_rows(model, ids) -> None:
    """Hold the `model` rows with these ids until the caller commits or rolls back."""
    ids = sorted(set(ids))
    if not ids:
        return
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(model).where(model.id.in_(ids)).values(id=model.id))
    else:
        db.session.execute(
            select(model.id).where(model.id.in_(ids)).order_by(model.id).with_for_update()
        )
