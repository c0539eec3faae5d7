"""The one base for errors whose message is meant for people.

A service raises a `UserError` subclass when what was asked cannot be done; its message is safe
to show to whoever asked (no ids, no internals) and is written with `_l()`/`_()` so it reaches
them in their language. Views catch the subclass they expect and show `str(error)`.
Pure: no Flask, no database, so the compliance engine can use it too.
"""


class UserError(ValueError):
    """Something asked for cannot be done; the message says why, in words safe to show.

    A ValueError, so callers that catch ValueError keep working.
    """


class FieldError(UserError):
    """A UserError about one field of a form: `field` names it (None: the form as a whole)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
