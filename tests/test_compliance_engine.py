"""The compliance engine against the shared worked test vectors, record by record, and against
the edge cases the developer reference lists (§10). No app, no database."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import partial
from pathlib import Path

import pytest

from app.services import compliance
from app.services.compliance import ComplianceError, ErrorCode

# A copy kept with the tests, so they run on any machine; the drift test below compares it with
# the team's shared reference whenever that is next to the repository.
VECTORS_PATH = Path(__file__).resolve().parent / "data" / "leak-rate-vectors.json"
SHARED_VECTORS = (
    Path(__file__).resolve().parents[2] / "shared" / "domain" / "leak-rate-vectors.json"
)
SECTIONS = (
    "vectors",
    "chronic_leaker_vectors",
    "deadline_vectors",
    "applicability_vectors",
    "error_vectors",
)
CR = compliance.COMMERCIAL_REFRIGERATION
CC = compliance.COMFORT_COOLING
IPR = compliance.INDUSTRIAL_PROCESS
SUBSECTORS = {
    "commercial refrigeration": CR,
    "comfort cooling": CC,
    "industrial process refrigeration": IPR,
}


def _load_vectors() -> dict | None:
    try:
        text = VECTORS_PATH.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return json.loads(text, parse_float=Decimal)  # exact pounds, never floats


VECTORS = _load_vectors()
MISSING = f"Test vectors not found at {VECTORS_PATH}; the compliance engine cannot be checked."


def _records(section: str) -> list:
    if VECTORS is None:
        return [pytest.param(None, id="vectors-file-missing")]
    return [pytest.param(record, id=record["id"]) for record in VECTORS.get(section, [])]


def _need(record: dict | None) -> dict:
    if record is None:
        pytest.fail(MISSING)
    return record


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _additions(record: dict) -> list[tuple[date, Decimal]]:
    return [(_day(a["date"]), a["lbs"]) for a in record["additions"]]


def _product(formula: str) -> Fraction:
    """Evaluate the vectors' "a / b x c ..." arithmetic, left to right, exactly."""
    tokens = formula.split()
    value = Fraction(tokens[0])
    for operator, operand in zip(tokens[1::2], tokens[2::2], strict=True):
        value = value * Fraction(operand) if operator == "x" else value / Fraction(operand)
    return value


def _half_up(value: Fraction, places: int) -> Decimal:
    scaled = int(value * 10**places + Fraction(1, 2))
    return Decimal(scaled).scaleb(-places)


def test_vector_file_is_present_and_every_kind_of_record_is_tested():
    if VECTORS is None:
        pytest.fail(MISSING)
    assert VECTORS["schema"] == "leak-rate-vectors/1"
    lists = {key for key, value in VECTORS.items() if isinstance(value, list)}
    assert lists == set(SECTIONS), "a new kind of record needs a test here"
    ids = [record["id"] for section in SECTIONS for record in VECTORS[section]]
    assert len(ids) == len(set(ids))


# Leak rates


