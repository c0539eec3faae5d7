"""The one GET filter form of the portal's lists: which property, which unit, which kind.

The dashboard, equipment, quotes, invoices, documents and the service history read their
filters here, so an id that is not the customer's behaves the same on every page: that filter
is left out, the page says so, and it shows everything of theirs (never anything of anyone
else's: the choices are the customer's own records, loaded through their scope).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, bindparam, or_, select
from wtforms import Form, SelectField

from app.extensions import db
from app.ids import optional_id
from app.models import Property, Unit
from app.models.enums import DocumentKind
from app.scoping import ANY_CUSTOMER, CustomerScope

PROBLEMS = {
    "property_id": _l("We could not find that property on your account. Showing all properties."),
    "unit_id": _l("We could not find that unit on your account. Showing all units."),
    "kind": _l("We did not recognise that kind of document, so all kinds are shown."),
}


def optional_kind(value) -> DocumentKind | None:
    """For the kind select's `coerce`: None when nothing was chosen (a bad value is an error)."""
    return DocumentKind(value) if value not in (None, "") else None


class FilterForm(Form):
    """Read from the query string (a plain WTForms form: a GET needs no CSRF token)."""

    property_id = SelectField(coerce=optional_id)
    unit_id = SelectField(coerce=optional_id)
    kind = SelectField(coerce=optional_kind)


@dataclass(frozen=True)
class Filters:
    """The filters in use; a property or unit is only here once it is known to be theirs."""

    prop: Property | None = None
    unit: Unit | None = None
    kind: DocumentKind | None = None

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments, for page links."""
        args = {
            "kind": self.kind.value if self.kind else None,
            "property_id": self.prop.id if self.prop else None,
            "unit_id": self.unit.id if self.unit else None,
        }
        return {name: str(value) for name, value in args.items() if value}


# Both statements are built once for every customer (ANY_CUSTOMER): nearly every portal page
# reads them, and building a select costs about as much as running it.
_PROPERTIES = ANY_CUSTOMER.select(Property).order_by(Property.name, Property.id)
_PROPERTIES_AND_UNITS = (
    select(Property, Unit)
    .where(ANY_CUSTOMER.where(Property))
    .outerjoin(Property.units)
    .order_by(Property.name, Property.id, Unit.name, Unit.id)
)


def at_property(model) -> ColumnElement[bool]:
    """`model`'s rows at the property bound as `property_id`: on the property itself or on
    one of its units (a quote or document may name either)."""
    property_id = bindparam("property_id")
    return or_(
        model.property_id == property_id,
        model.unit_id.in_(select(Unit.id).where(Unit.property_id == property_id)),
    )


def customer_properties(customer: CustomerScope) -> list[Property]:
    """The customer's properties, for the "which property?" filter."""
    return list(db.session.scalars(_PROPERTIES, customer.bound()))


def customer_properties_and_units(customer: CustomerScope) -> tuple[list[Property], list[Unit]]:
    """The customer's properties (the "which property?" filter) and their units by property
    (the "which unit?" filter), read together in one query."""
    rows = db.session.execute(_PROPERTIES_AND_UNITS, customer.bound()).all()
    properties = list(dict.fromkeys(prop for prop, _unit in rows))
    return properties, [unit for _prop, unit in rows if unit is not None]


class PropertyChoice(NamedTuple):
    """A page filtered by property alone: the customer's properties (the select's choices), the
    one picked if it is theirs, and the message when one was left out. `_asdict()` gives the
    template its three names."""

    properties: list[Property]
    chosen: Property | None
    problem: str | None


def property_filter(customer: CustomerScope, args: Mapping[str, str]) -> PropertyChoice:
    """The property a page's `args` picked among the customer's, as a PropertyChoice."""
    properties = customer_properties(customer)
    filters, problems = read_filters(args, properties=properties)
    return PropertyChoice(properties, filters.prop, next(iter(problems), None))


def read_filters(
    args: Mapping[str, str],
    *,
    properties: Sequence[Property] | None = None,
    units: Sequence[Unit] | None = None,
    kinds: Sequence[DocumentKind] | None = None,
) -> tuple[Filters, list[str]]:
    """The filters typed in `args` among the customer's `properties`, `units` and `kinds`, and a
    message for each one left out. A list that is None is a filter the page does not offer:
    its argument is not read at all."""
    offered = {"property_id": properties, "unit_id": units, "kind": kinds}
    form = FilterForm()
    for name, choices in offered.items():
        if choices is None:
            delattr(form, name)
        else:  # the values are what the browser sends; labels are the template's business
            values = [choice.value if name == "kind" else choice.id for choice in choices]
            form[name].choices = [("", "")] + [(value, "") for value in values]
    form.process(args)
    form.validate()
    problems, found = [], {}
    for field in form:
        if field.errors:
            problems.append(str(PROBLEMS[field.name]))
        elif field.name == "kind":
            found["kind"] = field.data
        elif field.data:
            records = offered[field.name]
            key = "prop" if field.name == "property_id" else "unit"
            found[key] = next(record for record in records if record.id == field.data)
    return Filters(**found), problems
