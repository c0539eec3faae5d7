"""Recording refrigerant service and keeping each appliance's compliance state up to date.

Every addition stores its leak rate with the method, threshold and inputs used (the
engine in app.services.compliance does the arithmetic). A rate over the threshold opens a
repair episode with its obligations; verification tests and inspections move the episode
on and complete obligations; additions also feed the chronic-leaker check.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import (
    ChargeRevision,
    ComplianceObligation,
    RefrigerantEvent,
    RepairEpisode,
    Unit,
)
from app.models.base import utcnow
from app.models.enums import (
    ApplianceType,
    ChargeMethod,
    EpisodeStatus,
    LeakRateMethod,
    ObligationKind,
    RefrigerantEventKind,
)
from app.services import compliance
from app.services.audit import record
from app.services.company import to_local

CERTIFIED_WORK = {
    RefrigerantEventKind.ADDITION,
    RefrigerantEventKind.RECOVERY,
    RefrigerantEventKind.REPAIR,
    RefrigerantEventKind.LEAK_INSPECTION,
    RefrigerantEventKind.INITIAL_VERIFICATION,
    RefrigerantEventKind.FOLLOWUP_VERIFICATION,
}
FUTURE_GRACE = timedelta(minutes=5)


class EventError(ValueError):
    """The event cannot be recorded as entered; the message says what to fix."""


def local_day(event: RefrigerantEvent) -> date:
    return to_local(event.occurred_at).date()


def charge_in_effect(unit: Unit, revisions: list[ChargeRevision], day: date) -> Decimal | None:
    """The full charge in effect on `day`: the latest of the unit's revisions (sorted by date)
    by then, else the unit's own."""
    in_effect = [r for r in revisions if r.effective_on <= day]
    return in_effect[-1].full_charge_lb if in_effect else unit.full_charge_lb


def full_charge_on(unit: Unit, day: date) -> Decimal | None:
    """The full charge in effect on `day`, looked up in the database."""
    revision = db.session.scalar(
        select(ChargeRevision)
        .where(ChargeRevision.unit_id == unit.id, ChargeRevision.effective_on <= day)
        .order_by(ChargeRevision.effective_on.desc(), ChargeRevision.id.desc())
        .limit(1)
    )
    return charge_in_effect(unit, [revision] if revision else [], day)


def adopt_charge_revision(revision: ChargeRevision) -> None:
    """Check a full-charge revision; the unit takes it when it is the one in effect today."""
    today = to_local(utcnow()).date()
    if revision.effective_on > today:
        raise EventError("A full-charge revision cannot start in the future.")
    if revision.method == ChargeMethod.RANGE_MIDPOINT:
        low, high = revision.range_low_lb, revision.range_high_lb
        if low is None or high is None or not 0 < low <= high:
            raise EventError("A range midpoint needs the low and high ends of the range.")
        revision.full_charge_lb = (low + high) / 2
    elif not revision.full_charge_lb or revision.full_charge_lb <= 0:
        raise EventError("Enter the full charge in pounds.")
    unit = revision.unit
    latest = db.session.scalar(
        select(ChargeRevision.effective_on)
        .where(ChargeRevision.unit_id == unit.id, ChargeRevision.id != revision.id)
        .order_by(ChargeRevision.effective_on.desc())
        .limit(1)
    )
    if latest is None or revision.effective_on >= latest:
        unit.full_charge_lb, unit.charge_method = revision.full_charge_lb, revision.method


def unit_regimes(unit: Unit, full_charge: Decimal | None) -> set[str]:
    """Part 82, Part 84, both or neither, from the refrigerant, the charge and the person-set
    excluded-subsector flag; an unknown refrigerant is an error, never a guess."""
    if not unit.refrigerant_type or not full_charge:
        return set()
    return compliance.regimes(
        unit.refrigerant_type, full_charge, part84_excluded_subsector=unit.part84_excluded_subsector
    )


