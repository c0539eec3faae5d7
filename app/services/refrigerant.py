"""Recording refrigerant service and keeping each appliance's compliance state up to date.

Every addition stores its leak rate with the method, threshold and inputs used (the engine
in app.services.compliance does the arithmetic); a rate over the threshold opens a repair
episode (app.services.repair_episodes) and feeds the chronic-leaker check. Events can be
corrected and deleted; the unit's leak rates, episodes and obligations are then recomputed
from its event log, keeping what people decided (shutdowns, retrofit decisions, plans and
reports marked done).
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import UserError
from app.extensions import db
from app.models import ChargeRevision, ComplianceObligation, RefrigerantEvent, RepairEpisode, Unit
from app.models.base import utcnow
from app.models.enums import (
    AdditionExemption,
    EpisodeStatus,
    LeakRateMethod,
    RefrigerantEventKind,
)
from app.services import compliance, full_charge
from app.services import repair_episodes as episodes
from app.services.audit import changes_of, record
from app.services.company import current_company, forget_company, local_day, local_today

Kind = RefrigerantEventKind
CERTIFIED_WORK = {
    Kind.ADDITION,
    Kind.RECOVERY,
    Kind.REPAIR,
    Kind.LEAK_INSPECTION,
    Kind.INITIAL_VERIFICATION,
    Kind.FOLLOWUP_VERIFICATION,
}
# Refrigerant put in: ends an annualizing period, and restarts a mothballed repair clock.
CHARGES = (Kind.ADDITION, Kind.INITIAL_CHARGE)
TESTS_AND_REPAIRS = (Kind.REPAIR, Kind.INITIAL_VERIFICATION, Kind.FOLLOWUP_VERIFICATION)
FUTURE_GRACE = timedelta(minutes=5)


class EventError(UserError):
    """The event cannot be recorded as entered; the message says what to fix."""


def unit_regimes(unit: Unit, charge: Decimal | None) -> set[str]:
    """Part 82, Part 84, both or neither, from the refrigerant, the charge and the person-set
    excluded-subsector flag; an unknown refrigerant is an error, never a guess."""
    if not unit.refrigerant_type or not charge:
        return set()
    return compliance.regimes(
        unit.refrigerant_type, charge, part84_excluded_subsector=unit.part84_excluded_subsector
    )


def regimes_or_problem(unit: Unit, charge: Decimal | None) -> tuple[set[str], str]:
    """`unit_regimes`, and a message for people when the regime cannot be determined (no
    refrigerant or charge on record, or an unknown refrigerant) instead of an error."""
    if not unit.refrigerant_type or not charge:
        return set(), str(_l("No refrigerant or full charge on record: regime not determined."))
    try:
        return unit_regimes(unit, charge), ""
    except compliance.ComplianceError as error:
        return set(), str(error)


# Checking an event


def validate_event(unit: Unit, event: RefrigerantEvent, *, confirm_large: bool = False) -> None:
    """Refuse what cannot be right: negative pounds, a future date, more returned than added,
    an exemption that does not fit the work, or an addition the rules cannot be applied to."""
    for field in ("pounds_added", "pounds_removed", "pounds_returned"):
        if (getattr(event, field) or 0) < 0:
            raise EventError(_l("Pounds cannot be negative."))
    if event.occurred_at > utcnow() + FUTURE_GRACE:
        raise EventError(_l("The date is in the future; enter when the work was done."))
    if event.kind in CERTIFIED_WORK and event.technician is not None:
        if not event.technician.epa_certification_number:
            raise EventError(
                _l(
                    "%(person)s has no EPA 608 certification number on file.",
                    person=event.technician,
                )
            )
    returned = event.pounds_returned or 0
    if returned and event.kind != Kind.ADDITION:
        raise EventError(
            _l(
                "Returned refrigerant goes back in with a recharge: record it on the addition "
                "(pounds added, of which returned)."
            )
        )
    if returned > (event.pounds_added or 0):
        raise EventError(
            _l(
                "%(returned)s lb returned is more than the %(added)s lb added: the pounds added "
                "include what was recovered from this appliance and put back.",
                returned=returned,
                added=event.pounds_added or 0,
            )
        )
    _check_exemption(event)
    if event.kind == Kind.ADDITION:
        _check_addition(unit, event, confirm_large)


def _check_exemption(event: RefrigerantEvent) -> None:
    reason = event.exempt_reason
    seasonal_removal = event.kind == Kind.RECOVERY and reason == AdditionExemption.SEASONAL_VARIANCE
    if reason is not None and event.kind != Kind.ADDITION and not seasonal_removal:
        raise EventError(
            _l(
                "Only an addition (or, for a seasonal variance, the removal at the next season "
                "change) can be exempt from the leak rate."
            )
        )


def _check_addition(unit: Unit, event: RefrigerantEvent, confirm_large: bool) -> None:
    if not event.pounds_added:
        raise EventError(_l("An addition needs the pounds added."))
    if not unit.refrigerant_type:
        raise EventError(
            _l(
                "This appliance has no refrigerant type on record; enter it before recording "
                "additions (the rules that apply depend on it)."
            )
        )
    day = local_day(event.occurred_at)
    charge = full_charge.full_charge_on(unit, day)
    if not charge:
        first = full_charge.first_charge_day(unit)
        if first is None:
            raise EventError(
                _l(
                    "This appliance has no full charge on record; enter it (and how it was "
                    "determined) before recording additions."
                )
            )
        raise EventError(
            _l(
                "No full charge was in effect on %(day)s: the earliest on record applies from "
                "%(first)s. Record the full charge that applied then (Compliance → Full-charge "
                "revisions) first.",
                day=day,
                first=first,
            )
        )
    try:
        covered = unit_regimes(unit, charge)
    except compliance.ComplianceError as error:
        raise EventError(str(error)) from None
    if covered:
        _require_category(unit)
    if event.pounds_added > charge and not confirm_large:
        raise EventError(
            _l(
                "%(added)s lb is more than the full charge (%(charge)s lb). "
                "Check the amount, or confirm it.",
                added=event.pounds_added,
                charge=charge,
            )
        )


def _require_category(unit: Unit) -> None:
    if unit.epa_appliance_type is None:
        raise EventError(
            _l(
                "%(unit)s has no EPA appliance category (comfort cooling, commercial "
                "refrigeration, industrial process refrigeration, ...); enter it before recording "
                "additions: it sets the leak-rate threshold.",
                unit=unit,
            )
        )


# Recording, correcting and deleting events


def record_event(
    unit: Unit, event: RefrigerantEvent, *, actor, confirm_large: bool = False
) -> RefrigerantEvent:
    """Validate and add a refrigerant event, then bring the unit's compliance state up to date.

    Raises EventError (nothing written) when the input is wrong; the caller commits. The
    unit is recomputed from its whole event log, so an event entered late (dated before
    others) counts where it belongs.
    """
    validate_event(unit, event, confirm_large=confirm_large)
    if event.technician is not None:
        event.certification_number = event.technician.epa_certification_number
    if not event.refrigerant_type:
        event.refrigerant_type = unit.refrigerant_type
    event.unit = unit
    db.session.add(event)
    db.session.flush()
    rebuild_compliance(unit)
    record("refrigerant_event", event, actor=actor)
    return event


def update_event(event: RefrigerantEvent, *, actor, confirm_large: bool = False) -> None:
    """A corrected event (its fields already changed): check it, then recompute the unit (and
    the unit it was moved from) and keep the change in the audit trail."""
    changes = changes_of(event)
    with db.session.no_autoflush:
        validate_event(event.unit, event, confirm_large=confirm_large)
    if "technician_id" in changes and event.technician is not None:
        event.certification_number = event.technician.epa_certification_number
    db.session.flush()
    record("update", event, actor=actor, changes=changes)
    before = changes.get("unit_id", [None])[0]
    for unit_id in {event.unit_id, before} - {None}:
        rebuild_compliance(db.session.get(Unit, unit_id))


def delete_event(event: RefrigerantEvent, *, actor) -> None:
    """Delete an event and recompute its unit without it."""
    unit = event.unit
    record("delete", event, actor=actor)
    for obligation in db.session.scalars(
        select(ComplianceObligation).where(ComplianceObligation.completed_by_event_id == event.id)
    ):
        obligation.completed_by_event_id = None
    db.session.delete(event)
    db.session.flush()
    rebuild_compliance(unit)


def _apply(unit: Unit, event: RefrigerantEvent, spare_episodes: dict | None = None) -> None:
    """What the event does to the unit's compliance state, given everything before it.

    `spare_episodes` (a rebuild) are the unit's episode rows by discovery day, for reuse.
    """
    day = local_day(event.occurred_at)
    episodes.note_missed_deadlines(unit, day)
    if event.kind in CHARGES:
        episodes.resume_after_mothball(unit, day)
    if _counted(event):
        _evaluate_addition(unit, event, day, {} if spare_episodes is None else spare_episodes)
    elif event.kind == Kind.LEAK_INSPECTION:
        episodes.after_inspection(unit, event, day)
    elif event.kind in TESTS_AND_REPAIRS:
        episodes.after_test_or_repair(unit, event, day)
    elif event.kind == Kind.MOTHBALL:
        episodes.mothball(unit, event, day)
    elif event.kind in (Kind.RETROFIT, Kind.RETIREMENT):
        episodes.retrofitted_or_retired(unit, event, day)


# Leak rates


def _counted(event: RefrigerantEvent) -> bool:
    """An addition that counts toward the leak rate (so gets one computed)."""
    return event.kind == Kind.ADDITION and event.exempt_reason is None


def _additions(unit: Unit) -> tuple[list[tuple[date, Decimal]], list[date]]:
    """(countable additions as (day, added − returned), days of charges that do not count).

    The initial charge and exempt additions (seasonal variance, after a retrofit, purged)
    add no pounds but still end the annualizing period.
    """
    events = db.session.scalars(
        select(RefrigerantEvent)
        .where(RefrigerantEvent.unit_id == unit.id, RefrigerantEvent.kind.in_(CHARGES))
        .order_by(RefrigerantEvent.occurred_at)
    ).all()
    counted, uncounted = [], []
    for event in events:
        day = local_day(event.occurred_at)
        if _counted(event):
            counted.append((day, event.pounds_added - event.pounds_returned))
        else:
            uncounted.append(day)
    return counted, uncounted


def _passed_followups(unit: Unit) -> list[date]:
    return [
        local_day(moment)
        for moment in db.session.scalars(
            select(RefrigerantEvent.occurred_at).where(
                RefrigerantEvent.unit_id == unit.id,
                RefrigerantEvent.kind == Kind.FOLLOWUP_VERIFICATION,
                RefrigerantEvent.test_passed.is_(True),
            )
        )
    ]


def _evaluate_addition(unit: Unit, event: RefrigerantEvent, day: date, spare: dict) -> None:
    charge = full_charge.full_charge_on(unit, day)
    regimes = unit_regimes(unit, charge)
    if regimes:
        _require_category(unit)
    method = event.leak_rate_method or unit.property.leak_rate_method or LeakRateMethod.ANNUALIZING
    additions, uncounted = _additions(unit)
    category = unit.epa_appliance_type.value if unit.epa_appliance_type else None
    from_installation = not current_company().part84_first_calculation_365_days
    outcomes = []
    # An appliance no rule covers gets its rate for information, by the Part 82 formula.
    for regime in sorted(regimes or {compliance.PART82}):
        result = compliance.leak_rate_details(
            charge,
            additions,
            method=method.value,
            on=day,
            regime=regime,
            followup_test_dates=_passed_followups(unit),
            installed_on=unit.install_date,
            uncounted_addition_dates=uncounted,
            part84_first_from_installation=from_installation,
        )
        threshold = compliance.threshold_in_effect(category, regime, day) if category else None
        applies = bool(regimes) and compliance.leak_repair_applies(regime, day)
        over = applies and compliance.exceeds(result.rate, category, regime=regime, on=day)
        outcomes.append((over, result.rate.exact / (threshold or 1), result, threshold))
    # Under both regimes the stricter outcome: an exceedance, else the rate nearest its limit.
    over, _, result, threshold = max(outcomes, key=lambda outcome: outcome[:2])
    event.leak_rate_percent = Decimal(result.rate).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    event.leak_rate_method = method
    event.leak_rate_threshold = threshold
    event.leak_rate_exceeded = over
    event.leak_rate_inputs = {**result.inputs(), "regimes": sorted(regimes)}
    if over:
        episode = episodes.open_for_exceedance(unit, event, day, threshold, spare=spare)
        episodes.schedule_inspections(unit, episode, day, charge)
    _check_chronic(unit, charge, additions, regimes, day.year)


def _check_chronic(unit: Unit, charge, additions, regimes: set[str], year: int) -> None:
    """Chronic-leaker reports exist from 82.157 (2019) and 84.106 (2026) on."""
    year_end = date(year, 12, 31)
    in_effect = {r for r in regimes if compliance.regime_in_effect(r, year_end)}
    if not in_effect:
        return
    if in_effect == {compliance.PART84}:
        additions = [(d, lb) for d, lb in additions if compliance.regime_in_effect("part84", d)]
    if compliance.is_chronic_leaker(charge, additions, year):
        episodes.require_chronic_report(unit, year)


# Recomputing


def rebuild_compliance(unit: Unit) -> None:
    """Recompute a unit's leak rates, episodes and obligations from its events, oldest first.

    Used after an event or a full charge was corrected, after events were loaded in bulk (the
    demo data), and whenever the stored state must be brought back in line with the event
    log. Episode rows are reused by discovery day, so what office staff set on them (a
    shutdown, a retrofit decision, notes) applies again; plans and reports they marked done
    are marked done again. Raises EventError when the records cannot be evaluated.
    """
    try:
        _rebuild(unit)
    except compliance.ComplianceError as error:
        raise EventError(f"{unit}: {error}") from None


def _rebuild(unit: Unit) -> None:
    kept = episodes.people_inputs(unit)
    for row in db.session.scalars(
        select(ComplianceObligation).where(ComplianceObligation.unit_id == unit.id)
    ):
        db.session.delete(row)
    spare = {}
    for episode in db.session.scalars(
        select(RepairEpisode).where(RepairEpisode.unit_id == unit.id)
    ):
        episode.status = EpisodeStatus.CLOSED  # out of the way until an exceedance reuses it
        episode.repaired_on = episode.initial_test_on = None
        episode.followup_test_on = episode.closed_on = None
        spare[episode.discovered_on] = episode
    events = db.session.scalars(
        select(RefrigerantEvent)
        .where(RefrigerantEvent.unit_id == unit.id)
        .order_by(RefrigerantEvent.occurred_at, RefrigerantEvent.id)
    ).all()
    for event in events:
        event.episode = None
        # The method stays: an addition keeps the one its facility used when it was recorded.
        event.leak_rate_percent = event.leak_rate_threshold = None
        if not _counted(event):
            event.leak_rate_method = None
        event.leak_rate_exceeded, event.leak_rate_inputs = None, {}
    db.session.flush()
    for episode in spare.values():
        db.session.expire(episode, ["obligations", "events"])  # the deleted ones are gone
    for event in events:
        _apply(unit, event, spare)
        db.session.flush()
    for unused in spare.values():
        db.session.delete(unused)
    episodes.note_missed_deadlines(unit, local_today())
    db.session.flush()
    episodes.restore_people_inputs(unit, kept)
    db.session.flush()


def apply_part84_reading() -> int:
    """The company changed its reading of the first Part 84 calculation: recompute the units
    it can change (installed on or after 2026-01-01, with refrigerant added); how many."""
    forget_company()
    units = db.session.scalars(
        select(Unit)
        .where(
            Unit.install_date >= compliance.PART84_START,
            Unit.id.in_(
                select(RefrigerantEvent.unit_id).where(RefrigerantEvent.kind == Kind.ADDITION)
            ),
        )
        .order_by(Unit.id)
    ).all()
    for unit in units:
        rebuild_compliance(unit)
    return len(units)


def note_missed_deadlines_everywhere() -> int:
    """Daily: every open episode whose repair or verification deadline passed today gets its
    retrofit or retirement plan obligation; how many episodes were looked at."""
    units = db.session.scalars(
        select(Unit)
        .where(
            Unit.id.in_(
                select(RepairEpisode.unit_id).where(RepairEpisode.status != EpisodeStatus.CLOSED)
            )
        )
        .order_by(Unit.id)
    ).all()
    today = local_today()
    for unit in units:
        episodes.note_missed_deadlines(unit, today)
    db.session.flush()
    return len(units)


# Full-charge revisions


def record_charge_revision(revision: ChargeRevision, *, actor) -> None:
    """Add a full-charge revision, then recompute the unit's leak rates from its date on."""
    try:
        full_charge.add_revision(revision, actor=actor)
    except full_charge.ChargeError as error:
        raise EventError(str(error)) from None
    rebuild_compliance(revision.unit)


def record_unit_charge_change(unit: Unit, effective_on: date | None, *, actor) -> None:
    """The unit's own full charge or method was edited: keep it as a revision, recompute."""
    try:
        revision = full_charge.revise_from_unit_form(unit, effective_on, actor=actor)
    except full_charge.ChargeError as error:
        raise EventError(str(error)) from None
    if revision is not None:
        rebuild_compliance(unit)


def apply_office_decisions(episode: RepairEpisode) -> None:
    """Office staff changed an episode (shutdown, retrofit decision): recompute its unit."""
    try:
        episodes.check_episode_decisions(episode)
    except episodes.ObligationError as error:
        raise EventError(str(error)) from None
    db.session.flush()
    rebuild_compliance(episode.unit)
