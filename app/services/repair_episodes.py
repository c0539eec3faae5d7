"""What follows a leak rate over the threshold: the repair episode and its obligations.

Repair and initial verification within 30 days (120 for an industrial process shutdown), the
follow-up test 10 days after a passed initial test, leak inspections until the appliance has
gone the clear period without exceeding, a retrofit or retirement plan when the owner decides
to retrofit or retire or fails to repair, the retrofit or retirement itself within a year of
the plan, the repair clock stopped while the appliance is mothballed, and the chronic-leaker
report. Day 0 is the day of the addition whose rate exceeded [I]. The refrigerant ledger
(app.services.refrigerant_ledger) calls these as it replays a unit's events; they flush nothing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import UserError
from app.extensions import db
from app.labels import label
from app.models import ComplianceObligation, RefrigerantEvent, RepairEpisode, Unit
from app.models.enums import EpisodeStatus, ObligationKind, RefrigerantEventKind
from app.services import compliance
from app.services.audit import changes_of, record
from app.services.company import local_day, local_today
from app.services.full_charge import full_charge_on

# The corrective action's clock: stopped while mothballed; missing it calls for a plan.
REPAIR_CLOCK = (
    ObligationKind.REPAIR,
    ObligationKind.INITIAL_VERIFICATION,
    ObligationKind.FOLLOWUP_VERIFICATION,
)
# Marked done by people in the back office; every other kind is completed by an event.
DONE_BY_PEOPLE = (ObligationKind.RETROFIT_PLAN, ObligationKind.CHRONIC_LEAK_REPORT)


class ObligationError(UserError):
    """An obligation or episode cannot be changed as asked; the message says why."""


def category_of(unit: Unit) -> str:
    """The unit's EPA appliance category ("" when not set; the engine then refuses)."""
    return unit.epa_appliance_type.value if unit.epa_appliance_type else ""


def open_episode(unit: Unit) -> RepairEpisode | None:
    """The unit's one episode that is not closed, if any [I]."""
    return db.session.scalar(
        select(RepairEpisode).where(
            RepairEpisode.unit_id == unit.id, RepairEpisode.status != EpisodeStatus.CLOSED
        )
    )


def _open_obligations(unit: Unit, kinds, episode: RepairEpisode | None = None) -> list:
    query = select(ComplianceObligation).where(
        ComplianceObligation.unit_id == unit.id,
        ComplianceObligation.kind.in_(kinds),
        ComplianceObligation.completed_on.is_(None),
    )
    if episode is not None:
        query = query.where(ComplianceObligation.episode_id == episode.id)
    return list(db.session.scalars(query.order_by(ComplianceObligation.due_on)))


def _add(unit, kind, due_on, episode=None, notes="") -> ComplianceObligation:
    obligation = ComplianceObligation(
        unit=unit, kind=kind, due_on=due_on, episode=episode, notes=notes
    )
    db.session.add(obligation)
    return obligation


def _complete(unit: Unit, kinds, event: RefrigerantEvent, day: date, reason: str = "") -> None:
    for obligation in _open_obligations(unit, kinds):
        obligation.completed_on, obligation.completed_by_event_id = day, event.id
        obligation.suspended_on, obligation.ended_reason = None, reason


# Opening an episode


def open_for_exceedance(
    unit: Unit, event: RefrigerantEvent, day: date, threshold: int, *, spare: dict
) -> RepairEpisode:
    """The episode an exceeding addition belongs to, opened with its deadlines if none is
    open. `spare` holds a rebuild's episode rows by discovery day: one for this day is
    reused, and what office staff set on it (shutdown, retrofit decision) applies again."""
    episode = open_episode(unit)
    if episode is None:
        reuse = spare.pop(day, None)
        if reuse is None:
            record("leak_rate_exceeded", unit, actor=None, summary=f"{unit}: {day}")
        episode = reuse or RepairEpisode(unit=unit, discovered_on=day)
        episode.status = EpisodeStatus.OPEN
        episode.leak_rate_percent, episode.threshold_percent = event.leak_rate_percent, threshold
        db.session.add(episode)
        deadlines = compliance.repair_deadlines(day, category_of(unit))
        _add(unit, ObligationKind.REPAIR, deadlines.repair_due, episode)
        _add(unit, ObligationKind.INITIAL_VERIFICATION, deadlines.initial_verification_due, episode)
        if episode.ipr_shutdown:
            set_ipr_shutdown(episode, True)
        if episode.retrofit_decided_on:
            episode.status = EpisodeStatus.RETROFIT_OR_RETIRE
            _require_plan(episode, episode.retrofit_decided_on, _decision_note(episode))
    event.episode = episode
    return episode


