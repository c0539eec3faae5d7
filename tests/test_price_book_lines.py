"""Work-order lines chosen from the price book, as the office and technicians record them."""

from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select

from app.extensions import db
from app.models import AuditEvent, PriceBookItem, WorkOrder, WorkOrderLine
from app.models.enums import LineKind
from app.services.price_book import LineError, price_lines
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


def _retire(item_id: int) -> None:
    db.session.get(PriceBookItem, item_id).active = False
    db.session.commit()


def _saved_state(wo_id) -> tuple:
    """Every column of the work order's lines, and how many updates the audit trail holds."""
    lines = db.session.scalars(
        select(WorkOrderLine).where(WorkOrderLine.work_order_id == wo_id).order_by("position")
    )
    columns = inspect(WorkOrderLine).column_attrs
    updates = select(func.count()).where(AuditEvent.action == "update")
    return (
        [{c.key: getattr(line, c.key) for c in columns} for line in lines],
        db.session.scalar(updates),
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


def test_a_new_line_is_offered_only_the_items_still_in_the_book(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        wo_id, capacitor_id, gas_id = _setup()
        _retire(capacitor_id)
    for page in (f"/admin/workorder/edit/?id={wo_id}", "/admin/workorder/new/"):
        form = form_on(client.get(page), "form.admin-form")
        offered = form.new_row_options("lines")["price_book_item"]
        assert str(gas_id) in offered and str(capacitor_id) not in offered, page
    _, form = _edit(client, wo_id)
    assert str(capacitor_id) not in form.options["lines-0-price_book_item"]  # a free line


@pytest.mark.parametrize("role", ["dispatcher", "technician"])
def test_a_retired_item_posted_for_a_new_line_is_refused(app, client, login_as, role):
    me = login_as(role)
    with app.app_context():
        wo_id, capacitor_id, _ = _setup(technician_id=me if role == "technician" else None)
        _retire(capacitor_id)
        before = _saved_state(wo_id)
    _, form = _edit(client, wo_id)
    form.add_inline_row("lines", 1, position="2", description="Capacitor from the van")
    form.tamper("lines-1-price_book_item", str(capacitor_id))  # as offered before it retired
    answer = form.submit(client)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "That item is no longer in the price book; choose another." in page
    with app.app_context():
        assert _saved_state(wo_id) == before


def test_a_line_keeps_its_item_once_retired_and_an_unchanged_save_keeps_the_line(
    app, client, login_as
):
    login_as("dispatcher")
    with app.app_context():
        wo_id, capacitor_id, gas_id = _setup()
    _, form = _edit(client, wo_id)
    form.add_inline_row(
        "lines",
        1,
        position="2",
        price_book_item=str(capacitor_id),
        description="Replaced capacitor",
        unit_price_cents="130.00",
    )
    assert form.submit(client).status_code == 302
    with app.app_context():
        _retire(capacitor_id)
        db.session.get(PriceBookItem, capacitor_id).price_cents = 16000
        db.session.commit()
        before = _saved_state(wo_id)
        assert before[0][1]["price_book_item_id"] == capacitor_id

    _, form = _edit(client, wo_id)
    assert form["lines-1-price_book_item"] == str(capacitor_id)
    assert str(gas_id) in form.options["lines-1-price_book_item"]
    assert str(capacitor_id) not in form.options["lines-0-price_book_item"]
    assert str(capacitor_id) not in form.new_row_options("lines")["price_book_item"]
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert _saved_state(wo_id) == before


def test_the_pricing_service_refuses_a_retired_item_for_a_new_line_only(app):
    with app.app_context():
        wo_id, capacitor_id, _ = _setup()
        work_order = db.session.get(WorkOrder, wo_id)
        capacitor = db.session.get(PriceBookItem, capacitor_id)
        work_order.lines.append(WorkOrderLine(position=2, price_book_item=capacitor, quantity=1))
        price_lines(work_order, may_price=True)
        db.session.commit()
        _retire(capacitor_id)

        price_lines(work_order, may_price=True)  # the line that has it keeps it
        work_order.lines.append(WorkOrderLine(position=3, price_book_item=capacitor, quantity=1))
        with pytest.raises(LineError, match="no longer in the price book"):
            price_lines(work_order, may_price=True)
        db.session.rollback()
