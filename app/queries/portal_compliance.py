"""What a commercial customer's compliance pages show, read through their customer scope."""

from dataclasses import dataclass, field

from sqlalchemy import bindparam
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    ComplianceObligation,
    RefrigerantEvent,
    RepairEpisode,
    Unit,
)
from app.scoping import ANY_CUSTOMER, CustomerScope
from app.services.compliance import threshold_percent
from app.services.refrigerant_ledger import regimes_or_problem


@dataclass
class ApplianceRecord:
    unit: Unit
    regimes: list[str]
    events: list[RefrigerantEvent] = field(default_factory=list)
    episodes: list[RepairEpisode] = field(default_factory=list)
    open_obligations: list[ComplianceObligation] = field(default_factory=list)

    @property
    def rated_additions(self) -> list[RefrigerantEvent]:
        return [e for e in self.events if e.leak_rate_percent is not None]


# The pages' statements are built once for every customer (ANY_CUSTOMER), the units' ids bound
# at run time: building a select with its loader options costs about as much as running it.
_UNITS = (
    ANY_CUSTOMER.select(Unit)
    .where(Unit.epa_appliance_type.is_not(None), Unit.refrigerant_type != "")
    .options(selectinload(Unit.property))
    .order_by(Unit.property_id, Unit.name)
)
_OF_UNITS = bindparam("unit_ids", expanding=True)
_EVENTS = (
    ANY_CUSTOMER.select(RefrigerantEvent)
    .where(RefrigerantEvent.unit_id.in_(_OF_UNITS))
    .options(selectinload(RefrigerantEvent.technician))
    .order_by(RefrigerantEvent.occurred_at)
)
_EPISODES = (
    ANY_CUSTOMER.select(RepairEpisode)
    .where(RepairEpisode.unit_id.in_(_OF_UNITS))
    .options(selectinload(RepairEpisode.events))
    .order_by(RepairEpisode.discovered_on.desc())
)
_OPEN_OBLIGATIONS = (
    ANY_CUSTOMER.select(ComplianceObligation)
    .where(ComplianceObligation.unit_id.in_(_OF_UNITS), ComplianceObligation.completed_on.is_(None))
    .order_by(ComplianceObligation.due_on)
)


def regulated_units(scope: CustomerScope) -> list[Unit]:
    """The customer's appliances that hold refrigerant and have a category on file."""
    return list(db.session.scalars(_UNITS, scope.bound()))


def appliance_records(scope: CustomerScope, units: list[Unit]) -> list[ApplianceRecord]:
    """Each unit with its events, repair episodes and open obligations (one query per table)."""
    records = {
        unit.id: ApplianceRecord(unit, sorted(regimes_or_problem(unit, unit.full_charge_lb)[0]))
        for unit in units
    }
    parameters = {**scope.bound(), "unit_ids": list(records)}
    for event in db.session.scalars(_EVENTS, parameters):
        records[event.unit_id].events.append(event)
    for episode in db.session.scalars(_EPISODES, parameters):
        records[episode.unit_id].episodes.append(episode)
    for obligation in db.session.scalars(_OPEN_OBLIGATIONS, parameters):
        records[obligation.unit_id].open_obligations.append(obligation)
    return list(records.values())


def leak_limit(record: ApplianceRecord) -> int | None:
    """The leak rate (percent a year) over which the appliance must be repaired, as the
    compliance engine sets it for its category today; None when no leak repair rule covers it."""
    if not record.regimes or record.unit.epa_appliance_type is None:
        return None
    return threshold_percent(record.unit.epa_appliance_type.value)
