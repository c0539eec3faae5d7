"""Reads of the dispatch queue: the new service requests (who can be sent is
`app.services.availability.active_technicians`)."""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.models import ServiceRequest
from app.models.enums import RequestStatus
from app.queries.paging import paginate


def dispatch_queue(page: str | None) -> Pagination:
    """A page of the new service requests, newest first, with what each card shows."""
    return paginate(
        select(ServiceRequest)
        .where(ServiceRequest.status == RequestStatus.NEW)
        .options(
            joinedload(ServiceRequest.unit),
            joinedload(ServiceRequest.property),
            joinedload(ServiceRequest.customer),
            selectinload(ServiceRequest.photos),
            selectinload(ServiceRequest.repeat_reports),
        )
        .order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc()),
        page,
    )
