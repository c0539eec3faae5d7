"""Reads of the documents the office shared: the portal's filtered list and its kinds."""

from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Document, Unit
from app.models.enums import DocumentKind
from app.queries.filters import Filters, at_property
from app.queries.paging import paginate
from app.scoping import ANY_CUSTOMER, CustomerScope


def document_kinds(customer: CustomerScope) -> list[DocumentKind]:
    """The kinds the customer has documents of, in the order the kinds are declared."""
    present = set(db.session.scalars(_KINDS, customer.bound()))
    return [kind for kind in DocumentKind if kind in present]


def document_list(customer: CustomerScope, filters: Filters, page: str | None) -> Pagination:
    """A page of the customer's documents matching `filters`, newest first; a property's
    documents include those of its units."""
    parameters = {
        **customer.bound(),
        "kind": filters.kind,
        "property_id": filters.prop.id if filters.prop else None,
        "unit_id": filters.unit.id if filters.unit else None,
    }
    statement = _documents(bool(filters.kind), bool(filters.prop), bool(filters.unit))
    return paginate(statement, page, parameters=parameters)


# The statements are built once for every customer (ANY_CUSTOMER) and combination of filters:
# building a select costs about as much as running it.
_KINDS = select(Document.kind).where(ANY_CUSTOMER.where(Document)).distinct()


@cache
def _documents(by_kind: bool, by_property: bool, by_unit: bool) -> Select:
    statement = ANY_CUSTOMER.select(Document)
    if by_kind:
        statement = statement.where(Document.kind == bindparam("kind"))
    if by_property:
        statement = statement.where(at_property(Document))
    if by_unit:
        statement = statement.where(Document.unit_id == bindparam("unit_id"))
    return statement.order_by(Document.created_at.desc(), Document.id.desc()).options(
        joinedload(Document.property),
        joinedload(Document.unit).joinedload(Unit.property),
    )
