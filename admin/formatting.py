"""How values look in admin lists and detail pages."""

from datetime import datetime

from markupsafe import Markup

from app.services.company import local_today, to_local


def money(cents: int | None, currency: str = "USD") -> str:
    """1234567 -> $12,345.67 (other currencies get their code)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    amount = f"{abs(cents) / 100:,.2f}"
    return f"{sign}${amount}" if currency == "USD" else f"{sign}{amount} {currency}"


def local_datetime(moment: datetime | None) -> str:
    """A stored UTC timestamp as the office reads it, in the company's time zone."""
    local = to_local(moment)
    return local.strftime("%Y-%m-%d %H:%M %Z") if local else ""


def money_column(view, context, model, name) -> str:
    return money(getattr(model, name), getattr(model, "currency", "USD"))


def datetime_column(view, context, model, name) -> str:
    return local_datetime(getattr(model, name))


BADGES = {"active": "success", "expiring": "warning", "expired": "secondary", "none": "light"}


def warranty_column(view, context, model, name) -> Markup:
    """Parts/labour warranty status as a coloured badge (computed, read-only)."""
    status = getattr(model, name)(local_today())
    return Markup('<span class="badge badge-{}">{}</span>').format(BADGES[status], status)


def enum_column(view, context, model, name) -> str:
    value = getattr(model, name)
    return value.value.replace("_", " ") if value is not None else ""