@pytest.mark.parametrize("vector", _records("vectors"))
def test_leak_rate_vector(vector):
    v = _need(vector)
    on = _day(v["evaluated_addition_date"])
    tests = [_day(t) for t in v.get("successful_followup_verification_dates", [])]
    options = {"method": v["method"], "on": on, "regime": v["regime"], "followup_test_dates": tests}
    details = compliance.leak_rate_details(v["full_charge_lbs"], _additions(v), **options)
    rate = compliance.leak_rate(v["full_charge_lbs"], _additions(v), **options)
    assert rate == details.rate and rate.exact == details.rate.exact
    assert isinstance(rate, Decimal)

    work = v["work"]
    formula, six_places = re.search(r"rate = ([^=]+?) = ([\d.]+)%", work).groups()
    assert rate.exact == _product(formula)
    assert _half_up(rate.exact, 6) == Decimal(six_places)
    assert compliance.display_percent(rate) == f"{v['expected_leak_rate_percent']:.2f}"
    assert compliance.threshold_percent(v["appliance_type"]) == v["threshold_percent"]
    assert compliance.exceeds(rate, v["appliance_type"]) is v["exceeds"]

    if v["method"] == "annualizing":
        counted = re.search(r"lbs counted = (?:.* = )?([\d.]+) lb", work).group(1)
        assert details.pounds_counted == Decimal(counted)
        if "first calculation -> 365" in work:
            assert details.first_part84_calculation and details.days == 365
        else:
            days, since = re.search(r"days: (\d+) days since (\S+);", work).groups()
            assert details.days == min(int(days), 365)
            assert details.previous_addition_on == _day(since)
    else:
        start = re.search(r"window (\S+)\.\.", work).group(1)
        total = re.search(r"sum = [^;]*?= ([\d.]+) lb;", work).group(1)
        assert details.window_start == _day(start)
        assert details.pounds_counted == Decimal(total)
        reset = re.search(r"verification test on (\S+);", work)
        assert details.reset_by_test_on == (_day(reset.group(1)) if reset else None)

    if v["refrigerant"] == "unspecified":
        with pytest.raises(ComplianceError) as error:
            compliance.regimes(
                v["refrigerant"], v["full_charge_lbs"], part84_excluded_subsector=False
            )
        assert error.value.code == ErrorCode.REFRIGERANT_UNKNOWN
    else:
        found = compliance.regimes(
            v["refrigerant"], v["full_charge_lbs"], part84_excluded_subsector=False
        )
        assert v["regime"] in found


@pytest.mark.parametrize("vector", _records("chronic_leaker_vectors"))
def test_chronic_leaker_vector(vector):
    v = _need(vector)
    year = v["calendar_year"]
    percent = compliance.chronic_leak_percent(v["full_charge_lbs"], _additions(v), year)
    formula = re.search(r"([\d.]+ / [\d.]+ x 100) = ", v["work"]).group(1)
    assert percent.exact == _product(formula)
    assert compliance.display_percent(percent) == f"{v['expected_calendar_year_percent']:.2f}"
    assert compliance.CHRONIC_THRESHOLD_PERCENT == v["chronic_threshold_percent"]
    assert compliance.is_chronic_leaker(v["full_charge_lbs"], _additions(v), year) is v["chronic"]
    assert compliance.chronic_report_due(year) == _day(v["report_due"])


@pytest.mark.parametrize("vector", _records("deadline_vectors"))
def test_deadline_vector(vector):
    v = _need(vector)
    discovered = _day(v["discovered"])
    shutdown = v["shutdown_required"]
    categories = [IPR] if shutdown else list(compliance.THRESHOLDS)
    for category in categories:
        deadlines = compliance.repair_deadlines(discovered, category, ipr_shutdown=shutdown)
        due = _day(v["repair_and_initial_verification_due"])
        assert deadlines.repair_due == due
        assert deadlines.initial_verification_due == due
        assert deadlines.discovered_on == discovered
    for passed, due in v.get("followup_due_after_initial_passed_on", {}).items():
        assert compliance.followup_due(_day(passed)) == _day(due)
    for decided, due in v.get("retrofit_plan_due_if_decided_on", {}).items():
        assert compliance.retrofit_plan_due(_day(decided)) == _day(due)


@pytest.mark.parametrize("vector", _records("applicability_vectors"))
def test_applicability_vector(vector):
    v = _need(vector)
    expected = set(v["expected_regime"].split("+")) if v["expected_regime"] else set()
    found = compliance.regimes(
        v["refrigerant"], v["full_charge_lbs"], part84_excluded_subsector=False
    )
    assert found == expected
    category = next(c for text, c in SUBSECTORS.items() if v["subsector"].startswith(text))
    if "threshold_percent" in v:
        assert compliance.threshold_percent(category) == v["threshold_percent"]
    if "ald_required_by" in v:
        due = compliance.ald_required_by(
            v["refrigerant"], v["full_charge_lbs"], category, _day(v["installed"])
        )
        assert due == (_day(v["ald_required_by"]) if v["ald_required_by"] else None)


