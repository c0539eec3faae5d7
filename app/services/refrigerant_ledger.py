"""Keeping each appliance's compliance state in line with its refrigerant event log.

A unit's leak rates, repair episodes and obligations are derived state: `rebuild_compliance`
replays its events oldest first (the engine in app.services.compliance does the arithmetic;
app.services.repair_episodes opens and closes episodes), keeping what people decided
(shutdowns, retrofit decisions, plans and reports marked done). Recording an event
(app.services.refrigerant), revising a full charge, an office decision on an episode and a
change of the company's Part 84 reading all end here.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import UserError
from app.extensions import db
from app.models import ChargeRevision, ComplianceObligation, RefrigerantEvent, RepairEpisode, Unit
from app.models.enums import EpisodeStatus, LeakRateMethod, RefrigerantEventKind
from app.services import compliance, full_charge
from app.services import repair_episodes as episodes
from app.services.company import current_company, forget_company, local_day, local_today

Kind = RefrigerantEventKind
# Refrigerant put in: ends an annualizing period, and restarts a mothballed repair clock.
CHARGES = (Kind.ADDITION, Kind.INITIAL_CHARGE)
TESTS_AND_REPAIRS = (Kind.REPAIR, Kind.INITIAL_VERIFICATION, Kind.FOLLOWUP_VERIFICATION)


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


def require_category(unit: Unit) -> None:
    """A unit under Part 82 or 84 needs its EPA category: it sets the leak-rate threshold."""
    if unit.epa_appliance_type is None:
        raise EventError(
            _l(
                "%(unit)s has no EPA appliance category (comfort cooling, commercial "
                "refrigeration, industrial process refrigeration, ...); enter it before recording "
                "additions: it sets the leak-rate threshold.",
                unit=unit,
            )
        )


# Replaying events


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
        require_category(unit)
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
