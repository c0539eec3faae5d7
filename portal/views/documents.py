"""Documents the office shared with the customer: a filtered list, and downloads via the scope."""

from flask import render_template, request

from app.ids import MAX_ID
from app.labels import label
from app.models import Document
from app.models.enums import DocumentKind
from app.queries.documents import document_kinds, document_list
from app.queries.filters import customer_properties_and_units, read_filters
from portal import bp
from portal.auth import portal_login_required, scope
from portal.kept_pages import kept_while_unchanged
from portal.pages import send_picture


def file_size(size_bytes: int) -> str:
    """1234567 -> 1.2 MB; 2048 -> 2 KB."""
    if size_bytes >= 1024 * 1024:
        return f"{size_bytes / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size_bytes / 1024))} KB"


@bp.get("/documents")
@portal_login_required
@kept_while_unchanged
def documents():
    """The documents the office shared, newest first, filtered by kind, property or unit."""
    customer = scope()
    properties, units = customer_properties_and_units(customer)
    filters, problems = read_filters(
        request.args, properties=properties, units=units, kinds=list(DocumentKind)
    )
    return render_template(
        "portal/documents.html",
        page=document_list(customer, filters, request.args.get("page")),
        filters=filters,
        problems=problems,
        properties=properties,
        units=units,
        kinds=[(kind, label(kind)) for kind in document_kinds(customer)],
        file_size=file_size,
    )


@bp.get(f"/documents/<int(max={MAX_ID}):document_id>")
@portal_login_required
def document(document_id: int):
    """Download one document (pictures open in the browser, `?thumb=1` their thumbnail);
    hidden ones are a 404 too."""
    return send_picture(scope().get_or_404(Document, document_id))
