"""A unit's full charge over time (40 CFR 82.157(l)(1)(iv)-(v); 84.106(l)).

Every value the full charge has had is a ChargeRevision from the day it applied, with how it
was determined; the first charge is one too, dated from the installation (or from when it was
first entered). Leak rates use the revision in effect on the addition's day; the unit's own
`full_charge_lb` and `charge_method` only mirror the one in effect today, for lists and forms.
"""

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import UserError
from app.extensions import db
from app.models import ChargeRevision, Unit
from app.models.enums import ChargeMethod
from app.services.audit import record
from app.services.company import local_today


class ChargeError(UserError):
    """The full charge cannot be recorded as entered; the message says what to fix."""


def charge_in_effect(revisions: list[ChargeRevision], day: date) -> Decimal | None:
    """The full charge in effect on `day` among a unit's revisions (sorted by date, then id);
    None before the first."""
    in_effect = [r for r in revisions if r.effective_on <= day]
    return in_effect[-1].full_charge_lb if in_effect else None


def revisions_of(unit: Unit) -> list[ChargeRevision]:
    """The unit's revisions, oldest first (a later entry for the same day wins)."""
    return list(
        db.session.scalars(
            select(ChargeRevision)
            .where(ChargeRevision.unit_id == unit.id)
            .order_by(ChargeRevision.effective_on, ChargeRevision.id)
        )
    )


def full_charge_on(unit: Unit, day: date) -> Decimal | None:
    """The full charge in effect on `day`, looked up in the database."""
    return db.session.scalar(
        select(ChargeRevision.full_charge_lb)
        .where(ChargeRevision.unit_id == unit.id, ChargeRevision.effective_on <= day)
        .order_by(ChargeRevision.effective_on.desc(), ChargeRevision.id.desc())
        .limit(1)
    )


def first_charge_day(unit: Unit) -> date | None:
    """The day the earliest full charge on record applies from."""
    return db.session.scalar(
        select(ChargeRevision.effective_on)
        .where(ChargeRevision.unit_id == unit.id)
        .order_by(ChargeRevision.effective_on)
        .limit(1)
    )


def add_revision(revision: ChargeRevision, *, actor) -> None:
    """Check and add a revision; the unit mirrors whichever revision is in effect today."""
    if revision.effective_on is None:
        raise ChargeError(_l("Enter the day the full charge applies from."))
    if revision.effective_on > local_today():
        raise ChargeError(_l("A full-charge revision cannot start in the future."))
    if revision.method is None:
        raise ChargeError(_l("Say how the full charge was determined."))
    if revision.method == ChargeMethod.RANGE_MIDPOINT:
        low, high = revision.range_low_lb, revision.range_high_lb
        if low is None or high is None or not 0 < low <= high:
            raise ChargeError(_l("A range midpoint needs the low and high ends of the range."))
        revision.full_charge_lb = (low + high) / 2
    elif not revision.full_charge_lb or revision.full_charge_lb <= 0:
        raise ChargeError(_l("Enter the full charge in pounds."))
    db.session.add(revision)
    db.session.flush()
    _mirror_current(revision.unit)
    record(
        "full_charge_revised",
        revision.unit,
        actor=actor,
        summary=f"{revision.unit}: {revision}",
    )


def revise_from_unit_form(unit: Unit, effective_on: date | None, *, actor) -> ChargeRevision | None:
    """The Unit form changed the full charge or its method: keep that as a revision (None:
    there is no full charge yet, so nothing to keep).

    It applies from `effective_on`, by default the installation date for the unit's first
    charge (or today, when that is unknown) and today for a change.
    """
    first = unit.id is None or first_charge_day(unit) is None
    if unit.full_charge_lb is None and first and effective_on is None:
        return None
    if unit.full_charge_lb is None:
        raise ChargeError(
            _l("The full charge history is kept: enter the new full charge instead of clearing it.")
        )
    if unit.charge_method is None:
        raise ChargeError(_l("Say how the full charge was determined."))
    if unit.charge_method == ChargeMethod.RANGE_MIDPOINT:
        raise ChargeError(
            _l(
                "A range midpoint needs the low and high ends: record it under Compliance → "
                "Full-charge revisions."
            )
        )
    if effective_on is None:
        effective_on = (unit.install_date if first else None) or local_today()
    revision = ChargeRevision(
        unit=unit,
        effective_on=effective_on,
        full_charge_lb=unit.full_charge_lb,
        method=unit.charge_method,
    )
    add_revision(revision, actor=actor)
    return revision


def _mirror_current(unit: Unit) -> None:
    revisions = revisions_of(unit)
    today = local_today()
    current = [r for r in revisions if r.effective_on <= today]
    if current:
        unit.full_charge_lb, unit.charge_method = current[-1].full_charge_lb, current[-1].method
