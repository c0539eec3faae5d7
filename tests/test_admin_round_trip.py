"""Opening a record in the back office and saving it unchanged changes nothing.

The sweep finds every Flask-Admin model view that the role may edit (a new view is covered
without touching this file), opens the edit page of realistic demo rows, submits exactly what
Chromium would send from that page, and compares every column of the row and of the rows that
hang off it (line items and other inline rows) before and after.
"""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import RelationshipDirection

from app.extensions import db
from app.models import AuditEvent, Invoice, Payment, StaffUser, WorkOrder
from app.models.enums import InvoiceStatus, PaymentMethod, PaymentStatus, StaffRole
from app.services.company import local_today, to_local
from tests.browser_forms import form_on
from tests.signed_in import sign_in_client

ROWS_PER_VIEW = 8


@pytest.fixture
def demo_app(make_app, seeded_demo):
    """The seeded demo behind an app with CSRF on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True)


def _signed_in(app, staff_id: int):
    client = app.test_client()
    sign_in_client(client, StaffUser, staff_id)
    return client


def _demo_staff(role: StaffRole) -> int:
    return db.session.scalars(select(StaffUser.id).where(StaffUser.role == role)).first()


def _snapshot(row) -> dict:
    """Every column of a row and of the rows that reference it (inline line items and the like)."""
    state = {f"{type(row).__name__}.{c.key}": _plain(getattr(row, c.key)) for c in _columns(row)}
    for relationship in inspect(type(row)).relationships:
        if relationship.direction is not RelationshipDirection.ONETOMANY:
            continue
        if not relationship.uselist:
            continue
        for child in getattr(row, relationship.key):
            name = f"{relationship.key}[{child.id}]"
            state.update(
                {f"{name}.{c.key}": _plain(getattr(child, c.key)) for c in _columns(child)}
            )
    return state


def _columns(row):
    return inspect(type(row)).mapper.column_attrs


def _plain(value):
    if isinstance(value, datetime | Decimal):
        return value.isoformat() if isinstance(value, datetime) else str(value)
    return value


def _sample_rows(view) -> list:
    """Up to ROWS_PER_VIEW rows, one for each value of each enum column where there is one."""
    model = view.model
    query = view.get_query().order_by(None).order_by(model.id)
    rows = {row.id: row for row in query.limit(2)}
    for column in model.__table__.columns:
        if getattr(column.type, "enum_class", None) is None:
            continue
        attribute = getattr(model, column.key)
        for value in db.session.scalars(select(attribute).distinct()):
            row = query.filter(attribute == value).first()
            if row is not None:
                rows.setdefault(row.id, row)
    return list(rows.values())[:ROWS_PER_VIEW]


def _round_trip_failures(app, staff_id: int) -> tuple[list[str], int]:
    """Open and save every editable row the staff member can reach; what changed, and how many
    rows were tried."""
    client = _signed_in(app, staff_id)
    failures, tried = [], 0
    with app.test_request_context():
        from flask_login import login_user

        login_user(db.session.get(StaffUser, staff_id))
        targets = []
        for view in app.extensions["admin"][0]._views:
            if not hasattr(view, "model") or not view.can_edit:
                continue
            targets.extend((view, type(row), row.id) for row in _sample_rows(view))
        db.session.rollback()
    for view, model, row_id in targets:
        with app.app_context():
            before = _snapshot(db.session.get(model, row_id))
        edit_url = f"{view.url}/edit/?id={row_id}"
        page = client.get(edit_url)
        if page.status_code == 302:
            continue  # kept as it is (a signed quote): its details page says why
        if page.status_code != 200:
            failures.append(f"{edit_url}: the edit page answered {page.status_code}")
            continue
        tried += 1
        form = form_on(page, "form.admin-form")
        response = form.submit(client)
        with app.app_context():
            after = _snapshot(db.session.get(model, row_id))
        changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
        changed.update({k: (None, after[k]) for k in after.keys() - before.keys()})
        if response.status_code != 302:
            failures.append(f"{edit_url}: save answered {response.status_code}")
        if changed:
            failures.append(f"{edit_url}: {changed}")
    return failures, tried


@pytest.mark.parametrize("role", [StaffRole.ADMIN, StaffRole.MANAGER, StaffRole.DISPATCHER])
def test_saving_any_record_unchanged_changes_no_column(app, demo_app, role):
    with app.app_context():
        staff_id = _demo_staff(role)
    failures, tried = _round_trip_failures(demo_app, staff_id)
    assert tried >= 20
    assert failures == [], "\n".join(failures)


def test_a_technician_saving_their_work_order_unchanged_changes_nothing(app, demo_app):
    with app.app_context():
        technician = db.session.scalars(
            select(StaffUser).join(WorkOrder, WorkOrder.technician_id == StaffUser.id)
        ).first()
        staff_id = technician.id
    failures, tried = _round_trip_failures(demo_app, staff_id)
    assert tried >= 3
    assert failures == [], "\n".join(failures)


def _update_events() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).all()


def test_the_audit_trail_shows_what_an_edit_changed_and_an_unchanged_save_adds_nothing(
    app, demo_app
):
    with app.app_context():
        staff_id = _demo_staff(StaffRole.ADMIN)
        order = db.session.scalars(
            select(WorkOrder).where(WorkOrder.lines.any()).order_by(WorkOrder.id)
        ).first()
        order_id, old_summary, line = order.id, order.summary, order.lines[0]
        line_id, old_quantity = line.id, str(line.quantity)
        updates_before = len(_update_events())
    client = _signed_in(demo_app, staff_id)
    edit_url = f"/admin/workorder/edit/?id={order_id}"

    assert form_on(client.get(edit_url), "form.admin-form").submit(client).status_code == 302
    with app.app_context():
        assert len(_update_events()) == updates_before

    form = form_on(client.get(edit_url), "form.admin-form")
    form["summary"] = "Replace the capacitor"
    quantity_field = next(k for k, v in form.fields if k.endswith("-id") and v == str(line_id))
    form[quantity_field.replace("-id", "-quantity")] = "7.50"
    assert form.submit(client).status_code == 302
    with app.app_context():
        event = _update_events()[-1]
        assert event.object_type == "WorkOrder" and event.object_id == order_id
        assert event.changes == {
            "summary": [old_summary, "Replace the capacitor"],
            f"lines[{line_id}].quantity": [old_quantity, "7.50"],
        }


def test_create_forms_preselect_only_what_the_office_would_pick(app, demo_app):
    """Every select on a create form shows a real default or starts at an empty choice, so
    pressing Save never sends a value nobody chose."""
    with app.app_context():
        staff_id = _demo_staff(StaffRole.ADMIN)
    client = _signed_in(demo_app, staff_id)
    misleading = []
    for view in demo_app.extensions["admin"][0]._views:
        if not hasattr(view, "model"):
            continue
        page = client.get(f"{view.url}/new/")
        if page.status_code != 200:
            continue
        form = form_on(page, "form.admin-form")
        for choice in form.element.find_all("select"):
            options = choice.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if options and not chosen and options[0].get("value", "") not in ("", "__None"):
                misleading.append(f"{view.url} {choice.get('name')}: {options[0].get('value')}")
    assert misleading == [], "\n".join(misleading)


def test_an_offline_payment_starts_as_a_check_received_in_full_today(app, demo_app):
    with app.app_context():
        staff_id = _demo_staff(StaffRole.ADMIN)
        invoice = db.session.scalars(
            select(Invoice).where(Invoice.status == InvoiceStatus.OPEN).order_by(Invoice.id)
        ).first()
        invoice_id = invoice.id
    client = _signed_in(demo_app, staff_id)
    form = form_on(client.get("/admin/payment/new/"), "form.admin-form")
    form["invoice"] = str(invoice_id)  # picked from the look-up
    form["amount_cents"] = "40.00"
    assert form.submit(client).status_code == 302
    with app.app_context():
        payment = db.session.scalars(select(Payment).order_by(Payment.id.desc())).first()
        assert payment.invoice_id == invoice_id and payment.amount_cents == 4000
        assert (payment.method, payment.status) == (PaymentMethod.CHECK, PaymentStatus.SUCCEEDED)
        assert to_local(payment.received_at).date() == local_today()
