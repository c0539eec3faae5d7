"""The EPA refrigerant leak-repair rules as plain arithmetic on dates and pounds.

40 CFR Part 82 Subpart F (ozone-depleting refrigerants) and Part 84 Subpart C (HFCs, from
2026-01-01): which regime covers an appliance, its leak rate after each addition, the
threshold it is compared with, what is due after an exceedance, and chronic leakers.

Pure functions: no Flask, no database, no floats. Quantities are Decimal, int, Fraction or
str; the arithmetic is exact (Fraction) and decisions use the exact value. Rounding is for
display only. The developer reference is ../shared/domain/epa-refrigerant-compliance.md;
its worked test vectors are leak-rate-vectors.json beside it. Choices the rule text leaves
open are marked "[I]" here, as in the reference.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from app.errors import UserError

Quantity = Decimal | int | Fraction | str  # pounds or percent; floats are refused

PART82 = "part82"
PART84 = "part84"
ANNUALIZING = "annualizing"
ROLLING_AVERAGE = "rolling_average"

PART82_157_START = date(2019, 1, 1)  # 82.157 replaced 82.156(i) and its 35/35/15 % thresholds
PART84_START = date(2026, 1, 1)  # 84.106(a)(4)
ALD_RETROFIT_DEADLINE = date(2027, 1, 1)  # 84.108, appliances installed 2017-2025
ALD_OLDEST_INSTALL = date(2017, 1, 1)

ODS_MIN_LBS = Decimal(50)  # 82.157(a): "50 or more pounds"
PART84_MIN_LBS = Decimal(15)  # 84.106(a): "15 or more pounds"
QUARTERLY_INSPECTION_MIN_LBS = Decimal(500)
ALD_MIN_LBS = Decimal(1500)
CHRONIC_THRESHOLD_PERCENT = 125
YEAR_DAYS = 365  # the annualizing constant, also in leap years

REPAIR_DAYS = 30
IPR_SHUTDOWN_REPAIR_DAYS = 120
FOLLOWUP_DAYS = 10
RETROFIT_PLAN_DAYS = 30
ALD_NEW_INSTALL_DAYS = 30
# [I] "Once every 3 months": 3 calendar months or 90 days, whichever ends first; "once per
# calendar year": 365 days, never later than the next calendar year (reference §6).
QUARTERLY_INTERVAL = timedelta(days=90)
YEARLY_INTERVAL = timedelta(days=365)

COMFORT_COOLING = "comfort_cooling"
COMMERCIAL_REFRIGERATION = "commercial_refrigeration"
INDUSTRIAL_PROCESS = "industrial_process_refrigeration"
REFRIGERATED_TRANSPORT = "refrigerated_transport"
OTHER = "other"

# Values match app.models.enums.ApplianceType (a StrEnum, so its members work here as-is).
THRESHOLDS = {
    COMFORT_COOLING: 10,
    COMMERCIAL_REFRIGERATION: 20,
    INDUSTRIAL_PROCESS: 30,
    REFRIGERATED_TRANSPORT: 10,
    OTHER: 10,
}
# 82.156(i), before 2019-01-01: 35 % for commercial and industrial process refrigeration,
# 15 % for comfort cooling and every other appliance (reference §2).
PART82_PRE_2019_THRESHOLDS = {
    COMFORT_COOLING: 15,
    COMMERCIAL_REFRIGERATION: 35,
    INDUSTRIAL_PROCESS: 35,
    REFRIGERATED_TRANSPORT: 15,
    OTHER: 15,
}


class ErrorCode(StrEnum):
    """Why the engine refused to compute; the codes the test vectors' error records name."""

    FULL_CHARGE_REQUIRED = "FULL_CHARGE_REQUIRED"
    FULL_CHARGE_INVALID = "FULL_CHARGE_INVALID"
    ADDITION_INVALID = "ADDITION_INVALID"
    DATE_INVALID = "DATE_INVALID"
    METHOD_INVALID = "METHOD_INVALID"
    REGIME_INVALID = "REGIME_INVALID"
    CATEGORY_UNKNOWN = "CATEGORY_UNKNOWN"
    REFRIGERANT_UNKNOWN = "REFRIGERANT_UNKNOWN"
    SHUTDOWN_NOT_IPR = "SHUTDOWN_NOT_IPR"
    INSTALL_DATE_REQUIRED = "INSTALL_DATE_REQUIRED"
    RATE_INVALID = "RATE_INVALID"


