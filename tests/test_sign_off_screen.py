"""The sign-off screen handed to the customer: what it shows, and what its forms record."""

import base64
import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import WorkOrder, WorkOrderLine, WorkOrderSignOff
from app.models.enums import SignOffMethod, StaffRole
from app.services.sign_off import summary_content
from tests import factories as f
from tests.browser_forms import form_on
from tests.quote_helpers import drawn_signature
from tests.sign_off_helpers import (
    _signed_copies_finish,  # noqa: F401
    ready_work_order,
)


@pytest.fixture
def technician(login_as):
    return login_as(StaffRole.TECHNICIAN)


def _sign_offs(app):
    with app.app_context():
        return db.session.scalars(select(WorkOrderSignOff).order_by(WorkOrderSignOff.id)).all()


def test_the_summary_shows_lines_total_and_only_the_customers_notes(app, client, technician):
    with app.app_context():
        order_id = ready_work_order(technician).id
    page = client.get(f"/admin/sign-off/{order_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Replace capacitor" in html and "Diagnostic visit" in html
    assert "$274.00" in html  # 185 + 89, no tax in the factories' company
    assert "Coil cleaned; runs quiet now." in html and "dog in the yard" not in html
    assert "data-signature-pad hidden" in html and 'name="signer_name"' in html


def test_the_summary_is_in_the_companys_currency(app, client, technician):
    with app.app_context():
        f.CompanySettingsFactory(currency="CAD")
        order_id = ready_work_order(technician).id
        assert json.loads(summary_content(db.session.get(WorkOrder, order_id)))["currency"] == "CAD"
    html = client.get(f"/admin/sign-off/{order_id}").get_data(as_text=True)
    assert "CA$274.00" in html and "US$" not in html


def test_the_summary_is_in_the_customers_portal_language(app, client, technician):
    with app.app_context():
        order_id = ready_work_order(technician, language="es").id
    html = client.get(f"/admin/sign-off/{order_id}").get_data(as_text=True)
    assert '<html lang="es">' in html and "Firmar" in html
    english = client.get(f"/admin/sign-off/{order_id}?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english


def test_a_typed_name_signs_without_javascript(app, client, technician):
    with app.app_context():
        order_id = ready_work_order(technician).id
    form = form_on(client.get(f"/admin/sign-off/{order_id}"), "#sign-form")
    form["signer_name"] = "Ana Rivera"
    answer = form.submit(client, follow_redirects=True)
    html = answer.get_data(as_text=True)

    assert "Thank you, Ana Rivera" in html and "Signed by Ana Rivera" in html
    [sign_off] = _sign_offs(app)
    assert sign_off.method == SignOffMethod.TYPED and sign_off.taken_by_id == technician
    assert 'id="sign-form"' not in html


def test_an_empty_name_is_refused_with_the_signature_kept(app, client, technician):
    with app.app_context():
        order_id = ready_work_order(technician).id
    form = form_on(client.get(f"/admin/sign-off/{order_id}"), "#sign-form")
    drawn = "data:image/png;base64," + base64.b64encode(drawn_signature()).decode()
    form.tamper("signature", drawn)
    answer = form.submit(client)
    assert "Type your full name to sign." in answer.get_data(as_text=True)
    assert form_on(answer, "#sign-form")["signature"] == drawn
    assert _sign_offs(app) == []


def test_a_changed_work_order_voids_the_signature_on_the_screen(app, client, technician):
    with app.app_context():
        order_id = ready_work_order(technician).id
    form = form_on(client.get(f"/admin/sign-off/{order_id}"), "#sign-form")
    form["signer_name"] = "Ana Rivera"
    form.submit(client)
    with app.app_context():
        db.session.add(
            WorkOrderLine(work_order_id=order_id, description="Filter", unit_price_cents=2500)
        )
        db.session.commit()

    html = client.get(f"/admin/sign-off/{order_id}").get_data(as_text=True)
    assert "that signature no longer counts" in html and 'id="sign-form"' in html
    form = form_on(html, "#sign-form")
    form["signer_name"] = "Ana Rivera"
    form.submit(client)
    first, second = _sign_offs(app)
    assert first.replaced_at is not None and second.replaced_at is None
    assert "Filter" in second.content and "Filter" not in first.content


def test_the_technician_records_customer_not_present(app, client, technician):
    with app.app_context():
        order_id = ready_work_order(technician).id
    page = client.get(f"/admin/sign-off/{order_id}")
    form = form_on(page, "details form")
    refused = form.submit(client)
    assert "Say why the customer could not sign." in refused.get_data(as_text=True)

    form["reason"] = "Store closed; manager left for the day"
    html = form.submit(client, follow_redirects=True).get_data(as_text=True)
    assert "Customer not present" in html and "manager left for the day" in html
    [sign_off] = _sign_offs(app)
    assert sign_off.method == SignOffMethod.NOT_PRESENT


def test_another_technicians_work_order_is_not_found(app, client, technician):
    with app.app_context():
        other = f.StaffUserFactory(role=StaffRole.TECHNICIAN)
        db.session.commit()
        order_id = ready_work_order(other.id).id
    assert client.get(f"/admin/sign-off/{order_id}").status_code == 404
