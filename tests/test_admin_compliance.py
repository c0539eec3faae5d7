"""Refrigerant compliance in the back office."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import ChargeRevision, ComplianceObligation, RefrigerantEvent, Unit
from app.models.enums import ObligationKind
from tests import factories as f
from tests.refrigerant_helpers import record_additions


def _unit(app) -> int:
    with app.app_context():
        f.CompanySettingsFactory()
        return f.UnitFactory(
            walk_in=True,
        ).id


def _add(client, unit_id, pounds, when="2026-06-01 10:00", **extra):
    return client.post(
        "/admin/refrigerantevent/new/",
        data={
            "unit": unit_id,
            "kind": "addition",
            "occurred_at": when,
            "pounds_added": pounds,
            **extra,
        },
        follow_redirects=True,
    )


def test_a_technician_records_an_addition_and_sees_its_leak_rate(app, client, login_as):
    tech_id = login_as("technician", epa_certification_number="608-123")
    unit_id = _unit(app)
    _add(client, unit_id, "8")
    with app.app_context():
        event = db.session.scalar(select(RefrigerantEvent))
        assert event.technician_id == tech_id and event.certification_number == "608-123"
        assert event.leak_rate_percent == Decimal("10.0000")
    assert "10.00% / 20%" in client.get("/admin/refrigerantevent/").data.decode()


def test_bad_refrigerant_input_is_a_message_not_an_error_page(app, client, login_as):
    login_as("technician", epa_certification_number="608-123")
    unit_id = _unit(app)
    too_much = _add(client, unit_id, "95")
    assert too_much.status_code == 200 and b"more than the full charge" in too_much.data
    future = _add(client, unit_id, "2", when="2099-01-01 10:00")
    assert b"in the future" in future.data
    negative = _add(client, unit_id, "-3")
    assert b"Number must be between" in negative.data
    with app.app_context():
        assert db.session.scalars(select(RefrigerantEvent)).all() == []
    confirmed = _add(client, unit_id, "95", confirm_large="y")
    assert b"more than the full charge" not in confirmed.data
    with app.app_context():
        assert len(db.session.scalars(select(RefrigerantEvent)).all()) == 1


def test_the_obligations_list_puts_overdue_first(app, client, login_as):
    login_as("manager")
    unit_id = _unit(app)
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        for kind, due, done in (
            (ObligationKind.REPAIR, date(2026, 1, 5), date(2026, 1, 4)),
            (ObligationKind.LEAK_INSPECTION, date(2030, 1, 1), None),
            (ObligationKind.INITIAL_VERIFICATION, date(2026, 2, 1), None),
        ):
            db.session.add(
                ComplianceObligation(unit=unit, kind=kind, due_on=due, completed_on=done)
            )
        db.session.commit()
    page = client.get("/admin/complianceobligation/").data.decode()
    assert page.index("Feb 1, 2026") < page.index("Jan 1, 2030") < page.index("Jan 5, 2026")
    assert "overdue" in page


def test_a_charge_revision_becomes_the_units_full_charge(app, client, login_as):
    login_as("technician", epa_certification_number="608-123")
    unit_id = _unit(app)
    client.post(
        "/admin/chargerevision/new/",
        data={
            "unit": unit_id,
            "effective_on": "2026-05-01",
            "full_charge_lb": "",
            "method": "range_midpoint",
            "range_low_lb": "70",
            "range_high_lb": "80",
        },
    )
    with app.app_context():
        assert db.session.get(Unit, unit_id).full_charge_lb == Decimal("75")
    client.post(
        "/admin/chargerevision/new/",
        data={
            "unit": unit_id,
            "effective_on": "2026-06-01",
            "full_charge_lb": "95.5",
            "method": "measurement",
        },
    )
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        assert unit.full_charge_lb == Decimal("95.50") and unit.charge_method.value == "measurement"
        # the first charge is kept as a revision too
        assert len(db.session.scalars(select(ChargeRevision)).all()) == 3


def test_the_dashboard_counts_what_is_due_this_week(app, client, login_as):
    login_as("technician")
    unit_id = _unit(app)
    with app.app_context():
        from app.services.company import local_today

        today = local_today()
        unit = db.session.get(Unit, unit_id)
        for kind, due in (
            (ObligationKind.REPAIR, today - timedelta(days=2)),
            (ObligationKind.INITIAL_VERIFICATION, today),
            (ObligationKind.LEAK_INSPECTION, today + timedelta(days=60)),
        ):
            db.session.add(ComplianceObligation(unit=unit, kind=kind, due_on=due))
        db.session.commit()
    page = client.get("/admin/").data.decode()
    due, overdue = page.split("Refrigerant compliance due this week")[1].split("Overdue", 1)
    assert "Initial verification test" in due and "Leak repair" not in due
    assert "Leak repair" in overdue.split("Overdue invoices")[0]
    assert "Leak inspection" not in page


def _exceeding(unit, tech) -> None:
    """Two additions a month apart on a 600 lb appliance: 200 lb is far over any threshold."""
    record_additions(
        unit, tech, ((date(2026, 2, 1), Decimal(10)), (date(2026, 3, 1), Decimal(200)))
    )


def test_an_ipr_shutdown_gives_120_days(app, client, login_as):
    from app.models import RepairEpisode
    from app.models.enums import ApplianceType as Kind

    login_as("manager")
    with app.app_context():
        tech = f.StaffUserFactory()
        plant = f.UnitFactory(
            refrigerant_type="R-404A",
            full_charge_lb=Decimal("600"),
            epa_appliance_type=Kind.INDUSTRIAL_PROCESS,
        )
        comfort = f.UnitFactory(
            refrigerant_type="R-410A",
            full_charge_lb=Decimal("600"),
            epa_appliance_type=Kind.COMFORT_COOLING,
        )
        ids = []
        for unit in (plant, comfort):
            _exceeding(unit, tech)
            ids.append(
                db.session.scalar(select(RepairEpisode.id).where(RepairEpisode.unit == unit))
            )
    client.post(f"/admin/repairepisode/edit/?id={ids[0]}", data={"ipr_shutdown": "y"})
    refused = client.post(
        f"/admin/repairepisode/edit/?id={ids[1]}", data={"ipr_shutdown": "y"}, follow_redirects=True
    )
    assert refused.status_code == 200 and b"only to industrial process" in refused.data
    with app.app_context():
        repairs = db.session.scalars(
            select(ComplianceObligation).where(ComplianceObligation.kind == ObligationKind.REPAIR)
        )
        assert sorted(o.due_on for o in repairs) == [date(2026, 3, 31), date(2026, 6, 29)]
        assert db.session.get(RepairEpisode, ids[0]).ipr_shutdown is True


def test_the_unit_list_shows_which_rules_apply(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        f.UnitFactory(name="Big freezer", refrigerant_type="R-404A", full_charge_lb=Decimal("80"))
        f.UnitFactory(name="Old chiller", refrigerant_type="R-22", full_charge_lb=Decimal("120"))
        f.UnitFactory(name="Odd gas", refrigerant_type="R-999", full_charge_lb=Decimal("20"))
    page = client.get("/admin/unit/").data.decode()
    assert "Part 84" in page and "Part 82" in page and "unknown refrigerant" in page