class ComplianceError(UserError):
    """The input cannot give a lawful answer; `code` says which rule, the message what to fix."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class RefrigerantClass(StrEnum):
    """What a refrigerant is made of, which decides the regime (reference §1)."""

    ODS = "ods"  # solely class I/II substances (CFC, HCFC)
    HFC = "hfc"  # contains a regulated HFC and no ODS
    ODS_HFC_BLEND = "ods_hfc_blend"  # contains both
    HIGH_GWP_SUBSTITUTE = "high_gwp_substitute"  # no HFC, no ODS, GWP above 53
    LOW_GWP = "low_gwp"  # no HFC, no ODS, GWP 53 or less: no leak-repair rules


_REFRIGERANTS: dict[RefrigerantClass, tuple[str, ...]] = {
    RefrigerantClass.ODS: (
        "R-11", "R-12", "R-13", "R-113", "R-114", "R-115",  # CFCs
        "R-22", "R-123", "R-124", "R-141B", "R-142B",  # HCFCs
        "R-502",
        "R-409A", "R-409B",  # R-22/R-124/R-142b
    ),
    RefrigerantClass.ODS_HFC_BLEND: (
        "R-401A", "R-401B", "R-401C",  # R-22/R-152a/R-124
        "R-402A", "R-402B",
        "R-408A",  # R-125/R-143a/R-22
        "R-411A", "R-411B",  # R-1270/R-22/R-152a
        "R-416A",  # R-134a/R-124/R-600
        "R-420A",  # R-134a/R-142b
        "R-500",  # R-12/R-152a
        "R-503",
    ),
    RefrigerantClass.HFC: (
        "R-23", "R-32", "R-125", "R-134A", "R-143A", "R-152A", "R-227EA", "R-236FA", "R-245FA",
        "R-404A", "R-407A", "R-407C", "R-407F", "R-407H", "R-410A", "R-417A", "R-421A",
        "R-422A", "R-422B", "R-422D", "R-424A", "R-427A", "R-434A", "R-437A", "R-438A",
        "R-448A", "R-449A", "R-449B", "R-450A", "R-452A", "R-452B", "R-454A", "R-454B",
        "R-454C", "R-455A", "R-466A", "R-507A", "R-508B", "R-513A", "R-515B",
    ),
    RefrigerantClass.HIGH_GWP_SUBSTITUTE: ("R-14", "R-116", "R-218"),  # perfluorocarbons
    RefrigerantClass.LOW_GWP: (
        "R-170", "R-290", "R-600", "R-600A", "R-1270", "R-441A",  # hydrocarbons
        "R-717", "R-718", "R-744",  # ammonia, water, CO2
        "R-1234YF", "R-1234ZE", "R-1234ZE(E)", "R-1234ZE(Z)", "R-1336MZZ(Z)",  # HFOs
    ),
}  # fmt: skip
REFRIGERANT_CLASSES = {name: kind for kind, names in _REFRIGERANTS.items() for name in names}


class LeakRate(Decimal):
    """A percentage that also carries its exact rational value in `exact`.

    As a Decimal it is the exact value to 40 significant digits (so it stores and prints like
    any Decimal); `exceeds` and `display_percent` use `exact`, so no rounding decides anything.
    """

    __slots__ = ("exact",)

    def __new__(cls, value: Fraction | Decimal | int | str) -> "LeakRate":
        exact = Fraction(value)
        self = super().__new__(cls, _decimal(exact))
        self.exact = exact
        return self


@dataclass(frozen=True)
class LeakRateResult:
    """A leak rate with the inputs that produced it, kept as evidence with the addition."""

    rate: LeakRate
    method: str
    regime: str
    on: date
    full_charge_lbs: Decimal
    pounds_counted: Decimal
    counted_additions: tuple[tuple[date, Decimal], ...]  # one per day, same-day entries summed
    days: int | None = None  # annualizing: D
    previous_addition_on: date | None = None  # annualizing: the day D counts from
    first_part84_calculation: bool = False  # annualizing: D = 365 by 84.106(b)(1)
    prior_date_unknown: bool = False  # annualizing, Part 82: no earlier day known, D = 365
    window_start: date | None = None  # rolling: first day inside the 365-day window
    reset_by_test_on: date | None = None  # rolling: follow-up test that restarted the sum

    def inputs(self) -> dict:
        """The inputs as JSON-ready strings, for the addition's stored evidence."""
        return {
            "method": self.method,
            "regime": self.regime,
            "on": self.on.isoformat(),
            "full_charge_lb": str(self.full_charge_lbs),
            "pounds_counted": str(self.pounds_counted),
            "counted_additions": [[d.isoformat(), str(lb)] for d, lb in self.counted_additions],
            "days": self.days,
            "previous_addition_on": _iso(self.previous_addition_on),
            "first_part84_calculation": self.first_part84_calculation,
            "prior_date_unknown": self.prior_date_unknown,
            "window_start": _iso(self.window_start),
            "reset_by_test_on": _iso(self.reset_by_test_on),
            "exact_percent": f"{self.rate.exact.numerator}/{self.rate.exact.denominator}",
            "percent": display_percent(self.rate),
        }


