"""How values look in admin lists and detail pages: money in the company's currency, times in
its time zone, enums and computed states as coloured chips with their translated labels."""

from markupsafe import Markup

from app.formatting import local_datetime, money
from app.labels import badge
from app.services.company import local_today


def money_column(view, context, model, name) -> str:
    return money(getattr(model, name), getattr(model, "currency", "USD"))


def datetime_column(view, context, model, name) -> str:
    return local_datetime(getattr(model, name))


def warranty_column(view, context, model, name) -> Markup:
    """Parts/labour warranty status as a coloured chip (computed, read-only)."""
    return badge(getattr(model, name)(local_today()))


def enum_column(view, context, model, name) -> Markup:
    return badge(getattr(model, name))
