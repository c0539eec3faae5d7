"""What a commercial customer's compliance pages show, read through their customer scope."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    ComplianceObligation,
    RefrigerantEvent,
    RepairEpisode,
    Unit,
)
from app.scoping import CustomerScope
from app.services.compliance import display_percent
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


def regulated_units(scope: CustomerScope) -> list[Unit]:
    """The customer's appliances that hold refrigerant and have a category on file."""
    return list(
        db.session.scalars(
            scope.select(Unit)
            .where(Unit.epa_appliance_type.is_not(None), Unit.refrigerant_type != "")
            .options(selectinload(Unit.property))
            .order_by(Unit.property_id, Unit.name)
        )
    )


def appliance_records(scope: CustomerScope, units: list[Unit]) -> list[ApplianceRecord]:
    """Each unit with its events, repair episodes and open obligations (one query per table)."""
    records = {
        unit.id: ApplianceRecord(unit, sorted(regimes_or_problem(unit, unit.full_charge_lb)[0]))
        for unit in units
    }
    ids = list(records)
    for event in db.session.scalars(
        scope.select(RefrigerantEvent)
        .where(RefrigerantEvent.unit_id.in_(ids))
        .options(selectinload(RefrigerantEvent.technician))
        .order_by(RefrigerantEvent.occurred_at)
    ):
        records[event.unit_id].events.append(event)
    for episode in db.session.scalars(
        scope.select(RepairEpisode)
        .where(RepairEpisode.unit_id.in_(ids))
        .options(selectinload(RepairEpisode.events))
        .order_by(RepairEpisode.discovered_on.desc())
    ):
        records[episode.unit_id].episodes.append(episode)
    for obligation in db.session.scalars(
        scope.select(ComplianceObligation)
        .where(ComplianceObligation.unit_id.in_(ids), ComplianceObligation.completed_on.is_(None))
        .order_by(ComplianceObligation.due_on)
    ):
        records[obligation.unit_id].open_obligations.append(obligation)
    return list(records.values())


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str
    over: bool


def leak_rate_chart(record: ApplianceRecord, width: int = 560, height: int = 160) -> dict:
    """Coordinates for a small inline SVG: leak rate at each addition and the threshold."""
    additions = record.rated_additions
    if not additions:
        return {}
    threshold = additions[-1].leak_rate_threshold or 0
    top = max([Decimal(threshold), *(e.leak_rate_percent for e in additions)]) * Decimal("1.15")
    first = additions[0].occurred_at.date()
    span = max((additions[-1].occurred_at.date() - first).days, 1)

    def y(value) -> float:
        return round(float(height - Decimal(value) / top * height), 1)

    points = [
        ChartPoint(
            x=round(40 + (e.occurred_at.date() - first).days / span * (width - 60), 1)
            if len(additions) > 1
            else width / 2,
            y=y(e.leak_rate_percent),
            label=f"{e.occurred_at.date()}: {display_percent(e.exact_leak_rate)}%",
            over=bool(e.leak_rate_exceeded),
        )
        for e in additions
    ]
    return {
        "width": width,
        "height": height,
        "threshold": threshold,
        "threshold_y": y(threshold),
        "points": points,
        "path": " ".join(f"{p.x},{p.y}" for p in points),
    }
