"""Reads of the dispatch queue: the new service requests, and the technicians a request can
be given to."""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import ServiceRequest, StaffUser
from app.models.enums import RequestStatus, StaffRole
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


def technician_choices() -> list[tuple[int, str]]:
    """The active technicians as (id, name), by name: only the two columns a technician picker
    shows, so a company of hundreds of technicians does not load hundreds of staff records."""
    return [
        (row.id, row.name)
        for row in db.session.execute(
            select(StaffUser.id, StaffUser.name)
            .where(StaffUser.role == StaffRole.TECHNICIAN, StaffUser.active.is_(True))
            .order_by(StaffUser.name, StaffUser.id)
        )
    ]
