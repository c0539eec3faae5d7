"""Booking, moving and progressing visits.

Every booking path checks the technicians' time again inside the transaction, holding a lock
on each technician's row until the commit (app/row_locks.py), so two people never book the
last slot twice: the second waits for the first to commit, then sees its visit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _

from app.errors import UserError
from app.extensions import db
from app.labels import label
from app.models import StaffUser, Visit, VisitStatusChange, WorkOrder
from app.models.base import utcnow
from app.models.enums import StaffRole, VisitStatus, WorkOrderStatus
from app.models.scheduling import MOVABLE_STATUSES
from app.row_locks import hold_rows
from app.services.audit import record
from app.services.availability import (
    Conflict,
    bookable_range,
    candidate_technicians,
    company_windows_between,
    conflicts_for,
    load_schedule,
)
from app.services.company import local_day
from app.services.notifications import notify_visit

MIN_DURATION_MINUTES, MAX_DURATION_MINUTES = 15, 12 * 60
# A visit booked with a start and no end gets the usual two-hour arrival window.
DEFAULT_WINDOW = timedelta(hours=2)

# Where a visit may go from each status; done, cancelled and no_access are final.
NEXT_STATUSES = {
    VisitStatus.TENTATIVE: {VisitStatus.SCHEDULED, VisitStatus.CONFIRMED, VisitStatus.CANCELLED},
    VisitStatus.SCHEDULED: {
        VisitStatus.CONFIRMED,
        VisitStatus.EN_ROUTE,
        VisitStatus.ON_SITE,
        VisitStatus.DONE,
        VisitStatus.CANCELLED,
        VisitStatus.NO_ACCESS,
    },
    VisitStatus.CONFIRMED: {
        VisitStatus.SCHEDULED,
        VisitStatus.EN_ROUTE,
        VisitStatus.ON_SITE,
        VisitStatus.DONE,
        VisitStatus.CANCELLED,
        VisitStatus.NO_ACCESS,
    },
    VisitStatus.EN_ROUTE: {
        VisitStatus.ON_SITE,
        VisitStatus.DONE,
        VisitStatus.CANCELLED,
        VisitStatus.NO_ACCESS,
    },
    VisitStatus.ON_SITE: {VisitStatus.DONE, VisitStatus.NO_ACCESS},
}


class SchedulingError(UserError):
    """A visit cannot be booked, moved or changed as asked."""


class SlotConflict(SchedulingError):
    """The technicians have no room then; the office may book anyway, a customer may not."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__(" ".join(conflict.message for conflict in conflicts))


@dataclass(frozen=True)
class Slot:
    """Where a visit goes: an arrival window (UTC), its duration and who does it."""

    start: datetime
    end: datetime
    duration_minutes: int = 60
    technician_id: int | None = None
    helper_ids: tuple[int, ...] = ()

    @property
    def people_ids(self) -> list[int]:
        lead = [self.technician_id] if self.technician_id else []
        return lead + [i for i in self.helper_ids if i not in lead]


def lock_technicians(ids: list[int]) -> None:
    hold_rows(StaffUser, ids)


def _checked(slot: Slot) -> list[StaffUser]:
    """The slot's technicians, after checking the slot makes sense."""
    if slot.end <= slot.start:
        raise SchedulingError(_("The arrival window must end after it starts."))
    if not MIN_DURATION_MINUTES <= slot.duration_minutes <= MAX_DURATION_MINUTES:
        raise SchedulingError(
            _(
                "A visit takes between %(least)s and %(most)s minutes.",
                least=MIN_DURATION_MINUTES,
                most=MAX_DURATION_MINUTES,
            )
        )
    people = [db.session.get(StaffUser, person_id) for person_id in slot.people_ids]
    if any(p is None or p.role != StaffRole.TECHNICIAN or not p.active for p in people):
        raise SchedulingError(_("Choose active technicians."))
    return people


