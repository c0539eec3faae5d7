"""How money and times read for people, shared by every surface (also as Jinja filters)."""

from datetime import datetime
from decimal import Decimal

from flask import Flask

from app.colours import readable_brand_color
from app.mail_content import defang
from app.services.company import to_local
from app.services.compliance import display_percent


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
        percent,
        rate_and_threshold,
        defang,
        readable_brand_color,
    ):
        app.add_template_filter(function)
