"""When technicians have room for a visit, and what stands in the way of one.

A visit holds a technician for its expected duration somewhere inside its arrival window. A
technician has room for a visit when:
- they work that weekday and the window (and the duration from its start) lies in their hours,
- no time off overlaps it,
- the durations of all their visits in overlapping windows, this one included, fit in the time
  those windows span (two one-hour visits fit a 8–10 window; a third does not).

`open_windows` offers the company's arrival windows that some technician has room in;
`conflicts_for` says what is wrong with one proposed slot. Both read a `Schedule` loaded in a
fixed number of queries, however many technicians and visits there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import format_date, format_time
from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.errors import UserError
from app.extensions import db
from app.formatting import weekday_datetime
from app.models import StaffUser, TimeOff, Visit, WorkingHours, WorkOrder
from app.models.enums import StaffRole
from app.models.scheduling import ACTIVE_VISIT_STATUSES, visit_helpers
from app.services.company import current_company


class BadArrivalWindows(UserError):
    """The company's arrival windows setting cannot be read."""


def parse_arrival_windows(text: str) -> list[tuple[time, time]]:
    """ "08:00-10:00, 10:00-12:00" as (start, end) local times, earliest first."""
    windows = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            start, end = (time.fromisoformat(bound.strip()) for bound in part.split("-"))
        except ValueError:
            raise BadArrivalWindows(
                _("Write each arrival window like 08:00-10:00 (%(part)s is not).", part=part)
            ) from None
        if end <= start:
            raise BadArrivalWindows(_("The window %(part)s ends before it starts.", part=part))
        windows.append((start, end))
    if not windows:
        raise BadArrivalWindows(_("Give at least one arrival window, like 08:00-10:00."))
    return sorted(windows)


@dataclass(frozen=True)
class Conflict:
    kind: str  # "double_booked", "outside_hours" or "time_off"
    message: str


@dataclass(frozen=True)
class Booked:
    """A visit already holding a technician's time."""

    visit_id: int
    start: datetime
    end: datetime
    duration_minutes: int
    label: str  # the work order number


@dataclass(frozen=True)
class DayHours:
    starts: time
    ends: time


# The hours of a technician who set none: Monday to Friday, 8 to 5.
DEFAULT_HOURS = DayHours(time(8), time(17))


@dataclass
class Schedule:
    """Technicians' hours, time off and booked visits over a stretch of time."""

    hours: dict[tuple[int, int], DayHours] = field(default_factory=dict)
    with_hours: set[int] = field(default_factory=set)  # technicians who set their hours
    time_off: dict[int, list[TimeOff]] = field(default_factory=lambda: defaultdict(list))
    booked: dict[int, list[Booked]] = field(default_factory=lambda: defaultdict(list))

    def hours_of(self, technician_id: int, weekday: int) -> DayHours | None:
        """Their hours that weekday (None: a day off); someone who never set any works the
        usual week (DEFAULT_HOURS), so a new technician can be booked at once."""
        if technician_id in self.with_hours:
            return self.hours.get((technician_id, weekday))
        return DEFAULT_HOURS if weekday < 5 else None


def load_schedule(technician_ids: list[int], start: datetime, end: datetime) -> Schedule:
    """Everything `conflicts_for` needs for these technicians between start and end (UTC)."""
    schedule = Schedule()
    if not technician_ids:
        return schedule
    for hours in db.session.scalars(
        select(WorkingHours).where(WorkingHours.technician_id.in_(technician_ids))
    ):
        schedule.hours[(hours.technician_id, hours.weekday)] = DayHours(hours.starts, hours.ends)
        schedule.with_hours.add(hours.technician_id)
    for away in db.session.scalars(
        select(TimeOff).where(
            TimeOff.technician_id.in_(technician_ids),
            TimeOff.starts_at < end,
            TimeOff.ends_at > start,
        )
    ):
        schedule.time_off[away.technician_id].append(away)
    helping = select(visit_helpers.c.visit_id).where(
        visit_helpers.c.staff_user_id.in_(technician_ids)
    )
    rows = db.session.execute(
        select(Visit, WorkOrder.number, visit_helpers.c.staff_user_id)
        .join(WorkOrder, Visit.work_order_id == WorkOrder.id)
        .outerjoin(visit_helpers, visit_helpers.c.visit_id == Visit.id)
        .where(
            Visit.status.in_(ACTIVE_VISIT_STATUSES),
            Visit.arrival_start < end,
            Visit.arrival_end > start,
            or_(Visit.lead_technician_id.in_(technician_ids), Visit.id.in_(helping)),
        )
    ).all()
    for visit, number, helper_id in rows:
        booked = Booked(
            visit.id, visit.arrival_start, visit.arrival_end, visit.duration_minutes, number
        )
        for person in {visit.lead_technician_id, helper_id} & set(technician_ids):
            if booked not in schedule.booked[person]:
                schedule.booked[person].append(booked)
    return schedule


def _local(moment: datetime) -> datetime:
    return moment.astimezone(current_company().zone)


