"""Recording refrigerant service: leak rates at each addition, episodes and obligations."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ComplianceObligation, RefrigerantEvent, RepairEpisode
from app.models.enums import (
    AdditionExemption,
    ApplianceType,
    EpisodeStatus,
    ObligationKind,
    RefrigerantEventKind,
    StaffRole,
)
from app.services.refrigerant import EventError, record_event
from tests import factories as f
from tests.refrigerant_helpers import added, on_day, recorded


@pytest.fixture
def walk_in(app_ctx):
    """An 80 lb R-404A walk-in freezer (commercial refrigeration, Part 84) and a technician."""
    f.CompanySettingsFactory()
    unit = f.UnitFactory(
        walk_in=True,
        install_date=date(2019, 5, 1),
    )
    tech = f.StaffUserFactory(role=StaffRole.TECHNICIAN, epa_certification_number="608-777")
    return unit, tech


def test_each_addition_stores_its_leak_rate_with_method_and_inputs(walk_in):
    unit, tech = walk_in
    first = added(unit, tech, date(2026, 3, 1), "10")
    assert first.leak_rate_percent == Decimal("12.5000")  # first Part 84 calculation: D = 365
    assert first.leak_rate_threshold == 20 and first.leak_rate_exceeded is False
    assert first.certification_number == "608-777"
    second = added(unit, tech, date(2026, 4, 1), "5")
    assert second.leak_rate_percent == Decimal("73.5887")  # 5/80 × 365/31 × 100
    assert second.leak_rate_exceeded is True
    assert second.leak_rate_inputs["days"] == 31
    assert second.leak_rate_inputs["regimes"] == ["part84"]
    assert second.leak_rate_method.value == "annualizing"


def test_an_exceedance_opens_one_episode_with_its_deadlines(walk_in):
    unit, tech = walk_in
    added(unit, tech, date(2026, 3, 1), "10")
    added(unit, tech, date(2026, 4, 1), "5")
    added(unit, tech, date(2026, 4, 3), "5")
    [episode] = db.session.scalars(select(RepairEpisode)).all()
    assert episode.discovered_on == date(2026, 4, 1) and episode.status == EpisodeStatus.OPEN
    due = {o.kind: o.due_on for o in episode.obligations}
    assert due == {
        ObligationKind.REPAIR: date(2026, 5, 1),
        ObligationKind.INITIAL_VERIFICATION: date(2026, 5, 1),
        # a yearly inspection schedule starts with the exceedance (80 lb, under 500)
        ObligationKind.LEAK_INSPECTION: date(2027, 4, 1),
        # the repair was not done by 2026-05-01 (today is later): a plan within 30 days
        # of that, and the retrofit or retirement within a year of the plan
        ObligationKind.RETROFIT_PLAN: date(2026, 5, 31),
        ObligationKind.RETROFIT_COMPLETION: date(2027, 5, 31),
    }


def test_verification_tests_move_the_episode_to_closed(walk_in):
    unit, tech = walk_in
    added(unit, tech, date(2026, 3, 1), "10")
    added(unit, tech, date(2026, 4, 1), "5")
    recorded(unit, tech, RefrigerantEventKind.REPAIR, date(2026, 4, 10), leak_location="TXV flare")
    recorded(
        unit,
        tech,
        RefrigerantEventKind.INITIAL_VERIFICATION,
        date(2026, 4, 10),
        test_passed=True,
        test_method="nitrogen pressure test",
    )
    episode = db.session.scalar(select(RepairEpisode))
    assert episode.status == EpisodeStatus.REPAIRED
    followup = db.session.scalar(
        select(ComplianceObligation).where(
            ComplianceObligation.kind == ObligationKind.FOLLOWUP_VERIFICATION
        )
    )
    assert followup.due_on == date(2026, 4, 20)
    recorded(
        unit, tech, RefrigerantEventKind.FOLLOWUP_VERIFICATION, date(2026, 4, 18), test_passed=True
    )
    db.session.refresh(episode)
    assert episode.status == EpisodeStatus.CLOSED and episode.closed_on == date(2026, 4, 18)
    open_kinds = db.session.scalars(
        select(ComplianceObligation.kind).where(ComplianceObligation.completed_on.is_(None))
    ).all()
    assert open_kinds == [ObligationKind.LEAK_INSPECTION]


def test_a_chronic_leaker_owes_a_report_by_march_first(walk_in):
    unit, tech = walk_in
    for day, pounds in (
        (date(2026, 2, 1), "40"),
        (date(2026, 5, 1), "40"),
        (date(2026, 8, 1), "21"),
    ):
        added(unit, tech, day, pounds)
    report = db.session.scalar(
        select(ComplianceObligation).where(
            ComplianceObligation.kind == ObligationKind.CHRONIC_LEAK_REPORT
        )
    )
    assert report is not None and report.due_on == date(2027, 3, 1)


def test_exempt_additions_do_not_count(walk_in):
    unit, tech = walk_in
    seasonal = added(
        unit, tech, date(2026, 3, 1), "30", exempt_reason=AdditionExemption.SEASONAL_VARIANCE
    )
    assert seasonal.leak_rate_percent is None
    assert db.session.scalars(select(RepairEpisode)).all() == []


def test_a_small_residential_system_gets_no_obligations(app_ctx):
    unit = f.UnitFactory(
        refrigerant_type="R-410A",
        full_charge_lb=Decimal("6"),
        epa_appliance_type=ApplianceType.COMFORT_COOLING,
    )
    tech = f.StaffUserFactory()
    event = added(unit, tech, date(2026, 6, 1), "3")
    assert event.leak_rate_percent is not None and event.leak_rate_exceeded is False
    assert event.leak_rate_inputs["regimes"] == []
    assert db.session.scalars(select(ComplianceObligation)).all() == []


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"pounds_added": Decimal("-1")}, "cannot be negative"),
        ({"pounds_added": Decimal("90")}, "more than the full charge"),
        ({"pounds_added": Decimal("0")}, "needs the pounds added"),
        (
            {"pounds_added": Decimal("3"), "pounds_returned": Decimal("5")},
            "5 lb returned is more than the 3 lb added",
        ),
    ],
)
def test_bad_additions_are_refused_and_nothing_is_written(walk_in, fields, message):
    unit, tech = walk_in
    event = RefrigerantEvent(
        kind=RefrigerantEventKind.ADDITION,
        occurred_at=on_day(date(2026, 6, 1)),
        technician=tech,
        **fields,
    )
    with pytest.raises(EventError, match=message):
        record_event(unit, event, actor=tech)
    db.session.rollback()
    assert db.session.scalars(select(RefrigerantEvent)).all() == []


def test_future_dates_and_missing_full_charge_are_refused(walk_in):
    unit, tech = walk_in
    future = RefrigerantEvent(
        kind=RefrigerantEventKind.LEAK_INSPECTION,
        technician=tech,
        occurred_at=datetime.now(UTC) + timedelta(days=2),
    )
    with pytest.raises(EventError, match="in the future"):
        record_event(unit, future, actor=tech)
    db.session.rollback()
    bare = f.UnitFactory(full_charge_lb=None)
    addition = RefrigerantEvent(
        kind=RefrigerantEventKind.ADDITION,
        technician=tech,
        occurred_at=on_day(date(2026, 6, 1)),
        pounds_added=Decimal("1"),
    )
    with pytest.raises(EventError, match="no full charge"):
        record_event(bare, addition, actor=tech)


def test_a_confirmed_large_addition_is_recorded(walk_in):
    unit, tech = walk_in
    event = added(unit, tech, date(2026, 6, 1), "85", confirm=True)
    assert event.id is not None


def test_rebuilding_reproduces_what_recording_produced(walk_in):
    from app.services.refrigerant_ledger import rebuild_compliance

    unit, tech = walk_in
    added(unit, tech, date(2026, 3, 1), "10")
    added(unit, tech, date(2026, 4, 1), "5")
    recorded(
        unit, tech, RefrigerantEventKind.INITIAL_VERIFICATION, date(2026, 4, 9), test_passed=True
    )

    def state():
        return (
            [
                (e.leak_rate_percent, e.leak_rate_exceeded)
                for e in db.session.scalars(select(RefrigerantEvent).order_by(RefrigerantEvent.id))
            ],
            sorted(
                (o.kind, o.due_on, o.completed_on)
                for o in db.session.scalars(select(ComplianceObligation))
            ),
            [(e.status, e.discovered_on) for e in db.session.scalars(select(RepairEpisode))],
        )

    before = state()
    rebuild_compliance(unit)
    db.session.commit()
    assert state() == before


def test_a_technician_records_work_from_the_units_sticker_page(app, client, login_as):
    tech_id = login_as("technician", epa_certification_number="608-900")
    with app.app_context():
        f.CompanySettingsFactory()
        unit = f.UnitFactory(
            walk_in=True,
        )
        token, unit_id = unit.qr_token, unit.id
    page = client.get(f"/u/{token}").data.decode()
    assert "Record refrigerant work" in page
    client.post(f"/u/{token}/refrigerant", data={"kind": "addition", "pounds_added": "4"})
    refused = client.post(
        f"/u/{token}/refrigerant",
        data={"kind": "addition", "pounds_added": "400"},
        follow_redirects=True,
    )
    assert b"more than the full charge" in refused.data
    with app.app_context():
        [event] = db.session.scalars(select(RefrigerantEvent)).all()
        assert (event.unit_id, event.technician_id) == (unit_id, tech_id)
        assert event.leak_rate_percent == Decimal("5.0000")
    assert "5.00% / 20%" in client.get(f"/u/{token}").data.decode()
    client.post("/logout")
    assert client.post(f"/u/{token}/refrigerant", data={"kind": "addition"}).status_code == 404


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (
            RefrigerantEventKind.RECOVERY,
            {"pounds_removed": Decimal("30"), "pounds_returned": Decimal("30")},
            "record it on the addition",
        ),
        (
            RefrigerantEventKind.LEAK_INSPECTION,
            {"exempt_reason": AdditionExemption.PURGED_DESTROYED},
            "Only an addition",
        ),
        (
            RefrigerantEventKind.RECOVERY,
            {"pounds_removed": Decimal("3"), "exempt_reason": AdditionExemption.AFTER_RETROFIT},
            "Only an addition",
        ),
    ],
)
def test_returns_and_exemptions_go_with_the_work_they_belong_to(walk_in, kind, fields, message):
    unit, tech = walk_in
    event = RefrigerantEvent(
        kind=kind, occurred_at=on_day(date(2026, 6, 1)), technician=tech, **fields
    )
    with pytest.raises(EventError, match=message):
        record_event(unit, event, actor=tech)


def test_a_recharge_counts_only_what_was_not_returned(walk_in):
    unit, tech = walk_in
    recorded(
        unit, tech, RefrigerantEventKind.RECOVERY, date(2026, 3, 1), pounds_removed=Decimal("30")
    )
    recharge = recorded(
        unit,
        tech,
        RefrigerantEventKind.ADDITION,
        date(2026, 3, 2),
        pounds_added=Decimal("34"),
        pounds_returned=Decimal("30"),
    )
    assert recharge.leak_rate_inputs["pounds_counted"] == "4"
    assert recharge.leak_rate_percent == Decimal("5.0000")  # 4/80, first Part 84 calculation


def test_a_seasonal_variance_is_recorded_from_the_sticker_and_not_counted(app, client, login_as):
    login_as("technician", epa_certification_number="608-901")
    with app.app_context():
        f.CompanySettingsFactory()
        unit = f.UnitFactory(
            walk_in=True,
        )
        token = unit.qr_token
    page = client.get(f"/u/{token}").data.decode()
    assert "No: seasonal variance" in page
    client.post(
        f"/u/{token}/refrigerant",
        data={"kind": "addition", "pounds_added": "12", "exempt_reason": "seasonal_variance"},
    )
    with app.app_context():
        [event] = db.session.scalars(select(RefrigerantEvent)).all()
        assert event.exempt_reason == AdditionExemption.SEASONAL_VARIANCE
        assert event.leak_rate_percent is None
    assert "not counted: seasonal variance" in client.get(f"/u/{token}").data.decode()


def test_the_propertys_rolling_average_method_is_used_and_kept(walk_in):
    from app.models.enums import LeakRateMethod
    from app.services.refrigerant_ledger import rebuild_compliance

    unit, tech = walk_in
    unit.property.leak_rate_method = LeakRateMethod.ROLLING_AVERAGE
    added(unit, tech, date(2026, 2, 1), "4")
    second = added(unit, tech, date(2026, 6, 1), "6")
    # (4 + 6) / 80 over the 365-day window; annualizing would give 6/80 × 365/120 = 22.81 %.
    assert second.leak_rate_method == LeakRateMethod.ROLLING_AVERAGE
    assert second.leak_rate_percent == Decimal("12.5000") and not second.leak_rate_exceeded
    assert second.leak_rate_inputs["window_start"] == "2025-06-02"
    # The facility switches: what was computed stays computed with the method used then.
    unit.property.leak_rate_method = LeakRateMethod.ANNUALIZING
    rebuild_compliance(unit)
    db.session.commit()
    db.session.refresh(second)
    assert second.leak_rate_method == LeakRateMethod.ROLLING_AVERAGE
    assert second.leak_rate_percent == Decimal("12.5000")


@pytest.mark.parametrize(
    ("excluded", "regimes", "exceeded"), [(True, [], False), (False, ["part84"], True)]
)
def test_the_excluded_subsector_flag_decides_whether_part84_applies(
    app_ctx, excluded, regimes, exceeded
):
    f.CompanySettingsFactory()
    split = f.UnitFactory(
        refrigerant_type="R-410A",
        full_charge_lb=Decimal("20"),
        epa_appliance_type=ApplianceType.COMFORT_COOLING,
        part84_excluded_subsector=excluded,
    )
    tech = f.StaffUserFactory()
    added(split, tech, date(2026, 3, 1), "1")
    event = added(split, tech, date(2026, 4, 1), "4")
    assert event.leak_rate_inputs["regimes"] == regimes
    assert event.leak_rate_exceeded is exceeded  # 4/20 × 365/31 = 235 %
    assert len(db.session.scalars(select(RepairEpisode)).all()) == int(exceeded)


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        (RefrigerantEventKind.RECOVERY, {"pounds_removed": Decimal("30")}),
        (RefrigerantEventKind.RETROFIT, {"notes": "Converted to R-448A"}),
        (RefrigerantEventKind.RETIREMENT, {}),
        (RefrigerantEventKind.MOTHBALL, {"pounds_removed": Decimal("78")}),
    ],
)
def test_work_other_than_additions_is_recorded_without_a_leak_rate(walk_in, kind, fields):
    unit, tech = walk_in
    event = recorded(unit, tech, kind, date(2026, 5, 1), **fields)
    assert event.id is not None and event.certification_number == "608-777"
    assert event.leak_rate_percent is None and event.leak_rate_method is None
    assert db.session.scalars(select(ComplianceObligation)).all() == []
