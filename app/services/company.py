"""The company's settings row: read once per request, and kept between requests in each web
process (a change made in the process is seen on its next read; one made elsewhere, by the
other web workers or a job, within COMPANY_CACHE_SECONDS)."""

import logging
import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from flask import current_app, g, has_request_context
from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import make_transient_to_detached

from app.extensions import db
from app.models import CompanySettings
from app.models.company import DEFAULT_ARRIVAL_WINDOWS
from app.table_writes import watch_writes

log = logging.getLogger(__name__)

# How long a web process trusts its copy of the row: what other processes change shows by then.
COMPANY_CACHE_SECONDS = 10.0


_changes = watch_writes("company_settings")


@dataclass(frozen=True)
class _Kept:
    company: CompanySettings  # detached, every column loaded
    changes: int
    until: float


def current_company() -> CompanySettings:
    """The settings row, or unsaved defaults when there is none yet (or no database)."""
    cache = has_request_context()  # a request is short; a command or job may change the row
    if cache and "company" in g:
        return g.company
    kept = kept_company() if cache else None
    if kept is not None:
        g.company = kept
        return kept
    changes, keep = _changes.count, cache
    # A failure inside the caller's transaction fails the caller: rolling back here would let
    # it carry on in a fresh transaction and commit half its work (the database restarting
    # mid-request did that). Outside one (an error page after its rollback), defaults do.
    # No autoflush: the caller may hold half-built records (it reads the settings to finish them).
    working = db.session().in_transaction()
    try:
        with db.session.no_autoflush:
            query = select(CompanySettings).order_by(CompanySettings.id).limit(1)
            company = db.session.scalar(query)
    except SQLAlchemyError:
        if working:
            raise
        db.session.rollback()
        company, keep = None, False
    if company is not None and inspect(company).modified:
        keep = False  # a change not saved yet (a settings form being checked): not for keeping
    if company is None:
        company = CompanySettings(
            name="Your HVAC Company",
            time_zone="America/Chicago",
            brand_color="#0b5cad",
            currency="USD",
            tax_rate_percent=Decimal(0),
            part84_first_calculation_365_days=False,
            arrival_windows=DEFAULT_ARRIVAL_WINDOWS,
            booking_days_ahead=14,
            booking_notice_hours=24,
            reminder_hours_before=24,
            quiet_hours_start=time(21),
            quiet_hours_end=time(8),
            technicians_may_price=False,
            free_lines_allowed=True,
            invoice_at_once=False,
            invoice_due_days=30,
        )
    if cache:
        g.company = company
    if keep:
        until = clock.monotonic() + COMPANY_CACHE_SECONDS
        current_app.extensions["company_settings"] = _Kept(_detached_copy(company), changes, until)
    return company


def kept_company() -> CompanySettings | None:
    """The settings copy this process keeps between requests, which current_company() gives
    the next request (the very object, until it is read again); None when none is kept."""
    kept = current_app.extensions.get("company_settings")
    if kept and kept.changes == _changes.count and clock.monotonic() < kept.until:
        return kept.company
    return None


def _detached_copy(company: CompanySettings) -> CompanySettings:
    """A copy outside every session, each column loaded: no commit expires it, and the
    session's own row (a settings form may be editing it) is left where it is."""
    columns = {
        column.key: getattr(company, column.key) for column in inspect(company).mapper.column_attrs
    }
    copy = CompanySettings(**columns)
    if company.id is not None:
        make_transient_to_detached(copy)
    return copy


def forget_company() -> None:
    """Drop the cached settings row (after it was created or changed)."""
    _changes.bump()
    if has_request_context():
        g.pop("company", None)


def local_now() -> datetime:
    """Now, in the company's time zone."""
    return datetime.now(current_company().zone)


def local_today() -> date:
    return local_now().date()


def company_currency() -> str:
    """The company's currency; US dollars until the settings row exists (the unsaved defaults
    have none)."""
    return current_company().currency or "USD"


def to_local(moment: datetime | None) -> datetime | None:
    """A stored UTC timestamp in the company's time zone."""
    return moment.astimezone(current_company().zone) if moment is not None else None


def local_day(moment: datetime) -> date:
    """The company's calendar day of a stored UTC timestamp."""
    return to_local(moment).date()


def from_local(wall_time: datetime | None) -> datetime | None:
    """A wall-clock time typed in the company's time zone, as an aware UTC timestamp."""
    if wall_time is None:
        return None
    return wall_time.replace(tzinfo=current_company().zone).astimezone(UTC)


def office_address() -> str:
    """Where mail for the office goes: the company's e-mail, else the sender address (nothing a
    customer sends may go unnoticed because the settings are incomplete)."""
    company = current_company()
    if company.email:
        return company.email
    fallback = current_app.config["MAIL_FROM"]
    log.warning("The company settings have no e-mail; office mail goes to MAIL_FROM, %s", fallback)
    return fallback
