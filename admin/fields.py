"""Form fields and filters that speak the office's units: dollars and local time."""

from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterConverter, FilterEmpty
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.form import DateTimeField
from flask_admin.model import filters
from flask_admin.model.form import converts
from flask_babel import gettext as _
from wtforms import DecimalField
from wtforms.widgets import TextInput

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
        local = to_local(self.data)
        return local.strftime(LOCAL_FORMAT) if local else ""

    def process_formdata(self, valuelist) -> None:
        text = " ".join(valuelist).strip() if valuelist else ""
        if not text:
            self.data = None
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


class ModelConverter(AdminModelConverter):
    """Flask-Admin's converter, plus local-time fields for UTC timestamp columns."""

    @converts("UTCDateTime")
    def conv_utc_datetime(self, field_args, **extra):
        return LocalDateTimeField(**field_args)


class LocalDateBetweenFilter(BaseSQLAFilter, filters.BaseDateBetweenFilter):
    """A UTC timestamp column filtered by a range of the company's calendar days."""

    def __init__(self, column, name, options=None, data_type=None):
        super().__init__(column, name, options, data_type="daterangepicker")

    def apply(self, query, value, alias=None):
        start, end = value
        zone = current_company().zone
        start_utc = datetime.combine(start, time.min, zone).astimezone(UTC)
        end_utc = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
        column = self.get_column(alias)
        return query.filter(column >= start_utc, column < end_utc)


class FilterConverterWithLocalDates(FilterConverter):
    @filters.convert("utcdatetime")
    def conv_utc_datetime(self, column, name, **kwargs):
        return [LocalDateBetweenFilter(column, name, **kwargs), FilterEmpty(column, name, **kwargs)]
