"""One page of a list: every paged page (the portal's lists, the history, the admin's dispatch
and conversations) goes through `paginate` and shows `templates/_pager.html`."""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.extensions import db
from app.ids import record_id

PER_PAGE = 20


def paginate(statement: Select, typed: str | None, per_page: int | None = None) -> Pagination:
    """The page of `statement`'s rows asked for by `typed`, the page number as it came in the
    URL: unreadable is the first page, past the end the last (a link kept from before rows went
    away still shows rows). Built on Flask-SQLAlchemy's `db.paginate`."""
    per_page = per_page or PER_PAGE  # read at call time, so tests can shorten pages
    number = record_id(typed) or 1
    found = db.paginate(statement, page=number, per_page=per_page, error_out=False)
    if number > found.pages > 0:
        found = db.paginate(statement, page=found.pages, per_page=per_page, error_out=False)
    return found
