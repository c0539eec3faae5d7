"""Quote options: add-ons the customer may tick, alternatives of which they pick one, and the
totals of what they pick (stored totals are the preselected configuration)."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Quote
from app.models.billing import priced
from app.services.quote_errors import QuoteError
from app.services.quotes import preselection, select_lines
from tests import factories as f
from tests.quote_helpers import hvac_quote, line_id


@pytest.fixture
def quote(app_ctx):
    f.CompanySettingsFactory()
    return hvac_quote()


def test_stored_totals_are_the_required_lines_and_the_first_of_each_group(quote):
    assert [line.description for line in preselection(quote).lines] == [
        "Installation labor",
        "Mechanical permit",
        "Good: 14 SEER heat pump",
    ]
    assert (quote.subtotal_cents, quote.tax_cents, quote.total_cents) == (561700, 46340, 608040)


def test_a_choice_prices_the_alternative_and_the_add_ons_it_names(quote):
    better = line_id(quote, "Better: 16 SEER two-stage heat pump")
    thermostat = line_id(quote, "Smart Wi-Fi thermostat")
    selection = select_lines(quote, [str(better), str(thermostat)])
    assert [line.id for line in selection.lines if not line.is_required] == [better, thermostat]
    # $1,032 + $85 + $5,800 + $245 = $7,162.00; 8.25% = $590.865, rounded half-up.
    assert selection.totals.subtotal_cents == 716200
    assert selection.totals.tax_cents == 59087
    assert selection.totals.total_cents == 775287
    assert selection.totals == priced(selection.lines, Decimal("8.250"))


def test_required_lines_are_always_included_whether_named_or_not(quote):
    good = line_id(quote, "Good: 14 SEER heat pump")
    labor = line_id(quote, "Installation labor")
    assert select_lines(quote, [good]).totals == select_lines(quote, [good, labor]).totals


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ([], "Choose one of the options for “System”."),
        (
            ["Good: 14 SEER heat pump", "Best: variable-speed heat pump"],
            "Choose only one of the options for “System”.",
        ),
        (["Good: 14 SEER heat pump", "twelve"], "We could not read your choices."),
    ],
)
def test_a_choice_needs_exactly_one_alternative_per_group(quote, chosen, message):
    ids = [line_id(quote, text) if text != "twelve" else text for text in chosen]
    with pytest.raises(QuoteError, match=message):
        select_lines(quote, ids)


def test_add_ons_come_only_from_this_quote(quote):
    other = hvac_quote()
    stranger = line_id(other, "Smart Wi-Fi thermostat")
    with pytest.raises(QuoteError, match="not on this quote"):
        select_lines(quote, [line_id(quote, "Good: 14 SEER heat pump"), stranger])


def test_the_admin_line_editor_offers_add_ons_and_choice_groups(app, client, login_as):
    login_as("manager")
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory()
        prop_id, customer_id = f.PropertyFactory(customer=customer).id, customer.id
    page = client.get("/admin/quote/new/").data.decode()
    # The inline line form is a template (escaped in an attribute) until a line is added.
    assert "name=&#34;optional&#34;" in page and "name=&#34;option_group&#34;" in page
    assert "Choice group" in page and "Add-on" in page

    def line(n, description, cents, group="", optional=False):
        fields = {
            f"lines-{n}-description": description,
            f"lines-{n}-kind": "equipment",
            f"lines-{n}-quantity": "1",
            f"lines-{n}-unit_price_cents": cents,
            f"lines-{n}-position": str(n),
            f"lines-{n}-option_group": group,
        }
        if optional:
            fields[f"lines-{n}-optional"] = "y"
        return fields

    form = {
        "customer": customer_id,
        "property": prop_id,
        "status": "draft",
        "title": "New furnace",
        **line(0, "Furnace, 80%", "3000.00", " Furnace "),
        **line(1, "Furnace, 96%", "4200.00", "Furnace"),
        **line(2, "Humidifier", "545.00", optional=True),
    }
    assert client.post("/admin/quote/new/", data=form).status_code == 302
    with app.app_context():
        quote = db.session.scalar(select(Quote))
        assert [line.option_group for line in quote.ordered_lines()] == ["Furnace", "Furnace", ""]
        assert quote.ordered_lines()[2].optional
        assert quote.subtotal_cents == 300000  # the first furnace; the add-on is not ticked

    both = {**form, **line(2, "Humidifier", "545.00", "Furnace", optional=True)}
    both["title"] = "Both"
    page = client.post("/admin/quote/new/", data=both).data.decode()
    assert "is both an add-on and an alternative" in page
    with app.app_context():
        assert db.session.scalar(select(Quote).where(Quote.title == "Both")) is None
