"""Customers booking their own visit: the open windows they are offered (the next few, from
the availability service) and the booking of the one they pick with their request, or the move
of a visit they have to another one. Every booking is checked again in the transaction
(scheduling.book_open_window, move_to_open_window): a window taken since the page was shown is
a SchedulingError, and the caller rolls back the request with it, so nothing is half-written.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Property, ServiceRequest, Unit, Visit, WorkOrder
from app.models.base import utcnow
from app.models.enums import Priority, VisitStatus
from app.models.scheduling import ACTIVE_VISIT_STATUSES, MOVABLE_STATUSES
from app.services.availability import OpenWindow, open_windows
from app.services.company import current_company
from app.services.notifications import notify_visit
from app.services.scheduling import SchedulingError, book_open_window, set_status
from app.services.service_requests import (
    Submission,
    convert_request_to_work_order,
    hash_status_token,
    store_request_photos,
)

# How many of the next open windows a customer is offered at once.
WINDOW_OFFER_LIMIT = 12
DEFAULT_HOLD_MINUTES = 120
# Why a released tentative visit was cancelled (the audit log and the status link say so).
HOLD_RELEASED = "not confirmed in time"


def offered_windows(prop: Property, unit: Unit | None = None) -> list[OpenWindow]:
    """The next open windows for a visit at the property (about the unit)."""
    found = open_windows(property_id=prop.id, unit_id=unit.id if unit else None)
    return found[:WINDOW_OFFER_LIMIT]


def windows_to_move(visit: Visit) -> list[OpenWindow]:
    """The next open windows a visit may move to (not the one it is in)."""
    found = open_windows(
        property_id=visit.work_order.property_id,
        unit_id=visit.work_order.unit_id,
        duration_minutes=visit.duration_minutes,
    )
    return [window for window in found if window.start != visit.arrival_start][:WINDOW_OFFER_LIMIT]


def chosen_window(windows: list[OpenWindow], value: str | None) -> OpenWindow | None:
    """The offered window a form's radio button named (by its start, ISO 8601), if still offered."""
    return next((window for window in windows if window.start.isoformat() == value), None)


def book_request_window(
    request: ServiceRequest,
    start: datetime,
    end: datetime,
    *,
    actor,
    status: VisitStatus = VisitStatus.SCHEDULED,
) -> Visit:
    """The request the customer just made becomes a work order with a visit in the window they
    picked, in the caller's transaction (from a sticker: a tentative one)."""
    work_order = convert_request_to_work_order(
        request.id,
        technician=None,
        window_start=None,
        window_end=None,
        priority=Priority.NORMAL,
        summary="",
        actor=actor,
    )
    return book_open_window(work_order, start, end, actor=actor, status=status)


def submit_in_window(
    file_request: Callable[[list], Submission],
    uploads,
    picked: OpenWindow | None,
    *,
    asked: bool,
    actor,
    status: VisitStatus = VisitStatus.SCHEDULED,
) -> tuple[Submission, Visit | None]:
    """File a request with its photos (`file_request(photos)`) and, when the customer `asked`
    for a window that is still offered (`picked`), book it, unless the report was folded into an
    open request. A window taken since the page was shown is refused before anything is written."""
    if asked and picked is None:
        raise SchedulingError(_l("That window was just taken; pick another."))
    submission = file_request(store_request_photos(uploads or []))
    visit = None
    if picked and not submission.is_repeat:
        visit = book_request_window(
            submission.request, picked.start, picked.end, actor=actor, status=status
        )
    return submission, visit


def confirm_tentative(visit: Visit, *, actor) -> Visit:
    """The office's one click on a visit booked from a sticker: it is confirmed and the
    requester (and the owner's portal users) are told, with the calendar invite. A second
    click, or one after the hold was released, changes nothing and says so."""
    set_status(visit, VisitStatus.CONFIRMED, actor=actor, only_from=VisitStatus.TENTATIVE)
    notify_visit(visit, "confirmed")
    return visit


def release_expired_holds(now: datetime | None = None) -> int:
    """Cancel tentative visits the office did not confirm within the company's hold time, so
    their slots open again; returns how many. Safe to run every few minutes."""
    hold = timedelta(minutes=current_company().tentative_hold_minutes or DEFAULT_HOLD_MINUTES)
    expired = db.session.scalars(
        select(Visit)
        .where(
            Visit.status == VisitStatus.TENTATIVE,
            Visit.status_changed_at < (now or utcnow()) - hold,
        )
        .order_by(Visit.id)
    ).all()
    released = 0
    for visit in expired:
        try:
            set_status(
                visit,
                VisitStatus.CANCELLED,
                actor=None,
                reason=HOLD_RELEASED,
                only_from=VisitStatus.TENTATIVE,
            )
        except SchedulingError:
            continue  # confirmed a moment ago
        released += 1
    return released


def tentative_visits() -> list[Visit]:
    """Visits booked from a sticker, waiting for the office's confirmation, soonest first."""
    return db.session.scalars(
        select(Visit)
        .where(Visit.status == VisitStatus.TENTATIVE)
        .options(
            joinedload(Visit.work_order).joinedload(WorkOrder.property),
            joinedload(Visit.work_order).joinedload(WorkOrder.unit),
            joinedload(Visit.work_order).joinedload(WorkOrder.service_request),
        )
        .order_by(Visit.arrival_start, Visit.id)
    ).all()


def requester_visit(token: str) -> Visit | None:
    """The visit still to come (or under way) that a sticker requester's private status link
    looks after: the first active one on their request's work order. Someone whose report was
    folded into another's request has none (they did not book it)."""
    return db.session.scalar(
        select(Visit)
        .join(WorkOrder, Visit.work_order_id == WorkOrder.id)
        .join(ServiceRequest, WorkOrder.service_request_id == ServiceRequest.id)
        .where(
            ServiceRequest.status_token_hash == hash_status_token(token),
            Visit.status.in_(ACTIVE_VISIT_STATUSES),
        )
        .order_by(Visit.arrival_start, Visit.id)
        .limit(1)
    )


def requester_may_change(visit: Visit) -> bool:
    """A requester may move or cancel a visit until it is under way."""
    return visit.status in (VisitStatus.TENTATIVE, *MOVABLE_STATUSES)
