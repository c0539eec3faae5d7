"""One page of a list: every paged page (the portal's lists, the history, the admin's dispatch
and conversations) goes through `paginate` and shows `templates/_pager.html`."""

from functools import lru_cache

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, bindparam, func

from app.extensions import db
from app.ids import record_id

PER_PAGE = 20


@lru_cache(maxsize=256)
def _counted_pages(statement: Select) -> Select:
    """`statement` a page at a time, each row with the count of all (a window over the whole
    result); the page's size and start are parameters. Kept per statement: the statements
    paged this way are built once, and building this one again, with its cache key, would cost
    a page more than running it."""
    return (
        statement.add_columns(func.count().over())
        .limit(bindparam("page_size"))
        .offset(bindparam("page_start"))
    )


class CountedPagination(SelectPagination):
    """Flask-SQLAlchemy's pagination with the total read in the rows' own query: the count
    rides on each row as a window over the whole result. A first page with no rows is an empty
    list, counted 0 with no second query; a page past the end reads the first row's count on
    its own."""

    def _rows(self, size: int, start: int) -> list:
        parameters = {**self._query_args["parameters"], "page_size": size, "page_start": start}
        session = self._query_args["session"]
        return session.execute(self._query_args["select"], parameters).unique().all()

    def _query_items(self) -> list:
        rows = self._rows(self.per_page, self._query_offset)
        if rows:
            self._counted = rows[0][1]
        else:
            self._counted = 0 if self._query_offset == 0 else None
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        if self._counted is not None:
            return self._counted
        first = self._rows(1, 0)
        return first[0][1] if first else 0


def paginate(
    statement: Select,
    typed: str | None,
    per_page: int | None = None,
    *,
    parameters: dict | None = None,
) -> Pagination:
    """The page of `statement`'s rows asked for by `typed`, the page number as it came in the
    URL: unreadable is the first page, past the end the last (a link kept from before rows went
    away still shows rows). Built on Flask-SQLAlchemy's pagination, as `db.paginate` is.

    `parameters`: `statement` was built once (through app.scoping.ANY_CUSTOMER) and runs with
    these bound values; its rows and total are read in one query (CountedPagination). For lists
    bounded by one customer, not whole tables: the window keeps every matching row until it has
    counted them, where a separate count reads them but an ordered page can stop at its last."""
    per_page = per_page or PER_PAGE  # read at call time, so tests can shorten pages
    number = record_id(typed) or 1
    if parameters is not None:
        kind, paged = CountedPagination, _counted_pages(statement)
    else:
        kind, paged = SelectPagination, statement  # what db.paginate makes

    def page(number: int) -> Pagination:
        return kind(
            select=paged,
            parameters=parameters,
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
