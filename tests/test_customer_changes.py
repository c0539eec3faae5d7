"""Every committed write to a customer's rows moves that customer's `portal_version`, and only
theirs (app/customer_changes.py): the promise portal/kept_pages.py keeps its pages on."""

from datetime import UTC, datetime

from sqlalchemy import select

from app.customer_changes import _belongs_to_customers
from app.extensions import db
from app.models import Customer, Document, Invoice, Message, Visit, WorkOrder
from app.models.enums import InvoiceStatus, MessageDirection
from app.services.messages import mark_read_by_customer
from tests import factories as f


def _versions(*customer_ids) -> list[int]:
    rows = dict(
        db.session.execute(
            select(Customer.id, Customer.portal_version).where(Customer.id.in_(customer_ids))
        ).all()
    )
    return [rows[customer_id] for customer_id in customer_ids]


def _two_customers():
    mine, theirs = f.PropertyFactory(), f.PropertyFactory()
    return mine, theirs, mine.customer_id, theirs.customer_id


def test_writes_to_rows_one_or_more_hops_from_a_customer_move_only_that_customers_version(app):
    with app.app_context():
        mine, _theirs, me, them = _two_customers()
        order = f.WorkOrderFactory(property=mine, visit_at=None)
        invoice = f.InvoiceFactory(customer=mine.customer, property_id=mine.id)
        before = _versions(me, them)

        start = datetime(2027, 1, 5, 15, tzinfo=UTC)
        db.session.add(Visit(work_order_id=order.id, arrival_start=start, arrival_end=start))
        db.session.commit()  # two hops: visits → work_orders → customers
        after_visit = _versions(me, them)

        db.session.get(Invoice, invoice.id).status = InvoiceStatus.VOID
        db.session.commit()
        after_update = _versions(me, them)

        db.session.delete(db.session.scalar(select(Visit).where(Visit.arrival_start == start)))
        db.session.commit()
        after_delete = _versions(me, them)

    assert after_visit[0] > before[0] and after_visit[1] == before[1]
    assert after_update[0] > after_visit[0] and after_update[1] == before[1]
    assert after_delete[0] > after_update[0] and after_delete[1] == before[1]


def test_a_row_moved_to_another_customer_moves_both(app):
    with app.app_context():
        mine, theirs, me, them = _two_customers()
        order = f.WorkOrderFactory(property=mine, visit_at=None)
        before = _versions(me, them)
        moved = db.session.get(WorkOrder, order.id)
        moved.customer_id, moved.property_id = them, theirs.id
        db.session.commit()
        assert [a > b for a, b in zip(_versions(me, them), before, strict=True)] == [True, True]


def test_update_statements_move_the_versions_of_the_rows_they_touch(app):
    with app.app_context():
        mine, _theirs, me, them = _two_customers()
        f.MessageFactory(customer=mine.customer, direction=MessageDirection.FROM_OFFICE)
        before = _versions(me, them)
        mark_read_by_customer(me, [m.id for m in db.session.scalars(select(Message))])
        db.session.commit()
        after = _versions(me, them)
    assert after[0] == before[0] + 1 and after[1] == before[1]


def test_a_rolled_back_write_and_a_write_to_staff_move_nothing(app):
    with app.app_context():
        mine, _theirs, me, them = _two_customers()
        f.DocumentFactory(customer=mine.customer)
        before = _versions(me, them)
        db.session.get(Document, db.session.scalar(select(Document.id))).title = "Never"
        db.session.flush()
        db.session.rollback()
        db.session.commit()
        f.StaffUserFactory(name="New technician")
        assert _versions(me, them) == before


def test_a_write_on_a_connection_in_autocommit_moves_the_version_at_once(app):
    """A portal page that only shows runs in autocommit (app/transactions.py); its one write,
    marking office answers read, stands at once, and so does the version it moves."""
    with app.app_context():
        mine, _theirs, me, _them = _two_customers()
        f.MessageFactory(customer=mine.customer, direction=MessageDirection.FROM_OFFICE)
        before = _versions(me)[0]
        db.session.commit()  # a new request's session: no connection yet
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        mark_read_by_customer(me, [m.id for m in db.session.scalars(select(Message))])
        db.session.rollback()  # nothing to undo: autocommit
        with db.engine.connect() as other:
            seen = other.scalar(select(Customer.portal_version).where(Customer.id == me))
    assert seen == before + 1


def test_every_table_the_portal_shows_is_traced_to_its_customer():
    traced = {
        "properties", "units", "work_orders", "visits", "visit_helpers", "work_order_lines",
        "work_order_notes", "work_order_photos", "work_order_sign_offs", "invoices",
        "invoice_lines", "payments", "checkout_sessions", "quotes", "quote_lines", "documents",
        "messages", "service_requests", "service_request_photos", "refrigerant_events",
        "repair_episodes", "compliance_obligations", "charge_revisions", "portal_users",
        "sign_ins", "appointment_email_opt_outs",
    }  # fmt: skip
    assert {name for name in traced if not _belongs_to_customers(name)} == set()
    assert not _belongs_to_customers("staff_users")
    assert not _belongs_to_customers("company_settings")