def regimes_or_problem(unit: Unit, full_charge: Decimal | None) -> tuple[set[str], str]:
    """`unit_regimes`, and a message for people when the regime cannot be determined (no
    refrigerant or charge on record, or an unknown refrigerant) instead of an error."""
    if not unit.refrigerant_type or not full_charge:
        return set(), "No refrigerant or full charge on record: regime not determined."
    try:
        return unit_regimes(unit, full_charge), ""
    except compliance.ComplianceError as error:
        return set(), str(error)


def validate_event(unit: Unit, event: RefrigerantEvent, *, confirm_large: bool = False) -> None:
    """Refuse what cannot be right: negative pounds, a future date, an addition to an appliance
    without a full charge, or one larger than the full charge unless confirmed."""
    for field in ("pounds_added", "pounds_removed", "pounds_returned"):
        if (getattr(event, field) or 0) < 0:
            raise EventError("Pounds cannot be negative.")
    if event.occurred_at > utcnow() + FUTURE_GRACE:
        raise EventError("The date is in the future; enter when the work was done.")
    if event.kind in CERTIFIED_WORK and event.technician is not None:
        if not event.technician.epa_certification_number:
            raise EventError(f"{event.technician} has no EPA 608 certification number on file.")
    if event.kind == RefrigerantEventKind.ADDITION:
        if not event.pounds_added:
            raise EventError("An addition needs the pounds added.")
        charge = full_charge_on(unit, local_day(event))
        if not charge:
            raise EventError(
                "This appliance has no full charge on record; enter it (and how it was "
                "determined) before recording additions."
            )
        if event.pounds_added > charge and not confirm_large:
            raise EventError(
                f"{event.pounds_added} lb is more than the full charge ({charge} lb). "
                "Check the amount, or confirm it."
            )


def _additions(unit: Unit) -> tuple[list[tuple[date, Decimal]], list[date]]:
    """(countable additions as (day, added − returned), days of charges that do not count).

    The initial charge and exempt additions (seasonal variance, after a retrofit, purged)
    add no pounds but still end the annualizing period.
    """
    events = db.session.scalars(
        select(RefrigerantEvent)
        .where(
            RefrigerantEvent.unit_id == unit.id,
            RefrigerantEvent.kind.in_(
                (RefrigerantEventKind.ADDITION, RefrigerantEventKind.INITIAL_CHARGE)
            ),
        )
        .order_by(RefrigerantEvent.occurred_at)
    ).all()
    counted, uncounted = [], []
    for event in events:
        if event.kind == RefrigerantEventKind.ADDITION and event.exempt_reason is None:
            counted.append((local_day(event), event.pounds_added - event.pounds_returned))
        else:
            uncounted.append(local_day(event))
    return counted, uncounted


def _passed_followups(unit: Unit) -> list[date]:
    events = db.session.scalars(
        select(RefrigerantEvent).where(
            RefrigerantEvent.unit_id == unit.id,
            RefrigerantEvent.kind == RefrigerantEventKind.FOLLOWUP_VERIFICATION,
            RefrigerantEvent.test_passed.is_(True),
        )
    ).all()
    return [local_day(e) for e in events]


def _category(unit: Unit) -> str:
    return (unit.epa_appliance_type or ApplianceType.OTHER).value


