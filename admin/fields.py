"""Form fields and filters that speak the office's units: dollars and local time; choices
that keep what a record has already."""

import math
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from functools import partial

from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.contrib.sqla.filters import (
    BaseSQLAFilter,
    EnumEqualFilter,
    EnumFilterEmpty,
    EnumFilterInList,
    EnumFilterNotEqual,
    EnumFilterNotInList,
    FilterConverter,
    FilterEmpty,
    FilterInList,
)
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.form import DateTimeField, Select2Field
from flask_admin.model import filters
from flask_admin.model.form import converts
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import TextInput

from app.labels import choices
from app.services.company import current_company, to_local

LOCAL_FORMAT = "%Y-%m-%d %H:%M"


class CentsField(DecimalField):
    """Typed and shown as dollars (12.50), stored as integer cents (1250)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, positive: bool = False, **kwargs):
        self.positive = positive
        kwargs.setdefault("places", 2)
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data / 100:.2f}" if self.data is not None else ""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or valuelist[0].strip() == "":
            self.data = None
            return
        text = valuelist[0].strip().replace("$", "").replace(",", "")
        try:
            dollars = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(_("Enter an amount in dollars, like 125.00.")) from None
        if not dollars.is_finite() or abs(dollars) >= Decimal("10000000"):
            self.data = None
            raise ValueError(_("Enter an amount in dollars, like 125.00."))
        self.data = int((dollars * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if self.positive and self.data <= 0:
            self.data = None
            raise ValueError(_("Enter an amount greater than zero."))

    def process_data(self, value) -> None:
        self.data = value


class LocalDateTimeField(DateTimeField):
    """Typed and shown in the company's time zone; stored as UTC."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=LOCAL_FORMAT, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self._shown(self.data)

    @staticmethod
    def _shown(moment) -> str:
        local = to_local(moment)
        return local.strftime(LOCAL_FORMAT) if local else ""

    def process_formdata(self, valuelist) -> None:
        text = " ".join(valuelist).strip() if valuelist else ""
        if not text:
            self.data = None
            return
        if self.object_data is not None and text == self._shown(self.object_data):
            self.data = self.object_data  # unchanged: keep the seconds the field does not show
            return
        for fmt in (LOCAL_FORMAT, LOCAL_FORMAT + ":%S"):
            try:
                naive = datetime.strptime(text, fmt)  # noqa: DTZ007  (local wall time, zoned below)
            except ValueError:
                continue
            self.data = naive.replace(tzinfo=current_company().zone).astimezone(UTC)
            return
        self.data = None
        raise ValueError(_("Enter a date and time like 2026-03-14 09:30."))


class EnumSelectField(Select2Field):
    """A select over a `StrEnum` column that shows the stored value as selected.

    Flask-Admin coerces enum members to their *name* (`SCHEDULED`) while the options carry the
    stored *value* (`scheduled`), so no option was ever selected and an unchanged save sent the
    first one. Here both sides are the value, and the form hands the model an enum member.
    """

    def __init__(self, enum_class, label=None, validators=None, **kwargs):
        self.enum_class = enum_class
        kwargs["choices"] = choices(enum_class)
        super().__init__(label, validators, coerce=self._member, **kwargs)

    def _member(self, value):
        if value is None or value == "":
            return None
        return self.enum_class(value.value if isinstance(value, Enum) else value)

    def iter_choices(self):
        """A required choice with nothing chosen yet starts at "Choose…", not the first value."""
        if self.data is None and not self.allow_blank:
            yield ("", _("Choose…"), True, {})
        yield from super().iter_choices()

    def pre_validate(self, form) -> None:
        if self.data is None and not self.allow_blank:
            raise ValidationError(_("Choose one."))
        super().pre_validate(form)


