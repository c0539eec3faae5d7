"""What follows an exceedance, through the refrigerant service: the leak-inspection schedule,
the retrofit or retirement plan (from a decision or a missed repair) and its one-year deadline,
retirement ending the repair obligations, and mothballing stopping the repair clock."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ComplianceObligation, RepairEpisode
from app.models.enums import (
    ApplianceType,
    EpisodeStatus,
    ObligationKind,
    RefrigerantEventKind,
    StaffRole,
)
from app.services.refrigerant_ledger import apply_office_decisions
from app.services.repair_episodes import ObligationError, update_by_office
from tests import factories as f
from tests.refrigerant_helpers import recorded

Kind = RefrigerantEventKind
Due = ObligationKind


@pytest.fixture
def tech(app_ctx):
    f.CompanySettingsFactory()
    return f.StaffUserFactory(role=StaffRole.TECHNICIAN)


# Every event here is recorded as confirmed, large additions too.
_record = partial(recorded, confirm=True)


def _obligations(kind=None) -> list[tuple]:
    query = select(ComplianceObligation).order_by(ComplianceObligation.due_on)
    if kind is not None:
        query = query.where(ComplianceObligation.kind == kind)
    return [(o.kind, o.due_on, o.completed_on) for o in db.session.scalars(query)]


def _leaky(unit, tech, first: date, second: date, pounds="40") -> None:
    """A small addition, then a large one: the second exceeds any threshold."""
    _record(unit, tech, Kind.ADDITION, first, pounds_added=Decimal("1"))
    _record(unit, tech, Kind.ADDITION, second, pounds_added=Decimal(pounds))


def _repaired(unit, tech, day: date) -> None:
    """Repaired and both verification tests passed on time."""
    _record(unit, tech, Kind.REPAIR, day)
    _record(unit, tech, Kind.INITIAL_VERIFICATION, day, test_passed=True)
    _record(unit, tech, Kind.FOLLOWUP_VERIFICATION, day.replace(day=day.day + 5), test_passed=True)


def _repaired_rack(tech):
    """R-22, 600 lb commercial refrigeration (Part 82, quarterly inspections) that exceeded
    in April 2024 and was repaired and verified on the 10th."""
    rack = f.UnitFactory(
        refrigerant_type="R-22",
        full_charge_lb=Decimal("600"),
        epa_appliance_type=ApplianceType.COMMERCIAL_REFRIGERATION,
    )
    _leaky(rack, tech, date(2024, 3, 1), date(2024, 4, 1), pounds="200")
    _repaired(rack, tech, date(2024, 4, 10))
    return rack


def test_a_big_refrigeration_system_is_inspected_quarterly_until_four_clear_quarters(tech):
    rack = _repaired_rack(tech)
    assert _obligations(Due.LEAK_INSPECTION) == [(Due.LEAK_INSPECTION, date(2024, 6, 30), None)]
    inspected = [date(2024, 6, 28), date(2024, 9, 20), date(2024, 12, 15), date(2025, 3, 10)]
    for day in inspected:
        _record(rack, tech, Kind.LEAK_INSPECTION, day, leak_found=False)
    # Each inspection is followed by the next, 90 days (or 3 months, if earlier) later...
    assert _obligations(Due.LEAK_INSPECTION) == [
        (Due.LEAK_INSPECTION, date(2024, 6, 30), date(2024, 6, 28)),
        (Due.LEAK_INSPECTION, date(2024, 9, 26), date(2024, 9, 20)),
        (Due.LEAK_INSPECTION, date(2024, 12, 19), date(2024, 12, 15)),
        (Due.LEAK_INSPECTION, date(2025, 3, 15), date(2025, 3, 10)),
        (Due.LEAK_INSPECTION, date(2025, 6, 8), None),
    ]
    # ...until the appliance has gone four full quarters (Q3 2024 to Q2 2025) without
    # exceeding: an inspection due after 2025-07-01 is not needed.
    _record(rack, tech, Kind.LEAK_INSPECTION, date(2025, 6, 5), leak_found=False)
    assert [o for o in _obligations(Due.LEAK_INSPECTION) if o[2] is None] == []


def test_a_new_exceedance_keeps_the_inspections_going(tech):
    rack = _repaired_rack(tech)
    _record(rack, tech, Kind.ADDITION, date(2025, 2, 1), pounds_added=Decimal("150"))
    _record(rack, tech, Kind.LEAK_INSPECTION, date(2025, 6, 5), leak_found=True)
    # Last exceedance in Q1 2025: clear only from 2026-04-01, so the next one is due.
    assert (Due.LEAK_INSPECTION, date(2025, 9, 3), None) in _obligations(Due.LEAK_INSPECTION)


def test_comfort_cooling_is_inspected_once_a_year_after_an_exceedance(tech):
    chiller = f.UnitFactory(
        refrigerant_type="R-22",
        full_charge_lb=Decimal("400"),
        epa_appliance_type=ApplianceType.COMFORT_COOLING,
    )
    _leaky(chiller, tech, date(2024, 3, 1), date(2024, 4, 1))
    _repaired(chiller, tech, date(2024, 4, 10))
    assert _obligations(Due.LEAK_INSPECTION) == [(Due.LEAK_INSPECTION, date(2025, 4, 1), None)]
    _record(chiller, tech, Kind.LEAK_INSPECTION, date(2025, 3, 20), leak_found=False)
    # A year without exceeding has passed by the next due date: the schedule ends.
    assert _obligations(Due.LEAK_INSPECTION) == [
        (Due.LEAK_INSPECTION, date(2025, 4, 1), date(2025, 3, 20))
    ]


@pytest.fixture
def walk_in(tech):
    """An 80 lb R-404A walk-in (Part 84) whose rate exceeded on 2026-04-01."""
    unit = f.UnitFactory(
        walk_in=True,
        install_date=date(2019, 5, 1),
    )
    _leaky(unit, tech, date(2026, 3, 1), date(2026, 4, 1), pounds="5")
    return unit


def test_repairs_done_on_time_call_for_no_plan(walk_in, tech):
    _repaired(walk_in, tech, date(2026, 4, 20))
    assert _obligations(Due.RETROFIT_PLAN) == []


def test_a_missed_repair_calls_for_a_plan_30_days_after_the_deadline(walk_in, tech):
    _record(walk_in, tech, Kind.REPAIR, date(2026, 5, 20))  # due 2026-05-01
    assert _obligations(Due.RETROFIT_PLAN) == [(Due.RETROFIT_PLAN, date(2026, 5, 31), None)]
    assert _obligations(Due.RETROFIT_COMPLETION) == [
        (Due.RETROFIT_COMPLETION, date(2027, 5, 31), None)
    ]
    plan = db.session.scalar(
        select(ComplianceObligation).where(ComplianceObligation.kind == Due.RETROFIT_PLAN)
    )
    assert "repair was not done by 2026-05-01" in plan.notes


def test_the_plan_is_due_30_days_after_the_decision_and_the_work_a_year_after_the_plan(
    walk_in, tech
):
    _record(walk_in, tech, Kind.REPAIR, date(2026, 4, 5))  # on time, so only the decision
    _record(walk_in, tech, Kind.INITIAL_VERIFICATION, date(2026, 4, 5), test_passed=True)
    _record(walk_in, tech, Kind.FOLLOWUP_VERIFICATION, date(2026, 4, 10), test_passed=False)
    episode = db.session.scalar(select(RepairEpisode))
    episode.retrofit_decided_on = date(2026, 4, 12)
    apply_office_decisions(episode)
    db.session.commit()
    # the failed follow-up is still open; the decision calls for a plan
    assert episode.status == EpisodeStatus.RETROFIT_OR_RETIRE
    assert _obligations(Due.RETROFIT_PLAN)[0][:2] == (Due.RETROFIT_PLAN, date(2026, 5, 12))
    plan = db.session.scalar(
        select(ComplianceObligation).where(ComplianceObligation.kind == Due.RETROFIT_PLAN)
    )
    plan.completed_on = date(2026, 5, 2)  # the plan's date
    update_by_office(plan)
    db.session.commit()
    assert _obligations(Due.RETROFIT_COMPLETION) == [
        (Due.RETROFIT_COMPLETION, date(2027, 5, 2), None)
    ]
    _record(walk_in, tech, Kind.RETROFIT, date(2026, 9, 1))
    assert _obligations(Due.RETROFIT_COMPLETION) == [
        (Due.RETROFIT_COMPLETION, date(2027, 5, 2), date(2026, 9, 1))
    ]


def test_retiring_the_appliance_ends_its_repair_and_inspection_obligations(walk_in, tech):
    retired = _record(walk_in, tech, Kind.RETIREMENT, date(2026, 4, 20))
    rows = db.session.scalars(select(ComplianceObligation)).all()
    ended = {o.kind: o for o in rows}
    for kind in (Due.REPAIR, Due.INITIAL_VERIFICATION, Due.LEAK_INSPECTION):
        assert ended[kind].completed_on == date(2026, 4, 20)
        assert ended[kind].completed_by_event_id == retired.id
        assert ended[kind].ended_reason == "Not required: the appliance was retired on 2026-04-20."
    assert Due.RETROFIT_PLAN not in ended  # retired before any deadline was missed
    episode = db.session.scalar(select(RepairEpisode))
    assert episode.status == EpisodeStatus.CLOSED and episode.closed_on == date(2026, 4, 20)


def test_mothballing_stops_the_repair_clock_until_refrigerant_is_added_again(walk_in, tech):
    _record(walk_in, tech, Kind.MOTHBALL, date(2026, 4, 11))  # 20 of the 30 days left
    repair = _repair()
    assert repair.suspended_on == date(2026, 4, 11) and repair.due_on == date(2026, 5, 1)
    assert not repair.is_overdue(date(2026, 11, 1))
    assert _obligations(Due.RETROFIT_PLAN) == []  # a suspended deadline is not missed
    _record(walk_in, tech, Kind.ADDITION, date(2026, 6, 10), pounds_added=Decimal("2"))
    repair = _repair()  # recomputed with the unit
    assert repair.suspended_on is None
    assert repair.due_on == date(2026, 6, 30)  # moved on by the 60 days mothballed
    assert "mothballed from 2026-04-11 until refrigerant was added on 2026-06-10" in repair.notes
    # Still not repaired today: now it is missed, and a plan is due 30 days after it.
    assert _obligations(Due.RETROFIT_PLAN) == [(Due.RETROFIT_PLAN, date(2026, 7, 30), None)]


def _repair() -> ComplianceObligation:
    return db.session.scalar(
        select(ComplianceObligation).where(ComplianceObligation.kind == Due.REPAIR)
    )


def test_only_plans_and_epa_reports_are_marked_done_by_hand(walk_in, tech):
    repair = _repair()
    repair.completed_on = date(2026, 4, 20)
    with pytest.raises(ObligationError, match="Record the leak repair as a refrigerant event"):
        update_by_office(repair)


def test_the_daily_check_asks_for_a_plan_once_a_repair_deadline_has_passed(app, walk_in):
    db.session.execute(ComplianceObligation.__table__.delete())  # as it stood before today
    db.session.commit()
    episode = db.session.scalar(select(RepairEpisode))
    for kind, due in ((Due.REPAIR, date(2026, 5, 1)), (Due.INITIAL_VERIFICATION, date(2026, 5, 1))):
        db.session.add(ComplianceObligation(unit=walk_in, episode=episode, kind=kind, due_on=due))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["compliance-deadlines"])
    assert result.exit_code == 0 and "1 open repair episode" in result.output
    assert _obligations(Due.RETROFIT_PLAN) == [(Due.RETROFIT_PLAN, date(2026, 5, 31), None)]