def slot_conflicts(
    slot: Slot, people: list[StaffUser], *, ignoring_visit_id: int | None = None
) -> list[Conflict]:
    """Everything in the way of the slot, for each of its technicians."""
    if not people:
        return []
    schedule = load_schedule(
        [p.id for p in people], slot.start - timedelta(days=1), slot.end + timedelta(days=1)
    )
    return [
        conflict
        for person in people
        for conflict in conflicts_for(
            schedule,
            person,
            slot.start,
            slot.end,
            slot.duration_minutes,
            ignoring_visit_id=ignoring_visit_id,
        )
    ]


def check_slot(slot: Slot, *, ignoring_visit_id: int | None = None) -> list[Conflict]:
    """What the board shows before booking: the conflicts a slot would have now."""
    return slot_conflicts(slot, _checked(slot), ignoring_visit_id=ignoring_visit_id)


def _change_status(visit: Visit, status: VisitStatus, actor) -> None:
    now = utcnow()
    visit.status, visit.status_changed_at = status, now
    visit.status_changes.append(
        VisitStatusChange(
            status=status,
            changed_at=now,
            changed_by=actor if isinstance(actor, StaffUser) else None,
        )
    )


def _place(visit: Visit, slot: Slot, people: list[StaffUser]) -> None:
    visit.arrival_start, visit.arrival_end = slot.start, slot.end
    visit.duration_minutes = slot.duration_minutes
    visit.lead_technician = people[0] if slot.technician_id else None
    visit.helpers = [p for p in people if p.id != slot.technician_id]


def book_visit(
    work_order: WorkOrder,
    slot: Slot,
    *,
    actor,
    book_anyway: bool = False,
    status: VisitStatus = VisitStatus.SCHEDULED,
) -> Visit:
    """A new visit on the work order, if its technicians have room (or the office says book
    anyway). A new work order becomes scheduled; one without a technician gets the lead.
    A tentative visit (booked from a sticker) tells nobody until the office confirms it."""
    if not work_order.is_open:
        raise SchedulingError(_("%(number)s is closed.", number=work_order.number))
    people = _checked(slot)
    lock_technicians(slot.people_ids)
    conflicts = slot_conflicts(slot, people)
    if conflicts and not book_anyway:
        raise SlotConflict(conflicts)
    visit = Visit(work_order=work_order)
    _place(visit, slot, people)
    _change_status(visit, status, actor)
    db.session.add(visit)
    if work_order.status == WorkOrderStatus.NEW:
        work_order.status = WorkOrderStatus.SCHEDULED
    if work_order.technician is None and visit.lead_technician is not None:
        work_order.technician = visit.lead_technician
    db.session.flush()
    summary = _summary(f"{work_order.number} {slot.start:%Y-%m-%d %H:%M} UTC", conflicts)
    record("visit_booked", visit, actor=actor, summary=summary)
    if status != VisitStatus.TENTATIVE:
        notify_visit(visit, "booked")
    return visit


def _open_slot(
    work_order: WorkOrder,
    start: datetime,
    end: datetime,
    duration_minutes: int,
    *,
    usual_only: bool = False,
    moving: Visit | None = None,
) -> Slot:
    """One of the offered arrival windows, still within the notice and the days ahead and still
    open: the first candidate technician with room gets it (for a visit `moving`, its own
    technician first, and its own time does not count against it)."""
    earliest, last_day = bookable_range()
    offered = company_windows_between(local_day(start), local_day(start))
    if start < earliest or local_day(start) > last_day or (start, end) not in offered:
        raise SchedulingError(_("That window cannot be booked any more; pick another."))
    people = candidate_technicians(
        property_id=work_order.property_id, unit_id=work_order.unit_id, usual_only=usual_only
    )
    if moving is not None:
        people.sort(key=lambda person: person.id != moving.lead_technician_id)
    lock_technicians([p.id for p in people])
    for person in people:
        slot = Slot(start, end, duration_minutes, person.id)
        if not slot_conflicts(slot, [person], ignoring_visit_id=moving.id if moving else None):
            return slot
    raise SchedulingError(_("That window was just taken; pick another."))


def book_open_window(
    work_order: WorkOrder,
    start: datetime,
    end: datetime,
    *,
    duration_minutes: int = 60,
    usual_only: bool = False,
    actor=None,
    status: VisitStatus = VisitStatus.SCHEDULED,
) -> Visit:
    """A customer's booking of one of the offered arrival windows (see _open_slot)."""
    slot = _open_slot(work_order, start, end, duration_minutes, usual_only=usual_only)
    return book_visit(work_order, slot, actor=actor, status=status)


