"""How money and times read for people, shared by every surface (also as Jinja filters)."""

from datetime import datetime
from decimal import Decimal

from flask import Flask

from app.services.company import to_local


def money(cents: int | None, currency: str = "USD") -> str:
    """1234567 -> $12,345.67 (other currencies get their code)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    amount = f"{abs(cents) / 100:,.2f}"
    return f"{sign}${amount}" if currency == "USD" else f"{sign}{amount} {currency}"


def rate(percent: Decimal | int | None) -> str:
    """A percentage without trailing zeros: Decimal("8.250") -> 8.25, Decimal("10.000") -> 10."""
    return f"{Decimal(percent or 0).normalize():f}"


def local_datetime(moment: datetime | None) -> str:
    """A stored UTC timestamp as the office reads it, in the company's time zone."""
    local = to_local(moment)
    return local.strftime("%Y-%m-%d %H:%M %Z") if local else ""


def local_date(moment: datetime | None) -> str:
    local = to_local(moment)
    return local.strftime("%Y-%m-%d") if local else ""


def local_time(moment: datetime | None) -> str:
    local = to_local(moment)
    return local.strftime("%H:%M") if local else ""


def register_filters(app: Flask) -> None:
    for function in (money, rate, local_datetime, local_date, local_time):
        app.add_template_filter(function)
