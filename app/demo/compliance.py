"""The demo's compliance picture: leak rates computed for every regulated appliance, and one
commercial customer with a portal login shown in full: its walk-in in the middle of a repair
episode (exceeded, repaired, tests still due) and its chiller (comfort cooling) with this
year's small additions well under its threshold."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.demo.context import Demo
from app.extensions import db
from app.models import Customer, Property, RefrigerantEvent, StaffUser, Unit
from app.models.enums import ApplianceType, RefrigerantEventKind, StaffRole
from app.services.compliance import ComplianceError
from app.services.refrigerant import record_event
from app.services.refrigerant_ledger import rebuild_compliance, unit_regimes

Kind = RefrigerantEventKind
REFRIGERATION = ApplianceType.COMMERCIAL_REFRIGERATION
COMFORT = ApplianceType.COMFORT_COOLING


def add_compliance_story(demo: Demo, customers_per_copy: int) -> None:
    """Recompute the refrigerant history of the first copy's regulated appliances (bigger
    scales keep the raw history: they are for timing), then write the showcase customer's
    fresh leak and chiller history."""
    first_copy = select(Customer.id).order_by(Customer.id).limit(customers_per_copy)
    units = db.session.scalars(
        select(Unit)
        .join(Unit.property)
        .where(
            Property.customer_id.in_(first_copy),
            Unit.epa_appliance_type.is_not(None),
            Unit.full_charge_lb.is_not(None),
        )
        .order_by(Unit.id)
    ).all()
    regulated = [unit for unit in units if _regulated(unit)]
    for unit in regulated:
        rebuild_compliance(unit)
    tech = db.session.scalar(
        select(StaffUser).where(StaffUser.role == StaffRole.TECHNICIAN).order_by(StaffUser.id)
    )
    showcase = _showcase(regulated)
    if tech is None or showcase is None:
        return
    _fresh_leak(demo, showcase[REFRIGERATION], tech)
    _chiller_year(demo, showcase[COMFORT], tech)


def _regulated(unit: Unit) -> bool:
    try:
        return bool(unit_regimes(unit, unit.full_charge_lb))
    except ComplianceError:
        return False


def _showcase(units: list[Unit]) -> dict | None:
    """The first customer who can sign into the portal and has covered refrigeration and
    covered comfort cooling: its first appliance of each."""
    by_customer: dict[int, dict] = defaultdict(dict)
    for unit in units:
        if unit.property.customer.portal_users:
            by_customer[unit.property.customer_id].setdefault(unit.epa_appliance_type, unit)
    for customer_id in sorted(by_customer):
        found = by_customer[customer_id]
        if REFRIGERATION in found and COMFORT in found:
            return found
    return None


def _record(demo: Demo, unit: Unit, tech: StaffUser, kind, day, **facts) -> None:
    record_event(
        unit,
        RefrigerantEvent(kind=kind, occurred_at=demo.at(day, 10), technician=tech, **facts),
        actor=None,
        confirm_large=True,
    )


def _fresh_leak(demo: Demo, walk_in: Unit, tech: StaffUser) -> None:
    """Found 12 days ago on a routine visit: 30 % of the charge added, repaired two days
    later; the verification tests are still due."""
    found = demo.today - timedelta(days=12)
    notes = "Demo: leak found on a routine visit."
    where = "Evaporator coil U-bend"
    pounds = (walk_in.full_charge_lb * Decimal("0.3")).quantize(Decimal("0.01"))
    _record(
        demo,
        walk_in,
        tech,
        Kind.LEAK_INSPECTION,
        found,
        leak_found=True,
        leak_location=where,
        notes=notes,
    )
    _record(demo, walk_in, tech, Kind.ADDITION, found, pounds_added=pounds, notes=notes)
    _record(
        demo,
        walk_in,
        tech,
        Kind.REPAIR,
        found + timedelta(days=2),
        leak_location=where,
        parts_serviced="Brazed U-bend",
        notes=notes,
    )


def _chiller_year(demo: Demo, chiller: Unit, tech: StaffUser) -> None:
    """This year's quarterly visits: a small top-off, a leak found at a Schrader core and
    fixed, and a second top-off; both rates stay under the 10 % comfort-cooling threshold."""
    charge = chiller.full_charge_lb
    first, second = demo.today - timedelta(days=200), demo.today - timedelta(days=60)
    _record(
        demo,
        chiller,
        tech,
        Kind.LEAK_INSPECTION,
        first,
        leak_found=False,
        test_method="Electronic leak detector",
    )
    _record(
        demo,
        chiller,
        tech,
        Kind.ADDITION,
        first,
        pounds_added=(charge * Decimal("0.02")).quantize(Decimal("0.01")),
        notes="Demo: top-off after the spring start-up.",
    )
    _record(
        demo,
        chiller,
        tech,
        Kind.LEAK_INSPECTION,
        second,
        leak_found=True,
        leak_location="Schrader core on the suction service valve",
        test_method="Electronic leak detector and bubble test",
    )
    _record(
        demo,
        chiller,
        tech,
        Kind.REPAIR,
        second,
        leak_location="Schrader core on the suction service valve",
        parts_serviced="Schrader core and cap",
    )
    _record(
        demo,
        chiller,
        tech,
        Kind.ADDITION,
        second,
        pounds_added=(charge * Decimal("0.025")).quantize(Decimal("0.01")),
        notes="Demo: recharge after replacing the Schrader core.",
    )
