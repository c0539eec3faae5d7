"""One page of a list: every paged page (the portal's lists, the history, the admin's dispatch
and conversations) goes through `paginate` and shows `templates/_pager.html`."""

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func

from app.extensions import db
from app.ids import record_id

PER_PAGE = 20


class CountedPagination(SelectPagination):
    """Flask-SQLAlchemy's pagination with the total read in the rows' own query: the count
    rides on each row as a window over the whole result (a page with no rows, the first of an
    empty list or one past the end, still counts on its own)."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].add_columns(func.count().over())
        rows = (
            self._query_args["session"]
            .execute(statement.limit(self.per_page).offset(self._query_offset))
            .unique()
            .all()
        )
        self._counted = rows[0][1] if rows else None
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        return self._counted if self._counted is not None else super()._query_count()


def paginate(
    statement: Select, typed: str | None, per_page: int | None = None, *, one_query: bool = False
) -> Pagination:
    """The page of `statement`'s rows asked for by `typed`, the page number as it came in the
    URL: unreadable is the first page, past the end the last (a link kept from before rows went
    away still shows rows). Built on Flask-SQLAlchemy's pagination, as `db.paginate` is.

    `one_query`: rows and total in one query (CountedPagination), for lists bounded by one
    customer. Not for whole tables: the window keeps every matching row until it has counted
    them, where a separate count reads them but an ordered page can stop at its last row."""
    per_page = per_page or PER_PAGE  # read at call time, so tests can shorten pages
    number = record_id(typed) or 1

    kind = CountedPagination if one_query else SelectPagination  # what db.paginate makes

    def page(number: int) -> Pagination:
        return kind(
            select=statement,
            session=db.session(),
            page=number,
            per_page=per_page,
            max_per_page=None,
            error_out=False,
        )

    found = page(number)
    if number > found.pages > 0:
        found = page(found.pages)
    return found
