"""Recording refrigerant work in tests the way a technician does (through record_event)."""

from datetime import UTC, date, datetime
from decimal import Decimal

from app.extensions import db
from app.models import RefrigerantEvent
from app.models.enums import RefrigerantEventKind
from app.services.refrigerant import record_event


def on_day(day: date) -> datetime:
    """Midday of `day` in the demo company's time zone (17:00 UTC is 11:00 or 12:00 in Chicago)."""
    return datetime(day.year, day.month, day.day, 17, tzinfo=UTC)


def recorded(unit, tech, kind, day: date, confirm: bool = False, **fields) -> RefrigerantEvent:
    """One event recorded and committed."""
    event = RefrigerantEvent(kind=kind, occurred_at=on_day(day), technician=tech, **fields)
    record_event(unit, event, actor=tech, confirm_large=confirm)
    db.session.commit()
    return event


def added(unit, tech, day: date, pounds, **options) -> RefrigerantEvent:
    """An addition of `pounds` (a Decimal, or its text) recorded and committed."""
    return recorded(
        unit, tech, RefrigerantEventKind.ADDITION, day, pounds_added=Decimal(pounds), **options
    )


def record_additions(unit, tech, additions) -> None:
    """Additions given as (day, pounds) pairs, recorded in order."""
    for day, pounds in additions:
        added(unit, tech, day, pounds)
