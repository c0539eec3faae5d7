"""One shape for a view's write: commit what the services did, or roll it back and say why."""

from collections.abc import Callable, Iterator
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


def commit_or_mark_field(form, error: type[Exception], service: Callable, *args, **kwargs) -> bool:
    """Call `service(*args, **kwargs)` and commit; on `error` (which names the form field it is
    about in `.field`), roll back and show its message on that field. True when committed."""
    try:
        service(*args, **kwargs)
    except error as refused:
        db.session.rollback()
        form[refused.field].errors.append(str(refused))
        return False
    db.session.commit()
    return True
