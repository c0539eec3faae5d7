"""One shape for a view's write: commit what the services did, or roll it back and say why."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import flash

from .extensions import db


@contextmanager
def commit_or_flash(*errors: type[Exception]) -> Iterator[None]:
    """Commit the block's changes; on one of `errors`, roll them back and flash its message.

    The error is swallowed, so the view goes on to its redirect either way; what the block
    flashes after its service call is shown only when the change went through.
    """
    try:
        yield
    except errors as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