def set_ipr_shutdown(episode: RepairEpisode, needed: bool) -> None:
    """Whether the repair needs an industrial process shutdown: the repair and initial
    verification deadlines become 120 days instead of 30 (82.157(d); 84.106(d))."""
    deadlines = compliance.repair_deadlines(
        episode.discovered_on, category_of(episode.unit), ipr_shutdown=needed
    )
    episode.ipr_shutdown = needed
    due = {
        ObligationKind.REPAIR: deadlines.repair_due,
        ObligationKind.INITIAL_VERIFICATION: deadlines.initial_verification_due,
    }
    for obligation in _open_obligations(episode.unit, list(due), episode):
        obligation.due_on = due[obligation.kind]


# Leak inspections (reference §6)


def schedule_inspections(unit: Unit, episode: RepairEpisode, day: date, charge) -> None:
    """After an exceedance: the next leak inspection is due one interval later, unless one
    is already due."""
    if _open_obligations(unit, [ObligationKind.LEAK_INSPECTION]):
        return
    schedule = compliance.inspection_schedule(category_of(unit), charge)
    _add(unit, ObligationKind.LEAK_INSPECTION, schedule.next_due(day), episode)


def after_inspection(unit: Unit, event: RefrigerantEvent, day: date) -> None:
    """An inspection completes the one due; the next is due one interval later while the
    appliance has not yet gone the clear period since its last exceedance."""
    _complete(unit, [ObligationKind.LEAK_INSPECTION], event, day)
    last = db.session.scalar(
        select(RefrigerantEvent)
        .where(
            RefrigerantEvent.unit_id == unit.id,
            RefrigerantEvent.leak_rate_exceeded.is_(True),
            RefrigerantEvent.occurred_at <= event.occurred_at,
        )
        .order_by(RefrigerantEvent.occurred_at.desc())
        .limit(1)
    )
    charge = full_charge_on(unit, day)
    if last is None or not charge or not unit.epa_appliance_type:
        return
    schedule = compliance.inspection_schedule(category_of(unit), charge)
    due = schedule.next_due(day)
    if due < schedule.ends_on(local_day(last.occurred_at)):
        _add(unit, ObligationKind.LEAK_INSPECTION, due, last.episode)


# Repairs and verification tests


def after_test_or_repair(unit: Unit, event: RefrigerantEvent, day: date) -> None:
    """A repair or a verification test moves the open episode on."""
    episode = open_episode(unit)
    if episode is None:
        return
    event.episode = episode
    kind = event.kind
    if kind == RefrigerantEventKind.REPAIR:
        episode.repaired_on = day
        _complete(unit, [ObligationKind.REPAIR], event, day)
    elif kind == RefrigerantEventKind.INITIAL_VERIFICATION and event.test_passed:
        episode.initial_test_on = day
        if episode.status == EpisodeStatus.OPEN:  # a retrofit decision keeps its status
            episode.status = EpisodeStatus.REPAIRED
        _complete(unit, [ObligationKind.REPAIR, ObligationKind.INITIAL_VERIFICATION], event, day)
        _add(unit, ObligationKind.FOLLOWUP_VERIFICATION, compliance.followup_due(day), episode)
    elif kind == RefrigerantEventKind.FOLLOWUP_VERIFICATION and event.test_passed:
        episode.followup_test_on, episode.closed_on = day, day
        episode.status = EpisodeStatus.CLOSED
        _complete(unit, [ObligationKind.FOLLOWUP_VERIFICATION], event, day)


# Mothballing (84.106(d)(3) [S])