class KeptChoiceField(QuerySelectField):
    """A choice among the records `query_factory` offers, and the one the record has already
    when it is offered no more (a price book item retired since a line took it): saved
    unchanged, the record keeps it, while a new choice must be on offer. A value posted that
    is neither is refused with the `refused` message instead of being taken for no choice."""

    def __init__(self, label=None, validators=None, *, refused, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.refused = refused

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        super().process(formdata, data, extra_filters)
        offered = list(self.query_factory())
        kept = self.object_data
        self.query = offered if kept is None or kept in offered else [kept, *offered]

    def pre_validate(self, form) -> None:
        posted = self.raw_data[0] if self.raw_data else ""
        if self.data is None and posted not in ("", "__None"):
            raise ValidationError(str(self.refused))
        super().pre_validate(form)


class OptionalBooleanField(SelectField):
    """Yes, no, or not recorded, for a nullable boolean column: a checkbox would turn "not
    recorded" into "no" on the first save."""

    def __init__(self, label=None, validators=None, **kwargs):
        choices = [("", _l("Not recorded")), ("yes", _l("Yes")), ("no", _l("No"))]
        super().__init__(label, validators, coerce=_yes_no, choices=choices, **kwargs)


def _yes_no(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if value not in ("yes", "no"):
        raise ValueError(_("Choose yes, no or not recorded."))
    return value == "yes"


class ModelConverter(AdminModelConverter):
    """Flask-Admin's converter, plus local-time fields for UTC timestamp columns and enum
    selects that round-trip (see EnumSelectField)."""

    @converts("UTCDateTime")
    def conv_utc_datetime(self, field_args, **extra):
        return LocalDateTimeField(**field_args)

    @converts("sqlalchemy.sql.sqltypes.Enum")
    def convert_enum(self, column, field_args, **extra):
        enum_class = column.type.enum_class
        if enum_class is None:
            return super().convert_enum(column, field_args, **extra)
        if column.nullable:
            field_args["allow_blank"] = True
        self._nullable_common(column, field_args)
        return EnumSelectField(enum_class, **field_args)

    @converts("Boolean")
    def conv_Boolean(self, field_args, **extra):
        if extra["column"].nullable:
            field_args["validators"] = [
                v for v in field_args["validators"] if not isinstance(v, InputRequired)
            ]
            return OptionalBooleanField(**field_args)
        return super().conv_Boolean(field_args, **extra)


# What reading a value from a filter URL can raise; any of them makes the value invalid.
UNREADABLE = (ValueError, KeyError, TypeError, OverflowError)
LARGEST_NUMBER = 2**63 - 1  # the widest integer the databases compare with


def _fits_the_database(cleaned) -> bool:
    values = cleaned if isinstance(cleaned, list | tuple) else [cleaned]
    for value in values:
        if isinstance(value, int) and abs(value) > LARGEST_NUMBER:
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
    return True


class CheckedValue:
    """A filter that calls any value it cannot use invalid, so a tampered filter URL lists
    without it (Flask-Admin says "Invalid Filter Value") instead of failing the page: enum
    values that are no member, numbers beyond the database's, impossible dates, NUL bytes."""

    def validate(self, value) -> bool:
        if "\x00" in value:
            return False
        try:
            cleaned = self.clean(value)
        except UNREADABLE:
            return False
        return _fits_the_database(cleaned) and super().validate(value)


def _checked(filter_classes) -> tuple:
    return tuple(type(cls.__name__, (CheckedValue, cls), {}) for cls in filter_classes)


class _EnumValue(CheckedValue):
    """An enum filter that reads the stored value its options offer (Flask-Admin's own looks the
    value up as a member name, which fails for every one of ours)."""

    def clean(self, value):
        return self.enum_class(value) if self.enum_class else super().clean(value)


class _EnumValues(CheckedValue):
    def clean(self, value):
        values = FilterInList.clean(self, value)
        return [self.enum_class(v) for v in values] if self.enum_class else values


class EnumEqual(_EnumValue, EnumEqualFilter):
    pass


class EnumNotEqual(_EnumValue, EnumFilterNotEqual):
    pass


class EnumInList(_EnumValues, EnumFilterInList):
    pass


class EnumNotInList(_EnumValues, EnumFilterNotInList):
    pass


class EnumEmpty(CheckedValue, EnumFilterEmpty):
    pass


class CheckedEmpty(CheckedValue, FilterEmpty):
    pass


class LocalDateBetweenFilter(CheckedValue, BaseSQLAFilter, filters.BaseDateBetweenFilter):
    """A UTC timestamp column filtered by a range of the company's calendar days."""

    def __init__(self, column, name, options=None, data_type=None):
        super().__init__(column, name, options, data_type="daterangepicker")

    def clean(self, value) -> tuple[datetime, datetime]:
        """The range as UTC instants: the first day's midnight to the midnight after the last."""
        start, end = super().clean(value)
        zone = current_company().zone
        start_utc = datetime.combine(start, time.min, zone).astimezone(UTC)
        end_utc = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
        return start_utc, end_utc

    def apply(self, query, value, alias=None):
        start_utc, end_utc = value
        column = self.get_column(alias)
        return query.filter(column >= start_utc, column < end_utc)


def label_options(enum_class) -> list[tuple[str, str]]:
    return [(value, str(words)) for value, words in choices(enum_class)]


class FilterConverterWithLocalDates(FilterConverter):
    """Flask-Admin's filters, checked (see CheckedValue), and local calendar days for UTC
    timestamps."""

    strings = _checked(FilterConverter.strings)
    int_filters = _checked(FilterConverter.int_filters)
    float_filters = _checked(FilterConverter.float_filters)
    bool_filters = _checked(FilterConverter.bool_filters)
    date_filters = _checked(FilterConverter.date_filters)
    datetime_filters = _checked(FilterConverter.datetime_filters)
    time_filters = _checked(FilterConverter.time_filters)
    enum = (EnumEqual, EnumNotEqual, EnumEmpty, EnumInList, EnumNotInList)

    @filters.convert("enum")
    def conv_enum(self, column, name, options=None, **kwargs):
        """Enum filters offer each value by its label, in the reader's language."""
        enum_class = column.type.enum_class
        if not options and enum_class is not None:
            options = partial(label_options, enum_class)
        return super().conv_enum(column, name, options, **kwargs)

    @filters.convert("utcdatetime")
    def conv_utc_datetime(self, column, name, **kwargs):
        return [
            LocalDateBetweenFilter(column, name, **kwargs),
            CheckedEmpty(column, name, **kwargs),
        ]
