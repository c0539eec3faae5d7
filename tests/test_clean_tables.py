"""The tables are emptied after a test only when something wrote: reads leave them alone, and
a write from any engine or thread in this process counts. The seeded demo is kept for the
tests that read it until something writes."""

import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models import Customer
from tests import factories as f
from tests.clean_tables import empty_tables_if_written, kept_demo


def _customers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Customer.id)))


def test_reads_leave_the_tables_alone(app):
    with app.app_context():
        empty_tables_if_written()  # whatever an earlier test left
        assert _customers(app) == 0
        assert not empty_tables_if_written()


def test_a_write_from_another_thread_empties_the_tables(app):
    with app.app_context():
        empty_tables_if_written()

    def write():
        with app.app_context():
            f.CustomerFactory()
            db.session.remove()

    writer = threading.Thread(target=write)
    writer.start()
    writer.join()
    assert _customers(app) == 1
    with app.app_context():
        assert empty_tables_if_written()
    assert _customers(app) == 0


def test_a_write_through_another_app_empties_the_tables(app, make_app):
    with app.app_context():
        empty_tables_if_written()
    with make_app().app_context():
        f.CustomerFactory()
        db.session.remove()
    with app.app_context():
        assert empty_tables_if_written()
    assert _customers(app) == 0


def test_the_demo_is_kept_for_the_tests_that_read_it(app, seeded_demo):
    assert kept_demo() == seeded_demo and "work orders" in seeded_demo
    assert _customers(app) > 0


def test_a_test_without_the_demo_starts_empty(app):
    """Runs after the test above, which left the demo in the tables."""
    assert kept_demo() is None and _customers(app) == 0


def test_the_demo_is_forgotten_once_something_writes(app, seeded_demo):
    assert _customers(app) > 0
    with app.app_context():
        assert not empty_tables_if_written()
        assert kept_demo() == seeded_demo
        f.CustomerFactory()
        assert empty_tables_if_written()
    assert kept_demo() is None and _customers(app) == 0