@pytest.mark.parametrize("vector", _records("error_vectors"))
@pytest.mark.parametrize("method", ["annualizing", "rolling_average"])
@pytest.mark.parametrize("regime", ["part82", "part84"])
def test_error_vector(vector, method, regime):
    v = _need(vector)
    additions = _additions(v)
    with pytest.raises(ComplianceError) as error:
        compliance.leak_rate(
            v["full_charge_lbs"], additions, method=method, on=additions[-1][0], regime=regime
        )
    assert error.value.code == v["expected_error"]
    with pytest.raises(ComplianceError) as error:
        compliance.chronic_leak_percent(v["full_charge_lbs"], additions, additions[-1][0].year)
    assert error.value.code == v["expected_error"]


# Edge cases from the reference (§10) the vectors leave out


def _details(method, charge, additions, on, regime="part84", **options):
    """The engine's answer for additions written as (day text, pounds text) pairs."""
    return compliance.leak_rate_details(
        Decimal(charge),
        [(_day(d), Decimal(lb)) for d, lb in additions],
        method=method,
        on=_day(on),
        regime=regime,
        **options,
    )


_annualizing = partial(_details, "annualizing")


def _rolling(charge, additions, on, regime="part84", tests=()):
    tests = [_day(t) for t in tests]
    return _details("rolling_average", charge, additions, on, regime, followup_test_dates=tests)


def test_leap_day_counts_as_a_real_day_but_the_constant_stays_365():
    result = _annualizing(50, [("2028-02-28", "2"), ("2028-03-01", "1")], "2028-03-01")
    assert result.days == 2
    assert result.rate.exact == Fraction(1, 50) * 365 / 2 * 100


def test_a_leap_year_apart_is_capped_at_365_days():
    result = _annualizing(100, [("2027-12-31", "1"), ("2028-12-31", "20")], "2028-12-31")
    assert result.days == 365  # 366 real days
    assert result.rate.exact == 20 and not compliance.exceeds(result.rate, CR)


def test_additions_more_than_a_year_apart_use_365_days():
    result = _annualizing(100, [("2026-01-05", "5"), ("2027-06-01", "8")], "2027-06-01")
    assert result.days == 365 and result.previous_addition_on == date(2026, 1, 5)
    assert result.rate.exact == 8


def test_exactly_on_the_threshold_is_not_over_it():
    at = _rolling(100, [("2026-03-01", "10"), ("2026-04-01", "20")], "2026-04-01")
    assert at.rate.exact == 30
    assert not compliance.exceeds(at.rate, IPR)
    assert compliance.exceeds(Fraction(30) + Fraction(1, 10**30), IPR)
    assert not compliance.exceeds(Decimal("10"), CC)
    assert compliance.exceeds(Decimal("10.0000000001"), CC)


def test_display_rounds_half_up_from_the_exact_value():
    rate = _rolling(100, [("2026-03-01", "20.005")], "2026-03-01").rate
    assert compliance.display_percent(rate) == "20.01"  # half-even would give 20.00
    assert compliance.display_percent(Fraction(1999, 100) + Fraction(1, 200)) == "20.00"
    assert compliance.display_percent(Decimal("7")) == "7.00"


def test_later_additions_are_ignored():
    history = [("2026-02-10", "3"), ("2026-05-11", "4"), ("2026-05-20", "30")]
    ann = _annualizing(40, history, "2026-05-11")
    assert ann.days == 90 and ann.pounds_counted == 4
    roll = _rolling(40, history, "2026-05-11")
    assert roll.pounds_counted == 7


def test_zero_pound_entries_are_not_additions():
    result = _annualizing(
        60, [("2026-03-01", "2"), ("2026-04-20", "0"), ("2026-04-30", "1")], "2026-04-30"
    )
    assert result.days == 60


def test_part82_first_addition_without_a_known_prior_date_uses_365_and_says_so():
    result = _annualizing(100, [("2024-06-01", "5")], "2024-06-01", regime="part82")
    assert result.days == 365 and result.prior_date_unknown
    assert result.rate.exact == 5


def test_part82_first_addition_counts_from_the_installation_charge():
    result = _annualizing(
        100, [("2024-06-01", "5")], "2024-06-01", regime="part82", installed_on=date(2024, 3, 3)
    )
    assert result.days == 90 and not result.prior_date_unknown
    old = _annualizing(
        100, [("2024-06-01", "5")], "2024-06-01", regime="part82", installed_on=date(2020, 1, 1)
    )
    assert old.days == 365


