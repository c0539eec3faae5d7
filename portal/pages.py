"""Pieces the portal's list and download pages share: the customer's properties and units
for the filters, files."""

from flask import current_app, render_template
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import Property, Unit
from app.queries.filters import read_filters
from app.scoping import CustomerScope
from app.storage import existing_path, send_private_file
from app.thumbnails import send_thumbnail

# Served inline: pictures the browser shows safely (uploads are re-encoded to these).
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def customer_properties(customer: CustomerScope) -> list[Property]:
    """The customer's properties, for the "which property?" filter."""
    return list(db.session.scalars(customer.select(Property).order_by(Property.name, Property.id)))


def customer_units(customer: CustomerScope) -> list[Unit]:
    """The customer's units by property, for the "which unit?" filter."""
    return list(
        db.session.scalars(
            customer.select(Unit)
            .join(Unit.property)
            .options(contains_eager(Unit.property))
            .order_by(Property.name, Property.id, Unit.name, Unit.id)
        )
    )


def chosen_property(properties, args) -> tuple[Property | None, str | None]:
    """The property picked in the filter form (`read_filters`), if it is one of theirs; else
    the message saying it was left out."""
    filters, problems = read_filters(args, properties=properties)
    return filters.prop, next(iter(problems), None)


def send_stored(stored, *, download_name: str | None = None):
    """A record's stored file (StoredFileMixin): pictures inline, anything else as a download.

    Call it only with a record that came through the customer's scope. A record whose file
    is missing from storage gets a page saying so (410), not a 404: the record is theirs.
    """
    path = existing_path(stored.storage_key)
    if path is None:
        current_app.logger.warning(
            "Stored file missing for %s %s", type(stored).__name__, stored.id
        )
        return render_template("portal/file_missing.html"), 410
    return send_private_file(
        path,
        mimetype=stored.content_type,
        download_name=download_name or stored.filename or "file",
        inline=stored.content_type in INLINE_TYPES,
    )


def send_picture(stored):
    """send_stored, or the picture's thumbnail when the page asks for one (`?thumb=1`)."""
    return send_thumbnail(stored) or send_stored(stored)