def mothball(unit: Unit, event: RefrigerantEvent, day: date) -> None:
    """A mothballed appliance's repair clock stops: its repair and verification deadlines are
    suspended from `day`."""
    episode = open_episode(unit)
    if episode is None:
        return
    event.episode = episode
    for obligation in _open_obligations(unit, REPAIR_CLOCK, episode):
        obligation.suspended_on = obligation.suspended_on or day


def resume_after_mothball(unit: Unit, day: date) -> None:
    """Refrigerant added again: the clock resumes, each suspended deadline moved on by the
    days it was suspended [I]."""
    for obligation in db.session.scalars(
        select(ComplianceObligation).where(
            ComplianceObligation.unit_id == unit.id,
            ComplianceObligation.suspended_on.is_not(None),
            ComplianceObligation.completed_on.is_(None),
        )
    ):
        days = (day - obligation.suspended_on).days
        obligation.due_on += timedelta(days=days)
        note = (
            f"Due date moved {days} days: mothballed from {obligation.suspended_on} until "
            f"refrigerant was added on {day}."
        )
        obligation.notes = f"{obligation.notes} {note}".strip()
        obligation.suspended_on = None


# Retrofit or retirement (82.157(h); 84.106(h))


def note_missed_deadlines(unit: Unit, as_of: date) -> None:
    """A repair or verification test not done by its deadline calls for a retrofit or
    retirement plan within 30 days of the deadline (the day it was failed, at the latest)."""
    episode = open_episode(unit)
    if episode is None:
        return
    missed = [
        o
        for o in _open_obligations(unit, REPAIR_CLOCK, episode)
        if o.suspended_on is None and o.due_on < as_of
    ]
    if missed:
        first = min(missed, key=lambda o: o.due_on)
        what = first.kind.value.replace("_", " ")
        _require_plan(
            episode, first.due_on, f"Required: the {what} was not done by {first.due_on}."
        )


def check_episode_decisions(episode: RepairEpisode) -> None:
    """Check what office staff set on an episode (an industrial process shutdown, a decision
    to retrofit or retire instead of repairing) before a rebuild applies it."""
    try:
        compliance.repair_deadlines(
            episode.discovered_on, category_of(episode.unit), ipr_shutdown=episode.ipr_shutdown
        )
    except compliance.ComplianceError as error:
        raise ObligationError(str(error)) from None
    decided = episode.retrofit_decided_on
    if decided is not None and not episode.discovered_on <= decided <= local_today():
        raise ObligationError(
            _l(
                "The decision date must be between the discovery (%(day)s) and today.",
                day=episode.discovered_on,
            )
        )


def _decision_note(episode: RepairEpisode) -> str:
    return (
        f"Required: on {episode.retrofit_decided_on} the owner decided to retrofit or retire "
        "the appliance instead of repairing it."
    )


def _require_plan(episode: RepairEpisode, start: date, notes: str) -> None:
    """A plan due 30 days after `start` (the earliest reason wins), and the retrofit or
    retirement due a year after the plan's date (its due date until it is dated)."""
    due = compliance.retrofit_plan_due(start)
    [plan] = _episode_obligations(episode, ObligationKind.RETROFIT_PLAN) or [None]
    if plan is None:
        plan = _add(episode.unit, ObligationKind.RETROFIT_PLAN, due, episode, notes)
    elif plan.completed_on is None and due < plan.due_on:
        plan.due_on, plan.notes = due, notes
    retrofit_completion_follows(plan)


def retrofit_completion_follows(plan: ComplianceObligation) -> None:
    """The retrofit or retirement is due within one year of the plan's date."""
    due = compliance.retrofit_completion_due(plan.completed_on or plan.due_on)
    [work] = _episode_obligations(plan.episode, ObligationKind.RETROFIT_COMPLETION) or [None]
    if work is None:
        _add(plan.unit, ObligationKind.RETROFIT_COMPLETION, due, plan.episode)
    else:
        work.due_on = due


def _episode_obligations(episode: RepairEpisode, kind) -> list[ComplianceObligation]:
    return list(
        db.session.scalars(
            select(ComplianceObligation).where(
                ComplianceObligation.episode_id == episode.id, ComplianceObligation.kind == kind
            )
        )
    )


