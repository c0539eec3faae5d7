"""How values look in admin lists and detail pages."""

from markupsafe import Markup

from app.formatting import local_datetime, money
from app.services.company import local_today


def money_column(view, context, model, name) -> str:
    return money(getattr(model, name), getattr(model, "currency", "USD"))


def datetime_column(view, context, model, name) -> str:
    return local_datetime(getattr(model, name))


BADGES = {"active": "success", "expiring": "warning", "expired": "secondary", "none": "light"}


def warranty_column(view, context, model, name) -> Markup:
    """Parts/labour warranty status as a coloured badge (computed, read-only)."""
    status = getattr(model, name)(local_today())
    return Markup('<span class="badge badge-{}">{}</span>').format(BADGES[status], status)


def enum_label(member) -> str:
    """An enum value as words (`in_progress` -> `in progress`)."""
    return member.value.replace("_", " ")


def enum_column(view, context, model, name) -> str:
    value = getattr(model, name)
    return enum_label(value) if value is not None else ""
