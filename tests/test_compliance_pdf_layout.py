"""The EPA compliance PDF prints no text over other text: every table cell's words stay in
their cell (a long certification number or leak location wraps instead of running into the
next column), and nothing is printed off the page.

The words' positions are read back from the PDF with poppler's `pdftotext -bbox-layout`
(tests/pdf_words.py). Before this check the demo's largest report had 16 word boxes of the
certification column printed over the leak location.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Customer, Property, RefrigerantEvent, Unit
from app.services.company import local_today
from reports.compliance_job import compliance_report
from tests.pdf_words import clashes, off_the_page, pdf_words


@pytest.fixture
def demo(app, seeded_demo):
    with app.app_context():
        yield
        db.session.rollback()


def _customers_with_refrigerant_records() -> list[int]:
    return list(
        db.session.scalars(
            select(Customer.id)
            .join(Property, Property.customer_id == Customer.id)
            .join(Unit, Unit.property_id == Property.id)
            .join(RefrigerantEvent, RefrigerantEvent.unit_id == Unit.id)
            .group_by(Customer.id)
            .order_by(func.count().desc())
        )
    )


def _report(customer_id: int) -> bytes:
    today = local_today()
    period = {"date_from": (today - timedelta(days=700)).isoformat(), "date_to": today.isoformat()}
    return compliance_report({"customer_id": customer_id, **period}).pdf


def _described(pairs) -> list[str]:
    return [f"p{a.page}: {a.text!r} over {b.text!r}" for a, b in pairs]


def test_no_words_overprint_in_the_demos_reports(demo):
    customers = _customers_with_refrigerant_records()
    assert len(customers) >= 3
    for customer_id in customers:
        pdf = _report(customer_id)
        assert _described(clashes(pdf)) == [], customer_id
        assert off_the_page(pdf) == [], customer_id


def test_long_certification_numbers_and_locations_wrap_inside_their_cells(demo):
    """The longest values the columns hold (40 characters without a space) still stay in
    their cells, beside full neighbours."""
    customer_id = _customers_with_refrigerant_records()[0]
    db.session.execute(
        update(RefrigerantEvent).values(
            certification_number="ESCO-608-UNIVERSAL-0000000000123456789",
            leak_location="Evaporator-coil-return-bend-at-the-TXV-bulb-strap-behind-the-panel",
        )
    )
    db.session.flush()
    pdf = _report(customer_id)
    words, _ = pdf_words(pdf)
    assert any("ESCO-608" in w.text for w in words)  # the value is printed...
    assert _described(clashes(pdf)) == []  # ...and wraps instead of overprinting
    assert off_the_page(pdf) == []
