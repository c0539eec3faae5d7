"""How values look in admin lists and detail pages: money in the company's currency, times in
its time zone, enums and computed states as coloured chips with their translated labels."""

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from app.formatting import local_date, local_datetime, local_time, money
from app.labels import badge, label, words
from app.services.company import local_today
from app.services.price_book import staff_may_price


def money_column(view, context, model, name) -> str:
    return money(getattr(model, name), getattr(model, "currency", None))


def datetime_column(view, context, model, name) -> str:
    return local_datetime(getattr(model, name))


def date_column(view, context, model, name) -> str:
    return local_date(getattr(model, name))


def warranty_column(view, context, model, name) -> Markup:
    """Parts/labour warranty status as a coloured chip (computed, read-only)."""
    return badge(getattr(model, name)(local_today()))


def enum_column(view, context, model, name) -> Markup:
    return badge(getattr(model, name))


def _ordered(model) -> list:
    return sorted(model.lines, key=lambda line: (line.position, line.id or 0))


def lines_table(view, context, model, name) -> Markup:
    """A quote's, invoice's or work order's lines as a table; prices only for staff who may
    see them, and the lines a customer signed for marked on an approved quote."""
    return Markup(  # noqa: S704  (an autoescaped template's output)
        render_template(
            "admin/_lines_table.html",
            lines=_ordered(model),
            priced=staff_may_price(),
            chosen=getattr(model, "chosen_line_ids", None),
            currency=getattr(model, "currency", None),
        )
    )


def chosen_lines(view, context, model, name) -> str:
    """The lines a customer signed for, by description (not their ids)."""
    chosen = set(getattr(model, name) or ())
    return "; ".join(line.description for line in _ordered(model) if line.id in chosen)


def words_column(view, context, model, name) -> str:
    """A machine name (an audit action) as words."""
    return words(getattr(model, name))


def inputs_column(view, context, model, name) -> Markup:
    """What a calculation used (a JSON object), one "Key: value" line each: yes/no for flags,
    "day: amount" for pairs."""

    def shown(value) -> str:
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, list):
            return ", ".join(
                ": ".join(map(str, item)) if isinstance(item, list) else str(item) for item in value
            )
        return words(str(value)) if "_" in str(value) else str(value)

    entries = (getattr(model, name) or {}).items()
    return Markup("<br>").join(
        Markup("{}: {}").format(words(key), shown(value)) for key, value in entries
    )


def visit_list(view, context, model, name) -> Markup:
    """A work order's visits, one line each: window, technicians, status (moved on the board)."""
    lines = [
        Markup("{} – {} · {} · {}").format(
            local_datetime(visit.arrival_start),
            local_time(visit.arrival_end),
            ", ".join(person.name for person in visit.technicians) or "—",
            label(visit.status),
        )
        for visit in model.visits
    ]
    return Markup("<br>").join(lines)
