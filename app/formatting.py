"""How money, days and times read for people, shared by every surface (also as Jinja filters).

Everything goes through flask-babel, so it follows the reader's language (the request's, or
the one a job or e-mail forces with `force_locale`) and the company's time zone (flask-babel's
time zone selector is `company_time_zone`): "$4,623.36" / "4.623,36 US$", "Dec 8, 2026" /
"8 dic 2026", "Tue, Dec 8, 10:00 AM – 12:00 PM Central Time".

Days people act on (a visit, a message, a due date) carry their weekday and drop the year when
it goes without saying: "Tue, Dec 8" within half a year of today, "Tue, Dec 8, 2024" further
away, so a visit in last year's history is never mistaken for this year's.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency
from flask import Flask, has_app_context
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

from app.colours import readable_brand_color
from app.locale_formats import (
    day_with_skeleton,
    generic_zone_name,
    interval,
    money_format,
    skeleton_pattern,
)
from app.mail_content import defang
from app.models.enums import VisitStatus
from app.services.company import (
    company_currency,
    current_company,
    local_day,
    local_today,
    to_local,
)
from app.services.compliance import display_percent

# A day nearer than this to today reads without its year.
NEAR = timedelta(days=183)
# A day to put a plain time of day on, to format it with babel's date-time patterns.
ANY_DAY = date(2000, 1, 3)
# The language outside any app context (a script): flask-babel's default.
FALLBACK_LOCALE = Locale.parse("en")


def company_time_zone() -> str:
    """flask-babel's time zone selector: every time is shown in the company's zone."""
    return current_company().time_zone


def money(cents: int | None, currency: str | None = None) -> str:
    """1234567 -> "$12,345.67" in English, "12.345,67 US$" in Spanish; "" for None. Without a
    currency (work orders, their lines, the price book have none of their own), the company's."""
    if cents is None:
        return ""
    if not currency:
        currency = company_currency() if has_app_context() else "USD"
    locale = _locale()
    compiled = money_format(locale, currency)
    if compiled is None:
        return format_currency(Decimal(cents).scaleb(-2), currency, locale=locale)
    return compiled.format(cents)


def rate(percent: Decimal | int | None) -> str:
    """A percentage without trailing zeros: Decimal("8.250") -> 8.25, Decimal("10.000") -> 10."""
    return f"{Decimal(percent or 0).normalize():f}"


def _locale() -> Locale:
    return get_locale() or FALLBACK_LOCALE


def _in_zone(moment: datetime) -> datetime:
    """A stored timestamp (naive ones are UTC) in the time zone of what is shown."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(get_timezone())


def local_date(moment: datetime | date | None) -> str:
    """A day ("Dec 8, 2026"); a stored UTC timestamp is first moved to the company's zone."""
    if moment is None:
        return ""
    locale = _locale()
    day = _in_zone(moment).date() if isinstance(moment, datetime) else moment
    return locale.date_formats["medium"].apply(day, locale)


def local_time(moment: datetime | None) -> str:
    """A stored UTC timestamp's time of day in the company's zone ("10:00 AM", "10:00")."""
    if moment is None:
        return ""
    locale = _locale()
    return locale.time_formats["short"].apply(_in_zone(moment), locale)


def time_input(moment: datetime | None) -> str:
    """A stored UTC timestamp as an <input type=time> value in the company's zone ("14:05")."""
    return to_local(moment).strftime("%H:%M") if moment is not None else ""


def local_datetime(moment: datetime | None) -> str:
    """A stored UTC timestamp as the company's zone reads it: "Dec 8, 2026, 10:00 AM"."""
    if moment is None:
        return ""
    pattern = _locale().datetime_formats["medium"]
    return pattern.format(local_time(moment), local_date(moment))