def conflicts_for(
    schedule: Schedule,
    technician: StaffUser,
    start: datetime,
    end: datetime,
    duration_minutes: int,
    *,
    ignoring_visit_id: int | None = None,
) -> list[Conflict]:
    """What keeps `technician` from a visit arriving between start and end (UTC) that takes
    `duration_minutes`; empty when they have room (`ignoring_visit_id`: the visit being moved)."""
    found = []
    finish = max(end, start + timedelta(minutes=duration_minutes))
    local_start, local_finish = _local(start), _local(finish)
    hours = schedule.hours_of(technician.id, local_start.weekday())
    if hours is None:
        found.append(
            Conflict(
                "outside_hours",
                _(
                    "%(name)s does not work on %(day)s.",
                    name=technician.name,
                    day=format_date(local_start.date(), "EEEE"),
                ),
            )
        )
    elif (
        local_start.time() < hours.starts
        or local_finish.date() != local_start.date()
        or local_finish.time() > hours.ends
    ):
        found.append(
            Conflict(
                "outside_hours",
                _(
                    "%(name)s works %(starts)s–%(ends)s that day.",
                    name=technician.name,
                    starts=format_time(hours.starts, "short", rebase=False),
                    ends=format_time(hours.ends, "short", rebase=False),
                ),
            )
        )
    for away in schedule.time_off[technician.id]:
        if away.starts_at < finish and away.ends_at > start:
            found.append(
                Conflict(
                    "time_off",
                    _(
                        "%(name)s is off (%(reason)s) until %(until)s.",
                        name=technician.name,
                        reason=away.reason or _("time off"),
                        until=weekday_datetime(away.ends_at),
                    ),
                )
            )
    overlapping = [
        booked
        for booked in schedule.booked[technician.id]
        if booked.visit_id != ignoring_visit_id and booked.start < end and booked.end > start
    ]
    if overlapping:
        span_start = min([start, *(b.start for b in overlapping)])
        span_end = max([end, *(b.end for b in overlapping)])
        needed = duration_minutes + sum(b.duration_minutes for b in overlapping)
        if needed * 60 > (span_end - span_start).total_seconds():
            found.append(
                Conflict(
                    "double_booked",
                    _(
                        "%(name)s is already booked then (%(visits)s).",
                        name=technician.name,
                        visits=", ".join(b.label for b in overlapping),
                    ),
                )
            )
    return found


def active_technicians() -> list[StaffUser]:
    return db.session.scalars(
        select(StaffUser)
        .where(StaffUser.role == StaffRole.TECHNICIAN, StaffUser.active.is_(True))
        .order_by(StaffUser.name, StaffUser.id)
    ).all()


def usual_technicians(*, property_id: int, unit_id: int | None = None) -> list[StaffUser]:
    """The active technicians who led visits on the unit (or, without one, the property)."""
    where = WorkOrder.unit_id == unit_id if unit_id else WorkOrder.property_id == property_id
    led = (
        select(Visit.lead_technician_id)
        .join(WorkOrder, Visit.work_order_id == WorkOrder.id)
        .where(where, Visit.lead_technician_id.is_not(None))
    )
    ids = set(db.session.scalars(led))
    return [person for person in active_technicians() if person.id in ids]


def candidate_technicians(
    *, property_id: int, unit_id: int | None = None, usual_only: bool = False
) -> list[StaffUser]:
    """Who may take a visit there: the usual technicians first, then everyone else (only the
    usual ones with `usual_only`, unless there are none yet: a new unit is anyone's)."""
    usual = usual_technicians(property_id=property_id, unit_id=unit_id)
    if usual_only and usual:
        return usual
    return usual + [person for person in active_technicians() if person not in usual]


@dataclass(frozen=True)
class OpenWindow:
    start: datetime  # UTC
    end: datetime
    technicians: tuple[StaffUser, ...]  # those with room, usual technicians first


def bookable_range(now: datetime | None = None) -> tuple[datetime, date]:
    """The earliest start a customer may book (now plus the notice the company needs) and the
    last local day they may book (today plus the days ahead it allows)."""
    company = current_company()
    now = now or datetime.now(UTC)
    earliest = now + timedelta(hours=company.booking_notice_hours)
    return earliest, _local(now).date() + timedelta(days=company.booking_days_ahead)


def company_windows_between(first: date, last: date) -> list[tuple[datetime, datetime]]:
    """The company's arrival windows on each local day from first to last, in UTC."""
    zone = current_company().zone
    windows = parse_arrival_windows(current_company().arrival_windows)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [
        (
            datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
            datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
        )
        for day in days
        for start, end in windows
    ]


def open_windows(
    *,
    property_id: int,
    unit_id: int | None = None,
    duration_minutes: int = 60,
    usual_only: bool = False,
    now: datetime | None = None,
) -> list[OpenWindow]:
    """The arrival windows a customer may book for a visit there: within the notice and the days
    ahead the company allows, with at least one technician who has room for the duration."""
    earliest, last_day = bookable_range(now)
    technicians = candidate_technicians(
        property_id=property_id, unit_id=unit_id, usual_only=usual_only
    )
    windows = [
        (start, end)
        for start, end in company_windows_between(_local(earliest).date(), last_day)
        if start >= earliest
    ]
    if not windows or not technicians:
        return []
    schedule = load_schedule([t.id for t in technicians], windows[0][0], windows[-1][1])
    offered = []
    for start, end in windows:
        free = tuple(
            person
            for person in technicians
            if not conflicts_for(schedule, person, start, end, duration_minutes)
        )
        if free:
            offered.append(OpenWindow(start, end, free))
    return offered