def test_part82_uses_real_days_across_2026_unlike_part84():
    history = [("2025-11-20", "2"), ("2026-01-10", "3")]
    part82 = _annualizing(30, history, "2026-01-10", regime="part82")
    assert part82.days == 51 and compliance.display_percent(part82.rate) == "71.57"
    part84 = _annualizing(30, history, "2026-01-10", regime="part84")
    assert part84.days == 365 and part84.first_part84_calculation


def test_uncounted_charges_end_the_interval_but_add_no_pounds():
    result = _annualizing(
        100,
        [("2026-02-01", "5"), ("2026-06-01", "4")],
        "2026-06-01",
        uncounted_addition_dates=[date(2026, 5, 2)],
    )
    assert result.days == 30 and result.pounds_counted == 4


def test_part84_appliance_installed_in_2026_can_count_from_installation():
    history = [("2026-04-01", "2")]
    literal = _annualizing(40, history, "2026-04-01", installed_on=date(2026, 3, 2))
    assert literal.days == 365 and literal.first_part84_calculation
    from_installation = partial(
        _annualizing, 40, history, "2026-04-01", part84_first_from_installation=True
    )
    conservative = from_installation(installed_on=date(2026, 3, 2))
    assert conservative.days == 30 and not conservative.first_part84_calculation
    older = from_installation(installed_on=date(2025, 3, 2))
    assert older.days == 365


def test_part84_gives_zero_before_2026():
    result = _annualizing(40, [("2025-05-01", "10")], "2025-05-01")
    assert result.rate == 0 and not result.first_part84_calculation
    assert _rolling(40, [("2025-05-01", "10")], "2025-05-01").rate == 0
    assert not compliance.regime_in_effect("part84", date(2025, 12, 31))
    assert compliance.regime_in_effect("part84", date(2026, 1, 1))


def test_rolling_window_excludes_exactly_365_days_earlier():
    on = date(2027, 3, 10)
    edge = on - timedelta(days=365)
    inside = on - timedelta(days=364)
    additions = [(edge.isoformat(), "7"), (inside.isoformat(), "3"), (on.isoformat(), "1")]
    result = _rolling(100, additions, on.isoformat())
    assert result.pounds_counted == 4 and result.window_start == inside


def test_part82_rolling_average_has_no_2026_floor():
    result = _rolling(80, [("2025-12-15", "10"), ("2026-03-01", "8")], "2026-03-01", "part82")
    assert result.rate.exact == Fraction(45, 2)


def test_a_followup_test_on_the_evaluated_day_does_not_reset_that_calculation():
    result = _rolling(
        100, [("2026-04-01", "12"), ("2026-06-01", "10")], "2026-06-01", tests=["2026-06-01"]
    )
    assert result.pounds_counted == 22 and result.reset_by_test_on is None


def test_a_followup_test_before_the_window_changes_nothing():
    result = _rolling(
        100, [("2026-04-01", "12"), ("2027-05-01", "3")], "2027-05-01", tests=["2026-03-01"]
    )
    assert result.reset_by_test_on is None and result.pounds_counted == 3


@pytest.mark.parametrize(
    ("charge", "additions", "code"),
    [
        (Decimal(-5), [], ErrorCode.FULL_CHARGE_INVALID),
        (40.0, [], ErrorCode.FULL_CHARGE_INVALID),
        (Decimal("NaN"), [], ErrorCode.FULL_CHARGE_INVALID),
        (Decimal(40), [(date(2026, 3, 1), 2.5)], ErrorCode.ADDITION_INVALID),
        (Decimal(40), [("2026-03-01", Decimal(2))], ErrorCode.ADDITION_INVALID),
        (Decimal(40), [(date(2026, 3, 1),)], ErrorCode.ADDITION_INVALID),
    ],
    ids=["negative-charge", "float-charge", "nan-charge", "float-lbs", "text-date", "no-lbs"],
)
def test_invalid_input_is_refused(charge, additions, code):
    with pytest.raises(ComplianceError) as error:
        compliance.leak_rate(
            charge, additions, method="annualizing", on=date(2026, 3, 1), regime="part84"
        )
    assert error.value.code == code and str(error.value)


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"method": "average", "regime": "part84"}, ErrorCode.METHOD_INVALID),
        ({"method": "annualizing", "regime": "part83"}, ErrorCode.REGIME_INVALID),
    ],
)
def test_unknown_method_or_regime_is_refused(options, code):
    with pytest.raises(ComplianceError) as error:
        compliance.leak_rate(Decimal(40), [], on=date(2026, 3, 1), **options)
    assert error.value.code == code


