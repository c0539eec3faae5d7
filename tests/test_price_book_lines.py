"""Work-order lines chosen from the price book, as the office and technicians record them."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import PriceBookItem, WorkOrderLine
from app.models.enums import LineKind
from tests.browser_forms import form_on
from tests.factories import CompanySettingsFactory, WorkOrderFactory


def _setup(technician_id=None, **company) -> tuple[int, int, int]:
    """A company with these settings, a work order (the technician's) with one free line, and
    two price book items; (work order id, capacitor id, refrigerant id)."""
    CompanySettingsFactory(**company)
    capacitor = PriceBookItem(
        code="CAP-45-5", description="Dual run capacitor 45/5 µF", kind=LineKind.PART,
        price_cents=14500,
    )  # fmt: skip
    gas = PriceBookItem(
        code="R410A-LB", description="Refrigerant R-410A, per lb", kind=LineKind.PART,
        price_cents=9500,
    )  # fmt: skip
    work_order = WorkOrderFactory(technician_id=technician_id)
    work_order.lines = [
        WorkOrderLine(
            position=1, kind=LineKind.LABOR, description="Diagnose no cooling",
            quantity=Decimal(1), unit_price_cents=12900,
        )
    ]  # fmt: skip
    db.session.add_all([capacitor, gas])
    db.session.commit()
    return work_order.id, capacitor.id, gas.id


def _edit(client, wo_id):
    url = f"/admin/workorder/edit/?id={wo_id}"
    opened = client.get(url)
    return opened.get_data(as_text=True), form_on(
        opened, "form.admin-form", url=f"http://localhost{url}"
    )


def _lines(wo_id) -> list[tuple]:
    lines = db.session.scalars(
        select(WorkOrderLine).where(WorkOrderLine.work_order_id == wo_id).order_by("position")
    )
    return [(line.description, line.kind, line.quantity, line.unit_price_cents) for line in lines]


def test_the_office_picks_a_book_item_and_the_line_takes_its_words_kind_and_price(
    app, client, login_as
):
    login_as("dispatcher")
    with app.app_context():
        wo_id, capacitor_id, gas_id = _setup()
    page, form = _edit(client, wo_id)
    assert "Price book item" in page
    assert str(capacitor_id) in form.options["lines-0-price_book_item"]
    form.add_inline_row("lines", 1, position="2", price_book_item=str(gas_id), quantity="2.5")
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert _lines(wo_id)[1] == (
            "Refrigerant R-410A, per lb",
            LineKind.PART,
            Decimal("2.50"),
            9500,
        )

    # Opening and saving unchanged keeps the line; the office may then set its own price.
    page, form = _edit(client, wo_id)
    assert form["lines-1-price_book_item"] == str(gas_id)
    assert form.submit(client).status_code == 302
    page, form = _edit(client, wo_id)
    form["lines-1-unit_price_cents"] = "90.00"
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert _lines(wo_id)[1][3] == 9000
        # Later book changes do not reach lines already recorded.
        db.session.get(PriceBookItem, gas_id).price_cents = 11000
        db.session.commit()
    _, form = _edit(client, wo_id)
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert _lines(wo_id)[1][3] == 9000


def test_a_technician_takes_the_book_price_whatever_price_is_posted(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        wo_id, capacitor_id, _ = _setup(technician_id=me)
    page, form = _edit(client, wo_id)
    assert "unit_price_cents" not in page  # no price to type
    form.add_inline_row(
        "lines",
        1,
        position="2",
        price_book_item=str(capacitor_id),
        description="Replaced capacitor",
    )
    form.tamper("lines-1-unit_price_cents", "1.00")
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert _lines(wo_id) == [
            ("Diagnose no cooling", LineKind.LABOR, Decimal("1.00"), 12900),
            ("Replaced capacitor", LineKind.PART, Decimal("1.00"), 14500),
        ]


def test_a_technician_may_price_lines_when_the_company_allows_it(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        wo_id, capacitor_id, _ = _setup(technician_id=me, technicians_may_price=True)
    page, form = _edit(client, wo_id)
    assert 'name="lines-0-unit_price_cents"' in page and "Unit price ($)" in page
    form.add_inline_row(
        "lines", 1, position="2", price_book_item=str(capacitor_id), unit_price_cents="130.00"
    )
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert _lines(wo_id)[1] == (
            "Dual run capacitor 45/5 µF",
            LineKind.PART,
            Decimal("1.00"),
            13000,
        )
    details = client.get(f"/admin/workorder/details/?id={wo_id}").get_data(as_text=True)
    assert "$130.00" in details


@pytest.mark.parametrize("role", ["dispatcher", "technician"])
def test_free_lines_are_refused_when_the_company_allows_only_the_book(app, client, login_as, role):
    me = login_as(role)
    with app.app_context():
        wo_id, capacitor_id, _ = _setup(
            technician_id=me if role == "technician" else None, free_lines_allowed=False
        )
    page, form = _edit(client, wo_id)
    form.add_inline_row("lines", 1, position="2", kind="part", description="Capacitor from the van")
    answer = form.submit(client)
    assert answer.status_code == 200
    assert "Choose every line from the price book." in answer.get_data(as_text=True)
    with app.app_context():
        assert [line[0] for line in _lines(wo_id)] == ["Diagnose no cooling"]

    # The free line recorded before the rule stays; a line from the book is fine.
    page, form = _edit(client, wo_id)
    form.add_inline_row("lines", 1, position="2", price_book_item=str(capacitor_id))
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert [line[0] for line in _lines(wo_id)] == [
            "Diagnose no cooling",
            "Dual run capacitor 45/5 µF",
        ]


@pytest.mark.parametrize("role", ["dispatcher", "technician"])
def test_a_free_line_needs_words(app, client, login_as, role):
    me = login_as(role)
    with app.app_context():
        wo_id, _, _ = _setup(technician_id=me if role == "technician" else None)
    page, form = _edit(client, wo_id)
    form.add_inline_row("lines", 1, position="2", description="   ")
    answer = form.submit(client)
    assert "Describe each line, or choose it from the price book." in answer.get_data(as_text=True)
    with app.app_context():
        assert len(_lines(wo_id)) == 1
