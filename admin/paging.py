"""Page numbers for the custom admin pages (dispatch, conversations) that page by hand."""

from flask import request

from app.ids import record_id

PAGE_SIZE = 20


def page_count(total: int) -> int:
    return max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)


def page_asked(total: int) -> int:
    """The page asked for in the query string: unreadable is the first, past the end the last."""
    return min(record_id(request.args.get("page")) or 1, page_count(total))
