"""Service history: every work order across the customer's properties, its photos and exports."""

from flask import render_template, request

from app.labels import label
from app.models import WorkOrderPhoto
from app.models.enums import WorkOrderStatus
from app.queries.filters import customer_properties_and_units
from app.queries.history import (
    EXPORT_LIMIT,
    HistoryFilters,
    export_work_orders,
    history_page,
    parse_filters,
)
from app.services.company import company_currency, current_company
from app.storage import send_private_file
from portal import bp
from portal.auth import portal_login_required, scope
from portal.kept_pages import kept_while_unchanged
from portal.pages import send_picture
from reports.history_csv import history_csv
from reports.history_pdf import history_pdf


@bp.get("/history")
@portal_login_required
@kept_while_unchanged
def history():
    customer = scope()
    properties, units = customer_properties_and_units(customer)
    filters, problems = parse_filters(request.args, properties, units)
    results = history_page(customer, filters, request.args.get("page"))
    return render_template(
        "portal/history.html",
        filters=filters,
        problems=problems,
        results=results,
        properties=properties,
        units=units,
        statuses=[(status.value, label(status)) for status in WorkOrderStatus],
        export_limit=EXPORT_LIMIT,
        currency=company_currency(),
    )


def _filters(customer) -> HistoryFilters:
    """The exports' filters: the page's, read the same way (their messages were on the page)."""
    return parse_filters(request.args, *customer_properties_and_units(customer))[0]


@bp.get("/history.csv")
@portal_login_required
def history_export_csv():
    customer = scope()
    work_orders, truncated = export_work_orders(customer, _filters(customer))
    body = history_csv(work_orders, truncated=truncated, currency=company_currency())
    return send_private_file(body, mimetype="text/csv", download_name="service-history.csv")


@bp.get("/history.pdf")
@portal_login_required
def history_export_pdf():
    customer = scope()
    filters = _filters(customer)
    work_orders, truncated = export_work_orders(customer, filters)
    company = current_company()
    body = history_pdf(
        work_orders,
        truncated=truncated,
        company_name=company.name,
        currency=company_currency(),
        filters=filters,
        brand_color=company.brand_color,
    )
    return send_private_file(body, mimetype="application/pdf", download_name="service-history.pdf")


@bp.get("/photos/<int:photo_id>")
@portal_login_required
def work_order_photo(photo_id: int):
    """A photo from one of the customer's work orders, shown in the browser (`?thumb=1`: small)."""
    return send_picture(scope().get_or_404(WorkOrderPhoto, photo_id))
