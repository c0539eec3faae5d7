"""Documents the office shared with the customer: a filtered list, and downloads via the scope."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.ids import MAX_ID, record_id
from app.labels import label
from app.models import Document, Property, Unit
from app.models.enums import DocumentKind
from app.queries.paging import paginate
from portal import bp
from portal.auth import portal_login_required, scope
from portal.pages import send_picture


@dataclass(frozen=True)
class DocumentFilters:
    """The filters in use; a property or unit is only kept once it is known to be theirs."""

    kind: DocumentKind | None = None
    prop: Property | None = None
    unit: Unit | None = None

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments, for page links."""
        args = {
            "kind": self.kind.value if self.kind else None,
            "property_id": self.prop.id if self.prop else None,
            "unit_id": self.unit.id if self.unit else None,
        }
        return {name: str(value) for name, value in args.items() if value}


def parse_filters(args: Mapping[str, str], properties, units) -> tuple[DocumentFilters, list]:
    """Filters from the query string (checked against the customer's own lists), and messages.

    A filter that cannot be used is left out, with a message; an id that is not theirs reads
    exactly like one that does not exist.
    """
    problems, found = [], {}
    typed = (args.get("kind") or "").strip()
    if typed:
        try:
            found["kind"] = DocumentKind(typed)
        except ValueError:
            problems.append(
                _("We did not recognise that kind of document, so all kinds are shown.")
            )
    for name, records, key, problem in (
        (
            "property_id",
            properties,
            "prop",
            _("We could not find that property on your account. Showing all properties."),
        ),
        (
            "unit_id",
            units,
            "unit",
            _("We could not find that unit on your account. Showing all units."),
        ),
    ):
        typed = (args.get(name) or "").strip()
        if not typed:
            continue
        wanted = record_id(typed)
        match = next((record for record in records if record.id == wanted), None)
        if match is None:
            problems.append(problem)
        else:
            found[key] = match
    return DocumentFilters(**found), problems


def file_size(size_bytes: int) -> str:
    """1234567 -> 1.2 MB; 2048 -> 2 KB."""
    if size_bytes >= 1024 * 1024:
        return f"{size_bytes / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size_bytes / 1024))} KB"


@bp.get("/documents")
@portal_login_required
def documents():
    """The documents the office shared, newest first, filtered by kind, property or unit."""
    customer = scope()
    properties = db.session.scalars(
        customer.select(Property).order_by(Property.name, Property.id)
    ).all()
    units = db.session.scalars(
        customer.select(Unit)
        .join(Unit.property)
        .options(contains_eager(Unit.property))
        .order_by(Property.name, Property.id, Unit.name, Unit.id)
    ).all()
    present = set(
        db.session.scalars(select(Document.kind).where(customer.where(Document)).distinct())
    )
    filters, problems = parse_filters(request.args, properties, units)
    statement = customer.select(Document)
    if filters.kind:
        statement = statement.where(Document.kind == filters.kind)
    if filters.prop:
        statement = statement.where(
            or_(
                Document.property_id == filters.prop.id,
                Document.unit_id.in_(select(Unit.id).where(Unit.property_id == filters.prop.id)),
            )
        )
    if filters.unit:
        statement = statement.where(Document.unit_id == filters.unit.id)
    page = paginate(
        statement.order_by(Document.created_at.desc(), Document.id.desc()).options(
            joinedload(Document.property),
            joinedload(Document.unit).joinedload(Unit.property),
        ),
        request.args.get("page"),
    )
    return render_template(
        "portal/documents.html",
        page=page,
        filters=filters,
        problems=problems,
        properties=properties,
        units=units,
        kinds=[(kind, label(kind)) for kind in DocumentKind if kind in present],
        file_size=file_size,
    )


@bp.get(f"/documents/<int(max={MAX_ID}):document_id>")
@portal_login_required
def document(document_id: int):
    """Download one document (pictures open in the browser, `?thumb=1` their thumbnail);
    hidden ones are a 404 too."""
    return send_picture(scope().get_or_404(Document, document_id))
