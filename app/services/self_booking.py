"""Customers booking their own visit: the open windows they are offered (the next few, from
the availability service) and the booking of the one they pick with their request, or the move
of a visit they have to another one. Every booking is checked again in the transaction
(scheduling.book_open_window, move_to_open_window): a window taken since the page was shown is
a SchedulingError, and the caller rolls back the request with it, so nothing is half-written.
"""

from datetime import datetime

from app.models import Property, ServiceRequest, Unit, Visit
from app.models.enums import Priority
from app.services.availability import OpenWindow, open_windows
from app.services.scheduling import book_open_window
from app.services.service_requests import convert_request_to_work_order

# How many of the next open windows a customer is offered at once.
WINDOW_OFFER_LIMIT = 12


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


def book_request_window(request: ServiceRequest, start: datetime, end: datetime, *, actor) -> Visit:
    """The request the customer just made becomes a work order with a visit in the window they
    picked, in the caller's transaction."""
    work_order = convert_request_to_work_order(
        request.id,
        technician=None,
        window_start=None,
        window_end=None,
        priority=Priority.NORMAL,
        summary="",
        actor=actor,
    )
    return book_open_window(work_order, start, end, actor=actor)
