"""Shared helpers for portal tests: sign a client in, a customer with one of every record, and
the portal's routes read from the URL map (so sweeps cover new routes by themselves)."""

from datetime import date
from decimal import Decimal

from werkzeug.routing import Map

from app.extensions import db
from app.models import (
    Document,
    Invoice,
    Message,
    PortalUser,
    Property,
    Quote,
    ServiceRequest,
    ServiceRequestPhoto,
    Unit,
    Visit,
    WorkOrder,
    WorkOrderPhoto,
)
from app.models.enums import (
    CustomerKind,
    InvoiceStatus,
    QuoteStatus,
    StaffRole,
)
from tests import factories as f
from tests.refrigerant_helpers import record_additions
from tests.signed_in import sign_in_client


def sign_in_portal(client, portal_user_id: int) -> None:
    """Sign the client in as a portal user (test_portal_access tests the real link flow)."""
    sign_in_client(client, PortalUser, portal_user_id)


# Route arguments follow one naming rule, `<record>_id`, so a new route needs no new test code.
RECORDS = {
    "property_id": Property,
    "unit_id": Unit,
    "work_order_id": WorkOrder,
    "photo_id": WorkOrderPhoto,
    "request_id": ServiceRequest,
    "request_photo_id": ServiceRequestPhoto,
    "invoice_id": Invoice,
    "quote_id": Quote,
    "document_id": Document,
    "message_id": Message,
    "visit_id": Visit,
}


def customer_with_everything(label: str) -> dict:
    """A commercial customer with one of every record the portal shows, each named after
    `label`, and a portal user; returns the ids by model ("user": the portal user's)."""
    customer = f.CustomerFactory(name=f"{label} Bakery", kind=CustomerKind.COMMERCIAL)
    prop = f.PropertyFactory(customer=customer, name=f"{label} Plaza")
    unit = f.UnitFactory(property=prop, name=f"{label} walk-in")
    work_order = f.WorkOrderFactory(property=prop, unit=unit, summary=f"{label} coil cleaning")
    request = f.ServiceRequestFactory(unit=unit, description=f"{label} is warm")
    photo_fields = {"storage_key": "missing.jpg", "content_type": "image/jpeg", "filename": "p.jpg"}
    photos = [
        WorkOrderPhoto(work_order_id=work_order.id, caption=f"{label} coil", **photo_fields),
        ServiceRequestPhoto(request_id=request.id, **photo_fields),
    ]
    db.session.add_all(photos)
    db.session.commit()
    records = {
        Property: prop,
        Unit: unit,
        WorkOrder: work_order,
        WorkOrderPhoto: photos[0],
        ServiceRequest: request,
        ServiceRequestPhoto: photos[1],
        Invoice: f.InvoiceFactory(customer=customer, property=prop, status=InvoiceStatus.OPEN),
        Quote: f.QuoteFactory(
            customer=customer, title=f"{label} new freezer", status=QuoteStatus.SENT
        ),
        Document: f.DocumentFactory(
            customer=customer,
            property=prop,
            unit=unit,
            work_order=work_order,
            title=f"{label} manual",
            visible_to_customer=True,
        ),
        Message: f.MessageFactory(customer=customer, body=f"{label} says hello"),
        Visit: work_order.visits[0],
    }
    user = f.PortalUserFactory(customer=customer, email=f"{label.lower()}@example.com")
    return {"user": user.id, **{model: record.id for model, record in records.items()}}


def portal_routes_with_ids(url_map: Map):
    """Every portal route with a record id in its path."""
    for rule in url_map.iter_rules():
        if rule.rule.startswith("/portal") and rule.arguments - {"token"}:
            yield rule


def portal_pages(url_map: Map):
    """Every portal GET route a signed-in customer opens (sign-in links aside)."""
    for rule in url_map.iter_rules():
        if (
            rule.rule.startswith("/portal")
            and "GET" in rule.methods
            and "token" not in rule.arguments
        ):
            yield rule


def portal_url(rule, ids) -> str:
    """The rule's URL for the records in `ids` (as customer_with_everything returns them)."""
    unknown = rule.arguments - set(RECORDS)
    assert not unknown, f"{rule.rule}: name id arguments after RECORDS ({unknown})"
    values = {name: ids[RECORDS[name]] for name in rule.arguments}
    return rule.build(values)[1]


MARCH_AND_APRIL = ((date(2026, 3, 1), Decimal(10)), (date(2026, 4, 1), Decimal(5)))


def walk_in_with_a_leak(customer, additions=MARCH_AND_APRIL):
    """An 80 lb walk-in freezer (commercial refrigeration: a 20% limit) with pounds added."""
    unit = f.UnitFactory(
        property=f.PropertyFactory(customer=customer),
        name="Walk-in freezer",
        walk_in=True,
    )
    tech = f.StaffUserFactory(role=StaffRole.TECHNICIAN, epa_certification_number="608-555")
    record_additions(unit, tech, additions)
    return unit
