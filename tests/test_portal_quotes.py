"""Quotes in the portal: the list, one quote with its options and live totals, and approving
or declining it, where every problem is a clear message with the customer's input kept."""

import base64
import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from app.extensions import db
from app.models import Job, OutboxMessage, Property, Quote, QuoteLine, WorkOrder
from app.models.base import utcnow
from app.models.enums import QuoteStatus
from app.queries import paging
from app.services.billing import recalculate_totals
from app.services.company import local_today
from app.services.quotes import content_hash
from app.storage import read_bytes
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import pdf_text, wait_for
from tests.portal_helpers import sign_in_portal
from tests.query_count import counting_queries
from tests.quote_helpers import _signed_pdfs_finish, drawn_signature, hvac_quote  # noqa: F401

GOOD = "Good: 14 SEER heat pump"
BETTER = "Better: 16 SEER two-stage heat pump"
THERMOSTAT = "Smart Wi-Fi thermostat"


@pytest.fixture
def home(app):
    """A customer with two properties, a portal login and a sent quote with options."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="Rivera Family")
        lake = f.PropertyFactory(customer=customer, name="Lake House")
        town = f.PropertyFactory(customer=customer, name="Town Home")
        quote = hvac_quote(lake)
        user = f.PortalUserFactory(customer=customer, name="Ana Rivera")
        return {
            "user": user.id,
            "quote": quote.id,
            "lake": lake.id,
            "town": town.id,
            "customer": customer.id,
            "lines": {line.description: line.id for line in quote.lines},
        }


@pytest.fixture
def signed_in(client, home):
    sign_in_portal(client, home["user"])
    return client


def _page(client, home, **args) -> str:
    response = client.get(f"/portal/quotes/{home['quote']}", query_string=args)
    assert response.status_code == 200
    return response.data.decode()


def _hidden(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)


def _approve(client, home, page=None, *, consent=True, chosen=None, **typed):
    """Approve from the quote page as the customer's browser would: the page's form with the
    name typed, the box ticked (unless `consent` is False) and what the signature pad wrote;
    `chosen` tampers with the hidden line choice."""
    form = form_on(page or _page(client, home), "#approve-form")
    form["signer_name"] = "Ana Rivera"
    for name, value in typed.items():
        form[name] = value
    if consent:
        form.check("consent", "yes")
    if chosen is not None:
        form.tamper("chosen", chosen)
    return form.submit(client)


def _work_orders(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(WorkOrder.id)))


def _status(app, home) -> QuoteStatus:
    with app.app_context():
        return db.session.get(Quote, home["quote"]).status


def test_a_sent_quote_shows_its_lines_options_totals_and_expiry(app, signed_in, home):
    page = _page(signed_in, home)
    lines = home["lines"]
    assert "Replace the heat pump" in page and "Lake House" in page
    with app.app_context():
        assert format_date(local_today() + timedelta(days=30), "EEE, MMM d", locale="en") in page
    assert f'type="radio" name="group-1" value="{lines[GOOD]}"' in page
    assert re.search(rf'value="{lines[GOOD]}"[^>]*checked', page)  # the first is preselected
    assert not re.search(rf'value="{lines[BETTER]}"[^>]*checked', page)
    assert f'type="checkbox" name="chosen" value="{lines[THERMOSTAT]}"' in page
    assert "Choose one: System" in page and "Optional add-on" in page
    assert "$5,617.00" in page and "$463.40" in page and "$6,080.40" in page
    with app.app_context():
        assert _hidden(page, "shown_hash") == [content_hash(db.session.get(Quote, home["quote"]))]
    assert _hidden(page, "chosen") == [
        str(lines["Installation labor"]),
        str(lines["Mechanical permit"]),
        str(lines[GOOD]),
    ]
    assert "quote.js" in page and "data-signature-pad hidden" in page


def test_update_total_without_javascript_prices_the_choice(signed_in, home):
    lines = home["lines"]
    page = _page(
        signed_in, home, update="1", **{"group-1": lines[BETTER]}, chosen=lines[THERMOSTAT]
    )
    assert "$7,162.00" in page and "$590.87" in page and "$7,752.87" in page
    assert re.search(rf'value="{lines[BETTER]}"[^>]*checked', page)
    assert re.search(rf'value="{lines[THERMOSTAT]}"[^>]*checked', page)
    assert str(lines[BETTER]) in _hidden(page, "chosen")
    assert str(lines[THERMOSTAT]) in _hidden(page, "chosen")
    assert "<li>Smart Wi-Fi thermostat</li>" in page  # what the approval would approve


def test_an_impossible_choice_is_explained_and_the_preselection_shown(signed_in, home):
    page = _page(signed_in, home, update="1", chosen=home["lines"][THERMOSTAT])
    assert "Choose one of the options for “System”." in page and "$6,080.40" in page


def test_approving_with_a_typed_name_starts_the_work(app, signed_in, home):
    response = _approve(signed_in, home)
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).data.decode()
    assert "You approved quote" in page and "WO-000001" in page
    assert "Approved by Ana Rivera" in page
    assert "approve-form" not in page  # decided: no forms any more
    assert _work_orders(app) == 1 and _status(app, home) == QuoteStatus.APPROVED
    with app.app_context():
        quote = db.session.get(Quote, home["quote"])
        assert quote.signature_key is None and quote.approved_total_cents == 608040
        [office] = db.session.scalars(select(OutboxMessage)).all()
        assert office.to_address == "office@polarbear.test" and "Ana Rivera" in office.subject
    wait_for(app, _job_id(app))
    page = signed_in.get(f"/portal/quotes/{home['quote']}").data.decode()
    link = re.search(r'href="(/portal/documents/\d+)">Download the signed quote', page).group(1)
    with signed_in.get(link) as pdf:
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "Signed quote Q-" in signed_in.get("/portal/documents").data.decode()


def _job_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Job.id).where(Job.kind == "signed_quote"))


def test_approving_with_a_drawn_signature_and_the_chosen_options(app, signed_in, home):
    lines = home["lines"]
    page = _page(
        signed_in, home, update="1", **{"group-1": lines[BETTER]}, chosen=lines[THERMOSTAT]
    )
    data_url = "data:image/png;base64," + base64.b64encode(drawn_signature()).decode()
    assert _approve(signed_in, home, page, signature=data_url).status_code == 302
    with app.app_context():
        quote = db.session.get(Quote, home["quote"])
        assert quote.signature_method.value == "drawn" and quote.signature_key
        assert quote.approved_total_cents == 775287
        assert [line.description for line in quote.work_order.lines][2:] == [BETTER, THERMOSTAT]
    wait_for(app, _job_id(app))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"consent": False}, "Tick the box to agree before you approve."),
        ({"signer_name": " "}, "Type your full name to sign."),
        ({"signature": "data:image/png;base64,%%%"}, "We could not read your signature."),
        ({"chosen": ["12345"]}, "not on this quote"),
    ],
)
def test_an_approval_problem_is_shown_with_the_input_kept(app, signed_in, home, fields, message):
    response = _approve(signed_in, home, **fields)
    assert response.status_code == 200
    page = response.data.decode()
    assert message in page and 'role="alert" id="approve-problem"' in page
    if fields.get("signer_name") is None:
        assert 'value="Ana Rivera"' in page
    if fields.get("consent") is None:
        assert re.search(r'id="consent"[^>]*checked', page)
    assert _status(app, home) == QuoteStatus.SENT and _work_orders(app) == 0


def test_a_quote_edited_after_it_was_opened_asks_to_reload(app, signed_in, home):
    opened = _page(signed_in, home)
    with app.app_context():
        quote = db.session.get(Quote, home["quote"])
        db.session.get(QuoteLine, home["lines"]["Mechanical permit"]).unit_price_cents = 12500
        recalculate_totals(quote)
        db.session.commit()
    response = _approve(signed_in, home, opened)
    page = response.data.decode()
    assert response.status_code == 200
    assert (
        "This quote was changed after you opened it. Please reload it to see the current version."
        in page
    )
    assert "$125.00" in page and 'value="Ana Rivera"' in page  # the new version, input kept
    assert _hidden(page, "shown_hash") != _hidden(opened, "shown_hash")
    assert _status(app, home) == QuoteStatus.SENT and _work_orders(app) == 0
    assert _approve(signed_in, home, page).status_code == 302  # approving what is shown now
    wait_for(app, _job_id(app))


def test_an_expired_quote_is_refused_and_shown_as_expired(app, signed_in, home):
    opened = _page(signed_in, home)
    with app.app_context():
        db.session.get(Quote, home["quote"]).valid_until = local_today() - timedelta(days=1)
        db.session.commit()
    page = _approve(signed_in, home, opened).data.decode()
    assert "This quote has expired." in page and "approve-form" not in page
    assert _status(app, home) == QuoteStatus.EXPIRED and _work_orders(app) == 0


def test_approving_twice_makes_one_work_order(app, signed_in, home):
    opened = _page(signed_in, home)
    assert _approve(signed_in, home, opened).status_code == 302
    again = _approve(signed_in, home, opened)
    assert again.status_code == 200
    assert "This quote has already been approved." in again.data.decode()
    assert _work_orders(app) == 1
    wait_for(app, _job_id(app))


def test_declining_needs_a_reason_and_tells_the_office(app, signed_in, home):
    url = f"/portal/quotes/{home['quote']}/decline"
    refused = signed_in.post(url, data={"reason": "  "})
    assert refused.status_code == 200 and "Tell us why" in refused.data.decode()
    assert _status(app, home) == QuoteStatus.SENT

    response = signed_in.post(url, data={"reason": "We are moving next spring."})
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).data.decode()
    assert "You declined quote" in page and "We are moving next spring." in page
    assert _status(app, home) == QuoteStatus.DECLINED
    with app.app_context():
        [office] = db.session.scalars(select(OutboxMessage)).all()
        assert "declined" in office.subject and "We are moving next spring." in office.text_body


def test_another_customers_quote_is_a_404_and_drafts_never_show(app, signed_in, home):
    with app.app_context():
        theirs = hvac_quote().id
        draft_id = hvac_quote(db.session.get(Property, home["lake"]), status=QuoteStatus.DRAFT).id
    for quote_id in (theirs, draft_id):
        assert signed_in.get(f"/portal/quotes/{quote_id}").status_code == 404
        assert signed_in.post(f"/portal/quotes/{quote_id}/approve").status_code == 404
        assert signed_in.post(f"/portal/quotes/{quote_id}/decline").status_code == 404
    listing = signed_in.get("/portal/quotes").data.decode()
    assert listing.count("/portal/quotes/") == 1


def _more_quotes(app, home, count: int, **fields) -> None:
    with app.app_context():
        prop = db.session.get(Property, home["town"])
        for _ in range(count):
            f.QuoteFactory(customer=prop.customer, property=prop, **fields)


def test_the_list_puts_waiting_quotes_first_then_the_decided_ones(app, signed_in, home):
    with app.app_context():
        lake = db.session.get(Property, home["lake"])
        customer = lake.customer
        f.QuoteFactory(
            customer=customer,
            property=lake,
            title="Duct cleaning",
            status=QuoteStatus.APPROVED,
            decided_at=utcnow(),
        )
        f.QuoteFactory(
            customer=customer,
            property=lake,
            title="Old boiler",
            status=QuoteStatus.SENT,
            valid_until=local_today() - timedelta(days=3),
        )
        f.QuoteFactory(
            customer=customer,
            property=lake,
            title="Soon to expire",
            status=QuoteStatus.SENT,
            valid_until=local_today() + timedelta(days=2),
        )
    page = signed_in.get("/portal/quotes").data.decode()
    titles = re.findall(r"</strong> ([^<]+)</a>", page)
    assert titles[:2] == ["Soon to expire", "Replace the heat pump"]
    assert set(titles[2:]) == {"Duct cleaning", "Old boiler"}
    assert "Expired on" in page and "Waiting for your decision" in page


def test_the_list_filters_by_property_and_pages(app, signed_in, home, monkeypatch):
    _more_quotes(app, home, 2, title="Town furnace", status=QuoteStatus.SENT)
    page = signed_in.get(f"/portal/quotes?property_id={home['town']}").data.decode()
    assert page.count("Town furnace") == 2 and "Replace the heat pump" not in page
    unknown = signed_in.get("/portal/quotes?property_id=999999").data.decode()
    assert "We could not find that property" in unknown and "Replace the heat pump" in unknown
    monkeypatch.setattr(paging, "PER_PAGE", 2)
    first = signed_in.get("/portal/quotes").data.decode()
    assert "Page 1 of 2" in first
    assert signed_in.get("/portal/quotes?page=2").data.decode().count("/portal/quotes/") == 1


def test_the_list_query_count_does_not_grow_with_quotes(app, signed_in, home):
    signed_in.get("/portal/quotes")
    with counting_queries(app) as few:
        signed_in.get("/portal/quotes")
    _more_quotes(app, home, 12, title="More", status=QuoteStatus.SENT)
    with counting_queries(app) as many:
        page = signed_in.get("/portal/quotes").data.decode()
    assert page.count("/portal/quotes/") == 13
    assert len(many) == len(few), many


def test_the_menu_and_the_home_page_lead_to_the_quote(signed_in, home):
    page = signed_in.get("/portal/").data.decode()
    assert 'href="/portal/quotes"' in page
    assert f'href="/portal/quotes/{home["quote"]}"' in page


def test_the_quote_page_and_the_signed_pdf_read_in_spanish(app, signed_in, home):
    signed_in.post("/language", data={"lang": "es"})
    page = _page(signed_in, home)
    assert "Aprobar y firmar" in page and "Elija una: System" in page
    assert "Impuesto (8.25%)" in page
    assert _approve(signed_in, home, page).status_code == 302
    wait_for(app, _job_id(app))
    with app.app_context():
        document = db.session.get(Quote, home["quote"]).signed_document
        assert document.title.startswith("Cotización firmada")
        text = pdf_text(read_bytes(document.storage_key))
    assert "Registro de la firma" in text and "Nombre completo escrito" in text
