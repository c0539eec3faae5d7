"""Work-order lines priced from the price book.

A line chosen from the book takes the item's kind, price and whether sales tax applies (and its
words, unless some were typed) when the item is chosen; later changes to the book do not reach
it. Who may set a price themselves, and whether lines outside the book are allowed, are the
company's choice.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from app.auth.roles import access_to, current_staff
from app.errors import UserError
from app.models import WorkOrder, WorkOrderLine
from app.models.enums import StaffRole
from app.services.company import current_company


class LineError(UserError):
    """A line the company's rules do not allow; the message says why, for the form."""


# Why an item cannot be chosen for a line: retired since it was offered (or never in the book).
NOT_OFFERED = _l("That item is no longer in the price book; choose another.")


def staff_may_price() -> bool:
    """The office prices lines; technicians too when the company allows it."""
    if access_to("pricing") is not None:
        return True
    staff = current_staff()
    return (
        staff is not None
        and staff.role == StaffRole.TECHNICIAN
        and current_company().technicians_may_price
    )


def price_lines(work_order: WorkOrder, *, may_price: bool) -> None:
    """Fill lines newly chosen from the price book from their item, refusing items the book
    no longer offers, and refuse free lines the company does not allow (only new choices, or
    lines taken off the book: lines recorded earlier stay as they are, a retired item too)."""
    free_lines_allowed = current_company().free_lines_allowed
    for line in work_order.lines:
        if line.price_book_item is not None:
            if _changed(line, "price_book_item"):
                if not line.price_book_item.active:
                    raise LineError(str(NOT_OFFERED))
                _fill_from_book(line, keep_typed_price=may_price)
            continue
        if line.id is None or _changed(line, "price_book_item"):
            if not free_lines_allowed:
                raise LineError(_("Choose every line from the price book."))
        if not (line.description or "").strip():
            raise LineError(_("Describe each line, or choose it from the price book."))
        if line.unit_price_cents is None:
            line.unit_price_cents = 0  # no price typed: the office prices it


def _changed(line: WorkOrderLine, attribute: str) -> bool:
    """Whether this save sets the attribute to something new (a new line: anything set)."""
    if line.id is None:
        return getattr(line, attribute) is not None
    return inspect(line).attrs[attribute].history.has_changes()


def _fill_from_book(line: WorkOrderLine, *, keep_typed_price: bool) -> None:
    item = line.price_book_item
    line.kind, line.taxable = item.kind, item.taxable
    if not (line.description or "").strip() or not _changed(line, "description"):
        line.description = item.description
    # A new line's price box starts blank: any amount in it (0.00 too) was typed on purpose.
    typed = line.unit_price_cents is not None and _changed(line, "unit_price_cents")
    if not (keep_typed_price and typed):
        line.unit_price_cents = item.price_cents