@dataclass(frozen=True)
class RepairDeadlines:
    """When the repair and the initial verification test are due after an exceedance."""

    discovered_on: date
    days_allowed: int  # 30, or 120 for IPR needing an industrial process shutdown
    repair_due: date
    initial_verification_due: date


@dataclass(frozen=True)
class InspectionSchedule:
    """How often an appliance is leak-inspected after an exceedance, and for how long
    (82.157(g); 84.106(g), said to mirror it [?])."""

    frequency: str  # "quarterly" or "yearly"
    interval: timedelta  # the longest gap between inspections, in days
    clear_after_periods: int  # periods in a row not over the threshold that end the schedule

    def next_due(self, after: date) -> date:
        """When the next inspection is due after an inspection (or the exceedance) on `after`.

        Quarterly: 3 calendar months or 90 days, whichever is earlier; yearly: 365 days [I].
        """
        after = _day(after, "The inspection date")
        due = after + self.interval
        if self.frequency == "quarterly":
            due = min(due, _add_months(after, 3))
        return due

    def ends_on(self, last_exceeded_on: date) -> date:
        """The first day on which the appliance has gone the required time without a leak
        rate over its threshold: four full calendar quarters after the quarter of the last
        exceedance (quarterly), or one year after it (yearly) [I]."""
        last = _day(last_exceeded_on, "The exceedance date")
        if self.frequency == "quarterly":
            quarter_start = date(last.year, 3 * ((last.month - 1) // 3) + 1, 1)
            return _add_months(quarter_start, 3 * (self.clear_after_periods + 1))
        return _add_months(last, 12 * self.clear_after_periods, leap_day_forward=True)


# Leak rate


def leak_rate(*args, **options) -> LeakRate:
    """The leak rate in percent (exact, unrounded) for the addition made on `on`.

    Takes the parameters of `leak_rate_details`; this returns only the rate.
    """
    return leak_rate_details(*args, **options).rate


def leak_rate_details(
    full_charge_lbs: Quantity | None,
    additions: Iterable[tuple[date, Quantity]],
    *,
    method: str,
    on: date,
    regime: str,
    followup_test_dates: Iterable[date] = (),
    installed_on: date | None = None,
    uncounted_addition_dates: Iterable[date] = (),
    part84_first_from_installation: bool = False,
) -> LeakRateResult:
    """The leak rate for the addition made on `on`, with the inputs used (82.152 / 84.102).

    `additions` is the appliance's history of countable additions as (day, pounds); entries
    after `on` are ignored and same-day entries are one addition. Zero-pound entries (e.g.
    added minus returned came to nothing) are not additions [I]. `full_charge_lbs` is the
    full charge in effect on `on`.

    Annualizing only: `installed_on` is the day of the installation (initial) charge and
    `uncounted_addition_dates` the days of additions that do not count toward the rate
    (seasonal variance, after a retrofit); both end the interval D without adding pounds [I].
    Under Part 82 with no earlier day at all, D = 365 and `prior_date_unknown` is set [I].
    Under Part 84 the first calculation on/after 2026-01-01 uses D = 365 (84.106(b)(1));
    with `part84_first_from_installation`, an appliance installed on/after 2026-01-01 counts
    its real days instead (the conservative reading, reference §10.2 [?]).

    Rolling average only: `followup_test_dates` are days of successful follow-up
    verification tests showing all identified leaks repaired. One dated inside the window and
    before `on` restarts the sum after that day; additions dated on a test day count as made
    before the test, and a test dated `on` is taken as after that day's addition [I].

    Part 84 ignores additions before 2026-01-01 with either method, so a pre-2026 addition
    evaluated under Part 84 gives 0 (84.106(b)(2), reference §10.7).
    """
    charge = _full_charge(full_charge_lbs)
    days_lbs = _day_totals(additions)
    on = _day(on, "The evaluation date")
    tests = [_day(test, "A follow-up test date") for test in followup_test_dates]
    others = [_day(other, "An uncounted addition date") for other in uncounted_addition_dates]
    if installed_on is not None:
        others.append(_day(installed_on, "The installation date"))
    if method not in (ANNUALIZING, ROLLING_AVERAGE):
        raise ComplianceError(
            ErrorCode.METHOD_INVALID,
            f"Unknown leak-rate method {method!r}: use {ANNUALIZING!r} or {ROLLING_AVERAGE!r}.",
        )
    _check_regime(regime)
    if regime == PART84:
        days_lbs = {day: lbs for day, lbs in days_lbs.items() if day >= PART84_START}
    if method == ANNUALIZING:
        return _annualizing(
            charge, days_lbs, on, regime, others, installed_on, part84_first_from_installation
        )
    return _rolling_average(charge, days_lbs, on, regime, tests)


def _annualizing(charge, days_lbs, on, regime, others, installed_on, from_installation):
    pounds = days_lbs.get(on, Fraction(0))
    earlier = [day for day in [*days_lbs, *others] if day < on]
    first_part84 = regime == PART84 and on >= PART84_START and not any(d < on for d in days_lbs)
    if first_part84 and from_installation and installed_on and installed_on >= PART84_START:
        first_part84 = False  # days since installation (or a later charge) instead of 365
    previous = max(earlier) if earlier and not first_part84 else None
    days = YEAR_DAYS if previous is None else min((on - previous).days, YEAR_DAYS)
    rate = pounds / charge * YEAR_DAYS / days * 100
    return LeakRateResult(
        rate=LeakRate(rate),
        method=ANNUALIZING,
        regime=regime,
        on=on,
        full_charge_lbs=_decimal(charge),
        pounds_counted=_decimal(pounds),
        counted_additions=((on, _decimal(pounds)),) if pounds else (),
        days=days,
        previous_addition_on=previous,
        first_part84_calculation=first_part84,
        prior_date_unknown=previous is None and regime == PART82,
    )


def _rolling_average(charge, days_lbs, on, regime, tests):
    after = on - timedelta(days=YEAR_DAYS)  # the window is (on - 365 days, on]
    reset = max((test for test in tests if after < test < on), default=None)
    if reset is not None:
        after = reset
    counted = tuple(sorted((day, lbs) for day, lbs in days_lbs.items() if after < day <= on))
    pounds = sum((lbs for _, lbs in counted), Fraction(0))
    return LeakRateResult(
        rate=LeakRate(pounds / charge * 100),
        method=ROLLING_AVERAGE,
        regime=regime,
        on=on,
        full_charge_lbs=_decimal(charge),
        pounds_counted=_decimal(pounds),
        counted_additions=tuple((day, _decimal(lbs)) for day, lbs in counted),
        window_start=on - timedelta(days=YEAR_DAYS - 1),
        reset_by_test_on=reset,
    )


def regime_in_effect(regime: str, on: date) -> bool:
    """Whether 82.157 (Part 82) or 84.106 (Part 84) applied on `on`."""
    _check_regime(regime)
    return on >= (PART84_START if regime == PART84 else PART82_157_START)


def leak_repair_applies(regime: str, on: date) -> bool:
    """Whether the regime required leak repair on `on`: Part 84 from 2026-01-01, Part 82 on
    every date (82.156(i) before 2019-01-01, with its own thresholds)."""
    _check_regime(regime)
    return regime == PART82 or on >= PART84_START


# Thresholds and display


def threshold_percent(appliance_category: str) -> int:
    """The leak rate (percent) over which repair is required (82.157(c)(2); 84.106(c)(2))."""
    try:
        return THRESHOLDS[appliance_category]
    except (KeyError, TypeError):
        raise ComplianceError(
            ErrorCode.CATEGORY_UNKNOWN,
            f"Unknown appliance category {appliance_category!r}; "
            f"use one of {', '.join(THRESHOLDS)}.",
        ) from None


def threshold_in_effect(appliance_category: str, regime: str, on: date) -> int:
    """The threshold that applied on `on`: under Part 82 before 2019-01-01 the 82.156(i)
    figures (35 % refrigeration, 15 % comfort cooling and other), otherwise today's."""
    threshold = threshold_percent(appliance_category)
    _check_regime(regime)
    if regime == PART82 and _day(on, "The evaluation date") < PART82_157_START:
        return PART82_PRE_2019_THRESHOLDS[appliance_category]
    return threshold


def exceeds(rate: Quantity, category: str, *, regime: str | None = None, on=None) -> bool:
    """Whether the exact rate is over the category's threshold (equal is not over); with
    `regime` and `on`, the threshold in effect on that day."""
    if regime is not None and on is not None:
        return _exact(rate) > threshold_in_effect(category, regime, on)
    return _exact(rate) > threshold_percent(category)


def display_percent(rate: Quantity) -> str:
    """The rate rounded half-up to 2 decimals for people to read, e.g. "20.00"."""
    exact = _exact(rate) * 100
    sign = -1 if exact < 0 else 1
    hundredths = sign * int(abs(exact) + Fraction(1, 2))  # half away from zero
    return f"{Decimal(hundredths).scaleb(-2):.2f}"


# Which rules apply


def refrigerant_class(refrigerant: str) -> RefrigerantClass:
    """What the refrigerant is made of, from the table; an unknown name is an error."""
    key = _refrigerant_key(refrigerant)
    if key not in REFRIGERANT_CLASSES:
        raise ComplianceError(
            ErrorCode.REFRIGERANT_UNKNOWN,
            f"Refrigerant {refrigerant!r} is not in the compliance table, so the rules that "
            "apply cannot be decided; add it with its composition before relying on this unit.",
        )
    return REFRIGERANT_CLASSES[key]


def regimes(
    refrigerant: str, full_charge_lbs: Quantity | None, *, part84_excluded_subsector: bool
) -> set[str]:
    """The leak-repair regimes covering an appliance: a subset of {"part82", "part84"}.

    `part84_excluded_subsector` is the person-set flag for the residential and
    light-commercial AC and heat pump subsector (84.106(a)(3)(ii)); it is never inferred.
    """
    kind = refrigerant_class(refrigerant)
    charge = _full_charge(full_charge_lbs)
    found = set()
    has_ods = kind in (RefrigerantClass.ODS, RefrigerantClass.ODS_HFC_BLEND)
    if has_ods and charge >= ODS_MIN_LBS:
        found.add(PART82)
    part84_kinds = (
        RefrigerantClass.HFC,
        RefrigerantClass.ODS_HFC_BLEND,
        RefrigerantClass.HIGH_GWP_SUBSTITUTE,
    )
    if kind in part84_kinds and charge >= PART84_MIN_LBS and not part84_excluded_subsector:
        found.add(PART84)
    return found


def ald_required_by(
    refrigerant: str,
    full_charge_lbs: Quantity | None,
    category: str,
    installed_on: date | None,
    *,
    part84_excluded_subsector: bool = False,
) -> date | None:
    """When automatic leak detection must be in place (84.108), or None if not required."""
    threshold_percent(category)
    covered = PART84 in regimes(
        refrigerant, full_charge_lbs, part84_excluded_subsector=part84_excluded_subsector
    )
    cr_or_ipr = category in (COMMERCIAL_REFRIGERATION, INDUSTRIAL_PROCESS)
    if not (covered and cr_or_ipr and _full_charge(full_charge_lbs) >= ALD_MIN_LBS):
        return None
    if installed_on is None:
        raise ComplianceError(
            ErrorCode.INSTALL_DATE_REQUIRED,
            "Automatic leak detection deadlines depend on the installation date; enter it.",
        )
    installed_on = _day(installed_on, "The installation date")
    if installed_on >= PART84_START:
        return installed_on + timedelta(days=ALD_NEW_INSTALL_DAYS)
    if installed_on >= ALD_OLDEST_INSTALL:
        return ALD_RETROFIT_DEADLINE
    return None


# What is due after an exceedance


def repair_deadlines(
    discovered_on: date, category: str, *, ipr_shutdown: bool = False
) -> RepairDeadlines:
    """Repair and initial verification due dates (82.157(d),(e); 84.106(d),(e)).

    Day 0 is the day the exceeding leak rate was discovered, i.e. the addition's day [I].
    """
    threshold_percent(category)
    discovered_on = _day(discovered_on, "The discovery date")
    if ipr_shutdown and category != INDUSTRIAL_PROCESS:
        raise ComplianceError(
            ErrorCode.SHUTDOWN_NOT_IPR,
            "The 120-day period for a process shutdown applies only to industrial process "
            "refrigeration.",
        )
    days = IPR_SHUTDOWN_REPAIR_DAYS if ipr_shutdown else REPAIR_DAYS
    due = discovered_on + timedelta(days=days)
    return RepairDeadlines(
        discovered_on=discovered_on,
        days_allowed=days,
        repair_due=due,
        initial_verification_due=due,
    )


def followup_due(initial_test_passed_on: date) -> date:
    """The follow-up verification test is due 10 days after a passed initial test."""
    return _day(initial_test_passed_on, "The initial test date") + timedelta(days=FOLLOWUP_DAYS)


def retrofit_plan_due(decided_on: date) -> date:
    """A retrofit or retirement plan is due 30 days after deciding, or failing, to repair."""
    return _day(decided_on, "The decision date") + timedelta(days=RETROFIT_PLAN_DAYS)


def retrofit_completion_due(plan_dated_on: date) -> date:
    """The retrofit or retirement is due within one year of the plan's date."""
    plan_dated_on = _day(plan_dated_on, "The plan date")
    try:
        return plan_dated_on.replace(year=plan_dated_on.year + 1)
    except ValueError:  # a plan dated 29 February: the earlier day, 28 February
        return plan_dated_on.replace(year=plan_dated_on.year + 1, day=28)


def inspection_schedule(category: str, full_charge_lbs: Quantity) -> InspectionSchedule:
    """Leak inspections after an exceedance: quarterly for CR/IPR of 500 lb or more, else
    yearly (82.157(g); 84.106(g))."""
    threshold_percent(category)
    charge = _quantity(full_charge_lbs, ErrorCode.FULL_CHARGE_INVALID, "The full charge")
    if category in (COMMERCIAL_REFRIGERATION, INDUSTRIAL_PROCESS):
        if charge >= QUARTERLY_INSPECTION_MIN_LBS:
            return InspectionSchedule("quarterly", QUARTERLY_INTERVAL, clear_after_periods=4)
    return InspectionSchedule("yearly", YEARLY_INTERVAL, clear_after_periods=1)


def inspection_interval(category: str, full_charge_lbs: Quantity) -> timedelta:
    """The longest gap between leak inspections after an exceedance."""
    return inspection_schedule(category, full_charge_lbs).interval


# Chronic leakers


def chronic_leak_percent(
    full_charge_lbs: Quantity | None, additions: Iterable[tuple[date, Quantity]], year: int
) -> LeakRate:
    """Countable pounds added in the calendar year as a percentage of the full charge."""
    charge = _full_charge(full_charge_lbs)
    days_lbs = _day_totals(additions)
    pounds = sum((lbs for day, lbs in days_lbs.items() if day.year == year), Fraction(0))
    return LeakRate(pounds / charge * 100)


def is_chronic_leaker(
    full_charge_lbs: Quantity | None, additions: Iterable[tuple[date, Quantity]], year: int
) -> bool:
    """Whether leaks reached 125 % or more of the full charge in the year (82.157(j))."""
    percent = chronic_leak_percent(full_charge_lbs, additions, year)
    return percent.exact >= CHRONIC_THRESHOLD_PERCENT


def chronic_report_due(year: int) -> date:
    """A chronic leaker's report to EPA is due March 1 of the following year."""
    return date(year + 1, 3, 1)


# Input checking and exact numbers


def _full_charge(value) -> Fraction:
    if value is None:
        raise ComplianceError(
            ErrorCode.FULL_CHARGE_REQUIRED,
            "This appliance has no full charge on record. Determine it (manufacturer data, "
            "calculation, measurement or the midpoint of a range) and record it first.",
        )
    charge = _quantity(value, ErrorCode.FULL_CHARGE_INVALID, "The full charge")
    if charge <= 0:
        raise ComplianceError(
            ErrorCode.FULL_CHARGE_INVALID, f"The full charge must be more than 0 lb, not {value}."
        )
    return charge


def _day_totals(additions) -> dict[date, Fraction]:
    totals: dict[date, Fraction] = {}
    for entry in additions:
        try:
            day, lbs = entry
        except (TypeError, ValueError):
            raise ComplianceError(
                ErrorCode.ADDITION_INVALID, f"An addition must be (date, pounds), not {entry!r}."
            ) from None
        day = _day(day, "An addition's date", ErrorCode.ADDITION_INVALID)
        pounds = _quantity(lbs, ErrorCode.ADDITION_INVALID, "An addition")
        if pounds < 0:
            raise ComplianceError(
                ErrorCode.ADDITION_INVALID,
                f"The addition on {day} is negative ({lbs} lb); record removals separately.",
            )
        if pounds:
            totals[day] = totals.get(day, Fraction(0)) + pounds
    return totals


def _quantity(value, code: ErrorCode, what: str) -> Fraction:
    if isinstance(value, bool | float) or not isinstance(value, int | Decimal | Fraction | str):
        raise ComplianceError(
            code, f"{what} must be an exact number (Decimal or int), not {value!r}."
        )
    try:
        exact = Fraction(value)
    except (ValueError, ArithmeticError):
        raise ComplianceError(code, f"{what} is not a number: {value!r}.") from None
    return exact


def _day(value, what: str, code: ErrorCode = ErrorCode.DATE_INVALID) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ComplianceError(code, f"{what} must be a calendar date, not {value!r}.")
    return value


def _check_regime(regime: str) -> None:
    if regime not in (PART82, PART84):
        raise ComplianceError(
            ErrorCode.REGIME_INVALID, f"Unknown regime {regime!r}: use {PART82!r} or {PART84!r}."
        )


def _exact(rate) -> Fraction:
    exact = getattr(rate, "exact", None)
    if isinstance(exact, Fraction):
        return exact
    return _quantity(rate, ErrorCode.RATE_INVALID, "A leak rate")


def _decimal(value: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = 40
        return Decimal(value.numerator) / Decimal(value.denominator)


def _refrigerant_key(name) -> str:
    if not isinstance(name, str):
        return ""
    key = re.sub(r"\s+", "", name).upper()
    if re.fullmatch(r"R\d.*", key):
        key = f"R-{key[1:]}"
    return key


def _add_months(day: date, months: int, *, leap_day_forward: bool = False) -> date:
    """The same day `months` later; a day the month lacks becomes its last day (or, with
    `leap_day_forward`, the first of the next month)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    if day.day <= last:
        return date(year, month, day.day)
    if leap_day_forward:
        return date(year, month, last) + timedelta(days=1)
    return date(year, month, last)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