# Applicability, thresholds and deadlines beyond the vectors


def test_unknown_refrigerant_is_never_guessed():
    for name in ("R-999X", "", "unspecified", "R-406A"):
        with pytest.raises(ComplianceError) as error:
            compliance.regimes(name, Decimal(100), part84_excluded_subsector=False)
        assert error.value.code == ErrorCode.REFRIGERANT_UNKNOWN


def test_refrigerant_names_are_read_loosely_but_exactly():
    assert compliance.refrigerant_class("r410a") == compliance.RefrigerantClass.HFC
    assert compliance.refrigerant_class(" R 22 ") == compliance.RefrigerantClass.ODS
    assert compliance.refrigerant_class("R-1234ze(E)") == compliance.RefrigerantClass.LOW_GWP


def test_excluded_subsector_drops_part84_only():
    blend = compliance.regimes("R-402A", Decimal(60), part84_excluded_subsector=True)
    assert blend == {"part82"}
    assert compliance.regimes("R-410A", Decimal(60), part84_excluded_subsector=True) == set()
    assert compliance.regimes("R-22", Decimal(60), part84_excluded_subsector=True) == {"part82"}


def test_high_gwp_substitute_is_part84_from_15_lb():
    assert compliance.regimes("R-218", Decimal(15), part84_excluded_subsector=False) == {"part84"}
    assert compliance.regimes("R-218", Decimal("14.99"), part84_excluded_subsector=False) == set()


def test_thresholds_by_category():
    assert compliance.threshold_percent("refrigerated_transport") == 10
    assert compliance.threshold_percent("other") == 10
    with pytest.raises(ComplianceError) as error:
        compliance.threshold_percent("residential")
    assert error.value.code == ErrorCode.CATEGORY_UNKNOWN


def test_shutdown_period_is_only_for_industrial_process_refrigeration():
    with pytest.raises(ComplianceError) as error:
        compliance.repair_deadlines(date(2026, 6, 1), CR, ipr_shutdown=True)
    assert error.value.code == ErrorCode.SHUTDOWN_NOT_IPR
    assert compliance.repair_deadlines(date(2026, 6, 1), IPR).repair_due == date(2026, 7, 1)


@pytest.mark.parametrize(
    ("category", "charge", "frequency"),
    [
        (CR, "500", "quarterly"),
        (IPR, "2000", "quarterly"),
        (CR, "499.9", "yearly"),
        (CC, "5000", "yearly"),
        ("refrigerated_transport", "600", "yearly"),
    ],
)
def test_inspection_frequency(category, charge, frequency):
    schedule = compliance.inspection_schedule(category, Decimal(charge))
    assert schedule.frequency == frequency
    assert compliance.inspection_interval(category, Decimal(charge)) == schedule.interval


def test_retrofit_completion_is_one_year_after_the_plan():
    assert compliance.retrofit_completion_due(date(2026, 6, 24)) == date(2027, 6, 24)
    assert compliance.retrofit_completion_due(date(2028, 2, 29)) == date(2029, 2, 28)


def test_chronic_leaker_needs_125_percent_within_the_calendar_year():
    additions = [(date(2026, 12, 31), Decimal(30)), (date(2027, 1, 1), Decimal("19.99"))]
    assert not compliance.is_chronic_leaker(Decimal(40), additions, 2027)
    assert compliance.chronic_leak_percent(Decimal(40), additions, 2026).exact == 75
    assert compliance.chronic_report_due(2027) == date(2028, 3, 1)


