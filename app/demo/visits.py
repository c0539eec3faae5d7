"""Planning the work orders: two years of maintenance, repairs and installs, today's board, backlog.

Nothing here touches the database; `app.demo.work` writes what these functions plan.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.demo.accounts import Tech
from app.demo.catalog import ON_SITE_CALLERS
from app.demo.context import LOOKAHEAD_DAYS, Demo, add_years, next_weekday
from app.demo.equipment import LEAK_LOCATIONS
from app.demo.pricebook import (
    AFTER_HOURS_FEE_CENTS,
    HAUL_AWAY_FEE_CENTS,
    LEAK,
    MAINTENANCE,
    PERMIT_FEE_CENTS,
    REPAIRS,
    SITE_JOBS,
    Line,
    Repair,
    diagnostic,
    fee,
    labor,
    part,
    refrigerant,
    under_warranty,
)
from app.demo.sites import CustomerRec, SiteRec, UnitRec, by_crew
from app.models.enums import ApplianceType, CustomerKind, LineKind, Priority, UnitKind
from app.models.enums import WorkOrderStatus as Status

DAY_SLOTS = (8.0, 10.0, 13.0, 15.0)  # local start hours of the office's two-hour windows
AFTER_HOURS_SLOTS = (18.5, 20.0, 21.5)
EMERGENCY_KINDS = (UnitKind.WALK_IN_COOLER, UnitKind.WALK_IN_FREEZER, UnitKind.BOILER)
WEEK_AHEAD = 4  # working days ahead that always have a booked job


@dataclass(slots=True, eq=False)
class Order:
    """A planned work order with its lines, note and refrigerant facts."""

    customer: CustomerRec
    site: SiteRec
    unit: UnitRec | None
    purpose: str  # maintenance, repair, install or site
    summary: str
    status: Status
    priority: Priority
    tech: Tech | None
    created_at: datetime
    start: datetime | None = None
    end: datetime | None = None
    completed_at: datetime | None = None
    description: str = ""
    lines: list[Line] = field(default_factory=list)
    note: str = ""
    note_public: bool = False
    leak_location: str = ""
    pounds_added: Decimal = Decimal(0)
    service_request_id: int | None = None
    household_job: bool = False  # the portal household's job today (app.demo.closeout)
    id: int = 0
    number: str = ""
    line_ids: list[int] = field(default_factory=list)  # its lines' rows, once written

    @property
    def signed_off_by(self) -> str:
        return self.customer.contact


def plan_orders(demo: Demo, customers: list[CustomerRec]) -> list[Order]:
    """Every work order of these customers, oldest first."""
    orders: list[Order] = []
    for customer in customers:
        for site in customer.sites:
            for unit in site.units:
                orders += _unit_history(demo, unit)
            for _ in range(demo.rng.randint(0, 2)):
                day = demo.day_between(demo.history_start, demo.today)
                orders.append(_site_job(demo, site, day))
    for order in orders:
        trim_unfinished(order)
    for crew_customers in by_crew(customers):
        orders += _todays_board(demo, crew_customers)
        orders += _backlog(demo, crew_customers)
        orders += _week_ahead(demo, crew_customers)
    orders.sort(key=lambda order: order.created_at)
    return orders


def _unit_history(demo: Demo, unit: UnitRec) -> list[Order]:
    orders = []
    first = max(demo.history_start, unit.install_date + timedelta(days=1))
    horizon = demo.today + timedelta(days=LOOKAHEAD_DAYS)
    if unit.install_date >= demo.history_start:
        orders.append(_install(demo, unit))
    step = unit.spec.interval_months * 30.44
    day = first + timedelta(days=demo.rng.uniform(0, step))
    season = MAINTENANCE[unit.kind].season
    if season and unit.spec.interval_months == 12:
        day = date(first.year, season, demo.rng.randint(1, 28))
        day = day if day >= first else add_years(day, 1)
    while day <= horizon:
        if demo.chance(0.95):  # now and then a visit gets skipped
            orders.append(plan_maintenance(demo, unit, next_weekday(day)))
        day += timedelta(days=step + demo.rng.randint(-10, 10))
    monthly = unit.spec.repairs_per_year / 12
    for month in range(math.ceil((horizon - first).days / 30)):
        if unit.leaky and month % 5 == 2:
            day = first + timedelta(days=30 * month + 9)
            orders.append(_repair(demo, unit, min(day, horizon), LEAK))
        elif demo.chance(monthly):
            day = first + timedelta(days=30 * month + demo.rng.randint(0, 29))
            orders.append(_repair(demo, unit, min(day, horizon), demo.pick(REPAIRS[unit.kind])))
    return orders


def _order(
    demo: Demo,
    unit: UnitRec | None,
    site: SiteRec,
    purpose: str,
    summary: str,
    day: date,
    hours: float,
    *,
    priority: Priority = Priority.NORMAL,
) -> Order:
    """An order on `day`: completed (or now and then cancelled) in the past, scheduled ahead."""
    customer = site.customer
    after_hours = priority == Priority.EMERGENCY
    if not after_hours:
        day = next_weekday(day)
    start = demo.at(day, demo.pick(AFTER_HOURS_SLOTS if after_hours else DAY_SLOTS))
    lead = timedelta(hours=demo.rng.uniform(0.5, 3) if after_hours else demo.rng.uniform(4, 400))
    created = min(start - lead, demo.now - timedelta(minutes=demo.rng.randint(5, 600)))
    order = Order(
        customer=customer,
        site=site,
        unit=unit,
        purpose=purpose,
        summary=summary,
        status=Status.SCHEDULED,
        priority=priority,
        tech=demo.pick(customer.crew),
        created_at=created,
        start=start,
        end=start + timedelta(hours=max(2, math.ceil(hours + 0.5))),
    )
    if day < demo.today:
        if demo.chance(0.03):
            order.status, order.description = Status.CANCELLED, "Customer called to cancel."
        else:
            order.status = Status.COMPLETED
            finished = order.end + timedelta(minutes=demo.rng.randint(-40, 50))
            order.completed_at = min(finished, demo.now)
    return order


def plan_maintenance(demo: Demo, unit: UnitRec, day: date) -> Order:
    plan, kind = MAINTENANCE[unit.kind], unit.customer.kind
    order = _order(demo, unit, unit.site, "maintenance", plan.summary, day, plan.hours)
    order.lines = [
        labor(kind, plan.hours, "Preventive maintenance"),
        part(plan.material, plan.material_cents),
    ]
    if demo.chance(0.15):
        found = demo.pick([repair for repair in REPAIRS[unit.kind] if repair.part])
        covered = day <= unit.parts_warranty_end
        order.lines.append(under_warranty(part(found.part, found.part_cents), covered))
    order.note, order.note_public = _maintenance_note(demo, unit), demo.chance(0.5)
    return order


def _repair(demo: Demo, unit: UnitRec, day: date, repair: Repair) -> Order:
    kind = unit.customer.kind
    emergency = unit.kind in EMERGENCY_KINDS and demo.chance(0.3)
    priority = Priority.EMERGENCY if emergency else demo.pick((Priority.NORMAL, Priority.HIGH))
    order = _order(
        demo, unit, unit.site, "repair", repair.summary, day, repair.hours, priority=priority
    )
    order.description = f"Customer reports: {repair.summary.split(':')[0].lower()}."
    order.lines = [
        diagnostic(kind),
        under_warranty(labor(kind, repair.hours), day <= unit.labor_warranty_end),
    ]
    if repair.part:
        covered = day <= unit.parts_warranty_end
        order.lines.append(under_warranty(part(repair.part, repair.part_cents), covered))
    if repair.leak and unit.full_charge_lb:
        share = Decimal(str(round(demo.rng.uniform(0.1, 0.35), 2)))
        order.pounds_added = max(
            (unit.full_charge_lb * share).quantize(Decimal("0.01")), Decimal("0.25")
        )
        order.leak_location = demo.pick(LEAK_LOCATIONS)
        order.lines.append(part("Brazing alloy, nitrogen and filter drier", 6500))
        order.lines.append(refrigerant(unit.refrigerant, order.pounds_added))
    if emergency:
        order.lines.append(fee("After-hours emergency service", AFTER_HOURS_FEE_CENTS))
    order.note = _repair_note(demo, unit, repair, order)
    return order


def _install(demo: Demo, unit: UnitRec) -> Order:
    spec, kind = unit.spec, unit.customer.kind
    summary = f"Install new {spec.label}"
    order = _order(demo, unit, unit.site, "install", summary, unit.install_date, spec.install_hours)
    equipment = f"{unit.manufacturer} {unit.model_number} {spec.label}"
    order.lines = [
        Line(LineKind.EQUIPMENT, equipment, Decimal(1), spec.installed_price_cents),
        labor(kind, spec.install_hours, "Installation labor"),
        fee("Mechanical permit", PERMIT_FEE_CENTS),
        fee("Haul away and recycle old equipment", HAUL_AWAY_FEE_CENTS),
    ]
    order.note = (
        f"Installed the new {spec.label}; start-up checks within the manufacturer's ranges. "
        f"Registered the warranty with {unit.manufacturer}."
    )
    order.note_public = True
    return order


def _site_job(demo: Demo, site: SiteRec, day: date) -> Order:
    summary, material, cents, hours = demo.pick(SITE_JOBS)
    order = _order(demo, None, site, "site", summary, day, hours)
    kind = site.customer.kind
    order.lines = [labor(kind, hours), part(material, cents)]
    order.note = f"{summary} done; walked the customer through it."
    return order


def _todays_board(demo: Demo, customers: list[CustomerRec]) -> list[Order]:
    """Each technician: one job under way since this morning and one this afternoon; the
    last technician of the crew is still on the way to the morning one. Both hold at any
    hour the demo is seeded, dawn included: the morning starts no later than just now."""
    units = [unit for customer in customers for site in customer.sites for unit in site.units]
    orders = []
    crew = customers[0].crew
    for tech in crew:
        on_the_way = len(crew) > 1 and tech is crew[-1]
        morning = Status.SCHEDULED if on_the_way else Status.IN_PROGRESS
        for hour, status in ((8.0, morning), (13.0, Status.SCHEDULED)):
            unit = demo.pick(units)
            repair = demo.pick(REPAIRS[unit.kind])
            order = _repair(demo, unit, demo.today, repair)
            start = demo.at(demo.today, hour)
            if hour == 8.0:  # a scheduled visit that has begun is on the way (schedules._status)
                start = min(start, demo.now - timedelta(minutes=45))
            order.status, order.tech, order.priority = status, tech, Priority.HIGH
            order.start, order.end = start, start + timedelta(hours=2)
            order.created_at = min(start - timedelta(hours=20), demo.now)
            trim_unfinished(order)
            if status == Status.IN_PROGRESS:
                order.note = "On site; diagnosing."
            orders.append(order)
    return orders


def _week_ahead(demo: Demo, customers: list[CustomerRec]) -> list[Order]:
    """A job booked on each of the next WEEK_AHEAD working days, the crew taking turns, so the
    board's coming week has work on it whatever day the demo is seeded (the maintenance plan
    alone can leave days of it empty)."""
    units = [unit for customer in customers for site in customer.sites for unit in site.units]
    crew = customers[0].crew
    orders, day = [], demo.today
    for turn in range(WEEK_AHEAD):
        day = next_weekday(day + timedelta(days=1))
        unit = demo.pick(units)
        order = _repair(demo, unit, day, demo.pick(REPAIRS[unit.kind]))
        order.status, order.tech = Status.SCHEDULED, crew[turn % len(crew)]
        order.start = demo.at(day, 10.0)
        order.end = order.start + timedelta(hours=2)
        order.created_at = min(order.created_at, demo.now - timedelta(hours=2))
        trim_unfinished(order)
        orders.append(order)
    return orders


def _backlog(demo: Demo, customers: list[CustomerRec]) -> list[Order]:
    """Two new jobs waiting for a date, and one on hold for parts."""
    orders = []
    for _ in range(2):
        site = demo.pick(demo.pick(customers).sites)
        order = _site_job(demo, site, demo.today + timedelta(days=LOOKAHEAD_DAYS))
        order.status, order.tech, order.start, order.end = Status.NEW, None, None, None
        trim_unfinished(order)
        orders.append(order)
    commercial = [c for c in customers if c.kind == CustomerKind.COMMERCIAL]
    unit = demo.pick([unit for site in demo.pick(commercial).sites for unit in site.units])
    held = _repair(demo, unit, demo.today - timedelta(days=3), demo.pick(REPAIRS[unit.kind]))
    held.status, held.completed_at, held.priority = Status.ON_HOLD, None, Priority.HIGH
    held.description = "Diagnosed on site; the part is on order from the supplier (ETA next week)."
    trim_unfinished(held)
    return [*orders, held]


def trim_unfinished(order: Order) -> None:
    """Work not done yet carries only its visit charge; cancelled work carries nothing."""
    if order.status == Status.COMPLETED:
        return
    order.lines = [] if order.status == Status.CANCELLED else order.lines[:1]
    order.note, order.note_public = "", False
    order.leak_location, order.pounds_added = "", Decimal(0)


def _maintenance_note(demo: Demo, unit: UnitRec) -> str:
    rng = demo.rng
    if unit.spec.appliance == ApplianceType.COMMERCIAL_REFRIGERATION:
        box = rng.randint(-8, 0) if unit.kind == UnitKind.WALK_IN_FREEZER else rng.randint(34, 39)
        return (
            f"Box at {box} F, suction {rng.randint(18, 45)} psig. Cleaned the condenser coil, "
            "checked door gaskets and the drain line. Electronic leak check: no leaks found."
        )
    if unit.refrigerant:
        return (
            f"Superheat {rng.randint(8, 14)} F, subcooling {rng.randint(8, 12)} F; capacitor "
            "within 5% of rating. Cleaned the condenser coil and flushed the condensate drain."
        )
    if unit.kind in (UnitKind.FURNACE, UnitKind.BOILER):
        return (
            f"Combustion test: CO {rng.randint(5, 45)} ppm air-free. Cleaned the flame sensor, "
            "checked the heat exchanger and venting: no cracks or leaks."
        )
    return "Checked operation, cleaned and flushed as needed. No problems found."


def _repair_note(demo: Demo, unit: UnitRec, repair: Repair, order: Order) -> str:
    if order.leak_location:
        return (
            f"Leak found at the {order.leak_location}. Brazed the repair, pressure-tested with "
            f"nitrogen at 300 psig, evacuated to 500 microns and added {order.pounds_added} lb "
            f"of {unit.refrigerant}."
        )
    fixed = f"Replaced the {repair.part.lower()}" if repair.part else "Cleared the fault"
    caller = (
        demo.pick(ON_SITE_CALLERS) if unit.customer.kind == CustomerKind.COMMERCIAL else "owner"
    )
    minutes = demo.rng.randint(15, 40)
    return f"{fixed}; ran the system {minutes} minutes. Reviewed with the {caller.lower()}."
