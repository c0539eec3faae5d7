"""Leak rates judged with what applied on the addition's day: the full charge in effect, the
thresholds of the time, the company's reading of the first Part 84 calculation; and additions
the rules cannot be applied to are refused."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ChargeRevision, RefrigerantEvent, RepairEpisode
from app.models.enums import ApplianceType, ChargeMethod, RefrigerantEventKind, StaffRole
from app.services.company import current_company
from app.services.refrigerant import record_event
from app.services.refrigerant_ledger import (
    EventError,
    apply_part84_reading,
    rebuild_compliance,
    record_charge_revision,
)
from tests import factories as f
from tests.refrigerant_helpers import added, on_day

ADDITION = RefrigerantEventKind.ADDITION


@pytest.fixture
def tech(app_ctx):
    f.CompanySettingsFactory()
    return f.StaffUserFactory(role=StaffRole.TECHNICIAN)


def _walk_in(**fields):
    return f.UnitFactory(
        walk_in=True,
        install_date=date(2019, 5, 1),
        **fields,
    )


def test_each_addition_uses_the_full_charge_in_effect_on_its_day(tech):
    unit = _walk_in()
    before = added(unit, tech, date(2026, 3, 1), "10")
    after = added(unit, tech, date(2026, 5, 1), "5")
    assert after.leak_rate_inputs["full_charge_lb"] == "80"
    record_charge_revision(
        ChargeRevision(
            unit=unit,
            effective_on=date(2026, 4, 1),
            full_charge_lb=Decimal("100"),
            method=ChargeMethod.MEASUREMENT,
        ),
        actor=tech,
    )
    db.session.commit()

    def rates():
        db.session.refresh(before)
        db.session.refresh(after)
        return (
            (before.leak_rate_inputs["full_charge_lb"], before.leak_rate_percent),
            (after.leak_rate_inputs["full_charge_lb"], after.leak_rate_percent),
        )

    expected = (
        ("80", Decimal("12.5000")),  # first Part 84 calculation: 10/80
        ("100", Decimal("29.9180")),  # 5/100 × 365/61, with the charge from 2026-04-01
    )
    assert rates() == expected
    assert unit.full_charge_lb == Decimal("100.00")
    rebuild_compliance(unit)
    db.session.commit()
    assert rates() == expected
    revisions = db.session.scalars(select(ChargeRevision).order_by(ChargeRevision.id)).all()
    assert [(r.effective_on, r.full_charge_lb) for r in revisions] == [
        (date(2019, 5, 1), Decimal("80.00")),  # the first charge, from the installation
        (date(2026, 4, 1), Decimal("100.00")),
    ]


def test_an_addition_before_the_first_charge_on_record_is_refused(tech):
    unit = _walk_in()
    db.session.execute(ChargeRevision.__table__.update().values(effective_on=date(2026, 6, 1)))
    db.session.commit()
    event = RefrigerantEvent(
        kind=ADDITION, occurred_at=on_day(date(2026, 5, 1)), technician=tech, pounds_added=2
    )
    with pytest.raises(EventError, match="No full charge was in effect on 2026-05-01"):
        record_event(unit, event, actor=tech)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"refrigerant_type": ""}, "no refrigerant type on record"),
        ({"refrigerant_type": "R-999"}, "not in the compliance table"),
        ({"epa_appliance_type": None}, "no EPA appliance category"),
    ],
)
def test_additions_the_rules_cannot_be_applied_to_are_refused(tech, fields, message):
    unit = f.UnitFactory(walk_in=True, **fields)
    event = RefrigerantEvent(
        kind=ADDITION, occurred_at=on_day(date(2026, 6, 1)), technician=tech, pounds_added=2
    )
    with pytest.raises(EventError, match=message):
        record_event(unit, event, actor=tech)
    db.session.rollback()
    assert db.session.scalars(select(RefrigerantEvent)).all() == []


def test_an_uncovered_appliance_without_a_category_gets_a_rate_but_no_threshold(tech):
    unit = f.UnitFactory(refrigerant_type="R-410A", full_charge_lb=Decimal("6"))
    event = added(unit, tech, date(2026, 6, 1), "3")
    assert event.leak_rate_percent == Decimal("50.0000")
    assert event.leak_rate_threshold is None and event.leak_rate_exceeded is False


def _part82_chiller():
    return f.UnitFactory(
        refrigerant_type="R-22",
        full_charge_lb=Decimal("400"),
        epa_appliance_type=ApplianceType.COMFORT_COOLING,
        install_date=date(2010, 1, 1),
    )


@pytest.mark.parametrize(("year", "threshold", "exceeded"), [(2018, 15, False), (2019, 10, True)])
def test_part82_additions_are_judged_by_the_thresholds_of_their_day(
    tech, year, threshold, exceeded
):
    unit = _part82_chiller()
    added(unit, tech, date(year, 3, 1), "4")
    event = added(unit, tech, date(year, 6, 9), "13.15")  # 13.15/400 × 365/100 = 11.9994 %
    assert event.leak_rate_percent == Decimal("11.9994")
    assert (event.leak_rate_threshold, event.leak_rate_exceeded) == (threshold, exceeded)
    episodes = db.session.scalars(select(RepairEpisode)).all()
    assert len(episodes) == int(exceeded)


def test_the_first_part84_calculation_follows_the_companys_reading(tech):
    unit = f.UnitFactory(
        walk_in=True,
        full_charge_lb=Decimal("40"),
        install_date=date(2026, 3, 2),
    )
    event = added(unit, tech, date(2026, 4, 1), "2")
    # The default, conservative reading: the 30 days since installation.
    assert event.leak_rate_inputs["days"] == 30
    assert event.leak_rate_percent == Decimal("60.8333") and event.leak_rate_exceeded
    assert db.session.scalar(select(RepairEpisode)) is not None

    current_company().part84_first_calculation_365_days = True
    assert apply_part84_reading() == 1
    db.session.commit()
    db.session.refresh(event)
    # The literal reading of 84.106(b)(1): D = 365.
    assert event.leak_rate_inputs["days"] == 365
    assert event.leak_rate_percent == Decimal("5.0000") and not event.leak_rate_exceeded
    assert db.session.scalar(select(RepairEpisode)) is None


def test_a_unit_whose_category_was_cleared_gets_a_message_not_an_error_page(tech):
    unit = _walk_in()
    added(unit, tech, date(2026, 3, 1), "2")
    unit.epa_appliance_type = None
    db.session.commit()
    inspection = RefrigerantEvent(
        kind=RefrigerantEventKind.LEAK_INSPECTION,
        occurred_at=on_day(date(2026, 4, 1)),
        technician=tech,
    )
    with pytest.raises(EventError, match="has no EPA appliance category"):
        record_event(unit, inspection, actor=tech)