def weekday_date(moment: datetime | date | None) -> str:
    """A day with its weekday: "Tue, Dec 8" ("mar, 8 dic"), "Tue, Dec 8, 2024" when far off;
    a stored UTC timestamp counts on the company's calendar."""
    if moment is None:
        return ""
    day = local_day(moment) if isinstance(moment, datetime) else moment
    skeleton = "MMMEd" if abs(day - local_today()) < NEAR else "yMMMEd"
    # A plain date has no zone to move through: read it as the midnight it is.
    return day_with_skeleton(day, skeleton, _locale())


def weekday_datetime(moment: datetime | None) -> str:
    """A stored UTC timestamp as a day and time in words: "Tue, Dec 8, 10:42 AM"."""
    if moment is None:
        return ""
    pattern = _locale().datetime_formats["medium"]
    return pattern.format(local_time(moment), weekday_date(moment))


def time_range(start: datetime | time, end: datetime | time) -> str:
    """From one time of day to another: "10:00 AM – 12:00 PM", "2:00 – 4:00 PM" in English,
    "14:00–16:00" in Spanish. Stored UTC timestamps are read in the company's zone; plain times
    of day (the company's arrival windows) as they are."""
    locale = _locale()
    if isinstance(start, datetime):
        start, end = _in_zone(start), _in_zone(end)
    else:  # any day will do: only the hours and minutes are written
        start, end = (datetime.combine(ANY_DAY, moment, UTC) for moment in (start, end))
    return interval(start, end, "hm" if _twelve_hours(locale) else "Hm", locale)


def _twelve_hours(locale: Locale) -> bool:
    """Whether the reader's clock runs 1-12 with AM and PM (English) rather than 0-23."""
    return "h" in locale.time_formats["short"].pattern


def hour_mark(hour: int) -> str:
    """An hour on a time axis, as the reader's clock writes it: "7 AM", "1 PM"; "7:00", "13:00"."""
    locale = _locale()
    skeleton = "h" if _twelve_hours(locale) else "Hm"
    return skeleton_pattern(locale, skeleton).apply(
        datetime.combine(ANY_DAY, time(hour), UTC), locale
    )


def window(start: datetime | None, end: datetime | None = None) -> str:
    """A visit's window in words: "Tue, Dec 8, 10:00 AM – 12:00 PM Central Time"."""
    if start is None:
        return ""
    times = local_time(start) if end is None else time_range(start, end)
    zone = generic_zone_name(_in_zone(start), _locale())
    return f"{weekday_date(start)}, {times} {zone}"


def visit_progress(visit) -> str:
    """A visit under way as its customer reads it: "On the way, arriving about 10:40 AM",
    "On site since 10:43 AM"; "" for a visit not under way."""
    if visit.status == VisitStatus.EN_ROUTE and visit.expected_arrival_at:
        return _("On the way, arriving about %(time)s", time=local_time(visit.expected_arrival_at))
    if visit.status == VisitStatus.EN_ROUTE:
        return _("On the way")
    if visit.status == VisitStatus.ON_SITE:
        return _("On site since %(time)s", time=local_time(visit.status_changed_at))
    return ""


def percent(value) -> str:
    """A leak rate for people, the same on every screen and in the PDF: its exact value
    rounded half-up to 2 decimals ("12.13"); "" when there is none."""
    return "" if value is None else display_percent(value)


def rate_and_threshold(event) -> str:
    """An addition's leak rate against the threshold it was judged by: "12.13% / 20%"."""
    if event.leak_rate_percent is None:
        return ""
    rate = f"{percent(event.exact_leak_rate)}%"
    threshold = event.leak_rate_threshold
    return rate if threshold is None else f"{rate} / {threshold}%"


def register_filters(app: Flask) -> None:
    for function in (
        money,
        rate,
        local_datetime,
        local_date,
        local_time,
        time_input,
        weekday_date,
        weekday_datetime,
        window,
        time_range,
        hour_mark,
        visit_progress,
        percent,
        rate_and_threshold,
        defang,
        readable_brand_color,
    ):
        app.add_template_filter(function)