def _evaluate_addition(unit: Unit, event: RefrigerantEvent) -> None:
    day = local_day(event)
    charge = full_charge_on(unit, day)
    regimes = unit_regimes(unit, charge)
    method = unit.property.leak_rate_method or LeakRateMethod.ANNUALIZING
    additions, uncounted = _additions(unit)
    results = [
        compliance.leak_rate_details(
            charge,
            additions,
            method=method.value,
            on=day,
            regime=regime,
            followup_test_dates=_passed_followups(unit),
            installed_on=unit.install_date,
            uncounted_addition_dates=uncounted,
        )
        for regime in sorted(regimes or {"part82"})
    ]
    result = max(results, key=lambda r: r.rate.exact)  # under both regimes, the stricter one
    category = _category(unit)
    event.leak_rate_percent = Decimal(result.rate).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    event.leak_rate_method = method
    event.leak_rate_threshold = compliance.threshold_percent(category)
    event.leak_rate_exceeded = bool(regimes) and compliance.exceeds(result.rate, category)
    event.leak_rate_inputs = {**result.inputs(), "regimes": sorted(regimes)}
    if event.leak_rate_exceeded:
        _open_episode(unit, event, day, event.leak_rate_threshold)
    if regimes:
        if regimes == {"part84"}:
            additions = [(d, lb) for d, lb in additions if compliance.regime_in_effect("part84", d)]
        _check_chronic(unit, charge, additions, day.year)


def open_episode(unit: Unit) -> RepairEpisode | None:
    return db.session.scalar(
        select(RepairEpisode).where(
            RepairEpisode.unit_id == unit.id, RepairEpisode.status != EpisodeStatus.CLOSED
        )
    )


def _obligation(unit, kind, due_on, episode=None, notes="") -> ComplianceObligation:
    obligation = ComplianceObligation(
        unit=unit, kind=kind, due_on=due_on, episode=episode, notes=notes
    )
    db.session.add(obligation)
    return obligation


def _open_episode(unit: Unit, event: RefrigerantEvent, day: date, threshold: int) -> None:
    """One open episode per appliance: a new exceedance while one is open keeps its clock."""
    episode = open_episode(unit)
    if episode is None:
        episode = RepairEpisode(
            unit=unit,
            discovered_on=day,
            leak_rate_percent=event.leak_rate_percent,
            threshold_percent=threshold,
        )
        db.session.add(episode)
        deadlines = compliance.repair_deadlines(day, _category(unit))
        _obligation(unit, ObligationKind.REPAIR, deadlines.repair_due, episode)
        _obligation(
            unit, ObligationKind.INITIAL_VERIFICATION, deadlines.initial_verification_due, episode
        )
        db.session.flush()
        record(
            "leak_rate_exceeded", unit, actor=None, summary=f"{unit}: {event.leak_rate_percent}%"
        )
    event.episode = episode


def _check_chronic(unit: Unit, charge: Decimal, additions, year: int) -> None:
    if not compliance.is_chronic_leaker(charge, additions, year):
        return
    due = compliance.chronic_report_due(year)
    exists = db.session.scalar(
        select(ComplianceObligation.id).where(
            ComplianceObligation.unit_id == unit.id,
            ComplianceObligation.kind == ObligationKind.CHRONIC_LEAK_REPORT,
            ComplianceObligation.due_on == due,
        )
    )
    if not exists:
        _obligation(
            unit,
            ObligationKind.CHRONIC_LEAK_REPORT,
            due,
            notes=f"Leaks reached 125% of the full charge in {year}: report to EPA.",
        )


def _complete(unit: Unit, kinds, event: RefrigerantEvent, day: date) -> None:
    for obligation in db.session.scalars(
        select(ComplianceObligation).where(
            ComplianceObligation.unit_id == unit.id,
            ComplianceObligation.kind.in_(kinds),
            ComplianceObligation.completed_on.is_(None),
        )
    ):
        obligation.completed_on, obligation.completed_by_event_id = day, event.id