def test_ald_needs_an_installation_date_when_it_could_apply():
    with pytest.raises(ComplianceError) as error:
        compliance.ald_required_by("R-404A", Decimal(1500), CR, None)
    assert error.value.code == ErrorCode.INSTALL_DATE_REQUIRED
    assert compliance.ald_required_by("R-404A", Decimal(1500), CC, None) is None
    assert compliance.ald_required_by("R-744", Decimal(3000), CR, date(2026, 2, 1)) is None


def test_inputs_are_json_ready_evidence():
    result = _annualizing(40, [("2026-02-10", "3"), ("2026-05-11", "4")], "2026-05-11")
    inputs = result.inputs()
    assert json.loads(json.dumps(inputs)) == inputs
    assert inputs["days"] == 90 and inputs["percent"] == "40.56"
    assert inputs["exact_percent"] == "365/9"


def test_the_vector_copy_matches_the_shared_reference():
    """A newer shared file means the copy (and maybe the engine) must be brought up to date."""
    if not SHARED_VECTORS.exists():
        pytest.skip(f"no shared reference next to the repository ({SHARED_VECTORS})")
    assert VECTORS_PATH.read_bytes() == SHARED_VECTORS.read_bytes(), (
        "shared/domain/leak-rate-vectors.json changed: copy it to tests/data and rerun"
    )


@pytest.mark.parametrize(
    ("category", "regime", "on", "threshold"),
    [
        (CR, "part82", "2018-12-31", 35),
        (IPR, "part82", "2018-12-31", 35),
        (CC, "part82", "2018-12-31", 15),
        ("other", "part82", "2018-06-01", 15),
        (CR, "part82", "2019-01-01", 20),
        (CC, "part82", "2019-01-01", 10),
        (CR, "part84", "2018-12-31", 20),
    ],
)
def test_part82_thresholds_before_2019_are_those_of_82_156_i(category, regime, on, threshold):
    assert compliance.threshold_in_effect(category, regime, _day(on)) == threshold
    over = Fraction(threshold) + Fraction(1, 10**9)
    assert compliance.exceeds(over, category, regime=regime, on=_day(on))
    assert not compliance.exceeds(threshold, category, regime=regime, on=_day(on))


def test_part84_leak_repair_starts_in_2026_and_part82_applies_on_every_date():
    assert not compliance.leak_repair_applies("part84", date(2025, 12, 31))
    assert compliance.leak_repair_applies("part84", date(2026, 1, 1))
    assert compliance.leak_repair_applies("part82", date(2015, 1, 1))


@pytest.mark.parametrize(
    ("after", "due"),
    [
        ("2026-04-01", "2026-06-30"),  # 90 days before 3 calendar months (2026-07-01)
        ("2026-02-01", "2026-05-01"),  # 3 calendar months (89 days) before 90 days
        ("2026-11-30", "2027-02-28"),  # 90 days and 3 months end on the same day
    ],
)
def test_quarterly_inspections_are_due_at_the_earlier_of_3_months_and_90_days(after, due):
    schedule = compliance.inspection_schedule(CR, Decimal(600))
    assert schedule.next_due(_day(after)) == _day(due)


def test_yearly_inspections_are_due_365_days_apart():
    schedule = compliance.inspection_schedule(CC, Decimal(200))
    assert schedule.next_due(date(2026, 4, 1)) == date(2027, 4, 1)
    assert schedule.next_due(date(2028, 1, 1)) == date(2028, 12, 31)  # leap year


@pytest.mark.parametrize(
    ("category", "charge", "last_exceeded", "ends"),
    [
        (CR, "600", "2026-04-01", "2027-07-01"),  # Q2 2026, then four full quarters
        (CR, "600", "2026-06-30", "2027-07-01"),
        (CR, "600", "2026-12-31", "2028-01-01"),
        (CC, "200", "2026-04-01", "2027-04-01"),
        (CC, "200", "2028-02-29", "2029-03-01"),
    ],
)
def test_the_inspection_schedule_ends_after_the_clear_period(category, charge, last_exceeded, ends):
    schedule = compliance.inspection_schedule(category, Decimal(charge))
    assert schedule.ends_on(_day(last_exceeded)) == _day(ends)
