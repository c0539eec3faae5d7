"""The back office in a real browser: sign in, see the dashboard, open a list, AJAX look-ups."""

from decimal import Decimal

from app.extensions import db
from app.models import StaffUser, WorkOrder
from app.models.enums import CustomerKind, LineKind, Priority, StaffRole, WorkOrderStatus
from tests.browser_helpers import open_signed_in, sign_in_as
from tests.factories import (
    CustomerFactory,
    PropertyFactory,
    UnitFactory,
    WorkOrderFactory,
    WorkOrderLineFactory,
)


def test_staff_signs_in_and_browses_customers_in_chromium(
    app, live_server, page, csp_problems, make_staff
):
    make_staff("dispatcher", email="dana@polarbear.test", name="Dana Dispatcher")
    with app.app_context():
        CustomerFactory(name="Harbor View Apartments")

    sign_in_as(page, live_server, "dana@polarbear.test", "/admin/customer/")
    assert "Harbor View Apartments" in page.inner_text("table.model-list")
    assert "Dana Dispatcher" in page.inner_text("nav")

    page.click("text=Sign out")
    page.wait_for_url(f"{live_server}/login")
    page.goto(f"{live_server}/admin/customer/")
    assert page.url.startswith(f"{live_server}/login")
    assert csp_problems == [], csp_problems


def test_the_compliance_report_finds_the_customer_as_you_type_and_lists_its_sites(
    app, live_server, page, csp_problems, make_staff
):
    max_id = make_staff("manager", email="max@polarbear.test")
    with app.app_context():
        bistro = CustomerFactory(name="Bistro Verde", kind=CustomerKind.COMMERCIAL)
        UnitFactory(property=PropertyFactory(customer=bistro, name="Downtown kitchen"))
        UnitFactory(property__name="Someone else's site")

    open_signed_in(app, page, live_server, max_id, "/admin/compliance-report/")

    page.click("#s2id_customer_id")
    page.keyboard.type("Bist")
    page.click(".select2-result-label >> text=Bistro Verde")
    page.wait_for_selector("#property_id >> text=Downtown kitchen", state="attached")
    assert "Someone else" not in page.inner_text("#property_id")
    assert "Bistro Verde" in page.inner_text("#s2id_customer_id")
    assert csp_problems == [], csp_problems


def test_editing_only_a_work_orders_summary_keeps_its_status_priority_and_technician(
    app, live_server, page, csp_problems, make_staff, screenshot
):
    dana = make_staff("dispatcher", email="dana@polarbear.test")
    technician_id = make_staff("technician", name="Terry Tech")
    with app.app_context():
        order = WorkOrderFactory(
            status=WorkOrderStatus.SCHEDULED,
            priority=Priority.HIGH,
            technician=db.session.get(StaffUser, technician_id),
        )
        WorkOrderLineFactory(work_order=order, kind=LineKind.PART, quantity=Decimal("2.50"))
        order_id = order.id

    open_signed_in(app, page, live_server, dana, f"/admin/workorder/edit/?id={order_id}")
    page.fill("input[name=summary]", "Upstairs still warm after filter change")
    page.click("input[type=submit][value=Save]")
    page.wait_for_url(f"{live_server}/admin/workorder/")
    screenshot("list-after-save")

    with app.app_context():
        order = db.session.get(WorkOrder, order_id)
        assert order.summary == "Upstairs still warm after filter change"
        assert (order.status, order.priority) == (WorkOrderStatus.SCHEDULED, Priority.HIGH)
        assert order.technician_id == technician_id
        assert (order.lines[0].kind, order.lines[0].quantity) == (LineKind.PART, Decimal("2.50"))
    assert csp_problems == [], csp_problems


def test_saving_a_staff_members_name_keeps_their_role(
    app, live_server, page, csp_problems, make_staff
):
    ada = make_staff("admin", email="ada@polarbear.test")
    manager_id = make_staff("manager", name="Morgan Manager", email="morgan@polarbear.com")

    open_signed_in(app, page, live_server, ada, f"/admin/staffuser/edit/?id={manager_id}")
    page.fill("input[name=name]", "Morgan Lee")
    page.click("input[type=submit][value=Save]")
    page.wait_for_url(f"{live_server}/admin/staffuser/")

    with app.app_context():
        manager = db.session.get(StaffUser, manager_id)
        assert (manager.name, manager.role) == ("Morgan Lee", StaffRole.MANAGER)
    assert csp_problems == [], csp_problems
