"""Reads of the portal's quotes: the customer's list and one quote with its lines."""

from datetime import date
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, bindparam, case, func, or_
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Quote, Unit
from app.models.enums import QuoteStatus
from app.queries.filters import at_property
from app.queries.paging import paginate
from app.scoping import ANY_CUSTOMER, CustomerScope


def quote_list(
    customer: CustomerScope, property_id: int | None, today: date, page: str | None
) -> Pagination:
    """A page of the customer's quotes (of the property, if one is chosen, and its units):
    those waiting for a decision first, the soonest to lapse first, then the decided ones,
    the latest first."""
    parameters = {**customer.bound(), "today": today, "property_id": property_id}
    return paginate(_quote_list(property_id is not None), page, parameters=parameters)


def customer_quote(customer: CustomerScope, quote_id: int) -> Quote | None:
    """One of the customer's quotes with its lines (None if it is not theirs: the caller's 404)."""
    return db.session.scalar(
        customer.select(Quote)
        .where(Quote.id == quote_id)
        .options(
            selectinload(Quote.lines),
            joinedload(Quote.property),
            joinedload(Quote.unit).joinedload(Unit.property),
        )
    )


@cache
def _quote_list(by_property: bool) -> Select:
    """The list's statement, built once for every customer (ANY_CUSTOMER) with a property or
    without: building it costs about as much as running it."""
    waiting = and_(
        Quote.status == QuoteStatus.SENT,
        or_(Quote.valid_until.is_(None), Quote.valid_until >= bindparam("today")),
    )
    statement = ANY_CUSTOMER.select(Quote).order_by(
        case((waiting, 0), else_=1),
        case((waiting, Quote.valid_until)),
        func.coalesce(Quote.decided_at, Quote.sent_at, Quote.created_at).desc(),
        Quote.id.desc(),
    )
    if by_property:
        statement = statement.where(at_property(Quote))
    return statement.options(
        joinedload(Quote.property), joinedload(Quote.unit).joinedload(Unit.property)
    )
