"""The price book in Chromium: the office picks a work-order line from it by typing."""

from app.extensions import db
from app.models import PriceBookItem, WorkOrder
from app.models.enums import LineKind
from tests.browser_helpers import open_signed_in
from tests.factories import WorkOrderFactory


def test_the_office_finds_a_book_item_as_it_types_and_the_line_takes_its_price(
    app, live_server, page, csp_problems, make_staff, screenshot
):
    dana = make_staff("dispatcher", email="dana@polarbear.test")
    with app.app_context():
        db.session.add_all(
            [
                PriceBookItem(
                    code="CAP-45-5", description="Dual run capacitor 45/5 µF",
                    kind=LineKind.PART, price_cents=14500,
                ),
                PriceBookItem(
                    code="DIAG", description="Service call and diagnostic",
                    kind=LineKind.FEE, price_cents=8900, taxable=False,
                ),
            ]
        )  # fmt: skip
        order_id = WorkOrderFactory().id
        db.session.commit()

    open_signed_in(app, page, live_server, dana, "/admin/pricebookitem/")
    listed = page.inner_text("table.model-list")
    assert "Dual run capacitor 45/5 µF" in listed and "$145.00" in listed and "Part" in listed
    screenshot("price-book-list")

    page.goto(f"{live_server}/admin/workorder/edit/?id={order_id}")
    page.click("#lines-button")
    page.click("#s2id_lines-0-price_book_item")
    page.keyboard.type("capac")
    page.click(".select2-result-label >> text=Dual run capacitor")
    screenshot("work-order-line-from-the-book")
    page.click("input[type=submit][value=Save]")
    page.wait_for_url(f"{live_server}/admin/workorder/")

    page.goto(f"{live_server}/admin/workorder/details/?id={order_id}")
    lines = page.inner_text("table.line-items")
    assert "Dual run capacitor 45/5 µF" in lines and "$145.00" in lines
    with app.app_context():
        (line,) = db.session.get(WorkOrder, order_id).lines
        assert (line.kind, line.unit_price_cents) == (LineKind.PART, 14500)
    assert csp_problems == [], csp_problems
