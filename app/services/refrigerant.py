"""Recording, correcting and deleting refrigerant service on an appliance.

An event is checked first (EventError, nothing written, when it cannot be right); once added,
changed or deleted, its unit's leak rates, repair episodes and obligations are recomputed from
the event log by app.services.refrigerant_ledger.
"""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import ComplianceObligation, RefrigerantEvent, Unit
from app.models.base import utcnow
from app.models.enums import AdditionExemption, RefrigerantEventKind
from app.services import compliance, full_charge
from app.services.audit import changes_of, record
from app.services.company import local_day
from app.services.refrigerant_ledger import (
    EventError,
    rebuild_compliance,
    require_category,
    unit_regimes,
)

Kind = RefrigerantEventKind
CERTIFIED_WORK = {
    Kind.ADDITION,
    Kind.RECOVERY,
    Kind.REPAIR,
    Kind.LEAK_INSPECTION,
    Kind.INITIAL_VERIFICATION,
    Kind.FOLLOWUP_VERIFICATION,
}
FUTURE_GRACE = timedelta(minutes=5)


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
        require_category(unit)
    if event.pounds_added > charge and not confirm_large:
        raise EventError(
            _l(
                "%(added)s lb is more than the full charge (%(charge)s lb). "
                "Check the amount, or confirm it.",
                added=event.pounds_added,
                charge=charge,
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