def retrofitted_or_retired(unit: Unit, event: RefrigerantEvent, day: date) -> None:
    """The retrofit or retirement is done: it completes that obligation, and the repair and
    verification deadlines it replaces end (a retired appliance's inspections too) [I]."""
    _complete(unit, [ObligationKind.RETROFIT_COMPLETION], event, day)
    retired = event.kind == RefrigerantEventKind.RETIREMENT
    ended = [*REPAIR_CLOCK, ObligationKind.LEAK_INSPECTION] if retired else REPAIR_CLOCK
    what = "retired" if retired else "retrofitted"
    _complete(unit, ended, event, day, f"Not required: the appliance was {what} on {day}.")
    episode = open_episode(unit)
    if episode is not None:
        event.episode = episode
        episode.status, episode.closed_on = EpisodeStatus.CLOSED, day


# Chronic leakers (82.157(j); 84.106(j))


def require_chronic_report(unit: Unit, year: int) -> None:
    """A report to EPA by March 1 of the next year, once per year."""
    due = compliance.chronic_report_due(year)
    exists = db.session.scalar(
        select(ComplianceObligation.id).where(
            ComplianceObligation.unit_id == unit.id,
            ComplianceObligation.kind == ObligationKind.CHRONIC_LEAK_REPORT,
            ComplianceObligation.due_on == due,
        )
    )
    if not exists:
        _add(
            unit,
            ObligationKind.CHRONIC_LEAK_REPORT,
            due,
            notes=f"Leaks reached 125% of the full charge in {year}: report to EPA.",
        )


# What people do in the back office


def update_by_office(obligation: ComplianceObligation) -> None:
    """Check what office staff changed on an obligation: only a plan or an EPA report is
    marked done by hand (the others by the refrigerant event that does them); a dated plan
    sets the retrofit or retirement deadline."""
    changes = changes_of(obligation)
    if "completed_on" in changes:
        if obligation.kind not in DONE_BY_PEOPLE:
            raise ObligationError(
                _l(
                    "Record the %(what)s as a refrigerant event: that completes this obligation.",
                    what=label(obligation.kind).lower(),
                )
            )
        if obligation.completed_on and obligation.completed_on > local_today():
            raise ObligationError(_l("The day it was done cannot be in the future."))
        obligation.completed_by_event_id, obligation.ended_reason = None, ""
    if obligation.kind == ObligationKind.RETROFIT_PLAN and obligation.episode is not None:
        retrofit_completion_follows(obligation)


@dataclass(frozen=True)
class KeptObligation:
    completed_on: date | None
    notes: str


def people_inputs(unit: Unit) -> dict[tuple, KeptObligation]:
    """Obligations people marked done or annotated, keyed so a rebuild can find them again:
    (kind, discovery day of the episode, due date); a plan by its episode alone."""
    kept = {}
    for obligation in db.session.scalars(
        select(ComplianceObligation).where(ComplianceObligation.unit_id == unit.id)
    ):
        by_hand = obligation.kind in DONE_BY_PEOPLE and obligation.completed_by_event_id is None
        kept[_key(obligation)] = KeptObligation(
            obligation.completed_on if by_hand else None, obligation.notes
        )
    return kept


def restore_people_inputs(unit: Unit, kept: dict[tuple, KeptObligation]) -> None:
    """Put back what people recorded on obligations that the rebuild made again."""
    for obligation in db.session.scalars(
        select(ComplianceObligation).where(ComplianceObligation.unit_id == unit.id)
    ):
        before = kept.get(_key(obligation))
        if before is None:
            continue
        obligation.notes = before.notes
        if before.completed_on and obligation.completed_on is None:
            obligation.completed_on = before.completed_on
            if obligation.kind == ObligationKind.RETROFIT_PLAN:
                retrofit_completion_follows(obligation)


def _key(obligation: ComplianceObligation) -> tuple:
    episode = obligation.episode.discovered_on if obligation.episode else None
    if obligation.kind == ObligationKind.RETROFIT_PLAN:
        return obligation.kind, episode
    return obligation.kind, episode, obligation.due_on
