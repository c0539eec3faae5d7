"""babel's formats, looked up once per language (and currency, or time zone) and kept.

babel's `format_currency`, `format_skeleton`, `format_interval` and `get_timezone_name` find
everything again on each call: the locale's pattern and symbols through its alias-resolving
data dictionary, the skeleton that best matches, the interval field that differs (a dictionary
look-up for each of forty pattern letters), the zone's name. That is 10-50 µs a call, and a
page of service history makes about a hundred. Here each of those is worked out once per
process for a language and kept (a handful of languages and one time zone: a few entries);
a call only does its arithmetic and joins strings. What comes out is babel's, character for
character (tests/test_locale_formats.py compares the two).
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import (
    PATTERN_CHAR_ORDER,
    DateTimeFormat,
    DateTimePattern,
    format_interval,
    get_timezone_name,
    match_skeleton,
    parse_pattern,
)
from babel.numbers import (
    get_currency_precision,
    get_currency_symbol,
    get_decimal_quantum,
    get_decimal_symbol,
    get_group_symbol,
)

# babel's NumberPattern.apply removes the quotes around literal text in a pattern this way.
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class MoneyFormat:
    """A locale's standard currency pattern for one currency, its symbols resolved."""

    affixes: tuple[tuple[str, str], tuple[str, str]]  # (prefix, suffix): positive, negative
    grouping: tuple[int, int]
    min_digits: int
    quantum: Decimal
    group: str
    decimal: str

    def format(self, cents: int) -> str:
        """`cents` hundredths of the currency, as babel's `format_currency` writes them."""
        value = Decimal(cents).scaleb(-2)
        prefix, suffix = self.affixes[value.is_signed()]
        whole, _, fraction = f"{abs(value).quantize(self.quantum):f}".partition(".")
        whole = whole.rjust(self.min_digits, "0")
        size, grouped = self.grouping[0], ""
        while len(whole) > size:
            grouped = self.group + whole[-size:] + grouped
            whole, size = whole[:-size], self.grouping[1]
        number = whole + grouped + (self.decimal + fraction if fraction else "")
        return f"{prefix}{number}{suffix}"


@lru_cache(maxsize=64)
def money_format(locale: Locale, currency: str) -> MoneyFormat | None:
    """The compiled format, or None where babel is left to do it: a pattern that names the
    currency in words (it depends on the amount's plural form; no standard pattern does), and
    a locale whose symbols have a quote (babel's quote removal then runs across the number:
    "1'234'567,89" comes out "1234567,89" in fr_CH)."""
    pattern = locale.currency_formats["standard"]
    symbol = get_currency_symbol(currency, locale)
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    if "'" in group + decimal:
        return None
    affixes = []
    for prefix, suffix in zip(pattern.prefix, pattern.suffix, strict=True):
        if "¤¤¤" in prefix + suffix:
            return None
        affixes.append(
            tuple(
                _QUOTED.sub(
                    lambda m: m.group(1) or "'",
                    text.replace("¤¤", currency.upper()).replace("¤", symbol),
                )
                for text in (prefix, suffix)
            )
        )
    return MoneyFormat(
        affixes=tuple(affixes),
        grouping=pattern.grouping,
        min_digits=pattern.int_prec[0],
        quantum=get_decimal_quantum(get_currency_precision(currency)),
        group=group,
        decimal=decimal,
    )


@lru_cache(maxsize=64)
def skeleton_pattern(locale: Locale, skeleton: str) -> DateTimePattern:
    """The pattern `format_skeleton` uses for `skeleton` (the closest one the locale has)."""
    skeletons = locale.datetime_skeletons
    if skeleton not in skeletons:
        skeleton = match_skeleton(skeleton, skeletons)
    return skeletons[skeleton]


def day_with_skeleton(day: date, skeleton: str, locale: Locale) -> str:
    """`format_skeleton(skeleton, day, tzinfo=UTC, locale=locale)`: a day read as its midnight."""
    return skeleton_pattern(locale, skeleton).apply(datetime.combine(day, time(), UTC), locale)


@dataclass(frozen=True)
class IntervalFormat:
    """A locale's interval pattern pair for each field that may differ, largest field first."""

    skeleton: str
    fields: tuple[tuple[str, DateTimePattern, DateTimePattern], ...]


@lru_cache(maxsize=64)
def interval_format(locale: Locale, skeleton: str) -> IntervalFormat | None:
    """None when the locale has no interval pattern near `skeleton` (babel then falls back)."""
    formats = locale.interval_formats
    if skeleton not in formats:
        skeleton = match_skeleton(skeleton, formats)
        if not skeleton:
            return None
    by_field = formats[skeleton]
    fields = tuple(
        (field, *(parse_pattern(piece) for piece in by_field[field]))
        for field in PATTERN_CHAR_ORDER
        if field in by_field
    )
    return IntervalFormat(skeleton, fields)


def interval(start: datetime, end: datetime, skeleton: str, locale: Locale) -> str:
    """`format_interval(start, end, skeleton, locale=locale)` for two aware datetimes: the
    pattern pair of the largest field that differs."""
    compiled = interval_format(locale, skeleton)
    if compiled is not None and start != end:
        start_fields, end_fields = DateTimeFormat(start, locale), DateTimeFormat(end, locale)
        for field, start_pattern, end_pattern in compiled.fields:
            if start_fields.extract(field) != end_fields.extract(field):
                return start_pattern.apply(start, locale) + end_pattern.apply(end, locale)
    return format_interval(start, end, skeleton, locale=locale)


_zone_names: dict[tuple[Locale, str, timedelta | None], str] = {}


def generic_zone_name(moment: datetime, locale: Locale) -> str:
    """`get_timezone_name(moment, "long", zone_variant="generic", locale=locale)`, kept per
    language, zone and UTC offset (the name depends on the moment only through its offset,
    when the locale has no name for the zone and babel writes "GMT-06:00")."""
    key = (locale, str(moment.tzinfo), moment.utcoffset())
    name = _zone_names.get(key)
    if name is None:
        name = get_timezone_name(moment, "long", zone_variant="generic", locale=locale)
        _zone_names[key] = name
    return name
