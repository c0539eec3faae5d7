"""The plain data of the EPA compliance report (reports.compliance loads it,
reports.compliance_pdf draws it), and the small rules and wordings the drawing uses.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.pdf_kit import DEFAULT_BRAND

EXCEEDED = "EXCEEDED"
DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class Site:
    """A service address the report covers, with the facility's leak-rate method."""

    name: str
    address: str
    leak_rate_method: str


@dataclass(frozen=True)
class ChargeRecord:
    """A full charge from a date on and how it was determined (None: the unit's own record)."""

    effective_on: date | None
    full_charge_lb: Decimal
    method: str
    range_low_lb: Decimal | None = None
    range_high_lb: Decimal | None = None
    notes: str = ""


@dataclass(frozen=True)
class LeakRateRecord:
    """The leak rate stored with an addition, and the inputs that produced it."""

    percent: str  # display value, rounded half-up to 2 decimals
    method: str
    regime: str
    threshold: int | None
    exceeded: bool
    full_charge_lb: str
    pounds_counted: str
    days: int | None = None  # annualizing: D
    previous_addition_on: str | None = None
    window_start: str | None = None  # rolling average
    reset_by_test_on: str | None = None
    first_part84_calculation: bool = False
    prior_date_unknown: bool = False


@dataclass(frozen=True)
class ServiceEvent:
    """One refrigerant event as recorded (pounds, who did it, what was found)."""

    day: date
    kind: str
    pounds_added: Decimal = Decimal(0)
    pounds_removed: Decimal = Decimal(0)
    pounds_returned: Decimal = Decimal(0)
    technician: str = ""
    certification_number: str = ""
    leak_location: str = ""
    notes: str = ""
    parts_serviced: str = ""
    exempt_reason: str = ""
    test_method: str = ""
    test_passed: bool | None = None
    leak_found: bool | None = None
    leak_rate: LeakRateRecord | None = None


@dataclass(frozen=True)
class Deadline:
    """Something due by a date, and when it was done (None: not yet)."""

    what: str
    due_on: date
    completed_on: date | None = None
    suspended_on: date | None = None  # mothballed: the clock stopped that day
    ended_reason: str = ""  # ended without being done (the appliance was retired, say)
    notes: str = ""


@dataclass(frozen=True)
class Episode:
    """A repair episode: what opened it, its deadlines and its verification tests."""

    discovered_on: date
    status: str
    leak_rate_percent: str
    threshold_percent: int
    repaired_on: date | None = None
    closed_on: date | None = None
    retrofit_decided_on: date | None = None
    leak_locations: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    tests: tuple[ServiceEvent, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ChronicYear:
    """Countable additions in a calendar year as a percentage of the full charge."""

    year: int
    percent: str
    full_charge_lb: Decimal
    chronic: bool
    report_due: date
    in_effect: bool = True  # False: no regime covering the appliance applied that year


@dataclass(frozen=True)
class Appliance:
    """One appliance with its records for the period."""

    code: str
    name: str
    site: str
    category: str
    refrigerant: str
    regimes: tuple[str, ...]
    full_charge_lb: Decimal | None
    charge_method: str
    install_date: date | None
    excluded_subsector: bool
    facility_method: str
    charge_revisions: tuple[ChargeRecord, ...] = ()
    inspection_frequency: str = ""
    regime_note: str = ""  # why the regime could not be decided, if it could not
    events: tuple[ServiceEvent, ...] = ()
    episodes: tuple[Episode, ...] = ()
    inspections_due: tuple[Deadline, ...] = ()
    other_deadlines: tuple[Deadline, ...] = ()  # chronic-leak reports, retrofit plans
    chronic_years: tuple[ChronicYear, ...] = ()


@dataclass(frozen=True)
class Technician:
    name: str
    certification_number: str
    events: int


@dataclass(frozen=True)
class Reading:
    """One reading of the rules the figures rely on, numbered across the notes page, with its
    basis: the reference's tag ("[?]") and what the tag means, for the appendix."""

    number: int
    tag: str
    basis: str
    text: str


@dataclass(frozen=True)
class Interpretations:
    """The notes page: an introduction, the readings under their topics, a closing line."""

    introduction: str = ""
    topics: tuple[tuple[str, tuple[Reading, ...]], ...] = ()
    closing: str = ""

    @property
    def readings(self) -> list[Reading]:
        return [reading for _, readings in self.topics for reading in readings]


@dataclass(frozen=True)
class ComplianceReport:
    """Everything the report shows."""

    company: str
    customer: str
    sites: tuple[Site, ...]
    date_from: date
    date_to: date
    data_through: date
    generated_at: datetime  # aware, in the company's time zone
    appliances: tuple[Appliance, ...]
    technicians: tuple[Technician, ...] = ()
    interpretations: Interpretations = Interpretations()
    title: str = "EPA refrigerant compliance report"
    brand_color: str = DEFAULT_BRAND  # the company's, as "#rrggbb"


def deadline_status(
    due_on: date,
    completed_on: date | None,
    as_of: date,
    *,
    suspended_on: date | None = None,
    ended_reason: str = "",
) -> str:
    """on time, late, open (not due yet), overdue (as of the data-through date), suspended
    (mothballed) or not required."""
    if ended_reason:
        return "not required"
    if suspended_on is not None and completed_on is None:
        return f"suspended: mothballed since {suspended_on.isoformat()}"
    if completed_on is not None:
        return "on time" if completed_on <= due_on else "late"
    return "overdue" if due_on < as_of else "open"


def regime_label(regimes: Sequence[str]) -> str:
    names = {"part82": "Part 82", "part84": "Part 84"}
    return " + ".join(names.get(r, r) for r in sorted(regimes)) or "Not covered"


def spaced(value: str) -> str:
    """A stored value as words: underscores as spaces."""
    return (value or "").replace("_", " ")


def iso(value: date | None) -> str:
    """A day as YYYY-MM-DD, or a dash."""
    return value.isoformat() if value else DASH


def lbs(value: Decimal | None) -> str:
    """Pounds with two decimals ("0" for none at all), or a dash when unknown."""
    if value is None:
        return DASH
    return f"{value:.2f}" if value else "0"
