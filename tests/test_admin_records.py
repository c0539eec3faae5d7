"""Saving records through the back office: validation, derived values and the audit trail."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    Customer,
    Invoice,
    Payment,
    StaffUser,
    Unit,
    WorkOrder,
    WorkOrderLine,
)
from app.models.enums import InvoiceStatus, LineKind, Priority, WorkOrderStatus
from tests.browser_forms import form_on
from tests.factories import (
    CompanySettingsFactory,
    CustomerFactory,
    InvoiceFactory,
    PropertyFactory,
    UnitFactory,
    WorkOrderFactory,
)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _refused(app, response, message: bytes, model) -> None:
    """The form came back with `message` on it, and no `model` record was saved."""
    assert response.status_code == 200 and message in response.data
    assert _count(app, model) == 0


def test_missing_required_fields_show_form_errors_not_an_error_page(app, client, login_as):
    login_as("admin")
    response = client.post("/admin/customer/new/", data={"name": "", "kind": "residential"})
    _refused(app, response, b"This field is required.", Customer)


def test_out_of_range_numbers_and_bad_amounts_are_form_errors(app, client, login_as):
    login_as("admin")
    with app.app_context():
        property_id = PropertyFactory().id
        invoice_id = InvoiceFactory().id
    unit = client.post(
        "/admin/unit/new/",
        data={"property": property_id, "name": "Roof", "kind": "chiller", "full_charge_lb": "-4"},
    )
    assert unit.status_code == 200 and b"Number must be between 0.01 and 100000." in unit.data
    payment = client.post(
        "/admin/payment/new/",
        data={
            "invoice": invoice_id,
            "amount_cents": "twelve",
            "method": "check",
            "status": "succeeded",
        },
    )
    assert payment.status_code == 200 and b"Enter an amount in dollars" in payment.data
    assert _count(app, Unit) == 0 and _count(app, Payment) == 0


def test_a_unit_from_another_property_is_refused_with_a_message(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        here, elsewhere = PropertyFactory(), PropertyFactory()
        foreign_unit = UnitFactory(property=elsewhere)
        here_id, unit_id = here.id, foreign_unit.id
    response = client.post(
        "/admin/workorder/new/",
        data={
            "property": here_id,
            "unit": unit_id,
            "summary": "Check it",
            "status": "new",
            "priority": "normal",
        },
        follow_redirects=True,
    )
    _refused(app, response, b"is not at property", WorkOrder)


def test_work_order_takes_its_customer_from_the_property_and_a_number(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        prop = PropertyFactory()
        property_id, customer_id = prop.id, prop.customer_id
    response = client.post(
        "/admin/workorder/new/",
        data={
            "property": property_id,
            "summary": "Annual tune-up",
            "status": "new",
            "priority": "normal",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        work_order = db.session.scalar(select(WorkOrder))
        assert work_order.customer_id == customer_id
        assert work_order.number == "WO-000001"
        assert work_order.visits == []  # booked on the board


def test_invoice_totals_come_from_its_lines_and_the_tax_rate(app, client, login_as):
    login_as("manager")
    with app.app_context():
        CompanySettingsFactory(tax_rate_percent=Decimal("8.250"))
        customer_id = CustomerFactory().id
    opened = client.get("/admin/invoice/new/")
    form = form_on(opened, "form.admin-form", url="http://localhost/admin/invoice/new/")
    form["customer"] = str(customer_id)
    form["status"] = "open"
    form["issued_on"] = "2026-11-01"
    form["due_on"] = "2026-12-01"
    for index, (description, kind, quantity, price) in enumerate(
        [("Labour", "labor", "2", "125.00"), ("Capacitor 45/5 MFD", "part", "1", "$38.50")]
    ):
        form.add_inline_row(
            "lines",
            index,
            description=description,
            kind=kind,
            quantity=quantity,
            unit_price_cents=price,
            position=str(index),
        )
    response = form.submit(client)
    assert response.status_code == 302
    with app.app_context():
        invoice = db.session.scalar(select(Invoice))
        assert invoice.subtotal_cents == 28850
        assert invoice.tax_cents == 2380  # 8.25% of $288.50 = $23.80
        assert invoice.total_cents == 31230
        assert invoice.number == "INV-000001"


def test_recording_a_payment_updates_the_invoice_balance_and_status(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        invoice_id = InvoiceFactory(total_cents=10825, status=InvoiceStatus.OPEN).id

    def pay(amount):
        return client.post(
            "/admin/payment/new/",
            data={
                "invoice": invoice_id,
                "amount_cents": amount,
                "method": "check",
                "status": "succeeded",
                "reference": "check 1001",
            },
        )

    assert pay("50.00").status_code == 302
    with app.app_context():
        invoice = db.session.get(Invoice, invoice_id)
        assert (invoice.amount_paid_cents, invoice.balance_cents) == (5000, 5825)
        assert invoice.status == InvoiceStatus.OPEN
    assert pay("58.25").status_code == 302
    with app.app_context():
        invoice = db.session.get(Invoice, invoice_id)
        assert invoice.balance_cents == 0 and invoice.status == InvoiceStatus.PAID
        payment_id = db.session.scalar(select(Payment.id).where(Payment.amount_cents == 5825))
    client.post("/admin/payment/delete/", data={"id": payment_id})
    with app.app_context():
        invoice = db.session.get(Invoice, invoice_id)
        assert invoice.balance_cents == 5825 and invoice.status == InvoiceStatus.OPEN


def test_deleting_a_customer_still_in_use_explains_instead_of_failing(app, client, login_as):
    login_as("admin")
    with app.app_context():
        customer_id = PropertyFactory().customer_id
    response = client.post(
        "/admin/customer/delete/", data={"id": customer_id}, follow_redirects=True
    )
    assert response.status_code == 200
    assert b"still in use" in response.data
    assert _count(app, Customer) == 1


def test_every_change_is_in_the_audit_trail_with_what_changed(app, client, login_as):
    staff_id = login_as("admin")
    client.post("/admin/customer/new/", data={"name": "Ada Lovelace", "kind": "residential"})
    with app.app_context():
        customer_id = db.session.scalar(select(Customer.id))
    client.post(
        f"/admin/customer/edit/?id={customer_id}",
        data={"name": "Ada King", "kind": "residential"},
    )
    client.post("/admin/customer/delete/", data={"id": customer_id})
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [e.action for e in events] == ["create", "update", "delete"]
        assert {e.actor_id for e in events} == {staff_id}
        assert events[1].changes["name"] == ["Ada Lovelace", "Ada King"]
        assert events[0].object_id == customer_id


def test_staff_accounts_created_in_admin_get_a_hashed_password(app, client, login_as):
    login_as("admin")
    short = client.post(
        "/admin/staffuser/new/",
        data={
            "name": "Tess",
            "email": "tess@example.com",
            "role": "technician",
            "new_password": "short",
            "active": "y",
        },
        follow_redirects=True,
    )
    assert b"at least 10 characters" in short.data
    client.post(
        "/admin/staffuser/new/",
        data={
            "name": "Tess",
            "email": "Tess@Example.com",
            "role": "technician",
            "new_password": "a long enough secret",
            "active": "y",
        },
    )
    with app.app_context():
        tess = db.session.scalar(select(StaffUser).where(StaffUser.email == "tess@example.com"))
        assert tess.check_password("a long enough secret")
        assert "a long enough secret" not in tess.password_hash
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "StaffUser"))
        assert "password_hash" not in audit.changes


def test_unit_list_shows_warranty_status(app, client, login_as):
    login_as("dispatcher")
    today = date.today()
    with app.app_context():
        UnitFactory(name="Fresh", parts_warranty_end=date(today.year + 5, 1, 1))
        UnitFactory(name="Old", parts_warranty_end=date(today.year - 1, 1, 1))
    page = client.get("/admin/unit/").data.decode()
    assert 'chip-good">Active</span>' in page and 'chip-muted">Expired</span>' in page


# Company settings the new settings form accepts.
SETTINGS = {
    "name": "Polar Bear",
    "email": "office@example.com",
    "time_zone": "America/Chicago",
    "brand_color": "#0b5cad",
    "tax_rate_percent": "8.25",
    "currency": "USD",
}


def _new_company_settings(client, **typed):
    """The admin posts new company settings: SETTINGS, but for what `typed` changes."""
    return client.post("/admin/companysettings/new/", data={**SETTINGS, **typed})


def test_company_settings_reject_an_unknown_time_zone(app, client, login_as):
    login_as("admin")
    response = _new_company_settings(client, time_zone="Mars/Olympus")
    assert response.status_code == 200
    assert b"Use a time zone name like America/Chicago." in response.data


def test_translated_validator_messages_are_shown_on_the_field(app, client, login_as):
    login_as("admin")
    response = _new_company_settings(client, brand_color="blue", currency="usd")
    assert b"Use a colour like #0b5cad." in response.data
    assert b"Use a code like USD." in response.data


def test_saving_a_work_order_unchanged_keeps_its_status_priority_and_line_kinds(
    app, client, login_as
):
    login_as("dispatcher")
    with app.app_context():
        work_order = WorkOrderFactory(
            status=WorkOrderStatus.ON_HOLD,
            priority=Priority.HIGH,
            description="Customer away until Friday.\nGate code 4411.",
        )
        work_order.lines = [
            WorkOrderLine(
                position=1,
                kind=LineKind.PART,
                description="Capacitor 45/5 MFD",
                quantity=Decimal("1"),
                unit_price_cents=3850,
            )
        ]
        db.session.commit()
        wo_id = work_order.id
    edit = f"/admin/workorder/edit/?id={wo_id}"

    assert form_on(client.get(edit), "form.admin-form").submit(client).status_code == 302

    with app.app_context():
        saved = db.session.get(WorkOrder, wo_id)
        assert (saved.status, saved.priority) == (WorkOrderStatus.ON_HOLD, Priority.HIGH)
        assert saved.description == "Customer away until Friday.\nGate code 4411."
        (line,) = saved.lines
        assert (line.kind, line.unit_price_cents) == (LineKind.PART, 3850)
