"""Correcting refrigerant records in the back office: events are editable (technicians their
own, the office all) and every correction recomputes leak rates, episodes and obligations;
the unit form keeps full-charge changes as revisions; obligations and episodes are the
office's to change."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AuditEvent,
    ChargeRevision,
    ComplianceObligation,
    RefrigerantEvent,
    RepairEpisode,
    Unit,
)
from app.models.enums import ApplianceType, ObligationKind, RefrigerantEventKind
from app.services.company import local_today
from app.services.refrigerant import record_event
from tests import factories as f
from tests.refrigerant_helpers import on_day


def _walk_in_with_additions(
    app, tech_id: int, category=ApplianceType.COMMERCIAL_REFRIGERATION
) -> tuple[int, int]:
    """An 80 lb walk-in with 10 lb on 2026-03-01 and 5 lb on 2026-04-01 (73.59 %: exceeded),
    both by the technician; (unit id, id of the second addition)."""
    with app.app_context():
        f.CompanySettingsFactory()
        unit = f.UnitFactory(
            refrigerant_type="R-404A",
            full_charge_lb=Decimal("80"),
            epa_appliance_type=category,
        )
        tech = db.session.get(f.StaffUser, tech_id)
        events = []
        for day, pounds in ((date(2026, 3, 1), "10"), (date(2026, 4, 1), "5")):
            event = RefrigerantEvent(
                kind=RefrigerantEventKind.ADDITION,
                occurred_at=on_day(day),
                technician=tech,
                pounds_added=Decimal(pounds),
            )
            record_event(unit, event, actor=tech)
            events.append(event)
        db.session.commit()
        return unit.id, events[1].id


def _edit_pounds(client, event_id: int, unit_id: int, pounds: str):
    return client.post(
        f"/admin/refrigerantevent/edit/?id={event_id}",
        data={
            "unit": unit_id,
            "kind": "addition",
            "occurred_at": "2026-04-01 11:00",
            "pounds_added": pounds,
        },
        follow_redirects=True,
    )


def _episodes(app) -> list[date]:
    with app.app_context():
        return [e.discovered_on for e in db.session.scalars(select(RepairEpisode))]


def test_a_technician_corrects_an_addition_and_the_episode_follows(app, client, login_as):
    tech_id = login_as("technician", epa_certification_number="608-100")
    unit_id, event_id = _walk_in_with_additions(app, tech_id)
    assert _episodes(app) == [date(2026, 4, 1)]

    _edit_pounds(client, event_id, unit_id, "1")
    with app.app_context():
        event = db.session.get(RefrigerantEvent, event_id)
        assert event.leak_rate_percent == Decimal("14.7177")  # 1/80 × 365/31
        assert event.leak_rate_exceeded is False
        audit = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.object_type == "RefrigerantEvent", AuditEvent.action == "update"
            )
        )
        assert audit.changes["pounds_added"] == ["5.00", "1"]
    assert _episodes(app) == []  # no longer over the threshold: no episode, no deadlines
    with app.app_context():
        assert db.session.scalars(select(ComplianceObligation)).all() == []

    _edit_pounds(client, event_id, unit_id, "5")
    with app.app_context():
        assert db.session.get(RefrigerantEvent, event_id).leak_rate_percent == Decimal("73.5887")
    assert _episodes(app) == [date(2026, 4, 1)]


def test_deleting_an_addition_recomputes_the_next_one(app, client, login_as):
    tech_id = login_as("manager", epa_certification_number="608-101")
    unit_id, second_id = _walk_in_with_additions(app, tech_id)
    with app.app_context():
        first_id = db.session.scalar(
            select(RefrigerantEvent.id).where(RefrigerantEvent.id != second_id)
        )
    client.post("/admin/refrigerantevent/delete/", data={"id": first_id})
    with app.app_context():
        assert db.session.get(RefrigerantEvent, first_id) is None
        second = db.session.get(RefrigerantEvent, second_id)
        assert second.leak_rate_inputs["days"] == 365  # now the first Part 84 calculation
        assert second.leak_rate_percent == Decimal("6.2500") and not second.leak_rate_exceeded
    assert _episodes(app) == []


def test_technicians_change_only_their_own_events(app, client, login_as, make_staff):
    other = make_staff("technician", epa_certification_number="608-102")
    unit_id, event_id = _walk_in_with_additions(app, other)
    login_as("technician")
    assert client.get(f"/admin/refrigerantevent/edit/?id={event_id}").status_code in (302, 404)
    _edit_pounds(client, event_id, unit_id, "1")
    client.post("/admin/refrigerantevent/delete/", data={"id": event_id})
    with app.app_context():
        event = db.session.get(RefrigerantEvent, event_id)
        assert event is not None and event.pounds_added == Decimal("5.00")


def test_a_correction_keeps_what_the_office_decided(app, client, login_as, make_staff):
    tech_id = make_staff("technician", epa_certification_number="608-102")
    unit_id, event_id = _walk_in_with_additions(app, tech_id)
    login_as("manager")
    with app.app_context():
        episode_id = db.session.scalar(select(RepairEpisode.id))
    client.post(
        f"/admin/repairepisode/edit/?id={episode_id}",
        data={"retrofit_decided_on": "2026-04-05", "notes": "Owner will replace the rack."},
    )
    with app.app_context():
        plan = db.session.scalar(
            select(ComplianceObligation).where(
                ComplianceObligation.kind == ObligationKind.RETROFIT_PLAN
            )
        )
        assert plan.due_on == date(2026, 5, 5)
        plan_id = plan.id
    client.post(
        f"/admin/complianceobligation/edit/?id={plan_id}", data={"completed_on": "2026-04-20"}
    )
    _edit_pounds(client, event_id, unit_id, "6")  # a correction: everything is recomputed
    with app.app_context():
        episode = db.session.get(RepairEpisode, episode_id)  # the same row, kept
        assert episode.retrofit_decided_on == date(2026, 4, 5)
        assert episode.notes == "Owner will replace the rack."
        kinds = {
            o.kind: (o.due_on, o.completed_on)
            for o in db.session.scalars(select(ComplianceObligation))
        }
        assert kinds[ObligationKind.RETROFIT_PLAN] == (date(2026, 5, 5), date(2026, 4, 20))
        assert kinds[ObligationKind.RETROFIT_COMPLETION] == (date(2027, 4, 20), None)


@pytest.mark.parametrize("role", ["technician", "dispatcher"])
def test_only_the_office_marks_obligations_done_and_grants_extensions(
    app, client, login_as, make_staff, role
):
    process = ApplianceType.INDUSTRIAL_PROCESS
    tech_id = make_staff("technician", epa_certification_number="608-102")
    unit_id, _ = _walk_in_with_additions(app, tech_id, process)
    login_as(role)
    with app.app_context():
        episode_id = db.session.scalar(select(RepairEpisode.id))
        # The repair was not done by its deadline: a retrofit or retirement plan is due.
        report_id = _plan(unit_id).id
    client.post(
        f"/admin/complianceobligation/edit/?id={report_id}", data={"completed_on": "2026-11-30"}
    )
    client.post(
        f"/admin/repairepisode/edit/?id={episode_id}",
        data={"ipr_shutdown": "y", "notes": "Shutdown planned."},
    )
    assert client.get("/admin/complianceobligation/").status_code == 200  # they can read it
    office = role != "technician"
    with app.app_context():
        completed = _plan(unit_id).completed_on
        assert (completed == date(2026, 11, 30)) is office
        episode = db.session.get(RepairEpisode, episode_id)
        assert episode.ipr_shutdown is office
        assert (episode.notes == "Shutdown planned.") is office
        repair = db.session.scalar(
            select(ComplianceObligation.due_on).where(
                ComplianceObligation.kind == ObligationKind.REPAIR
            )
        )
        assert repair == (date(2026, 7, 30) if office else date(2026, 5, 1))


def _plan(unit_id: int) -> ComplianceObligation:
    return db.session.scalar(
        select(ComplianceObligation).where(
            ComplianceObligation.unit_id == unit_id,
            ComplianceObligation.kind == ObligationKind.RETROFIT_PLAN,
        )
    )


def _unit_form(property_id: int, **fields) -> dict:
    return {
        "property": property_id,
        "name": "Rooftop chiller",
        "kind": "chiller",
        "install_date": "2024-05-01",
        "refrigerant_type": "R-134a",
        "epa_appliance_type": "comfort_cooling",
        **fields,
    }


def test_the_unit_form_keeps_full_charge_changes_as_revisions(app, client, login_as):
    login_as("manager")
    with app.app_context():
        f.CompanySettingsFactory()
        property_id = f.PropertyFactory().id
    client.post(
        "/admin/unit/new/",
        data=_unit_form(property_id, full_charge_lb="250", charge_method="manufacturer"),
    )
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id))
    refused = client.post(
        f"/admin/unit/edit/?id={unit_id}",
        data=_unit_form(property_id, full_charge_lb="", charge_method="manufacturer"),
        follow_redirects=True,
    )
    assert b"full charge history is kept" in refused.data
    client.post(
        f"/admin/unit/edit/?id={unit_id}",
        data=_unit_form(property_id, full_charge_lb="262.5", charge_method="measurement"),
    )
    with app.app_context():
        revisions = db.session.scalars(select(ChargeRevision).order_by(ChargeRevision.id)).all()
        assert [(r.effective_on, r.full_charge_lb, r.method.value) for r in revisions] == [
            (date(2024, 5, 1), Decimal("250.00"), "manufacturer"),  # from the installation
            (local_today(), Decimal("262.50"), "measurement"),  # a change: from today
        ]
        assert db.session.get(Unit, unit_id).full_charge_lb == Decimal("262.50")


def test_technicians_record_their_own_work_only(app, client, login_as, make_staff):
    other = make_staff("technician", epa_certification_number="608-1")
    login_as("technician", epa_certification_number="608-2")
    with app.app_context():
        f.CompanySettingsFactory()
        unit_id = f.UnitFactory(refrigerant_type="R-410A").id
    page = client.post(
        "/admin/refrigerantevent/new/",
        data={
            "unit": unit_id,
            "technician": other,
            "kind": "leak_inspection",
            "occurred_at": "2026-06-01 10:00",
        },
        follow_redirects=True,
    )
    assert b"only record and correct your own work" in page.data
    with app.app_context():
        assert db.session.scalars(select(RefrigerantEvent)).all() == []
