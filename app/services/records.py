"""Keeping a record's customer, property and unit consistent with each other."""

from flask_babel import lazy_gettext as _l

from app.errors import UserError


class OwnershipError(UserError):
    """The chosen customer, property and unit do not belong together."""


def link_owners(record) -> None:
    """Fill in the property from the unit and the customer from the property; refuse mismatches.

    Works for any record with `customer`, `property`, `unit` and/or `work_order` relationships.
    """
    unit = getattr(record, "unit", None)
    if unit is not None:
        if getattr(record, "property", None) is None:
            record.property = unit.property
        elif record.property is not unit.property:
            raise OwnershipError(
                _l(
                    "Unit “%(unit)s” is not at property “%(property)s”.",
                    unit=unit.name,
                    property=record.property.name,
                )
            )
    prop = getattr(record, "property", None)
    if prop is not None and hasattr(record, "customer"):
        if record.customer is None:
            record.customer = prop.customer
        elif record.customer is not prop.customer:
            owner, chosen = prop.customer.name, record.customer.name
            raise OwnershipError(
                _l(
                    "Property “%(property)s” belongs to %(owner)s, not %(chosen)s.",
                    property=prop.name,
                    owner=owner,
                    chosen=chosen,
                )
            )
    work_order = getattr(record, "work_order", None)
    customer = getattr(record, "customer", None)
    if work_order is not None and customer is not None and work_order.customer is not customer:
        raise OwnershipError(
            _l(
                "Work order %(number)s is for %(customer)s.",
                number=work_order.number,
                customer=work_order.customer.name,
            )
        )
