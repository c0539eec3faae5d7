"""The price book: the office keeps it, technicians look prices up in it."""

from sqlalchemy import select

from app.extensions import db
from app.models import CompanySettings, PriceBookItem
from app.models.enums import LineKind
from tests.browser_forms import form_on


def _item(**fields) -> int:
    values = {
        "code": "CAP-45-5",
        "description": "Dual run capacitor 45/5 µF",
        "kind": LineKind.PART,
        "price_cents": 14500,
        **fields,
    }
    item = PriceBookItem(**values)
    db.session.add(item)
    db.session.commit()
    return item.id


def test_the_office_adds_an_item_typed_in_dollars_and_finds_it_by_code_or_words(
    app, client, login_as
):
    login_as("dispatcher")
    form = form_on(client.get("/admin/pricebookitem/new/"), "form.admin-form")
    assert form.options["kind"] == ["labor", "part", "equipment", "fee", "discount"]
    form["code"] = " cont-2p30 "
    form["description"] = "Contactor, 2-pole 30 A"
    form["kind"] = "part"
    form["price_cents"] = "165.00"
    assert form.submit(client).status_code == 302

    with app.app_context():
        item = db.session.scalars(select(PriceBookItem)).one()
        assert (item.code, item.kind, item.price_cents) == ("CONT-2P30", LineKind.PART, 16500)
        assert item.taxable and item.active  # the form starts them ticked
    for search in ("cont-2p", "2-pole"):
        listed = client.get(f"/admin/pricebookitem/?search={search}").get_data(as_text=True)
        assert "Contactor, 2-pole 30 A" in listed
        assert "$165.00" in listed and "Part" in listed
    nothing = client.get("/admin/pricebookitem/?search=furnace").get_data(as_text=True)
    assert "Contactor" not in nothing


def test_only_a_discount_costs_less_than_nothing(app, client, login_as):
    login_as("manager")
    form = form_on(client.get("/admin/pricebookitem/new/"), "form.admin-form")
    form["code"] = "DISC-PLAN"
    form["description"] = "Plan member discount"
    form["kind"] = "fee"
    form["price_cents"] = "-25.00"
    page = form.submit(client).get_data(as_text=True)
    assert "Only a discount has a price below zero." in page
    with app.app_context():
        assert db.session.scalars(select(PriceBookItem)).all() == []

    form = form_on(page, "form.admin-form", url="http://localhost/admin/pricebookitem/new/")
    assert form["price_cents"] == "-25.00"  # what was typed is kept
    form["kind"] = "discount"
    assert form.submit(client).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(PriceBookItem.price_cents)).all() == [-2500]


def test_a_code_taken_twice_is_refused_with_a_message(app, client, login_as):
    with app.app_context():
        _item()
    login_as("admin")
    form = form_on(client.get("/admin/pricebookitem/new/"), "form.admin-form")
    form["code"] = "cap-45-5"
    form["description"] = "Another capacitor"
    form["price_cents"] = "99"
    page = form.submit(client)
    assert page.status_code == 200
    assert "conflicts with other records" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(PriceBookItem.description)).all() == [
            "Dual run capacitor 45/5 µF"
        ]


def test_technicians_read_prices_but_do_not_change_the_book(app, client, login_as):
    with app.app_context():
        item_id = _item()
    login_as("technician")
    listed = client.get("/admin/pricebookitem/").get_data(as_text=True)
    assert "Dual run capacitor 45/5 µF" in listed and "$145.00" in listed
    assert "/admin/pricebookitem/new/" not in listed
    assert client.get("/admin/pricebookitem/new/").status_code in (302, 403)
    edit = client.get(f"/admin/pricebookitem/edit/?id={item_id}")
    assert edit.status_code in (302, 403)
    with app.app_context():
        assert db.session.get(PriceBookItem, item_id).price_cents == 14500


def test_company_settings_start_with_book_prices_for_technicians_and_free_lines_allowed(app):
    with app.app_context():
        settings = CompanySettings(name="Polar Bear")
        db.session.add(settings)
        db.session.flush()
        assert settings.technicians_may_price is False
        assert settings.free_lines_allowed is True
        db.session.rollback()


def test_the_spanish_back_office_names_the_price_book_and_its_columns(app, client, login_as):
    with app.app_context():
        _item()
    login_as("dispatcher")
    page = client.get("/admin/pricebookitem/", headers={"Accept-Language": "es"})
    text = page.get_data(as_text=True)
    for words in ("Lista de precios", "Código", "Precio ($)", "Gravable", "Se ofrece", "Pieza"):
        assert words in text, words
