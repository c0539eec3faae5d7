"""The formats kept per language write what babel writes, character for character: every
language the app speaks and a few others, several currencies, amounts of every length and
sign, and times on both sides of a daylight-saving change."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from babel import Locale
from babel.dates import format_interval, format_skeleton, get_timezone_name
from babel.numbers import format_currency
from pytz import timezone

from app.i18n import LANGUAGES
from app.locale_formats import day_with_skeleton, generic_zone_name, interval, money_format

LOCALES = sorted({*LANGUAGES, "de", "fr_CH", "ja", "ar", "hi", "pt_BR"})
AMOUNTS = [0, 1, -1, 5, 99, 100, -100, 1234, 100000, -462336, 123456789, 10**12 + 7]


@pytest.mark.parametrize("code", LOCALES)
@pytest.mark.parametrize("currency", ["USD", "EUR", "JPY", "BHD", "CAD"])
def test_money_reads_as_babel_writes_it(code, currency):
    locale = Locale.parse(code)
    compiled = money_format(locale, currency)
    if compiled is None:  # babel formats these itself (a quote in the symbols)
        assert code == "fr_CH"
        return
    for cents in AMOUNTS:
        expected = format_currency(Decimal(cents).scaleb(-2), currency, locale=locale)
        assert compiled.format(cents) == expected, (code, currency, cents)


# Both sides of the changes in Chicago: March 8 and November 1, 2026.
MOMENTS = [
    datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
    datetime(2026, 3, 8, 8, 30, tzinfo=UTC),
    datetime(2026, 7, 4, 15, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
]
SPANS = [timedelta(0), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=13)]


@pytest.mark.parametrize("code", LOCALES)
@pytest.mark.parametrize("zone", ["America/Chicago", "Asia/Kolkata", "UTC"])
def test_windows_and_zone_names_read_as_babel_writes_them(code, zone):
    locale, tz = Locale.parse(code), timezone(zone)
    for moment in MOMENTS:
        start = moment.astimezone(tz)
        assert generic_zone_name(start, locale) == get_timezone_name(
            start, "long", zone_variant="generic", locale=locale
        )
        for skeleton in ("hm", "Hm", "yMMMd"):
            for span in SPANS:
                end = (moment + span).astimezone(tz)
                expected = format_interval(start, end, skeleton, locale=locale)
                assert interval(start, end, skeleton, locale) == expected, (start, end, skeleton)


@pytest.mark.parametrize("code", LOCALES)
def test_days_with_a_skeleton_read_as_babel_writes_them(code):
    locale = Locale.parse(code)
    for day in (date(2026, 1, 1), date(2026, 12, 8), date(2024, 2, 29)):
        for skeleton in ("MMMEd", "yMMMEd"):
            expected = format_skeleton(skeleton, day, tzinfo=UTC, locale=locale)
            assert day_with_skeleton(day, skeleton, locale) == expected
