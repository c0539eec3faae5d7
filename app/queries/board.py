"""The dispatch board: technicians as rows, a track per day, visits as blocks placed by time,
what clashes, and the open work that has no visit yet.

Built in a fixed number of queries however many visits the days hold.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import StaffUser, Visit, VisitAnswerLink, WorkOrder
from app.models.enums import Priority
from app.models.scheduling import ACTIVE_VISIT_STATUSES
from app.models.work import OPEN_WORK_ORDER_STATUSES
from app.queries.visits import day_bounds, visits_where
from app.services.availability import (
    BadArrivalWindows,
    Conflict,
    active_technicians,
    conflicts_for,
    load_schedule,
    parse_arrival_windows,
)
from app.services.company import current_company
from app.services.visit_links import latest_answers

# The hours a day track spans (local time); visits outside it sit at its edges.
TRACK_STARTS, TRACK_HOURS = time(7), 12
UNASSIGNED_WORK_LIMIT = 40
PRIORITY_ORDER = {Priority.EMERGENCY: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


@dataclass(frozen=True)
class Block:
    """A visit on a track: its share of the day from the left edge and its width, in percent."""

    visit: Visit
    left: float
    width: float
    conflicts: tuple[Conflict, ...] = ()
    answer: VisitAnswerLink | None = None  # the customer's latest answer from an e-mail link

    @property
    def starts(self) -> str:
        """Local arrival from, as HH:MM (what the form's time fields and board.js read)."""
        return self.visit.arrival_start.astimezone(current_company().zone).strftime("%H:%M")

    @property
    def ends(self) -> str:
        return self.visit.arrival_end.astimezone(current_company().zone).strftime("%H:%M")


@dataclass(frozen=True)
class Away:
    left: float
    width: float
    reason: str


@dataclass
class Track:
    day: date
    blocks: list[Block] = field(default_factory=list)
    away: list[Away] = field(default_factory=list)


@dataclass
class Row:
    technician: StaffUser | None  # None: the visits nobody leads yet
    tracks: list[Track]


@dataclass
class Board:
    days: list[date]
    rows: list[Row]
    unassigned_work: list[WorkOrder]
    windows: list[tuple[time, time]]  # the company's arrival windows

    @property
    def conflict_count(self) -> int:
        return sum(1 for row in self.rows for t in row.tracks for b in t.blocks if b.conflicts)


def _share(moment: datetime, day: date) -> float:
    """Where `moment` falls on `day`'s track, 0–100."""
    zone = current_company().zone
    track_start = datetime.combine(day, TRACK_STARTS, tzinfo=zone)
    hours = (moment.astimezone(zone) - track_start).total_seconds() / 3600
    return max(0.0, min(100.0, hours / TRACK_HOURS * 100))


def _span(start: datetime, end: datetime, day: date) -> tuple[float, float]:
    left = _share(start, day)
    return left, max(_share(end, day) - left, 3.0)


def unassigned_work() -> list[WorkOrder]:
    """Open work orders with no visit still to happen: the ones waiting for a date."""
    booked = exists().where(
        Visit.work_order_id == WorkOrder.id, Visit.status.in_(ACTIVE_VISIT_STATUSES)
    )
    found = db.session.scalars(
        select(WorkOrder)
        .where(WorkOrder.status.in_(OPEN_WORK_ORDER_STATUSES), ~booked)
        .options(joinedload(WorkOrder.property), joinedload(WorkOrder.customer))
        .order_by(WorkOrder.created_at, WorkOrder.id)
        .limit(UNASSIGNED_WORK_LIMIT)
    ).all()
    return sorted(found, key=lambda wo: PRIORITY_ORDER[wo.priority])


def company_windows() -> list[tuple[time, time]]:
    try:
        return parse_arrival_windows(current_company().arrival_windows)
    except BadArrivalWindows:
        return []


def build_board(first: date, day_count: int) -> Board:
    """The board for `day_count` local days from `first`."""
    days = [first + timedelta(days=n) for n in range(day_count)]
    start, end = day_bounds(days[0], days[-1])
    technicians = active_technicians()
    visits = visits_where(Visit.arrival_start < end, Visit.arrival_end > start)
    answers = latest_answers([visit.id for visit in visits])
    schedule = load_schedule(
        [t.id for t in technicians], start - timedelta(days=1), end + timedelta(days=1)
    )
    rows = {t.id: Row(t, [Track(day) for day in days]) for t in technicians}
    nobody = Row(None, [Track(day) for day in days])
    zone = current_company().zone
    for visit in visits:
        day = visit.arrival_start.astimezone(zone).date()
        if day not in days:
            continue
        index = days.index(day)
        for person in visit.technicians or [None]:
            row = rows.get(person.id) if person else nobody
            if row is None:  # a technician no longer active keeps the visit off the board
                continue
            found = ()
            if person is not None and visit.is_active:
                found = tuple(
                    conflicts_for(
                        schedule,
                        person,
                        visit.arrival_start,
                        visit.arrival_end,
                        visit.duration_minutes,
                        ignoring_visit_id=visit.id,
                    )
                )
            left, width = _span(visit.arrival_start, visit.arrival_end, day)
            row.tracks[index].blocks.append(Block(visit, left, width, found, answers.get(visit.id)))
    for technician_id, row in rows.items():
        for away in schedule.time_off[technician_id]:
            for track in row.tracks:
                bounds = day_bounds(track.day)
                if away.starts_at < bounds[1] and away.ends_at > bounds[0]:
                    left, width = _span(
                        max(away.starts_at, bounds[0]), min(away.ends_at, bounds[1]), track.day
                    )
                    track.away.append(Away(left, width, away.reason))
    return Board(days, [*rows.values(), nobody], unassigned_work(), company_windows())
