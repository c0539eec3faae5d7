"""Customers only ever reach their own records: a sweep over every portal route with an id.

Route arguments follow one naming rule (`<record>_id`, listed in RECORDS) so that a new
route is covered here without anyone remembering to add it.
"""

import pytest
from werkzeug.routing import Map

from app.extensions import db
from app.models import (
    Document,
    Invoice,
    Message,
    Property,
    Quote,
    ServiceRequest,
    ServiceRequestPhoto,
    Unit,
    WorkOrder,
    WorkOrderPhoto,
)
from app.models.enums import CustomerKind, InvoiceStatus, QuoteStatus
from tests import factories as f
from tests.portal_helpers import sign_in_portal

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
}


def _customer_with_everything() -> dict:
    # Commercial: they have every section, compliance included.
    unit = f.UnitFactory(property__customer__kind=CustomerKind.COMMERCIAL)
    prop, customer = unit.property, unit.property.customer
    work_order = f.WorkOrderFactory(property=prop, unit=unit)
    request = f.ServiceRequestFactory(unit=unit)
    photo_fields = {"storage_key": "missing.jpg", "content_type": "image/jpeg", "filename": "p.jpg"}
    photos = [
        WorkOrderPhoto(work_order_id=work_order.id, **photo_fields),
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
        Invoice: f.InvoiceFactory(customer=customer, status=InvoiceStatus.OPEN),
        Quote: f.QuoteFactory(customer=customer, status=QuoteStatus.SENT),
        Document: f.DocumentFactory(customer=customer, visible_to_customer=True),
        Message: f.MessageFactory(customer=customer),
    }
    user = f.PortalUserFactory(customer=customer)
    return {"user": user.id, **{model: record.id for model, record in records.items()}}


def portal_routes_with_ids(url_map: Map):
    for rule in url_map.iter_rules():
        if rule.rule.startswith("/portal") and rule.arguments - {"token"}:
            yield rule


@pytest.fixture
def two_customers(app):
    with app.app_context():
        f.CompanySettingsFactory()
        return _customer_with_everything(), _customer_with_everything()


def _url(rule, ids) -> str:
    unknown = rule.arguments - set(RECORDS)
    assert not unknown, f"{rule.rule}: name id arguments after RECORDS in this test ({unknown})"
    values = {name: ids[RECORDS[name]] for name in rule.arguments}
    return rule.build(values)[1]


def test_every_portal_route_answers_404_for_another_customers_records(app, client, two_customers):
    mine, theirs = two_customers
    sign_in_portal(client, mine["user"])
    checked = []
    for rule in portal_routes_with_ids(app.url_map):
        url = _url(rule, theirs)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, url, response.status_code)
            checked.append((method, rule.rule))
    assert len({rule for _, rule in checked}) == len(list(portal_routes_with_ids(app.url_map)))


def test_the_same_routes_serve_the_owner(app, client, two_customers):
    """The sweep above is only meaningful if those routes do work for the right customer."""
    mine, _ = two_customers
    sign_in_portal(client, mine["user"])
    for rule in portal_routes_with_ids(app.url_map):
        if "GET" in rule.methods and "photo_id" not in rule.arguments:
            response = client.get(_url(rule, mine))
            assert response.status_code != 404, rule.rule