def move_to_open_window(visit: Visit, start: datetime, end: datetime, *, actor=None) -> Visit:
    """A customer's move of their visit to one of the offered arrival windows (see _open_slot);
    the visit's helpers stay with the old time (the office adds them again)."""
    slot = _open_slot(visit.work_order, start, end, visit.duration_minutes, moving=visit)
    return move_visit(visit, slot, actor=actor)


def _lock_visit(visit: Visit) -> Visit:
    hold_rows(Visit, [visit.id])
    db.session.refresh(visit)
    return visit


def move_visit(visit: Visit, slot: Slot, *, actor, book_anyway: bool = False) -> Visit:
    """Another window or technician for a visit not yet under way (a tentative one too). A
    confirmed visit that moves in time goes back to scheduled (the customer confirmed the old
    time)."""
    people = _checked(slot)
    lock_technicians(slot.people_ids)
    visit = _lock_visit(visit)
    if visit.status not in (VisitStatus.TENTATIVE, *MOVABLE_STATUSES):
        raise SchedulingError(
            _("This visit is %(status)s; it can no longer move.", status=_in_words(visit.status))
        )
    conflicts = slot_conflicts(slot, people, ignoring_visit_id=visit.id)
    if conflicts and not book_anyway:
        raise SlotConflict(conflicts)
    moved_in_time = (visit.arrival_start, visit.arrival_end) != (slot.start, slot.end)
    _place(visit, slot, people)
    if moved_in_time:
        visit.calendar_sequence += 1
        if visit.status == VisitStatus.CONFIRMED:
            _change_status(visit, VisitStatus.SCHEDULED, actor)
    db.session.flush()
    summary = _summary(f"{visit.work_order.number} → {slot.start:%Y-%m-%d %H:%M} UTC", conflicts)
    record("visit_moved", visit, actor=actor, summary=summary)
    if moved_in_time and visit.status != VisitStatus.TENTATIVE:
        notify_visit(visit, "moved")
    return visit


def _summary(what: str, conflicts) -> str:
    """The audit summary of a booking or move; what it clashed with when booked anyway."""
    if not conflicts:
        return what
    return f"{what} (booked anyway: " + " ".join(c.message for c in conflicts) + ")"


def _in_words(status: VisitStatus) -> str:
    """A status inside a sentence, in the current language: "on site", "en el sitio"."""
    return label(status).lower()


def set_status(
    visit: Visit,
    status: VisitStatus,
    *,
    actor,
    reason: str = "",
    only_from: VisitStatus | None = None,
) -> Visit:
    """The next step of a visit (see NEXT_STATUSES), kept with its time. A technician on site
    puts a scheduled work order in progress. A cancel tells the customer, with `reason`.
    With `only_from`, a visit no longer in that status (someone else just changed it) is a
    SchedulingError instead."""
    visit = _lock_visit(visit)
    if only_from is not None and visit.status != only_from:
        raise SchedulingError(
            _("This visit is %(status)s now; nothing changed.", status=_in_words(visit.status))
        )
    if status == visit.status:
        return visit
    was_told = visit.status != VisitStatus.TENTATIVE
    if status not in NEXT_STATUSES.get(visit.status, ()):
        raise SchedulingError(
            _(
                "A visit that is %(now)s cannot become %(next)s.",
                now=_in_words(visit.status),
                next=_in_words(status),
            )
        )
    _change_status(visit, status, actor)
    if status == VisitStatus.CANCELLED:
        visit.calendar_sequence += 1
    work_order = visit.work_order
    if status == VisitStatus.ON_SITE and work_order.status == WorkOrderStatus.SCHEDULED:
        work_order.status = WorkOrderStatus.IN_PROGRESS
    db.session.flush()
    record("visit_status", visit, actor=actor, summary=f"{work_order.number}: {status.value}")
    if status == VisitStatus.CANCELLED and was_told:
        notify_visit(visit, "cancelled", reason=reason)
    return visit
