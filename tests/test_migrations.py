"""`flask db upgrade` builds the schema from empty, and the models match the migrations."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app import create_app
from app.extensions import db
from app.models import NumberSequence


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(empty_database_url):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == [], "models and migrations disagree; run `flask db migrate`"
        series = db.session.scalars(select(NumberSequence.name)).all()
        assert sorted(series) == ["INV", "Q", "SR", "WO"]
        db.session.remove()

        downgrade(revision="base")
        with db.engine.connect() as connection:
            tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


# A customer (id 1) with one property (id 1), in the columns of the revisions the tests start at.
CUSTOMER_AT_HOME = (
    "INSERT INTO customers (id, name, kind, email, phone, billing_address, notes,"
    " created_at) VALUES (1, 'Kept', 'residential', '', '', '', '', '2026-01-01')",
    "INSERT INTO properties (id, customer_id, name, address_line1, address_line2,"
    " city, state, postal_code, access_notes, created_at)"
    " VALUES (1, 1, 'Home', '1 Main', '', 'X', 'IL', '1', '', '2026-01-01')",
)


def _upgrade_with_rows(revision: str, *statements: str) -> None:
    """Upgrade to `revision`, write a customer at home and `statements` there, then upgrade
    to the newest revision."""
    upgrade(revision=revision)
    with db.engine.begin() as connection:
        for statement in (*CUSTOMER_AT_HOME, *statements):
            connection.execute(text(statement))
    upgrade()


FIRST_REVISION = "e39a9fbb0329"


def test_upgrading_a_database_with_data_keeps_its_rows(empty_database_url):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        _upgrade_with_rows(
            FIRST_REVISION,
            "INSERT INTO service_requests (id, number, source, status, customer_id,"
            " property_id, contact_name, contact_phone, contact_email, description,"
            " preferred_window, report_count, dismissed_reason, created_at) VALUES (1,"
            " 'SR-000001', 'phone', 'converted', 1, 1, 'Ann', '555', '', 'Cold', 'any', 1,"
            " '', '2026-01-01')",
            "INSERT INTO work_orders (id, number, customer_id, property_id,"
            " service_request_id, status, priority, summary, description, signed_off_by,"
            " created_at) VALUES (1, 'WO-000001', 1, 1, 1, 'new', 'normal', 'Fix', '', '',"
            " '2026-01-01')",
            "INSERT INTO units (id, property_id, name, kind, manufacturer, model_number,"
            " serial_number, refrigerant_type, notes, label_code, created_at) VALUES (1, 1,"
            " 'RTU', 'rooftop_unit', '', '', '', 'R-410A', '', 'ABCDEFGH1', '2026-01-01')",
            "INSERT INTO refrigerant_events (id, unit_id, kind, occurred_at, refrigerant_type,"
            " pounds_added, pounds_removed, certification_number, leak_location, notes,"
            " created_at) VALUES (1, 1, 'verification_test', '2026-01-02', 'R-410A', 0, 0,"
            " '', '', '', '2026-01-02')",
        )
        with db.engine.connect() as connection:
            kept = connection.execute(
                text("SELECT service_request_id FROM work_orders WHERE id = 1")
            ).scalar()
            kind = connection.execute(text("SELECT kind FROM refrigerant_events")).scalar()
        assert kept == 1
        assert kind == "initial_verification"  # the one old test kind, mapped forward
        db.session.remove()
        db.engine.dispose()


VISITS_REVISION = "9ecaa478b78b"


def test_scheduled_work_orders_become_visits_and_the_old_columns_go(empty_database_url):
    """Each work order's scheduled start and end become its first visit (status from the work
    order, its technician leading); one without a time gets none; a downgrade puts them back."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        _upgrade_with_rows(
            f"{VISITS_REVISION}-1",
            "INSERT INTO staff_users (id, email, name, phone, role, password_hash,"
            " epa_certification_number, active, created_at) VALUES (7, 't@x.test', 'Tess',"
            " '', 'technician', '', '', true, '2026-01-01')",
            "INSERT INTO work_orders (id, number, customer_id, property_id, technician_id,"
            " status, priority, summary, description, signed_off_by, contact_name,"
            " contact_phone, scheduled_start, scheduled_end, created_at) VALUES"
            " (1, 'WO-000001', 1, 1, 7, 'scheduled', 'normal', 'Tune-up', '', '', '', '',"
            " '2026-03-04 14:00:00', '2026-03-04 16:00:00', '2026-01-01'),"
            " (2, 'WO-000002', 1, 1, NULL, 'completed', 'normal', 'Fixed', '', '', '', '',"
            " '2026-02-01 15:00:00', NULL, '2026-01-01'),"
            " (3, 'WO-000003', 1, 1, NULL, 'new', 'normal', 'Not yet', '', '', '', '',"
            " NULL, NULL, '2026-01-01')",
        )
        with db.engine.connect() as connection:
            visits = connection.execute(
                text(
                    "SELECT work_order_id, lead_technician_id, status, arrival_start,"
                    " arrival_end, calendar_uid FROM visits ORDER BY work_order_id"
                )
            ).all()
            changes = connection.execute(
                text("SELECT visit_id, status FROM visit_status_changes ORDER BY visit_id")
            ).all()
            columns = {c["name"] for c in db.inspect(connection).get_columns("work_orders")}
        utc = [(str(v.arrival_start)[:16], str(v.arrival_end)[:16]) for v in visits]
        assert [(v.work_order_id, v.lead_technician_id, v.status) for v in visits] == [
            (1, 7, "scheduled"),
            (2, None, "done"),
        ]
        assert utc == [
            ("2026-03-04 14:00", "2026-03-04 16:00"),
            ("2026-02-01 15:00", "2026-02-01 17:00"),
        ]
        assert len({v.calendar_uid for v in visits}) == 2
        assert [tuple(c) for c in changes] == [(1, "scheduled"), (2, "done")]
        assert not {"scheduled_start", "scheduled_end"} & columns

        db.session.remove()
        downgrade(revision=f"{VISITS_REVISION}-1")
        with db.engine.connect() as connection:
            back = connection.execute(
                text("SELECT id, scheduled_start FROM work_orders ORDER BY id")
            ).all()
        assert [
            (row.id, str(row.scheduled_start)[:16] if row.scheduled_start else None) for row in back
        ] == [
            (1, "2026-03-04 14:00"),
            (2, "2026-02-01 15:00"),
            (3, None),
        ]
        db.session.remove()
        db.engine.dispose()