def _after_test_or_repair(unit: Unit, event: RefrigerantEvent) -> None:
    episode = open_episode(unit)
    day = local_day(event)
    kind = event.kind
    if kind == RefrigerantEventKind.LEAK_INSPECTION:
        _complete(unit, [ObligationKind.LEAK_INSPECTION], event, day)
        return
    if episode is None:
        return
    event.episode = episode
    if kind == RefrigerantEventKind.REPAIR:
        episode.repaired_on = day
        _complete(unit, [ObligationKind.REPAIR], event, day)
    elif kind == RefrigerantEventKind.INITIAL_VERIFICATION and event.test_passed:
        episode.initial_test_on, episode.status = day, EpisodeStatus.REPAIRED
        _complete(unit, [ObligationKind.REPAIR, ObligationKind.INITIAL_VERIFICATION], event, day)
        _obligation(
            unit, ObligationKind.FOLLOWUP_VERIFICATION, compliance.followup_due(day), episode
        )
    elif kind == RefrigerantEventKind.FOLLOWUP_VERIFICATION and event.test_passed:
        episode.followup_test_on, episode.closed_on = day, day
        episode.status = EpisodeStatus.CLOSED
        _complete(unit, [ObligationKind.FOLLOWUP_VERIFICATION], event, day)
        interval = compliance.inspection_interval(
            _category(unit), full_charge_on(unit, day) or Decimal(0)
        )
        _obligation(unit, ObligationKind.LEAK_INSPECTION, day + interval, episode)
    elif kind in (RefrigerantEventKind.RETROFIT, RefrigerantEventKind.RETIREMENT):
        episode.status = EpisodeStatus.RETROFIT_OR_RETIRE
        _obligation(unit, ObligationKind.RETROFIT_PLAN, day + timedelta(days=30), episode)


def record_event(
    unit: Unit, event: RefrigerantEvent, *, actor, confirm_large: bool = False
) -> RefrigerantEvent:
    """Validate and add a refrigerant event, then bring the unit's compliance state up to date.

    Raises EventError (nothing written) when the input is wrong; the caller commits.
    """
    validate_event(unit, event, confirm_large=confirm_large)
    if event.technician is not None:
        event.certification_number = event.technician.epa_certification_number
    if not event.refrigerant_type:
        event.refrigerant_type = unit.refrigerant_type
    event.unit = unit
    db.session.add(event)
    db.session.flush()
    try:
        if event.kind == RefrigerantEventKind.ADDITION and event.exempt_reason is None:
            _evaluate_addition(unit, event)
        else:
            _after_test_or_repair(unit, event)
    except compliance.ComplianceError as error:
        raise EventError(str(error)) from None
    db.session.flush()
    record("refrigerant_event", event, actor=actor)
    return event


def rebuild_compliance(unit: Unit) -> None:
    """Recompute a unit's leak rates, episodes and obligations from its events, oldest first.

    Used after events were loaded in bulk (the demo data) and whenever the stored state must
    be brought back in line with the event log.
    """
    for model in (ComplianceObligation, RepairEpisode):
        for row in db.session.scalars(select(model).where(model.unit_id == unit.id)):
            db.session.delete(row)
    events = db.session.scalars(
        select(RefrigerantEvent)
        .where(RefrigerantEvent.unit_id == unit.id)
        .order_by(RefrigerantEvent.occurred_at, RefrigerantEvent.id)
    ).all()
    for event in events:
        event.episode = None
        event.leak_rate_percent = event.leak_rate_method = event.leak_rate_threshold = None
        event.leak_rate_exceeded, event.leak_rate_inputs = None, {}
    db.session.flush()
    for event in events:
        if event.kind == RefrigerantEventKind.ADDITION and event.exempt_reason is None:
            _evaluate_addition(unit, event)
        else:
            _after_test_or_repair(unit, event)
        db.session.flush()


def set_ipr_shutdown(episode: RepairEpisode, needed: bool) -> None:
    """Record whether the repair needs an industrial process shutdown, and move the repair and
    initial-verification deadlines accordingly (120 days instead of 30)."""
    deadlines = compliance.repair_deadlines(
        episode.discovered_on, _category(episode.unit), ipr_shutdown=needed
    )
    episode.ipr_shutdown = needed
    due = {
        ObligationKind.REPAIR: deadlines.repair_due,
        ObligationKind.INITIAL_VERIFICATION: deadlines.initial_verification_due,
    }
    for obligation in episode.obligations:
        if obligation.kind in due and obligation.completed_on is None:
            obligation.due_on = due[obligation.kind]
