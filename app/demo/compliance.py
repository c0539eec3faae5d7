"""The demo's compliance picture: leak rates computed for every regulated appliance, and one
walk-in freezer in the middle of a repair episode (exceeded, repaired, tests still due)."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.demo.context import Demo
from app.extensions import db
from app.models import Customer, Property, RefrigerantEvent, StaffUser, Unit
from app.models.enums import ApplianceType, RefrigerantEventKind, StaffRole
from app.services.compliance import ComplianceError
from app.services.refrigerant import rebuild_compliance, record_event, unit_regimes


def add_compliance_story(demo: Demo, customers_per_copy: int) -> None:
    """Recompute the refrigerant history of the first copy's regulated appliances (bigger
    scales keep the raw history: they are for timing), then put a fresh leak on one
    commercial-refrigeration unit."""
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
    _fresh_leak(demo, regulated)


def _regulated(unit: Unit) -> bool:
    try:
        return bool(unit_regimes(unit, unit.full_charge_lb))
    except ComplianceError:
        return False


def _fresh_leak(demo: Demo, units: list[Unit]) -> None:
    refrigeration = [
        u for u in units if u.epa_appliance_type == ApplianceType.COMMERCIAL_REFRIGERATION
    ]
    # On a customer who can sign into the portal, so the demo can show it from both sides.
    refrigeration.sort(key=lambda u: not u.property.customer.portal_users)
    walk_in = refrigeration[0] if refrigeration else None
    tech = db.session.scalar(
        select(StaffUser).where(StaffUser.role == StaffRole.TECHNICIAN).order_by(StaffUser.id)
    )
    if walk_in is None or tech is None:
        return
    charge = walk_in.full_charge_lb
    found = demo.today - timedelta(days=12)
    for kind, day, facts in (
        (
            RefrigerantEventKind.LEAK_INSPECTION,
            found,
            {"leak_found": True, "leak_location": "Evaporator coil U-bend"},
        ),
        (
            RefrigerantEventKind.ADDITION,
            found,
            {"pounds_added": (charge * Decimal("0.3")).quantize(Decimal("0.01"))},
        ),
        (
            RefrigerantEventKind.REPAIR,
            found + timedelta(days=2),
            {"leak_location": "Evaporator coil U-bend", "parts_serviced": "Brazed U-bend"},
        ),
    ):
        record_event(
            walk_in,
            RefrigerantEvent(
                kind=kind,
                occurred_at=demo.at(day, 10),
                technician=tech,
                notes="Demo: leak found on a routine visit.",
                **facts,
            ),
            actor=None,
            confirm_large=True,
        )
