"""Reads of the documents the office shared: the portal's filtered list and its kinds."""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Document, Unit
from app.models.enums import DocumentKind
from app.queries.filters import Filters
from app.queries.paging import paginate
from app.scoping import CustomerScope


def document_kinds(customer: CustomerScope) -> list[DocumentKind]:
    """The kinds the customer has documents of, in the order the kinds are declared."""
    present = set(
        db.session.scalars(select(Document.kind).where(customer.where(Document)).distinct())
    )
    return [kind for kind in DocumentKind if kind in present]


def document_list(customer: CustomerScope, filters: Filters, page: str | None) -> Pagination:
    """A page of the customer's documents matching `filters`, newest first; a property's
    documents include those of its units."""
    statement = customer.select(Document)
    if filters.kind:
        statement = statement.where(Document.kind == filters.kind)
    if filters.prop:
        statement = statement.where(
            or_(
                Document.property_id == filters.prop.id,
                Document.unit_id.in_(select(Unit.id).where(Unit.property_id == filters.prop.id)),
            )
        )
    if filters.unit:
        statement = statement.where(Document.unit_id == filters.unit.id)
    return paginate(
        statement.order_by(Document.created_at.desc(), Document.id.desc()).options(
            joinedload(Document.property),
            joinedload(Document.unit).joinedload(Unit.property),
        ),
        page,
        one_query=True,
    )
